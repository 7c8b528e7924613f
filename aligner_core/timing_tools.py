"""Timing post-processors over cue display times (Aegisub's and Subtitle Edit's), planned then applied.

Each tool is a pure function ``plan_x(doc, cue_indices, ...) -> list[CueChange]``: what it would
change and why, so a view can show it before anything moves. :class:`RetimeCues` applies a plan
as one undoable edit. ``cue_indices`` is the scope (``None``: every cue); cues outside it never
move, but they still bound the cues inside it.

What the tools move, and what they keep
    Only cue display times (``Cue.start``/``Cue.end``). Word times are measurements of the
    speech and stay. A changed cue gets both its times pinned (as :class:`MoveCueEdge` does).
    The document's invariants hold after every tool: ``0 <= start <= end``, ``end`` within the
    audio, no cue starting before the previous one ends. On top of them the tools keep the
    text on screen while it is spoken:

    - a start never moves later than the cue's first aligned word begins (nor later than it
      already is, when it already is later);
    - an end never moves earlier than the cue's last aligned word ends (nor earlier than it
      already is), with one exception: the minimum gap may cut up to the gap off the last
      word, as segmentation's ``trim_to_gap`` does (:mod:`aligner_core.cues`), because a gap
      the eye can see between two cues matters more than the last few ms of a word;
    - a cue without aligned words only keeps ``start <= end``.

    Where a rule cannot be met within those limits (a gap between touching words, a maximum
    duration shorter than the words) the tool does what it can and leaves the rest. One case
    overrides the word limits: a changed cue that already overlapped a neighbour (a loaded
    document's cue whose times fall back to its words may reach into the next cue's own start)
    is pulled off it (reason ``"overlap"``), because a pinned overlap would break the document.

Order when several are chosen (:func:`plan`), Aegisub's order extended with Subtitle Edit's tools:
    1. lead-in / lead-out (widen each cue; where the lead-out of one and the lead-in of the next
       want the same gap they share it in proportion);
    2. chain: close gaps up to a threshold (Aegisub's "make adjacent subtitles continuous",
       Subtitle Edit's "bridge gaps"), meeting at ``bias`` of the gap;
    3. minimum display time per characters (reading speed), minimum and maximum duration;
    4. snap to shot changes, then to video frames;
    5. minimum gap last, because it is the guarantee the others may undo: it pulls the earlier
       cue's end back, so starts stay on the speech and on the cuts they were snapped to
       (chain + minimum gap is Subtitle Edit's bridge gaps "keeping a minimum gap").
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Callable, Iterable, Sequence

import numpy as np

from .cues import display_len
from .document import Cue, Document
from .edits import Edit, _internal, _Swap
from .video.snapping import snap_to_shot
from .video.timecode import frame_index, frame_ms

__all__ = [
    "CueChange",
    "TimingSettings",
    "RetimeCues",
    "TOOLS",
    "plan",
    "plan_lead",
    "plan_chain",
    "plan_reading_speed",
    "plan_min_duration",
    "plan_max_duration",
    "plan_snap_shots",
    "plan_snap_frames",
    "plan_min_gap",
]

#: reasons a cue moved, in the order :func:`plan` applies the tools (stable codes the views translate)
#: ("overlap": a changed cue pulled off a neighbour it already overlapped)
TOOLS = ("lead", "chain", "reading_speed", "min_duration", "max_duration", "shots", "frames", "min_gap", "overlap")

_FAR = 2**62


@dataclass(frozen=True)
class CueChange:
    """Cue ``index`` moves from ``old`` to ``new`` (``(start, end)`` in ms) because of ``reasons``."""

    index: int
    old: tuple[int, int]
    new: tuple[int, int]
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class TimingSettings:
    """Which tools run and with what; a tool whose value is ``None`` (or 0 where noted) is off.

    ``chain_bias`` is where a closed gap's meeting point lies: 0 pulls the later cue's start back
    to the earlier's end, 1 holds the earlier cue until the later begins (Subtitle Edit's bridge
    gaps; the default, so the next cue still appears with its first word). ``shot_tolerance_ms``
    is how far an edge may travel to a shot change. ``fps`` snaps edges to frame starts of a
    video whose first frame is at ``frame_origin_ms``.
    """

    lead_in_ms: int = 0
    lead_out_ms: int = 0
    chain_ms: int = 0
    chain_bias: float = 1.0
    max_cps: float | None = None
    min_duration_ms: int = 0
    max_duration_ms: int | None = None
    shots: tuple[int, ...] = ()
    shot_tolerance_ms: int = 0
    fps: Fraction | float | None = None
    frame_origin_ms: int = 0
    min_gap_ms: int = 0

    def __post_init__(self) -> None:
        for name in ("lead_in_ms", "lead_out_ms", "chain_ms", "min_duration_ms", "shot_tolerance_ms", "min_gap_ms"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")
        if not 0.0 <= self.chain_bias <= 1.0:
            raise ValueError("chain_bias must be between 0 and 1")
        if self.max_cps is not None and self.max_cps <= 0:
            raise ValueError("max_cps must be positive")
        if self.max_duration_ms is not None and self.max_duration_ms <= 0:
            raise ValueError("max_duration_ms must be positive")
        if self.max_duration_ms is not None and self.min_duration_ms > self.max_duration_ms:
            raise ValueError("the minimum duration is above the maximum duration")
        if self.fps is not None and self.fps <= 0:
            raise ValueError("fps must be positive")


# -- shared limits -------------------------------------------------------------------------------


class _Times:
    """Working cue times while tools run one after another; the document itself is not touched."""

    def __init__(self, doc: Document, cue_indices: Iterable[int] | None):
        self.doc = doc
        self.times: list[tuple[int | None, int | None]] = [doc.cue_times(c) for c in doc.cues]
        self.original = list(self.times)
        n = len(doc.cues)
        chosen = range(n) if cue_indices is None else sorted({int(c) for c in cue_indices})
        for c in chosen:
            if not 0 <= c < n:
                raise ValueError(f"cue {c} does not exist (there are {n})")
        #: cues in scope that have both times (a cue without times has nothing to post-process)
        self.scope = [c for c in chosen if None not in self.times[c]]
        self.in_scope = set(self.scope)
        self.reasons: dict[int, list[str]] = {}
        self._words = [self._word_span(cue) for cue in doc.cues]
        self.end_of_audio = doc.duration_ms if doc.duration_ms is not None else _FAR

    def _word_span(self, cue: Cue) -> tuple[int | None, int | None]:
        toks = self.doc.tokens[cue.first : cue.last + 1]
        first = next((t.start for t in toks if t.start is not None and t.end is not None), None)
        last = next((t.end for t in reversed(toks) if t.start is not None and t.end is not None), None)
        return first, last

    # the limits the module docstring promises, against the times the cue had before any tool
    def latest_start(self, c: int) -> int:
        start, end = self.original[c]
        word = self._words[c][0]
        return min(max(start, word), end) if word is not None else end  # type: ignore[type-var]

    def earliest_end(self, c: int, trim: int = 0) -> int:
        start, end = self.original[c]
        word = self._words[c][1]
        return max(min(end, word - trim), start) if word is not None else start  # type: ignore[type-var, operator]

    def prev_end(self, c: int) -> int:
        """Where cue ``c``'s start must stay after: the end of the nearest timed cue before it."""
        for k in range(c - 1, -1, -1):
            if self.times[k][1] is not None:
                return int(self.times[k][1])  # type: ignore[arg-type]
        return 0

    def next_start(self, c: int) -> int:
        for k in range(c + 1, len(self.times)):
            if self.times[k][0] is not None:
                return int(self.times[k][0])  # type: ignore[arg-type]
        return self.end_of_audio

    def neighbour(self, c: int, step: int) -> int | None:
        """The nearest cue with times before (``step`` -1) or after (+1) ``c``."""
        k = c + step
        while 0 <= k < len(self.times) and None in self.times[k]:
            k += step
        return k if 0 <= k < len(self.times) else None

    def set(self, c: int, start: int, end: int, reason: str) -> None:
        if (start, end) == self.times[c]:
            return
        self.times[c] = (int(start), int(end))
        why = self.reasons.setdefault(c, [])
        if reason not in why:
            why.append(reason)

    def changes(self) -> list[CueChange]:
        out = []
        for c in sorted(self.reasons):
            if self.times[c] != self.original[c]:
                out.append(CueChange(c, self.original[c], self.times[c], tuple(self.reasons[c])))  # type: ignore[arg-type]
        return out


