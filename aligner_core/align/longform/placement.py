"""Word placement: which run of the transcript each speech region holds (the module notes of
:mod:`aligner_core.align.longform`, step 2). A dynamic programme over (region, words placed so far),
banded around its best state, so a recording of any length costs O(regions x band); the chunk
planner cuts the recording where this placement says one sentence ends and the next begins."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..vad import Region


@dataclass(frozen=True)
class PlaceParams:
    rel_sd_word: float = 0.4  # one word's length varies this much (relative) around its expectation
    rel_sd_rate: float = 0.3  # a speaker's local rate varies this much around the global one
    edge_sd_s: float = 0.12  # the detector's edges are this uncertain
    max_ratio: float = 2.8  # a region is at most this much longer or shorter than its words
    empty_speech_per_s: float = 1.5  # cost of speech that gets no words, per second
    empty_noise_per_s: float = 0.2  # ... of noise that gets no words
    noise_words: float = 2.0  # extra cost of giving words to a noise region
    skip_word: float = 2.5  # cost of leaving a word out of the audio ...
    skip_per_unit: float = 0.3  # ... plus this per letter unit
    band: int = 400  # states kept around the best one (words)
    beam: float = 80.0  # states this much worse than the best are dropped
    iterations: int = 2  # rate re-estimations
    rate_bounds: tuple[float, float] = (0.03, 0.15)  # seconds per letter unit: from fast to very slow speech


@dataclass
class Placement:
    """Which words each region holds: ``[first[j], last[j])`` (empty when equal)."""

    first: np.ndarray
    last: np.ndarray
    skipped: np.ndarray  # bool per word: the placement found no audio for it
    rate_s: float  # seconds per letter unit
    cost: float


def place_words(
    regions: Sequence[Region],
    weights: np.ndarray,
    pause_cost: np.ndarray | None = None,
    params: PlaceParams | None = None,
) -> Placement:
    """Assign consecutive runs of words to speech regions (see the module notes, step 2)."""
    p = params or PlaceParams()
    w = np.asarray(weights, dtype=np.float64)
    n = len(w)
    pc = np.zeros(n) if pause_cost is None else np.asarray(pause_cost, dtype=np.float64)
    speech_s = sum(r.duration_s for r in regions if not r.noise) or sum(r.duration_s for r in regions)
    lo_rate, hi_rate = p.rate_bounds
    rate = min(hi_rate, max(lo_rate, speech_s / max(1e-9, w.sum())))
    if n == 0 or not regions:
        rate = rate if n else 0.06
        return Placement(np.zeros(len(regions), np.int64), np.zeros(len(regions), np.int64), np.ones(n, bool), rate, 0.0)
    best: Placement | None = None
    for _ in range(max(1, p.iterations)):
        placement = _place_once(regions, w, pc, rate, p)
        best = placement
        used = placement.last > placement.first
        if not used.any():
            break
        cw = np.concatenate([[0.0], np.cumsum(w)])
        units = float(np.sum(cw[placement.last[used]] - cw[placement.first[used]]))
        dur = float(sum(r.duration_s for r, u in zip(regions, used) if u))
        new_rate = min(hi_rate, max(lo_rate, dur / max(1e-9, units)))
        if abs(new_rate - rate) < 0.01 * rate:
            break
        rate = new_rate
    assert best is not None
    return best


def _place_once(regions: Sequence[Region], w: np.ndarray, pc: np.ndarray, rate: float, p: PlaceParams) -> Placement:
    n = len(w)
    cw = np.concatenate([[0.0], np.cumsum(w)])
    skip_each = p.skip_word + p.skip_per_unit * w
    cs = np.concatenate([[0.0], np.cumsum(skip_each)])  # cumulative skip cost
    log_max = math.log(p.max_ratio)
    inf = np.inf

    lo = 0
    cost = np.zeros(1)  # states lo .. lo+len-1: words placed so far
    history: list[tuple[int, np.ndarray, int, np.ndarray]] = []  # per region: (skip lo, skip origin, lo, run length)

    def skip_stage(lo: int, cost: np.ndarray, reach: int) -> tuple[int, np.ndarray, np.ndarray]:
        """Leave runs of words out: new[i] = min_{i' <= i} cost[i'] + cs[i] - cs[i']."""
        hi = min(n, lo + len(cost) - 1 + reach)
        size = hi - lo + 1
        ext = np.full(size, inf)
        ext[: len(cost)] = cost
        idx = np.arange(lo, hi + 1)
        shifted = ext - cs[idx]
        run_min = np.minimum.accumulate(shifted)
        origin = _argmin_accumulate(shifted)
        return lo, run_min + cs[idx], origin + lo

    for region in regions:
        dur = max(0.03, region.duration_s)
        s_lo, s_cost, s_origin = skip_stage(lo, cost, 40)
        n_states = len(s_cost)
        empty = (p.empty_noise_per_s if region.noise else p.empty_speech_per_s) * dur
        # the most words that could fit: from the state whose next words are shortest
        states = np.arange(s_lo, s_lo + n_states)
        reach_units = dur * p.max_ratio / rate
        fits = np.searchsorted(cw, cw[states] + reach_units, side="right") - 1 - states
        k_max = int(min(n - s_lo, max(0, int(fits.max()))))
        # a (target state) x (run length) table: target t takes run k from state t - k
        targets = np.arange(s_lo, s_lo + n_states + k_max)
        ks = np.arange(0, k_max + 1)
        src = targets[:, None] - ks[None, :]
        valid = (src >= s_lo) & (src < s_lo + n_states)
        src_c = np.clip(src, s_lo, s_lo + n_states - 1)
        base = np.where(valid, s_cost[src_c - s_lo], inf)
        table = np.full(base.shape, inf)
        table[:, 0] = base[:, 0] + empty
        if k_max:
            kk = ks[None, 1:]
            i_src = src_c[:, 1:]
            expect = rate * (cw[np.minimum(i_src + kk, n)] - cw[i_src])
            ratio = np.log(dur / np.maximum(expect, 1e-6))
            var = (p.rel_sd_word**2) / kk + p.rel_sd_rate**2 + (p.edge_sd_s / np.maximum(expect, dur)) ** 2
            c = 0.5 * ratio * ratio / var + 0.5 * np.log(var) + pc[np.minimum(i_src, n - 1)] * (i_src > 0)
            if region.noise:
                c = c + p.noise_words
            c = np.where((np.abs(ratio) > log_max) | (i_src + kk > n), inf, c)
            table[:, 1:] = base[:, 1:] + c
        choice = np.argmin(table, axis=1).astype(np.int32)
        new = table[np.arange(len(targets)), choice]
        # keep a band around the best state, and only states inside the beam
        finite_new = np.isfinite(new)
        best = int(np.argmin(new))
        keep = finite_new & (new <= new[best] + p.beam)
        keep_idx = np.flatnonzero(keep)
        a = max(int(keep_idx[0]), best - p.band)
        b = min(int(keep_idx[-1]) + 1, best + p.band + 1)
        history.append((s_lo, s_origin, s_lo, choice))
        lo = s_lo + a
        cost = new[a:b].copy()
        cost[~keep[a:b]] = inf
    # the words after the last region: skipped
    final = cost + (cs[n] - cs[np.arange(lo, lo + len(cost))])
    end_state = lo + int(np.argmin(final))
    total_cost = float(np.min(final))

    # trace back
    r_count = len(regions)
    first = np.zeros(r_count, np.int64)
    last = np.zeros(r_count, np.int64)
    skipped = np.zeros(n, bool)
    skipped[end_state:] = True
    state = end_state
    for j in range(r_count - 1, -1, -1):
        s_lo, s_origin, c_lo, choice = history[j]
        k = int(choice[state - c_lo])
        first[j], last[j] = state - k, state
        state -= k
        origin = int(s_origin[state - s_lo])
        skipped[origin:state] = True
        state = origin
    skipped[:state] = True
    return Placement(first, last, skipped, rate, total_cost)


def _argmin_accumulate(x: np.ndarray) -> np.ndarray:
    """Index of the running minimum of ``x`` (first occurrence)."""
    idx = np.arange(len(x))
    mins = np.minimum.accumulate(x)
    is_new = np.concatenate([[True], x[1:] < mins[:-1]])
    pos = np.where(is_new, idx, 0)
    return np.maximum.accumulate(pos)

