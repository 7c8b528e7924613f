"""Invertible edits of a :class:`~aligner_core.document.Document`.

Every change to a document is an :class:`Edit`: ``apply(doc)`` performs it and ``revert(doc)``
undoes it exactly, and both return a :class:`Changed` naming the token and cue indices they
touched (so views refresh just those). Edits are validated before anything changes: an edit
that would break an invariant (order, overlap, bounds) raises :class:`EditError` and leaves the
document as it was. The GUI wraps edits in ``QUndoCommand``s; the core never needs Qt for this.

Implementation: each edit computes the new contents of one token slice and one cue slice,
validates them against their neighbours, and swaps them in. Revert swaps the old slices
back, so any sequence of edits reverted in reverse order gives back an equal document.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Iterable, Sequence

from .align.types import WordTiming
from .cues import Profile, layout_lines, segment
from .document import CUE_LOOK, Cue, Document, Flag, Token, cue_problems, move_phone_boundary, normalize_spans, token_problems
from .messages import msg

__all__ = [
    "Changed",
    "Edit",
    "EditError",
    "MoveBoundary",
    "MoveTokenEdge",
    "MovePhoneBoundary",
    "SetTokenTimes",
    "TokenTiming",
    "MoveCueEdge",
    "SetTokenText",
    "InsertTokens",
    "DeleteTokens",
    "SplitCue",
    "MergeCues",
    "SetLocked",
    "MarkReviewed",
    "ApplyAlignment",
    "ReplaceCues",
    "CompositeEdit",
    "MakeCues",
    "SetUntranscribed",
    "MIN_WORD_MS",
    "lowest_end",
    "highest_start",
]

#: The shortest a drag or a nudge makes a word. A shorter word could not be seen or grabbed on the
#: timeline; a word that is already shorter (an aligner's answer) may grow but never shrink.
MIN_WORD_MS = 20


def lowest_end(start: int, end: int) -> int:
    """The lowest time a word's end may be moved to (its start plus :data:`MIN_WORD_MS`)."""
    return min(start + MIN_WORD_MS, end)


def highest_start(start: int, end: int) -> int:
    """The highest time a word's start may be moved to (its end less :data:`MIN_WORD_MS`)."""
    return max(end - MIN_WORD_MS, start)


def _timed(tok: Token, **times: int | None) -> Token:
    """``tok`` with new times; a word of no length is flagged, so it is reviewed and drawn as one."""
    new = replace(tok, **times)
    zero = new.start is not None and new.start == new.end
    bit = int(Flag.ZERO_DURATION)
    flags = (int(new.flags) | bit) if zero else (int(new.flags) & ~bit)
    return new if flags == new.flags else replace(new, flags=flags)


class EditError(ValueError):
    """The edit cannot be applied (it would break the document); nothing was changed.

    Raised with a :class:`~aligner_core.messages.Message`; what only a program error can cause
    (an index out of range, an edit applied twice) is ``edit_internal`` with the English detail."""


def _internal(detail: str) -> EditError:
    return EditError(msg("edit_internal", detail=detail))


@dataclass(frozen=True)
class Changed:
    """What an edit touched, in the indexing of the document *after* the call.

    ``structural`` is true when tokens or cues were inserted or removed, so indices after
    ``tokens.start`` / ``cues.start`` shifted and views should reload from there.
    ``spans`` is true when the document's untranscribed spans changed, ``language`` when its
    language did, ``tiers`` when its annotation tiers did.
    """

    tokens: range = range(0)
    cues: range = range(0)
    structural: bool = False
    spans: bool = False
    language: bool = False
    tiers: bool = False

    def __or__(self, other: "Changed") -> "Changed":
        a, b = self.structural, other.structural
        return Changed(
            _union(self.tokens, other.tokens, a, b), _union(self.cues, other.cues, a, b),
            self.structural or other.structural, self.spans or other.spans, self.language or other.language,
            self.tiers or other.tiers,
        )


