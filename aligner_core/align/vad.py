"""Energy-based speech/silence detection, used to plan where long recordings are cut.

The detector works on 10 ms frames of log energy computed block by block (so a 3-hour file costs
a few MB of frame arrays on top of the samples themselves). "Speech" is judged against an
adaptive noise floor: a low percentile of the energy in the surrounding tens of seconds, so a
recording whose background changes slowly (a fan turning on, a new room) is still cut at its
pauses. A second feature, spectral flatness, tells broadband noise (rain, hiss, applause) from
speech: speech is harmonic or formant-shaped, noise is flat.

Everything here is heuristic and only *plans* work: the aligner has the last word on where words
are. Regions are therefore cut generously, and a region that looks like noise is only marked as
such (``Region.noise``), never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .types import SAMPLE_RATE


@dataclass(frozen=True)
class VadParams:
    hop_ms: float = 10.0
    win_ms: float = 20.0  # energy windows are whole hops
    floor_window_s: float = 30.0  # the noise floor is taken over about this much audio
    floor_percentile: float = 10.0
    digital_silence_db: float = -90.0  # quieter frames are exact silence, not a noise floor
    speech_percentile: float = 95.0
    min_rise_db: float = 8.0  # speech is at least this far above the floor ...
    rise_fraction: float = 0.3  # ... and this share of the way from floor to speech level
    min_speech_ms: float = 60.0  # shorter bursts above the threshold are clicks, not speech
    min_silence_ms: float = 200.0  # a region boundary needs a pause at least this long
    max_region_s: float = 15.0  # longer regions are split at their deepest internal dip
    min_split_dip_ms: float = 30.0
    flat_frame: float = 0.3  # a frame this flat sounds like broadband noise (or a fricative)
    min_noise_ms: float = 400.0  # ... and a run of mostly flat frames this long is noise: no
    # fricative lasts that long


@dataclass(frozen=True)
class Region:
    """A stretch of probable speech, ``[start_ms, end_ms)`` in the analysed audio."""

    start_ms: int
    end_ms: int
    noise: bool = False  # broadband and flat: probably noise or music, not speech
    energy_db: float = 0.0  # median frame energy

    @property
    def duration_s(self) -> float:
        return (self.end_ms - self.start_ms) / 1000.0


class Vad:
    """Frame features of one recording plus its speech regions.

    ``energy_db``, ``threshold_db``, ``speech`` and ``flatness`` hold one value per
    ``params.hop_ms`` frame; frame ``k`` covers ``[k * hop, k * hop + win)``.
    """

    def __init__(self, audio: np.ndarray, sample_rate: int = SAMPLE_RATE, params: VadParams | None = None):
        self.params = p = params or VadParams()
        self.sample_rate = sample_rate
        self.hop = max(1, int(round(p.hop_ms * sample_rate / 1000)))
        self.win = max(self.hop, int(round(p.win_ms * sample_rate / 1000)))
        self.n_samples = int(len(audio))
        self.energy_db = _frame_energy(audio, self.hop, self.win)
        self.floor_db, self.threshold_db = self._thresholds()
        self.speech = self._speech_mask()
        # flatness only matters where the energy says "speech": skip the FFTs elsewhere
        self.flatness = _frame_flatness(audio, self.hop, self.win, self.speech)
        self.noise = self._noise_mask()
        self._cum = np.concatenate([[0], np.cumsum(self.speech, dtype=np.int64)])
        self.regions = self._regions()

    # -- frames <-> ms --------------------------------------------------------------------------
    @property
    def n_frames(self) -> int:
        return len(self.energy_db)

    def frame(self, ms: float) -> int:
        return int(min(max(0, round(ms / self.params.hop_ms)), self.n_frames))

    def ms(self, frame: int) -> int:
        return int(round(frame * self.params.hop_ms))

    @property
    def duration_ms(self) -> int:
        return int(self.n_samples * 1000 // self.sample_rate)

    def speech_fraction(self, start_ms: float, end_ms: float) -> float:
        """Share of ``[start_ms, end_ms)`` the detector calls speech (1.0 for an empty span)."""
        a, b = self.frame(start_ms), self.frame(end_ms)
        if b <= a:
            return 1.0
        return float(self._cum[b] - self._cum[a]) / (b - a)

    def speech_ms(self, start_ms: float, end_ms: float) -> float:
        a, b = self.frame(start_ms), self.frame(end_ms)
        return float(self._cum[max(a, b)] - self._cum[a]) * self.params.hop_ms

    def quietest(self, start_ms: float, end_ms: float) -> int:
        """The time of the lowest-energy frame in a span (a safe place to cut)."""
        a, b = self.frame(start_ms), self.frame(end_ms)
        if b <= a:
            return int(start_ms)
        return self.ms(a + int(np.argmin(self.energy_db[a:b])))

    # -- detection ------------------------------------------------------------------------------
    def _thresholds(self) -> tuple[np.ndarray, np.ndarray]:
        p = self.params
        e = self.energy_db
        n = len(e)
        if n == 0:
            return np.zeros(0, np.float32), np.zeros(0, np.float32)
        # Percentiles per block of ~5 s, then a running min/max over the floor window: cheap
        # (a few hundred blocks per hour) and robust to the odd loud or silent block.
        block = max(1, int(round(5000 / p.hop_ms)))
        n_blocks = (n + block - 1) // block
        lows = np.empty(n_blocks, np.float32)
        highs = np.empty(n_blocks, np.float32)
        for b in range(n_blocks):
            seg = e[b * block : (b + 1) * block]
            live = seg[seg > p.digital_silence_db]  # exact zeros (edited or synthetic audio) are no floor
            if len(live) < max(5, len(seg) // 10):
                lows[b] = highs[b] = np.nan
                continue
            lows[b] = np.percentile(live, p.floor_percentile)
            highs[b] = np.percentile(live, p.speech_percentile)
        if np.all(np.isnan(lows)):
            lows[:] = highs[:] = p.digital_silence_db
        lows = np.where(np.isnan(lows), np.nanmin(lows), lows)
        highs = np.where(np.isnan(highs), np.nanmax(highs), highs)
        reach = max(1, int(round(p.floor_window_s * 1000 / p.hop_ms / block / 2)))
        floor_b = np.array([lows[max(0, b - reach) : b + reach + 1].min() for b in range(n_blocks)], np.float32)
        speech_b = np.array([highs[max(0, b - reach) : b + reach + 1].max() for b in range(n_blocks)], np.float32)
        centres = (np.arange(n_blocks) + 0.5) * block
        frames = np.arange(n)
        floor = np.interp(frames, centres, floor_b).astype(np.float32)
        level = np.interp(frames, centres, speech_b).astype(np.float32)
        rise = np.maximum(p.min_rise_db, p.rise_fraction * (level - floor))
        return floor, floor + rise

    def _speech_mask(self) -> np.ndarray:
        p = self.params
        mask = self.energy_db > self.threshold_db
        mask = fill_runs(mask, int(round(p.min_speech_ms / p.hop_ms)), True)  # drop clicks
        return mask

    def _noise_mask(self) -> np.ndarray:
        """Loud frames inside long runs of flat spectra: noise, not speech."""
        p = self.params
        flat = (self.flatness > p.flat_frame) & self.speech
        k = max(1, int(round(200 / p.hop_ms)))
        share = _smooth(flat.astype(np.float32), k)
        mask = fill_runs(share > 0.7, int(round(p.min_noise_ms / p.hop_ms)), True) & self.speech
        # the smoothing rounds the ends off: grow each run over the flat frames next to it
        for a, b in _runs(mask):
            while a > 0 and flat[a - 1]:
                a -= 1
            while b < len(mask) and flat[b]:
                b += 1
            mask[a:b] = True
        # slivers of "speech" left at a noise run's edges belong to it
        rest = self.speech & ~mask
        for a, b in _runs(rest):
            if (b - a) * p.hop_ms < 100 and ((a > 0 and mask[a - 1]) or (b < len(mask) and mask[b])):
                mask[a:b] = True
        return mask

    def _regions(self) -> list[Region]:
        p = self.params
        bridge = int(round(p.min_silence_ms / p.hop_ms))
        max_frames = int(round(p.max_region_s * 1000 / p.hop_ms))
        out: list[Region] = []
        for mask, noise in ((self.speech & ~self.noise, False), (self.noise, True)):
            for a, b in _runs(fill_runs(mask, bridge, False)):  # bridge short pauses
                for a2, b2 in self._split_long(a, b, max_frames):
                    out.append(self._region(a2, b2, noise))
        out.sort(key=lambda r: r.start_ms)
        return out

    def _split_long(self, a: int, b: int, max_frames: int) -> list[tuple[int, int]]:
        """Split a long run at its deepest dips, recursively, until every piece fits."""
        if b - a <= max_frames:
            return [(a, b)]
        p = self.params
        lo, hi = a + max_frames // 4, b - max_frames // 4
        # Prefer real pauses (runs of non-speech); fall back to the quietest frame.
        seg = ~self.speech[lo:hi]
        best = None
        for ra, rb in _runs(seg):
            if (rb - ra) * p.hop_ms >= p.min_split_dip_ms and (best is None or rb - ra > best[1] - best[0]):
                best = (ra, rb)
        if best is not None:
            cut_a, cut_b = lo + best[0], lo + best[1]
        else:
            k = lo + int(np.argmin(_smooth(self.energy_db[lo:hi], 5)))
            cut_a, cut_b = k, k + 1
        return self._split_long(a, cut_a, max_frames) + self._split_long(cut_b, b, max_frames)

    def _region(self, a: int, b: int, noise: bool) -> Region:
        p = self.params
        energy = float(np.median(self.energy_db[a:b])) if b > a else -120.0
        return Region(self.ms(a), self.ms(b) + int(p.win_ms - p.hop_ms), noise=noise, energy_db=energy)


def _frame_starts(n: int, hop: int, win: int) -> int:
    return 0 if n < 1 else (n - win) // hop + 1 if n >= win else 1


def _frames(x: np.ndarray, f0: int, f1: int, hop: int, win: int) -> np.ndarray:
    s0 = f0 * hop
    need = (f1 - f0 - 1) * hop + win
    seg = np.asarray(x[s0 : s0 + need], dtype=np.float32)
    if len(seg) < need:
        seg = np.pad(seg, (0, need - len(seg)))
    frames = np.lib.stride_tricks.sliding_window_view(seg, win)[::hop][: f1 - f0]
    return frames - frames.mean(axis=1, keepdims=True)  # DC offset is not speech


def _frame_energy(audio: np.ndarray, hop: int, win: int, block_frames: int = 60000) -> np.ndarray:
    """Log energy (dB, DC removed) per frame, from per-hop sums (one cheap pass, bounded memory).

    The window is rounded to whole hops so every frame is a sum of hop blocks."""
    x = np.asarray(audio).reshape(-1)
    n_frames = _frame_starts(len(x), hop, win)
    k = max(1, int(round(win / hop)))
    energy = np.empty(n_frames, np.float32)
    for f0 in range(0, n_frames, block_frames):
        f1 = min(n_frames, f0 + block_frames)
        n_hops = f1 - f0 + k - 1
        seg = np.asarray(x[f0 * hop : (f0 + n_hops) * hop], dtype=np.float32)
        if len(seg) < n_hops * hop:
            seg = np.pad(seg, (0, n_hops * hop - len(seg)))
        blocks = seg.reshape(n_hops, hop)
        h1 = blocks.sum(axis=1, dtype=np.float64)
        h2 = np.einsum("ij,ij->i", blocks, blocks).astype(np.float64)
        s1 = np.convolve(h1, np.ones(k), mode="valid")
        s2 = np.convolve(h2, np.ones(k), mode="valid")
        n = k * hop
        power = np.maximum(s2 - s1 * s1 / n, 0.0) / n
        energy[f0:f1] = 10.0 * np.log10(power + 1e-10)
    return energy


def _frame_flatness(audio: np.ndarray, hop: int, win: int, wanted: np.ndarray, block_frames: int = 4000) -> np.ndarray:
    """Spectral flatness (geometric / arithmetic mean of the power spectrum) of the wanted frames.

    Only every other wanted frame is measured (its neighbour copies it) over a 256-sample
    window: flatness is judged over hundreds of ms, so this loses nothing and saves 3/4 of the
    FFTs. Frames not wanted get 0."""
    x = np.asarray(audio).reshape(-1)
    n_fft = 256 if win >= 256 else 1 << int(np.floor(np.log2(max(16, win))))
    flatness = np.zeros(len(wanted), np.float32)
    window = np.hanning(n_fft).astype(np.float32)
    for f0 in range(0, len(wanted), block_frames):
        f1 = min(len(wanted), f0 + block_frames)
        idx = np.flatnonzero(wanted[f0:f1])
        idx = idx[idx % 2 == 0]
        if len(idx) == 0:
            continue
        frames = _frames(x, f0, f1, hop, n_fft)[idx]
        spec = np.abs(np.fft.rfft(frames * window, axis=1)) ** 2
        spec = spec[:, 2:] + 1e-12  # skip DC and the lowest bin (hum)
        flatness[f0 + idx] = np.exp(np.mean(np.log(spec), axis=1)) / np.mean(spec, axis=1)
        nxt = f0 + idx + 1
        nxt = nxt[nxt < f1]
        flatness[nxt] = flatness[nxt - 1]
    return flatness * wanted


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """``[a, b)`` index runs where ``mask`` is true."""
    if len(mask) == 0:
        return []
    m = np.concatenate([[False], mask.astype(bool), [False]])
    d = np.flatnonzero(m[1:] != m[:-1])
    return [(int(a), int(b)) for a, b in zip(d[::2], d[1::2])]


def fill_runs(mask: np.ndarray, min_len: int, value: bool) -> np.ndarray:
    """Runs of ``value`` shorter than ``min_len`` frames, bounded on both sides, flip to ``not value``.

    ``fill_runs(speech, n, False)`` bridges pauses shorter than ``n``; ``fill_runs(speech, n, True)``
    drops speech bursts shorter than ``n``.
    """
    out = mask.astype(bool).copy()
    if min_len <= 1:
        return out
    target = out if value else ~out
    for a, b in _runs(target):
        interior = a > 0 and b < len(out)
        # a pause at the very start or end of the audio is not "between" speech: keep it
        if b - a < min_len and (value or interior):
            out[a:b] = not value
    return out


def _smooth(x: np.ndarray, k: int) -> np.ndarray:
    if len(x) < k:
        return x
    return np.convolve(x, np.ones(k) / k, mode="same")
