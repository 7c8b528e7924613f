"""The video component: a dockable pane with the frame at the playhead, frame stepping, shot
changes on the timeline, and the View/Timing options that go with them.

It is built from the window's host like the other components (``host.add_action``, ``host.menus``)
and reads the session, the view state and the timeline; it changes nothing but the playhead.
When the opened media has no video stream the dock is hidden and its actions are disabled.

Following the playhead: every playhead move asks the worker for the frame under it, unless it is
the frame already shown; the worker decodes only the latest request, so playback shows frames
at the video's rate while decoding keeps up and skips frames when it does not.

After opening, one background pass decodes the whole file once: it finds the shot changes and
writes a small seek proxy into a temporary folder (removed with the file), from which later seeks
show a picture at once while the sharp frame is decoded. The pass runs in the host's task runner,
in a background slot of its own (PASS), so it never holds the busy slot that Align needs.
"""

from __future__ import annotations

import shutil
import tempfile
from functools import partial
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QDockWidget

from aligner_core.video import VideoInfo, format_timecode, frame_index, frame_ms, probe_video
from aligner_core.video.info import NO_VIDEO
from aligner_core.video.proxy import shots_and_proxy

from .. import settings
from .caption import caption_at
from .pane import VideoPane
from .worker import FrameFetcher

KARAOKE = "video/karaoke"
TIMECODE = "view/timecode"
SNAP_SHOTS = "timing/snap_shots"
SNAP_FRAMES = "timing/snap_frames"
#: the task runner's background slot of the pass that finds shot changes and writes the proxy
PASS = "video"


