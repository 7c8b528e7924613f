"""Finding text: token spans, case and width folding, CJK, queries across words."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from aligner_core.document import Document
from aligner_core.find import SearchIndex, find_matches
from aligner_core.text import tokenize

from .strategies import documents


def _doc(text: str, language: str = "en") -> Document:
    return Document(tokenize(text, language), [], None, language)


def test_words_are_found_case_insensitively_in_order():
    doc = _doc("And so, my fellow Americans: ask not what your country can do for you; ask what you can do")
    assert find_matches(doc, "ASK") == [(5, 5), (14, 14)]
    assert find_matches(doc, "can do") == [(10, 11), (17, 18)]
    assert find_matches(doc, "  fellow \n  americans ") == [(3, 4)]
    assert find_matches(doc, "so, my") == [(1, 2)]
    assert find_matches(doc, "you") == [(8, 8), (13, 13), (16, 16)]  # "your", "you;", "you"
    assert find_matches(doc, "zebra") == [] and find_matches(doc, "   ") == []


def test_a_word_part_selects_its_token_once():
    doc = _doc("Americans americans")
    assert find_matches(doc, "a") == [(0, 0), (1, 1)]


def test_cjk_and_full_width_and_folding():
    doc = _doc("我们是好朋友。ＡＢＣ Straße", "zh")
    assert find_matches(doc, "朋友") == [(4, 5)]
    assert find_matches(doc, "是好") == [(2, 3)]
    assert find_matches(doc, "abc") == [(6, 6)]
    assert find_matches(doc, "STRASSE") == [(7, 7)]


@given(documents(min_tokens=1, max_tokens=10), st.data())
def test_every_token_finds_itself(doc, data):
    index = SearchIndex(doc)
    i = data.draw(st.integers(0, len(doc.tokens) - 1))
    text = doc.tokens[i].text
    spans = index.matches(text)
    assert (i, i) in spans or any(a <= i <= b for a, b in spans)
    for a, b in spans:
        assert 0 <= a <= b < len(doc.tokens)
