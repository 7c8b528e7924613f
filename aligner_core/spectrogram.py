"""Spectrogram tiles: the intensity of each frequency band over time, for drawing, not analysis.

The timeline asks for the visible range at the zoom it shows, one tile at a time; this module
only computes. Praat's spectrogram is what phoneticians read boundaries from, so its defaults
are ours, with two exceptions chosen for subtitle work on 16 kHz audio:

* **0-8 kHz** (Praat: 0-5 kHz for a male voice, 5.5 kHz for a female one). At 16 kHz the whole
  band up to Nyquist costs nothing more, and fricatives (/s/, /f/, /sh/) whose energy lies above
  5 kHz are exactly what marks many word edges.
* **The reference level is the recording's, not the view's.** Praat scales each picture to its
  own maximum; tiles computed apart would then disagree at their seams and a view would flicker
  as it scrolls. :func:`reference_db` reads one level for the whole recording (a high percentile
  of the sample magnitudes, so one click does not wash the picture out).

Shared with Praat: a Gaussian window whose *effective* length is ``window_ms`` (the physical
window is twice as long, with edges at e^-12), 5 ms by default (broadband: formants and
bursts; 30 ms is narrowband: harmonics), 50 dB of dynamic range below the reference, and
pre-emphasis of 6 dB per octave around 1 kHz (Praat's reference frequency), so the weak high
formants show as well as the strong low ones.

The grid: a zoom level is ``hop``, the samples per column, a power of two; column ``k`` of a
level is centred on sample ``k * hop + hop / 2`` and depends on nothing else, so two adjacent
tiles are exactly the columns of their union (no seams, nothing drifts while panning). When a
column is much wider than the window (zoomed far out), its power is the mean of a few windows
spread across it (at most :data:`MAX_WINDOWS_PER_COLUMN`), a cheap stand-in for the whole.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

TILE_COLUMNS = 256
MIN_HOP = 2  # samples per column: 0.125 ms at 16 kHz, finer than any zoom the timeline allows
MAX_WINDOWS_PER_COLUMN = 4
PRE_EMPHASIS_REF_HZ = 1000.0  # Praat's: the boost is 0 dB here
_EDGE = math.exp(-12.0)  # Praat's Gaussian window reaches this at its ends
_FLOOR_POWER = 1e-20  # -200 dB: silence maps to the floor, never to log(0)

# limits of the user's settings (the settings dialog offers these ranges)
WINDOW_MS_RANGE = (1.0, 100.0)
MAX_HZ_RANGE = (500.0, 24000.0)
DYNAMIC_RANGE_DB_RANGE = (10.0, 120.0)


@dataclass(frozen=True)
class SpectrogramSettings:
    """What the spectrogram shows. Hashable: it is part of a cached tile's key."""

    window_ms: float = 5.0
    max_hz: float = 8000.0
    dynamic_range_db: float = 50.0
    pre_emphasis_db: float = 6.0  # per octave
    rows: int = 256

    def clamped(self, sample_rate: int) -> "SpectrogramSettings":
        """The same settings kept inside what the audio and the drawing can show."""

        def within(x: float, lo: float, hi: float) -> float:
            return float(min(max(x, lo), hi)) if math.isfinite(x) else lo

        return replace(
            self,
            window_ms=within(self.window_ms, *WINDOW_MS_RANGE),
            max_hz=within(self.max_hz, MAX_HZ_RANGE[0], min(MAX_HZ_RANGE[1], sample_rate / 2.0)),
            dynamic_range_db=within(self.dynamic_range_db, *DYNAMIC_RANGE_DB_RANGE),
            pre_emphasis_db=within(self.pre_emphasis_db, 0.0, 24.0),
            rows=int(min(max(self.rows, 16), 1024)),
        )


def hop_for(samples_per_pixel: float) -> int:
    """The zoom level for a view: the largest power of two not above the samples per pixel, so a
    tile has at least one column per pixel (never blurred) and at most two."""
    if not samples_per_pixel > MIN_HOP:
        return MIN_HOP
    return 1 << int(math.floor(math.log2(samples_per_pixel)))


def tile_range(start_sample: float, end_sample: float, hop: int) -> range:
    """The indices of the tiles of level ``hop`` that cover ``[start_sample, end_sample)``."""
    span = hop * TILE_COLUMNS
    first = max(0, int(math.floor(start_sample / span)))
    last = max(first, int(math.ceil(end_sample / span)))
    return range(first, last)


