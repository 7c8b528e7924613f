"""Min/max peak pyramid for drawing long audio fast, built progressively in one streaming pass.

The timeline never draws raw samples of a long file: it asks the :class:`Envelope` for the
visible range and gets at most ``max_points`` (min, max) pairs from the pyramid level that fits.

API
---
``default_bin_sizes(sample_rate) -> tuple[int, ...]``
    Six levels, 4 ms to 4.1 s per bin at any rate (64, 256, ... 65536 samples at 16 kHz;
    192 ... 196608 at 48 kHz).
``EnvelopeBuilder(sample_rate, bin_sizes=None, expected_frames=0)``
    ``feed(block)`` takes 1-D float32 mono blocks of any length, in order;
    ``snapshot()`` returns an :class:`Envelope` of the bins completed so far (safe to call from
    another thread, e.g. a GUI timer, while a worker feeds); ``finish()`` flushes the partial
    last bins and returns the complete :class:`Envelope`.
``Envelope``
    ``sample_rate``, ``frames`` (samples covered), ``complete``, ``levels`` (finest first, each an
    :class:`EnvelopeLevel` with ``bin_frames``, ``mins``, ``maxs`` as read-only float32 arrays),
    ``duration`` (seconds), ``level_for(samples_per_pixel) -> int``,
    ``slice(t0_s, t1_s, max_points) -> (times, mins, maxs)``, ``Envelope.from_samples(x, rate)``.

Design
------
* Bins are sized in time, not samples: the timeline asks for seconds per pixel, and a 48 kHz
  file then costs no more memory than a 16 kHz one. Below 4 ms per pixel the view should draw
  samples instead (the 16 kHz decode is in memory; ``audio.read_source_range`` for the source).
* Level 0 bins are reduced from the samples with ``np.minimum.reduceat`` (about 1.2 ns/sample for
  min and max together with 192-sample bins, 2.3 ns with 64); every coarser level is reduced from
  the level below it, which costs a quarter of that again, spread over the levels.
* Bin ``j`` of a level always covers samples ``[j*bin, (j+1)*bin)`` of the stream, whatever the
  block boundaries were; the last bin of each level may be partial (it covers the tail). Because
  bins sit on absolute multiples, panning never makes the drawn peaks shimmer.
* Memory: level 0 is 8 bytes per 4 ms (3 h: 22 MB at any source rate); all levels together are
  4/3 of that. Buffers are preallocated from ``expected_frames`` and grow by
  allocating a new buffer (never realloc in place), so snapshots handed to another thread stay
  valid while the builder keeps appending.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from typing import Optional, Sequence

import numpy as np

DEFAULT_BIN_SIZES: tuple[int, ...] = (64, 256, 1024, 4096, 16384, 65536)  # at 16 kHz
FINEST_BIN_SECONDS = 0.004


def default_bin_sizes(sample_rate: int) -> tuple[int, ...]:
    """Bin sizes of the default pyramid: 4 ms, 16 ms, ... 4.096 s in samples of ``sample_rate``."""
    base = max(1, int(round(sample_rate * FINEST_BIN_SECONDS)))
    return tuple(base * 4**k for k in range(len(DEFAULT_BIN_SIZES)))

_EMPTY = np.zeros(0, dtype=np.float32)
_EMPTY.flags.writeable = False


@dataclass(frozen=True)
class EnvelopeLevel:
    """One zoom level: bin ``j`` holds the min and max of samples ``[j*bin_frames, (j+1)*bin_frames)``."""

    bin_frames: int
    mins: np.ndarray
    maxs: np.ndarray

    def __len__(self) -> int:
        return len(self.mins)


@dataclass(frozen=True)
class Envelope:
    """An immutable min/max pyramid (possibly partial, while decoding is still running)."""

    sample_rate: int
    frames: int
    levels: tuple[EnvelopeLevel, ...]
    complete: bool = True

    @property
    def duration(self) -> float:
        """Seconds of audio fed so far."""
        return self.frames / self.sample_rate

    @property
    def nbytes(self) -> int:
        return sum(level.mins.nbytes + level.maxs.nbytes for level in self.levels)

    @classmethod
    def from_samples(cls, samples: np.ndarray, sample_rate: int, bin_sizes: Optional[Sequence[int]] = None) -> "Envelope":
        builder = EnvelopeBuilder(sample_rate, bin_sizes, expected_frames=len(samples))
        builder.feed(samples)
        return builder.finish()

    def level_for(self, samples_per_pixel: float) -> int:
        """Index of the coarsest level whose bins are no wider than one pixel.

        When ``samples_per_pixel`` is below the finest bin this returns 0; at that zoom the view
        should draw raw samples (``audio.read_source_range``) instead of peaks.
        """
        best = 0
        for i, level in enumerate(self.levels):
            if level.bin_frames <= samples_per_pixel:
                best = i
        return best

    def slice(self, t0: float, t1: float, max_points: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Peaks for the time range ``[t0, t1)`` seconds, at most ``max_points`` of them.

        Uses the finest level that fits in ``max_points`` bins; beyond the coarsest level the bins
        are merged further (in groups aligned to absolute indices). Returns ``(times, mins, maxs)``:
        ``times`` (float64 seconds) are bin start times, so bin ``i`` covers
        ``[times[i], times[i] + bin duration)``; all three are empty when nothing is in range.
        """
        if max_points < 1:
            raise ValueError("max_points must be at least 1")
        empty = (np.zeros(0, dtype=np.float64), _EMPTY, _EMPTY)
        if not self.levels or self.frames == 0:
            return empty
        f0 = max(0.0, t0 * self.sample_rate)
        f1 = min(float(self.frames), t1 * self.sample_rate)
        if not f1 > f0:
            return empty
        for level in self.levels:
            i0, i1 = self._index_range(level, f0, f1)
            if i1 - i0 <= max_points:
                times = np.arange(i0, i1, dtype=np.float64) * (level.bin_frames / self.sample_rate)
                return times, level.mins[i0:i1], level.maxs[i0:i1]
        level = self.levels[-1]
        i0, i1 = self._index_range(level, f0, f1)
        group = math.ceil((i1 - i0) / max_points)
        # Align groups to absolute multiples of `group`, so scrolling keeps the same groups.
        i0 = (i0 // group) * group
        while math.ceil((i1 - i0) / group) > max_points:
            group += 1
            i0 = (i0 // group) * group
        starts = np.arange(i0, i1, group)
        mins = np.minimum.reduceat(level.mins[i0:i1], starts - i0)
        maxs = np.maximum.reduceat(level.maxs[i0:i1], starts - i0)
        times = starts.astype(np.float64) * (level.bin_frames / self.sample_rate)
        return times, mins, maxs

    @staticmethod
    def _index_range(level: EnvelopeLevel, f0: float, f1: float) -> tuple[int, int]:
        i0 = min(int(f0 // level.bin_frames), len(level))
        i1 = min(int(math.ceil(f1 / level.bin_frames)), len(level))
        return i0, i1


class _Buffer:
    """A growable pair of float32 arrays; growing allocates anew so old views stay valid."""

    def __init__(self, capacity: int):
        capacity = max(16, capacity)
        self.mins = np.empty(capacity, dtype=np.float32)
        self.maxs = np.empty(capacity, dtype=np.float32)
        self.n = 0

    def append(self, mins: np.ndarray, maxs: np.ndarray) -> None:
        k = len(mins)
        if self.n + k > len(self.mins):
            capacity = max(self.n + k, int(len(self.mins) * 1.5) + 16)
            for name in ("mins", "maxs"):
                old = getattr(self, name)
                new = np.empty(capacity, dtype=np.float32)
                new[: self.n] = old[: self.n]
                setattr(self, name, new)
        self.mins[self.n : self.n + k] = mins
        self.maxs[self.n : self.n + k] = maxs
        self.n += k  # published last: a concurrent snapshot sees only written bins

    def views(self, exact: bool = False) -> tuple[np.ndarray, np.ndarray]:
        mins, maxs = self.mins[: self.n], self.maxs[: self.n]
        if exact and len(self.mins) > self.n + self.n // 20 + 16:
            mins, maxs = mins.copy(), maxs.copy()  # drop a badly overestimated preallocation
        mins.flags.writeable = False
        maxs.flags.writeable = False
        return mins, maxs


class EnvelopeBuilder:
    """Builds an :class:`Envelope` from mono blocks fed in order (one streaming pass)."""

    def __init__(self, sample_rate: int, bin_sizes: Optional[Sequence[int]] = None, expected_frames: int = 0):
        if bin_sizes is None:
            bin_sizes = default_bin_sizes(sample_rate) if sample_rate > 0 else DEFAULT_BIN_SIZES
        bins = tuple(int(b) for b in bin_sizes)
        if not bins or bins[0] < 1 or any(b2 % b1 or b2 <= b1 for b1, b2 in zip(bins, bins[1:])):
            raise ValueError("bin sizes must be increasing, each a multiple of the one before")
        if sample_rate <= 0:
            raise ValueError("sample_rate must be positive")
        self.sample_rate = int(sample_rate)
        self.bin_sizes = bins
        self._ratios = [b2 // b1 for b1, b2 in zip(bins, bins[1:])]
        expected = max(0, int(expected_frames))
        self._buffers = [_Buffer(expected // b + 2) for b in bins]
        self._consumed = [0] * len(bins)  # per level k >= 1: bins of level k-1 already reduced
        self._carry = np.zeros(bins[0], dtype=np.float32)
        self._carry_n = 0
        self._frames = 0
        self._finished: Envelope | None = None
        self._lock = threading.Lock()
        self._index_cache: dict[tuple[int, int], np.ndarray] = {}

    def restart(self) -> None:
        """Forget everything fed so far (the decoder's second pass over a file it had to re-mix);
        views handed out by earlier snapshots stay valid."""
        with self._lock:
            if self._finished is not None:
                raise RuntimeError("restart() after finish()")
            self._buffers = [_Buffer(len(buf.mins)) for buf in self._buffers]
            self._consumed = [0] * len(self.bin_sizes)
            self._carry_n = 0
            self._frames = 0

    @property
    def frames_fed(self) -> int:
        return self._frames

    def _starts(self, count: int, step: int) -> np.ndarray:
        key = (count, step)
        starts = self._index_cache.get(key)
        if starts is None:
            starts = np.arange(0, count * step, step)
            if len(self._index_cache) > 64:
                self._index_cache.clear()
            self._index_cache[key] = starts
        return starts

    def feed(self, block: np.ndarray) -> None:
        """Add the next mono samples (any length; float32 avoids a conversion)."""
        if self._finished is not None:
            raise RuntimeError("feed() after finish()")
        x = np.asarray(block, dtype=np.float32)
        if x.ndim != 1:
            raise ValueError("feed() takes 1-D mono blocks")
        if len(x) == 0:
            return
        b0 = self.bin_sizes[0]
        new_mins: list[np.ndarray] = []
        new_maxs: list[np.ndarray] = []
        if self._carry_n:
            need = b0 - self._carry_n
            head = x[:need]
            self._carry[self._carry_n : self._carry_n + len(head)] = head
            self._carry_n += len(head)
            x = x[len(head) :]
            if self._carry_n == b0:
                new_mins.append(np.array([self._carry.min()], dtype=np.float32))
                new_maxs.append(np.array([self._carry.max()], dtype=np.float32))
                self._carry_n = 0
        full = (len(x) // b0) * b0
        if full:
            starts = self._starts(full // b0, b0)
            body = x[:full]
            new_mins.append(np.minimum.reduceat(body, starts))
            new_maxs.append(np.maximum.reduceat(body, starts))
        rest = len(x) - full
        if rest:
            self._carry[:rest] = x[full:]
            self._carry_n = rest
        with self._lock:
            self._frames += len(block)
            for mins, maxs in zip(new_mins, new_maxs):
                self._buffers[0].append(mins, maxs)
            self._reduce_upper_levels(final=False)

    def _reduce_upper_levels(self, final: bool) -> None:
        for k in range(1, len(self.bin_sizes)):
            below = self._buffers[k - 1]
            ratio = self._ratios[k - 1]
            start = self._consumed[k]
            available = below.n - start
            groups = available // ratio
            if groups:
                end = start + groups * ratio
                starts = self._starts(groups, ratio)
                self._buffers[k].append(
                    np.minimum.reduceat(below.mins[start:end], starts),
                    np.maximum.reduceat(below.maxs[start:end], starts),
                )
                start = end
            if final and below.n > start:
                self._buffers[k].append(
                    np.array([below.mins[start : below.n].min()], dtype=np.float32),
                    np.array([below.maxs[start : below.n].max()], dtype=np.float32),
                )
                start = below.n
            self._consumed[k] = start

    def snapshot(self) -> Envelope:
        """The bins completed so far (cheap: views, no copies); thread-safe against feed()."""
        if self._finished is not None:
            return self._finished
        with self._lock:
            levels = []
            for b, buf in zip(self.bin_sizes, self._buffers):
                mins, maxs = buf.views()
                levels.append(EnvelopeLevel(b, mins, maxs))
            return Envelope(self.sample_rate, self._frames, tuple(levels), complete=False)

    def finish(self) -> Envelope:
        """Flush the partial last bins and return the complete envelope (idempotent)."""
        if self._finished is not None:
            return self._finished
        with self._lock:
            if self._carry_n:
                tail = self._carry[: self._carry_n]
                self._buffers[0].append(
                    np.array([tail.min()], dtype=np.float32), np.array([tail.max()], dtype=np.float32)
                )
                self._carry_n = 0
            self._reduce_upper_levels(final=True)
            levels = []
            for b, buf in zip(self.bin_sizes, self._buffers):
                mins, maxs = buf.views(exact=True)
                levels.append(EnvelopeLevel(b, mins, maxs))
            self._finished = Envelope(self.sample_rate, self._frames, tuple(levels), complete=True)
            return self._finished
