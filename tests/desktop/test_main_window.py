from __future__ import annotations

import pytest

from desktop.app import main
from desktop.main_window import EXAMPLE_DIR, MainWindow


@pytest.fixture
def window(qtbot):
    win = MainWindow()
    win.setProperty("quiet_errors", True)  # errors go to the status bar, not a modal dialog
    qtbot.addWidget(win)
    win.show()
    return win


def _wait_idle(qtbot, win, timeout=60000):
    qtbot.waitUntil(lambda: win._task is None, timeout=timeout)


def test_open_example_shows_waveform_and_words(qtbot, window):
    window.open_example()
    _wait_idle(qtbot, window)
    assert window.audio is not None and window.audio.envelope is not None
    assert window.word_model.rowCount() == 22
    assert window.word_model.index(0, 0).data() == "And"
    assert window.document.duration_ms == window.audio.duration_ms
    assert abs(window.audio.duration_ms - 11000) < 500
    assert "jfk.flac" in window.windowTitle()


def test_bad_audio_reports_and_keeps_window_alive(qtbot, window, tmp_path):
    bad = tmp_path / "broken.wav"
    bad.write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunk" * 10)
    window.open_files([str(bad)])
    _wait_idle(qtbot, window)
    assert window.audio is None
    assert "broken.wav" in window.stage_label.text()


def test_empty_transcript_is_refused_with_a_message(qtbot, window, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\n", encoding="utf-8")
    window.open_files([str(empty)])
    assert window.document is None
    assert "no words" in window.stage_label.text()


def test_help_names_both_modes(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "wordsync align" in out and "open the editor" in out
