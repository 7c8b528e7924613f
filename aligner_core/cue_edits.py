"""Cue editing beyond split and merge: make a cue from words or a stretch of time, delete a
cue, and set a cue's look (alignment, position, ASS style).

Cues never share words. A new cue made from words that other cues hold takes them out of those
cues and leaves their other words where they were, as cues of their own: selecting words in the
middle of a line and making them a subtitle gives three subtitles, the way Subtitle Edit's
"split" and Aegisub's line editing leave the text around a cut. Nothing is refused except making
a cue that already is one.
"""

from __future__ import annotations

from dataclasses import replace

from .document import Break, Cue, Document, Token
from .edits import Edit, EditError, _check_index, _first_cue_ending_at_or_after, _Swap
from .messages import msg

__all__ = ["CreateCue", "DeleteCue", "SetCueLook", "CreateSoundCue", "tokens_in_stretch", "cue_for_stretch"]


def _part(doc: Document, cue: Cue, first: int, last: int) -> Cue:
    """The words ``first..last`` of ``cue`` as a cue of their own: its language, emotion and look,
    its own times at the ends it keeps, and the words' times at an end that was cut."""
    start = cue.start if first == cue.first or cue.start is None else doc.tokens[first].start
    end = cue.end if last == cue.last or cue.end is None else doc.tokens[last].end
    starts = tuple(o - (first - cue.first) for o in cue.line_starts if first < cue.first + o <= last)
    return replace(cue, first=first, last=last, start=start, end=end, line_starts=starts)


class CreateCue(Edit):
    """Make words ``first..last`` a cue of their own (one undo step).

    ``start``/``end`` are the new cue's own times (None: its words' times). The cues it takes
    words from keep the rest of their words as cues before and after it.
    """

    description = "Create cue"

    def __init__(self, first: int, last: int, start: int | None = None, end: int | None = None):
        super().__init__()
        if last < first:
            raise ValueError("a cue needs at least one word")
        self.first, self.last, self.start, self.end = first, last, start, end

    def _plan(self, doc: Document) -> _Swap:
        _check_index(doc, self.first)
        _check_index(doc, self.last)
        lo, hi = self.first, self.last
        c_lo = _first_cue_ending_at_or_after(doc.cues, lo)
        c_hi = c_lo
        while c_hi < len(doc.cues) and doc.cues[c_hi].first <= hi:
            c_hi += 1
        old = doc.cues[c_lo:c_hi]
        if len(old) == 1 and (old[0].first, old[0].last) == (lo, hi) and self.start is None and self.end is None:
            raise EditError(msg("edit_cue_exists", first=lo + 1, last=hi + 1))
        new: list[Cue] = []
        if old and old[0].first < lo:
            new.append(_part(doc, old[0], old[0].first, lo - 1))
        # line breaks the user wrote inside the words stay line breaks of the new cue
        breaks = tuple(k - lo for k in range(lo + 1, hi + 1) if doc.tokens[k].brk != Break.NONE)
        new.append(Cue(lo, hi, self.start, self.end, breaks))
        if old and old[-1].last > hi:
            new.append(_part(doc, old[-1], hi + 1, old[-1].last))
        return _Swap(0, [], [], c_lo, old, new)


class DeleteCue(Edit):
    """Delete cue ``cue_index``: its words stay, in no cue (a later re-segmenting or a new cue
    takes them again)."""

    description = "Delete cue"

    def __init__(self, cue_index: int):
        super().__init__()
        self.cue_index = cue_index

    def _plan(self, doc: Document) -> _Swap:
        _check_index(doc, self.cue_index, "cue")
        return _Swap(0, [], [], self.cue_index, [doc.cues[self.cue_index]], [])


class SetCueLook(Edit):
    """Set a cue's alignment (1..9, the numpad), position (x, y script pixels) and ASS style name;
    None puts each back to the profile's default."""

    description = "Cue look"

    def __init__(self, cue_index: int, align: int | None = None, pos: tuple[int, int] | None = None, style: str | None = None):
        super().__init__()
        self.cue_index, self.align = cue_index, align
        self.pos = None if pos is None else (int(pos[0]), int(pos[1]))
        self.style = style.strip() or None if style is not None else None

    def _plan(self, doc: Document) -> _Swap:
        _check_index(doc, self.cue_index, "cue")
        cue = doc.cues[self.cue_index]
        return _Swap(0, [], [], self.cue_index, [cue], [replace(cue, align=self.align, pos=self.pos, style=self.style)])


def tokens_in_stretch(doc: Document, lo_ms: int, hi_ms: int) -> range:
    """The words a time stretch selects: the aligned words at least half inside it, with any
    unaligned words between them (they belong to the same speech)."""
    inside = [i for i, t in doc.iter_aligned() if t.start is not None and t.end is not None
              and min(t.end, hi_ms) - max(t.start, lo_ms) >= max(t.end - t.start, 1) / 2]
    return range(inside[0], inside[-1] + 1) if inside else range(0)


def cue_for_stretch(doc: Document, lo_ms: int, hi_ms: int, label: str | None = None) -> Edit:
    """The edit that makes a cue of a time stretch: its words (timed from the words), or, where no
    word is, a sound cue labelled ``label`` ("[music]") with the stretch's times.

    Raises :class:`EditError` when there are no words and no label."""
    found = tokens_in_stretch(doc, lo_ms, hi_ms)
    if found:
        return CreateCue(found.start, found.stop - 1)
    if not label or not label.strip():
        raise EditError(msg("edit_cue_no_words"))
    return CreateSoundCue(lo_ms, hi_ms, label.strip())


class CreateSoundCue(Edit):
    """A non-speech cue ("[music]", "(applause)") over ``start..end``: one word with the label and
    no aligner units (never aligned), in a cue with the stretch's own times, placed among the
    words by time. As the sound cues a recogniser writes (aligner_core.transcribe.events)."""

    description = "Create sound cue"

    def __init__(self, start: int, end: int, label: str):
        super().__init__()
        if not label.strip():
            raise ValueError("a sound cue needs a label")
        self.start, self.end, self.label = int(start), int(end), label.strip()
        self.index: int | None = None  # where the label word went (known once applied)

    def _plan(self, doc: Document) -> _Swap:
        if self.end <= self.start:
            raise EditError(msg("tier_interval_empty"))
        # the first aligned word after the stretch: the new word goes before it
        at = next((i for i, t in doc.iter_aligned() if t.start is not None and t.start >= self.end), len(doc.tokens))
        while at > 0 and not doc.tokens[at - 1].aligned and doc.cue_index_of(at - 1) is None:
            at -= 1  # uncued, untimed words just before it stay with it
        host = doc.cue_index_of(at) if at < len(doc.tokens) else None
        if host is not None and doc.cues[host].first != at:
            raise EditError(msg("edit_sound_inside_cue", number=host + 1))
        c_lo = _first_cue_ending_at_or_after(doc.cues, at)
        for c in (c_lo - 1, c_lo):
            if 0 <= c < len(doc.cues):
                s, e = doc.cue_times(doc.cues[c])
                if s is not None and e is not None and s < self.end and self.start < e:
                    raise EditError(msg("edit_sound_overlaps", number=c + 1))
        token = Token(self.label, (), brk=Break.PARAGRAPH)
        old = doc.cues[c_lo:]
        new = [Cue(at, at, self.start, self.end)] + [c.shifted(1) for c in old]
        self.index = at
        return _Swap(at, [], [token], c_lo, old, new)

