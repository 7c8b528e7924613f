"""Find text in a document: which runs of tokens a query matches.

Matching is on the surface text the user sees, case-insensitive and width-insensitive: each
token is folded on its own (NFKC, then case folding), so "ABC" finds "ａｂｃ", "STRASSE" finds
"Straße", and folding that changes a token's length never shifts the offsets of other tokens.
Tokens are joined with their separators ("" between CJK characters, one space otherwise; line
breaks and cue boundaries count as one space), so a query may span several words ("fellow
americans") or characters ("朋友"). Runs of white space in the query count as one space.
"""

from __future__ import annotations

import bisect
import unicodedata

from .document import Document

__all__ = ["SearchIndex", "find_matches", "fold"]


def fold(text: str) -> str:
    """The form both the query and the document are compared in."""
    return unicodedata.normalize("NFKC", text).casefold()


class SearchIndex:
    """The folded text of a document, built once and searched many times (while the user types)."""

    def __init__(self, doc: Document):
        parts: list[str] = []
        self.starts: list[int] = []  # offset of each token's folded text
        self.ends: list[int] = []
        pos = 0
        for i, tok in enumerate(doc.tokens):
            if i:
                sep = " " if tok.sep and not tok.sep.strip() else fold(tok.sep)
                parts.append(sep)
                pos += len(sep)
            text = fold(tok.text)
            self.starts.append(pos)
            parts.append(text)
            pos += len(text)
            self.ends.append(pos)
        self.text = "".join(parts)
        self.revision = doc.revision

    def matches(self, query: str) -> list[tuple[int, int]]:
        """Inclusive token spans (first, last) the query matches, in document order, one per span."""
        needle = fold(" ".join(query.split()))
        if not needle:
            return []
        out: list[tuple[int, int]] = []
        pos = self.text.find(needle)
        while pos >= 0:
            first = bisect.bisect_right(self.starts, pos) - 1
            if first < 0 or pos >= self.ends[first]:
                first += 1  # the match begins in the separator before a token
            last = bisect.bisect_right(self.starts, pos + len(needle) - 1) - 1
            span = (first, max(first, last))
            if not out or out[-1] != span:
                out.append(span)
            pos = self.text.find(needle, pos + 1)
        return out


def find_matches(doc: Document, query: str) -> list[tuple[int, int]]:
    """Token spans matching ``query`` (see :class:`SearchIndex` to search one document often)."""
    return SearchIndex(doc).matches(query)
