"""What a boundary is, how far it may move, and the one edit that moves it.

A boundary is a word's start or end, or a cue's start or end. Where a word's end touches the
next aligned word's start they are one boundary (the *shared* one): moving it moves both words,
and it is named by the earlier word's end, so a drag, a nudge and the boundary walk all call it
the same thing (:func:`canonical`).

Every view asks here rather than deciding for itself, because copies drifted: the timeline and
the keyboard nudges computed the window twice and locked corrected words twice.

- The window (:func:`window`) stops at the aligned neighbours (unaligned words in between do
  not count: they have no time to cross) and never makes a word shorter than
  :data:`~aligner_core.edits.MIN_WORD_MS`; a word already shorter may grow but not shrink.
  A cue edge stops at its own other edge and at the nearest timed neighbouring cue.
- Locks do not narrow the window: a lock keeps the *aligner* off a word's times, not the user.
- A word boundary the user moved is a correction, so the words it belongs to are locked in the
  same undo step (:func:`move_boundary`) and a later re-align keeps it. Cue edges lock nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from .document import Document
from .document import MIN_PHONE_MS
from .edits import CompositeEdit, Edit, EditError, MoveBoundary, MoveCueEdge, MovePhoneBoundary, MoveTokenEdge, SetLocked, highest_start, lowest_end
from .messages import msg

__all__ = ["Boundary", "Window", "canonical", "boundary_ms", "window", "movement_window", "move_boundary", "boundaries"]

#: no audio length known yet: nothing to stop at on the right
_FAR = 2**62


@dataclass(frozen=True)
class Boundary:
    """The ``side`` ("start" or "end") of token or cue ``index``; ``kind`` is "token" or "cue",
    or "phone": the start of phone ``part`` of token ``index`` (an inner one: a word's outer
    phone edges are the word's own boundaries and move with them, see document.fit_phones)."""

    kind: str
    index: int
    side: str
    part: int = 0

    @classmethod
    def token(cls, index: int, side: str) -> "Boundary":
        return cls("token", index, side)

    @classmethod
    def cue(cls, index: int, side: str) -> "Boundary":
        return cls("cue", index, side)

    @classmethod
    def phone(cls, index: int, part: int) -> "Boundary":
        return cls("phone", index, "start", part)


@dataclass(frozen=True)
class Window:
    """A boundary grabbed: where it is (``ms``) and the range ``lo..hi`` it may move in.

    ``shared``: a word end moved together with the touching next word's start.
    """

    boundary: Boundary
    ms: int
    lo: int
    hi: int
    shared: bool = False

    def tokens(self) -> tuple[int, ...]:
        """The words a move of this boundary changes (and locks)."""
        b = self.boundary
        if b.kind == "cue":
            return ()
        return (b.index, b.index + 1) if self.shared and b.kind == "token" else (b.index,)

    def clamp(self, ms: float) -> int:
        return int(round(min(max(ms, self.lo), self.hi)))


def _touches_next(doc: Document, i: int) -> bool:
    tokens = doc.tokens
    return i + 1 < len(tokens) and tokens[i].aligned and tokens[i + 1].aligned and tokens[i + 1].start == tokens[i].end


def canonical(doc: Document, b: Boundary) -> Boundary:
    """A word start shared with the previous word's end is that end (one boundary, one name)."""
    if b.kind == "token" and b.side == "start" and 0 < b.index < len(doc.tokens) and _touches_next(doc, b.index - 1):
        return Boundary("token", b.index - 1, "end")
    return b


def boundary_ms(doc: Document, b: Boundary) -> int | None:
    """The boundary's time, or None when it has none (an unaligned word, a cue without times, a bad index)."""
    if b.side not in ("start", "end"):
        return None
    if b.kind == "token":
        if not 0 <= b.index < len(doc.tokens):
            return None
        return getattr(doc.tokens[b.index], b.side)
    if b.kind == "cue":
        if not 0 <= b.index < len(doc.cues):
            return None
        return doc.cue_times(doc.cues[b.index])[b.side == "end"]
    if b.kind == "phone":
        if not 0 <= b.index < len(doc.tokens) or not 0 < b.part < len(doc.tokens[b.index].phones):
            return None
        return doc.tokens[b.index].phones[b.part].start
    return None


def window(doc: Document, b: Boundary, *, alone: bool = False) -> Window | None:
    """Where ``b`` is and how far it may move; None when it has no time to move.

    A word edge touching its neighbour moves that neighbour too, unless ``alone``: then it stops
    where the neighbour begins (a run of nudges keeps the mode it started with, so a word end
    nudged up to the next word stops there instead of turning into the shared boundary).
    """
    ms = boundary_ms(doc, b)
    if ms is None:
        return None
    if b.kind == "cue":
        return _cue_window(doc, b, ms)
    if b.kind == "phone":
        # between the two phones' other edges, leaving each MIN_PHONE_MS (or what it has)
        left, right = doc.tokens[b.index].phones[b.part - 1], doc.tokens[b.index].phones[b.part]
        return Window(b, ms, left.start + min(MIN_PHONE_MS, left.end - left.start), right.end - min(MIN_PHONE_MS, right.end - right.start))
    if not doc.tokens[b.index].aligned:
        return None
    if not alone:
        b = canonical(doc, b)
    i = b.index
    tok = doc.tokens[i]
    if b.side == "end" and not alone and _touches_next(doc, i):
        nxt = doc.tokens[i + 1]
        return Window(b, int(tok.end), lowest_end(tok.start, tok.end), highest_start(nxt.start, nxt.end), shared=True)
    lo, hi = doc.time_bounds(i)
    if b.side == "start":
        return Window(b, int(tok.start), lo, highest_start(tok.start, tok.end))
    return Window(b, int(tok.end), lowest_end(tok.start, tok.end), hi)


def _cue_window(doc: Document, b: Boundary, ms: int) -> Window:
    c = b.index
    start, end = doc.cue_times(doc.cues[c])
    if b.side == "start":
        before = next((e for k in range(c - 1, -1, -1) if (e := doc.cue_times(doc.cues[k])[1]) is not None), None)
        return Window(b, ms, before if before is not None else 0, end if end is not None else ms)
    after = next((s for k in range(c + 1, len(doc.cues)) if (s := doc.cue_times(doc.cues[k])[0]) is not None), None)
    far = doc.duration_ms if doc.duration_ms is not None else _FAR
    return Window(b, ms, start if start is not None else 0, after if after is not None else far)


def movement_window(doc: Document, b: Boundary, *, alone: bool = False) -> tuple[int, int] | None:
    """``(lo_ms, hi_ms)`` that ``b`` may move in (see :func:`window`)."""
    w = window(doc, b, alone=alone)
    return None if w is None else (w.lo, w.hi)


def move_boundary(doc: Document, b: Boundary, ms: int, *, alone: bool = False) -> Edit:
    """The one undoable edit that moves ``b`` to ``ms``: a word boundary also locks its words.

    Only words not locked yet are locked, so undo gives back exactly what was there. A move to
    where the boundary already is corrects nothing and locks nothing. A time outside the window
    is refused (:class:`EditError`): views clamp with :meth:`Window.clamp` first.
    """
    w = window(doc, b, alone=alone)
    if w is None:
        raise EditError(msg("edit_boundary_unaligned"))
    ms = int(ms)
    if not w.lo <= ms <= w.hi:
        raise EditError(msg("edit_boundary_outside", ms=ms, start=w.lo, end=w.hi))
    b = w.boundary
    if b.kind == "cue":
        return MoveCueEdge(b.index, b.side, ms)
    if b.kind == "phone":  # a phone corrected by hand is a correction of its word: locked too
        phone_move = MovePhoneBoundary(b.index, b.part, ms)
        if ms == w.ms or doc.tokens[b.index].locked:
            return phone_move
        return CompositeEdit([phone_move, SetLocked([b.index])], "Move phone boundary")
    move: Edit = MoveBoundary(b.index, ms) if w.shared else MoveTokenEdge(b.index, b.side, ms)
    unlocked = [t for t in w.tokens() if not doc.tokens[t].locked]
    if ms == w.ms or not unlocked:
        return move
    return CompositeEdit([move, SetLocked(unlocked)], "Move boundary")


def boundaries(doc: Document, kind: str) -> list[tuple[int, Boundary]]:
    """Every word boundary (``kind`` "token", a shared one once) or cue edge ("cue") with its time, in order."""
    out: list[tuple[int, Boundary]] = []
    if kind == "cue":
        for c, cue in enumerate(doc.cues):
            start, end = doc.cue_times(cue)
            if start is not None:
                out.append((start, Boundary("cue", c, "start")))
            if end is not None:
                out.append((end, Boundary("cue", c, "end")))
        return out
    for i, tok in doc.iter_aligned():
        if not (i > 0 and _touches_next(doc, i - 1)):
            out.append((tok.start, Boundary("token", i, "start")))
        out.append((tok.end, Boundary("token", i, "end")))
    return out