# -- the tools (each runs over working times, so plan() can chain them) ----------------------------


def _lead(t: _Times, lead_in: int, lead_out: int) -> None:
    if not (lead_in or lead_out):
        return
    want_in = {c: lead_in for c in t.scope}
    want_out = {c: lead_out for c in t.scope}
    # a gap wanted by both sides is shared in proportion to what each side asks for
    for c in t.scope:
        p = t.neighbour(c, -1)
        if p is not None and p in t.in_scope and lead_in:
            gap = max(0, t.times[c][0] - t.times[p][1])  # type: ignore[operator]
            asked = lead_out + lead_in
            if asked > gap:
                want_in[c] = gap * lead_in // asked
                want_out[p] = gap - want_in[c]
    for c in t.scope:
        start, end = t.times[c]
        new_start = max(start - want_in[c], t.prev_end(c), 0) if want_in[c] else start  # type: ignore[operator]
        new_start = min(new_start, start)  # type: ignore[type-var]
        new_end = min(end + want_out[c], t.next_start(c), t.end_of_audio) if want_out[c] else end  # type: ignore[operator]
        new_end = max(new_end, end)  # type: ignore[type-var]
        t.set(c, new_start, new_end, "lead")  # type: ignore[arg-type]


def _chain(t: _Times, threshold: int, bias: float) -> None:
    if threshold <= 0:
        return
    for c in range(len(t.times)):
        n = t.neighbour(c, 1)
        if n is None or None in t.times[c] or not (c in t.in_scope or n in t.in_scope):
            continue
        (a_start, a_end), (b_start, b_end) = t.times[c], t.times[n]
        gap = b_start - a_end  # type: ignore[operator]
        if not 0 < gap <= threshold:
            continue
        if c not in t.in_scope:
            meet = a_end
        elif n not in t.in_scope:
            meet = b_start
        else:
            meet = a_end + round(gap * bias)  # type: ignore[operator]
        t.set(c, a_start, meet, "chain")  # type: ignore[arg-type]
        t.set(n, meet, b_end, "chain")  # type: ignore[arg-type]


