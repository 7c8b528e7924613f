"""Desktop tests: real widgets offscreen; any Qt warning fails the test that caused it."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shutil  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import QCoreApplication, QSettings, QtMsgType, qInstallMessageHandler  # noqa: E402

_IGNORED = (
    "propagateSizeHints",  # offscreen platform plugin noise, not our code
    "This plugin does not support",
)


@pytest.fixture(scope="session")
def _cache_home(tmp_path_factory):
    """One cache folder for the whole run, seeded from the user's letter-to-sound cache.

    Training that model takes seconds; copying a cached one only reads the real home.
    """
    cache = tmp_path_factory.mktemp("xdg-cache")
    real = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "wordsync"
    if real.is_dir():
        (cache / "wordsync").mkdir()
        for model in real.glob("g2p-*.npz"):
            shutil.copy2(model, cache / "wordsync" / model.name)
    return cache


@pytest.fixture(autouse=True)
def isolated_user_files(tmp_path_factory, _cache_home, monkeypatch):
    """Point QSettings, autosave/recovery and caches at temp folders: tests never touch the real home.

    Each test starts with empty settings, so one test's saved geometry or language can't leak
    into the next.
    """
    root = tmp_path_factory.mktemp("user")
    for name in ("config", "state", "data"):
        (root / name).mkdir()
    monkeypatch.setenv("XDG_CONFIG_HOME", str(root / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(root / "state"))
    monkeypatch.setenv("XDG_DATA_HOME", str(root / "data"))
    monkeypatch.setenv("WORDSYNC_STATE_DIR", str(root / "state" / "wordsync"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(_cache_home))
    monkeypatch.delenv("WORDSYNC_LANG", raising=False)
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(root / "config"))
        QSettings.setPath(fmt, QSettings.Scope.SystemScope, str(root / "system-config"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QCoreApplication.setOrganizationName("Wordsync")
    QCoreApplication.setApplicationName("Wordsync")
    yield root


@pytest.fixture(autouse=True)
def fail_on_qt_warnings():
    messages: list[str] = []

    def handler(mode, _context, message):
        if mode in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
            if not any(s in message for s in _IGNORED):
                messages.append(message)

    previous = qInstallMessageHandler(handler)
    yield
    qInstallMessageHandler(previous)
    assert not messages, f"Qt warnings: {messages}"


# -- shared fixtures: one JFK loader, one way to make an editor window ------------------------------


_windows: list = []


def new_window(qtbot):
    """An editor window as the tests use it: errors go to the status bar (no modal box to
    answer), shown, and held until the test's teardown deletes it."""
    from desktop.main_window import MainWindow

    win = MainWindow()
    win.setProperty("quiet_errors", True)
    qtbot.addWidget(win)
    _windows.append(win)
    win.show()
    return win


def show_timeline(qtbot, audio, doc, size: tuple[int, int] = (1100, 380)):
    """(widget, session, view): a timeline alone on ``audio`` and ``doc``, shown and exposed."""
    from desktop.session import Session
    from desktop.timeline import TimelineWidget
    from desktop.view_state import ViewState

    session, view = Session(), ViewState()
    session.set_audio(audio, None)
    session.set_document(doc)
    widget = TimelineWidget(session, view)
    widget._keep = (session, view)  # the widget does not own them; keep them alive with it
    qtbot.addWidget(widget)
    widget.resize(*size)
    widget.show()
    qtbot.waitExposed(widget)
    return widget, session, view


@pytest.fixture
def chinese(qapp):
    """The application speaks Chinese for the test (windows made after this fixture do too)."""
    from PySide6.QtWidgets import QApplication

    from desktop import i18n

    app = QApplication.instance()
    assert i18n.install_translators(app, i18n.CHINESE) == i18n.CHINESE
    try:
        yield
    finally:
        i18n.install_translators(app, i18n.ENGLISH)


@pytest.fixture(autouse=True)
def _windows_die_in_order():
    """Delete the test's windows at its teardown, in order.

    pytest-qt keeps only weak references: a window held by nothing else (a local of a test that
    returned) was collected whenever Python's cycle collector ran, even in the middle of another
    widget's paint event, which crashed the interpreter in a later test.
    """
    yield
    from PySide6.QtCore import QEvent
    from shiboken6 import isValid

    for win in _windows:
        if isValid(win):
            win.close()
            win.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    _windows.clear()


@pytest.fixture(scope="session")
def jfk_audio():
    """The JFK example decoded once for the whole run (nothing changes an AudioBuffer)."""
    from aligner_core.audio import decode
    from desktop.main_window import EXAMPLE_DIR

    return decode(EXAMPLE_DIR / "jfk.flac")


@pytest.fixture(scope="session")
def example(jfk_audio):
    """(audio, document): the JFK example aligned for real with the offline aligner, once per
    run; tests work on copies (``aligned_example.open_window`` copies the document)."""
    from .aligned_example import align_example

    return jfk_audio, align_example(jfk_audio)
