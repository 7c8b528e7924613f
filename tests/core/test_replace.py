"""Find and replace: the plan (groups, regex groups, options, within a selection) and its one edit."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner_core.document import Cue, Document, Flag, cue_problems, token_problems
from aligner_core.messages import message_of
from aligner_core.replace import ReplaceError, ReplaceQuery, find_groups, replace_all
from aligner_core.text import tokenize

from .strategies import documents


def _doc(text: str = "The colour of the Colour box, the colourful sky") -> Document:
    tokens = [t.with_times(i * 500, i * 500 + 400) for i, t in enumerate(tokenize(text, "en"))]
    n = len(tokens)
    cues = [Cue(0, 3, line_starts=(2,)), Cue(4, n - 1)] if n > 5 else [Cue(0, n - 1)]
    return Document(tokens, cues, 60_000, "en")


def _texts(doc: Document) -> list[str]:
    return [t.text for t in doc.tokens]


def test_replace_all_keeps_times_when_the_word_count_is_unchanged_and_undoes_in_one_step():
    doc = _doc()
    before = doc.copy()
    edit, spans, count = replace_all(doc, ReplaceQuery("colour", "color"))
    assert count == 3  # "colour", "Colour", "colourful" (not whole words)
    edit.apply(doc)
    assert _texts(doc) == ["The", "color", "of", "the", "color", "box,", "the", "colorful", "sky"]
    assert spans == []  # nothing lost its times
    for i in (1, 4, 7):
        assert (doc.tokens[i].start, doc.tokens[i].end) == (before.tokens[i].start, before.tokens[i].end)
        assert doc.tokens[i].flags & Flag.EDITED
        assert doc.tokens[i].units == tokenize(doc.tokens[i].text, "en")[0].units
    assert doc.tokens[0] == before.tokens[0]  # untouched words stay exactly as they were
    assert doc.cues == before.cues
    edit.revert(doc)
    assert doc == before


def test_case_sensitive_and_whole_words():
    doc = _doc()
    groups = find_groups(doc, ReplaceQuery("Colour", "Hue", case_sensitive=True))
    assert [(g.first, g.new_text) for g in groups] == [(4, "Hue")]
    groups = find_groups(doc, ReplaceQuery("colour", "hue", whole_words=True))
    assert [g.first for g in groups] == [1, 4]  # not "colourful"
    groups = find_groups(doc, ReplaceQuery("box", "crate", whole_words=True))
    assert [(g.first, g.new_text) for g in groups] == [(5, "crate,")]  # the comma is not a letter


def test_regex_groups_in_the_replacement():
    doc = _doc("Call 555 1234 or 555 9876 today")
    edit, _, count = replace_all(doc, ReplaceQuery(r"(\d{3}) (\d{4})", r"\2-\1", regex=True))
    assert count == 2
    edit.apply(doc)
    assert _texts(doc) == ["Call", "1234-555", "or", "9876-555", "today"]
    doc = _doc("Mr Smith and Mrs Jones")
    edit, _, _ = replace_all(doc, ReplaceQuery(r"(?P<t>Mrs?) (?P<n>\w+)", r"\g<n> (\g<t>)", regex=True, case_sensitive=True))
    edit.apply(doc)
    assert _texts(doc) == ["Smith", "(Mr)", "and", "Jones", "(Mrs)"]


def test_literal_replacement_keeps_backslashes():
    doc = _doc("a b c")
    edit, _, _ = replace_all(doc, ReplaceQuery("b", r"x\1"))
    edit.apply(doc)
    assert doc.join(0, len(doc.tokens) - 1).replace(" ", "") == r"ax\1c"


def test_within_selection_only_replaces_inside_it():
    doc = _doc()
    edit, _, count = replace_all(doc, ReplaceQuery("the", "a", whole_words=True), within=(2, 8))
    assert count == 2  # words 3 and 6; "The" at 0 is outside
    edit.apply(doc)
    assert _texts(doc)[0] == "The" and doc.tokens[3].text == "a" and doc.tokens[6].text == "a"


def test_a_match_across_words_and_a_changed_word_count_retokenizes_and_clears_times():
    doc = _doc()
    before = doc.copy()
    edit, spans, count = replace_all(doc, ReplaceQuery("colour of the", "tint"))
    assert count == 1
    edit.apply(doc)
    assert _texts(doc) == ["The", "tint", "Colour", "box,", "the", "colourful", "sky"]
    new = doc.tokens[1]
    assert not new.aligned and new.flags & Flag.EDITED
    assert spans == [(1, 1)]
    assert doc.tokens[2].start == before.tokens[4].start  # later words keep their times
    # cues shrink with the words and later cues shift
    assert doc.cues[0].first == 0 and doc.cues[0].last == 1 and doc.cues[1].first == 2
    edit.revert(doc)
    assert doc == before


def test_one_word_into_two_and_several_groups_in_one_step():
    doc = _doc("cannot go, cannot stay")
    before = doc.copy()
    edit, spans, count = replace_all(doc, ReplaceQuery("cannot", "can not"))
    assert count == 2
    edit.apply(doc)
    assert _texts(doc) == ["can", "not", "go,", "can", "not", "stay"]
    assert spans == [(0, 1), (3, 4)]  # in the indexing after the edit
    assert doc.tokens[2].start == before.tokens[1].start
    assert all(not doc.tokens[i].aligned for i in (0, 1, 3, 4))
    edit.revert(doc)
    assert doc == before


def test_replacing_with_nothing_deletes_the_words_and_an_emptied_cue():
    doc = _doc("one two three four")
    doc.cues = [Cue(0, 1), Cue(2, 3)]
    edit, _, _ = replace_all(doc, ReplaceQuery("three four", ""))
    edit.apply(doc)
    assert _texts(doc) == ["one", "two"] and doc.cues == [Cue(0, 1)]


def test_two_matches_in_one_word_are_one_group():
    doc = _doc("banana split")
    groups = find_groups(doc, ReplaceQuery("a", "o"))
    assert [(g.first, g.last, g.new_text) for g in groups] == [(0, 0, "bonono")]


def test_empty_matches_and_unchanged_text_change_nothing():
    doc = _doc("a b c")
    edit, _, _ = replace_all(doc, ReplaceQuery("x*", "y", regex=True))
    assert edit is None
    edit, _, _ = replace_all(doc, ReplaceQuery("b", "b"))
    assert edit is None


@pytest.mark.parametrize(
    "query, code",
    [
        (ReplaceQuery("(unclosed", "x", regex=True), "replace_bad_pattern"),
        (ReplaceQuery("", "x"), "replace_empty_pattern"),
        (ReplaceQuery("(a)", r"\2", regex=True), "replace_bad_replacement"),
    ],
)
def test_bad_patterns_are_one_sentence(query, code):
    doc = _doc("a b c")
    with pytest.raises(ReplaceError) as info:
        replace_all(doc, query)
    assert message_of(info.value).code == code
    assert "\n" not in str(info.value)


def test_cjk_replacement_keeps_character_tokens():
    doc = Document([t.with_times(i * 300, i * 300 + 250) for i, t in enumerate(tokenize("我的朋友们", "zh"))], [], 10_000, "zh")
    edit, spans, _ = replace_all(doc, ReplaceQuery("朋友", "同学"))
    edit.apply(doc)
    assert "".join(_texts(doc)) == "我的同学们"
    assert doc.tokens[2].start == 600 and spans == []  # two characters for two: times kept


def test_a_line_break_outside_the_match_survives_a_retyped_group():
    doc = _doc("one two three four")
    doc.cues = [Cue(0, 3, line_starts=(2,))]
    edit, _, _ = replace_all(doc, ReplaceQuery("two three", "2 and 3"))
    edit.apply(doc)
    assert _texts(doc) == ["one", "2", "and", "3", "four"]
    assert doc.cues[0].last == 4


@settings(max_examples=150, deadline=None)
@given(documents(min_tokens=1, max_tokens=12), st.sampled_from(["a", "e", "o", r"\w+", "[aeiou] ", "^.", r"(\w)(\w)"]),
       st.sampled_from(["", "x", "two words", r"\2\1", "E"]), st.booleans(), st.booleans())
def test_any_replace_all_is_valid_and_undoes_exactly(doc, pattern, replacement, regex, whole):
    before = doc.copy()
    query = ReplaceQuery(pattern, replacement, regex=regex, whole_words=whole)
    try:
        edit, spans, _ = replace_all(doc, query)
    except ReplaceError:
        assert regex and r"\2" in replacement  # only a group the pattern lacks is refused
        return
    if edit is None:
        return
    edit.apply(doc)
    assert token_problems(doc.tokens, doc.duration_ms) == [] and cue_problems(doc.cues, len(doc.tokens), doc.duration_ms) == []
    for a, b in spans:
        assert 0 <= a <= b < len(doc.tokens)
    edit.revert(doc)
    assert doc == before
