"""One definition per question about a writing system (aligner_core/scripts.py)."""

from __future__ import annotations

import pytest

from aligner_core import cues, scripts, text
from aligner_core.formats import common

SAMPLE = "ก。가あ你ｱ"  # Thai, CJK full stop, Hangul, hiragana, Han, halfwidth katakana


@pytest.mark.parametrize(
    "predicate, expected",
    [
        (scripts.is_per_char, "---xxx"),
        (scripts.is_cjk_letter, "--xxxx"),
        (scripts.is_spaceless, "xx-xxx"),
        (scripts.is_wide, "-xxxx-"),
    ],
    ids=["per_char", "cjk_letter", "spaceless", "wide"],
)
def test_each_question_has_one_answer(predicate, expected):
    assert "".join("x" if predicate(ch) else "-" for ch in SAMPLE) == expected


def test_the_core_asks_the_same_module():
    # the names other modules have always used are the scripts module's predicates, not copies
    assert text.is_cjk_char is scripts.is_cjk_letter
    assert text.is_spaceless_char is scripts.is_per_char
    assert common.is_spaceless is scripts.is_spaceless
    assert cues._is_cjk is scripts.is_spaceless
    assert text.SPACELESS_LANGUAGES is scripts.SPACELESS_LANGUAGES
    assert cues._SENTENCE_END is scripts.SENTENCE_END and cues._CLAUSE_END is scripts.CLAUSE_END


def test_empty_and_ordinary_characters():
    for predicate in (scripts.is_per_char, scripts.is_cjk_letter, scripts.is_spaceless, scripts.is_wide):
        assert not predicate("") and not predicate("a") and not predicate(" ")


def test_thai_lines_may_break_between_words_without_spaces():
    from aligner_core.document import Document

    doc = Document(text.tokenize("สวัสดี ครับ", "th"), [], None, "th")
    assert doc.tokens  # tokenised; the break rule sees Thai as spaceless
    assert scripts.is_spaceless(doc.tokens[0].text[0])
