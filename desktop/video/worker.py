"""Video frames decoded on their own thread; the GUI asks for "the frame at t" and never waits.

Requests are coalesced: the GUI thread overwrites one slot and wakes the worker; the worker takes
whatever is in the slot when it gets to it, so while scrubbing, or playing faster than frames
decode, only the latest request is decoded and the ones in between are skipped. The QImage is
made in the worker (QImage, unlike QPixmap, is fine off the GUI thread) and reaches the GUI
thread through a queued signal.

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


class FrameFetcher(QObject):
    """One file's frames; ``frame_ready(Frame, QImage)`` arrives on the GUI thread."""

    frame_ready = Signal(object, QImage)
    failed = Signal(str)

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self._wake = threading.Condition()
        self._request: tuple[float, tuple[int, int]] | None = None
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="video-frames", daemon=True)
        self._thread.start()

    def request(self, ms: float, size: tuple[int, int]) -> None:
        """Ask for the frame at ``ms`` at ``size``; replaces a request not started yet."""
        with self._wake:
            self._request = (ms, size)
            self._wake.notify()

    def stop(self, timeout_s: float = 5.0) -> None:
        """Let the frame being decoded (a seek at most) finish and end the thread."""
        with self._wake:
            self._stopping = True
            self._wake.notify()
        self._thread.join(timeout_s)

    # -- the worker thread ---------------------------------------------------------------------------
    def _run(self) -> None:
        source: FrameSource | None = None
        try:
            while True:
                with self._wake:
                    self._wake.wait_for(lambda: self._request is not None or self._stopping)
                    if self._stopping:
                        return
                    request, self._request = self._request, None
                try:
                    source = source or FrameSource(self.path)
                    frame = source.frame_at(*request)
                    h, w = frame.rgb.shape[:2]
                    image = QImage(frame.rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()
                except Exception as exc:  # noqa: BLE001 - the pane says so instead of freezing on its last frame
                    if not isinstance(exc, (OSError, ValueError)):  # av's errors are these; anything else is a bug
                        traceback.print_exc()
                    self._send(self.failed, str(exc))
                    return  # asking again would not help
                if not self._send(self.frame_ready, frame, image):
                    return
        finally:
            if source is not None:
                source.close()

    @staticmethod
    def _send(signal, *args) -> bool:
        try:
            signal.emit(*args)
        except RuntimeError:  # the fetcher was deleted with its window
            return False
        return True
