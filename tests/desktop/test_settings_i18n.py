"""Settings persistence, translations, the shortcuts and about dialogs."""

from __future__ import annotations

from desktop import settings
from desktop.main_window import MainWindow


def _window(qtbot) -> MainWindow:
    win = MainWindow()
    win.setProperty("quiet_errors", True)
    qtbot.addWidget(win)
    return win


def test_settings_values_come_back_as_the_default_type(qapp):
    assert settings.value("test/flag", True) is True  # unset: the default
    settings.set_value("test/flag", False)
    settings.set_value("test/count", 12)
    settings.set_value("test/name", "x")
    assert settings.value("test/flag", True) is False
    assert settings.value("test/count", 0) == 12
    assert settings.value("test/name", "") == "x"
    settings.set_value("test/count", "not a number")
    assert settings.value("test/count", 7) == 7  # unreadable: the default, not a crash
    settings.remove("test/flag")
    assert settings.value("test/flag", True) is True


def test_geometry_and_splitter_sizes_are_restored(qtbot):
    first = _window(qtbot)
    first.show()
    qtbot.waitExposed(first)
    first.resize(700, 520)  # inside the 800x600 offscreen screen: restoring clamps to it
    first.splitter.setSizes([150, 400])
    qtbot.waitUntil(lambda: first.width() == 700)
    sizes = first.splitter.sizes()
    assert first.close()

    second = _window(qtbot)
    second.show()
    qtbot.waitExposed(second)
    assert (second.width(), second.height()) == (700, 520)
    assert second.splitter.sizes() == sizes
    assert sizes[0] < sizes[1]


def test_first_start_has_default_layout(qtbot):
    win = _window(qtbot)
    assert settings.restore_window(win) is False
    assert win.width() == 1200
