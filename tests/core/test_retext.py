"""retext: new text for a run of tokens, keeping the times of the words the user kept."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aligner_core.document import Break, Cue, Document, Flag, Token
from aligner_core.edits import EditError, SetTokenText
from aligner_core.retext import retext
from aligner_core.text import tokenize

from .strategies import documents

#: words no document from the strategy holds, so a kept word can only match itself
NEW_WORDS = ["zebra", "quokka,", "伞", "nineteen", "(yes)", "Ünïcode"]


def _doc() -> Document:
    toks = tokenize("And so my fellow\nAmericans, ask not\n\nwhat your country can do for you", "en")
    timed = [Token(t.text, t.units, 100 * i, 100 * i + 80, 0.9, 0, i == 2, t.sep, t.brk) for i, t in enumerate(toks)]
    return Document(timed, [Cue(0, 6, 0, 700, (4,)), Cue(7, 13, 700, 1400)], 2000, "en")


def _norm(text: str) -> str:
    return "\n".join(" ".join(line.split()) for line in text.split("\n") if line.split())


@st.composite
def retext_cases(draw):
    doc = draw(documents(min_tokens=1, max_tokens=10))
    n = len(doc.tokens)
    first = draw(st.integers(0, n - 1))
    last = draw(st.integers(first, min(n - 1, first + 6)))
    kept: list[int] = []
    words: list[str] = []
    for i in range(first, last + 1):
        if draw(st.integers(0, 5)) == 0:
            words.append(draw(st.sampled_from(NEW_WORDS)))
        action = draw(st.sampled_from(["keep", "keep", "drop", "replace"]))
        if action == "keep":
            kept.append(i)
            words.append(doc.tokens[i].text)
        elif action == "replace":
            words.append(draw(st.sampled_from(NEW_WORDS)))
    if draw(st.booleans()):
        words.append(draw(st.sampled_from(NEW_WORDS)))
    seps = [draw(st.sampled_from([" ", " ", "\n", "  ", "\n\n"])) for _ in words]
    text = "".join(s + w for s, w in zip(seps, words)).lstrip()
    return doc, first, last, text, kept


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(retext_cases())
def test_apply_keeps_invariants_and_kept_times_and_revert_is_exact(case):
    doc, first, last, text, kept = case
    original = doc.copy()
    edit, span = retext(doc, first, last, text)
    assert doc == original, "retext only plans; the edit changes the document"
    changed = edit.apply(doc)
    assert not doc.problems(), doc.problems()
    new_n = len(doc.tokens) - (len(original.tokens) - (last - first + 1))
    new_range = doc.tokens[first : first + new_n]
    # outside the range nothing changed
    assert doc.tokens[:first] == original.tokens[:first]
    assert doc.tokens[first + new_n :] == original.tokens[last + 1 :]
    # the strategy never marks a word EDITED: those are exactly the new words
    fresh = [first + j for j, t in enumerate(new_range) if t.flags & Flag.EDITED]
    survivors = [t for t in new_range if not t.flags & Flag.EDITED]
    # every word the user kept keeps its times, confidence, flags and lock, in order
    assert [t.text for t in survivors] == [original.tokens[i].text for i in kept]
    old_range = original.tokens[first : last + 1]
    key = lambda t: (t.text, t.units, t.start, t.end, t.confidence, t.flags, t.locked)
    assert all(key(t) in {key(o) for o in old_range} for t in survivors)
    for i in fresh:  # new words are unaligned and unlocked; the span covers exactly them
        assert doc.tokens[i].start is None and doc.tokens[i].end is None and not doc.tokens[i].locked
    assert span == ((fresh[0], fresh[-1]) if fresh else None)
    assert [t.text for t in new_range] == [t.text for t in tokenize(text, "en")]
    # the reported change covers what differs
    differs = [i for i in range(min(len(doc.tokens), len(original.tokens))) if doc.tokens[i] != original.tokens[i]]
    if differs and not changed.structural:
        assert differs[0] in changed.tokens and differs[-1] in changed.tokens
    edit.revert(doc)
    assert doc == original
    edit.apply(doc)  # redo re-plans against the same document
    edit.revert(doc)
    assert doc == original


@settings(max_examples=200, deadline=None)
@given(documents(min_tokens=1, max_tokens=10), st.data())
def test_cue_text_afterwards_is_the_new_text(doc, data):
    if not doc.cues:
        return
    c = data.draw(st.integers(0, len(doc.cues) - 1))
    cue = doc.cues[c]
    words = data.draw(st.lists(st.sampled_from(NEW_WORDS + [t.text for t in doc.tokens]), min_size=1, max_size=8))
    seps = [data.draw(st.sampled_from([" ", "\n", "  \n "])) for _ in words]
    text = "".join(s + w for s, w in zip(seps, words))
    n_cues = len(doc.cues)
    edit, _span = retext(doc, cue.first, cue.last, text)
    edit.apply(doc)
    assert len(doc.cues) == n_cues
    assert _norm(doc.cue_text(doc.cues[c])) == _norm(text)
    assert not doc.problems()


def test_one_changed_word_keeps_every_other_time_and_asks_to_realign_it():
    doc = _doc()
    before = doc.copy()
    edit, span = retext(doc, 0, 6, "And so my dear\nAmericans, ask not")
    edit.apply(doc)
    assert span == (3, 3)
    assert [t.text for t in doc.tokens[:7]] == ["And", "so", "my", "dear", "Americans,", "ask", "not"]
    for i in (0, 1, 2, 4, 5, 6):
        assert doc.tokens[i] == before.tokens[i]
    assert doc.tokens[2].locked  # a kept locked word stays locked
    dear = doc.tokens[3]
    assert dear.start is None and dear.flags & Flag.EDITED and dear.units == ("dear",)
    assert doc.cues == before.cues


def test_line_breaks_only_change_the_layout():
    doc = _doc()
    edit, span = retext(doc, 7, 13, "what your\ncountry can\ndo for you")
    changed = edit.apply(doc)
    assert span is None
    assert doc.cues[1].line_starts == (2, 4)
    assert doc.cue_lines(doc.cues[1]) == ["what your", "country can", "do for you"]
    assert doc.tokens[9].brk == Break.LINE and doc.tokens[7].brk == before_brk(7)
    assert changed.cues == range(1, 2) and not changed.structural


def before_brk(i: int) -> int:
    return _doc().tokens[i].brk


def test_inserted_words_shift_later_cues_and_stay_in_their_cue():
    doc = _doc()
    edit, span = retext(doc, 4, 6, "Americans, please ask not")
    changed = edit.apply(doc)
    assert span == (5, 5)
    assert doc.cues[0] == Cue(0, 7, 0, 700, (4,))
    assert doc.cues[1] == Cue(8, 14, 700, 1400)
    assert changed.structural and changed.cues == range(2)


def test_inserting_at_the_start_of_a_cue_joins_that_cue():
    doc = _doc()
    edit, span = retext(doc, 7, 7, "oh what")
    edit.apply(doc)
    assert span == (7, 7)
    assert doc.cues[1].first == 7 and doc.cue_text(doc.cues[1]).startswith("oh what")
    assert doc.cues[0].last == 6


def test_empty_text_deletes_the_words_and_an_emptied_cue():
    doc = _doc()
    before = doc.copy()
    edit, span = retext(doc, 7, 13, "   ")
    edit.apply(doc)
    assert span is None
    assert len(doc.tokens) == 7 and doc.cues == before.cues[:1]
    edit.revert(doc)
    assert doc == before
    # deleting part of a cue keeps the cue, and a break before the deleted words moves on
    edit, span = retext(doc, 4, 4, "")
    edit.apply(doc)
    assert doc.cues[0] == Cue(0, 5, 0, 700, (4,))
    assert doc.cue_lines(doc.cues[0]) == ["And so my fellow", "ask not"]
    assert doc.cues[1] == Cue(6, 12, 700, 1400)


def test_a_range_across_two_cues_keeps_both():
    doc = _doc()
    edit, span = retext(doc, 5, 8, "ask nothing what our")
    edit.apply(doc)
    assert span == (6, 8)
    assert [doc.cue_text(c) for c in doc.cues] == ["And so my fellow\nAmericans, ask nothing", "what our country can do for you"]
    assert doc.tokens[7].brk == Break.PARAGRAPH  # "what" still starts a cue


def test_cjk_words_are_characters_and_keep_their_times():
    toks = tokenize("我们是朋友", "zh")
    timed = [Token(t.text, t.units, 100 * i, 100 * i + 90, None, 0, False, t.sep, t.brk) for i, t in enumerate(toks)]
    doc = Document(timed, [Cue(0, 4)], 1000, "zh")
    edit, span = retext(doc, 0, 4, "我们是好朋友")
    edit.apply(doc)
    assert span == (3, 3)
    assert doc.cue_text(doc.cues[0]) == "我们是好朋友"
    assert [t.start for t in doc.tokens] == [0, 100, 200, None, 300, 400]


def test_same_text_is_a_noop_and_a_changed_document_refuses_the_edit():
    doc = _doc()
    edit, span = retext(doc, 0, 6, "And  so my fellow\nAmericans, ask not")
    assert edit.noop and span is None
    edit, _ = retext(doc, 0, 0, "But")
    assert not edit.noop
    SetTokenText(0, "Or").apply(doc)
    with pytest.raises(EditError):
        edit.apply(doc)


def test_bad_ranges_are_refused():
    doc = _doc()
    for first, last in ((-1, 0), (3, 2), (0, 14)):
        with pytest.raises(EditError):
            retext(doc, first, last, "x")


def test_uncued_words_stay_uncued():
    toks = tokenize("one two three four", "en")
    doc = Document(list(toks), [Cue(2, 3)], None, "en")
    edit, span = retext(doc, 0, 1, "one and two")
    edit.apply(doc)
    assert span == (1, 1)
    assert doc.cues == [Cue(3, 4)]
