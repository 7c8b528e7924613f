"""Where a dragged boundary or cue edge lands when the picture has a say: on a shot change near
it, else (frame-accurate timing) on the start of the frame it falls in."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from .timecode import snap_to_frame


def snap_to_shot(ms: float, shots, tolerance_ms: float) -> float:
    """``ms`` moved onto the nearest shot change within ``tolerance_ms`` (else unchanged)."""
    shots = np.asarray(shots if shots is not None else (), dtype=np.float64)
    if not len(shots):
        return ms
    k = int(np.searchsorted(shots, ms))
    near = [shots[j] for j in (k - 1, k) if 0 <= j < len(shots)]
    best = min(near, key=lambda s: abs(s - ms))
    return float(best) if abs(best - ms) <= tolerance_ms else ms


def snap_edge(ms: float, *, shots=None, tolerance_ms: float = 0.0, fps: Fraction | float | None = None, origin_ms: int = 0) -> float:
    """A shot change within ``tolerance_ms`` wins (it is a frame start already); otherwise, with
    ``fps``, the nearest frame start of a video whose first frame is at ``origin_ms``."""
    snapped = snap_to_shot(ms, shots, tolerance_ms)
    if snapped != ms or not fps:
        return snapped
    return float(origin_ms + snap_to_frame(max(0.0, ms - origin_ms), fps))
