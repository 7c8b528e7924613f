"""Periodic autosave of the open document to a crash-recovery file.

The file is written through :class:`aligner_core.recovery.AutosaveSession`, whose OS lock tells
a later editor whether we crashed (lock free, file left behind) or are still running. The
session is created on the first autosave, so a window that is never edited leaves nothing
in the state folder. Writing happens on a worker thread from a snapshot of the document
(tokens are immutable, so the copy is cheap): a 30,000-word project never stalls typing. It is
a background job of the editor's task runner: it writes a copy to a file of its own, so it
runs beside an alignment or a decode, one autosave at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from aligner_core.project import Project
from aligner_core.recovery import AutosaveSession, discard_autosave, write_autosave

from .messages import core_message
from .session import Session
from .tasks import TaskRunner

#: the task runner's background slot for autosaves
AUTOSAVE = "autosave"

#: how often the document is autosaved when it changed (ms); tests shorten it per instance
AUTOSAVE_INTERVAL_MS = 60_000


class Autosaver(QObject):
    #: an autosave was written: the file's path
    written = Signal(str)
    #: an autosave could not be written: one sentence for the status bar
    failed = Signal(str)

    def __init__(self, session: Session, snapshot: Callable[[], Project], tasks: TaskRunner,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._snapshot = snapshot
        self._tasks = tasks
        self._lock: AutosaveSession | None = None
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
        return self._tasks.running(AUTOSAVE) is not None

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
        if not self._dirty or s.document is None or not s.modified or self.busy:
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

        def job(_context):
            return str(write_autosave(project, lock, key))

        self._dirty = False
        self._written_for = key
        self._tasks.run(job, self.tr("Autosave"), self._on_written, background=AUTOSAVE, on_failed=self._on_failed)
        return True

    @Slot(object)
    def _on_written(self, path: object) -> None:
        self._has_file = True
        self.written.emit(str(path))

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._dirty = True  # try again next time
        self.failed.emit(self.tr("Autosave failed: {0}").format(message))

    def wait(self) -> None:
        """Let a running write finish (before a save replaces it, or on exit)."""
        self._tasks.wait(AUTOSAVE)

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
