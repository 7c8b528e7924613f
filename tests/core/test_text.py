"""Tokenization (aligner_core/text: tokenizer, builder, units, markup): words, CJK, units, spoken numbers.

Reading files and encodings: test_text_reading.py; the language guess: test_language.py."""

from __future__ import annotations

import re
import sys
import types

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aligner_core.document import Break, Document, Token
from aligner_core.numbers import chinese_number, spoken_units
from aligner_core.text import japanese
from aligner_core.text import (
    SPACELESS_LANGUAGES,
    is_cjk_char,
    is_spaceless_char,
    normalize_text,
    is_sound_label,
    normalize_word,
    token_spoken_units,
    tokenize,
)


def texts(tokens: list[Token]) -> list[str]:
    return [t.text for t in tokens]


# ---------------------------------------------------------------------------------------------
# tokenizing: space-delimited languages


def test_english_words_keep_their_punctuation():
    toks = tokenize("Hello, world! Americans, (hello) don't — stop.", "en")
    assert texts(toks) == ["Hello,", "world!", "Americans,", "(hello)", "don't —", "stop."]
    assert [t.units for t in toks] == [("hello",), ("world",), ("americans",), ("hello",), ("don't",), ("stop",)]
    assert all(t.sep == " " and t.brk == Break.NONE for t in toks)
    assert all(t.start is None and t.end is None for t in toks)


def test_apostrophes_straight_and_curly():
    toks = tokenize("I’m sure it's the students' book, 'quoted' and rock’n’roll", "en")
    assert texts(toks) == ["I’m", "sure", "it's", "the", "students'", "book,", "'quoted'", "and", "rock’n’roll"]
    assert toks[0].units == ("i'm",)
    assert toks[4].units == ("students",)
    assert toks[-1].units == ("rock'n'roll",)


def test_dashes_and_ellipses_between_words():
    toks = tokenize("He said—no, wait...what? A -- B, twenty-two", "en")
    assert texts(toks) == ["He", "said—", "no,", "wait...", "what?", "A --", "B,", "twenty-two"]
    assert [t.sep for t in toks] == [" ", " ", "", " ", "", " ", " ", " "]
    assert toks[-1].units == ("twenty", "two")


def test_french_spanish_german_punctuation():
    fr = tokenize("« Bonjour », dit-il : « à bientôt » !", "fr")
    assert texts(fr) == ["« Bonjour »,", "dit-il :", "« à", "bientôt » !"]
    assert fr[1].units == ("dit", "il")
    es = tokenize("¿Qué tal? ¡Hola! ¿ Y tú ?", "es")
    assert texts(es) == ["¿Qué", "tal?", "¡Hola!", "¿ Y", "tú ?"]
    assert es[0].units == ("qué",)
    de = tokenize("Er sagte: „Hallo“ – und ging. Straße", "de")
    assert texts(de) == ["Er", "sagte:", "„Hallo“ –", "und", "ging.", "Straße"]
    assert de[-1].units == ("straße",)


def test_french_no_break_spaces_are_kept_as_separators():
    toks = tokenize("Quoi\u00a0? «\u00a0Oui\u00a0»", "fr")
    assert texts(toks) == ["Quoi\u00a0?", "«\u00a0Oui\u00a0»"]
    assert toks[1].sep == " "


def test_free_standing_dialogue_dashes_join_the_next_word_at_line_start():
    toks = tokenize("— Bonjour\n— Salut !", "fr")
    assert texts(toks) == ["— Bonjour", "— Salut !"]
    assert [t.brk for t in toks] == [Break.NONE, Break.LINE]


def test_line_and_paragraph_breaks():
    toks = tokenize("Line one\nline two\n\n\nPara two\r\nend", "en")
    assert texts(toks) == ["Line", "one", "line", "two", "Para", "two", "end"]
    assert [t.brk for t in toks] == [0, 0, Break.LINE, 0, Break.PARAGRAPH, 0, Break.LINE]
    assert all(t.sep == " " for t in toks)


def test_punctuation_alone_on_a_line_joins_the_previous_word():
    toks = tokenize("Hello\n...\nWorld", "en")
    assert texts(toks) == ["Hello ...", "World"]
    assert toks[1].brk == Break.LINE


def test_numbers_stay_digits_on_the_surface():
    toks = tokenize("In 1961, $5 and 50% of 1,000 people; the 21st time at 10:30 (3.5 kg)", "en")
    assert texts(toks) == ["In", "1961,", "$5", "and", "50%", "of", "1,000", "people;", "the", "21st", "time", "at", "10:30", "(3.5", "kg)"]
    units = {t.text: t.units for t in toks}
    assert units["1961,"] == ("1961",)
    assert units["$5"] == ("5",)
    assert units["50%"] == ("50",)
    assert units["1,000"] == ("1000",)
    assert units["21st"] == ("21st",)
    assert units["10:30"] == ("10", "30")
    assert units["(3.5"] == ("3.5",)


