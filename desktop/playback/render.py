"""Turn a range of the session's samples into device-rate blocks: stretch for speed, then resample.

Qt-free and single-threaded: the playback controller calls :meth:`RangeRenderer.render` from its
GUI-thread timer a fraction of a second ahead of the sound card, and the audio callback only
copies the blocks it made. At speed 1 and a device running at the samples' rate a block is a
view into the session's array (no copy, sample-exact); otherwise the range goes through
:class:`~aligner_core.stretch.TimeStretcher` (pitch kept) and a streaming soxr resampler.
"""

from __future__ import annotations

import numpy as np

from aligner_core.stretch import TimeStretcher


class RangeRenderer:
    """``samples[start:end]`` (mono, ``rate``) played at ``speed`` on a device at ``out_rate``."""

    def __init__(self, samples: np.ndarray, rate: int, start: int, end: int, speed: float, out_rate: int) -> None:
        self.start = max(0, int(start))
        self.end = max(self.start, min(len(samples), int(end)))
        self.speed = float(speed)
        #: source samples per device frame: the playhead advances this much per frame played
        self.src_per_out = self.speed * rate / out_rate
        self._samples = samples
        self._rate = rate
        self._out_rate = out_rate
        self._cursor = self.start  # speed 1: next source sample
        self._stretcher = None if self.speed == 1.0 else TimeStretcher(samples, self.speed, start=self.start, end=self.end, rate=rate)
        self._resampler = None
        if out_rate != rate:
            import soxr

            self._resampler = soxr.ResampleStream(rate, out_rate, 1, dtype="float32", quality="HQ")
        self._flushed = False
        #: device frames returned so far (the playhead of the next block starts after them)
        self.frames_out = 0

    @property
    def done(self) -> bool:
        if self._resampler is not None:
            return self._flushed
        return self._source_done

    @property
    def _source_done(self) -> bool:
        return self._stretcher.done if self._stretcher is not None else self._cursor >= self.end

    def _source(self, n: int) -> np.ndarray:
        if self._stretcher is not None:
            return self._stretcher.read(n)
        block = self._samples[self._cursor : min(self.end, self._cursor + n)]
        self._cursor += len(block)
        return block

    def render(self, frames: int) -> np.ndarray:
        """About ``frames`` device frames (fewer, even none, near the end or while soxr fills)."""
        if self.done:
            return np.zeros(0, np.float32)
        if self._resampler is None:
            out = self._source(frames)
        else:
            want = max(1, int(np.ceil(frames * self._rate / self._out_rate)))
            block = np.ascontiguousarray(self._source(want), dtype=np.float32)
            last = self._source_done
            out = self._resampler.resample_chunk(block, last=last)
            self._flushed = last
        self.frames_out += len(out)
        return out
