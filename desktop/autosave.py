"""Periodic autosave of the open document to a crash-recovery file.

The file is written through :class:`aligner_core.recovery.AutosaveSession`, whose OS lock tells
a later editor whether we crashed (lock free, file left behind) or are still running. The
session is created on the first autosave, so a window that is never edited leaves nothing
in the state folder. Writing happens on a worker thread from a snapshot of the document
(tokens are immutable, so the copy is cheap): a 30,000-word project never stalls typing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, QTimer, Signal, Slot

from aligner_core.project import Project
from aligner_core.recovery import AutosaveSession, discard_autosave, write_autosave

from .messages import core_message
from .session import Session
from .tasks import Task

#: how often the document is autosaved when it changed (ms); tests shorten it per instance
AUTOSAVE_INTERVAL_MS = 60_000


class Autosaver(QObject):
    #: an autosave was written: the file's path
    written = Signal(str)
    #: an autosave could not be written: one sentence for the status bar
    failed = Signal(str)

    def __init__(self, session: Session, snapshot: Callable[[], Project], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._snapshot = snapshot
        self._lock: AutosaveSession | None = None
        self._task: Task | None = None
        self._dirty = False
        #: the project path the autosave on disk belongs to (its file name derives from it)
        self._written_for: Path | None = None
        self._has_file = False
        self.timer = QTimer(self)
        self.timer.setInterval(AUTOSAVE_INTERVAL_MS)
        self.timer.timeout.connect(self.autosave_now)
        self.timer.start()
        session.changed.connect(self._on_changed)
        session.document_reset.connect(self._on_reset)

    @property
    def lock(self) -> AutosaveSession | None:
        return self._lock

    @property
    def busy(self) -> bool:
        return self._task is not None

    @Slot(object)
    def _on_changed(self, _changed) -> None:
        self._dirty = True

    @Slot()
    def _on_reset(self) -> None:
        self._dirty = self._session.modified

    def mark_dirty(self) -> None:
        self._dirty = True

    @Slot()
    def autosave_now(self) -> bool:
        """Write an autosave if the document changed since the last autosave or save."""
        s = self._session
        if not self._dirty or s.document is None or not s.modified or self._task is not None:
            return False
        try:
            if self._lock is None:
                self._lock = AutosaveSession()
            project = self._snapshot()
        except (OSError, ValueError) as exc:
            self.failed.emit(self.tr("Autosave failed: {0}").format(core_message(exc)))
            return False
        key = s.project_path
        if self._has_file and self._written_for != key:
            discard_autosave(self._written_for, self._lock)  # "Save As" renamed the project
            self._has_file = False
        lock = self._lock

        def job(_progress, _cancel):
            return str(write_autosave(project, lock, key))

        self._dirty = False
        self._written_for = key
        task = Task(job, self)
        task.finished.connect(self._on_written)
        task.failed.connect(self._on_failed)
        task.done.connect(self._on_done)
        self._task = task
        task.start()
        return True

    @Slot(object)
    def _on_written(self, path: object) -> None:
        self._has_file = True
        self.written.emit(str(path))

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._dirty = True  # try again next time
        self.failed.emit(self.tr("Autosave failed: {0}").format(message))

    @Slot()
    def _on_done(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.deleteLater()

    def wait(self) -> None:
        """Let a running write finish (before a save replaces it, or on exit)."""
        if self._task is None:
            return
        # The worker's outcome reaches us as queued signals, and its thread only stops once
        # they are handled: turn the event loop until then rather than block it.
        loop = QEventLoop()
        self._task.done.connect(loop.quit)
        guard = QTimer()
        guard.setSingleShot(True)
        guard.timeout.connect(loop.quit)
        guard.start(10_000)
        loop.exec()
        guard.stop()

    def saved(self, previous_path: Path | None) -> None:
        """The document was saved: its autosave is stale (the saved file is newer anyway)."""
        self.wait()
        self._dirty = False
        if self._lock is not None and not self._lock.closed:
            for key in {previous_path, self._written_for, self._session.project_path}:
                discard_autosave(key, self._lock)
        self._has_file = False

    def shutdown(self) -> None:
        """Clean exit: the autosaves are removed and never offered for recovery."""
        self.timer.stop()
        self.wait()
        if self._lock is not None:
            self._lock.close()