def _union(a: range, b: range, a_placed: bool = False, b_placed: bool = False) -> range:
    """The smallest range covering both. An empty range of a structural change still says where
    (a deletion at k reports ``range(k, k)``): it counts, or a view would reload from too late."""
    if not a and not a_placed:
        return b
    if not b and not b_placed:
        return a
    return range(min(a.start, b.start), max(a.stop, b.stop))


@dataclass
class _Swap:
    """One slice replacement of tokens and cues, with what it replaced."""

    t_lo: int
    old_tokens: list[Token]
    new_tokens: list[Token]
    c_lo: int
    old_cues: list[Cue]
    new_cues: list[Cue]

    def do(self, doc: Document) -> Changed:
        return _replace(doc, self.t_lo, self.old_tokens, self.new_tokens, self.c_lo, self.old_cues, self.new_cues)

    def undo(self, doc: Document) -> Changed:
        return _replace(doc, self.t_lo, self.new_tokens, self.old_tokens, self.c_lo, self.new_cues, self.old_cues)


def _replace(doc: Document, t_lo: int, t_old: list, t_new: list, c_lo: int, c_old: list, c_new: list) -> Changed:
    doc.tokens[t_lo : t_lo + len(t_old)] = t_new
    doc.cues[c_lo : c_lo + len(c_old)] = c_new
    doc.revision += 1
    structural = len(t_old) != len(t_new) or len(c_old) != len(c_new)
    return Changed(range(t_lo, t_lo + len(t_new)), range(c_lo, c_lo + len(c_new)), structural)


class Edit:
    """Base class: subclasses implement :meth:`_plan`, returning the slice swap to perform."""

    description = "Edit"

    def __init__(self) -> None:
        self._swap: _Swap | None = None

    def apply(self, doc: Document) -> Changed:
        if self._swap is not None:
            raise _internal(f"{self.description}: already applied")
        swap = self._plan(doc)
        _validate(doc, swap)
        self._swap = swap
        return swap.do(doc)

    def revert(self, doc: Document) -> Changed:
        if self._swap is None:
            raise _internal(f"{self.description}: not applied")
        swap, self._swap = self._swap, None
        return swap.undo(doc)

    @property
    def applied(self) -> bool:
        return self._swap is not None

    def _plan(self, doc: Document) -> _Swap:  # pragma: no cover - abstract
        raise NotImplementedError


def _validate(doc: Document, swap: _Swap) -> None:
    """Check the invariants around the swapped slices only (cheap for one drag step)."""
    tokens = doc.tokens
    t_hi_old = swap.t_lo + len(swap.old_tokens)
    # Extend the window to the nearest aligned token on each side: unaligned tokens in
    # between are transparent to the ordering invariant.
    lo = swap.t_lo - 1
    while lo >= 0 and not tokens[lo].aligned:
        lo -= 1
    hi = t_hi_old
    while hi < len(tokens) and not tokens[hi].aligned:
        hi += 1
    before = tokens[lo : swap.t_lo] if lo >= 0 else tokens[0 : swap.t_lo]
    after = tokens[t_hi_old : hi + 1]
    window = list(before) + list(swap.new_tokens) + list(after)
    problems = token_problems(window, doc.duration_ms, offset=max(lo, 0))
    n_tokens = len(tokens) - len(swap.old_tokens) + len(swap.new_tokens)
    c_hi_old = swap.c_lo + len(swap.old_cues)
    c_lo = max(swap.c_lo - 1, 0)
    cue_window = doc.cues[c_lo : swap.c_lo] + list(swap.new_cues) + doc.cues[c_hi_old : c_hi_old + 1]
    # Cue ranges after the swap are shifted by the token count change; they are checked
    # against the new token count.
    problems += cue_problems(cue_window, n_tokens, doc.duration_ms)
    if problems:
        raise EditError(msg("edit_breaks_order", details="; ".join(problems[:3])))


