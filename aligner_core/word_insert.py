"""New words in a document: typed ones (Insert word) and pasted ones, and where their times come from.

The gap rule (one definition for both)
    New words go between two places: the end of the nearest aligned word before them (or the
    start of the recording) and the start of the nearest aligned word after them (or its end).
    Typed words fill that gap evenly when it is at most :data:`FILL_MS_PER_WORD` per word wide
    and wide enough for :data:`~aligner_core.edits.MIN_WORD_MS` each; a wider gap is silence or
    untranscribed speech, and guessing where in it they were said would be wrong, so they get no
    times. Pasted words keep their relative times, moved to the anchor (the playhead, or the end
    of the word they follow), when the whole run fits the gap; otherwise they too get no times.

What the new words carry
    Timed new words are flagged :attr:`Flag.INTERPOLATED` (times placed, not measured here) and
    :attr:`Flag.EDITED`; untimed ones :attr:`Flag.EDITED`. Both need review, and EDITED words are
    what a re-alignment of the span picks up. Untimed words are drawn as the timeline's
    zero-length marker. Pasted words never bring a lock, a confidence, aligner flags or phones.

Cues
    Words go into the cue at their place (:class:`~aligner_core.edits.InsertTokens`). A pasted
    clip with cues becomes cues of its own between the document's cues (:class:`InsertCues`):
    at a cue boundary, with the cues' own times moved along when they fit between the
    neighbouring cues and their words were timed (else the cues follow their words).
"""

from __future__ import annotations

from dataclasses import replace

from .clipboard import Clip, clip_cues
from .document import Break, Cue, Document, Flag, Token
from .edits import MIN_WORD_MS, Edit, InsertTokens, _internal, _Swap
from .text import tokenize
from .text.units import normalize_word

__all__ = ["FILL_MS_PER_WORD", "InsertAfter", "InsertCues", "gap_at", "insert_index_at", "cue_boundary_at", "insert_words_edit", "paste_edit"]

#: the widest gap, per new word, that typed words fill (a slow word is about this long)
FILL_MS_PER_WORD = 1000


def gap_at(doc: Document, index: int) -> tuple[int, int | None]:
    """The free time at insertion index ``index``: (end of the aligned word before, start of
    the aligned word after, or the recording's end; ``None`` when not known)."""
    lo = 0
    for i in range(index - 1, -1, -1):
        if doc.tokens[i].aligned:
            lo = doc.tokens[i].end  # type: ignore[assignment]
            break
    hi = doc.duration_ms
    for i in range(index, len(doc.tokens)):
        if doc.tokens[i].aligned:
            hi = doc.tokens[i].start
            break
    return lo, hi


def insert_index_at(doc: Document, ms: int) -> int:
    """Where a word said at ``ms`` goes: before the first aligned word that starts at or after it."""
    for i, tok in enumerate(doc.tokens):
        if tok.aligned and tok.start >= ms:  # type: ignore[operator]
            return i
    return len(doc.tokens)


def cue_boundary_at(doc: Document, index: int) -> int:
    """``index`` moved forward to where no cue is cut in two (after the cue that holds it)."""
    c = doc.cue_index_of(index) if index < len(doc.tokens) else None
    if c is None or doc.cues[c].first == index:
        return index
    return doc.cues[c].last + 1


def _fresh(text: str, units: tuple[str, ...], sep: str, brk: int, start: int | None, end: int | None) -> Token:
    flags = Flag.EDITED | (Flag.INTERPOLATED if start is not None else Flag.NONE)
    return Token(text, units, start, end, None, int(flags), False, sep, Break(brk))


def insert_words_edit(doc: Document, index: int, text: str, *, after: bool = False) -> tuple[Edit, range] | None:
    """An edit putting the words of ``text`` before word ``index`` (times by the gap rule) and
    where they will be; ``None`` when ``text`` has no word. ``after``: they follow word
    ``index - 1`` and join its cue (see :class:`InsertAfter`)."""
    if not 0 <= index <= len(doc.tokens):
        raise _internal(f"cannot insert at {index} (there are {len(doc.tokens)} words)")
    raw = tokenize(text, doc.language) if text.strip() else []
    if not raw:
        return None
    n = len(raw)
    lo, hi = gap_at(doc, index)
    width = None if hi is None else hi - lo
    timed = width is not None and n * MIN_WORD_MS <= width <= n * FILL_MS_PER_WORD
    tokens = []
    for k, tok in enumerate(raw):
        start = lo + k * width // n if timed else None  # type: ignore[operator]
        end = lo + (k + 1) * width // n if timed else None  # type: ignore[operator]
        tokens.append(_fresh(tok.text, tok.units, tok.sep, int(tok.brk) if k else 0, start, end))
    return (InsertAfter if after else InsertTokens)(index, tokens), range(index, index + n)


