"""Writing systems: one definition of each question the rest of the core asks about a character.

Earlier, five predicates named "CJK" or "spaceless" (in text, formats/common, cues, qwen3 and
longform) gave five different answers on ``ก 。 가 あ 你 ｱ``. The questions really differ, so
they get a name each, all built on the same character classes::

                   ก   。  가  あ  你  ｱ
    is_per_char    -   -   -   x   x   x    tokenised one token per character (Han, kana, bopomofo)
    is_cjk_letter  -   -   x   x   x   x    a CJK letter (the above and Hangul), punctuation not
    is_spaceless   x   x   -   x   x   x    written without spaces between words: a line may break
                                            between two such characters even with no space there
    is_wide        -   x   x   x   x   -    takes two columns on screen (East Asian Wide/Fullwidth)

Hangul is a CJK letter, but Korean puts spaces between words, so it is not spaceless. Halfwidth
katakana (ｱ) is kana, yet narrow. Thai (ก) has no spaces between words but is neither CJK nor wide.

Qwen3-ForcedAligner's word splitter keeps its own table (``backends/qwen3_words.is_official_cjk``)
on purpose: it must split exactly as the official package does, gaps included.

The sentence and clause punctuation sets (:data:`SENTENCE_END`, :data:`CLAUSE_END`) live here too.
"""

from __future__ import annotations

import re
import unicodedata

# character classes, as regex class bodies
HAN = "\u3005-\u3007\u3021-\u3029\u3038-\u303c\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f\U00030000-\U000323af"
KANA = "\u3031-\u3035\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff\uff66-\uff9f\U0001b000-\U0001b16f"
BOPOMOFO = "\u3105-\u312f\u31a0-\u31bf"
HANGUL = "\uac00-\ud7a3\u1100-\u11ff\u3131-\u318e\ua960-\ua97f\ud7b0-\ud7ff"
PER_CHAR = HAN + KANA + BOPOMOFO  # scripts split one token per character
# CJK punctuation and symbols, and the fullwidth and halfwidth forms block
CJK_PUNCTUATION = "\u2e80-\u2fff\u3000-\u303f\u3190-\u319f\u31c0-\u31ef\u3200-\u33ff\ufe30-\ufe4f\uff00-\uffef"
# scripts of South-East Asia and Tibet written without spaces between words
SPACELESS_SCRIPTS = "\u0e00-\u0eff\u0f00-\u0fff\u1000-\u109f\u1780-\u17ff\u19e0-\u19ff\ua9e0-\ua9ff\uaa60-\uaa7f"

_PER_CHAR_RE = re.compile(rf"[{PER_CHAR}]")
_CJK_LETTER_RE = re.compile(rf"[{PER_CHAR}{HANGUL}]")
_SPACELESS_RE = re.compile(rf"[{PER_CHAR}{CJK_PUNCTUATION}{SPACELESS_SCRIPTS}]")

#: languages written without spaces between words (tokens are joined with "" there)
SPACELESS_LANGUAGES = frozenset({"zh", "ja", "yue", "wuu", "th", "lo", "km", "my", "bo"})

#: punctuation that ends a sentence, and punctuation that ends a clause, in the scripts we meet
SENTENCE_END = frozenset(".!?。！？‼⁇⁈⁉؟")
CLAUSE_END = frozenset(",;:，；：、—–‚،؛")


def is_per_char(ch: str) -> bool:
    """Han, kana or bopomofo: tokenised (and aligned) one character at a time."""
    return bool(ch) and _PER_CHAR_RE.match(ch) is not None


def is_cjk_letter(ch: str) -> bool:
    """A Han, kana, bopomofo or Hangul letter (not CJK punctuation)."""
    return bool(ch) and _CJK_LETTER_RE.match(ch) is not None


def is_spaceless(ch: str) -> bool:
    """Written without spaces between words: Han, kana, CJK punctuation and fullwidth forms,
    Thai, Lao, Khmer, Myanmar, Tibetan. Not Hangul (Korean spaces its words)."""
    return bool(ch) and _SPACELESS_RE.match(ch) is not None


def is_wide(ch: str) -> bool:
    """Two columns on screen (East Asian Width W or F): counts double for line length."""
    return bool(ch) and unicodedata.east_asian_width(ch[0]) in ("W", "F")


__all__ = [
    "BOPOMOFO", "CJK_PUNCTUATION", "CLAUSE_END", "HAN", "HANGUL", "KANA", "PER_CHAR", "SENTENCE_END",
    "SPACELESS_LANGUAGES", "SPACELESS_SCRIPTS", "is_cjk_letter", "is_per_char", "is_spaceless", "is_wide",
]
