"""Video frames decoded on their own thread; the GUI asks for "the frame at t" and never waits.

Requests are coalesced: the GUI thread overwrites one slot and wakes the worker; the worker takes
whatever is in the slot when it gets to it, so while scrubbing, or playing faster than frames
decode, only the latest request is decoded and the ones in between are skipped. The QImage is
made in the worker (QImage, unlike QPixmap, is fine off the GUI thread) and reaches the GUI
thread through a queued signal.

With a seek proxy (:mod:`aligner_core.video.proxy`, made in the background after opening), a
request that needs a seek in the file is answered twice: at once from the proxy (a small frame,
a short GOP), then sharp from the file, unless a newer request has moved away meanwhile (a newer
request a little ahead, as in playback, lets the sharp decode finish and then reads on from it).

The worker is a plain daemon thread, not a QThread: a window deleted without being closed (the
decoder may be in the middle of a seek) must not take the process down with "QThread destroyed
while running"; the thread notices its fetcher is gone at its next signal and ends.
"""

from __future__ import annotations

import threading
import traceback
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from aligner_core.video import FrameSource
from aligner_core.video.frames import Interrupted

from ..messages import core_message

#: a newer request this far ahead of the one being decoded still wants that decode to finish
READ_ON_MS = 1000


class FrameFetcher(QObject):
    """One file's frames; ``frame_ready(Frame, QImage, sharp)`` arrives on the GUI thread
    (``sharp`` False: the proxy's quick picture, the file's own follows)."""

    frame_ready = Signal(object, QImage, bool)
    failed = Signal(str)

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self._wake = threading.Condition()
        self._request: tuple[float, tuple[int, int]] | None = None
        self._stopping = False
        self._proxy_path: Path | None = None
        self._thread = threading.Thread(target=self._run, name="video-frames", daemon=True)
        self._thread.start()

    def request(self, ms: float, size: tuple[int, int]) -> None:
        """Ask for the frame at ``ms`` at ``size``; replaces a request not started yet."""
        with self._wake:
            self._request = (ms, size)
            self._wake.notify()

    def set_proxy(self, path: Path | None) -> None:
        """Answer seeks from this proxy first (see the module's note)."""
        with self._wake:
            self._proxy_path = path

    def stop(self, timeout_s: float = 5.0) -> None:
        """Let the frame being decoded (a seek at most) finish and end the thread."""
        with self._wake:
            self._stopping = True
            self._wake.notify()
        self._thread.join(timeout_s)

    # -- the worker thread ---------------------------------------------------------------------------
    def _run(self) -> None:
        source: FrameSource | None = None
        proxy: FrameSource | None = None
        try:
            while True:
                with self._wake:
                    self._wake.wait_for(lambda: self._request is not None or self._stopping)
                    if self._stopping:
                        return
                    request, self._request = self._request, None
                    proxy_path = self._proxy_path
                try:
                    source = source or FrameSource(self.path)
                    if proxy_path is not None and source.would_seek(request[0]):
                        proxy = proxy if proxy is not None and proxy.path == proxy_path else FrameSource(proxy_path)
                        if not self._send(self.frame_ready, *_picture(proxy.frame_at(*request)), False):
                            return
                    try:
                        frame = source.frame_at(*request, abort=self._moved_away(request[0]))
                    except Interrupted:
                        continue
                    picture = _picture(frame)
                except Exception as exc:  # noqa: BLE001 - the pane says so instead of freezing on its last frame
                    if not isinstance(exc, (OSError, ValueError)):  # av's errors are these; anything else is a bug
                        traceback.print_exc()
                    self._send(self.failed, core_message(exc))
                    return  # asking again would not help
                if not self._send(self.frame_ready, *picture, True):
                    return
        finally:
            for opened in (source, proxy):
                if opened is not None:
                    opened.close()

    def _moved_away(self, ms: float):
        def moved() -> bool:
            newer = self._request  # one attribute read: no lock needed to peek
            return self._stopping or (newer is not None and not ms <= newer[0] <= ms + READ_ON_MS)

        return moved

    @staticmethod
    def _send(signal, *args) -> bool:
        try:
            signal.emit(*args)
        except RuntimeError:  # the fetcher was deleted with its window
            return False
        return True


def _picture(frame) -> tuple:
    h, w = frame.rgb.shape[:2]
    return frame, QImage(frame.rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()
