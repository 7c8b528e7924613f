"""Playback without a sound device says so where people look, and keeps saying it after a file opens."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel

from .aligned_example import AUDIO, wait_idle
from .conftest import new_window


def test_no_sound_device_is_said_in_the_status_bar_and_the_menu_and_stays(qtbot, monkeypatch):
    monkeypatch.setitem(sys.modules, "sounddevice", None)  # what a missing libportaudio looks like to us
    win = new_window(qtbot)
    reason = win.playback.unavailable_reason
    assert reason and "Playback is unavailable" in reason
    label = win.statusBar().findChild(QLabel, "playback-unavailable")
    assert label is not None and label.isVisible() and label.text() == reason
    menu = win.menus["playback"]
    notice = menu.actions()[0]
    assert notice.text() == reason and notice.isVisible() and not notice.isEnabled()
    win.open_files([str(AUDIO)])
    wait_idle(qtbot, win)
    assert "jfk.flac" in win.stage_label.text()  # the opening message ...
    assert label.isVisible() and label.text() == reason  # ... did not replace the notice
    assert not win.actions["play.toggle"].isEnabled()


def test_with_a_device_there_is_no_notice(qtbot):
    from .test_playback import FakeCard  # the fake sound card of the playback tests

    win = new_window(qtbot)
    win.playback.set_stream_factory(FakeCard())
    label = win.statusBar().findChild(QLabel, "playback-unavailable")
    assert not label.isVisible() and not win.menus["playback"].actions()[0].isVisible()
