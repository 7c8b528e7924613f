"""The time axis: ticks as seconds, m:ss or h:mm:ss (not pyqtgraph's "ks" SI prefixes on long files)."""

from __future__ import annotations

import pyqtgraph as pg

from aligner_core.video.timecode import format_timecode


def tick_label(seconds: float, decimals: int, largest: float) -> str:
    """``seconds`` as a tick label; ``largest`` (the biggest tick in view) picks one style for all."""
    seconds = max(0.0, seconds)
    if largest < 60:
        return f"{seconds:.{decimals}f}"
    whole = int(seconds)
    frac = f"{seconds - whole:.{decimals}f}"[1:] if decimals else ""
    h, rest = divmod(whole, 3600)
    m, s = divmod(rest, 60)
    if largest >= 3600:
        return f"{h}:{m:02d}:{s:02d}{frac}"
    return f"{m}:{s:02d}{frac}"


def decimals_for(spacing: float) -> int:
    for decimals, step in ((0, 1.0), (1, 0.1), (2, 0.01)):
        if spacing >= step * 0.999:
            return decimals
    return 3


class TimeAxis(pg.AxisItem):
    def __init__(self, **kwargs) -> None:
        super().__init__("bottom", **kwargs)
        self.enableAutoSIPrefix(False)
        self.timecode: tuple | None = None  # (fps, first frame ms): ticks read HH:MM:SS:FF

    def set_timecode(self, fps, origin_ms: int = 0) -> None:
        self.timecode = (fps, origin_ms) if fps else None
        self.picture = None  # pyqtgraph's cached drawing of the ticks
        self.update()

    def tickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph API
        if not values:
            return []
        if self.timecode is not None:
            fps, origin = self.timecode
            return [format_timecode(max(0.0, v * scale * 1000 - origin), fps) for v in values]
        decimals = decimals_for(spacing * scale)
        largest = max(values) * scale
        return [tick_label(v * scale, decimals, largest) for v in values]

    def tickSpacing(self, minVal, maxVal, size):  # noqa: N802 - pyqtgraph API
        # minutes and hours divide into 60, not 10: ticks at 1, 2, 5, 10, 15, 30 s, 1, 2, 5, 10, 15, 30 min, 1 h...
        span = maxVal - minVal
        if span <= 120 or size <= 0:
            return super().tickSpacing(minVal, maxVal, size)
        steps = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200)
        target = span / max(size / 90.0, 1.0)  # about one label per 90 px
        major = next((s for s in steps if s >= target), steps[-1])
        minor = next((s for s in reversed(steps) if s <= major / 4), major / 5)
        return [(major, 0), (minor, 0)]
