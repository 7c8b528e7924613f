"""How plausible a decoding is: the score that picks an encoding when no byte-order mark says it.

A wrong decoding of CJK bytes gives rare characters, stray kana or Latin letters glued to
each other; a wrong single-byte one gives letters in the wrong case or symbols inside words.
Kept apart from :mod:`.encoding`, which decides which readings to try and in what order of
trust: this module only says, character by character, how much a reading looks like text, and
is what changes when some encoding is misread.
"""

from __future__ import annotations

import unicodedata

from .common_han import COMMON_HAN


def _category_penalty(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return cat in ("Cc", "Co", "Cn", "Cs") and ch not in "\t\n\r\x0b\x0c" or ch == "\ufffd"


def plausibility(text: str, family: str, count_ascii: bool = False) -> float:
    """Mean "this looks like real text" score of a decoding, at most 1 (-2 per bad character).

    Only non-ASCII characters are scored unless ``count_ascii`` (ASCII reads the same in every
    candidate). A wrong decoding of CJK bytes gives rare characters, stray kana or Latin
    letters glued together; a right one gives mostly common characters.
    """
    total = 0.0
    n = 0
    upper = letters = 0
    sample = text if len(text) <= 200_000 else text[:200_000]
    prev = ""
    last = len(sample) - 1
    for i, ch in enumerate(sample):
        o = ord(ch)
        if o < 0x80:
            if (o < 0x20 and ch not in "\t\n\r\x0b\x0c") or o == 0x7F:
                n += 1  # control characters: reads the same everywhere, but betrays UTF-16
                total -= 2.0
            elif count_ascii:
                n += 1
                total += 1.0
            prev = ch
            continue
        n += 1
        nxt = sample[i + 1] if i < last else ""
        good = _char_goodness(ch, family, prev, nxt)
        if ch.isalpha() and ch.lower() != ch.upper():
            letters += 1
            if ch.isupper():
                upper += 1
                if prev.isalpha() and prev.islower():
                    good = min(good, 0.2)  # "пРИВЕТ": a misread single-byte encoding
        total += good
        prev = ch
    if not n:
        return 1.0
    score = total / n
    if letters >= 10 and upper > 0.5 * letters:  # mostly capitals: the case is upside down
        score *= 0.5
    if family in ("latin", "alpha", "ko") and len(sample) >= (8 if family == "ko" else 20):
        # these scripts put spaces between words; double-byte text read through them has none
        spaces = sum(1 for ch in sample if ch.isspace())
        if spaces < 0.06 * len(sample):
            score *= 0.5
    if family == "latin" and n >= 4:
        # Western text is mostly ASCII (accents are a few percent of letters, 30% at most); a
        # reading where they dominate is double-byte text seen through Windows-1252
        ascii_letters = sum(1 for ch in sample if ch.isascii() and ch.isalpha())
        if n > 0.5 * (n + ascii_letters):
            score *= 0.5
    return score


_COMMON_SYMBOLS = set("«»¡¿°€£¥§©®·–—…“”‘’„‚•\u00a0\u202f")


def _char_goodness(ch: str, family: str, prev: str, nxt: str) -> float:
    """How much one non-ASCII character looks like a right decoding for ``family`` (1 good, 0 no
    evidence, -2 bad).

    The code-point blocks here are on purpose not :mod:`aligner_core.scripts`' classes: they say
    where misdecoded bytes land (half-width katakana from CP932, rare Han from GBK read as Big5),
    not which script a character belongs to; widening one changes which encoding wins.
    """
    if _category_penalty(ch):
        return -2.0
    o = ord(ch)
    if 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF or o >= 0x20000:
        common = ch in COMMON_HAN
        if family == "ko":
            return 0.2 if common else 0.0  # Korean transcripts rarely use Hanja
        if family == "latin":
            return 0.0
        if family == "alpha":
            return 0.5 if common else 0.1
        return 1.0 if common else (0.3 if family == "any" else 0.1)
    if 0x3041 <= o <= 0x30FF:  # kana
        return 1.0 if family in ("ja", "any", "alpha") else 0.0
    if 0xAC00 <= o <= 0xD7A3:  # Hangul syllables
        return 1.0 if family == "ko" else (0.8 if family in ("any", "alpha") else 0.0)
    if 0xFF61 <= o <= 0xFF9F:  # half-width katakana: what misread double-byte text looks like in CP932
        return 0.2 if family == "ja" else 0.0
    if 0x3000 <= o <= 0x303F or 0xFF01 <= o <= 0xFF60 or 0xFFE0 <= o <= 0xFFE6:
        return 1.0 if family in ("zh", "ja", "ko", "any", "alpha") else 0.0
    if ch in _COMMON_SYMBOLS:
        return 1.0 if (not prev or not nxt or prev.isspace() or nxt.isspace() or prev.isalnum() or nxt.isalnum()) else 0.3
    if 0x2010 <= o <= 0x2027 or o in (0x20AC, 0x2122):  # other dashes, quotes, bullets
        return 0.8
    if 0xA0 <= o <= 0x24F or 0x1E00 <= o <= 0x1EFF:  # Latin-1 and Latin extended
        if not ch.isalpha():
            return 0.0  # ¹ ³ ¤ ¦ ... : what Central European or Cyrillic bytes look like in CP1252
        if family in ("latin", "alpha", "any"):
            # accented letters sit inside words made mostly of ASCII letters ("été"), or stand
            # alone ("à"); misread double-byte text glues them to each other ("ÄãºÃ")
            if (prev.isascii() and prev.isalpha()) or (nxt.isascii() and nxt.isalpha()):
                return 1.0
            if not prev.isalpha() and not nxt.isalpha():
                return 0.7
            return 0.5 if family == "any" else 0.2
        return 0.3
    if family in ("alpha", "any") and ch.isalpha():
        # another alphabet (Cyrillic, Greek, Arabic, ...): letters next to letters of the same
        # block, never glued to Latin ones ("Zaїуіж" is Polish read as Cyrillic)
        if (prev.isascii() and prev.isalpha()) or (nxt.isascii() and nxt.isalpha()):
            return 0.1
        same = (prev and not prev.isascii() and prev.isalpha() and abs(ord(prev) - o) < 0x100) or (
            nxt and not nxt.isascii() and nxt.isalpha() and abs(ord(nxt) - o) < 0x100
        )
        return 1.0 if same else 0.3
    if family in ("alpha", "any") and unicodedata.category(ch)[0] == "M":
        return 0.8
    return 0.0
