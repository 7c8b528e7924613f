"""The review policy (aligner_core.review): what needs review, why, and the index kept from edits."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from aligner_core.align.confidence import LOW_CONFIDENCE
from aligner_core.document import Cue, Document, Flag, Token
from aligner_core.edits import (
    ApplyAlignment,
    CompositeEdit,
    DeleteTokens,
    EditError,
    InsertTokens,
    MarkReviewed,
    MergeCues,
    MoveBoundary,
    MoveTokenEdge,
    ReplaceCues,
    SetLocked,
    SetTokenText,
    SplitCue,
    TokenTiming,
)
from aligner_core.retext import retext
from aligner_core.review import Mark, ReviewIndex, is_draft, is_low, mark, needs_review, review_reasons

from .strategies import documents


def tok(text="word", start=0, end=100, confidence=0.9, flags=0, **kw) -> Token:
    return Token(text, (text,), start, end, confidence, int(flags), **kw)


def scan(tokens, predicate=needs_review) -> list[int]:
    return [i for i, t in enumerate(tokens) if predicate(t)]


# -- the policy --------------------------------------------------------------------------------------


def test_any_flag_or_a_confidence_under_the_one_threshold_needs_review():
    assert not needs_review(tok())
    assert not needs_review(tok(confidence=None))  # unknown is not low
    assert not needs_review(tok(confidence=LOW_CONFIDENCE))
    assert needs_review(tok(confidence=LOW_CONFIDENCE - 0.01))
    for flag in Flag:
        if flag:
            assert needs_review(tok(flags=flag)), flag


def test_reasons_name_a_low_confidence_no_aligner_flagged():
    assert review_reasons(tok()) == Flag.NONE
    assert review_reasons(tok(confidence=0.2)) == Flag.LOW_CONFIDENCE
    assert review_reasons(tok(confidence=0.2, flags=Flag.DRAFT)) == Flag.LOW_CONFIDENCE | Flag.DRAFT
    assert review_reasons(tok(flags=Flag.GUESSED_PRONUNCIATION)) == Flag.GUESSED_PRONUNCIATION


def test_low_confidence_as_the_summaries_count_it_is_the_flag_or_the_value():
    assert is_low(tok(confidence=0.2)) and is_low(tok(flags=Flag.LOW_CONFIDENCE, confidence=0.9))
    assert not is_low(tok(flags=Flag.DRAFT)) and not is_low(tok(confidence=None))
    # an aligner's answer before it is applied is judged the same way
    assert is_low(TokenTiming(0, 10, 0.1)) and not is_low(TokenTiming(0, 10, 0.9, int(Flag.INTERPOLATED)))
    assert all(is_low(t) == bool(review_reasons(t) & Flag.LOW_CONFIDENCE) for t in (tok(confidence=0.2), tok(), tok(flags=Flag.LOW_CONFIDENCE)))


def test_marks_rank_missing_over_low_over_flagged_over_edited():
    assert mark(tok()) is Mark.NONE
    assert mark(tok(flags=Flag.EDITED)) is Mark.EDITED
    assert mark(tok(flags=Flag.EDITED | Flag.DRAFT)) is Mark.FLAGGED
    assert mark(tok(flags=Flag.INTERPOLATED, confidence=0.1)) is Mark.LOW
    assert mark(tok(flags=Flag.LOW_CONFIDENCE)) is Mark.LOW
    for missing in (Flag.NOT_FOUND, Flag.CLAMPED, Flag.COLLAPSED):
        assert mark(tok(flags=missing | Flag.LOW_CONFIDENCE)) is Mark.MISSING
    # whatever the mark, a marked word needs review and an unmarked one does not
    for t in (tok(), tok(confidence=0.3), tok(flags=Flag.EDITED), tok(flags=Flag.ZERO_DURATION)):
        assert (mark(t) is not Mark.NONE) == needs_review(t)


def _draft_doc() -> Document:
    tokens = [
        tok("so", 0, 100, 0.9, Flag.DRAFT),
        tok("ask", 100, 200, 0.2, Flag.DRAFT | Flag.LOW_CONFIDENCE),
        tok("not", 200, 300, 0.9, Flag.DRAFT),
        tok("what", 300, 400, 0.95),
    ]
    return Document(tokens, [Cue(0, 3)], 1000, "en")


def test_a_draft_needs_review_until_accepted_and_accepting_vouches_for_the_text_only():
    doc = _draft_doc()
    assert scan(doc.tokens) == [0, 1, 2]
    assert scan(doc.tokens, is_draft) == [0, 1, 2]
    MarkReviewed([0, 1]).apply(doc)
    assert scan(doc.tokens, is_draft) == [2]
    # word 1 was accepted but the aligner still doubts where it is
    assert scan(doc.tokens) == [1, 2]
    assert review_reasons(doc.tokens[1]) == Flag.LOW_CONFIDENCE


def test_re_aligning_keeps_a_draft_and_correcting_its_text_turns_it_into_an_edited_word():
    doc = _draft_doc()
    ApplyAlignment(0, [TokenTiming(0, 90, 0.99), TokenTiming(100, 190, 0.99), TokenTiming(200, 290, 0.99), TokenTiming(300, 400, 0.99)]).apply(doc)
    assert scan(doc.tokens, is_draft) == [0, 1, 2]  # a recognised word stays unreviewed
    SetTokenText(2, "knot").apply(doc)
    assert not is_draft(doc.tokens[2])
    assert mark(doc.tokens[2]) is Mark.EDITED and needs_review(doc.tokens[2])  # until re-aligned
    ApplyAlignment(2, [TokenTiming(200, 290, 0.99)]).apply(doc)
    assert not needs_review(doc.tokens[2])


# -- walking -----------------------------------------------------------------------------------------


def test_next_and_previous_wrap_around_once():
    tokens = [tok(confidence=0.1 if i in (2, 5, 9) else 0.9) for i in range(12)]
    index = ReviewIndex(tokens)
    assert list(index) == [2, 5, 9] and len(index) == 3
    assert index.next_after(-1) == 2  # nothing selected: from the top
    assert index.next_after(2) == 5
    assert index.next_after(6) == 9
    assert index.next_after(9) == 2 and index.wrapped(9)
    assert not index.wrapped(5)
    assert index.next_after(12, -1) == 9  # nothing selected, backwards: from the bottom
    assert index.next_after(5, -1) == 2
    assert index.next_after(2, -1) == 9 and index.wrapped(2, -1)
    assert index.count_in(3, 9) == 2 and index.count_in(6, 8) == 0
    assert index.between(3, 9) == [5, 9] and index.between(6, 8) == []
    assert 5 in index and 4 not in index


def test_the_only_word_to_review_is_found_again_from_itself_and_an_empty_index_finds_none():
    tokens = [tok(), tok(flags=Flag.ZERO_DURATION, start=100, end=100), tok(start=100, end=200)]
    index = ReviewIndex(tokens)
    assert index.next_after(1) == 1 and index.next_after(1, -1) == 1
    empty = ReviewIndex([tok(), tok(start=100, end=200)])
    assert not empty and empty.next_after(0) is None and empty.next_after(0, -1) is None


# -- kept from the edits' changed indices ------------------------------------------------------------


def _random_edit(draw, doc: Document):
    """One real edit of ``doc`` (it may be refused when applied, as a user's can be)."""
    n, nc = len(doc.tokens), len(doc.cues)
    aligned = [i for i, t in enumerate(doc.tokens) if t.aligned]
    kinds = ["insert", "cues"]
    if n:
        kinds += ["delete", "text", "lock", "review", "align", "retext", "transcribe"]
    if len(aligned) >= 1:
        kinds += ["edge"]
    if any(i + 1 < n and doc.tokens[i + 1].aligned for i in aligned):
        kinds += ["boundary"]
    if nc:
        kinds += ["split", "merge"]
    kind = draw(st.sampled_from(kinds))
    conf = st.one_of(st.none(), st.floats(0, 1))
    flags = st.sampled_from([0, int(Flag.LOW_CONFIDENCE), int(Flag.DRAFT), int(Flag.NOT_FOUND | Flag.LOW_CONFIDENCE), int(Flag.INTERPOLATED)])
    if kind == "insert":
        at = draw(st.integers(0, n))
        new = [Token(w, (w,), confidence=draw(conf), flags=draw(flags)) for w in draw(st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=3))]
        return InsertTokens(at, new)
    if kind == "cues":
        return ReplaceCues([Cue(0, n - 1)] if n else [])
    if kind == "delete":
        at = draw(st.integers(0, n - 1))
        return DeleteTokens(at, draw(st.integers(1, n - at)))
    if kind == "text":
        return SetTokenText(draw(st.integers(0, n - 1)), draw(st.sampled_from(["x", "y"])))
    if kind == "lock":
        return SetLocked(draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=4)), draw(st.booleans()))
    if kind == "review":
        return MarkReviewed(draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=4)))
    if kind == "align":
        first = draw(st.integers(0, n - 1))
        count = draw(st.integers(1, n - first))
        return ApplyAlignment(first, [TokenTiming(None, None, draw(conf), draw(flags)) for _ in range(count)])
    if kind == "retext":
        first = draw(st.integers(0, n - 1))
        last = draw(st.integers(first, min(n - 1, first + 2)))
        return retext(doc, first, last, draw(st.sampled_from(["", "one", "one two", "so, ask not"])))[0]
    if kind == "transcribe":  # the whole document replaced in one step, as a transcription does
        new = [Token(w, (w,), confidence=draw(conf), flags=int(Flag.DRAFT)) for w in ("a", "b")]
        return CompositeEdit([DeleteTokens(0, n), InsertTokens(0, new), ReplaceCues([Cue(0, 1)])], "Transcribe")
    if kind == "edge":
        i = draw(st.sampled_from(aligned))
        t = doc.tokens[i]
        return MoveTokenEdge(i, draw(st.sampled_from(["start", "end"])), draw(st.integers(max(0, t.start - 50), t.end + 50)))
    if kind == "boundary":
        i = draw(st.sampled_from([i for i in aligned if i + 1 < n and doc.tokens[i + 1].aligned]))
        a, b = doc.tokens[i], doc.tokens[i + 1]
        move = MoveBoundary(i, draw(st.integers(a.start, max(a.start, b.end))))
        return CompositeEdit([move, SetLocked([i, i + 1])], "Move boundary")  # a drag's end
    c = draw(st.integers(0, nc - 1))
    cue = doc.cues[c]
    if kind == "split":
        return SplitCue(c, draw(st.integers(cue.first, cue.last)))
    return MergeCues(c)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_the_index_equals_a_full_scan_after_any_sequence_of_edits_undos_and_redos(data):
    doc = data.draw(documents(max_tokens=10))
    # a few drafts among the strategy's flags, so accepting has something to accept
    doc.tokens[:] = [t if k % 3 else Token(**{**t.__dict__, "flags": int(t.flags) | int(Flag.DRAFT)}) for k, t in enumerate(doc.tokens)]
    index, drafts = ReviewIndex(doc.tokens), ReviewIndex(doc.tokens, is_draft)
    done: list = []
    redo: list = []
    for _ in range(data.draw(st.integers(1, 12))):
        action = data.draw(st.sampled_from(["edit", "edit", "edit", "undo", "redo"]))
        if action == "undo" and done:
            edit = done.pop()
            changed = edit.revert(doc)
            redo.append(edit)
        elif action == "redo" and redo:
            edit = redo.pop()
            changed = edit.apply(doc)  # the document is as it was when the edit was first applied
            done.append(edit)
        else:
            edit = _random_edit(data.draw, doc)
            try:
                changed = edit.apply(doc)
            except EditError:
                continue
            done.append(edit)
            redo.clear()
        index.update(doc.tokens, changed)
        drafts.update(doc.tokens, changed)
        assert list(index) == scan(doc.tokens)
        assert list(drafts) == scan(doc.tokens, is_draft)


def test_an_edit_the_index_cannot_place_rebuilds_instead_of_going_wrong():
    from aligner_core.edits import Changed

    tokens = [tok(confidence=0.1), tok(), tok(confidence=0.1)]
    index = ReviewIndex(tokens)
    shorter = tokens[1:]
    index.update(shorter, Changed(range(5, 9), structural=True))  # names rows that do not exist
    assert list(index) == scan(shorter)
