"""The review policy: which words a person should look at, why, and where the next one is.

One definition for the engine's summaries, the CLI and every view (F8, the status bar, the word
table's tint, the timeline's colours). A word needs review when it carries any flag or its
confidence is under the one threshold (:data:`aligner_core.align.confidence.LOW_CONFIDENCE`).

Drafts and review: a recogniser's word carries :attr:`Flag.DRAFT` and needs review whatever its
confidence; re-aligning keeps the flag. A person clears it by accepting the word
(:class:`~aligner_core.edits.MarkReviewed`) or by correcting its text (which sets
:attr:`Flag.EDITED` instead, so the word waits for its re-alignment). Accepting vouches for the
text only: a word that is also low confidence or flagged by the aligner still needs review.

:class:`ReviewIndex` keeps the sorted indices of the words needing review up to date from each
edit's :class:`~aligner_core.edits.Changed`, so a drag on a long document never scans it.
"""

from __future__ import annotations

import enum
from bisect import bisect_left, bisect_right
from typing import Callable, Iterator, Sequence

from .align.confidence import is_low_confidence
from .document import Flag, Token

__all__ = ["Mark", "MISSING_FLAGS", "ReviewIndex", "is_draft", "is_low", "mark", "needs_review", "review_reasons"]

#: the aligner could not place the word at all (not a doubt about where it is)
MISSING_FLAGS = Flag.NOT_FOUND | Flag.CLAMPED | Flag.COLLAPSED


class Mark(enum.IntEnum):
    """How strongly a view marks a word; higher outranks lower when several reasons apply."""

    NONE = 0
    EDITED = 1  # only its text changed since it was aligned: its times wait for a re-alignment
    FLAGGED = 2  # an aligner warning or an unreviewed draft
    LOW = 3  # low confidence
    MISSING = 4  # the aligner could not place it


def is_low(token) -> bool:
    """Is ``token`` (a :class:`Token` or an aligner's timing) low confidence: flagged so by an
    aligner, or under the threshold. What the summaries count as "low confidence"."""
    return bool(token.flags & Flag.LOW_CONFIDENCE) or is_low_confidence(token.confidence)


def review_reasons(token: Token) -> Flag:
    """Why ``token`` needs review, as flags the views name (``Flag.NONE``: it does not).

    A confidence under the threshold counts as :attr:`Flag.LOW_CONFIDENCE` even where no aligner
    set the flag (a value typed or loaded from a file)."""
    reasons = Flag(int(token.flags))
    if is_low_confidence(token.confidence):
        reasons |= Flag.LOW_CONFIDENCE
    return reasons


def needs_review(token: Token) -> bool:
    """Should a person look at ``token``: any flag, or a confidence under the one threshold."""
    return bool(token.flags) or is_low_confidence(token.confidence)


def is_draft(token: Token) -> bool:
    """A recogniser's word nobody has accepted or corrected yet."""
    return bool(token.flags & Flag.DRAFT)


def mark(token: Token) -> Mark:
    """The strongest reason to mark ``token`` in a view."""
    if not token.flags and not is_low_confidence(token.confidence):  # most words: no flag maths
        return Mark.NONE
    reasons = review_reasons(token)
    if reasons & MISSING_FLAGS:
        return Mark.MISSING
    if reasons & Flag.LOW_CONFIDENCE:
        return Mark.LOW
    if reasons & ~Flag.EDITED:
        return Mark.FLAGGED
    return Mark.EDITED


class ReviewIndex:
    """The sorted indices of the tokens for which ``predicate`` holds (by default
    :func:`needs_review`), built once per document and then kept from each edit's changes.

    ``next_after`` and ``previous`` cost O(log n); an edit costs its changed slice (plus, when
    words were inserted or removed, shifting the indices after it)."""

    def __init__(self, tokens: Sequence[Token] = (), predicate: Callable[[Token], bool] = needs_review) -> None:
        self.predicate = predicate
        self._ids: list[int] = []
        self._n = 0
        self.rebuild(tokens)

    def rebuild(self, tokens: Sequence[Token]) -> None:
        wanted = self.predicate
        self._ids = [i for i, tok in enumerate(tokens) if wanted(tok)]
        self._n = len(tokens)

    def update(self, tokens: Sequence[Token], changed) -> None:
        """Take in one edit's :class:`~aligner_core.edits.Changed` (``tokens`` after the edit).

        The changed slice says where words went: tokens before it kept their index, tokens
        after it moved by the change in length. A report that cannot be read that way (it names
        rows that do not exist) rebuilds, so the index is never wrong, only slower."""
        n = len(tokens)
        delta = n - self._n
        rows = changed.tokens
        if not rows and not delta:
            return  # cues, spans or nothing at all
        lo, new_hi = rows.start, rows.stop
        old_hi = new_hi - delta
        if not (0 <= lo <= old_hi <= self._n and new_hi <= n):
            self.rebuild(tokens)
            return
        ids, wanted = self._ids, self.predicate
        a, b = bisect_left(ids, lo), bisect_left(ids, old_hi)
        fresh = [i for i in range(lo, new_hi) if wanted(tokens[i])]
        if delta:
            ids[a:] = fresh + [i + delta for i in ids[b:]]
        else:
            ids[a:b] = fresh
        self._n = n

    # -- questions -----------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._ids)

    def __bool__(self) -> bool:
        return bool(self._ids)

    def __iter__(self) -> Iterator[int]:
        return iter(self._ids)

    def __contains__(self, index: object) -> bool:
        if not isinstance(index, int):
            return False
        k = bisect_left(self._ids, index)
        return k < len(self._ids) and self._ids[k] == index

    def between(self, first: int, last: int) -> list[int]:
        """The indices among tokens ``first..last`` (inclusive)."""
        return self._ids[bisect_left(self._ids, first) : bisect_right(self._ids, last)]

    def count_in(self, first: int, last: int) -> int:
        """How many of tokens ``first..last`` (inclusive) are in the index."""
        return max(0, bisect_right(self._ids, last) - bisect_left(self._ids, first))

    def next_after(self, index: int, step: int = 1) -> int | None:
        """The nearest index after ``index`` (before it when ``step < 0``), wrapping around once;
        ``index`` itself when it is the only one; ``None`` when the index is empty.

        ``index`` may lie outside the document (-1 starts at the top, ``len`` at the bottom)."""
        ids = self._ids
        if not ids:
            return None
        if step >= 0:
            k = bisect_right(ids, index)
            return ids[k] if k < len(ids) else ids[0]
        k = bisect_left(ids, index)
        return ids[k - 1] if k > 0 else ids[-1]

    def wrapped(self, index: int, step: int = 1) -> bool:
        """Would :meth:`next_after` wrap around from ``index``."""
        ids = self._ids
        if not ids:
            return False
        return bisect_right(ids, index) >= len(ids) if step >= 0 else bisect_left(ids, index) == 0
