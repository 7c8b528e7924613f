"""The core's one language guesser (aligner_core/text/language.py) and the readers that use it."""

from __future__ import annotations

import pytest

from aligner_core.formats import load_text
from aligner_core.text import guess_language

from .text_samples import FRENCH, JAPANESE, KOREAN, RUSSIAN, ZH_SIMPLIFIED, ZH_TRADITIONAL


@pytest.mark.parametrize(
    ("sample", "language"),
    [
        (ZH_SIMPLIFIED, "zh"),
        (ZH_TRADITIONAL, "zh"),
        ("我用iPhone 15拍的", "zh"),
        (JAPANESE, "ja"),
        (KOREAN, "ko"),
        (FRENCH, "fr"),
        (RUSSIAN, "ru"),
        ("Привіт, як справи? Це український текст і все.", "uk"),
        ("The quick brown fox jumps over the lazy dog and the cat.", "en"),
        ("Der schnelle braune Fuchs springt über den faulen Hund und die Katze.", "de"),
        ("El rápido zorro marrón salta sobre el perro perezoso y los gatos.", "es"),
        ("Γειά σου κόσμε", "el"),
        ("مرحبا بالعالم", "ar"),
        ("สวัสดีครับ", "th"),
        ("12345 !!!", "en"),
        ("", "en"),
    ],
)
def test_guess_language(sample, language):
    assert guess_language(sample) == language


# Where the subtitle readers' script-only guess (formats/common.guess_language_by_script, now gone)
# and the text package's guess answered differently. The text package's answers are kept: the
# script-only guess knew only zh/ja/ko/en, so French or Russian subtitles read without a language
# were tokenized as English (decimal commas read as thousands: "3,5" -> 35), any kana at all made
# Korean text Japanese, and a few brand names made a Chinese line English.
DIFFERED = [
    ("Bonjour, je suis très content de vous voir et nous allons au marché.", "fr"),
    ("Der Hund ist nicht groß und ich bin auch nicht da.", "de"),
    ("El perro es muy grande y no se lo que pasa con el gato.", "es"),
    ("Ik ben niet van de stad maar het is mooi.", "nl"),
    ("Привет, как дела? Это мой дом.", "ru"),
    ("Привіт, як справи? Їжак і ґанок.", "uk"),
    ("مرحبا كيف حالك", "ar"),
    ("Γειά σου κόσμε", "el"),
    ("שלום עולם", "he"),
    ("สวัสดีครับ ยินดีต้อนรับ", "th"),
    ("이것은 한국어 문장입니다 そして", "ko"),
    ("Apple iPhone 15 发布会 今天", "zh"),
]


@pytest.mark.parametrize(("sample", "language"), DIFFERED)
def test_the_guess_the_readers_once_had_differs_here(sample, language):
    assert guess_language(sample) == language


def srt(text: str) -> str:
    return f"1\n00:00:01,000 --> 00:00:03,500\n{text}\n\n"


@pytest.mark.parametrize(("sample", "language"), DIFFERED)
def test_subtitles_read_without_a_language_get_the_one_guess(sample, language):
    doc = load_text(srt(sample), "srt").document
    assert doc.language == language


def test_plain_text_and_word_lists_get_the_one_guess():
    assert load_text("Привет, как дела? Это мой дом.\n", "txt").document.language == "ru"
    words = '{"words": [{"word": "Bonjour", "start": 0.1, "end": 0.5}, {"word": "et", "start": 0.6, "end": 0.7},' \
        ' {"word": "je", "start": 0.8, "end": 0.9}, {"word": "suis", "start": 1.0, "end": 1.2},' \
        ' {"word": "le", "start": 1.3, "end": 1.4}, {"word": "chat", "start": 1.5, "end": 1.8}]}'
    assert load_text(words, "json").document.language == "fr"


def test_a_french_subtitle_keeps_its_decimal_comma():
    # the guess decides how numbers are read: "3,5" is three and a half in French, not 35
    doc = load_text(srt("Il fait 3,5 degrés dans la maison et je suis dans le jardin."), "srt").document
    assert doc.language == "fr"
    assert ("3.5",) in [t.units for t in doc.tokens]


def test_a_language_given_is_never_guessed_over():
    assert load_text(srt("Bonjour, je suis très content de vous voir."), "srt", "en").document.language == "en"


@pytest.mark.parametrize(
    ("sample", "language"),
    [
        ("\U0001b001\U0001b002\U0001b003", "ja"),  # hentaigana: kana of the scripts module, once counted as Han
        ("雨〳〵", "ja"),  # the vertical kana repeat mark is kana too
        ("ꥠ가 ힰힱ 한국어", "ko"),  # old Hangul jamo, once an unknown script
    ],
)
def test_kana_and_hangul_are_the_scripts_modules(sample, language):
    assert guess_language(sample) == language
