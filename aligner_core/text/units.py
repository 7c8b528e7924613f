"""Aligner units: what an aligner sees of a token's surface text.

Lower case, no punctuation, digits kept with their separators resolved ("1,000" -> "1000"),
one unit per Han or kana character; :func:`token_spoken_units` reads numbers aloud for aligners
that need words.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Sequence

from ..document import Token
from ..numbers import base_language, spoken_units
from .chars import CLUSTER_RE, MARKS, PER_CHAR_RE
from .markup import MARKUP_RE, is_sound_label

_APOSTROPHES = "'’ʼ`´"
_UNIT_RE = re.compile(
    rf"(?P<num>\d+(?:[.,]\d+)+)|(?P<w>(?:[^\W_]|[{MARKS}])+(?:[{_APOSTROPHES}](?:[^\W_]|[{MARKS}])+)*)"
)
_APOSTROPHE_RE = re.compile(f"[{_APOSTROPHES}]")
_DECIMAL_COMMA_LANGUAGES = frozenset(
    "de fr es it pt nl ru uk pl cs sk sl hr sr bs bg ro hu tr az sv da no fi et lv lt el id vi ca eu gl is be kk mk sq af".split()
)


@functools.lru_cache(maxsize=1 << 16)
def normalize_word(surface: str, language: str = "en") -> tuple[str, ...]:
    """Aligner units of a token's surface text.

    Lower case (Turkish dotted/dotless i respected), compatibility forms folded (full-width
    letters, ligatures), punctuation and symbols dropped, apostrophes inside words kept as
    "'", other joiners split ("twenty-two" -> twenty, two; "and/or" -> and, or), one unit per
    Han/kana character, digits kept ("$5" -> 5; "1,000" -> 1000; "3,5" in German -> 3.5).
    Any surface with a letter or digit gets at least one unit, except markup (``<i>``,
    ``{\\an8}``: removed first) and a sound label such as "[music]" or "(laughs)", which get none.
    """
    lang = base_language(language)
    if "<" in surface or "{" in surface:
        surface = MARKUP_RE.sub("", surface)
    if is_sound_label(surface):
        return ()
    s = unicodedata.normalize("NFKC", surface)
    if lang in ("tr", "az"):
        s = s.replace("I", "ı").replace("İ", "i")
    s = s.lower()
    units: list[str] = []
    for m in _UNIT_RE.finditer(s):
        if m.lastgroup == "num":
            units.extend(_normalize_number(m.group(), lang))
            continue
        word = _APOSTROPHE_RE.sub("'", m.group())
        if PER_CHAR_RE.search(word):
            units.extend(CLUSTER_RE.findall(word))  # 我用 -> 我, 用 ; "iPhone" stays whole
        else:
            units.append(word)
    if not units:
        # Han characters newer than this Python's Unicode tables are not "alphanumeric" yet
        units.extend(CLUSTER_RE.findall("".join(PER_CHAR_RE.findall(s))))
    if not units:
        fallback = "".join(c for c in s if c.isalnum()) or "".join(c for c in surface.lower() if c.isalnum())
        if fallback:
            units.append(fallback)
    return tuple(units)


def _normalize_number(text: str, lang: str) -> list[str]:
    """Digits with separators -> one canonical number ("1,000" -> "1000", "3,5" -> "3.5"), or
    several when the separators are neither grouping nor decimal ("1.2.3")."""
    seps = re.findall(r"[.,]", text)
    groups = re.split(r"[.,]", text)
    decimal_mark = "," if lang in _DECIMAL_COMMA_LANGUAGES else "."
    grouping_mark = "." if decimal_mark == "," else ","

    def grouped(parts: Sequence[str]) -> bool:
        return 1 <= len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:])

    kinds = set(seps)
    if len(kinds) == 2:
        last = seps[-1]
        head = text[: text.rfind(last)]
        head_groups = re.split(r"[.,]", head)
        if last not in seps[:-1] and grouped(head_groups):
            return ["".join(head_groups) + "." + groups[-1]]
        return groups
    sep = seps[0]
    if sep == grouping_mark:
        if grouped(groups):
            return ["".join(groups)]
        return [groups[0] + "." + groups[1]] if len(groups) == 2 else groups
    if len(groups) == 2:
        return [groups[0] + "." + groups[1]]
    if grouped(groups):  # "1.000.000" in English text: grouping the other way round
        return ["".join(groups)]
    return groups


def token_spoken_units(tokens: Sequence[Token], index: int, language: str) -> list[str]:
    """The units of ``tokens[index]`` with numbers read aloud, for aligners that need words.

    Passes the token's surface ("$5", "50%", "1,961") and the next token's text (Chinese
    "1961" + "年") to :func:`spoken_units`, which the units alone cannot tell.
    """
    tok = tokens[index]
    nxt = tokens[index + 1].text if index + 1 < len(tokens) else None
    return spoken_units(tok.units, language, tok.text, nxt)
