"""Progress reporting and cancellation for long work, with no GUI dependency.

The core calls a plain ``progress(fraction, stage)`` callback and checks a
:class:`CancelToken` between units of work; the GUI's worker thread re-emits progress as
signals and sets the token from the GUI thread to cancel.
"""

from __future__ import annotations

import threading
import time
from typing import Callable, Optional

ProgressCallback = Callable[[float, str], None]


class Cancelled(Exception):
    """Raised inside long work when its CancelToken was set; nothing has been changed."""


class CancelToken:
    """A thread-safe cancel flag (set from any thread, checked by the worker)."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled("cancelled")


def no_progress(fraction: float, stage: str) -> None:  # noqa: ARG001 - matches ProgressCallback
    """A progress callback that ignores everything."""


class SubProgress:
    """Maps a sub-task's 0..1 progress into ``[lo, hi]`` of a parent callback.

    It also throttles: the parent is called when the stage changes, at the end, or at most
    every ``interval`` seconds otherwise, so tight loops may report as often as they like.
    """

    def __init__(self, parent: Optional[ProgressCallback], lo: float = 0.0, hi: float = 1.0, interval: float = 0.1):
        self.parent = parent or no_progress
        self.lo, self.hi = lo, hi
        self.interval = interval
        self._last_time = 0.0
        self._last_stage: str | None = None

    def __call__(self, fraction: float, stage: str) -> None:
        now = time.monotonic()
        fraction = min(1.0, max(0.0, fraction))
        if stage != self._last_stage or fraction >= 1.0 or now - self._last_time >= self.interval:
            self._last_time, self._last_stage = now, stage
            self.parent(self.lo + (self.hi - self.lo) * fraction, stage)

    def sub(self, lo: float, hi: float) -> "SubProgress":
        """A child covering ``[lo, hi]`` of this one's range."""
        span = self.hi - self.lo
        return SubProgress(self.parent, self.lo + span * lo, self.lo + span * hi, self.interval)
