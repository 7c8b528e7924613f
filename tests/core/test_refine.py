"""Boundary refinement: it finds real onsets/offsets, and whatever the input it never moves a
locked boundary, never crosses a neighbour and never leaves the audio."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aligner_core.align.refine import (
    Envelope,
    RefineParams,
    find_offset,
    find_onset,
    refine_pause_edges,
    refine_within_bins,
)
from aligner_core.align.types import SAMPLE_RATE, WordTiming

SR = SAMPLE_RATE


def _bursts(spans_ms: list[tuple[int, int]], total_ms: int, seed: int = 0, noise: float = 1e-4) -> np.ndarray:
    """Quiet noise with loud, speech-like bursts (harmonics + noise) over ``spans_ms``."""
    rng = np.random.default_rng(seed)
    n = int(total_ms * SR / 1000)
    audio = (rng.standard_normal(n) * noise).astype(np.float32)
    t = np.arange(n) / SR
    for a, b in spans_ms:
        i, j = int(a * SR / 1000), int(b * SR / 1000)
        seg = sum(np.sin(2 * np.pi * f * t[i:j]) / k for k, f in enumerate((140, 280, 420, 900, 2300), 1))
        seg = seg + 0.3 * rng.standard_normal(j - i)
        audio[i:j] += (0.1 * seg).astype(np.float32)
    return audio


# -- it does its job ---------------------------------------------------------------------------------


def test_onset_and_offset_found_from_either_side():
    audio = _bursts([(500, 900)], 1500)
    env = Envelope(audio)
    for guess in (420, 460, 540, 600):  # in the silence before, or already inside the word
        onset = find_onset(env, guess, 300, 800)
        assert onset is not None and abs(onset - 500) <= 6, (guess, onset)
    for guess in (820, 870, 950, 990):
        offset = find_offset(env, guess, 600, 1100)
        assert offset is not None and abs(offset - 900) <= 6, (guess, offset)


def test_no_edge_in_flat_noise():
    rng = np.random.default_rng(1)
    audio = (0.1 * rng.standard_normal(SR)).astype(np.float32)
    assert find_onset(Envelope(audio), 500, 300, 700) is None


def test_pause_edges_move_to_speech_and_leave_junctions_alone():
    audio = _bursts([(300, 700), (700, 1000), (1400, 1800)], 2200)
    # an aligner that let words swallow the pauses: starts 60 ms early, ends 50 ms late
    timings = [WordTiming(240, 700, 0.9), WordTiming(700, 1050, 0.8), WordTiming(1340, 1850, 0.7, 4)]
    out = refine_pause_edges(audio, timings)
    assert abs(out[0].start - 300) <= 6
    assert out[0].end == 700 and out[1].start == 700  # a word-word junction is not a pause edge
    assert abs(out[1].end - 1000) <= 6
    assert abs(out[2].start - 1400) <= 6 and abs(out[2].end - 1800) <= 6
    assert [t.confidence for t in out] == [0.9, 0.8, 0.7] and out[2].flags == 4


def test_locked_word_keeps_its_times():
    audio = _bursts([(300, 700)], 1000)
    out = refine_pause_edges(audio, [WordTiming(240, 760)], [True])
    assert (out[0].start, out[0].end) == (240, 760)
    out = refine_pause_edges(audio, [WordTiming(240, 760)], [(False, True)])
    assert abs(out[0].start - 300) <= 6 and out[0].end == 760


def test_quantised_boundaries_sharpen_within_their_bin():
    audio = _bursts([(330, 610), (900, 1210)], 1600)
    # 80 ms bins: each time is the centre of the bin the true boundary fell in
    timings = [WordTiming(360, 600), WordTiming(920, 1240)]
    out = refine_within_bins(audio, timings, bin_ms=80)
    truth = [(330, 610), (900, 1210)]
    for t, (s, e) in zip(out, truth):
        assert abs(t.start - s) <= 8 and abs(t.end - e) <= 8


def test_shared_boundary_moves_as_one_with_spectral_snapping():
    audio = _bursts([(300, 500)], 1000)
    rng = np.random.default_rng(3)
    audio[8800:12000] += (0.2 * rng.standard_normal(3200)).astype(np.float32)  # a noise "word" from 550 ms
    out = refine_within_bins(audio, [WordTiming(300, 520), WordTiming(520, 750)], bin_ms=80, spectral=True)
    assert out[0].end == out[1].start and abs(out[1].start - 550) <= 10
    kept = refine_within_bins(audio, [WordTiming(300, 520), WordTiming(520, 750)], bin_ms=80)
    assert kept[0].end == kept[1].start == 520  # without spectral snapping a shared boundary stays


def test_empty_and_unaligned_inputs():
    audio = _bursts([(100, 200)], 400)
    assert refine_pause_edges(audio, []) == []
    assert refine_within_bins(audio, []) == []
    none = [WordTiming(None, None, 0.0, 32)]
    assert refine_pause_edges(audio, none) == none
    assert refine_within_bins(audio, none) == none
    assert refine_pause_edges(np.zeros(0, np.float32), [WordTiming(0, 0)]) == [WordTiming(0, 0)]
    with pytest.raises(ValueError):
        refine_pause_edges(audio, [WordTiming(0, 10)], [True, False])


# -- the guarantees, whatever the input ----------------------------------------------------------------


@st.composite
def cases(draw):
    total = draw(st.integers(200, 3000))
    n_bursts = draw(st.integers(0, 5))
    spans = []
    for _ in range(n_bursts):
        a = draw(st.integers(0, total - 20))
        spans.append((a, min(total, a + draw(st.integers(10, 600)))))
    audio = _bursts(spans, total, seed=draw(st.integers(0, 3)), noise=draw(st.sampled_from([1e-5, 1e-3, 0.05])))
    n = draw(st.integers(0, 10))
    t = draw(st.integers(0, 200))
    timings = []
    for _ in range(n):
        if draw(st.integers(0, 5)) == 0:
            timings.append(WordTiming(None, None, 0.0, 32))
            continue
        t += draw(st.sampled_from([0, 0, draw(st.integers(0, 400))]))
        start = min(t, total)
        t += draw(st.integers(0, 500))
        end = min(t, total)
        timings.append(WordTiming(start, end, draw(st.floats(0, 1)), draw(st.integers(0, 511))))
    lock_kind = draw(st.sampled_from(["none", "token", "boundary"]))
    if lock_kind == "none":
        locked = None
    elif lock_kind == "token":
        locked = [draw(st.booleans()) for _ in timings]
    else:
        locked = [(draw(st.booleans()), draw(st.booleans())) for _ in timings]
    return audio, timings, locked


def _lock_pairs(locked, n):
    if locked is None:
        return [(False, False)] * n
    return [(x, x) if isinstance(x, bool) else x for x in locked]


def _check(audio, before, after, locked, max_move=None):
    dur = int(1000 * len(audio) / SR)
    assert len(after) == len(before)
    prev_end = None
    for b, a, (ls, le) in zip(before, after, _lock_pairs(locked, len(before))):
        assert a.aligned == b.aligned
        assert (a.confidence, a.flags) == (b.confidence, b.flags)
        if not a.aligned:
            continue
        assert isinstance(a.start, int) and isinstance(a.end, int)
        if ls:
            assert a.start == b.start, "a locked start moved"
        if le:
            assert a.end == b.end, "a locked end moved"
        assert a.start <= a.end
        assert 0 <= a.start and a.end <= dur
        if prev_end is not None:
            assert a.start >= prev_end, "crossed the previous word"
        if max_move is not None:
            assert abs(a.start - b.start) <= max_move and abs(a.end - b.end) <= max_move
        prev_end = a.end


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_pause_refinement_guarantees(case):
    audio, timings, locked = case
    p = RefineParams()
    out = refine_pause_edges(audio, timings, locked, params=p)
    _check(audio, timings, out, locked, max_move=int(max(p.max_into_gap_ms, p.max_into_word_ms)) + 1)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(), st.sampled_from([20.0, 40.0, 80.0]), st.booleans())
def test_bin_refinement_guarantees(case, bin_ms, spectral):
    audio, timings, locked = case
    out = refine_within_bins(audio, timings, locked, bin_ms=bin_ms, spectral=spectral)
    _check(audio, timings, out, locked, max_move=int(bin_ms / 2) + 1)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_refinement_is_idempotent_enough_to_be_stable(case):
    """Running it twice never breaks the guarantees either (refining refined output)."""
    audio, timings, locked = case
    once = refine_pause_edges(audio, timings, locked)
    twice = refine_pause_edges(audio, once, locked)
    _check(audio, once, twice, locked)
