"""Character classes the tokenizer, the units and the language guess share, as regex pieces.

The scripts themselves (which characters are Han, kana, Hangul...) are defined once, in
:mod:`aligner_core.scripts`; this module only builds the word-level patterns on top of them:
what a letter of a space-delimited script is, what joins two word parts, which characters
never start a syllable and stay with the one before.
"""

from __future__ import annotations

import re
import unicodedata

from ..scripts import PER_CHAR

# Characters that never start a syllable: small kana, the long-vowel mark, iteration and
# voicing marks, variation selectors. They stay with the character before them.
DEPENDENT = (
    "\u3041\u3043\u3045\u3047\u3049\u3083\u3085\u3087\u308e\u3095\u3096"
    "\u30a1\u30a3\u30a5\u30a7\u30a9\u30e3\u30e5\u30e7\u30ee\u30f5\u30f6\u31f0-\u31ff"
    "\uff67-\uff6e\uff70\uff9e\uff9f\u30fc\u3005\u303b\u309d\u309e\u30fd\u30fe\u3099-\u309c"
    "\ufe00-\ufe0f\U000e0100-\U000e01ef"
)


def _mark_ranges() -> str:
    """Combining marks (Mn/Mc/Me) outside the CJK blocks, so Indic, Thai, Arabic and Hebrew
    words are not cut at their vowel signs. Built once at import (about 10 ms)."""
    out: list[str] = []
    for lo, hi in ((0x300, 0x3000), (0xA000, 0x10000), (0x10000, 0x20000)):
        start = None
        for cp in range(lo, hi):
            if unicodedata.category(chr(cp))[0] == "M":
                if start is None:
                    start = cp
            elif start is not None:
                out.append(_range(start, cp - 1))
                start = None
        if start is not None:
            out.append(_range(start, hi - 1))
    return "".join(out) + "\u200c\u200d\u00ad"  # ZWNJ/ZWJ (Persian, Indic) and soft hyphen live inside words


def _range(a: int, b: int) -> str:
    return re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"


MARKS = _mark_ranges()
LETTER = rf"[^\W_{PER_CHAR}]"  # letters and digits of space-delimited scripts
_LETTER_OR_MARK = rf"(?:{LETTER}|[{MARKS}])"
_WORD_PART = rf"{LETTER}{_LETTER_OR_MARK}*"
# Characters that join two word parts into one token: apostrophes (don't, rock'n'roll),
# hyphens (twenty-two), dots and colons (U.S.A, 3.5, 10:30), slashes, ampersands, @, +,
# the Catalan middle dot (col·lecció), underscores; a comma only between digits (1,000).
_CONNECTOR = r"(?:['’ʼ`´\-‐‑.:/&@+·_]|(?<=\d),(?=\d))"
CORE = rf"{_WORD_PART}(?:{_CONNECTOR}{_WORD_PART})*"
PUNCT = r"(?:[^\w\s]|_)"

DEPENDENT_RE = re.compile(rf"[{DEPENDENT}{MARKS}]")
PER_CHAR_RE = re.compile(rf"[{PER_CHAR}]")
CLUSTER_RE = re.compile(rf"[{PER_CHAR}][{DEPENDENT}{MARKS}]*|[^{PER_CHAR}]+")
