"""Boundaries: one name per boundary, the window it may move in, and the one edit that moves it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner_core.boundaries import Boundary, boundaries, boundary_ms, canonical, move_boundary, movement_window, window
from aligner_core.document import Cue, Document, Token
from aligner_core.edits import MIN_WORD_MS, EditError, MoveBoundary, SetLocked

M = MIN_WORD_MS


def _doc(duration: int | None = 1000) -> Document:
    # 0:[100,200] 1:[200,300] (touching) 2: unaligned 3:[350,400] 4:[400,500] 5:[600,700]
    times = [(100, 200), (200, 300), (None, None), (350, 400), (400, 500), (600, 700)]
    toks = [Token(f"w{i}", ("w",), s, e) for i, (s, e) in enumerate(times)]
    return Document(toks, [Cue(0, 2), Cue(3, 4, start=340, end=520), Cue(5, 5)], duration, "en")


def T(i: int, side: str) -> Boundary:
    return Boundary.token(i, side)


def test_a_shared_boundary_has_one_name():
    doc = _doc()
    assert canonical(doc, T(1, "start")) == T(0, "end")
    assert canonical(doc, T(4, "start")) == T(3, "end")
    assert canonical(doc, T(3, "start")) == T(3, "start")  # the unaligned word 2 is between
    assert canonical(doc, T(0, "start")) == T(0, "start")
    assert window(doc, T(1, "start")) == window(doc, T(0, "end"))
    assert boundary_ms(doc, T(1, "start")) == 200 and boundary_ms(doc, Boundary.cue(1, "end")) == 520
    assert boundary_ms(doc, T(2, "end")) is None and boundary_ms(doc, T(9, "end")) is None


def test_windows_stop_at_aligned_neighbours_and_keep_the_minimum_length():
    doc = _doc()
    w = window(doc, T(0, "end"))
    assert (w.boundary, w.ms, w.lo, w.hi, w.shared, w.tokens()) == (T(0, "end"), 200, 100 + M, 300 - M, True, (0, 1))
    # word 1's end: the unaligned word 2 has no time to cross, word 3 starts at 350
    w = window(doc, T(1, "end"))
    assert (w.lo, w.hi, w.shared, w.tokens()) == (200 + M, 350, False, (1,))
    w = window(doc, T(3, "start"))
    assert (w.lo, w.hi, w.shared) == (300, 400 - M, False)
    assert movement_window(doc, T(0, "start")) == (0, 200 - M)
    assert movement_window(doc, T(5, "end")) == (600 + M, 1000)  # the end of the audio
    assert movement_window(_doc(None), T(5, "end"))[1] > 10**12  # no audio yet: nothing on the right
    assert window(doc, T(2, "end")) is None and window(doc, T(99, "start")) is None


def test_alone_a_touching_edge_stops_at_its_neighbour():
    doc = _doc()
    w = window(doc, T(0, "end"), alone=True)
    assert (w.boundary, w.lo, w.hi, w.shared, w.tokens()) == (T(0, "end"), 100 + M, 200, False, (0,))
    w = window(doc, T(1, "start"), alone=True)  # not renamed: it is word 1's start alone
    assert (w.boundary, w.lo, w.hi) == (T(1, "start"), 200, 300 - M)


def test_words_shorter_than_the_minimum_grow_but_never_shrink():
    toks = [Token("a", ("a",), 100, 105), Token("b", ("b",), 105, 300), Token("c", ("c",), 400, 400)]
    doc = Document(toks, [], 1000, "en")
    assert movement_window(doc, T(0, "end")) == (105, 300 - M)  # a (5 ms) may only grow
    assert movement_window(doc, T(0, "start")) == (0, 100)
    # a zero-length word: its edges only move outwards
    assert movement_window(doc, T(2, "start")) == (300, 400)
    assert movement_window(doc, T(2, "end")) == (400, 1000)


def test_zero_length_word_between_touching_neighbours():
    toks = [Token("a", ("a",), 0, 200), Token("b", ("b",), 200, 200), Token("c", ("c",), 200, 400)]
    doc = Document(toks, [], 1000, "en")
    # b's start is a's end, b's end is c's start: each grows b from one side only
    assert window(doc, T(1, "start")).boundary == T(0, "end")
    assert movement_window(doc, T(1, "start")) == (M, 200)
    assert movement_window(doc, T(1, "end")) == (200, 400 - M)
    edit = move_boundary(doc, T(1, "end"), 250)
    edit.apply(doc)
    assert [(t.start, t.end) for t in doc.tokens] == [(0, 200), (200, 250), (250, 400)]
    assert doc.problems() == []


def test_locks_bind_the_aligner_not_the_hand():
    doc = _doc()
    SetLocked([1]).apply(doc)
    assert movement_window(doc, T(0, "end")) == (100 + M, 300 - M)  # a locked neighbour still moves with it
    edit = move_boundary(doc, T(0, "end"), 150)
    edit.apply(doc)
    assert doc.tokens[0].locked and doc.tokens[1].locked
    edit.revert(doc)
    assert not doc.tokens[0].locked and doc.tokens[1].locked  # undo does not unlock what was locked before
    SetLocked([0]).apply(doc)
    edit = move_boundary(doc, T(0, "end"), 150)
    assert isinstance(edit, MoveBoundary)  # both locked already: just the move
    edit.apply(doc)
    assert (doc.tokens[0].end, doc.tokens[1].start) == (150, 150)


def test_a_corrected_boundary_locks_its_words_in_one_undoable_step():
    doc = _doc()
    before = doc.copy()
    edit = move_boundary(doc, T(1, "start"), 250)  # the shared boundary, grabbed by its start
    changed = edit.apply(doc)
    assert (doc.tokens[0].end, doc.tokens[1].start) == (250, 250)
    assert doc.tokens[0].locked and doc.tokens[1].locked
    assert list(changed.tokens) == [0, 1] and not changed.structural and not changed.cues
    assert [t.locked for t in doc.tokens[2:]] == [False] * 4
    changed = edit.revert(doc)
    assert doc == before and list(changed.tokens) == [0, 1]
    # alone: one word moves and only it is locked
    edit = move_boundary(doc, T(1, "end"), 330)
    changed = edit.apply(doc)
    assert doc.tokens[1].end == 330 and doc.tokens[1].locked and not doc.tokens[0].locked
    assert list(changed.tokens) == [1]
    edit.revert(doc)
    edit = move_boundary(doc, T(0, "end"), 180, alone=True)
    edit.apply(doc)
    assert (doc.tokens[0].end, doc.tokens[1].start) == (180, 200) and doc.tokens[0].locked and not doc.tokens[1].locked


def test_moves_outside_the_window_or_of_nothing_are_refused_and_change_nothing():
    doc = _doc()
    before = doc.copy()
    with pytest.raises(EditError):
        move_boundary(doc, T(0, "end"), 300 - M + 1)  # would leave word 1 shorter than the minimum
    with pytest.raises(EditError):
        move_boundary(doc, T(0, "end"), 210, alone=True)  # alone it stops where word 1 begins
    with pytest.raises(EditError):
        move_boundary(doc, T(2, "end"), 320)  # an unaligned word has no boundary to move
    with pytest.raises(EditError):
        move_boundary(doc, Boundary.cue(1, "end"), 650)  # past the next cue's start
    assert doc == before
    # a move to where it is corrects nothing and locks nothing
    edit = move_boundary(doc, T(0, "end"), 200)
    assert isinstance(edit, MoveBoundary)
    edit.apply(doc)
    assert doc.tokens == before.tokens


def test_cue_edges_stop_at_their_other_edge_and_the_nearest_timed_cue():
    doc = _doc()
    assert movement_window(doc, Boundary.cue(1, "end")) == (340, 600)
    assert movement_window(doc, Boundary.cue(1, "start")) == (300, 520)
    assert movement_window(doc, Boundary.cue(0, "start")) == (0, 300)
    assert movement_window(doc, Boundary.cue(2, "end")) == (600, 1000)
    # a cue with no times between is no wall: the next timed one is
    toks = [Token("a", ("a",), 0, 100), Token("b", ("b",)), Token("c", ("c",), 500, 600)]
    doc = Document(toks, [Cue(0, 0), Cue(1, 1), Cue(2, 2)], None, "en")
    assert window(doc, Boundary.cue(1, "end")) is None
    assert movement_window(doc, Boundary.cue(2, "start")) == (100, 600)
    assert movement_window(doc, Boundary.cue(0, "end")) == (0, 500)
    assert movement_window(doc, Boundary.cue(2, "end"))[1] > 10**12
    # a cue edge moves the cue's own time and locks no word
    before = doc.copy()
    edit = move_boundary(doc, Boundary.cue(2, "start"), 450)
    changed = edit.apply(doc)
    assert doc.cue_times(doc.cues[2]) == (450, 600) and not any(t.locked for t in doc.tokens)
    assert list(changed.cues) == [2] and not changed.tokens
    edit.revert(doc)
    assert doc == before


def test_the_boundary_walk_names_a_shared_boundary_once():
    doc = _doc()
    walk = boundaries(doc, "token")
    assert walk == [
        (100, T(0, "start")), (200, T(0, "end")), (300, T(1, "end")), (350, T(3, "start")),
        (400, T(3, "end")), (500, T(4, "end")), (600, T(5, "start")), (700, T(5, "end")),
    ]
    assert all(canonical(doc, b) == b for _, b in walk)
    assert [t for t, _ in boundaries(doc, "cue")] == [100, 300, 340, 520, 600, 700]


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 5), st.sampled_from(["start", "end"]), st.booleans(), st.integers(-400, 1400))
def test_any_clamped_move_is_valid_and_undoable(i, side, alone, ms):
    doc = _doc()
    before = doc.copy()
    w = window(doc, T(i, side), alone=alone)
    if w is None:
        assert not doc.tokens[i].aligned
        return
    target = w.clamp(ms)
    edit = move_boundary(doc, T(i, side), target, alone=alone)
    edit.apply(doc)
    assert doc.problems() == []
    assert all(t.end - t.start >= min(M, b.end - b.start) for t, b in zip(doc.tokens, before.tokens) if t.aligned)
    assert all(doc.tokens[k].locked == (k in w.tokens() and target != w.ms) for k in range(len(doc.tokens)))
    edit.revert(doc)
    assert doc == before