def _check_index(doc: Document, index: int, what: str = "token") -> None:
    n = len(doc.tokens) if what == "token" else len(doc.cues)
    if not 0 <= index < n:
        raise _internal(f"{what} {index} does not exist (there are {n})")


def _shift_cues_from(cues: Sequence[Cue], delta: int) -> list[Cue]:
    return [c.shifted(delta) for c in cues]


# -- times ---------------------------------------------------------------------------------------


class MoveBoundary(Edit):
    """Move the boundary shared by token ``index`` (its end) and ``index + 1`` (its start)."""

    description = "Move boundary"

    def __init__(self, index: int, ms: int):
        super().__init__()
        self.index, self.ms = index, int(ms)

    def _plan(self, doc: Document) -> _Swap:
        _check_index(doc, self.index)
        _check_index(doc, self.index + 1)
        left, right = doc.tokens[self.index], doc.tokens[self.index + 1]
        if not (left.aligned and right.aligned):
            raise EditError(msg("edit_boundary_unaligned"))
        if not (left.start <= self.ms <= right.end):  # type: ignore[operator]
            raise EditError(msg("edit_boundary_outside", ms=self.ms, start=left.start, end=right.end))
        new = [_timed(left, end=self.ms), _timed(right, start=self.ms)]
        return _Swap(self.index, [left, right], new, 0, [], [])


class MoveTokenEdge(Edit):
    """Move one token's start or end alone (it may open a gap to its neighbour)."""

    description = "Move word edge"

    def __init__(self, index: int, side: str, ms: int):
        super().__init__()
        if side not in ("start", "end"):
            raise ValueError("side must be 'start' or 'end'")
        self.index, self.side, self.ms = index, side, int(ms)

    def _plan(self, doc: Document) -> _Swap:
        _check_index(doc, self.index)
        tok = doc.tokens[self.index]
        if tok.aligned:
            new = _timed(tok, **{self.side: self.ms})
        else:
            # Placing an unaligned word: it gets a zero-length interval to grow from.
            new = _timed(tok, start=self.ms, end=self.ms)
        return _Swap(self.index, [tok], [new], 0, [], [])


class MovePhoneBoundary(Edit):
    """Move the boundary between phones ``part - 1`` and ``part`` of token ``index`` (an inner
    one: the outer edges are the word's, moved by the word's own edits)."""

    description = "Move phone boundary"

    def __init__(self, index: int, part: int, ms: int):
        super().__init__()
        self.index, self.part, self.ms = index, part, int(ms)

    def _plan(self, doc: Document) -> _Swap:
        _check_index(doc, self.index)
        tok = doc.tokens[self.index]
        phones = list(tok.phones)
        if not 0 < self.part < len(phones):
            raise _internal(f"word {self.index} has no inner phone boundary {self.part}")
        left, right = phones[self.part - 1], phones[self.part]
        if not left.start <= self.ms <= right.end:
            raise EditError(msg("edit_boundary_outside", ms=self.ms, start=left.start, end=right.end))
        return _Swap(self.index, [tok], [replace(tok, phones=move_phone_boundary(tok.phones, self.part, self.ms))], 0, [], [])


class SetTokenTimes(Edit):
    """Set a token's start and end together (or clear them with ``None``)."""

    description = "Set word times"

    def __init__(self, index: int, start: int | None, end: int | None):
        super().__init__()
        self.index = index
        self.start = None if start is None else int(start)
        self.end = None if end is None else int(end)

    def _plan(self, doc: Document) -> _Swap:
        _check_index(doc, self.index)
        tok = doc.tokens[self.index]
        return _Swap(self.index, [tok], [_timed(tok, start=self.start, end=self.end)], 0, [], [])


