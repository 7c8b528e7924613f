"""The user's settings (QSettings, organisation and application "Wordsync") and window layout.

Other parts read and write their own keys through :func:`value` / :func:`set_value`, which give
back the type of the default: the INI backend returns every value as a string ("true", "12"), so
reading a bool or an int straight from ``QSettings.value`` would be wrong on Linux and right on
Windows. Keys are grouped by part ("window/...", "ui/...", "playback/...", "shortcuts/<id>").

:func:`restore_window` puts back the geometry, the toolbar/dock layout and every named
``QSplitter`` of the main window; :func:`save_window` stores them when the window closes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings, QStandardPaths
from PySide6.QtWidgets import QMainWindow, QSplitter

ORGANIZATION = "Wordsync"
APPLICATION = "Wordsync"

# "" follows the system locale; otherwise a locale name such as "zh_CN" or "en"
LANGUAGE = "ui/language"
GEOMETRY = "window/geometry"
WINDOW_STATE = "window/state"
SPLITTERS = "window/splitters"

T = TypeVar("T")


def settings() -> QSettings:
    """The user's settings. Names are explicit so a test or tool without an app name still finds them."""
    return QSettings(QSettings.defaultFormat(), QSettings.Scope.UserScope, ORGANIZATION, APPLICATION)


def data_folder() -> Path:
    """Where the editor keeps what it makes for the user (models, improved aligners): <data>/Wordsync.

    Not AppLocalDataLocation: that is <data>/<organisation>/<application>, and both are
    "Wordsync" (the settings file's place keeps them), so it read …/Wordsync/Wordsync."""
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericDataLocation)
    return Path(base) / (QCoreApplication.applicationName() or APPLICATION)


def _coerce(raw: Any, default: T) -> T:
    if raw is None:
        return default
    try:
        if isinstance(default, bool):
            if isinstance(raw, str):
                return raw.strip().lower() in ("1", "true", "yes", "on")  # type: ignore[return-value]
            return bool(raw)  # type: ignore[return-value]
        if isinstance(default, int):
            return int(raw)  # type: ignore[return-value]
        if isinstance(default, float):
            return float(raw)  # type: ignore[return-value]
        if isinstance(default, str):
            return str(raw)  # type: ignore[return-value]
        if isinstance(default, (list, tuple)):
            items = [raw] if isinstance(raw, str) else list(raw)
            return type(default)(items)  # type: ignore[return-value]
    except (TypeError, ValueError):
        return default  # a hand-edited or stale value must not stop the editor from starting
    return raw


def value(key: str, default: T) -> T:
    """The stored value of ``key`` as the type of ``default``, or ``default`` when unset or unreadable."""
    return _coerce(settings().value(key), default)


def set_value(key: str, new_value: Any) -> None:
    store = settings()
    store.setValue(key, new_value)
    store.sync()


def remove(key: str) -> None:
    store = settings()
    store.remove(key)
    store.sync()


def _named_splitters(window: QMainWindow) -> list[QSplitter]:
    # Unnamed splitters can't be told apart between runs; naming one opts it in.
    return [s for s in window.findChildren(QSplitter) if s.objectName()]


def save_window(window: QMainWindow) -> None:
    store = settings()
    store.setValue(GEOMETRY, window.saveGeometry())
    store.setValue(WINDOW_STATE, window.saveState())
    for splitter in _named_splitters(window):
        store.setValue(f"{SPLITTERS}/{splitter.objectName()}", splitter.saveState())
    store.sync()


def _bytes(raw: Any) -> QByteArray | None:
    if isinstance(raw, QByteArray) and not raw.isEmpty():
        return raw
    if isinstance(raw, (bytes, bytearray)) and raw:
        return QByteArray(bytes(raw))
    return None


def restore_window(window: QMainWindow) -> bool:
    """Put back the saved layout; False when there was none (first start) or it was unusable."""
    store = settings()
    geometry = _bytes(store.value(GEOMETRY))
    restored = geometry is not None and window.restoreGeometry(geometry)
    state = _bytes(store.value(WINDOW_STATE))
    if state is not None:
        window.restoreState(state)
    for splitter in _named_splitters(window):
        saved = _bytes(store.value(f"{SPLITTERS}/{splitter.objectName()}"))
        if saved is not None:
            splitter.restoreState(saved)
    return restored
