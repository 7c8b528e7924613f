"""The alignment controller on the JFK example with the offline aligner: re-align a selection
around locked words, re-align after a text edit, cancel, errors, remembered settings."""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialogButtonBox

from aligner_core.document import Document, Flag
from desktop import settings
from desktop.alignment import AlignmentOptions
from desktop.view_state import Boundary

from .aligned_example import open_window, wait_idle


@pytest.fixture
def window(qtbot, example):
    return open_window(qtbot, *example)


def _times(doc, indices):
    return [(doc.tokens[i].start, doc.tokens[i].end) for i in indices]


def test_realign_selection_keeps_locked_boundaries_as_one_undo_step(qtbot, window):
    doc, view, stack = window.document, window.view, window.session.undo_stack
    # hand-correct "ask" (5): far off what the aligner would say, and locked by the nudge
    view.select(tokens=(5, 5), boundary=Boundary("token", 5, "end"))
    for _ in range(2):
        window.actions["edit.nudge_right_big"].trigger()
    view.select(tokens=(9, 10))
    window.actions["edit.lock"].trigger()
    locked = [i for i, t in enumerate(doc.tokens) if t.locked]
    assert locked == [5, 9, 10]
    kept = _times(doc, locked)
    before = doc.copy()
    steps = stack.count()

    # a time selection on the timeline picks the aligned words inside it
    view.select(time_range=(doc.tokens[3].start + 5, doc.tokens[12].end - 5))
    assert window.alignment.selected_span() == (3, 12)
    window.actions["timing.realign_selection"].trigger()
    assert window.busy and not window.actions["timing.realign_selection"].isEnabled()
    wait_idle(qtbot, window)

    assert _times(doc, locked) == kept  # exactly, to the millisecond
    assert stack.count() == steps + 1
    assert all(t.aligned for t in doc.tokens) and doc.problems() == []
    assert doc.tokens[:3] == before.tokens[:3] and doc.tokens[13:] == before.tokens[13:]
    assert doc.tokens[6].start >= doc.tokens[5].end  # the unlocked neighbour gave way
    assert "words aligned" in window.stage_label.text()
    assert window.session.aligner_info["name"] == "sphinx"
    stack.undo()
    assert doc == before


def test_edit_word_text_then_realign_gives_it_times(qtbot, window):
    doc, view, stack = window.document, window.view, window.session.undo_stack
    view.select(tokens=(9, 9))
    window.actions["edit.lock"].trigger()  # "country" stays where it is
    kept = _times(doc, [9])
    view.select(tokens=(10, 10))
    window.actions["edit.word_text"].trigger()  # F2
    dialog = window.editing.text_dialog
    assert dialog.isVisible() and dialog.textValue() == "can"
    dialog.setTextValue("could really")
    dialog.accept()
    # the edit is one step; the re-align it asked for runs in the background
    assert [t.text for t in doc.tokens[9:13]] == ["country", "could", "really", "do"]
    assert not doc.tokens[10].aligned and doc.tokens[11].flags & Flag.EDITED
    assert window.busy
    wait_idle(qtbot, window)

    assert _times(doc, [9]) == kept
    assert doc.tokens[10].aligned and doc.tokens[11].aligned
    assert doc.tokens[9].end <= doc.tokens[10].start < doc.tokens[11].start <= doc.tokens[12].start
    assert not doc.tokens[11].flags & Flag.EDITED  # aligned with its new text
    assert doc.problems() == []
    assert stack.count() == 2  # lock, then the edit with its re-align: one F2, one undo step
    assert stack.text(1) == "Edit word"
    stack.undo()
    assert doc.tokens[10].text == "can" and len(doc.tokens) == 22


def test_a_realign_asked_for_while_busy_runs_afterwards(qtbot, window):
    doc = window.document
    window.actions["timing.align"].trigger()
    assert window.busy
    window.editing.set_word_text(3, "yellow")  # makes the running result stale
    stack = window.session.undo_stack
    qtbot.waitUntil(lambda: not window.busy and doc.tokens[3].aligned, timeout=60000)
    # the full alignment was dropped (stale); the queued re-align of the edit ran after it and
    # joined the edit's undo step
    assert [stack.text(i) for i in range(stack.count())] == ["Edit word"]
    assert doc.tokens[3].text == "yellow" and doc.tokens[3].aligned
    assert not doc.tokens[3].flags & Flag.EDITED


