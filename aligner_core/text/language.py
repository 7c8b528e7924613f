"""Guessing a transcript's language from its text: the one guesser of the core.

Used where nobody named the language (``tokenize(text, "auto")``, subtitles and word lists read
without one): Han and kana decide Chinese or Japanese, other alphabets name their language, and
Latin text is put to a stop-word vote.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Sequence

from ..scripts import HANGUL, KANA
from .chars import LETTER, MARKS, PER_CHAR_RE

_STOPWORDS = {
    "en": "the and of to in is that it you i was for on are with as be this have not but",
    "fr": "le la les des et est un une du que qui pas je il elle dans pour ce sur vous nous au",
    "de": "der die das und ist nicht ich ein eine zu den von mit sie es sich auf dem wir auch",
    "es": "el los las que y en un una es por con para no se lo del al como pero muy",
    "it": "il di che è un una per non sono gli del della con mi ho ma anche questo",
    "pt": "o os que em um uma não para com do da por se é eu mas muito você",
    "nl": "de het een en van is dat niet ik je op te zijn met voor die er maar",
}
_STOPWORD_SETS = {lang: frozenset(words.split()) for lang, words in _STOPWORDS.items()}
_LETTER_RUN_RE = re.compile(rf"(?:{LETTER}|[{MARKS}])+")
_SCRIPT_BLOCKS = (  # (first, last, language) for alphabets not written in Latin
    (0x0370, 0x03FF, "el"), (0x0400, 0x052F, "ru"), (0x0530, 0x058F, "hy"), (0x0590, 0x05FF, "he"),
    (0x0600, 0x06FF, "ar"), (0x0750, 0x077F, "ar"), (0x0900, 0x097F, "hi"), (0x0980, 0x09FF, "bn"),
    (0x0A00, 0x0A7F, "pa"), (0x0A80, 0x0AFF, "gu"), (0x0B80, 0x0BFF, "ta"), (0x0C00, 0x0C7F, "te"),
    (0x0C80, 0x0CFF, "kn"), (0x0D00, 0x0D7F, "ml"), (0x0D80, 0x0DFF, "si"), (0x0E00, 0x0E7F, "th"),
    (0x0E80, 0x0EFF, "lo"), (0x0F00, 0x0FFF, "bo"), (0x1000, 0x109F, "my"), (0x10A0, 0x10FF, "ka"),
    (0x1200, 0x137F, "am"), (0x1780, 0x17FF, "km"),
)
# kana and Hangul are the scripts module's: its classes, not a copy of their ranges
_KANA_RE = re.compile(f"[{KANA}]")
_HANGUL_RE = re.compile(f"[{HANGUL}]")


def _script_language(ch: str) -> str:
    o = ord(ch)
    if o < 0x0370 or 0x1E00 <= o <= 0x1EFF:
        return "latin"
    if _HANGUL_RE.match(ch):
        return "ko"
    for lo, hi, lang in _SCRIPT_BLOCKS:
        if lo <= o <= hi:
            return lang
    return "other"


def guess_language(text: str, default: str = "en") -> str:
    """The transcript's language from its scripts: "zh", "ja", "ko", "ru", "ar", ...; for Latin
    text a stop-word vote among en/fr/de/es/it/pt/nl; ``default`` when nothing decides."""
    sample = text[:50_000]
    kana = len(_KANA_RE.findall(sample))
    han = len(PER_CHAR_RE.findall(sample)) - kana  # Han and bopomofo
    words: Counter[str] = Counter()
    latin_words: list[str] = []
    for m in _LETTER_RUN_RE.finditer(sample):
        run = m.group()
        script = _script_language(run[0])
        words[script] += 1
        if script == "latin" and len(latin_words) < 5000:
            latin_words.append(run.lower())
    # a Chinese character carries about as much as a short word: compare on a word scale
    cjk_words = (han + kana) / 1.5
    best_script, best_count = max(words.items(), key=lambda kv: kv[1], default=("", 0))
    if cjk_words and cjk_words >= best_count:
        return "ja" if kana >= max(1, 0.05 * (han + kana)) else "zh"
    if not best_count:
        return default
    if best_script == "latin":
        return _latin_language(latin_words, default)
    if best_script == "ru" and re.search("[іїєґІЇЄҐ]", sample):
        return "uk"
    if best_script == "ar" and len(re.findall("[پچژگ]", sample)) > 2:
        return "fa"
    return best_script if best_script != "other" else default


# letters that only some of the languages use: half a vote each
_LETTER_HINTS = {
    "fr": set("éèêëàâçîïôûùœ"), "de": set("äöüß"), "es": set("ñáíóú¿¡"),
    "pt": set("ãõçáâêóôú"), "it": set("àèéìòù"), "nl": set("ëïĳ"),
}


def _latin_language(words: Sequence[str], default: str) -> str:
    votes: Counter[str] = Counter()
    for w in words:
        for lang, stop in _STOPWORD_SETS.items():
            if w in stop:
                votes[lang] += 1
        if not w.isascii():
            for lang, letters in _LETTER_HINTS.items():
                if any(c in letters for c in w):
                    votes[lang] += 0.5
    if not votes:
        return default
    top_lang, top = votes.most_common(1)[0]
    if top < 2 or votes.get(default, 0) >= top:  # too little evidence, or a tie with the default
        return default
    return top_lang
