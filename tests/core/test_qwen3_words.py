"""Qwen3-ForcedAligner's word list against the official qwen-asr package, and the way back to our tokens.

tests/fixtures/qwen3_words/words.json was written by the official package (qwen-asr 0.0.6, in a
venv of its own: see make_fixtures.py beside it). For Japanese and Korean it also holds what the
official segmenters (nagisa; soynlp with the official dictionary) returned, so these tests check
our cleaning and mapping without those optional packages; where they are installed, the tests
also check that our segmenters return the same.
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from aligner_core.align.backends.qwen3 import language_name
from aligner_core.align.backends.qwen3_words import (
    KOREAN_DICT,
    Piece,
    SpokenWord,
    korean_scores,
    official_segmenter,
    plan_words,
    split_words,
    surface,
)
from aligner_core.text import tokenize

FIXTURES = json.loads((Path(__file__).parents[1] / "fixtures" / "qwen3_words" / "words.json").read_text("utf-8"))
CASES = FIXTURES["cases"]
CODES = {
    "English": "en", "French": "fr", "German": "de", "Italian": "it", "Portuguese": "pt", "Spanish": "es",
    "Russian": "ru", "Chinese": "zh", "Cantonese": "yue", "Japanese": "ja", "Korean": "ko",
}


def _recorded(case: dict):
    """The official segmenter's output for exactly this text (None for whitespace languages)."""
    if "segmented" not in case:
        return None

    def segment(text: str):
        assert text == case["text"], "the segmenter was asked about another text than the official one"
        return case["segmented"]

    return segment


def _id(case: dict) -> str:
    return f"{case['language']}:{case['text'][:24]}"


def test_fixtures_cover_every_language_the_aligner_supports():
    from aligner_core.align.backends.qwen3 import QWEN3_LANGUAGES

    assert FIXTURES["versions"]["qwen-asr"] == "0.0.6"
    assert {c["language"] for c in CASES} == set(QWEN3_LANGUAGES.values())
    assert {language_name(code) for code in CODES.values()} == set(QWEN3_LANGUAGES.values())


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_split_words_is_the_official_list(case):
    assert split_words(case["text"], case["language"], _recorded(case)) == case["words"]
    if "nfc" in case:
        nfc = case["nfc"]
        assert split_words(nfc["text"], nfc["language"], _recorded(nfc)) == nfc["words"]


def test_hard_cases_read_as_the_official_package_reads_them():
    # What used to differ: case and NFKC kept, in-word punctuation dropped inside one word,
    # curly apostrophes dropped, the U+2F800 supplement kept inside words.
    assert split_words("Hello ＡＩ 3.14 U.S. e-mail don’t don't", "English") == [
        "Hello", "ＡＩ", "314", "US", "email", "dont", "don't"
    ]
    assert split_words("丽\U0002F800\U0002F801字", "Chinese") == ["丽", "\U0002F800\U0002F801", "字"]
    assert split_words("— … ！", "English") == []


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_our_tokens_give_the_official_words(case):
    """The document's tokens, joined back with their separators, feed the model the official words,
    and every token with units gets the parts of the model words made of its characters."""
    expected = case.get("nfc", case)  # documents hold NFC text
    tokens = [t for t in tokenize(case["text"], CODES[case["language"]]) if t.units]  # what the api aligns
    words = [SpokenWord(t.units, t.text, t.sep) for t in tokens]
    texts, seps = surface(words, case["language"])
    plan = plan_words(texts, seps, case["language"], _recorded(expected))
    assert plan.exact
    assert plan.model_words == expected["words"]

    covered = [0.0] * len(plan.model_words)
    for token, pieces in zip(tokens, plan.pieces):
        assert pieces, f"{token.text!r} has units but no model word"
        for p in pieces:
            assert 0.0 <= p.lo < p.hi <= 1.0
            covered[p.word] += p.hi - p.lo
    assert covered == pytest.approx([1.0] * len(plan.model_words))


def test_words_spanning_tokens_are_shared_out_by_characters():
    # An em dash with no spaces joins two of our tokens into one official word.
    tokens = [t for t in tokenize("finish—wow U.S.", "en") if t.units]
    words = [SpokenWord(t.units, t.text, t.sep) for t in tokens]
    plan = plan_words(*surface(words, "English"), "English")
    assert plan.model_words == ["finishwow", "US"]
    assert plan.pieces == [[Piece(0, 0.0, 6 / 9)], [Piece(0, 6 / 9, 1.0)], [Piece(1)]]

    # Japanese: nagisa's words straddle our one-character tokens.
    texts, seps = ["東", "京", "都"], ["", "", ""]
    plan = plan_words(texts, seps, "Japanese", lambda text: ["東京", "都"])
    assert plan.model_words == ["東京", "都"]
    assert plan.pieces == [[Piece(0, 0.0, 0.5)], [Piece(0, 0.5, 1.0)], [Piece(1)]]


def test_segmenter_normalising_characters_is_traced_through_nfkc():
    # nagisa hands back "ＡＩ" as "AI" and half-width katakana as full-width.
    plan = plan_words(["ＡＩ", "と", "ｶﾀｶﾅ"], ["", "", ""], "Japanese", lambda text: ["AI", "と", "カタカナ"])
    assert plan.exact and plan.model_words == ["AI", "と", "カタカナ"]
    assert plan.pieces == [[Piece(0)], [Piece(1)], [Piece(2)]]
    # A segmenter that rewrites beyond that: every token is split on its own instead.
    plan = plan_words(["東", "京"], ["", ""], "Japanese", lambda text: ["西京"])
    assert not plan.exact
    assert plan.model_words == ["東", "京"] and plan.pieces == [[Piece(0)], [Piece(1)]]


def test_units_without_surface_text_are_a_close_fallback():
    texts, seps = surface([("u", "s"), ("hello",), ("你",)], "English")
    assert plan_words(texts, seps, "English").model_words == ["us", "hello", "你"]
    assert surface([("東",), ("京",)], "Japanese") == (["東", "京"], ["", ""])


def test_spoken_word_is_a_tuple_of_units_that_survives_pickling():
    w = SpokenWord(("u", "s"), "U.S.", " ")
    assert w == ("u", "s") and tuple(w) == ("u", "s") and list(w) == ["u", "s"]
    back = pickle.loads(pickle.dumps([w]))[0]  # the long-form pool sends words to worker processes
    assert isinstance(back, SpokenWord) and back == w and (back.text, back.sep) == ("U.S.", " ")


def test_korean_dictionary_is_the_official_one():
    assert KOREAN_DICT.is_file() and (KOREAN_DICT.parent / "NOTICE").is_file() and (KOREAN_DICT.parent / "LICENSE").is_file()
    scores = korean_scores()
    assert len(scores) > 10000 and set(scores.values()) == {1.0}
    assert "서울" in scores


@pytest.mark.parametrize("case", [c for c in CASES if "segmented" in c], ids=_id)
def test_installed_segmenters_agree_with_the_official_ones(case):
    pytest.importorskip({"Japanese": "nagisa", "Korean": "soynlp"}[case["language"]])
    segment = official_segmenter(case["language"])
    assert list(segment(case["text"])) == case["segmented"]
