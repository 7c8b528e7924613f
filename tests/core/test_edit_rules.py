"""Edit rules the editor relies on: the shortest a move makes a word, zero-length words flagged,
cues made once after the first alignment, a merged cue laid out again under the profile."""

from __future__ import annotations

from aligner_core.cues import get_profile, segment
from aligner_core.document import Break, Cue, Document, Flag, Token
from aligner_core.edits import (
    MIN_WORD_MS,
    ApplyAlignment,
    CompositeEdit,
    MakeCues,
    MergeCues,
    MoveBoundary,
    MoveTokenEdge,
    SplitCue,
    TokenTiming,
    highest_start,
    lowest_end,
)
from aligner_core.text import tokenize


def _timed_doc(text: str, word_ms: int = 300) -> Document:
    tokens = tokenize(text, "en")
    doc = Document(tokens, [], word_ms * len(tokens) + 1000, "en")
    ApplyAlignment(0, [TokenTiming(i * word_ms, (i + 1) * word_ms, 0.9) for i in range(len(tokens))]).apply(doc)
    return doc


def test_a_move_window_keeps_the_minimum_length_and_lets_a_short_word_grow():
    assert lowest_end(1000, 1500) == 1000 + MIN_WORD_MS
    assert highest_start(1000, 1500) == 1500 - MIN_WORD_MS
    # an aligner's zero-length word can not shrink further, only grow
    assert lowest_end(700, 700) == 700 and highest_start(700, 700) == 700
    assert lowest_end(700, 705) == 705


def test_a_word_of_no_length_is_flagged_and_loses_the_flag_when_it_grows():
    doc = _timed_doc("ask not what your country")
    MoveBoundary(0, 0).apply(doc)
    assert doc.tokens[0].start == doc.tokens[0].end == 0
    assert doc.tokens[0].flags & Flag.ZERO_DURATION and not doc.tokens[1].flags & Flag.ZERO_DURATION
    MoveBoundary(0, 100).apply(doc)
    assert not doc.tokens[0].flags & Flag.ZERO_DURATION
    MoveTokenEdge(4, "start", doc.tokens[4].end).apply(doc)  # one edge alone, onto the other
    assert doc.tokens[4].flags & Flag.ZERO_DURATION
    edit = ApplyAlignment(2, [TokenTiming(650, 650, 0.9)])
    edit.apply(doc)
    assert doc.tokens[2].flags & Flag.ZERO_DURATION  # an aligner's answer of no length, too
    edit.revert(doc)
    assert not doc.tokens[2].flags & Flag.ZERO_DURATION


def test_cues_are_made_with_the_alignment_in_one_edit_only_when_there_are_none():
    text = "And so my fellow Americans\nask not what your country can do for you\nask what you can do for your country"
    tokens = tokenize(text, "en")
    doc = Document(tokens, [], 30_000, "en")
    assert [i for i, t in enumerate(tokens) if t.brk == Break.LINE] == [5, 14]
    profile = get_profile("general")
    edit = CompositeEdit([ApplyAlignment(0, [TokenTiming(i * 400, i * 400 + 300, 0.9) for i in range(len(tokens))]),
                          MakeCues(profile)], "Align")
    edit.apply(doc)
    assert doc.cues == segment(doc, profile)
    assert all(c.start is not None for c in doc.cues)
    assert {5, 14} <= {c.first for c in doc.cues}  # the user's line breaks start cues
    edit.revert(doc)
    assert doc.cues == [] and not any(t.aligned for t in doc.tokens)

    own = [Cue(0, 9), Cue(10, len(tokens) - 1)]  # an imported file's cues stay as they are
    doc = Document(tokens, list(own), 30_000, "en")
    CompositeEdit([ApplyAlignment(0, [TokenTiming(i * 400, i * 400 + 300) for i in range(len(tokens))]),
                   MakeCues(profile)]).apply(doc)
    assert doc.cues == own


def test_merge_after_split_lays_the_lines_out_again():
    doc = _timed_doc("ask not what your country can do for you ask what you can do for your country", 250)
    profile = get_profile("general")
    doc.cues[:] = segment(doc, profile)
    cue = doc.cues[0]
    assert len(cue.line_starts) == 1
    at = cue.first + cue.line_starts[0] + 2  # inside the second line
    SplitCue(0, at).apply(doc)
    assert doc.cues[0].line_starts  # the left part still has two lines
    MergeCues(0, profile).apply(doc)
    assert doc.cues[0] == cue  # two lines again, as segmented, not three
    # without a profile the second cue begins a new line (the old rule)
    SplitCue(0, at).apply(doc)
    MergeCues(0).apply(doc)
    assert len(doc.cues[0].line_starts) == 2
