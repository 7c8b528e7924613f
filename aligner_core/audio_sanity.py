"""Samples the aligners can trust: non-numbers, wrong scales and cancelling channels caught.

The decoder streams, so :class:`SampleCheck` watches every source block once (the first pass)
and says at the end whether a second pass with another :class:`MixPlan` is needed:

* NaN and infinite samples become silence at once (a local repair; no second pass).
* Samples beyond ``ABSURD_PEAK`` times full scale are either a wrong scale (float files holding
  16-bit integer values, or 1e20 * speech) or isolated garbage. When more than ``OUTLIER_SHARE``
  of all samples lie above ``ABSURD_PEAK``, the file is rescaled so that all but
  ``CLIPPED_SHARE`` of them fit full scale (a log2 histogram of the blocks that hold absurd
  samples gives that level; the rest are clipped); otherwise the few absurd samples become
  silence, like NaN. Clipping a wrong-scale
  file instead turns speech and its noise floor into a full-scale square wave: on JFK scaled by
  1e20 every word then lands 6 s late (bench/audio_sanity.py measures both).
* The channel mean (the usual downmix) of a phase-inverted stereo file is near silence. When
  the mean holds ``CANCEL_DB`` less energy than independent channels would give (their energies
  summed / channels**2), the loudest channel alone is used.

Statistics are taken in float64 where squares of huge float32 values would overflow, so no
numpy RuntimeWarning ever reaches the user's terminal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np

from .audio_messages import AudioWarning

# Mixing overs in float files rarely pass 4x (12 dB) full scale; 16x (24 dB) is not a level
# any recording chain produces, only a scale error or garbage.
ABSURD_PEAK = 16.0
# Above this share of samples, absurd values are the file's scale, not its damage: a scaled
# file has them wherever there is sound (a 16-bit-scale float file above -66 dBFS), garbage is
# rare (20 spikes in 2.5 s of stereo are 2e-4). A file silent but for 0.1 % of it would be
# taken for garbage: the warning then says how many samples became silence.
OUTLIER_SHARE = 1e-3
# A rescaled file may clip this share of its loudest samples (the level ignores a few outliers).
CLIPPED_SHARE = 1e-4
# Independent channels mix to sum(E_c) / C**2; a mean 10 dB below that means they cancel.
CANCEL_DB = 10.0
_CANCEL_RATIO = 10 ** (-CANCEL_DB / 10)
# Channels quieter than this (RMS about -100 dBFS) are silence, which cannot cancel.
_SILENT_MEAN_SQUARE = 1e-10
_EXPONENTS = 300  # np.frexp exponents of float32 (-148..128), offset by 150


def _zeroed(x: np.ndarray, bad: np.ndarray) -> np.ndarray:
    return np.where(bad, np.float32(0), x)


@dataclass(frozen=True)
class MixPlan:
    """How source blocks become the mono the aligners see."""

    channel: Optional[int] = None  # None: the mean of all channels
    gain: float = 1.0  # applied after mixing; samples then beyond full scale are clipped

    def repair(self, block: np.ndarray) -> np.ndarray:
        """The block with non-numbers set to 0, and absurd samples too unless this plan rescales."""
        if block.size == 0:
            return block
        x = block
        if not (np.isfinite(x.max()) and np.isfinite(x.min())):
            x = _zeroed(x, ~np.isfinite(x))
        if self.gain == 1.0 and max(float(x.max()), -float(x.min())) > ABSURD_PEAK:
            x = _zeroed(x, np.abs(x) > ABSURD_PEAK)
        return x

    def mono(self, block: np.ndarray) -> np.ndarray:
        """float32 mono of a repaired ``(n, channels)`` block."""
        from .audio import downmix  # the one channel mean

        if self.gain != 1.0:
            # scaled before the channels are added: two samples near float32's limit would sum to inf
            block = block * np.float32(self.gain)
        if self.channel is None:
            out = downmix(block)
        else:
            out = np.array(block[:, self.channel], dtype=np.float32)
        if self.gain != 1.0:
            np.clip(out, -1.0, 1.0, out=out)
        return out


class SampleCheck:
    """Repairs and measures source blocks in the first pass; see the module notes."""

    def __init__(self, channels: int):
        self.channels = int(channels)
        self.samples = 0
        self.not_numbers = 0
        self.absurd = 0
        self.peak = 0.0
        self._histogram = np.zeros(_EXPONENTS, dtype=np.int64)
        self._energy = 0.0  # of all channels
        self._mean_energy = 0.0  # of the channel mean
        self._channel_energy = np.zeros(self.channels, dtype=np.float64)  # of every 16th frame

    def repair(self, block: np.ndarray) -> np.ndarray:
        """As ``MixPlan().repair``, counting what it set to 0 and the magnitudes above ABSURD_PEAK."""
        x = block
        self.samples += x.size
        if x.size == 0:
            return x
        hi, lo = float(x.max()), float(x.min())
        if not (np.isfinite(hi) and np.isfinite(lo)):
            bad = ~np.isfinite(x)
            self.not_numbers += int(np.count_nonzero(bad))
            x = _zeroed(x, bad)
            hi, lo = float(x.max()), float(x.min())
        peak = max(hi, -lo)
        self.peak = max(self.peak, peak)
        if peak > ABSURD_PEAK:
            magnitude = np.abs(x)
            self._histogram += np.bincount(np.frexp(magnitude)[1].ravel() + 150, minlength=_EXPONENTS)[:_EXPONENTS]
            huge = magnitude > ABSURD_PEAK
            self.absurd += int(np.count_nonzero(huge))
            x = _zeroed(x, huge)
        return x

    def measure(self, block: np.ndarray, mean: np.ndarray) -> None:
        """Add a repaired block's energy and that of its channel mean ``mean``."""
        if self.channels < 2 or block.size == 0:
            return
        # float32 products cannot overflow: repaired samples are within ABSURD_PEAK. Whole
        # contiguous dot products only (a per-column reduction costs 10x more); which channel
        # is loudest only matters once they cancel, and every 16th frame tells that.
        flat = block.ravel(order="K")
        self._energy += float(np.dot(flat, flat))
        self._mean_energy += float(np.dot(mean, mean))
        sub = block[::16]
        for c in range(self.channels):
            self._channel_energy[c] += float(np.dot(sub[:, c], sub[:, c]))

    # -- what the whole file calls for --------------------------------------------------------------

    def rescale_level(self) -> float:
        """The level to divide by when the file is at a wrong scale, or 0.0 when it is not."""
        if self.absurd <= OUTLIER_SHARE * self.samples:
            return 0.0
        allowed = max(1, int(CLIPPED_SHARE * self.samples))
        above = 0
        # walk down from the largest exponent until more samples would be clipped than allowed
        for exponent in range(_EXPONENTS - 1, -1, -1):
            above += int(self._histogram[exponent])
            if above > allowed:
                return float(2.0 ** (exponent - 150))
        return 1.0

    def cancelling(self) -> bool:
        """Whether the channel mean lost the signal its channels hold (phase-inverted channels)."""
        if self.channels < 2 or self.samples == 0:
            return False
        total = self._energy
        if total / self.samples < _SILENT_MEAN_SQUARE:
            return False
        return self._mean_energy < _CANCEL_RATIO * total / self.channels**2

    def loudest_channel(self) -> int:
        return int(np.argmax(self._channel_energy))

    def plan(self) -> MixPlan:
        """The mix the whole file calls for (``MixPlan()`` when the first pass was right)."""
        level = self.rescale_level()
        return MixPlan(
            channel=self.loudest_channel() if self.cancelling() else None,
            gain=1.0 / level if level > 0 else 1.0,
        )

    def warnings(self, path: str, plan: MixPlan) -> list[AudioWarning]:
        notes: list[AudioWarning] = []
        if self.not_numbers:
            notes.append(AudioWarning("not_numbers", path=path, count=self.not_numbers))
        if plan.gain != 1.0:
            notes.append(AudioWarning("rescaled", path=path, peak=self.peak, factor=1.0 / plan.gain))
        elif self.absurd:
            notes.append(AudioWarning("absurd_spikes", path=path, count=self.absurd, peak=self.peak))
        if plan.channel is not None:
            notes.append(AudioWarning("channels_cancel", path=path, channels=self.channels, channel=plan.channel + 1))
        return notes


__all__ = ["ABSURD_PEAK", "CANCEL_DB", "CLIPPED_SHARE", "OUTLIER_SHARE", "MixPlan", "SampleCheck"]
