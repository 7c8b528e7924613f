"""Per-word confidence and warning flags shared by the alignment backends.

Backends measure raw times and a confidence per word; :func:`finalize` turns those into the
:class:`WordTiming` list the Backend protocol promises: one per token, in order, non-overlapping,
inside ``[0, duration]``, with flags for what a person should look at (zero-length words, runs of
equal starts, repaired or clamped times, low confidence, words that could not be aligned).
"""

from __future__ import annotations

import math
from typing import Iterable, Sequence

import numpy as np

from ..document import Flag
from .ordering import clamp_and_order
from .types import SAMPLE_RATE, WordTiming

#: THE low-confidence threshold, the one rule for "worth a look": below it a word gets
#: :attr:`Flag.LOW_CONFIDENCE` from every backend, counts as low confidence in the summary and the
#: CLI, and is marked in the editor's tables, timeline colours and F8 (next word to review). 0.5 is
#: where the offline aligner's calibrated curve puts "as likely wrong as right".
LOW_CONFIDENCE = 0.5
#: Below this a word is doubtful enough for the engine to look again itself (verification passes,
#: mending of long-form chunks): an internal search trigger measured at 0.3, not a review rule.
DOUBTFUL = 0.3


def is_low_confidence(confidence: float | None) -> bool:
    """Is a word's confidence low enough that a person should check it (``None``: unknown, no)."""
    return confidence is not None and confidence < LOW_CONFIDENCE


def duration_ms(audio_or_samples: np.ndarray | int) -> int:
    """Length of 16 kHz audio in whole milliseconds."""
    samples = audio_or_samples if isinstance(audio_or_samples, int) else int(len(audio_or_samples))
    return int(samples * 1000 // SAMPLE_RATE)


def geometric_mean(probs: Iterable[float], floor: float = 1e-6) -> float:
    """Geometric mean of probabilities (0 for none): one bad part pulls a word's confidence down."""
    values = [max(floor, min(1.0, float(p))) for p in probs]
    if not values:
        return 0.0
    return float(math.exp(sum(math.log(v) for v in values) / len(values)))


def local_mass(probs: np.ndarray, classes: Sequence[int], radius: int = 1) -> np.ndarray:
    """Probability within ``radius`` classes of each row's chosen class.

    For a timestamp classifier the next class is only one step away, so the mass near the choice
    says more about how sure the model is than the top probability alone.
    """
    probs = np.asarray(probs, dtype=np.float64)
    out = np.zeros(len(classes), dtype=np.float64)
    n = probs.shape[1]
    for row, c in enumerate(classes):
        c = int(min(max(c, 0), n - 1))
        out[row] = probs[row, max(0, c - radius) : min(n, c + radius + 1)].sum()
    return np.clip(out, 0.0, 1.0)


def finalize(
    raw: Sequence[WordTiming],
    duration: int,
    *,
    low_confidence: float = LOW_CONFIDENCE,
) -> list[WordTiming]:
    """Clamp, order and flag a backend's raw timings (float ms allowed) for review.

    - times are rounded, clamped and ordered by :func:`.ordering.clamp_and_order` (the one rule:
      :attr:`Flag.CLAMPED` for a time outside ``[0, duration]``, :attr:`Flag.INTERPOLATED` for
      one moved a frame or more to keep the words in order; confidence clipped to [0, 1]);
    - ``start == end`` gets :attr:`Flag.ZERO_DURATION`; two or more consecutive aligned words
      with one start get :attr:`Flag.EQUAL_STARTS`;
    - confidence below ``low_confidence`` adds :attr:`Flag.LOW_CONFIDENCE`;
    - a word with no times keeps ``None`` and gets :attr:`Flag.NOT_FOUND`.
    """
    placed = clamp_and_order(raw, duration)
    flags_out = [int(t.flags) | (int(Flag.NOT_FOUND) if t.start is None else 0) for t in placed]
    # Runs of equal starts among aligned words (unaligned words in between do not break a run).
    aligned = [i for i, t in enumerate(placed) if t.start is not None]
    i = 0
    while i < len(aligned):
        j = i
        while j + 1 < len(aligned) and placed[aligned[j + 1]].start == placed[aligned[i]].start:
            j += 1
        if j > i:
            for k in aligned[i : j + 1]:
                flags_out[k] |= Flag.EQUAL_STARTS
        i = j + 1

    result = []
    for t, flags in zip(placed, flags_out):
        if t.start is not None and t.start == t.end:
            flags |= Flag.ZERO_DURATION
        if t.confidence < low_confidence:
            flags |= Flag.LOW_CONFIDENCE
        result.append(WordTiming(start=t.start, end=t.end, confidence=t.confidence, flags=int(flags)))
    return result


def not_found(count: int) -> list[WordTiming]:
    """Timings for words nothing could be measured for."""
    return [WordTiming(None, None, 0.0, int(Flag.NOT_FOUND | Flag.LOW_CONFIDENCE)) for _ in range(count)]
