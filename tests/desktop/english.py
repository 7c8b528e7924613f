"""What a translated window must not show: English sentences (shared by the language tests)."""

from __future__ import annotations

import re

# three English words in a row (a word: two letters or more, maybe ending in , ; :) — a file
# name, a unit ("ms") or a format name ("SRT") alone is not a sentence the translation missed
_SENTENCE = re.compile(r"[A-Za-z]{2,}[,;:]?\s+[A-Za-z]{2,}[,;:]?\s+[A-Za-z]{2,}")


def english_sentences(texts) -> list[str]:
    """Texts holding three or more English words in a row: a sentence the translation missed."""
    return [t for t in texts if _SENTENCE.search(t)]
