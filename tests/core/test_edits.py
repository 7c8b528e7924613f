from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner_core.document import Cue, Document, Flag, Token
from aligner_core.edits import (
    ApplyAlignment,
    CompositeEdit,
    DeleteTokens,
    EditError,
    InsertTokens,
    MergeCues,
    MoveBoundary,
    MoveCueEdge,
    MoveTokenEdge,
    ReplaceCues,
    SetLocked,
    SetTokenText,
    SetTokenTimes,
    SplitCue,
    TokenTiming,
)

from .strategies import documents


def _doc() -> Document:
    words = [("ask", 0, 300), ("not", 300, 500), ("what", 600, 900), ("your", 900, 1100), ("country", 1100, 1600)]
    tokens = [Token(w, (w,), s, e, 0.9) for w, s, e in words]
    return Document(tokens, [Cue(0, 1), Cue(2, 4, None, None, (2,))], 2000, "en")


def test_move_shared_boundary_and_revert():
    doc = _doc()
    before = doc.copy()
    edit = MoveBoundary(0, 250)
    changed = edit.apply(doc)
    assert list(changed.tokens) == [0, 1] and not changed.structural
    assert doc.tokens[0].end == 250 and doc.tokens[1].start == 250
    assert doc.revision == 1
    edit.revert(doc)
    assert doc == before and doc.revision == 2


def test_move_boundary_refuses_to_cross_neighbour_and_changes_nothing():
    doc = _doc()
    before = doc.copy()
    with pytest.raises(EditError):
        MoveBoundary(0, 600).apply(doc)  # past the end of word 1
    assert doc == before and doc.revision == 0


def test_move_edge_alone_keeps_order():
    doc = _doc()
    MoveTokenEdge(2, "start", 550).apply(doc)
    assert doc.tokens[2].start == 550 and doc.tokens[1].end == 500
    with pytest.raises(EditError):
        MoveTokenEdge(2, "start", 450).apply(doc)  # would overlap word 1
    with pytest.raises(EditError):
        MoveTokenEdge(4, "end", 2500).apply(doc)  # past the end of the audio
    with pytest.raises(EditError):
        MoveTokenEdge(3, "end", 800).apply(doc)  # before its own start


def test_set_times_can_unalign_and_realign():
    doc = _doc()
    SetTokenTimes(1, None, None).apply(doc)
    assert not doc.tokens[1].aligned
    SetTokenTimes(1, 320, 480).apply(doc)
    assert doc.tokens[1].start == 320


def test_cue_edge_and_overlap():
    doc = _doc()
    MoveCueEdge(0, "end", 560).apply(doc)
    assert doc.cue_times(doc.cues[0]) == (0, 560)
    with pytest.raises(EditError):
        MoveCueEdge(1, "start", 500).apply(doc)  # would overlap cue 0 in time


def test_text_edit_flags_and_refuses_empty():
    doc = _doc()
    SetTokenText(1, "not,", ("not",)).apply(doc)
    assert doc.tokens[1].text == "not," and doc.tokens[1].flags & Flag.EDITED
    with pytest.raises(EditError):
        SetTokenText(1, "  ").apply(doc)


def test_insert_inside_cue_grows_it_and_shifts_layout():
    doc = _doc()
    ed = InsertTokens(3, [Token("all", ("all",))])
    changed = ed.apply(doc)
    assert changed.structural
    assert doc.cues[1] == Cue(2, 5, None, None, (3,))
    assert doc.cue_lines(doc.cues[1]) == ["what all your", "country"]
    assert not doc.problems()


def test_insert_at_line_start_ends_previous_line_and_append():
    doc = _doc()
    InsertTokens(4, [Token("great", ("great",))]).apply(doc)
    assert doc.cue_lines(doc.cues[1]) == ["what your great", "country"]
    InsertTokens(len(doc.tokens), [Token("now", ("now",))]).apply(doc)
    assert doc.cues[-1].last == len(doc.tokens) - 1


def test_delete_shrinks_and_removes_cues():
    doc = _doc()
    before = doc.copy()
    ed = DeleteTokens(0, 3)
    ed.apply(doc)
    assert [t.text for t in doc.tokens] == ["your", "country"]
    assert doc.cues == [Cue(0, 1, None, None, (1,))]
    ed.revert(doc)
    assert doc == before


def test_split_and_merge():
    doc = _doc()
    SplitCue(1, 3).apply(doc)
    assert [(c.first, c.last) for c in doc.cues] == [(0, 1), (2, 2), (3, 4)]
    assert doc.cues[2].line_starts == (1,)
    MergeCues(1).apply(doc)
    assert doc.cues[1] == Cue(2, 4, None, None, (1, 2))
    with pytest.raises(EditError):
        SplitCue(0, 0).apply(doc)


def test_align_result_keeps_locked_words():
    doc = _doc()
    SetLocked([1], True).apply(doc)
    timings = [TokenTiming(10, 290, 0.5), TokenTiming(0, 1, 0.1), TokenTiming(650, 880, 0.7)]
    ApplyAlignment(0, timings).apply(doc)
    assert doc.tokens[0].start == 10
    assert (doc.tokens[1].start, doc.tokens[1].end) == (300, 500)  # locked: untouched
    assert doc.tokens[2].start == 650


def test_composite_is_all_or_nothing():
    doc = _doc()
    before = doc.copy()
    bad = CompositeEdit([MoveBoundary(0, 200), MoveBoundary(2, 5000)], "Two moves")
    with pytest.raises(EditError):
        bad.apply(doc)
    assert doc == before
    good = CompositeEdit([MoveBoundary(0, 200), SetLocked([0, 1])], "Move and lock")
    good.apply(doc)
    assert doc.tokens[0].locked and doc.tokens[0].end == 200
    good.revert(doc)
    assert doc == before


