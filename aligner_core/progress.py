"""Progress reporting and cancellation for long work, with no GUI dependency.

The core calls a plain ``progress(fraction, stage)`` callback and checks a
:class:`CancelToken` between units of work; the GUI's worker thread re-emits progress as
signals and sets the token from the GUI thread to cancel.
"""

from __future__ import annotations

import threading
import time
from typing import Callable, Optional, TypeVar

T = TypeVar("T")

ProgressCallback = Callable[[float, str], None]


class Stage(str):
    """A progress stage: the English words the CLI's bar shows, carrying a message ``code`` and
    ``args_dict`` so the editor shows it in the user's language (templates in
    :data:`aligner_core.messages.CATALOG`, as every other message)."""

    code: str
    args_dict: dict

    def __new__(cls, code: str, **args: object) -> "Stage":
        from .messages import CATALOG

        self = super().__new__(cls, CATALOG[code].format(**args))
        self.code = code
        self.args_dict = args
        return self

    def __reduce__(self):
        # a str subclass with keyword arguments: rebuilt through its code (worker processes pickle)
        return (_stage, (self.code, self.args_dict))


def _stage(code: str, args: dict) -> Stage:
    return Stage(code, **args)


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


#: how often :func:`run_with_heartbeat` repeats the newest progress while the work is busy
HEARTBEAT_S = 0.25


class _Latest:
    """The newest (fraction, stage) the work reported; never goes backwards."""

    def __init__(self) -> None:
        self.fraction = 0.0
        self.stage: str = Stage("stage_starting")
        self._lock = threading.Lock()

    def __call__(self, fraction: float, stage: str) -> None:
        with self._lock:
            self.fraction = max(self.fraction, min(1.0, max(0.0, float(fraction))))
            self.stage = stage

    def get(self) -> tuple[float, str]:
        with self._lock:
            return self.fraction, self.stage


def run_with_heartbeat(
    work: Callable[[SubProgress, CancelToken], T],
    progress: Optional[ProgressCallback],
    cancel: Optional[CancelToken],
    *,
    name: str,
    done_stage: str,
) -> T:
    """Run ``work(report, token)`` on a helper thread while this one reports progress at least
    every :data:`HEARTBEAT_S` and answers ``cancel`` within 50 ms, however long the work goes
    between its own checks (a model loading, one long decode). On cancel the helper is told to
    stop at its next check and its result is dropped; nothing it did is applied."""
    latest = _Latest()
    inner = CancelToken()
    box: dict[str, object] = {}
    done = threading.Event()

    def target() -> None:
        try:
            box["result"] = work(SubProgress(latest, interval=0.0), inner)
        except BaseException as exc:  # handed to the caller's thread
            box["error"] = exc
        finally:
            done.set()

    threading.Thread(target=target, name=name, daemon=True).start()
    last_report = 0.0
    try:
        while not done.wait(0.05):
            if cancel is not None and cancel.cancelled:
                raise Cancelled("cancelled")
            now = time.monotonic()
            if progress is not None and now - last_report >= HEARTBEAT_S:
                last_report = now
                progress(*latest.get())
    except BaseException:
        inner.cancel()  # the helper stops at its next check; its result is dropped
        raise
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    if cancel is not None and cancel.cancelled:
        raise Cancelled("cancelled")
    if progress is not None:
        progress(1.0, done_stage)
    return box["result"]  # type: ignore[return-value]
