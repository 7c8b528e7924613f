"""The recent files list (QSettings ``files/recent``, newest first) and its submenu."""

from __future__ import annotations

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


def add_recent(path: str | os.PathLike[str]) -> None:
    path = os.path.abspath(os.fspath(path))
    _store([path] + [p for p in recent_files() if p != path])


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
        paths = recent_files()
        existing = [p for p in paths if os.path.isfile(p)]
        if existing != paths:
            _store(existing)
        self.clear()
        for i, path in enumerate(existing):
            label = f"&{i + 1} {Path(path).name}" if i < 9 else Path(path).name
            action = self.addAction(label)
            action.setData(path)
            action.setToolTip(path)
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