class InsertAfter(Edit):
    """Insert ``tokens`` before token ``index`` as the words *after* token ``index - 1``: at the
    end of a cue they join that cue (:class:`InsertTokens` would give them to the next one, as
    for words typed *before* a cue's first word); elsewhere the two are the same."""

    description = "Insert words"

    def __init__(self, index: int, tokens: list[Token]):
        super().__init__()
        if not tokens:
            raise ValueError("nothing to insert")
        self.index, self.tokens = index, list(tokens)

    def _plan(self, doc: Document) -> _Swap:
        host = doc.cue_index_of(self.index - 1) if 0 < self.index <= len(doc.tokens) else None
        if host is None or doc.cues[host].last != self.index - 1:
            return InsertTokens(self.index, self.tokens)._plan(doc)
        n = len(self.tokens)
        old = doc.cues[host:]
        grown = replace(old[0], last=old[0].last + n)
        return _Swap(self.index, [], list(self.tokens), host, old, [grown] + [c.shifted(n) for c in old[1:]])


class InsertCues(Edit):
    """Insert ``tokens`` before token ``index`` (a cue boundary) with ``cues`` of their own (in
    the document's indexing after the insert); later cues shift."""

    description = "Paste cues"

    def __init__(self, index: int, tokens: list[Token], cues: list[Cue]):
        super().__init__()
        if not tokens:
            raise ValueError("nothing to insert")
        self.index, self.tokens, self.cues = index, list(tokens), list(cues)

    def _plan(self, doc: Document) -> _Swap:
        if not 0 <= self.index <= len(doc.tokens) or cue_boundary_at(doc, self.index) != self.index:
            raise _internal(f"cannot insert cues at word {self.index}")
        c_lo = sum(1 for c in doc.cues if c.last < self.index)
        old = doc.cues[c_lo:]
        n = len(self.tokens)
        return _Swap(self.index, [], list(self.tokens), c_lo, old, list(self.cues) + [c.shifted(n) for c in old])


def paste_edit(doc: Document, clip: Clip, index: int, anchor_ms: int | None, *, after: bool = False) -> tuple[Edit, range, bool]:
    """An edit pasting ``clip`` before word ``index``, its earliest time at ``anchor_ms``.

    Returns the edit, where the words will be, and whether they kept their times. A clip with
    cues is pasted at the next cue boundary at or after ``index``; words without cues pasted
    ``after`` word ``index - 1`` join its cue."""
    if clip.cues:
        index = cue_boundary_at(doc, index)
    lo, hi = gap_at(doc, index)
    times = [(w.start, w.end) for w in clip.words if w.start is not None]
    shift = None
    if anchor_ms is not None and times:
        first = min(s for s, _ in times)
        last = max(e for _, e in times)
        if anchor_ms >= lo and (hi is None or last - first + anchor_ms <= hi):
            shift = anchor_ms - first
    tokens = []
    for k, w in enumerate(clip.words):
        units = w.units if w.units is not None else normalize_word(w.text, doc.language)
        start = w.start + shift if shift is not None and w.start is not None else None
        end = w.end + shift if shift is not None and w.end is not None else None
        brk = w.brk if k else (int(Break.PARAGRAPH) if clip.cues else 0)
        tokens.append(_fresh(w.text, tuple(units), w.sep, brk, start, end))
    where = range(index, index + len(tokens))
    if not clip.cues:
        return (InsertAfter if after else InsertTokens)(index, tokens), where, shift is not None
    cues = clip_cues(clip, index, shift)
    c_lo = sum(1 for c in doc.cues if c.last < index)
    prev_end = doc.cue_times(doc.cues[c_lo - 1])[1] if c_lo else None
    next_start = doc.cue_times(doc.cues[c_lo])[0] if c_lo < len(doc.cues) else None
    own = [v for c in cues for v in (c.start, c.end) if v is not None]
    if own and ((prev_end is not None and min(own) < prev_end) or (next_start is not None and max(own) > next_start)
                or (doc.duration_ms is not None and max(own) > doc.duration_ms)):
        cues = clip_cues(clip, index, None)  # the cues' own times would overlap: they follow their words
    return InsertCues(index, tokens, cues), where, shift is not None