class MoveCueEdge(Edit):
    """Move a cue's start or end (its own display time; its words stay)."""

    description = "Move cue edge"

    def __init__(self, cue_index: int, side: str, ms: int | None):
        super().__init__()
        if side not in ("start", "end"):
            raise ValueError("side must be 'start' or 'end'")
        self.cue_index, self.side = cue_index, side
        self.ms = None if ms is None else int(ms)

    def _plan(self, doc: Document) -> _Swap:
        _check_index(doc, self.cue_index, "cue")
        cue = doc.cues[self.cue_index]
        new = replace(cue, **{self.side: self.ms})
        # A cue whose other edge still follows its words gets it pinned, so the pair is checkable.
        start, end = doc.cue_times(new)
        new = replace(new, start=start, end=end)
        return _Swap(0, [], [], self.cue_index, [cue], [new])


# -- text and structure --------------------------------------------------------------------------


class SetTokenText(Edit):
    """Change a token's surface text (and its aligner units); flags it as edited."""

    description = "Edit word"

    def __init__(self, index: int, text: str, units: Sequence[str] | None = None):
        super().__init__()
        self.index, self.text = index, text
        self.units = None if units is None else tuple(units)

    def _plan(self, doc: Document) -> _Swap:
        _check_index(doc, self.index)
        if not self.text.strip():
            raise EditError(msg("edit_empty_word"))
        tok = doc.tokens[self.index]
        units = self.units if self.units is not None else tok.units
        # a person wrote this word: a recogniser's draft is reviewed once it is corrected
        # the phones were the old word's pronunciation: a new text has none until it is aligned
        new = replace(tok, text=self.text, units=units, flags=(tok.flags | Flag.EDITED) & ~Flag.DRAFT, phones=())
        return _Swap(self.index, [tok], [new], 0, [], [])


class InsertTokens(Edit):
    """Insert tokens before ``index`` (``index == len(tokens)`` appends).

    New tokens join the cue that holds ``index`` (or the last cue when appending right after
    it); later cues shift. Inserted at a line start, they end the previous line.
    """

    description = "Insert words"

    def __init__(self, index: int, tokens: Sequence[Token]):
        super().__init__()
        if not tokens:
            raise ValueError("nothing to insert")
        self.index, self.tokens = index, list(tokens)

    def _plan(self, doc: Document) -> _Swap:
        n_old = len(doc.tokens)
        if not 0 <= self.index <= n_old:
            raise _internal(f"cannot insert at {self.index} (there are {n_old} words)")
        n = len(self.tokens)
        host = doc.cue_index_of(self.index) if self.index < n_old else None
        if host is None and self.index == n_old and doc.cues and doc.cues[-1].last == n_old - 1:
            host = len(doc.cues) - 1
        c_lo = host if host is not None else _first_cue_after(doc.cues, self.index)
        old_cues = doc.cues[c_lo:]
        new_cues: list[Cue] = []
        for k, cue in enumerate(old_cues):
            if k == 0 and host is not None:
                offset = self.index - cue.first
                if offset == 0:
                    starts = tuple(o + n for o in cue.line_starts)
                else:
                    starts = tuple(o + n if o > offset or (o == offset and offset > 0) else o for o in cue.line_starts)
                new_cues.append(replace(cue, last=cue.last + n, line_starts=starts))
            else:
                new_cues.append(cue.shifted(n))
        return _Swap(self.index, [], list(self.tokens), c_lo, old_cues, new_cues)


def _first_cue_after(cues: Sequence[Cue], token_index: int) -> int:
    lo, hi = 0, len(cues)
    while lo < hi:
        mid = (lo + hi) // 2
        if cues[mid].first < token_index:
            lo = mid + 1
        else:
            hi = mid
    return lo


