"""THE rule for where an aligner's word times may lie: one definition for every producer of times.

Backends, the long-form stitching and the engine's entry point all hand back one timing per token;
:func:`clamp_and_order` is the last thing each of them does to it, so a word is clamped, ordered
and flagged the same way whichever path it took:

- **No time.** A word whose start or end is ``None`` (or not a finite number) has no time:
  start and end are ``None``. Its flags stay as its producer set them: what a missing time
  means is the producer's to say (a token with nothing to pronounce is not "not found").
- **Whole milliseconds.** Times are rounded to the nearest ms (half to even); integers pass
  unchanged.
- **Inside the audio.** A start or end outside ``[0, duration_ms]`` is clamped into it and the
  word gets :attr:`~aligner_core.document.Flag.CLAMPED` (it was put outside the audio or window).
- **In order.** A start before the previous timed word's end moves up to that end, and an end
  before its own start moves up to the start. Words never overlap; untimed words in between do
  not reset the order. A move of :data:`REPAIR_MS` or more gets
  :attr:`~aligner_core.document.Flag.INTERPOLATED` (the time was repaired, not measured); a
  smaller one is below the 10 ms frame every backend measures in (sphinx's junction bias
  corrections overlap by 5-9 ms) and would only send a well-placed word to review.
- **No minimum length.** A zero-length word stays zero-length (:func:`.confidence.finalize`
  flags it for review): :data:`aligner_core.edits.MIN_WORD_MS` limits what a person's drag makes,
  and an aligner's answer may be shorter.
- **Confidence** is clipped to ``[0, 1]``; ``None`` or NaN becomes 0.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Iterable, TypeVar

from ..document import Flag

T = TypeVar("T")

#: the smallest order repair that is flagged (one analysis frame of the finest backend)
REPAIR_MS = 10


def clamp_and_order(timings: Iterable[T], duration_ms: int) -> list[T]:
    """``timings`` (ms relative to audio of ``duration_ms``) clamped into the audio, ordered and
    flagged by the rule above; each comes back as a copy of itself with only those fields
    changed (so whatever else a timing carries stays with it)."""
    out: list[T] = []
    floor = 0
    for t in timings:
        conf = _clipped(t.confidence)
        if not (_finite(t.start) and _finite(t.end)):
            out.append(replace(t, start=None, end=None, confidence=conf, flags=int(t.flags)))
            continue
        flags = int(t.flags)
        start, end = int(round(t.start)), int(round(t.end))
        if not (0 <= start <= duration_ms and 0 <= end <= duration_ms):
            flags |= Flag.CLAMPED
            start = min(max(start, 0), duration_ms)
            end = min(max(end, 0), duration_ms)
        moved = max(floor - start, 0)
        start = max(start, floor)
        moved = max(moved, start - end)
        end = max(end, start)
        if moved >= REPAIR_MS:
            flags |= Flag.INTERPOLATED
        floor = end
        out.append(replace(t, start=start, end=end, confidence=conf, flags=int(flags)))
    return out


def _finite(x) -> bool:
    return x is not None and math.isfinite(x)


def _clipped(confidence) -> float:
    if confidence is None or not math.isfinite(confidence):
        return 0.0
    return float(min(1.0, max(0.0, confidence)))
