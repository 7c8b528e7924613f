"""Untranscribed spans in the editor (issues 11 and 14): shaded on the timeline, and Timing →
Transcribe this span drafts their words with the real offline recogniser as one undo step."""

from __future__ import annotations

import pytest

from aligner_core.document import Flag
from aligner_core.edits import DeleteTokens, SetUntranscribed
from desktop import settings

from .aligned_example import open_window, wait_idle

DROPPED = 5  # "And so, my fellow Americans," left out of the transcript


@pytest.fixture
def window(qtbot, example):
    audio, doc = example
    win = open_window(qtbot, audio, doc)
    win.timeline.set_range_ms(0, 11_000)
    return win


def _shaded(win) -> int:
    shade = win.timeline.plot.span_shade
    return 0 if shade is None else len(shade.rects)


def test_spans_are_shaded_only_in_view_and_follow_undo(qtbot, window):
    plot = window.timeline.plot
    assert plot.span_shade is None  # no spans: no item at all
    assert window.session.push(SetUntranscribed(0, 11_000, [(1000, 2000), (9000, 9500)]))
    assert _shaded(window) == 2
    rect = plot.span_shade.rects[0]
    assert abs(rect.left() - plot.x_of(1000)) <= 1.5 and abs(rect.right() - plot.x_of(2000)) <= 1.5
    window.timeline.set_range_ms(5000, 8000)
    assert _shaded(window) == 0  # neither is in view
    window.timeline.set_range_ms(8000, 11_000)
    assert _shaded(window) == 1
    window.actions["edit.undo"].trigger()
    assert plot.span_shade is None


def test_transcribe_this_span_drafts_the_left_out_words_as_one_undo_step(qtbot, window):
    session = window.session
    first_kept = session.document.tokens[DROPPED].start
    assert session.push(DeleteTokens(0, DROPPED))
    assert session.push(SetUntranscribed(0, 11_000, [(0, first_kept - 50)]))
    before = session.document.copy()
    steps = session.undo_stack.count()
    action = window.actions["timing.transcribe_span"]
    window.view.set_playhead(first_kept + 2000)  # on words, not on the span
    assert not action.isEnabled()
    window.view.set_playhead(first_kept // 2)
    assert action.isEnabled()
    settings.set_value("transcribe/asr", "sphinx")
    settings.set_value("transcribe/language", "en")
    action.trigger()
    assert window.busy and not action.isEnabled()
    wait_idle(qtbot, window)
    doc = session.document
    drafted = len(doc.tokens) - len(before.tokens)
    assert drafted > 0, window.stage_label.text()
    assert all(t.flags & Flag.DRAFT and t.end <= first_kept for t in doc.tokens[:drafted])
    assert doc.tokens[drafted:] == before.tokens
    assert doc.untranscribed == [] and window.timeline.plot.span_shade is None
    assert "words drafted" in window.stage_label.text()
    assert session.undo_stack.count() == steps + 1
    window.actions["edit.undo"].trigger()
    assert session.document == before and _shaded(window) == 1


def test_a_selection_on_a_span_picks_it_and_a_stale_draft_is_dropped(qtbot, window):
    session = window.session
    assert session.push(SetUntranscribed(0, 11_000, [(200, 1500)]))
    window.view.select(time_range=(1000, 4000))
    assert window.span_transcription.span() == (200, 1500)
    settings.set_value("transcribe/asr", "sphinx")
    settings.set_value("transcribe/language", "en")
    window.actions["timing.transcribe_span"].trigger()
    assert session.push(SetUntranscribed(0, 11_000, [(200, 1400)]))  # the user moved on meanwhile
    edited = session.document.copy()
    wait_idle(qtbot, window)
    assert session.document == edited
    assert "dropped" in window.stage_label.text()


def test_an_alignment_and_its_spans_are_one_undo_step(qtbot, window):
    session = window.session
    assert session.push(SetUntranscribed(0, 11_000, [(10_900, 11_000)]))
    before = session.document.copy()
    steps = session.undo_stack.count()
    window.actions["timing.align"].trigger()
    wait_idle(qtbot, window)
    assert session.undo_stack.count() == steps + 1
    assert (10_900, 11_000) not in session.document.untranscribed  # the whole file was aligned again
    window.actions["edit.undo"].trigger()
    assert session.document == before