def _lengthen(t: _Times, need: Callable[[int], int], reason: str) -> None:
    for c in t.scope:
        start, end = t.times[c]
        want = start + need(c)  # type: ignore[operator]
        if want > end:  # type: ignore[operator]
            t.set(c, start, max(end, min(want, t.next_start(c), t.end_of_audio)), reason)  # type: ignore[arg-type, type-var]


def _reading_speed(t: _Times, max_cps: float | None) -> None:
    if max_cps is None:
        return
    doc = t.doc

    def need(c: int) -> int:
        # characters counted line by line, as the cue checker counts them (line breaks are not read)
        chars = sum(display_len(line) for line in doc.cue_lines(doc.cues[c]))
        return math.ceil(chars * 1000.0 / max_cps)

    _lengthen(t, need, "reading_speed")


def _min_duration(t: _Times, ms: int) -> None:
    if ms > 0:
        _lengthen(t, lambda c: ms, "min_duration")


def _max_duration(t: _Times, ms: int | None) -> None:
    if ms is None:
        return
    for c in t.scope:
        start, end = t.times[c]
        if end - start > ms:  # type: ignore[operator]
            t.set(c, start, max(start + ms, t.earliest_end(c)), "max_duration")  # type: ignore[operator, arg-type]


def _snap(t: _Times, to: Callable[[int, str], Sequence[int]], reason: str) -> None:
    """Move each edge to the first of ``to(ms, side)``'s candidates that keeps every limit."""
    for c in t.scope:
        start, end = t.times[c]
        lo = t.prev_end(c)
        new_start = next((s for s in to(start, "start") if lo <= s <= min(t.latest_start(c), end)), start)  # type: ignore[arg-type, type-var]
        hi = min(t.next_start(c), t.end_of_audio)
        new_end = next((e for e in to(end, "end") if max(t.earliest_end(c), new_start) <= e <= hi), end)  # type: ignore[arg-type, type-var]
        t.set(c, new_start, new_end, reason)  # type: ignore[arg-type]