class DeleteTokens(Edit):
    """Delete ``count`` tokens from ``index``; cues shrink, cues left empty disappear."""

    description = "Delete words"

    def __init__(self, index: int, count: int = 1):
        super().__init__()
        if count < 1:
            raise ValueError("count must be >= 1")
        self.index, self.count = index, count

    def _plan(self, doc: Document) -> _Swap:
        lo, hi = self.index, self.index + self.count  # [lo, hi)
        if not (0 <= lo and hi <= len(doc.tokens)):
            raise _internal(f"cannot delete words {lo}..{hi - 1} (there are {len(doc.tokens)})")
        c_lo = _first_cue_ending_at_or_after(doc.cues, lo)
        old_cues = doc.cues[c_lo:]
        new_cues: list[Cue] = []
        for cue in old_cues:
            if cue.last < lo:  # pragma: no cover - excluded by c_lo
                new_cues.append(cue)
            elif cue.first >= hi:
                new_cues.append(cue.shifted(-self.count))
            elif lo <= cue.first and cue.last < hi:
                continue  # entirely deleted
            else:
                first = cue.first if cue.first < lo else lo
                last = cue.last - self.count if cue.last >= hi else lo - 1
                starts = []
                for o in cue.line_starts:
                    t = cue.first + o
                    if t < lo:
                        nt = t
                    elif t < hi:
                        nt = lo  # the line now begins with the first surviving word
                    else:
                        nt = t - self.count
                    rel = nt - first
                    if 0 < rel <= last - first:
                        starts.append(rel)
                new_cues.append(replace(cue, first=first, last=last, line_starts=tuple(sorted(set(starts)))))
        return _Swap(lo, doc.tokens[lo:hi], [], c_lo, old_cues, new_cues)


def _first_cue_ending_at_or_after(cues: Sequence[Cue], token_index: int) -> int:
    lo, hi = 0, len(cues)
    while lo < hi:
        mid = (lo + hi) // 2
        if cues[mid].last < token_index:
            lo = mid + 1
        else:
            hi = mid
    return lo


class SplitCue(Edit):
    """Split a cue so that token ``at`` starts a new cue."""

    description = "Split cue"

    def __init__(self, cue_index: int, at: int):
        super().__init__()
        self.cue_index, self.at = cue_index, at

    def _plan(self, doc: Document) -> _Swap:
        _check_index(doc, self.cue_index, "cue")
        cue = doc.cues[self.cue_index]
        if not cue.first < self.at <= cue.last:
            raise EditError(msg("edit_split_outside", first=cue.first + 1, last=cue.last))
        cut = self.at - cue.first
        left_end = doc.tokens[self.at - 1].end
        right_start = doc.tokens[self.at].start
        if cue.start is not None and left_end is not None and left_end < cue.start:
            left_end = cue.start
        left = replace(cue, last=self.at - 1, end=left_end if cue.end is not None else None,
                       line_starts=tuple(o for o in cue.line_starts if o < cut))
        right = replace(cue, first=self.at, start=right_start if cue.start is not None else None,
                        line_starts=tuple(o - cut for o in cue.line_starts if o > cut))
        if left.end is not None and right.start is not None and right.start < left.end:
            right = replace(right, start=left.end)
        return _Swap(0, [], [], self.cue_index, [cue], [left, right])


class MergeCues(Edit):
    """Merge cue ``cue_index`` with the next one.

    With a rule ``profile`` the merged cue's lines are laid out again under it (a cue split and
    merged back must not keep the split's line break as a third line); without one the second
    cue begins a new line.
    """

    description = "Merge cues"

    def __init__(self, cue_index: int, profile: Profile | None = None):
        super().__init__()
        self.cue_index = cue_index
        self.profile = profile

    def _plan(self, doc: Document) -> _Swap:
        _check_index(doc, self.cue_index, "cue")
        _check_index(doc, self.cue_index + 1, "cue")
        a, b = doc.cues[self.cue_index], doc.cues[self.cue_index + 1]
        if self.profile is not None:
            starts = layout_lines(doc, a.first, b.last, self.profile)
        else:
            offset = b.first - a.first
            starts = tuple(sorted(set(a.line_starts) | {offset} | {offset + o for o in b.line_starts}))
        # the first cue's language and emotion, or the second's where the first has none
        merged = replace(a, last=b.last, end=b.end, line_starts=starts, language=a.language or b.language,
                         emotion=a.emotion or b.emotion, **{k: getattr(a, k) if getattr(a, k) is not None else getattr(b, k) for k in CUE_LOOK})
        return _Swap(0, [], [], self.cue_index, [a, b], [merged])


