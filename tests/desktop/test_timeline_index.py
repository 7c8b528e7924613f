"""The timeline's Qt-free lookups: visible ranges, the boundary under the mouse, snapping, incremental updates."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner_core.boundaries import Boundary, canonical
from aligner_core.document import Cue, Document, Token
from aligner_core.edits import (
    CompositeEdit,
    DeleteTokens,
    MoveBoundary,
    MoveCueEdge,
    MoveTokenEdge,
    SetLocked,
    SetTokenTimes,
)
from desktop.timeline.index import TimeIndex, snap


def _doc() -> Document:
    # 0:[100,200] 1:[200,300] (touching) 2: unaligned 3:[350,400] 4:[400,500] 5:[600,700]
    times = [(100, 200), (200, 300), (None, None), (350, 400), (400, 500), (600, 700)]
    toks = [Token(f"w{i}", ("w",), s, e) for i, (s, e) in enumerate(times)]
    return Document(toks, [Cue(0, 2), Cue(3, 4, start=340, end=520), Cue(5, 5)], 1000, "en")


def _index(doc):
    index = TimeIndex()
    index.rebuild(doc)
    return index


def test_visible_words_and_cues():
    index = _index(_doc())
    a, b = index.visible_words(250, 380)
    assert list(index.token_ids[a:b]) == [1, 3]
    a, b = index.visible_words(0, 50)
    assert a == b
    c, d = index.visible_cues(510, 650)
    assert list(index.cue_ids[c:d]) == [1, 2]
    assert index.word_at(450) == 4 and index.word_at(550) is None
    assert index.cue_at(330) is None and index.cue_at(345) == 1


def test_the_boundary_under_the_mouse_is_the_nearest_within_the_tolerance():
    doc = _doc()
    index = _index(doc)
    T = Boundary.token
    assert index.word_boundary(202, 5) == T(0, "end")
    assert index.word_boundary(198, 5) == T(0, "end")
    assert index.word_boundary(299, 5) == T(1, "end")
    assert index.word_boundary(351, 5) == T(3, "start")
    assert index.word_boundary(401, 5) == T(3, "end")  # 3's end is 4's start: the first of equals
    assert index.word_boundary(99, 5) == T(0, "start") == canonical(doc, T(0, "start"))
    assert index.word_boundary(550, 20) is None
    assert index.word_boundary(702, 5) == T(5, "end")
    assert index.word_boundary(325, 20) is None  # the unaligned word has no edge to grab
    assert index.cue_edge(518, 5) == Boundary.cue(1, "end")
    assert index.cue_edge(342, 5) == Boundary.cue(1, "start")
    assert index.cue_edge(560, 20) is None
    assert _index(Document([], [], 1000, "en")).word_boundary(10, 5) is None


def test_snap():
    cands = np.array([100.0, 200.0, 305.0])
    assert snap(298, cands, 8) == 305.0
    assert snap(250, cands, 8) == 250
    assert snap(250, np.array([]), 8) == 250


@pytest.mark.parametrize(
    "edit",
    [
        CompositeEdit([MoveBoundary(0, 150), SetLocked([0, 1])]),
        MoveTokenEdge(1, "end", 320),
        SetTokenTimes(2, 310, 330),  # an unaligned word becomes aligned
        SetTokenTimes(5, None, None),
        MoveCueEdge(1, "end", 560),
        DeleteTokens(3, 1),
    ],
)
def test_incremental_update_matches_a_rebuild(edit):
    doc = _doc()
    index = _index(doc)
    changed = edit.apply(doc)
    index.update(changed)
    fresh = _index(doc)
    for name in ("token_ids", "starts", "ends", "cue_ids", "cue_starts", "cue_ends"):
        assert list(getattr(index, name)) == list(getattr(fresh, name)), name
    changed = edit.revert(doc)
    index.update(changed)
    assert list(index.starts) == list(_index(doc).starts)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(-80, 80)), min_size=1, max_size=12))
def test_random_boundary_moves_keep_the_index_exact(moves):
    doc = _doc()
    index = _index(doc)
    for i, delta in moves:
        tok = doc.tokens[i]
        if not tok.aligned:
            continue
        edit = MoveTokenEdge(i, "end", tok.end + delta)
        try:
            changed = edit.apply(doc)
        except ValueError:
            continue
        assert index.update(changed) in (True, False)
    fresh = _index(doc)
    assert list(index.ends) == list(fresh.ends) and list(index.cue_ends) == list(fresh.cue_ends)


def test_time_axis_labels():
    from desktop.timeline.axis import decimals_for, tick_label

    assert tick_label(2.5, 1, 10) == "2.5"
    assert tick_label(75.25, 2, 120) == "1:15.25"
    assert tick_label(3725, 0, 7200) == "1:02:05"
    assert tick_label(59, 0, 61) == "0:59"  # one style for every tick in view
    assert [decimals_for(s) for s in (30, 1, 0.5, 0.1, 0.05, 0.001)] == [0, 0, 1, 1, 2, 3]


def test_words_without_length_or_times_are_marked_where_they_would_be():
    doc = _doc()
    index = _index(doc)
    # the unaligned word 2 sits in the gap its aligned neighbours leave (300..350)
    assert list(index.marker_ids) == [2] and list(index.marker_ms) == [325]
    assert index.marker_at(327, 5) == 2 and index.marker_at(340, 5) is None
    # a word made zero-length is marked at its time; growing it again removes the mark
    edit = MoveBoundary(3, 350)
    index.update(edit.apply(doc))
    assert doc.tokens[3].start == doc.tokens[3].end == 350
    assert list(index.marker_ids) == [2, 3] and list(index.marker_ms) == [325, 350]
    index.update(edit.revert(doc))
    assert list(index.marker_ids) == [2]
    # moving an aligned neighbour of the unaligned word moves its mark
    index.update(MoveTokenEdge(1, "end", 250).apply(doc))
    assert list(index.marker_ms) == [300]
    # before any alignment nothing is marked (every word would be)
    bare = Document([Token(f"w{i}", ("w",)) for i in range(3)], [], 1000, "en")
    assert len(_index(bare).marker_ids) == 0