def test_cancel_stops_the_alignment_and_the_loop_keeps_turning(qtbot, window, example):
    audio, doc = example
    # eight times the speech: long enough that the aligner is mid-work when Cancel comes
    long_audio = replace(audio, samples=np.tile(audio.samples, 8), envelope=None)
    tokens = [replace(t, start=None, end=None, confidence=None, flags=0) for t in doc.tokens] * 8
    window.session.set_audio(long_audio, None)
    window.session.set_document(Document(tokens, [], long_audio.duration_ms, "en"))
    before = window.document.copy()
    ticks = []
    timer = QTimer(window)
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    with qtbot.waitSignal(window.progress.valueChanged, timeout=20000):
        window.actions["timing.align"].trigger()
    qtbot.waitUntil(lambda: len(ticks) >= 10, timeout=20000)
    assert window.busy, "the alignment finished before it could be cancelled"
    running = len(ticks)
    window.cancel_button.click()
    wait_idle(qtbot, window, timeout=5000)  # a cancel the worker ignored would run to the end
    timer.stop()
    assert window.document == before and window.stage_label.text() == "Cancelled"
    # the GUI timer kept ticking while the worker aligned (how evenly: bench/responsiveness.py)
    assert running >= 10


def test_a_language_no_aligner_knows_says_where_to_choose_one(qtbot, window):
    window.alignment.options = AlignmentOptions("auto", "", "auto")
    window.alignment.language = "xx"  # no installed aligner knows it
    before = window.document.copy()
    window.actions["timing.align"].trigger()
    wait_idle(qtbot, window)
    message = window.stage_label.text()
    assert "“xx”" in message and "Alignment settings" in message
    assert "offline aligner" not in message  # English only: never the way out for another language
    assert "--aligner" not in message  # the command line's advice is not the editor's
    assert window.document == before


def test_a_failing_neural_aligner_on_english_names_the_offline_aligner(qtbot, window, tmp_path):
    empty = tmp_path / "no-model"
    empty.mkdir()
    window.alignment.options = AlignmentOptions("ctc", str(empty), "cpu")
    before = window.document.copy()
    window.actions["timing.align"].trigger()
    wait_idle(qtbot, window)
    message = window.stage_label.text()
    assert "config.json" in message and "offline aligner (sphinx)" in message
    assert window.document == before


def test_settings_dialog_applies_and_remembers(qtbot, window):
    window.actions["timing.align_settings"].trigger()
    dialog = window.alignment.settings_dialog
    assert dialog.isVisible()
    assert dialog.language.currentData() == "en"
    dialog.aligner.setCurrentIndex(dialog.aligner.findData("ctc"))
    dialog.model.setText("/models/wav2vec2-fr")
    dialog.device.setCurrentIndex(dialog.device.findData("cuda"))
    dialog.language.setCurrentIndex(dialog.language.findData("fr"))
    assert dialog.model.isEnabled() and dialog.device.isEnabled()
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert window.alignment.options == AlignmentOptions("ctc", "/models/wav2vec2-fr", "cuda")
    assert window.alignment.effective_language == "fr" and window.document.language == "en"
    assert settings.value("align/fr/aligner", "") == "ctc"
    assert settings.value("align/device", "") == "cuda"
    assert AlignmentOptions.load("fr") == window.alignment.options
    assert AlignmentOptions.load("en").aligner != "ctc"  # French's choice stays French's
    assert "CTC" in window.align_action.toolTip()
    # the offline aligner is not offered for French; for English it is, and takes no model and no device
    window.actions["timing.align_settings"].trigger()
    assert dialog.aligner.findData("sphinx") < 0
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.aligner.setCurrentIndex(dialog.aligner.findData("sphinx"))
    assert not dialog.model.isEnabled() and not dialog.device.isEnabled()
    dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
    assert window.alignment.options.aligner == "ctc"
    # a new document speaks for itself again
    window.session.set_document(window.document.copy())
    assert window.alignment.effective_language == "en"