def _snap_shots(t: _Times, shots: Sequence[int], tolerance: int) -> None:
    if not len(shots) or tolerance <= 0:
        return
    ordered = np.sort(np.asarray(shots, dtype=np.float64))  # once: snap_to_shot takes an array as it is
    _snap(t, lambda ms, side: [round(snap_to_shot(ms, ordered, tolerance))], "shots")


def _snap_frames(t: _Times, fps, origin: int) -> None:
    if not fps:
        return

    def candidates(ms: int, side: str) -> list[int]:
        k = frame_index(max(0, ms - origin), fps)
        below, above = origin + frame_ms(k, fps), origin + frame_ms(k + 1, fps)
        if below == ms:
            return [ms]
        # when the nearest frame start breaks a limit, the frame start on the other side may keep it
        return sorted((below, above), key=lambda f: abs(f - ms))

    _snap(t, candidates, "frames")


def _min_gap(t: _Times, gap: int) -> None:
    if gap <= 0:
        return
    for c in t.scope:
        n = t.neighbour(c, 1)
        if n is None:
            continue
        start, end = t.times[c]
        latest = t.times[n][0] - gap  # type: ignore[operator]
        if end > latest:  # type: ignore[operator]
            t.set(c, start, max(latest, t.earliest_end(c, trim=gap), start), "min_gap")  # type: ignore[arg-type, type-var]


def _no_overlap(t: _Times) -> None:
    """A changed cue gets both times pinned, so it must not overlap a neighbour: a loaded document's
    cues may (a cue's times taken from its words reach into the next cue's own)."""
    for c in sorted(t.reasons):
        start, end = t.times[c]
        p, n = t.neighbour(c, -1), t.neighbour(c, 1)
        if p is not None and start < t.times[p][1]:  # type: ignore[operator]
            start = min(t.times[p][1], end)  # type: ignore[type-var]
        if n is not None and end > t.times[n][0]:  # type: ignore[operator]
            end = max(t.times[n][0], start)  # type: ignore[type-var]
        t.set(c, start, end, "overlap")  # type: ignore[arg-type]


# -- public plans --------------------------------------------------------------------------------


def plan(doc: Document, cue_indices: Iterable[int] | None, settings: TimingSettings) -> list[CueChange]:
    """Every chosen tool in the module's order; one change per cue, naming every tool that moved it."""
    t = _Times(doc, cue_indices)
    _lead(t, settings.lead_in_ms, settings.lead_out_ms)
    _chain(t, settings.chain_ms, settings.chain_bias)
    _reading_speed(t, settings.max_cps)
    _min_duration(t, settings.min_duration_ms)
    _max_duration(t, settings.max_duration_ms)
    _snap_shots(t, settings.shots, settings.shot_tolerance_ms)
    _snap_frames(t, settings.fps, settings.frame_origin_ms)
    _min_gap(t, settings.min_gap_ms)
    _no_overlap(t)
    return t.changes()


