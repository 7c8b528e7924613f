"""Timing post-processors: each tool on hand-built documents, the plan is exactly what changes,
one undoable edit, and (hypothesis) the document's invariants and the word limits hold after any mix."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner_core.document import Cue, Document, Token
from aligner_core.edits import EditError, MoveCueEdge
from aligner_core.timing_tools import (
    CueChange,
    RetimeCues,
    TimingSettings,
    plan,
    plan_chain,
    plan_lead,
    plan_max_duration,
    plan_min_duration,
    plan_min_gap,
    plan_reading_speed,
    plan_snap_frames,
    plan_snap_shots,
)

from .strategies import documents


def _doc(cues=None, duration=5000) -> Document:
    """Three cues: words 100-900 | 1000-1500 | 3000-3400, each cue on its words."""
    spans = [("ask", 100, 400), ("not", 500, 900), ("what", 1000, 1500), ("your", 3000, 3400)]
    tokens = [Token(w, (w,), s, e, 0.9) for w, s, e in spans]
    cues = cues if cues is not None else [Cue(0, 1, 100, 900), Cue(2, 2, 1000, 1500), Cue(3, 3, 3000, 3400)]
    doc = Document(tokens, cues, duration, "en")
    doc.check()
    return doc


def _moves(changes):
    return {c.index: c.new for c in changes}


# -- lead-in / lead-out ---------------------------------------------------------------------------


def test_lead_in_and_out_widen_each_cue_and_share_a_short_gap():
    doc = _doc()
    changes = plan_lead(doc, None, 200, 300)
    # 0..900 and 1000.. want 300 + 200 of a 100 ms gap: it is shared 60:40
    assert _moves(changes) == {0: (0, 960), 1: (960, 1800), 2: (2800, 3700)}
    assert all(c.reasons == ("lead",) for c in changes)
    assert [c.old for c in changes] == [(100, 900), (1000, 1500), (3000, 3400)]


def test_lead_stops_at_zero_and_at_the_end_of_the_audio():
    doc = _doc(duration=3500)
    moves = _moves(plan_lead(doc, None, 500, 500))
    assert moves[0][0] == 0 and moves[2][1] == 3500


def test_lead_on_a_selection_stops_at_unselected_neighbours():
    doc = _doc()
    moves = _moves(plan_lead(doc, [1], 200, 300))
    # the neighbours do not move; cue 1 takes what is free on each side
    assert moves == {1: (900, 1800)}


# -- chain ------------------------------------------------------------------------------------------


def test_chain_closes_gaps_up_to_the_threshold_with_bias():
    doc = _doc()
    assert _moves(plan_chain(doc, None, 100, bias=1.0)) == {0: (100, 1000)}
    assert _moves(plan_chain(doc, None, 100, bias=0.0)) == {1: (900, 1500)}
    assert _moves(plan_chain(doc, None, 100, bias=0.5)) == {0: (100, 950), 1: (950, 1500)}
    # 1500 ms to the last cue is over the threshold
    assert _moves(plan_chain(doc, None, 1499)) == {0: (100, 1000)}
    assert _moves(plan_chain(doc, None, 1500)) == {0: (100, 1000), 1: (1000, 3000)}


def test_chain_leaves_touching_cues_alone_and_moves_only_selected_ones():
    doc = _doc([Cue(0, 1, 100, 1000), Cue(2, 2, 1000, 1500), Cue(3, 3, 3000, 3400)])
    assert plan_chain(doc, None, 50) == []  # a zero gap is chained already
    doc = _doc()
    # cue 1 alone in scope: it takes the whole gap whatever the bias says
    assert _moves(plan_chain(doc, [1], 100, bias=1.0)) == {1: (900, 1500)}


# -- durations and reading speed ----------------------------------------------------------------


def test_min_duration_lengthens_up_to_the_next_cue_and_the_audio():
    doc = _doc(duration=3600)
    moves = _moves(plan_min_duration(doc, None, 1200))
    assert moves == {0: (100, 1000), 1: (1000, 2200), 2: (3000, 3600)}


def test_max_duration_never_cuts_the_last_word():
    doc = _doc([Cue(0, 1, 100, 2500), Cue(2, 2, 2600, 2900), Cue(3, 3, 3000, 3400)])
    # the first cue's words end at 900: 500 ms would cut them, so it ends with them
    assert _moves(plan_max_duration(doc, None, 500)) == {0: (100, 900)}
    assert _moves(plan_max_duration(doc, None, 1000)) == {0: (100, 1100)}


def test_reading_speed_counts_characters_as_the_cue_checker_does():
    doc = _doc()
    # "ask not" is 7 characters: 7 / 10 cps = 700 ms (already 800); "what" 4 -> 400 (has 500)
    assert plan_reading_speed(doc, None, 10.0) == []
    # at 5 cps: "ask not" 1400 ms (the next cue is 100 ms away), "what" and "your" 800 ms
    assert _moves(plan_reading_speed(doc, None, 5.0)) == {0: (100, 1000), 1: (1000, 1800), 2: (3000, 3800)}


# -- minimum gap ---------------------------------------------------------------------------------


def test_min_gap_pulls_the_earlier_end_back_and_may_trim_the_last_word_by_the_gap():
    doc = _doc([Cue(0, 1, 100, 1000), Cue(2, 2, 1000, 1500), Cue(3, 3, 1600, 3400)])
    moves = _moves(plan_min_gap(doc, None, 120))
    # cue 0 ends 120 before cue 1 (its last word, ending at 900, loses 20 ms: within the gap)
    # cue 1's word ends 1500, cue 2 starts 1600: 100 ms, it ends at 1480
    assert moves == {0: (100, 880), 1: (1000, 1480)}


def test_min_gap_cannot_cut_more_than_the_gap_off_a_word():
    doc = _doc([Cue(0, 1, 100, 900), Cue(2, 2, 900, 1500), Cue(3, 3, 3000, 3400)])
    doc.tokens[2] = doc.tokens[2].with_times(900, 1500)
    assert _moves(plan_min_gap(doc, None, 100)) == {0: (100, 800)}
    # a last word shorter than what the gap needs is not cut below its start... nor the cue's
    doc2 = _doc([Cue(0, 1, 100, 900), Cue(2, 2, 900, 1500), Cue(3, 3, 3000, 3400)])
    changes = plan_min_gap(doc2, [0], 5000)
    assert _moves(changes)[0][1] >= 100


# -- snapping ------------------------------------------------------------------------------------


def test_snap_to_shot_changes_within_the_tolerance_only():
    doc = _doc()
    moves = _moves(plan_snap_shots(doc, None, [950, 2900, 3600], 120))
    assert moves == {0: (100, 950), 1: (950, 1500), 2: (2900, 3400)}
    assert plan_snap_shots(doc, None, [950, 2900], 10) == []
    assert plan_snap_shots(doc, None, [], 500) == []


def test_snapping_never_starts_a_cue_after_its_first_word_or_ends_it_before_its_last():
    doc = _doc()
    # 150 would start cue 0 after "ask" begins (100); 850 would end it before "not" ends (900)
    assert plan_snap_shots(doc, [0], [150], 100) == []
    assert plan_snap_shots(doc, [0], [850], 100) == []


def test_snap_to_frames_takes_the_nearest_frame_start_that_keeps_the_words():
    doc = _doc([Cue(0, 1, 100, 910), Cue(2, 2, 1000, 1500), Cue(3, 3, 3000, 3400)])
    moves = _moves(plan_snap_frames(doc, None, 25))
    # 40 ms frames: 100 -> 80 (tie, the earlier: the word starts at 100), 910 -> 920 (880 cuts "not")
    assert moves == {0: (80, 920), 1: (1000, 1520)}
    ntsc = Fraction(30000, 1001)
    for c in plan_snap_frames(doc, None, ntsc, origin_ms=7):
        for ms in c.new:
            assert abs((ms - 7) * ntsc / 1000 - round((ms - 7) * ntsc / 1000)) < Fraction(1, 30)


# -- edge cases ------------------------------------------------------------------------------------


def test_cues_without_times_and_the_first_and_last_cue():
    tokens = [Token("a", ("a",), 0, 200), Token("b", ("b",)), Token("c", ("c",), 4800, 5000)]
    doc = Document(tokens, [Cue(0, 0), Cue(1, 1), Cue(2, 2)], 5000, "en")
    changes = plan(doc, None, TimingSettings(lead_in_ms=100, lead_out_ms=100, min_duration_ms=400))
    # the first cannot start before 0, the last cannot end after the audio, the untimed one is left
    assert _moves(changes) == {0: (0, 400), 2: (4700, 5000)}


def test_overlapping_cues_from_word_times_are_pulled_apart_when_touched():
    tokens = [Token("a", ("a",), 200, 1000), Token("b", ("b",), 1200, 1500)]
    # cue 0 ends with its word (1000) while cue 1's own start is at 800: the document allows it
    doc = Document(tokens, [Cue(0, 0), Cue(1, 1, 800, 1500)], 3000, "en")
    doc.check()
    changes = plan_lead(doc, [0], 100, 0)
    # pinning cue 0's end at its word's would break the document: it ends where cue 1 begins
    assert changes == [CueChange(0, (200, 1000), (100, 800), ("lead", "overlap"))]
    RetimeCues(changes).apply(doc)
    doc.check()


def test_bad_settings_are_refused_in_one_sentence():
    for bad in (dict(lead_in_ms=-1), dict(chain_bias=1.5), dict(max_cps=0), dict(min_duration_ms=900, max_duration_ms=500), dict(fps=0)):
        with pytest.raises(ValueError):
            TimingSettings(**bad)
    with pytest.raises(ValueError):
        plan(_doc(), [7], TimingSettings(lead_in_ms=10))


# -- the edit --------------------------------------------------------------------------------------


def test_the_plan_lists_exactly_what_changes_and_undo_restores_it():
    doc = _doc()
    before = doc.copy()
    settings_ = TimingSettings(lead_in_ms=200, lead_out_ms=300, min_gap_ms=80)
    changes = plan(doc, None, settings_)
    edit = RetimeCues(changes)
    changed = edit.apply(doc)
    assert changed.cues == range(0, 3) and not changed.tokens and not changed.structural
    after = [doc.cue_times(c) for c in doc.cues]
    assert [(c.index, c.new) for c in changes] == [(k, t) for k, t in enumerate(after) if t != before.cue_times(before.cues[k])]
    assert doc.tokens == before.tokens  # word times are never touched
    assert all(c.reasons == ("lead", "min_gap") or c.reasons == ("lead",) for c in changes)
    edit.revert(doc)
    assert doc == before and doc.cues == before.cues
    # the gaps are kept: the minimum gap finds nothing more to do (lead-in/out would add again, as Aegisub's does)
    edit.apply(doc)
    assert plan(doc, None, TimingSettings(min_gap_ms=80)) == []


def test_a_stale_plan_is_refused_and_changes_nothing():
    doc = _doc()
    changes = plan_lead(doc, None, 100, 100)
    MoveCueEdge(1, "end", 1600).apply(doc)
    before = doc.copy()
    with pytest.raises(EditError):
        RetimeCues(changes).apply(doc)
    assert doc == before


def test_an_empty_plan_is_an_edit_that_changes_nothing():
    doc = _doc()
    before = doc.copy()
    changed = RetimeCues([]).apply(doc)
    assert not changed.cues and doc == before


# -- property: any mix of tools keeps every invariant ----------------------------------------------


@st.composite
def _timed_documents(draw):
    doc = draw(documents(min_tokens=1, max_tokens=10))
    # pin some cues' own times around their words, inside the room the neighbours leave
    cues = list(doc.cues)
    prev_end = 0
    for k, cue in enumerate(cues):
        start, end = doc.cue_times(cue)
        if start is None or end is None or not draw(st.booleans()):
            prev_end = end if end is not None else prev_end
            continue
        nxt = next((s for c in cues[k + 1 :] if (s := doc.cue_times(c)[0]) is not None), doc.duration_ms)
        start = draw(st.integers(max(prev_end, start - 300), start + 50)) if start - 300 < start + 50 else start
        start = max(prev_end, start)
        end = max(start, draw(st.integers(end - 50, end + 300)))
        end = min(end, nxt, doc.duration_ms)
        if start > end:
            continue
        cues[k] = replace(cue, start=start, end=end)
        prev_end = end
    doc.cues = cues
    doc.check()
    return doc


_SETTINGS = st.builds(
    TimingSettings,
    lead_in_ms=st.integers(0, 400),
    lead_out_ms=st.integers(0, 400),
    chain_ms=st.integers(0, 800),
    chain_bias=st.floats(0, 1),
    max_cps=st.none() | st.floats(3, 30),
    min_duration_ms=st.integers(0, 1000),
    max_duration_ms=st.none() | st.integers(1000, 4000),
    shots=st.lists(st.integers(0, 6000), max_size=6).map(tuple),
    shot_tolerance_ms=st.integers(0, 300),
    fps=st.none() | st.sampled_from([24, 25, Fraction(30000, 1001)]),
    min_gap_ms=st.integers(0, 200),
)


@settings(max_examples=150, deadline=None)
@given(_timed_documents(), _SETTINGS, st.data())
def test_after_any_tools_the_invariants_and_the_word_limits_hold(doc, timing, data):
    scope = data.draw(st.none() | st.lists(st.integers(0, max(0, len(doc.cues) - 1)), max_size=4, unique=True)) if doc.cues else None
    before = doc.copy()
    changes = plan(doc, scope, timing)
    edit = RetimeCues(changes)
    edit.apply(doc)
    assert not doc.problems(), doc.problems()
    assert doc.tokens == before.tokens
    moved = {c.index for c in changes}
    if scope is not None:
        assert moved <= set(scope)
    for k, (old, new) in enumerate(zip(before.cues, doc.cues)):
        if k not in moved:
            assert old == new
            continue
        ch = next(c for c in changes if c.index == k)
        assert ch.old == before.cue_times(old) and ch.new == (new.start, new.end) and ch.old != ch.new
        words = [t for t in before.tokens[old.first : old.last + 1] if t.aligned]
        if words:
            assert new.start <= max(ch.old[0], words[0].start)
            assert new.end >= min(ch.old[1], words[-1].end - timing.min_gap_ms)
    edit.revert(doc)
    assert doc == before and doc.cues == before.cues
