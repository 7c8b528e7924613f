"""Timing → Timing post-processor… (Ctrl+P, Aegisub's key): the dialog over the selected cues or the
whole document; Apply pushes the previewed plan as ONE undo step."""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot

from aligner_core.timing_tools import RetimeCues

from .dialogs.timing_tools import TimingToolsDialog
from .selection import selection


class TimingToolsController(QObject):
    """``video`` is the video component: its shot changes and frame rate (none without a picture)."""

    def __init__(self, host, video) -> None:
        super().__init__(host.widget)
        self.host, self.session, self.view, self.video = host, host.session, host.view, video
        self.dialog: TimingToolsDialog | None = None
        self.action = host.add_action("timing.post_processor", self.tr("Timing p&ost-processor…"), self.open, "timing")
        self.session.document_reset.connect(self._update_action)
        self.session.changed.connect(self._on_changed)
        host.actions_changed.connect(self._update_action)
        self._update_action()

    @Slot()
    def _update_action(self) -> None:
        doc = self.session.document
        self.action.setEnabled(doc is not None and bool(doc.cues))
        if self.dialog is not None:
            self.dialog.refresh_later()

    @Slot(object)
    def _on_changed(self, _changed) -> None:
        self._update_action()

    @Slot()
    def open(self) -> TimingToolsDialog | None:
        doc = self.session.document
        if doc is None or not doc.cues:
            return None
        if self.dialog is not None:
            self.dialog.deleteLater()
        info = self.video.info if self.video.has_video else None
        self.dialog = TimingToolsDialog(
            lambda: self.session.document,
            list(selection(doc, self.view).cues),
            self.session.profile,
            shots=[int(s) for s in self.video.shots] if info is not None else (),
            fps=info.fps if info is not None and info.fps else None,
            origin_ms=info.start_ms if info is not None else 0,
            parent=self.host.widget,
        )
        # finished comes before accepted: one slot reads the result, then lets the dialog go
        self.dialog.finished.connect(self._closed)
        self.dialog.open()
        return self.dialog

    @Slot(int)
    def _closed(self, result: int) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is None:
            return
        dialog.deleteLater()
        if result == TimingToolsDialog.DialogCode.Accepted and dialog.changes:
            count = len(dialog.changes)
            if self.session.push(RetimeCues(dialog.changes), self.tr("Timing post-processor")):
                self.host.status(self.tr("Timing post-processor: %n cue(s) changed.", "", count))