def test_cue_edge_cannot_pass_the_other_edge():
    doc = _doc()
    with pytest.raises(EditError):
        MoveCueEdge(0, "start", 700).apply(doc)  # cue 0 ends at 500


def test_insert_before_a_later_cue_shifts_it():
    doc = _doc()
    InsertTokens(1, [Token("just", ("just",))]).apply(doc)
    assert [(c.first, c.last) for c in doc.cues] == [(0, 2), (3, 5)]
    assert doc.cue_lines(doc.cues[1]) == ["what your", "country"]


def test_edit_cannot_be_applied_twice():
    doc = _doc()
    ed = MoveBoundary(0, 250)
    ed.apply(doc)
    with pytest.raises(EditError):
        ed.apply(doc)


# -- property: any edit sequence, reverted in reverse order, gives back an equal document ---------


@st.composite
def edit_for(draw, doc: Document):
    n, nc = len(doc.tokens), len(doc.cues)
    idx = st.integers(0, max(n, 1))
    ms = st.integers(-100, (doc.duration_ms or 1000) + 200)
    kind = draw(st.sampled_from(["boundary", "edge", "times", "cue_edge", "text", "insert", "delete", "split", "merge", "lock", "align", "recue"]))
    if kind == "boundary":
        return MoveBoundary(draw(idx), draw(ms))
    if kind == "edge":
        return MoveTokenEdge(draw(idx), draw(st.sampled_from(["start", "end"])), draw(ms))
    if kind == "times":
        return SetTokenTimes(draw(idx), draw(ms), draw(ms))
    if kind == "cue_edge":
        return MoveCueEdge(draw(st.integers(0, max(nc, 1))), draw(st.sampled_from(["start", "end"])), draw(ms))
    if kind == "text":
        return SetTokenText(draw(idx), draw(st.sampled_from(["new", "字", "x,", ""])))
    if kind == "insert":
        return InsertTokens(draw(idx), [Token("ins", ("ins",))] * draw(st.integers(1, 3)))
    if kind == "delete":
        return DeleteTokens(draw(idx), draw(st.integers(1, 3)))
    if kind == "split":
        return SplitCue(draw(st.integers(0, max(nc, 1))), draw(idx))
    if kind == "merge":
        return MergeCues(draw(st.integers(0, max(nc, 1))))
    if kind == "lock":
        return SetLocked(draw(st.lists(st.integers(0, max(n - 1, 0)), max_size=3)), draw(st.booleans()))
    if kind == "align":
        first = draw(st.integers(0, max(n - 1, 0)))
        count = draw(st.integers(0, max(n - first, 0)))
        t = draw(st.integers(0, 200))
        timings = []
        for _ in range(count):
            timings.append(TokenTiming(t, t + 50, 0.5))
            t += draw(st.integers(50, 200))
        return ApplyAlignment(first, timings)
    return ReplaceCues([Cue(i, i) for i in range(0, n, 2)])


def _must_succeed(edit, doc: Document) -> bool:
    """Edits that are valid whatever the times: refusing them would be a bug."""
    n, nc = len(doc.tokens), len(doc.cues)
    if isinstance(edit, InsertTokens):
        return 0 <= edit.index <= n
    if isinstance(edit, DeleteTokens):
        return edit.index + edit.count <= n
    if isinstance(edit, SplitCue):
        return edit.cue_index < nc and doc.cues[edit.cue_index].first < edit.at <= doc.cues[edit.cue_index].last and not _has_cue_times(doc)
    if isinstance(edit, MergeCues):
        return edit.cue_index + 1 < nc
    if isinstance(edit, (SetLocked, ReplaceCues)):
        return all(i < n for i in getattr(edit, "indices", []))
    if isinstance(edit, SetTokenText):
        return edit.index < n and edit.text.strip() != ""
    return False


def _has_cue_times(doc: Document) -> bool:
    return any(c.start is not None or c.end is not None for c in doc.cues)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_any_edit_sequence_reverts_to_equal_document(data):
    doc = data.draw(documents())
    original = doc.copy()
    applied = []
    for _ in range(data.draw(st.integers(1, 12))):
        edit = data.draw(edit_for(doc))
        snapshot = doc.copy()
        try:
            changed = edit.apply(doc)
        except (EditError, ValueError):
            assert doc == snapshot  # a refused edit changes nothing
            assert not _must_succeed(edit, doc), edit
            continue
        assert not doc.problems(), (edit, doc.problems())
        assert all(0 <= i < len(doc.tokens) for i in changed.tokens)
        applied.append(edit)
    for edit in reversed(applied):
        edit.revert(doc)
        assert not doc.problems()
    assert doc == original


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_changed_indices_cover_every_changed_token(data):
    doc = data.draw(documents(min_tokens=1))
    edit = data.draw(edit_for(doc))
    before = doc.copy()
    try:
        changed = edit.apply(doc)
    except (EditError, ValueError):
        return
    if not changed.structural:
        for i, (a, b) in enumerate(zip(before.tokens, doc.tokens)):
            if a != b:
                assert i in changed.tokens
        for i, (a, b) in enumerate(zip(before.cues, doc.cues)):
            if a != b:
                assert i in changed.cues


def test_a_deletion_joined_with_a_later_edit_still_reports_where_it_happened():
    from aligner_core.edits import Changed

    deletion = Changed(tokens=range(3, 3), cues=range(1, 1), structural=True)
    later = Changed(tokens=range(10, 12), cues=range(4, 5))
    for joined in (deletion | later, later | deletion):
        assert joined.structural
        assert joined.tokens == range(3, 12) and joined.cues == range(1, 5)
    # an empty report of a change that moved nothing still adds nothing
    assert (Changed() | later).tokens == range(10, 12)
