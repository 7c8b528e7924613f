"""WSOLA time stretch: length scales by 1/speed, pitch stays, streaming equals one pass."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner_core.stretch import TimeStretcher, stretch

RATE = 16000


def _sine(freq: float, seconds: float = 1.0, amp: float = 0.5) -> np.ndarray:
    t = np.arange(int(RATE * seconds)) / RATE
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def _dominant_hz(y: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(y * np.hanning(len(y))))
    return float(np.fft.rfftfreq(len(y), 1 / RATE)[np.argmax(spectrum)])


@pytest.mark.parametrize("speed", [0.5, 0.75, 1.25, 1.5, 2.0])
@pytest.mark.parametrize("freq", [110.0, 220.0, 1000.0])
def test_steady_sine_keeps_its_frequency_and_length_scales(speed, freq):
    x = _sine(freq)
    y = stretch(x, speed)
    assert abs(len(y) - len(x) / speed) <= 1
    # plain resampling would move the peak to freq * speed
    assert abs(_dominant_hz(y) - freq) <= 0.02 * freq
    # no clicks: a clean sine stretched stays a clean sine at the same level
    assert np.abs(y).max() <= 0.5 * 1.01
    assert np.sqrt(np.mean(y**2)) == pytest.approx(0.5 / np.sqrt(2), rel=0.05)


def test_speed_one_gives_back_the_input():
    rng = np.random.default_rng(1)
    x = rng.standard_normal(12345).astype(np.float32)
    np.testing.assert_allclose(stretch(x, 1.0), x, atol=1e-5)


def test_range_reads_only_its_samples():
    x = np.ones(16000, np.float32)
    x[4000:8000] = 0.25
    s = TimeStretcher(x, 0.5, start=4000, end=8000)
    y = s.read(10**6)
    assert len(y) == 8000 and s.done
    np.testing.assert_allclose(y, 0.25, atol=1e-4)  # the loud neighbours never leak in


@settings(max_examples=25, deadline=None)
@given(speed=st.sampled_from([0.5, 0.75, 1.25, 1.5, 2.0]), sizes=st.lists(st.integers(1, 4000), min_size=1, max_size=40))
def test_streaming_in_any_block_sizes_equals_one_pass(speed, sizes):
    x = _sine(300, 0.7) + _sine(1234, 0.7, 0.2)
    whole = stretch(x, speed)
    s = TimeStretcher(x, speed)
    parts = []
    i = 0
    while not s.done:
        parts.append(s.read(sizes[i % len(sizes)]))
        i += 1
    assert s.read(100).size == 0
    np.testing.assert_array_equal(np.concatenate(parts), whole)


def test_out_of_range_speed_is_refused():
    with pytest.raises(ValueError):
        TimeStretcher(np.zeros(10, np.float32), 10.0)
