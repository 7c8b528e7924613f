"""Pitch-preserving time stretch (WSOLA) for reviewing speech at 0.5x-2x.

Waveform-similarity overlap-add (Verhelst & Roelands 1993; the variant of Driedger & Müller's
"A Review of Time-Scale Modification of Music Signals", 2016): output frames of ``frame``
samples are laid down every ``hop`` samples through a periodic Hann window (which sums to one at
50 % overlap); frame ``k`` is read from the input near ``k * hop * speed``, shifted by up to
``tolerance`` samples so that it continues the previous frame's waveform (the offset with the
largest cross-correlation against the previous frame's natural continuation). Periods are copied,
never resampled, so the pitch stays; the length scales by ``1 / speed``.

Speech-sized defaults: 40 ms frames and a +-10 ms search cover a full period of voices down to
100 Hz, which is what keeps male voices from sounding rough. The output is divided by the summed
window over real samples, so the first and last few milliseconds of a range are not faded out,
and ``speed == 1`` gives back the input exactly.

:class:`TimeStretcher` streams (playback asks for a block at a time, whatever the range length);
:func:`stretch` does a whole array. Cost: one ``np.correlate`` of ``frame`` by ``2*tolerance+1``
per output hop, about 1 % of a core at 16 kHz.
"""

from __future__ import annotations

import numpy as np

__all__ = ["TimeStretcher", "stretch"]

MIN_SPEED = 0.25
MAX_SPEED = 4.0


class TimeStretcher:
    """Stream ``samples[start:end]`` (mono) at ``speed`` (2.0 = twice as fast), pitch kept.

    Reads outside ``[start, end)`` see silence, so a played range never leaks its neighbours.
    ``read(n)`` returns up to ``n`` float32 samples and an empty array once everything
    (``round((end - start) / speed)`` samples in all) has been returned.
    """

    def __init__(
        self,
        samples: np.ndarray,
        speed: float,
        *,
        start: int = 0,
        end: int | None = None,
        rate: int = 16000,
        frame_s: float = 0.040,
        tolerance_s: float = 0.010,
    ) -> None:
        if not MIN_SPEED <= speed <= MAX_SPEED:
            raise ValueError(f"speed {speed} is outside {MIN_SPEED}..{MAX_SPEED}")
        self._x = samples
        self._start = max(0, int(start))
        self._end = len(samples) if end is None else min(len(samples), int(end))
        self._end = max(self._end, self._start)
        self.speed = float(speed)
        hop = max(2, round(frame_s * rate / 2))
        self._hop = hop
        self._frame = 2 * hop
        self._tol = max(1, round(tolerance_s * rate))
        n = np.arange(self._frame)
        self._window = (0.5 - 0.5 * np.cos(2 * np.pi * n / self._frame)).astype(np.float32)
        self.total = round((self._end - self._start) / self.speed)
        self._emitted = 0
        # Frame k covers output [(k-1)*hop, (k+1)*hop): frame 0 starts half a frame early, so
        # every returned sample has two windows over it and the division below never blows up.
        self._k = 0
        self._delta = 0  # offset chosen for the previous frame
        self._acc = np.zeros(self._frame, np.float32)
        self._wsum = np.zeros(self._frame, np.float32)
        self._ready: list[np.ndarray] = []
        self._ready_len = 0

    @property
    def done(self) -> bool:
        return self._emitted >= self.total

    def _segment(self, pos: int, length: int) -> np.ndarray:
        """Input ``[pos, pos+length)`` relative to ``start``, silent outside the range."""
        lo, hi = self._start + pos, self._start + pos + length
        if lo >= self._start and hi <= self._end:
            return np.asarray(self._x[lo:hi], np.float32)
        out = np.zeros(length, np.float32)
        a, b = max(lo, self._start), min(hi, self._end)
        if b > a:
            out[a - lo : b - lo] = self._x[a:b]
        return out

    def _input_pos(self, k: int) -> int:
        return round((k - 1) * self._hop * self.speed)

    def _next_frame(self) -> None:
        k, hop, frame, tol = self._k, self._hop, self._frame, self._tol
        nominal = self._input_pos(k)
        if k == 0 or self.speed == 1.0:
            delta = 0
        else:
            natural = self._segment(self._input_pos(k - 1) + self._delta + hop, frame)
            region = self._segment(nominal - tol, frame + 2 * tol)
            corr = np.correlate(region, natural, mode="valid")
            delta = int(np.argmax(corr)) - tol
        self._delta = delta
        pos = nominal + delta
        self._acc += self._segment(pos, frame) * self._window
        # count only the window over real samples: the silence beyond a range's edges would
        # otherwise fade its last frame out
        lo, hi = max(0, -pos), min(frame, self._end - self._start - pos)
        if hi > lo:
            self._wsum[lo:hi] += self._window[lo:hi]
        if k > 0:  # frame 0's first half lies before the output starts
            # no later frame reaches the first hop any more
            self._ready.append(self._acc[:hop] / np.maximum(self._wsum[:hop], np.float32(1e-3)))
            self._ready_len += hop
        self._acc = np.concatenate([self._acc[hop:], np.zeros(hop, np.float32)])
        self._wsum = np.concatenate([self._wsum[hop:], np.zeros(hop, np.float32)])
        self._k += 1

    def read(self, n: int) -> np.ndarray:
        want = max(0, min(int(n), self.total - self._emitted))
        while self._ready_len < want:
            self._next_frame()
        if want == 0:
            return np.zeros(0, np.float32)
        joined = self._ready[0] if len(self._ready) == 1 else np.concatenate(self._ready)
        out, rest = joined[:want], joined[want:]
        self._ready = [rest] if len(rest) else []
        self._ready_len = len(rest)
        self._emitted += want
        return out.astype(np.float32, copy=False)


def stretch(samples: np.ndarray, speed: float, *, rate: int = 16000) -> np.ndarray:
    """The whole of ``samples`` at ``speed``, pitch kept (``len ~ len(samples) / speed``)."""
    s = TimeStretcher(np.asarray(samples, np.float32), speed, rate=rate)
    return s.read(s.total)
