"""Speech onsets and offsets found in the envelope pyramid: snap targets for boundary drags.

The timeline snaps a dragged word boundary to the places where sound starts or stops, the way
a user would aim by eye at the waveform. The envelope already holds min/max peaks per 16 ms
bin, so this costs one pass over about 60 numbers a second (a 3-hour file: ~0.7 M bins, a few
milliseconds), with no access to the samples.

``speech_edges(envelope)`` returns sorted times in milliseconds. A bin counts as sound when
its peak rises ``on_db`` above the noise floor (a low percentile of the bin peaks) and stays
sound until it falls below ``off_db``; the two thresholds (hysteresis) keep a level that
hovers around one threshold from making a burst of edges. Runs of sound or silence shorter
than ``min_run_ms`` are absorbed, since a 20 ms blip is no place to aim a word boundary at.
"""

from __future__ import annotations

import numpy as np

from .envelope import Envelope

__all__ = ["speech_edges"]

_FLOOR_PERCENTILE = 10.0
_ABSOLUTE_FLOOR = 1e-4  # -80 dBFS: digital silence has no meaningful floor of its own


def speech_edges(
    envelope: Envelope | None,
    *,
    bin_ms: float = 16.0,
    on_db: float = 14.0,
    off_db: float = 8.0,
    min_run_ms: float = 48.0,
) -> np.ndarray:
    """Times (int64 ms, sorted) where sound starts or stops, from ``envelope``'s peaks."""
    empty = np.zeros(0, dtype=np.int64)
    if envelope is None or not envelope.levels or envelope.frames == 0:
        return empty
    wanted = bin_ms * envelope.sample_rate / 1000.0
    level = min(envelope.levels, key=lambda lv: abs(lv.bin_frames - wanted))
    peaks = np.maximum(np.abs(level.mins), np.abs(level.maxs)).astype(np.float64)
    if len(peaks) < 2:
        return empty
    db = 20.0 * np.log10(np.maximum(peaks, _ABSOLUTE_FLOOR))
    floor = max(float(np.percentile(db, _FLOOR_PERCENTILE)), 20.0 * np.log10(_ABSOLUTE_FLOOR))
    on = db >= floor + on_db
    off = db < floor + off_db
    if not on.any():
        return empty
    # Hysteresis without a Python loop: each bin takes the state of the last bin that was
    # decisively on or off (forward fill); bins before the first decision are silence.
    decided = on | off
    last = np.where(decided, np.arange(len(db)), -1)
    np.maximum.accumulate(last, out=last)
    state = np.where(last >= 0, on[np.maximum(last, 0)], False)

    bin_s_ms = level.bin_frames * 1000.0 / envelope.sample_rate
    min_run = max(1, int(round(min_run_ms / bin_s_ms)))
    state = _absorb_short_runs(state, min_run)
    change = np.flatnonzero(np.diff(state.astype(np.int8))) + 1
    return np.round(change * bin_s_ms).astype(np.int64)


def _absorb_short_runs(state: np.ndarray, min_run: int) -> np.ndarray:
    """Flip runs shorter than ``min_run`` bins to the state around them (gaps first, then blips)."""
    state = state.copy()
    for value in (False, True):
        change = np.flatnonzero(np.diff(state.astype(np.int8))) + 1
        bounds = np.concatenate(([0], change, [len(state)]))
        for a, b in zip(bounds[:-1], bounds[1:]):
            # only inner runs: the file's own start and end are not edges to aim at
            if state[a] == value and b - a < min_run and a > 0 and b < len(state):
                state[a:b] = not value
    return state
