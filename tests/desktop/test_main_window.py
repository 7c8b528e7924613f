from __future__ import annotations

import pytest

from desktop.app import main

from .aligned_example import wait_idle as _wait_idle
from .conftest import new_window


@pytest.fixture
def window(qtbot):
    return new_window(qtbot)


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


def test_align_example_in_background_keeps_event_loop_turning(qtbot, window):
    from PySide6.QtCore import QTimer

    window.open_example()
    _wait_idle(qtbot, window)
    ticks = []
    timer = QTimer(window)
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    window.align_action.trigger()
    assert window.busy  # running on its worker thread
    _wait_idle(qtbot, window, timeout=120000)
    timer.stop()
    doc = window.document
    aligned = [t for t in doc.tokens if t.aligned]
    assert len(aligned) == 22
    assert all(a.end <= b.start for a, b in zip(aligned, aligned[1:]))
    assert aligned[-1].end <= doc.duration_ms
    assert len(ticks) >= 5, "the GUI thread was blocked while aligning"
    assert "22 of 22 words aligned" in window.stage_label.text()
    assert window.word_model.index(0, 1).data() != "—"


def test_cancel_alignment_changes_nothing(qtbot, window):
    window.open_example()
    _wait_idle(qtbot, window)
    before = window.document.copy()
    window.align_action.trigger()
    window.cancel_task()
    _wait_idle(qtbot, window, timeout=10000)
    assert window.document == before
    assert window.stage_label.text() == "Cancelled"


def test_result_for_an_older_revision_is_dropped(qtbot, window):
    from aligner_core.edits import SetLocked

    window.open_example()
    _wait_idle(qtbot, window)
    window.align_action.trigger()
    assert window.session.push(SetLocked([0]))  # the user edits while the aligner runs
    _wait_idle(qtbot, window, timeout=120000)
    assert not any(t.aligned for t in window.document.tokens)
    assert "dropped" in window.stage_label.text()