def plan_lead(doc: Document, cue_indices: Iterable[int] | None, lead_in_ms: int, lead_out_ms: int) -> list[CueChange]:
    """Start each cue ``lead_in_ms`` earlier and end it ``lead_out_ms`` later, never over a neighbour."""
    return plan(doc, cue_indices, TimingSettings(lead_in_ms=lead_in_ms, lead_out_ms=lead_out_ms))


def plan_chain(doc: Document, cue_indices: Iterable[int] | None, threshold_ms: int, bias: float = 1.0) -> list[CueChange]:
    """Close every gap of at most ``threshold_ms`` between consecutive cues, meeting at ``bias`` of it."""
    return plan(doc, cue_indices, TimingSettings(chain_ms=threshold_ms, chain_bias=bias))


def plan_reading_speed(doc: Document, cue_indices: Iterable[int] | None, max_cps: float) -> list[CueChange]:
    """Lengthen cues shown too briefly to read at ``max_cps`` characters per second (as cues.py counts)."""
    return plan(doc, cue_indices, TimingSettings(max_cps=max_cps))


def plan_min_duration(doc: Document, cue_indices: Iterable[int] | None, ms: int) -> list[CueChange]:
    """Lengthen cues shorter than ``ms`` (their end moves, up to the next cue and the audio's end)."""
    return plan(doc, cue_indices, TimingSettings(min_duration_ms=ms))


def plan_max_duration(doc: Document, cue_indices: Iterable[int] | None, ms: int) -> list[CueChange]:
    """Shorten cues longer than ``ms``, never cutting their last word."""
    return plan(doc, cue_indices, TimingSettings(max_duration_ms=ms))


def plan_snap_shots(doc: Document, cue_indices: Iterable[int] | None, shots: Sequence[int], tolerance_ms: int) -> list[CueChange]:
    """Move cue edges onto a shot change (cut times in ms) within ``tolerance_ms``."""
    return plan(doc, cue_indices, TimingSettings(shots=tuple(int(s) for s in shots), shot_tolerance_ms=tolerance_ms))


def plan_snap_frames(doc: Document, cue_indices: Iterable[int] | None, fps, origin_ms: int = 0) -> list[CueChange]:
    """Move cue edges onto frame starts (the nearest one that keeps the limits)."""
    return plan(doc, cue_indices, TimingSettings(fps=fps, frame_origin_ms=origin_ms))


def plan_min_gap(doc: Document, cue_indices: Iterable[int] | None, ms: int) -> list[CueChange]:
    """End each cue at least ``ms`` before the next starts (pulling its end back)."""
    return plan(doc, cue_indices, TimingSettings(min_gap_ms=ms))


# -- applying a plan ------------------------------------------------------------------------------


class RetimeCues(Edit):
    """A plan's changes as one undoable edit (both times of each changed cue pinned)."""

    description = "Timing post-processor"

    def __init__(self, changes: Sequence[CueChange]):
        super().__init__()
        self.changes = list(changes)

    def _plan(self, doc: Document) -> _Swap:
        if not self.changes:
            return _Swap(0, [], [], 0, [], [])
        by_index = {ch.index: ch for ch in self.changes}
        lo, hi = min(by_index), max(by_index)
        if lo < 0 or hi >= len(doc.cues):
            raise _internal(f"timing plan names cue {hi if hi >= len(doc.cues) else lo}; there are {len(doc.cues)}")
        old = doc.cues[lo : hi + 1]
        new = []
        for c, cue in enumerate(old, start=lo):
            ch = by_index.get(c)
            if ch is None:
                new.append(cue)
                continue
            if doc.cue_times(cue) != ch.old:
                raise _internal(f"cue {c} changed after the timing plan was made")
            new.append(replace(cue, start=ch.new[0], end=ch.new[1]))
        return _Swap(0, [], [], lo, list(old), new)
