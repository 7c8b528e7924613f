"""One selection: whichever widget made it (word table, timeline, cue table, a time range), every
consumer acts on the same words, cue and time span (desktop.selection)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt

from aligner_core.document import Cue
from aligner_core.edits import ReplaceCues
from desktop.selection import selection

from .aligned_example import open_window
from .test_playback import use_card, wait_stopped
from .test_timeline import CUE_Y, SHIFT, WORD_Y, click, drag

CUES = [Cue(0, 6), Cue(7, 14), Cue(15, 21)]  # JFK's 22 words in three cues


@pytest.fixture
def window(qtbot, example):
    win = open_window(qtbot, *example)
    assert win.session.push(ReplaceCues(CUES), "cues")
    win.session.undo_stack.clear()
    win.resize(1200, 800)
    qtbot.waitExposed(win)
    win.timeline.set_range_ms(0, win.document.duration_ms)  # every word and cue in view
    return win


def _pick_rows(table, first: int, last: int) -> None:
    """Select rows as a user's click and shift-click would (the table tells the view itself)."""
    model = table.model()
    rows = QItemSelection(model.index(first, 0), model.index(last, model.columnCount() - 1))
    table.selectionModel().select(rows, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)


def _selected_rows(table) -> tuple[int, int] | None:
    rows = sorted({i.row() for i in table.selectionModel().selectedRows()})
    return (rows[0], rows[-1]) if rows else None


def _words_span(doc, first: int, last: int) -> tuple[int, int]:
    return doc.tokens[first].start, doc.tokens[last].end


def _middle(doc, i: int) -> float:
    t = doc.tokens[i]
    return (t.start + t.end) / 2


def _check_every_consumer(qtbot, win, words: range, cue: int, cues: range, span: tuple[int, int]) -> None:
    doc, view, plot = win.document, win.view, win.timeline.plot
    bounds = (words.start, words.stop - 1)
    tables = win.tables
    # the tables
    assert _selected_rows(tables.word_table) == bounds
    assert _selected_rows(tables.cue_table) == (cues.start, cues.stop - 1)
    # the timeline: highlighted words and cues, and the span Zoom to selection shows
    assert sorted(i for i, item in plot.shown_words.items() if item._fill is not None) == list(words)
    assert sorted(k for k, item in plot.shown_cues.items() if item._fill == plot.colors.cue_selected_fill) == list(cues)
    assert win.timeline.selection_span() == span
    # alignment: Re-align selection
    assert win.alignment.selected_span() == bounds
    assert win.actions["timing.realign_selection"].isEnabled()
    # editing: the cue Merge takes, where Split cuts, what Lock locks
    assert win.actions["edit.merge_cues"].isEnabled() == (cue + 1 < len(doc.cues))
    assert win.actions["edit.split_cue"].isEnabled() == (doc.cues[cue].first < words.start)
    win.actions["edit.lock"].trigger()
    assert [i for i, t in enumerate(doc.tokens) if t.locked] == list(words)
    win.session.undo_stack.undo()
    assert not any(t.locked for t in doc.tokens)
    # playback: Play selection plays the span and comes back to its start
    card = use_card(win)
    win.actions["play.selection"].trigger()
    wait_stopped(qtbot, win, timeout=10000)
    rate = win.audio.sample_rate
    sound = np.flatnonzero(card.last.played())  # the card keeps playing silence after the range
    assert abs((sound[-1] + 1) - (span[1] - span[0]) * rate / 1000) <= rate // 100
    assert view.playhead_ms == span[0]
    # the find bar looks from the selection: the next "do" at or after its first word
    tables.find_bar.field.setText("do")
    tables.find_bar.find_next()
    dos = [i for i, t in enumerate(doc.tokens) if t.text.strip(",.").lower() == "do"]
    assert view.tokens == (next((i for i in dos if i >= words.start), dos[0]),) * 2


def test_words_picked_in_the_word_table(qtbot, window):
    doc = window.document
    _pick_rows(window.tables.word_table, 8, 10)
    _check_every_consumer(qtbot, window, range(8, 11), 1, range(1, 2), _words_span(doc, 8, 10))


def test_words_clicked_and_shift_clicked_on_the_timeline(qtbot, window):
    doc, plot = window.document, window.timeline.plot
    click(plot, _middle(doc, 3))
    click(plot, _middle(doc, 9), modifiers=SHIFT)
    # words across two cues: the cue of the first word is the one cue actions act on
    _check_every_consumer(qtbot, window, range(3, 10), 0, range(0, 2), _words_span(doc, 3, 9))


def test_a_row_picked_in_the_cue_table(qtbot, window):
    doc = window.document
    _pick_rows(window.tables.cue_table, 2, 2)
    _check_every_consumer(qtbot, window, range(15, 22), 2, range(2, 3), doc.cue_times(doc.cues[2]))


def test_a_cue_clicked_on_the_timeline_selects_its_words_too(qtbot, window):
    doc, plot = window.document, window.timeline.plot
    start, end = doc.cue_times(doc.cues[1])
    click(plot, (start + end) / 2, y=CUE_Y)
    assert window.view.cue == 1 and window.view.tokens is None  # how it was selected...
    _check_every_consumer(qtbot, window, range(7, 15), 1, range(1, 2), (start, end))  # ...and what that means


def test_a_time_range_dragged_on_the_timeline_selects_the_words_inside(qtbot, window):
    doc, plot, view = window.document, window.timeline.plot, window.view
    lo = _middle(doc, 4)
    hi = _middle(doc, 6)
    drag(plot, lo, WORD_Y + 40, (hi - lo) / plot.ms_per_px(), button=Qt.MouseButton.RightButton)
    assert view.time_range is not None and view.tokens is None
    a, b = sorted(view.time_range)
    inside = [i for i, t in enumerate(doc.tokens) if t.start < b and t.end > a]
    assert inside == [4, 5, 6]
    _check_every_consumer(qtbot, window, range(4, 7), 0, range(0, 1), (a, b))


def test_a_selection_left_behind_by_an_undo_is_no_selection_anywhere(window):
    """A cue selected and then undone away (a split taken back) names nothing that is gone."""
    doc, view = window.document, window.view
    view.select(tokens=(16, 16))
    window.actions["edit.split_cue"].trigger()
    assert len(doc.cues) == 4
    view.select(cue=3)
    window.session.undo_stack.undo()  # cue 3 is gone
    sel = selection(doc, view)
    assert sel.cue is None and not sel.tokens and sel.span is None
    assert window.alignment.selected_span() is None
    assert window.timeline.selection_span() is None
    assert not window.actions["edit.lock"].isEnabled()
