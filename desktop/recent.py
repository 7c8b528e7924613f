"""The recent files list (QSettings ``files/recent``, newest first) and its submenu.

An entry is a project's path, or an audio file and its transcript opened together, stored as a
JSON list of the two paths (a stored path is absolute, so it never starts with ``[``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from PySide6.QtCore import QSettings, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

RECENT_KEY = "files/recent"
MAX_RECENT = 10


def recent_files() -> list[str]:
    """The recent files, newest first."""
    value = QSettings().value(RECENT_KEY, [])
    if isinstance(value, str):  # an INI file gives back a one-item list as a plain string
        value = [value]
    return [v for v in value or [] if isinstance(v, str) and v]


def _store(paths: list[str]) -> None:
    QSettings().setValue(RECENT_KEY, paths[:MAX_RECENT])


def add_recent(*paths: str | os.PathLike[str]) -> None:
    """Put a project (one path) or an audio file and its transcript (two) first in the list."""
    files = [os.path.abspath(os.fspath(p)) for p in paths]
    entry = files[0] if len(files) == 1 else json.dumps(files)
    _store([entry] + [e for e in recent_files() if e != entry])


def entry_files(entry: str) -> list[str]:
    """The files of a stored entry (one project, or audio and transcript)."""
    if entry.startswith("["):
        try:
            files = json.loads(entry)
        except ValueError:
            return []
        return [f for f in files if isinstance(f, str)] if isinstance(files, list) else []
    return [entry]


class RecentMenu(QMenu):
    """Rebuilt each time it opens, so files deleted meanwhile disappear from it (and the list)."""

    #: the user picked this file
    open_requested = Signal(str)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.setObjectName("menu-recent")
        self.aboutToShow.connect(self.refresh)
        self.triggered.connect(self._on_triggered)
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        entries = recent_files()
        existing = [e for e in entries if entry_files(e) and all(os.path.isfile(f) for f in entry_files(e))]
        if existing != entries:
            _store(existing)
        self.clear()
        for i, entry in enumerate(existing):
            files = entry_files(entry)
            name = " + ".join(Path(f).name for f in files)
            label = f"&{i + 1} {name}" if i < 9 else name
            action = self.addAction(label)
            action.setData(entry)
            action.setToolTip("\n".join(files))
        if existing:
            self.addSeparator()
        clear = self.addAction(self.tr("&Clear list"))
        clear.setData("")
        clear.setEnabled(bool(existing))

    @property
    def paths(self) -> list[str]:
        return [a.data() for a in self.actions() if a.data()]

    @Slot(QAction)
    def _on_triggered(self, action: QAction) -> None:
        path = action.data()
        if path:
            self.open_requested.emit(path)
        else:
            _store([])
        self.refresh()