def test_decimal_comma_languages():
    assert normalize_word("3,5", "de") == ("3.5",)
    assert normalize_word("1.000.000", "de") == ("1000000",)
    assert normalize_word("1.000,50", "fr") == ("1000.50",)
    assert normalize_word("1,000.50", "en") == ("1000.50",)
    assert normalize_word("1.2.3", "en") == ("1", "2", "3")


@pytest.mark.parametrize(
    ("surface", "language", "units"),
    [
        ("Americans,", "en", ("americans",)),
        ("(hello", "en", ("hello",)),
        ("don’t", "en", ("don't",)),
        ("twenty-two", "en", ("twenty", "two")),
        ("and/or", "en", ("and", "or")),
        ("U.S.A.", "en", ("u", "s", "a")),
        ("1961", "en", ("1961",)),
        ("$5", "en", ("5",)),
        ("€10", "fr", ("10",)),
        ("ＡＢＣ１２３", "en", ("abc123",)),
        ("ﬁne", "en", ("fine",)),
        ("İstanbul", "tr", ("istanbul",)),
        ("ISPARTA", "tr", ("ısparta",)),
        ("“你", "zh", ("你",)),
        ("好。", "zh", ("好",)),
        ("日本語", "ja", ("日", "本", "語")),
        ("ちょっと", "ja", ("ちょ", "っ", "と")),
        ("iPhone", "zh", ("iphone",)),
        ("नमस्ते", "hi", ("नमस्ते",)),
        ("می‌خواهم", "fa", ("می\u200cخواهم",)),
        ("—", "en", ()),
        ("...", "en", ()),
    ],
)
def test_normalize_word(surface, language, units):
    assert normalize_word(surface, language) == units


# ---------------------------------------------------------------------------------------------
# tokenizing: CJK


def test_chinese_one_token_per_character_with_punctuation_attached():
    toks = tokenize("他说：“你好，世界。”「再见」", "zh")
    assert texts(toks) == ["他", "说：", "“你", "好，", "世", "界。”", "「再", "见」"]
    assert all(t.sep == "" for t in toks)
    assert [t.units for t in toks] == [(c,) for c in "他说你好世界再见"]


def test_straight_quotes_open_and_close_by_turns():
    assert texts(tokenize('他说:"你好"再见', "zh")) == ["他", "说:", '"你', '好"', "再", "见"]
    assert texts(tokenize('She said " yes " and left', "en")) == ["She", "said", '" yes "', "and", "left"]


def test_mixed_chinese_and_latin_runs():
    toks = tokenize("我用iPhone 15拍的，COVID-19疫情", "zh")
    assert texts(toks) == ["我", "用", "iPhone", "15", "拍", "的，", "COVID-19", "疫", "情"]
    assert [t.sep for t in toks] == ["", "", "", " ", "", "", "", "", ""]
    assert toks[2].units == ("iphone",)
    assert toks[3].units == ("15",)
    assert toks[6].units == ("covid", "19")


def test_chinese_line_breaks_join_without_space():
    toks = tokenize("你好\n世界\n\n再见\nHello world\n好", "zh")
    assert texts(toks) == ["你", "好", "世", "界", "再", "见", "Hello", "world", "好"]
    assert [t.brk for t in toks] == [0, 0, Break.LINE, 0, Break.PARAGRAPH, 0, Break.LINE, 0, Break.LINE]
    assert [t.sep for t in toks] == ["", "", "", "", "", "", " ", " ", " "]
    doc = Document(toks)
    assert doc.join(0, 5) == "你好世界再见"


def test_japanese_falls_back_to_characters_and_keeps_small_kana_together(monkeypatch):
    monkeypatch.setitem(sys.modules, "nagisa", None)  # not installed
    japanese.load_segmenter.cache_clear()
    try:
        toks = tokenize("ちょっと待ってください。東京タワー", "ja")
    finally:
        japanese.load_segmenter.cache_clear()
    assert texts(toks) == ["ちょ", "っ", "と", "待", "っ", "て", "く", "だ", "さ", "い。", "東", "京", "タ", "ワー"]