class ReplaceCues(Edit):
    """Replace all cues (re-segmentation with a rule profile)."""

    description = "Re-segment cues"

    def __init__(self, cues: Sequence[Cue]):
        super().__init__()
        self.cues = list(cues)

    def _plan(self, doc: Document) -> _Swap:
        return _Swap(0, [], [], 0, list(doc.cues), list(self.cues))


class MakeCues(Edit):
    """Cues made under ``profile`` for a document that has none (after its first alignment).

    A document that has cues (an imported subtitle file's, or ones the user made or changed)
    keeps them: then this edit changes nothing. Planned when applied, so placed after an
    :class:`ApplyAlignment` in one :class:`CompositeEdit` it times the cues from the new times.
    """

    description = "Make cues"

    def __init__(self, profile: Profile):
        super().__init__()
        self.profile = profile

    def _plan(self, doc: Document) -> _Swap:
        if doc.cues or not doc.tokens:
            return _Swap(0, [], [], 0, [], [])
        return _Swap(0, [], [], 0, [], segment(doc, self.profile))


class SetLocked(Edit):
    """Lock or unlock tokens (locked times are constraints the aligner never moves)."""

    description = "Lock words"

    def __init__(self, indices: Iterable[int], locked: bool = True):
        super().__init__()
        self.indices = sorted(set(indices))
        self.locked = locked
        self.description = "Lock words" if locked else "Unlock words"

    def _plan(self, doc: Document) -> _Swap:
        return _swap_tokens(doc, self.indices, lambda t: replace(t, locked=self.locked))


class MarkReviewed(Edit):
    """Accept recognised words as they are: their DRAFT flag goes (one undo step)."""

    description = "Accept words"

    def __init__(self, indices: Iterable[int]):
        super().__init__()
        self.indices = sorted(set(indices))

    def _plan(self, doc: Document) -> _Swap:
        return _swap_tokens(doc, self.indices, lambda t: replace(t, flags=int(t.flags) & ~int(Flag.DRAFT)) if t.flags & Flag.DRAFT else t)


def _swap_tokens(doc: Document, indices: list[int], change: Callable[[Token], Token]) -> _Swap:
    """A swap that changes each of the sorted ``indices``' tokens with ``change`` (others kept)."""
    if not indices:
        return _Swap(0, [], [], 0, [], [])
    for i in (indices[0], indices[-1]):
        _check_index(doc, i)
    lo, hi = indices[0], indices[-1] + 1
    wanted = set(indices)
    old = doc.tokens[lo:hi]
    return _Swap(lo, old, [change(t) if lo + k in wanted else t for k, t in enumerate(old)], 0, [], [])


class SetUntranscribed(Edit):
    """Replace the untranscribed spans inside ``[lo_ms, hi_ms]`` with ``spans``.

    Spans reaching outside the window keep their outside parts: an alignment of one stretch
    knows nothing of the rest of the recording. The new spans are clipped to the window."""

    description = "Untranscribed spans"

    def __init__(self, lo_ms: int, hi_ms: int, spans: Iterable[Sequence[int]] = ()):
        super().__init__()
        self.lo, self.hi = int(lo_ms), int(hi_ms)
        if self.hi < self.lo:
            raise ValueError("the window ends before it starts")
        self.spans = [(int(a), int(b)) for a, b in spans]
        self._old: list[tuple[int, int]] | None = None

    def apply(self, doc: Document) -> Changed:
        if self._old is not None:
            raise _internal(f"{self.description}: already applied")
        lo, hi = self.lo, self.hi
        kept: list[tuple[int, int]] = []
        for a, b in doc.untranscribed:
            kept += [(a, min(b, lo))] if a < lo else []
            kept += [(max(a, hi), b)] if b > hi else []
        new = normalize_spans(kept + [(max(a, lo), min(b, hi)) for a, b in self.spans], doc.duration_ms)
        self._old = list(doc.untranscribed)
        doc.untranscribed = new
        doc.revision += 1
        return Changed(spans=new != self._old)

    def revert(self, doc: Document) -> Changed:
        if self._old is None:
            raise _internal(f"{self.description}: not applied")
        changed = Changed(spans=doc.untranscribed != self._old)
        doc.untranscribed, self._old = self._old, None
        doc.revision += 1
        return changed

    @property
    def applied(self) -> bool:
        return self._old is not None