class VideoComponent(QObject):
    """Built from the window's :class:`~desktop.host.Host` and the timeline it draws shot changes on."""

    def __init__(self, host, timeline) -> None:
        super().__init__(host.widget)
        self.host = host
        self.session, self.view, self.timeline = host.session, host.view, timeline
        self.plot = timeline.plot
        self.info: VideoInfo = NO_VIDEO
        self.fetcher: FrameFetcher | None = None
        self.frame = None  # the Frame shown
        self.sharp = False  # ... from the file itself (not the proxy's quick picture)
        self.proxy: Path | None = None
        self._scratch: Path | None = None  # the proxy's temporary folder
        self.shots = np.zeros(0, dtype=np.int64)
        self._size = (480, 270)

        self.pane = VideoPane()
        self.dock = QDockWidget(self.tr("Video"), host.widget)
        self.dock.setObjectName("video-dock")
        self.dock.setWidget(self.pane)
        host.widget.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)  # the widget is the main window
        self.dock.hide()

        add, menus = host.add_action, host.menus
        menus["view"].addSeparator()
        self.show_action = add("view.video", self.tr("&Video"), None, "view", checkable=True)
        self.show_action.toggled.connect(self._on_show_toggled)
        self.karaoke_action = add("view.karaoke", self.tr("&Highlight spoken words on the video"), None, "view", checkable=True)
        self.karaoke_action.setChecked(settings.value(KARAOKE, False))
        self.karaoke_action.toggled.connect(self._on_karaoke)
        self.timecode_action = add("view.timecode", self.tr("Show ti&mes as timecode"), None, "view", checkable=True)
        self.timecode_action.setChecked(settings.value(TIMECODE, False))
        self.timecode_action.toggled.connect(self._on_timecode)
        playback = menus["playback"]
        playback.addSeparator()
        self.back_action = add("play.frame_back", self.tr("Pre&vious frame"), partial(self.step, -1), "playback")
        self.forward_action = add("play.frame_forward", self.tr("Next f&rame"), partial(self.step, 1), "playback")
        menus["timing"].addSeparator()
        self.snap_shots_action = add("timing.snap_shots", self.tr("Snap to s&hot changes"), None, "timing", checkable=True)
        self.snap_shots_action.setChecked(settings.value(SNAP_SHOTS, True))
        self.snap_shots_action.toggled.connect(self._on_snap_options)
        self.snap_frames_action = add("timing.snap_frames", self.tr("Snap to video &frames"), None, "timing", checkable=True)
        self.snap_frames_action.setChecked(settings.value(SNAP_FRAMES, False))
        self.snap_frames_action.toggled.connect(self._on_snap_options)

        self.pane.view.resized.connect(self._on_resized)
        self.dock.visibilityChanged.connect(self._on_dock_visibility)
        self.view.playhead_changed.connect(self._on_playhead)
        self.session.audio_changed.connect(self._on_media_changed)
        self.session.document_reset.connect(self._refresh_caption)
        self.session.changed.connect(self._refresh_caption)
        self._enable()

    # -- media -------------------------------------------------------------------------------------
    @property
    def has_video(self) -> bool:
        return self.info.has_video

    @Slot()
    def _on_media_changed(self) -> None:
        path: Path | None = self.session.audio_path if self.session.audio is not None else None
        if self.fetcher is not None and path == self.fetcher.path:
            return
        self.stop()
        self.info = probe_video(path) if path is not None else NO_VIDEO
        self.frame = None
        self.pane.view.set_image(None)
        self._set_shots(np.zeros(0, dtype=np.int64))
        if self.has_video:
            self.pane.view.aspect = self.info.width / max(1, self.info.height)
            self.fetcher = FrameFetcher(path, self)
            self.fetcher.frame_ready.connect(self._on_frame)
            self.fetcher.failed.connect(self._on_failed)
            self.show_action.setChecked(True)
            self.dock.show()
            self._scratch = Path(tempfile.mkdtemp(prefix="wordsync-video-"))
            self._find_shots(path)
            self._request(self.view.playhead_ms)
        else:
            self.show_action.setChecked(False)
            self.dock.hide()
        self._apply_snapping()
        self._apply_timecode()
        self._enable()

    def _enable(self) -> None:
        for action in (self.show_action, self.back_action, self.forward_action, self.snap_shots_action, self.snap_frames_action):
            action.setEnabled(self.has_video)
        self.timecode_action.setEnabled(self.has_video)

    def stop(self) -> None:
        """End the frame thread and the background pass (a new file, or the window closing)."""
        if self.fetcher is not None:
            self.fetcher.stop()
            self.fetcher.deleteLater()
            self.fetcher = None
        # a pass still running for the old file is cancelled and ends on its own; its result goes nowhere
        self.host.tasks.detach(PASS)
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None
        self.proxy = None

    # -- frames ------------------------------------------------------------------------------------
    def _request(self, ms: int) -> None:
        if self.fetcher is None or not self.dock.isVisible():
            return
        index = frame_index(ms - self.info.start_ms, self.info.fps)
        if self.frame is not None and self.frame.index == index and self.frame.size == self._size:
            self._refresh_readout(ms)
            return
        self.fetcher.request(ms, self._size)

    @Slot(int)
    def _on_playhead(self, ms: int) -> None:
        self._request(ms)
        self._refresh_caption()

    @Slot(int, int)
    def _on_resized(self, width: int, height: int) -> None:
        self._size = (max(2, width // 2 * 2), max(2, height // 2 * 2))
        if self.frame is not None and self.frame.size != self._size:
            self._request(self.view.playhead_ms)

    @Slot(bool)
    def _on_dock_visibility(self, visible: bool) -> None:
        if visible and not self.has_video:  # the saved layout had it open: nothing to show yet
            self.dock.hide()
            return
        if self.show_action.isChecked() != self.dock.isVisible() and not self.dock.isFloating():
            self.show_action.setChecked(self.dock.isVisible())
        if visible:
            self._request(self.view.playhead_ms)

    @Slot(bool)
    def _on_show_toggled(self, on: bool) -> None:
        self.dock.setVisible(on and self.has_video)

    @Slot(object, QImage, bool)
    def _on_frame(self, frame, image: QImage, sharp: bool) -> None:
        self.frame, self.sharp = frame, sharp
        self.pane.view.set_image(image)
        self._refresh_readout(self.view.playhead_ms)
        self._refresh_caption()

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.host.status(message)  # one sentence, in the interface language

    def _refresh_readout(self, ms: int) -> None:
        f = self.frame
        if f is None:
            return
        self.pane.readout.setText(self.tr("Frame {0} · {1:.3f} s · {2}").format(
            f.index, f.time_ms / 1000.0, format_timecode(f.time_ms - self.info.start_ms, self.info.fps)))

    @Slot()
    def _refresh_caption(self, *_args) -> None:
        if not self.has_video:
            return
        ms = self.view.playhead_ms
        doc = self.session.document
        cue = self.timeline.index.cue_at(ms) if doc is not None else None
        self.pane.view.set_caption(caption_at(doc, cue, ms, self.karaoke_action.isChecked()))

    @Slot(int)
    def step(self, frames: int) -> None:
        """Move the playhead ``frames`` frames (to the start of that frame)."""
        if not self.has_video:
            return
        origin, fps = self.info.start_ms, self.info.fps
        last = max(0, self.info.frame_count - 1)
        index = min(max(0, frame_index(self.view.playhead_ms - origin, fps) + frames), last)
        self.view.set_playhead(origin + frame_ms(index, fps))

    # -- shot changes ------------------------------------------------------------------------------
    def _find_shots(self, path: Path) -> None:
        proxy = self._scratch / "proxy.mp4"

        def job(context):
            return shots_and_proxy(path, proxy, context.progress, context.cancel)

        # a background slot of its own: it never holds up Align, and shows no progress bar
        self.host.tasks.run(job, self.tr("Finding shot changes"), partial(self._on_shots, path),
                            background=PASS, on_failed=self._on_pass_failed)

    def _on_shots(self, path: Path, result) -> None:
        cuts, proxy = result
        if self.fetcher is not None and self.fetcher.path == path:
            self._set_shots(np.asarray(cuts, dtype=np.int64))
            self.proxy = proxy
            self.fetcher.set_proxy(proxy)

    @Slot(str)
    def _on_pass_failed(self, _message: str) -> None:
        pass  # the frames say what is wrong with the picture; without the pass only its extras are missing

    def _set_shots(self, shots: np.ndarray) -> None:
        self.shots = shots
        self.plot.picture.set_times(shots)

    # -- options -----------------------------------------------------------------------------------
    @Slot(bool)
    def _on_karaoke(self, on: bool) -> None:
        settings.set_value(KARAOKE, bool(on))
        self._refresh_caption()

    @Slot(bool)
    def _on_timecode(self, on: bool) -> None:
        settings.set_value(TIMECODE, bool(on))
        self._apply_timecode()

    def _apply_timecode(self) -> None:
        on = self.timecode_action.isChecked() and self.has_video
        self.plot.getAxis("bottom").set_timecode(self.info.fps if on else None, self.info.start_ms)

    @Slot(bool)
    def _on_snap_options(self, _on: bool) -> None:
        settings.set_value(SNAP_SHOTS, self.snap_shots_action.isChecked())
        settings.set_value(SNAP_FRAMES, self.snap_frames_action.isChecked())
        self._apply_snapping()

    def _apply_snapping(self) -> None:
        picture = self.plot.picture
        picture.snap_shots = self.has_video and self.snap_shots_action.isChecked()
        picture.frame_rate = self.info.fps if self.has_video and self.snap_frames_action.isChecked() else None
        picture.origin_ms = self.info.start_ms
