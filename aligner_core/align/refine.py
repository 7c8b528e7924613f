"""Boundary refinement: move word boundaries onto what the audio itself shows.

Plain functions over ``(audio, timings, locked)``; they know nothing about the aligner that made
the timings. Two jobs:

* :func:`refine_pause_edges` moves a boundary that sits next to a pause (a gap between words, or
  the edge of the audio) to the real speech onset/offset. HMM aligners put most of their error
  there: the frame window and the delta features see an onset 2-4 frames early, so words start
  too early after a pause and end too late before one.
* :func:`refine_within_bins` sharpens quantised boundaries (for example the 80 ms bins of a
  neural aligner) inside their bin: onto a silence edge when the bin holds one, else onto the
  strongest spectral change.

Both work on a pre-emphasised short-time log energy (:class:`Envelope`) and judge "speech"
against an adaptive noise floor (a low percentile of the energy in the surrounding seconds).
Guarantees, whatever the input: the result has one timing per input timing; unaligned timings
stay unaligned; a locked boundary never moves; a boundary never crosses its neighbours (a start
stays within ``[previous end, own end]``, an end within ``[own start, next start]``); every
time stays inside ``[0, len(audio)]`` when it already was.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from .types import SAMPLE_RATE, WordTiming

LockMask = Sequence[bool] | Sequence[tuple[bool, bool]] | None


@dataclass(frozen=True)
class RefineParams:
    """Knobs of the energy detector (ms and dB). Defaults were tuned on TIMIT and checked on
    two other English sets (see ``bench/accuracy.py``)."""

    win_ms: float = 10.0  # energy window
    hop_ms: float = 2.0  # energy frame step: the resolution of a refined boundary
    preemphasis: float = 0.95  # lifts fricatives and bursts over low-frequency hum
    context_s: float = 1.5  # the noise floor is taken from +-context_s around a boundary
    floor_percentile: float = 5.0
    speech_percentile: float = 90.0
    min_rise_db: float = 6.0  # speech is at least this far above the floor...
    rise_fraction: float = 0.2  # ...and this share of the way from floor to speech level (onsets)
    fall_fraction: float = 0.35  # the same for offsets: decays are slow, so ends need a higher bar
    min_dynamic_db: float = 12.0  # below this speech/floor contrast the audio is too noisy to trust
    min_speech_ms: float = 16.0  # a run above threshold this long counts as speech
    min_silence_ms: float = 16.0  # a dip shorter than this inside speech is not a pause
    max_into_gap_ms: float = 60.0  # how far a boundary may move into the pause
    max_into_word_ms: float = 300.0  # how far it may move into its word
    # an end moves into its word only as far as the contrast allows: weak word endings drown in
    # noise, so with speech/floor contrast C dB the reach is max_into_word_ms * (C - min_dynamic_db) / full_reach_db
    full_reach_db: float = 20.0
    min_word_ms: float = 20.0  # refinement never makes a word shorter than this
    min_gap_ms: float = 10.0  # a gap at least this long marks a pause boundary
    onset_shift_ms: float = 0.0  # added to a detected onset (detector bias)
    offset_shift_ms: float = 0.0  # added to a detected offset
    release_gap_ms: float = 200.0  # a word-final plosive's burst may follow its closure this late...
    release_burst_ms: float = 80.0  # ...and last at most this long


class Envelope:
    """Pre-emphasised short-time log energy (dB) of mono audio, one value per ``hop_ms``.

    Frame ``k`` is centred on ``k * hop_ms``. Computed in chunks, so hours of audio cost about
    2 bytes of float32 per 2 ms frame and no big temporaries.
    """

    def __init__(self, audio: np.ndarray, sample_rate: int = SAMPLE_RATE, params: RefineParams | None = None):
        self.params = p = params or RefineParams()
        self.sample_rate = sample_rate
        self.hop = max(1, round(p.hop_ms * sample_rate / 1000))
        self.win = max(2, round(p.win_ms * sample_rate / 1000))
        x = np.asarray(audio, dtype=np.float32).reshape(-1)
        self.n_samples = len(x)
        n_frames = self.n_samples // self.hop + 1 if self.n_samples else 0
        self.db = np.full(n_frames, -100.0, dtype=np.float32)
        half = self.win // 2
        chunk = 200_000 // self.hop * self.hop or self.hop
        for f0 in range(0, n_frames, chunk // self.hop):
            f1 = min(n_frames, f0 + chunk // self.hop)
            s0 = max(0, f0 * self.hop - half - 1)
            s1 = min(self.n_samples, (f1 - 1) * self.hop + half + 1)
            seg = x[s0:s1].astype(np.float64)
            if len(seg) > 1:
                seg[1:] -= p.preemphasis * x[s0:s1 - 1]
                if s0 == 0:
                    seg[0] *= 1.0 - p.preemphasis
            cs = np.concatenate([[0.0], np.cumsum(seg * seg)])
            centres = np.arange(f0, f1) * self.hop
            lo = np.clip(centres - half, s0, s1) - s0
            hi = np.clip(centres + half, s0, s1) - s0
            energy = (cs[hi] - cs[lo]) / self.win
            self.db[f0:f1] = 10.0 * np.log10(energy + 1e-10)
        self._levels_cache: dict[int, tuple[float, float]] = {}

    # -- time <-> frame ---------------------------------------------------------------------------
    def frame(self, ms: float) -> int:
        return int(np.clip(round(ms * self.sample_rate / 1000 / self.hop), 0, max(0, len(self.db) - 1)))

    def ms(self, frame: float) -> float:
        return frame * self.hop * 1000.0 / self.sample_rate

    @property
    def frames_per_ms(self) -> float:
        return self.sample_rate / 1000.0 / self.hop

    # -- adaptive levels ----------------------------------------------------------------------------
    def levels(self, ms: float) -> tuple[float, float]:
        """(noise floor, speech level) in dB around ``ms``, from percentiles of +-context_s.

        Cached per half second, so a boundary costs one percentile at most.
        """
        key = int(ms // 500)
        got = self._levels_cache.get(key)
        if got is None:
            p = self.params
            c = self.frame(key * 500 + 250)
            r = int(p.context_s * 1000 * self.frames_per_ms)
            window = self.db[max(0, c - r) : c + r + 1]
            if len(window) == 0:
                got = (-100.0, -100.0)
            else:
                floor, speech = np.percentile(window, [p.floor_percentile, p.speech_percentile])
                got = (float(floor), float(speech))
            self._levels_cache[key] = got
        return got

    def threshold(self, ms: float, floor_hint: float | None = None, fraction: float | None = None) -> float | None:
        """The speech/non-speech threshold near ``ms``, or None where the audio is too flat
        (noise as loud as speech) for energy to say anything."""
        p = self.params
        floor, speech = self.levels(ms)
        if floor_hint is not None:
            floor = max(floor, floor_hint)
        if speech - floor < p.min_dynamic_db:
            return None
        frac = p.rise_fraction if fraction is None else fraction
        return floor + max(p.min_rise_db, frac * (speech - floor))


def _runs_filled(mask: np.ndarray, min_len: int, value: bool) -> np.ndarray:
    """``mask`` with runs of ``value`` shorter than ``min_len`` flipped (morphological cleanup)."""
    out = mask.copy()
    n = len(mask)
    i = 0
    while i < n:
        j = i
        while j < n and mask[j] == mask[i]:
            j += 1
        if mask[i] == value and j - i < min_len:
            out[i:j] = not value
        i = j
    return out


def _speech_mask(env: Envelope, f0: int, f1: int, thr: float) -> np.ndarray:
    p = env.params
    raw = env.db[f0:f1] > thr
    # Close short dips first (a stop closure inside a word is not a pause), then drop blips.
    mask = _runs_filled(raw, max(1, round(p.min_silence_ms * env.frames_per_ms)), False)
    return _runs_filled(mask, max(1, round(p.min_speech_ms * env.frames_per_ms)), True)


def find_onset(env: Envelope, t_ms: float, lo_ms: float, hi_ms: float, floor_hint: float | None = None) -> float | None:
    """Where speech starts near ``t_ms`` (silence before, speech after), inside ``[lo_ms, hi_ms]``.

    If ``t_ms`` already sits in speech, walk back to the start of that speech run; if it sits
    in silence, walk forward to the next run. None when the energy shows no edge in range.
    """
    return _find_edge(env, t_ms, lo_ms, hi_ms, rising=True, floor_hint=floor_hint)


def find_offset(env: Envelope, t_ms: float, lo_ms: float, hi_ms: float, floor_hint: float | None = None) -> float | None:
    """Where speech ends near ``t_ms`` (speech before, silence after), inside ``[lo_ms, hi_ms]``."""
    return _find_edge(env, t_ms, lo_ms, hi_ms, rising=False, floor_hint=floor_hint)


def _find_edge(env: Envelope, t_ms: float, lo_ms: float, hi_ms: float, *, rising: bool, floor_hint: float | None) -> float | None:
    if hi_ms <= lo_ms or len(env.db) == 0:
        return None
    thr = env.threshold(t_ms, floor_hint, env.params.rise_fraction if rising else env.params.fall_fraction)
    if thr is None:
        return None
    pad = round(40 * env.frames_per_ms)  # context so runs at the range edge are judged whole
    f_lo, f_hi = env.frame(lo_ms), env.frame(hi_ms)
    g0, g1 = max(0, f_lo - pad), min(len(env.db), f_hi + pad + 1)
    if g1 - g0 < 2:
        return None
    mask = _speech_mask(env, g0, g1, thr)
    ft = min(max(env.frame(t_ms), f_lo), f_hi) - g0
    a, b = f_lo - g0, f_hi - g0
    if rising:
        # the first speech frame of the run at/after the boundary
        if mask[ft]:
            k = ft
            while k > a and mask[k - 1]:
                k -= 1
            if k == a and k > 0 and mask[k - 1]:
                return None  # speech runs right through the gap: no edge to snap to
            edge = k
        else:
            k = ft
            while k <= b and not mask[k]:
                k += 1
            if k > b:
                return None
            edge = k
        return env.ms(g0 + edge - 0.5)
    # falling: the first silence frame after the run at/before the boundary
    fl = max(ft - 1, 0)
    if mask[fl]:
        k = fl
        while k < b and mask[k + 1]:
            k += 1
        if k == b and k + 1 < len(mask) and mask[k + 1]:
            return None
        edge = k + 1
    else:
        k = fl
        while k >= a and not mask[k]:
            k -= 1
        if k < a:
            return None
        edge = k + 1
    return env.ms(g0 + edge - 0.5)


# -- boundary bookkeeping shared by the refiners -------------------------------------------------------


def _lock_pairs(locked: LockMask, n: int) -> list[tuple[bool, bool]]:
    if locked is None:
        return [(False, False)] * n
    out = []
    for item in locked:
        if isinstance(item, (tuple, list, np.ndarray)):
            out.append((bool(item[0]), bool(item[1])))
        else:
            out.append((bool(item), bool(item)))
    if len(out) != n:
        raise ValueError(f"locked mask has {len(out)} entries for {n} timings")
    return out


def _clamp(value: float, lo: float, hi: float) -> float:
    return max(lo, min(hi, value))


def _gap_floor(env: Envelope, a_ms: float, b_ms: float) -> float | None:
    """The typical energy of a pause, from its quieter half (None for very short gaps)."""
    if b_ms - a_ms < 30:
        return None
    seg = env.db[env.frame(a_ms + 5) : env.frame(b_ms - 5) + 1]
    return float(np.percentile(seg, 25)) if len(seg) else None


def find_release(env: Envelope, offset_ms: float, hi_ms: float) -> float | None:
    """The end of a lone burst after a silent closure (a word-final plosive: "that", "advisement"),
    starting within ``release_gap_ms`` of ``offset_ms`` and followed by silence; None if none."""
    p = env.params
    hi_ms = min(hi_ms, offset_ms + p.release_gap_ms + p.release_burst_ms + 40)
    if hi_ms - offset_ms < 20:
        return None
    thr = env.threshold(offset_ms, None, p.fall_fraction)
    if thr is None:
        return None
    f0, f1 = env.frame(offset_ms), env.frame(hi_ms)
    raw = env.db[f0 : f1 + 1] > thr
    # a burst is short: only drop single-frame blips, keep 4 ms events
    mask = _runs_filled(raw, 2, True)
    k = int(np.argmax(mask)) if mask.any() else -1
    if k <= 0 or env.ms(k) > p.release_gap_ms + 2:  # k == 0: no closure, this is not a release
        return None
    j = k
    while j < len(mask) and mask[j]:
        j += 1
    if j >= len(mask) or env.ms(j - k) > p.release_burst_ms:
        return None  # runs on to the range end (more speech, or noise), or too long for a burst
    quiet_after = mask[j : j + round(30 * env.frames_per_ms)]
    if quiet_after.any():
        return None
    return env.ms(f0 + j - 0.5)


def refine_pause_edges(
    audio: np.ndarray,
    timings: Sequence[WordTiming],
    locked: LockMask = None,
    *,
    sample_rate: int = SAMPLE_RATE,
    params: RefineParams | None = None,
    envelope: Envelope | None = None,
    plosive_final: Sequence[bool] | None = None,
) -> list[WordTiming]:
    """Move the boundaries that face a pause onto the speech onset/offset the energy shows.

    A start faces a pause when it is the first aligned word or a gap of at least
    ``params.min_gap_ms`` separates it from the previous aligned word; an end likewise. Each
    boundary moves at most ``max_into_gap_ms`` into the pause and ``max_into_word_ms`` into its
    word, never past a neighbour, never below ``min_word_ms`` of word length, and not at all
    when it is locked or the audio is too noisy to show an edge. ``plosive_final`` marks words
    ending in a plosive: their end may extend over a lone release burst after the closure.
    """
    p = params or RefineParams()
    out = list(timings)
    locks = _lock_pairs(locked, len(out))
    if not out:
        return out
    env = envelope or Envelope(audio, sample_rate, p)
    dur_ms = 1000.0 * len(audio) / sample_rate
    idx = [i for i, t in enumerate(out) if t.aligned]
    for j, i in enumerate(idx):
        t = out[i]
        start, end = float(t.start), float(t.end)  # type: ignore[arg-type]
        prev_end = float(out[idx[j - 1]].end) if j > 0 else 0.0  # type: ignore[arg-type]
        next_start = float(out[idx[j + 1]].start) if j + 1 < len(idx) else max(dur_ms, end)  # type: ignore[arg-type]
        lock_s, lock_e = locks[i]
        new_start, new_end = start, end
        if not lock_s and (j == 0 or start - prev_end >= p.min_gap_ms):
            lo = max(prev_end, start - p.max_into_gap_ms)
            hi = min(end - p.min_word_ms, start + p.max_into_word_ms)
            hint = _gap_floor(env, prev_end, start) if j > 0 else None
            edge = find_onset(env, start, lo, hi, hint)
            if edge is not None:
                new_start = _clamp(edge + p.onset_shift_ms, max(prev_end, 0.0), max(start, min(end - p.min_word_ms, hi)))
        if not lock_e and (j + 1 == len(idx) or next_start - end >= p.min_gap_ms):
            floor, speech = env.levels(end)
            reach = p.max_into_word_ms * min(1.0, max(0.0, (speech - floor - p.min_dynamic_db) / max(1e-6, p.full_reach_db)))
            lo = max(new_start + p.min_word_ms, end - reach)
            hi = min(next_start, end + p.max_into_gap_ms)
            hint = _gap_floor(env, end, next_start) if j + 1 < len(idx) else None
            edge = find_offset(env, end, lo, hi, hint)
            if edge is not None and plosive_final is not None and plosive_final[i]:
                burst = find_release(env, edge, hi)
                if burst is not None:
                    edge = burst
            if edge is not None:
                new_end = _clamp(edge + p.offset_shift_ms, min(end, max(new_start + p.min_word_ms, lo)), next_start)
        new_start = _clamp(new_start, prev_end, end)  # never cross: belt and braces
        new_end = _clamp(new_end, new_start, max(next_start, new_start))
        if (new_start, new_end) != (start, end):
            s_i, e_i = round(new_start), round(new_end)
            s_i = min(max(s_i, int(np.ceil(prev_end))), int(t.end)) if not lock_s else int(t.start)  # type: ignore[arg-type]
            e_i = max(min(e_i, int(np.floor(next_start))), s_i) if not lock_e else int(t.end)  # type: ignore[arg-type]
            if lock_s:
                s_i = int(t.start)  # type: ignore[arg-type]
            out[i] = replace(t, start=s_i, end=max(e_i, s_i))
    return out


def spectral_change(audio: np.ndarray, sample_rate: int = SAMPLE_RATE, hop_ms: float = 2.0, win_ms: float = 16.0, n_bands: int = 20) -> np.ndarray:
    """Frame-to-frame change of the log band spectrum (one value per ``hop_ms``; frame k centred
    on k * hop_ms): high where one sound turns into another."""
    hop = max(1, round(hop_ms * sample_rate / 1000))
    win = max(8, round(win_ms * sample_rate / 1000))
    x = np.asarray(audio, dtype=np.float32).reshape(-1)
    n_frames = len(x) // hop + 1 if len(x) else 0
    if n_frames < 3:
        return np.zeros(n_frames, dtype=np.float32)
    padded = np.pad(x, (win // 2, win // 2 + hop))
    window = np.hanning(win).astype(np.float32)
    nfft = 1 << (win - 1).bit_length()
    edges = np.unique(np.geomspace(2, nfft // 2, n_bands + 1).astype(int))
    out = np.zeros(n_frames, dtype=np.float32)
    prev_last = None
    step = 4096
    for f0 in range(0, n_frames, step):
        f1 = min(n_frames, f0 + step)
        frames = np.lib.stride_tricks.sliding_window_view(padded[f0 * hop : (f1 - 1) * hop + win], win)[::hop][: f1 - f0]
        power = np.abs(np.fft.rfft(frames * window, nfft)) ** 2
        cum = np.concatenate([np.zeros((len(power), 1)), np.cumsum(power, axis=1)], axis=1)
        bands = np.log10(cum[:, edges[1:]] - cum[:, edges[:-1]] + 1e-8)
        if prev_last is not None:
            bands_all = np.vstack([prev_last, bands])
            diff = np.sqrt(((bands_all[1:] - bands_all[:-1]) ** 2).mean(axis=1))
        else:
            diff = np.concatenate([[0.0], np.sqrt(((bands[1:] - bands[:-1]) ** 2).mean(axis=1))])
        out[f0:f1] = diff
        prev_last = bands[-1:]
    return out


def refine_within_bins(
    audio: np.ndarray,
    timings: Sequence[WordTiming],
    locked: LockMask = None,
    *,
    bin_ms: float = 80.0,
    sample_rate: int = SAMPLE_RATE,
    params: RefineParams | None = None,
    envelope: Envelope | None = None,
    spectral: bool = False,
) -> list[WordTiming]:
    """Sharpen boundaries that are only known to a bin (``t`` means "somewhere in
    ``[t - bin_ms/2, t + bin_ms/2]``"): each moves inside its bin, never past a neighbour.

    A start that faces a pause (a gap before it, or the first word) moves onto the speech onset
    in its bin, an end that faces one onto the offset. A boundary two words share (end == next
    start) stays put unless ``spectral`` is set, which moves it, both sides together, onto the
    strongest spectral change in the bin. On TIMIT with 80 ms bins, snapping pause edges takes
    their error from 18-21 ms to 11-18 ms; spectral snapping of shared boundaries made them
    worse (the strongest change inside a word often is not its edge), hence off by default.
    """
    p = params or RefineParams()
    out = list(timings)
    locks = _lock_pairs(locked, len(out))
    if not out:
        return out
    env = envelope or Envelope(audio, sample_rate, p)
    change = spectral_change(audio, sample_rate, p.hop_ms) if spectral else None
    half = bin_ms / 2.0
    dur_ms = 1000.0 * len(audio) / sample_rate
    idx = [i for i, t in enumerate(out) if t.aligned]

    def best_change(lo: float, hi: float, t: float) -> float:
        a, b = env.frame(lo), env.frame(hi)
        if change is None or b <= a or a >= len(change):
            return t
        seg = change[a : b + 1]
        # a gentle pull towards the bin centre keeps ties from drifting to the bin's edge
        weights = 1.0 - 0.3 * np.abs(np.arange(a, a + len(seg)) - env.frame(t)) / max(1, b - a)
        return env.ms(a + int(np.argmax(seg * weights)))

    for j, i in enumerate(idx):
        t = out[i]
        start, end = float(t.start), float(t.end)  # type: ignore[arg-type]
        prev = idx[j - 1] if j > 0 else None
        prev_end = float(out[prev].end) if prev is not None else 0.0  # type: ignore[arg-type]
        next_start = float(out[idx[j + 1]].start) if j + 1 < len(idx) else max(dur_ms, end)  # type: ignore[arg-type]
        lock_s, lock_e = locks[i]
        shared_start = prev is not None and start == prev_end
        new_start = start
        if shared_start:
            if spectral and not lock_s and not locks[prev][1]:  # type: ignore[index]
                lo = max(float(out[prev].start), start - half)  # type: ignore[arg-type]
                hi = min(end, start + half)
                new_start = _clamp(best_change(lo, hi, start), lo, hi)
                out[prev] = replace(out[prev], end=round(new_start))  # type: ignore[index]
                new_start = float(out[prev].end)  # type: ignore[index,arg-type]
        elif not lock_s:
            lo, hi = max(prev_end, start - half, 0.0), min(end, start + half)
            edge = find_onset(env, start, lo, hi)
            if edge is not None:
                new_start = _clamp(edge, lo, hi)
        new_end = end
        shared_end = j + 1 < len(idx) and end == next_start
        if not shared_end and not lock_e:
            lo, hi = max(new_start, end - half), min(next_start, end + half)
            edge = find_offset(env, end, lo, hi)
            if edge is not None:
                new_end = _clamp(edge, max(new_start, lo), hi)
        s_i = int(t.start) if lock_s else round(new_start)  # type: ignore[arg-type]
        e_i = int(t.end) if lock_e or shared_end else max(round(new_end), s_i)  # type: ignore[arg-type]
        out[i] = replace(t, start=s_i, end=max(e_i, s_i))
    return out