def test_japanese_uses_nagisa_when_installed(monkeypatch):
    fake = types.ModuleType("nagisa")

    def tagging(text):  # a stand-in with nagisa's interface
        words = {"東京は大きい都市です": ["東京", "は", "大きい", "都市", "です"]}.get(text, list(text))
        return types.SimpleNamespace(words=words)

    fake.tagging = tagging  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "nagisa", fake)
    japanese.load_segmenter.cache_clear()
    try:
        toks = tokenize("東京は大きい都市です。", "ja")
        chinese = tokenize("東京是大城市", "zh")  # other languages are not segmented
    finally:
        japanese.load_segmenter.cache_clear()
    assert texts(toks) == ["東京", "は", "大きい", "都市", "です。"]
    assert all(t.sep == "" for t in toks)
    assert toks[0].units == ("東", "京")
    assert len(chinese) == 6


def test_korean_uses_eojeol():
    toks = tokenize("안녕하세요, 여러분! 학교에서 공부해요.", "ko")
    assert texts(toks) == ["안녕하세요,", "여러분!", "학교에서", "공부해요."]
    assert toks[0].units == ("안녕하세요",)
    assert all(t.sep == " " for t in toks)


def test_cjk_character_classes():
    assert is_cjk_char("你") and is_cjk_char("の") and is_cjk_char("한") and is_cjk_char("ㄅ")
    assert not is_cjk_char("，") and not is_cjk_char("a") and not is_cjk_char("")
    assert is_spaceless_char("你") and not is_spaceless_char("한")
    assert {"zh", "ja"} <= SPACELESS_LANGUAGES and "ko" not in SPACELESS_LANGUAGES


# ---------------------------------------------------------------------------------------------
# tokenizing: edge cases


@pytest.mark.parametrize("source", ["", "   \n\n\t ", "...", "— « » !?", "，。“”", "😀 🎉", "\u3000"])
def test_nothing_to_align_gives_no_tokens(source):
    assert tokenize(source, "en") == []
    assert tokenize(source, "zh") == []


def test_emoji_and_mixed_scripts_do_not_crash():
    toks = tokenize("😀 hi 😀 Привет мир 你好 مرحبا שלום 🎉", "en")
    assert texts(toks) == ["😀 hi 😀", "Привет", "мир", "你", "好", "مرحبا", "שלום 🎉"]
    assert all(t.units for t in toks)


def test_language_codes_and_auto():
    assert texts(tokenize("你好", "zh-CN")) == ["你", "好"]
    assert texts(tokenize("你好", "zh_Hant")) == ["你", "好"]
    assert texts(tokenize("你好", "auto")) == ["你", "好"]
    assert texts(tokenize("hello there", "")) == ["hello", "there"]


def test_first_token_takes_the_separator_it_would_take_after_another_token():
    assert tokenize("你好", "zh")[0].sep == ""
    assert tokenize("hello", "en")[0].sep == " "
    assert tokenize("“你好”", "zh")[0].sep == ""


def test_one_megabyte_line():
    # a whole transcript on one line (speed: bench/transcript_read.py, tokenize_*_mb_per_s)
    line = ("Hello, world! This is a test of the tokenizer — don't panic; it's 1961. " * 14000)[:1_000_000]
    toks = tokenize(line, "en")
    assert len(toks) > 150_000
    assert toks[8].text == "tokenizer —" and toks[9].units == ("don't",) and toks[12].units == ("1961",)
    zh = ("我用iPhone 15拍的，“你好”他说。今天天气很好，我们去公园散步吧！" * 12000)[:333_000]  # 1 MB of UTF-8
    toks = tokenize(zh, "zh")
    assert len(toks) > 200_000
    assert [t.text for t in toks[:5]] == ["我", "用", "iPhone", "15", "拍"] and toks[5].text == "的，" and toks[6].text == "“你"


# ---------------------------------------------------------------------------------------------
# spoken numbers


@pytest.mark.parametrize(
    ("units", "language", "surface", "spoken"),
    [
        (["in", "1961"], "en", None, ["in", "nineteen", "sixty", "one"]),
        (["1961"], "en", "1,961", ["one", "thousand", "nine", "hundred", "and", "sixty", "one"]),
        (["2021"], "en", None, ["twenty", "twenty", "one"]),
        (["21st"], "en", None, ["twenty", "first"]),
        (["1960s"], "en", None, ["nineteen", "sixties"]),
        (["3.5"], "en", None, ["three", "point", "five"]),
        (["5"], "en", "$5", ["five", "dollars"]),
        (["1"], "en", "$1", ["one", "dollar"]),
        (["5.50"], "en", "$5.50", ["five", "dollars", "fifty", "cents"]),
        (["50"], "en", "50%", ["fifty", "percent"]),
        (["007"], "en", None, ["zero", "zero", "seven"]),
        (["mp3"], "en", None, ["mp", "three"]),
        (["hello"], "en", None, ["hello"]),
        (["21e"], "fr", None, ["vingt", "et", "unième"]),
        (["3.5"], "de", "3,5", ["drei", "komma", "fünf"]),
        (["50"], "fr", "50 %", ["cinquante", "pour", "cent"]),
        (["1961"], "zh", None, list("一千九百六十一")),
        (["50"], "zh", "50%", list("百分之五十")),
        (["5"], "zh", "$5", list("五美元")),
        (["5"], "zh", "¥5", list("五元")),
        (["5"], "en", "¥5", ["five", "yen"]),
        (["3.5"], "zh", None, list("三点五")),
        (["1961"], "ja", None, list("千九百六十一")),
        (["1961"], "xx", None, ["1961"]),  # no reader: digits stay
    ],
)
def test_spoken_units(units, language, surface, spoken):
    assert spoken_units(units, language, surface) == spoken


