"""Inserting, pasting and copying words and cues: the gap rule, the payload round trip, bad payloads."""

from __future__ import annotations

import dataclasses
import json

import pytest

from aligner_core.clipboard import ClipboardError, copy_clip, parse_payload, plain_text, to_json
from aligner_core.document import Cue, Document, Flag, Token
from aligner_core.edits import DeleteTokens, InsertTokens
from aligner_core.messages import message_of
from aligner_core.text import tokenize
from aligner_core.word_insert import InsertCues, gap_at, insert_index_at, insert_words_edit, paste_edit


def _doc() -> Document:
    # words 500 ms apart, 400 ms long: 100 ms gaps; a 3 s pause before word 4
    text = "one two three four five six"
    tokens = tokenize(text, "en")
    times = [(0, 400), (500, 900), (1000, 1400), (4400, 4800), (4900, 5300), (5400, 5800)]
    tokens = [t.with_times(*tm) for t, tm in zip(tokens, times)]
    tokens[1] = Token(**{**tokens[1].__dict__, "locked": True, "confidence": 0.9, "flags": int(Flag.LOW_CONFIDENCE)})
    return Document(tokens, [Cue(0, 2, 0, 1450), Cue(3, 5, 4400, 5900, (2,), None, "HAPPY")], 10_000, "en")


def _texts(doc):
    return [t.text for t in doc.tokens]


def test_a_typed_word_fills_a_short_gap_and_joins_its_cue():
    doc = _doc()
    edit, where = insert_words_edit(doc, 1, "and")
    before = doc.copy()
    edit.apply(doc)
    assert _texts(doc)[:3] == ["one", "and", "two"] and where == range(1, 2)
    new = doc.tokens[1]
    assert (new.start, new.end) == (400, 500)
    assert new.flags & Flag.INTERPOLATED and new.flags & Flag.EDITED and not new.locked
    assert doc.cues[0] == Cue(0, 3, 0, 1450) and doc.cues[1].first == 4  # later cues shift
    edit.revert(doc)
    assert doc == before


def test_typed_words_in_a_long_pause_get_no_times():
    doc = _doc()
    assert gap_at(doc, 3) == (1400, 4400)
    edit, where = insert_words_edit(doc, 3, "you know")  # 3 s for two words: a pause, not their length
    edit.apply(doc)
    assert where == range(3, 5)
    assert all(not doc.tokens[i].aligned and doc.tokens[i].flags == Flag.EDITED for i in where)


def test_typed_words_at_the_ends_and_nothing_to_insert():
    doc = _doc()
    assert insert_words_edit(doc, 0, "  ,, ") is None
    edit, _ = insert_words_edit(doc, len(doc.tokens), "seven")
    edit.apply(doc)
    # 5800..10000 is 4.2 s, too wide for one word to fill: it has no times
    assert doc.tokens[-1].text == "seven" and not doc.tokens[-1].aligned
    edit, _ = insert_words_edit(doc, 0, "zero")
    edit.apply(doc)
    assert doc.tokens[0].text == "zero" and not doc.tokens[0].aligned  # no room before 0 ms


def test_delete_words_shrinks_and_removes_cues_in_one_step():
    doc = _doc()
    before = doc.copy()
    edit = DeleteTokens(2, 2)  # "three" (end of cue 0) and "four" (start of cue 1)
    edit.apply(doc)
    assert _texts(doc) == ["one", "two", "five", "six"]
    assert doc.cues[0].first == 0 and doc.cues[0].last == 1 and doc.cues[1].first == 2 and doc.cues[1].last == 3
    edit.revert(doc)
    assert doc == before
    edit = DeleteTokens(0, 3)  # all of cue 0
    edit.apply(doc)
    assert len(doc.cues) == 1 and doc.cues[0].first == 0


