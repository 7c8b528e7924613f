"""What "the selection" means: which words, which cue and which stretch of time are selected.

The view state records how the user selected (word rows, a cue, a boundary, a time range on the
timeline); every consumer (editing, re-align, playback, the timeline, the tables, the find bar)
asks :func:`selection` what that amounts to, so they all act on the same words and times:

* **words**: the selected words; else a selected cue's words; else the aligned words inside the
  time selection; else the word of a selected word boundary.
* **cue**: the selected cue; else the cue holding the first selected word.
* **cues**: every cue the words reach (the rows the cue table highlights).
* **span** (ms): the time selection; else, when the words are whole cues, those cues' own times
  (a cue may stay on screen after its last word); else the first to the last selected word's times.

Computed once per document revision and selection, then shared: a relayout or an action update
costs a dictionary lookup.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

from aligner_core.document import Document


@dataclass(frozen=True)
class Selection:
    tokens: range = range(0)
    cue: int | None = None
    cues: range = range(0)
    span: tuple[int, int] | None = None

    @property
    def bounds(self) -> tuple[int, int] | None:
        """The words as an inclusive ``(first, last)`` pair, ``None`` when there are none."""
        return (self.tokens.start, self.tokens.stop - 1) if self.tokens else None


NOTHING = Selection()

#: per view: (key, the document, its selection); the document by weak reference, so a closed one is not kept
_memo: "weakref.WeakKeyDictionary[object, tuple[tuple, weakref.ref, Selection]]" = weakref.WeakKeyDictionary()


def selection(doc: Document | None, view) -> Selection:
    """The selection in ``view`` (a :class:`~desktop.view_state.ViewState`) over ``doc``."""
    if doc is None:
        return NOTHING
    key = (doc.revision, len(doc.tokens), len(doc.cues), view.tokens, view.cue, view.boundary, view.time_range)
    hit = _memo.get(view)
    if hit is not None and hit[0] == key and hit[1]() is doc:
        return hit[2]
    sel = _compute(doc, view.tokens, view.cue, view.boundary, view.time_range)
    _memo[view] = (key, weakref.ref(doc), sel)
    return sel


def _compute(doc: Document, tokens, cue, boundary, time_range) -> Selection:
    n, n_cues = len(doc.tokens), len(doc.cues)
    if cue is not None and not 0 <= cue < n_cues:
        cue = None  # a cue since removed (undo of a split, a re-segmentation)
    words = range(0)
    if tokens is not None:
        first, last = sorted(tokens)
        words = range(max(first, 0), min(last, n - 1) + 1)
    elif cue is not None:
        words = doc.cues[cue].token_range()
    elif time_range is not None:
        words = _aligned_inside(doc, *sorted(time_range))
    elif boundary is not None and getattr(boundary, "kind", None) == "token" and 0 <= boundary.index < n:
        words = range(boundary.index, boundary.index + 1)
    if cue is None and boundary is not None and getattr(boundary, "kind", None) == "cue" and 0 <= boundary.index < n_cues:
        cue = boundary.index
        if not words:
            words = doc.cues[cue].token_range()
    if cue is None and words:
        cue = doc.cue_index_of(words.start)
    cues = _cues_of(doc, cue, words)
    return Selection(words, cue, cues, _span(doc, words, cues, time_range))


def _aligned_inside(doc: Document, lo: int, hi: int) -> range:
    """The words from the first to the last aligned word overlapping ``[lo, hi)``."""
    first = last = None
    for i, t in enumerate(doc.tokens):
        if t.start is None or t.end is None:
            continue
        if t.start >= hi:
            break  # aligned words are in time order
        if t.end > lo:
            first = i if first is None else first
            last = i
    return range(first, last + 1) if first is not None else range(0)


def _cues_of(doc: Document, cue: int | None, words: range) -> range:
    if cue is not None:
        last = doc.cue_index_of(words[-1]) if words else None
        return range(cue, max(cue, last if last is not None else cue) + 1)
    if words:
        a, b = doc.cue_index_of(words.start), doc.cue_index_of(words[-1])
        if a is not None and b is not None:
            return range(a, b + 1)
    return range(0)


def _span(doc: Document, words: range, cues: range, time_range) -> tuple[int, int] | None:
    if time_range is not None:
        lo, hi = sorted(time_range)
        return int(lo), int(hi)
    starts, ends = [], []
    timed = [t for t in doc.tokens[words.start : words.stop] if t.aligned] if words else []
    if timed:
        starts.append(timed[0].start)
        ends.append(timed[-1].end)
    if cues and words and words.start == doc.cues[cues.start].first and words[-1] == doc.cues[cues[-1]].last:
        start, end = doc.cue_times(doc.cues[cues.start])[0], doc.cue_times(doc.cues[cues[-1]])[1]
        if start is not None and end is not None:
            starts.append(start)
            ends.append(end)
    return (min(starts), max(ends)) if starts and ends else None


def select_words(doc: Document, view, first: int, last: int) -> None:
    """Select words ``first..last`` (a word-table row range, a find match) and bring them into sight.

    Their cue is selected with them when they all lie in one, so cue actions (merge, play cue)
    know which cue is meant."""
    cue = doc.cue_index_of(first)
    if cue is not None and doc.cue_index_of(last) != cue:
        cue = None
    view.select(tokens=(first, last), cue=cue)
    timed = [t for t in doc.tokens[first : last + 1] if t.aligned]
    if timed:
        view.reveal(timed[0].start, timed[-1].end)
    elif cue is not None:
        start, end = doc.cue_times(doc.cues[cue])
        if start is not None and end is not None:
            view.reveal(start, end)