def reference_db(samples: np.ndarray) -> float:
    """The level (dB, full-scale sine = 0) that maps to full intensity for this recording.

    The 99.9th percentile of the magnitudes of up to a million evenly strided samples: a few
    milliseconds on a three-hour file, and a single click or clipped spike cannot set it."""
    x = np.asarray(samples)
    if not len(x):
        return 0.0
    step = max(1, len(x) // 1_000_000)
    level = float(np.percentile(np.abs(x[::step]), 99.9))
    return 20.0 * math.log10(max(level, 1e-4))


def gaussian_window(window_ms: float, sample_rate: int) -> np.ndarray:
    """Praat's Gaussian analysis window: physical length twice the effective ``window_ms``."""
    n = max(4, int(round(2.0 * window_ms * sample_rate / 1000.0)))
    mid = (n - 1) / 2.0
    w = (np.exp(-48.0 * ((np.arange(n) - mid) / (n + 1)) ** 2) - _EDGE) / (1.0 - _EDGE)
    return w.astype(np.float32)


@dataclass(frozen=True)
class _Plan:
    """Everything about a tile that does not depend on the samples (cached per settings)."""

    window: np.ndarray
    nfft: int
    edges: np.ndarray  # FFT bin where each row starts, then the end of the last row
    boost_db: np.ndarray  # pre-emphasis per row


_plans: dict[tuple, _Plan] = {}


def _plan(settings: SpectrogramSettings, sample_rate: int) -> _Plan:
    key = (settings, sample_rate)
    plan = _plans.get(key)
    if plan is not None:
        return plan
    window = gaussian_window(settings.window_ms, sample_rate)
    row_hz = settings.max_hz / settings.rows
    # at least one FFT bin per row: zero-padding beyond the window interpolates the spectrum
    nfft = 1 << max(int(math.ceil(math.log2(len(window)))), int(math.ceil(math.log2(sample_rate / row_hz))))
    bin_hz = sample_rate / nfft
    edges = np.floor(np.arange(settings.rows + 1) * row_hz / bin_hz).astype(np.int64)  # strictly rising: bin_hz <= row_hz
    edges = np.minimum(edges, nfft // 2 + 1)
    centres = np.maximum((np.arange(settings.rows) + 0.5) * row_hz, 50.0)
    boost = settings.pre_emphasis_db * np.log2(centres / PRE_EMPHASIS_REF_HZ)
    plan = _Plan(window, nfft, edges, boost.astype(np.float32))
    if len(_plans) > 16:
        _plans.clear()
    _plans[key] = plan
    return plan


def tile(
    samples: np.ndarray,
    sample_rate: int,
    hop: int,
    first_column: int,
    columns: int,
    settings: SpectrogramSettings,
    ref_db: float,
) -> np.ndarray:
    """Intensities ``(settings.rows, columns)`` as uint8, row 0 the lowest band, 0 the floor
    (``dynamic_range_db`` or more below ``ref_db``) and 255 at or above ``ref_db``.

    Column ``c`` is column ``first_column + c`` of level ``hop`` (see the module notes); columns
    past either end of ``samples`` see silence.
    """
    settings = settings.clamped(sample_rate)
    plan = _plan(settings, sample_rate)
    x = np.asarray(samples, dtype=np.float32)
    n = len(plan.window)
    per_column = max(1, min(MAX_WINDOWS_PER_COLUMN, hop // max(1, n // 2)))
    k = np.arange(first_column, first_column + columns, dtype=np.int64)
    offsets = ((np.arange(per_column) + 0.5) * hop / per_column).astype(np.int64)
    centres = (k[:, None] * hop + offsets[None, :]).ravel()
    starts = centres - n // 2
    # the stretch of samples these windows read, zero-padded where it leaves the recording
    lo, hi = int(starts[0]), int(starts[-1]) + n
    segment = np.zeros(hi - lo, dtype=np.float32)
    a, b = max(lo, 0), min(hi, len(x))
    if b > a:
        segment[a - lo : b - lo] = x[a:b]
    frames = sliding_window_view(segment, n)[starts - lo]  # a view: the gather copies once
    spectrum = np.fft.rfft(frames * plan.window, n=plan.nfft, axis=1)
    # scaled so that a sine of amplitude A reads A (0 dB for a full-scale sine)
    power = (spectrum.real**2 + spectrum.imag**2) * np.float32((2.0 / plan.window.sum()) ** 2)
    if per_column > 1:
        power = power.reshape(columns, per_column, -1).mean(axis=1)
    # a row is the strongest bin in its band: a narrow harmonic keeps its full level
    bands = np.maximum.reduceat(power[:, : plan.edges[-1]], plan.edges[:-1], axis=1)
    db = 10.0 * np.log10(np.maximum(bands, _FLOOR_POWER)) + plan.boost_db
    floor = ref_db - settings.dynamic_range_db
    level = (db - floor) * np.float32(255.0 / settings.dynamic_range_db)
    return np.clip(level, 0.0, 255.0).round().astype(np.uint8).T.copy()


def row_of(hz: float, settings: SpectrogramSettings) -> int:
    """The row that shows frequency ``hz``."""
    return int(min(max(hz / (settings.max_hz / settings.rows), 0), settings.rows - 1))
