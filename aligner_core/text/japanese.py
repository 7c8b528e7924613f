"""Japanese word segmentation through nagisa, an optional dependency.

Without nagisa Japanese is split one character per token like Chinese; with it, into words.
Its own module so the optional import and its cache live in one place (tests clear
:func:`load_segmenter`'s cache to try both).
"""

from __future__ import annotations

import functools
from typing import Callable


@functools.cache
def load_segmenter() -> Callable[[str], list[str]] | None:
    """nagisa's word splitter when it is installed (``pip install wordsync[ja]``), else None."""
    try:
        import nagisa  # type: ignore[import-not-found]
    except Exception:
        return None

    def words(text: str) -> list[str]:
        return list(nagisa.tagging(text).words)

    return words


def segment(run: str) -> list[str] | None:
    """A run of Han and kana as words, or None (nagisa missing or failing, or changing the text)."""
    seg = load_segmenter()
    if seg is None:
        return None
    try:
        words = [w for w in seg(run) if w]
    except Exception:
        return None
    if "".join(words) != run:  # the segmenter changed the text: keep characters
        return None
    return words