def test_chinese_years_read_digit_by_digit_before_nian():
    assert spoken_units(["1961"], "zh", "1961", next_text="年") == list("一九六一")
    toks = tokenize("1961年有2000人", "zh")
    assert texts(toks) == ["1961", "年", "有", "2000", "人"]
    assert token_spoken_units(toks, 0, "zh") == list("一九六一")
    assert token_spoken_units(toks, 3, "zh") == list("两千")


def test_token_spoken_units_uses_the_surface():
    toks = tokenize("It cost $5.50, 50% of 1,961 in 1961.", "en")
    spoken = [token_spoken_units(toks, i, "en") for i in range(len(toks))]
    assert spoken == [
        ["it"], ["cost"], ["five", "dollars", "fifty", "cents"], ["fifty", "percent"], ["of"],
        ["one", "thousand", "nine", "hundred", "and", "sixty", "one"], ["in"], ["nineteen", "sixty", "one"],
    ]


@pytest.mark.parametrize(
    ("value", "reading"),
    [(0, "零"), (10, "十"), (15, "十五"), (101, "一百零一"), (1010, "一千零一十"), (10001, "一万零一"),
     (20000, "两万"), (100010000, "一亿零一万"), (123456789, "一亿二千三百四十五万六千七百八十九")],
)
def test_chinese_numbers(value, reading):
    assert chinese_number(value) == reading


# ---------------------------------------------------------------------------------------------
# properties

ENGLISH_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCXYZ0123456789 \n\t,.!?;:'\"()-—«»¿¡’$%"
CHINESE_ALPHABET = "我你他好是的了在有中国人大学ちょっとiPh15 \n\u3000，。！？、；：「」『』（）《》“”…—"


def canonical(s: str) -> str:
    """Whitespace runs as one space, except a line break between two CJK characters, which
    Chinese joins with nothing (the nearest letters on either side decide, as in tokenize)."""
    s = normalize_text(s)
    out: list[str] = []
    pos = 0
    for m in re.finditer(r"\s+", s):
        out.append(s[pos : m.start()])
        before = next((c for c in reversed(s[: m.start()]) if c.isalnum() or is_spaceless_char(c)), "")
        after = next((c for c in s[m.end() :] if c.isalnum() or is_spaceless_char(c)), "")
        joined = "\n" in m.group() and is_spaceless_char(before) and is_spaceless_char(after)
        out.append("" if joined else " ")
        pos = m.end()
    out.append(s[pos:])
    return "".join(out).strip()


def check_tokens(source: str, toks: list[Token]) -> None:
    if not any(c.isalnum() or is_spaceless_char(c) for c in source):
        assert toks == []
        return
    for tok in toks:
        assert any(c.isalnum() or is_spaceless_char(c) for c in tok.text), f"punctuation-only token {tok.text!r}"
        assert tok.units or is_sound_label(tok.text) or tok.text.endswith(":"), f"token {tok.text!r} has no units"
        assert tok.text == tok.text.strip()
        assert tok.start is None and tok.end is None
    joined = Document(toks).join(0, len(toks) - 1) if toks else ""
    assert canonical(joined) == canonical(source)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=ENGLISH_ALPHABET, max_size=120))
def test_property_english_round_trip(source):
    check_tokens(source, tokenize(source, "en"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=CHINESE_ALPHABET, max_size=120))
def test_property_chinese_round_trip(source):
    check_tokens(source, tokenize(source, "zh"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=80), st.sampled_from(["en", "zh", "ja", "ko", "fr", "ar"]))
def test_property_any_text(source, language):
    toks = tokenize(source, language)
    for tok in toks:
        assert tok.units or is_sound_label(tok.text) or tok.text.endswith(":")  # labels are shown, not spoken
        assert any(c.isalnum() or is_spaceless_char(c) for c in tok.text)
    if toks:  # nothing is lost or reordered: the tokens hold every visible character of the source
        visible = re.sub(r"\s", "", normalize_text(source))
        assert re.sub(r"\s", "", "".join(t.text for t in toks)) == visible