class SetLanguage(Edit):
    """The document's language: a draft recognised in another language brings its own, and undo
    gives the old one back with the old words."""

    description = "Language"

    def __init__(self, language: str):
        super().__init__()
        if not language:
            raise ValueError("a document always has a language")
        self.language = language
        self._old: str | None = None

    def apply(self, doc: Document) -> Changed:
        if self._old is not None:
            raise _internal(f"{self.description}: already applied")
        self._old, doc.language = doc.language, self.language
        doc.revision += 1
        return Changed(language=self._old != self.language)

    def revert(self, doc: Document) -> Changed:
        if self._old is None:
            raise _internal(f"{self.description}: not applied")
        changed = Changed(language=doc.language != self._old)
        doc.language, self._old = self._old, None
        doc.revision += 1
        return changed

    @property
    def applied(self) -> bool:
        return self._old is not None


#: The timing :class:`ApplyAlignment` takes, in document ms: the engine's one timing type
#: (:class:`aligner_core.align.types.WordTiming`) under the name its callers have used.
TokenTiming = WordTiming


class ApplyAlignment(Edit):
    """Apply an aligner's times to tokens ``first..first+len(timings)-1`` as one step.

    Locked tokens keep their times (the aligner was told to keep them; this is the last
    guard). Flags the aligner owns are replaced; ``LOCKED``-independent user flags such as
    ``EDITED`` are cleared because the word has now been aligned with its new text.
    """

    description = "Align"

    def __init__(self, first: int, timings: Sequence[TokenTiming]):
        super().__init__()
        self.first, self.timings = first, list(timings)

    def _plan(self, doc: Document) -> _Swap:
        hi = self.first + len(self.timings)
        if not (0 <= self.first and hi <= len(doc.tokens)):
            raise _internal(f"alignment for words {self.first}..{hi - 1} does not fit the {len(doc.tokens)} words")
        old = doc.tokens[self.first : hi]
        new = []
        for tok, tm in zip(old, self.timings):
            if tok.locked:
                new.append(tok)
                continue
            # a recognised word stays unreviewed however often it is re-aligned
            flags = int(tm.flags) | (int(tok.flags) & int(Flag.DRAFT))
            new.append(_timed(replace(tok, confidence=tm.confidence, flags=flags, phones=()), start=tm.start, end=tm.end, phones=tuple(tm.phones)))
        return _Swap(self.first, old, new, 0, [], [])


class CompositeEdit(Edit):
    """Several edits as one undo step; all or nothing."""

    def __init__(self, edits: Sequence[Edit], description: str = "Edit"):
        super().__init__()
        self.edits = list(edits)
        self.description = description
        self._applied = False

    def apply(self, doc: Document) -> Changed:
        if self._applied:
            raise _internal(f"{self.description}: already applied")
        changed = Changed()
        done: list[Edit] = []
        try:
            for edit in self.edits:
                changed = changed | edit.apply(doc)
                done.append(edit)
        except Exception:
            for edit in reversed(done):
                edit.revert(doc)
            raise
        self._applied = True
        return changed

    def revert(self, doc: Document) -> Changed:
        if not self._applied:
            raise _internal(f"{self.description}: not applied")
        changed = Changed()
        for edit in reversed(self.edits):
            changed = changed | edit.revert(doc)
        self._applied = False
        return changed

    @property
    def applied(self) -> bool:
        return self._applied
