"""Speech onsets/offsets from the envelope: the snap targets of timeline drags."""

from __future__ import annotations


import numpy as np

from aligner_core.envelope import Envelope, EnvelopeLevel
from aligner_core.onsets import speech_edges

RATE = 16000


def _bursts(spans_ms, total_ms, noise=0.001, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(0, noise, int(total_ms * RATE / 1000)).astype(np.float32)
    for a, b in spans_ms:
        i, j = a * RATE // 1000, b * RATE // 1000
        t = np.arange(j - i) / RATE
        x[i:j] += (0.5 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
    return x


def test_edges_of_tone_bursts_within_one_bin():
    spans = [(500, 1200), (1500, 2300), (3000, 3100)]
    edges = speech_edges(Envelope.from_samples(_bursts(spans, 4000), RATE))
    expected = [t for span in spans for t in span]
    assert len(edges) == len(expected)
    assert np.all(np.abs(edges - expected) <= 20), edges


def test_silence_and_no_envelope_give_no_edges():
    assert len(speech_edges(Envelope.from_samples(np.zeros(RATE * 2, np.float32), RATE))) == 0
    assert len(speech_edges(None)) == 0


def test_short_gap_and_blip_are_absorbed():
    spans = [(500, 1000), (1020, 1500), (2500, 2510)]  # a 20 ms gap and a 10 ms click
    edges = speech_edges(Envelope.from_samples(_bursts(spans, 3000), RATE))
    assert len(edges) == 2
    assert abs(edges[0] - 500) <= 20 and abs(edges[1] - 1500) <= 20


def test_real_speech_has_edges_inside_the_file():
    from aligner_core.audio import decode
    from pathlib import Path

    audio = decode(Path(__file__).resolve().parents[2] / "resources" / "examples" / "jfk.flac")
    edges = speech_edges(audio.envelope)
    assert 6 <= len(edges) <= 200  # odd when the file ends inside speech
    assert np.all(np.diff(edges) > 0) and edges[-1] <= audio.duration_ms


def test_three_hours_of_peaks_find_their_edges():
    rng = np.random.default_rng(1)
    levels = []
    frames = 3 * 3600 * RATE
    for k in range(6):
        b = 64 * 4**k
        n = -(-frames // b)
        peaks = (rng.random(n) < 0.5).astype(np.float32) * 0.5 + 0.001
        levels.append(EnvelopeLevel(b, -peaks, peaks))
    env = Envelope(RATE, frames, tuple(levels))
    edges = speech_edges(env, min_run_ms=0)  # how fast: bench/core_latency.py
    assert len(edges) > 1000