def test_clip_round_trip_keeps_text_relative_times_and_cue_layout():
    doc = _doc()
    clip = copy_clip(doc, 3, 5, range(1, 2))
    again = parse_payload(to_json(clip).encode())
    assert again == clip
    assert [(w.start, w.end) for w in clip.words] == [(0, 400), (500, 900), (1000, 1400)]
    assert clip.cues[0].start == 0 and clip.cues[0].end == 1500 and clip.cues[0].emotion == "HAPPY"
    assert plain_text(doc, 3, 5, range(1, 2)) == "four five\nsix"
    assert plain_text(doc, 0, 1) == "one two"


def test_pasted_words_move_to_the_anchor_and_leave_locks_and_confidence_behind():
    doc = _doc()
    clip = parse_payload(to_json(copy_clip(doc, 0, 1)))  # "one" (0..400) and the locked "two" (500..900)
    at = insert_index_at(doc, 2000)
    assert at == 3
    edit, where, timed = paste_edit(doc, clip, at, 2000)
    before = doc.copy()
    edit.apply(doc)
    assert timed and _texts(doc)[3:5] == ["one", "two"]
    pasted = doc.tokens[3:5]
    assert [(t.start, t.end) for t in pasted] == [(2000, 2400), (2500, 2900)]
    assert not any(t.locked for t in pasted) and all(t.confidence is None for t in pasted)
    assert all(t.flags == Flag.EDITED | Flag.INTERPOLATED for t in pasted)
    edit.revert(doc)
    assert doc == before


def test_pasted_words_that_do_not_fit_come_without_times():
    doc = _doc()
    clip = copy_clip(doc, 0, 2)  # 1.4 s of words
    edit, where, timed = paste_edit(doc, clip, 1, 400)  # into a 100 ms gap
    edit.apply(doc)
    assert not timed and all(not doc.tokens[i].aligned for i in where)


def test_pasted_cues_become_cues_of_their_own_at_a_cue_boundary():
    doc = _doc()
    clip = parse_payload(to_json(copy_clip(doc, 3, 5, range(1, 2))))
    before = doc.copy()
    edit, where, timed = paste_edit(doc, clip, 1, 1500)  # index 1 is inside cue 0: after it
    assert isinstance(edit, InsertCues) and where == range(3, 6)
    edit.apply(doc)
    assert timed and [doc.tokens[i].start for i in where] == [1500, 2000, 2500]
    assert _texts(doc) == ["one", "two", "three", "four", "five", "six", "four", "five", "six"]
    assert [(c.first, c.last) for c in doc.cues] == [(0, 2), (3, 5), (6, 8)]
    assert doc.cues[1].line_starts == (2,) and doc.cues[1].emotion == "HAPPY"
    assert (doc.cues[1].start, doc.cues[1].end) == (1500, 3000)  # its own times, moved along
    edit.revert(doc)
    assert doc == before
    edit, where, timed = paste_edit(doc, clip, 3, 3000)  # words 3000..4400 fit, the cue's 3000..4500 not
    edit.apply(doc)
    assert timed and doc.tokens[5].end == 4400
    # the pasted cue's own end would overlap the next cue (4400..): it follows its words instead
    assert doc.cues[1].start is None and doc.cues[1].end is None


def test_pasted_cue_keeps_its_own_times_where_they_fit():
    doc = _doc()
    doc.cues = [Cue(0, 2, 0, 1450)]
    clip = copy_clip(doc, 0, 2, range(0, 1))
    edit, where, timed = paste_edit(doc, clip, 6, 6000)
    edit.apply(doc)
    assert doc.cues[1] == Cue(6, 8, 6000, 7450)
    assert doc.tokens[6].start == 6000


def test_a_copied_cue_keeps_its_look_language_and_emotion_through_the_payload_and_the_paste():
    doc = _doc()
    looked = Cue(3, 5, 4400, 5900, (2,), "fr", "SAD", align=8, pos=(640, 80), style="Sign")
    # every field set: a field Cue gains later must be set here too, and then travel like these
    assert all(getattr(looked, f.name) != f.default for f in dataclasses.fields(Cue))
    doc.cues[1] = looked
    clip = parse_payload(to_json(copy_clip(doc, 3, 5, range(1, 2))).encode())
    assert clip.cues == (dataclasses.replace(looked, first=0, last=2, start=0, end=1500),)
    edit, where, timed = paste_edit(doc, clip, 6, 6000)
    edit.apply(doc)
    assert timed and doc.cues[2] == dataclasses.replace(looked, first=6, last=8, start=6000, end=7500)


