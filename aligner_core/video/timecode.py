"""Frame-accurate times: a time in ms snapped to the video's frames, and SMPTE-style timecode.

Frame k of a constant-rate video starts at ``k / fps`` s. Times in the model stay integer ms, so a
snapped time is the ms nearest the frame's start; :func:`frame_index` inverts it exactly (a
frame lasts at least 16 ms below 60 fps, so rounding never lands in the neighbour).

Timecode is non-drop-frame ``HH:MM:SS:FF`` counted at the nominal rate (29.97 fps counts 30 frames a
"second", as NDF timecode does); drop-frame timecode is not written: subtitle tools read NDF, and
NTSC drop-frame labels would only matter for broadcast deliveries.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

_TIMECODE = re.compile(r"^\s*(\d+):([0-5]?\d):([0-5]?\d)[:;.](\d+)\s*$")


def _rate(fps: float | Fraction) -> Fraction:
    rate = Fraction(fps).limit_denominator(1001) if not isinstance(fps, Fraction) else fps
    if rate <= 0:
        raise ValueError(f"frame rate must be positive, not {fps!r}")
    return rate


def frame_index(ms: float, fps: float | Fraction) -> int:
    """The frame shown at ``ms``: the last one starting at or before it (never negative)."""
    rate = _rate(fps)
    # a time snapped to a frame (rounded to the ms) may sit up to 0.5 ms before its exact start
    return max(0, math.floor((Fraction(ms) + Fraction(1, 2)) * rate / 1000))


def frame_ms(index: int, fps: float | Fraction) -> int:
    """The start of frame ``index`` in whole ms (nearest)."""
    return round(Fraction(max(0, index)) * 1000 / _rate(fps))


def snap_to_frame(ms: float, fps: float | Fraction) -> int:
    """``ms`` moved to the nearest frame start."""
    rate = _rate(fps)
    return frame_ms(max(0, round(Fraction(ms) * rate / 1000)), rate)


def _nominal(rate: Fraction) -> int:
    return max(1, round(rate))


def format_timecode(ms: float, fps: float | Fraction) -> str:
    """``HH:MM:SS:FF`` (non-drop-frame) of the frame shown at ``ms``."""
    rate = _rate(fps)
    per_second = _nominal(rate)
    index = frame_index(ms, rate)
    seconds, ff = divmod(index, per_second)
    hh, rest = divmod(seconds, 3600)
    mm, ss = divmod(rest, 60)
    return f"{hh:02d}:{mm:02d}:{ss:02d}:{ff:0{len(str(per_second - 1))}d}"


def parse_timecode(text: str, fps: float | Fraction) -> int:
    """The ms of the frame ``HH:MM:SS:FF`` names (``;`` or ``.`` before the frames is read too)."""
    rate = _rate(fps)
    match = _TIMECODE.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not a timecode (HH:MM:SS:FF)")
    hh, mm, ss, ff = (int(g) for g in match.groups())
    per_second = _nominal(rate)
    if ff >= per_second:
        raise ValueError(f"{text!r}: frame {ff} does not exist at {float(rate):g} fps (0 to {per_second - 1})")
    return frame_ms((hh * 3600 + mm * 60 + ss) * per_second + ff, rate)