def _payload(**change):
    base = {"kind": "wordsync-words", "version": 1, "language": "en",
            "words": [{"text": "hi", "sep": " ", "brk": 0, "units": ["hi"], "start": 0, "end": 100}], "cues": []}
    base.update(change)
    return json.dumps(base)


@pytest.mark.parametrize(
    "data",
    [
        b"\x80\x81 not json",
        "[1, 2, 3]",
        _payload(kind="something else"),
        _payload(version=2),
        _payload(words=[]),
        _payload(words=[{"text": ""}]),
        _payload(words=[{"text": "a\nb"}]),
        _payload(words=[{"text": "hi", "start": 100, "end": 50}]),
        _payload(words=[{"text": "hi", "start": 100}]),
        _payload(words=[{"text": "hi", "start": -5, "end": 50}]),
        _payload(words=[{"text": "hi", "start": 1.5, "end": 50}]),
        _payload(words=[{"text": "a", "start": 0, "end": 100}, {"text": "b", "start": 50, "end": 150}]),
        _payload(words=[{"text": "hi", "sep": "xx"}]),
        _payload(words=[{"text": "hi", "brk": 7}]),
        _payload(words=[{"text": "hi", "units": [3]}]),
        _payload(cues=[{"first": 0, "last": 4}]),
        _payload(cues=[{"first": 0, "last": 0, "emotion": "BORED"}]),
        _payload(cues=[{"first": 0, "last": 0, "line_starts": [0]}]),
        _payload(cues=[{"first": 0, "last": 0, "align": 10}]),
        _payload(cues=[{"first": 0, "last": 0, "pos": [1, 2, 3]}]),
        _payload(cues=[{"first": 0, "last": 0, "style": "a{b"}]),
        "[" * 100_000,
    ],
)
def test_bad_payloads_are_refused_with_one_sentence(data):
    with pytest.raises(ClipboardError) as info:
        parse_payload(data)
    assert message_of(info.value).code == "clipboard_bad_payload"
    assert "\n" not in str(info.value)


def test_cue_times_from_the_payload_must_not_overlap():
    data = json.dumps({"kind": "wordsync-words", "version": 1, "words": [
        {"text": "a", "start": 0, "end": 100}, {"text": "b", "start": 200, "end": 300}],
        "cues": [{"first": 0, "last": 0, "start": 0, "end": 250}, {"first": 1, "last": 1, "start": 200, "end": 300}]})
    with pytest.raises(ClipboardError):
        parse_payload(data)


def test_insert_tokens_into_a_cue_keeps_later_cues_in_step():
    doc = _doc()
    edit = InsertTokens(4, [Token("new")])  # inside cue 1, after its first word
    edit.apply(doc)
    assert doc.cues[1] == Cue(3, 6, 4400, 5900, (3,), None, "HAPPY")  # the line break moves with its word


def test_words_inserted_after_a_cues_last_word_join_that_cue():
    doc = _doc()
    edit, where = insert_words_edit(doc, 3, "again", after=True)  # after "three", the end of cue 0
    before = doc.copy()
    edit.apply(doc)
    assert doc.cues[0].last == 3 and doc.cues[1].first == 4
    edit.revert(doc)
    assert doc == before
    edit, _ = insert_words_edit(doc, 3, "again")  # before "four": it opens cue 1
    edit.apply(doc)
    assert doc.cues[0].last == 2 and doc.cues[1].first == 3
    doc = before.copy()
    edit, where, _ = paste_edit(doc, copy_clip(doc, 0, 0), 3, None, after=True)
    edit.apply(doc)
    assert doc.cues[0] == Cue(0, 3, 0, 1450)
