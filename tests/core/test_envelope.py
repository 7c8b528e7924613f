from __future__ import annotations

import threading

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner_core.envelope import DEFAULT_BIN_SIZES, Envelope, EnvelopeBuilder, default_bin_sizes


def reference(x: np.ndarray, b: int) -> tuple[np.ndarray, np.ndarray]:
    n = -(-len(x) // b)
    mins = np.array([x[j * b : (j + 1) * b].min() for j in range(n)], dtype=np.float32)
    maxs = np.array([x[j * b : (j + 1) * b].max() for j in range(n)], dtype=np.float32)
    return mins, maxs


def feed_in_blocks(builder: EnvelopeBuilder, x: np.ndarray, cuts: list[int]) -> None:
    edges = [0, *sorted(c % (len(x) + 1) for c in cuts), len(x)]
    for a, b in zip(edges, edges[1:]):
        builder.feed(x[a:b])


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(0, 3000),
    cuts=st.lists(st.integers(0, 10_000), max_size=12),
    bins=st.sampled_from([(1,), (4, 8), (3, 9, 27), (5, 10, 40, 80), (64, 256, 1024)]),
    seed=st.integers(0, 2**32 - 1),
)
def test_every_level_matches_numpy_for_any_block_split(n, cuts, bins, seed):
    x = np.random.default_rng(seed).standard_normal(n).astype(np.float32)
    builder = EnvelopeBuilder(16000, bins)
    feed_in_blocks(builder, x, cuts)
    env = builder.finish()
    assert env.complete and env.frames == n
    assert [lv.bin_frames for lv in env.levels] == list(bins)
    for level in env.levels:
        mins, maxs = reference(x, level.bin_frames)
        np.testing.assert_array_equal(level.mins, mins)
        np.testing.assert_array_equal(level.maxs, maxs)
        assert level.mins.dtype == np.float32 and not level.mins.flags.writeable


def test_default_levels_on_a_long_signal_match_numpy():
    rng = np.random.default_rng(3)
    x = (rng.standard_normal(65536 * 5 + 12345) * np.linspace(0, 1, 65536 * 5 + 12345)).astype(np.float32)
    builder = EnvelopeBuilder(48000, expected_frames=1000)  # underestimate: buffers must grow
    feed_in_blocks(builder, x, list(rng.integers(0, len(x), 40)))
    env = builder.finish()
    for level in env.levels:
        b = level.bin_frames
        full = len(x) // b * b
        np.testing.assert_array_equal(level.mins[: full // b], x[:full].reshape(-1, b).min(1))
        np.testing.assert_array_equal(level.maxs[: full // b], x[:full].reshape(-1, b).max(1))
        assert level.mins[-1] == x[full:].min() and level.maxs[-1] == x[full:].max()
    assert env.duration == pytest.approx(len(x) / 48000)


def test_snapshot_shows_completed_bins_and_stays_valid_while_feeding():
    x = np.random.default_rng(1).standard_normal(70000).astype(np.float32)
    builder = EnvelopeBuilder(8000, (10, 100), expected_frames=0)
    builder.feed(x[:1234])
    snap = builder.snapshot()
    assert not snap.complete and snap.frames == 1234
    assert len(snap.levels[0]) == 123 and len(snap.levels[1]) == 12
    builder.feed(x[1234:])  # grows the buffers; the old snapshot must be untouched
    np.testing.assert_array_equal(snap.levels[0].mins, reference(x[:1230], 10)[0])
    env = builder.finish()
    assert builder.snapshot() is env and builder.finish() is env
    with pytest.raises(RuntimeError):
        builder.feed(x[:10])


def test_snapshots_from_another_thread_are_always_consistent():
    x = np.random.default_rng(2).standard_normal(400_000).astype(np.float32)
    builder = EnvelopeBuilder(16000)
    ref0 = reference(x[: len(x) // 64 * 64], 64)
    stop = threading.Event()
    problems: list[str] = []

    def poll():
        while not stop.is_set():
            snap = builder.snapshot()
            lv = snap.levels[0]
            if len(lv) * 64 > snap.frames or not np.array_equal(lv.mins, ref0[0][: len(lv)]):
                problems.append(f"inconsistent at {snap.frames}")

    t = threading.Thread(target=poll)
    t.start()
    for i in range(0, len(x), 1000):
        builder.feed(x[i : i + 1000])
    stop.set()
    t.join()
    assert not problems


@pytest.mark.parametrize("rate", [8000, 16000, 22050, 44100, 48000, 96000])
def test_default_levels_are_the_same_durations_at_every_rate(rate):
    bins = default_bin_sizes(rate)
    assert EnvelopeBuilder(rate).bin_sizes == bins
    assert [b / rate for b in bins] == pytest.approx([0.004 * 4**k for k in range(6)], rel=0.01)
    assert all(b2 % b1 == 0 for b1, b2 in zip(bins, bins[1:]))
    assert default_bin_sizes(16000) == DEFAULT_BIN_SIZES


def test_rejects_bad_configuration():
    with pytest.raises(ValueError):
        EnvelopeBuilder(16000, (64, 100))
    with pytest.raises(ValueError):
        EnvelopeBuilder(16000, ())
    with pytest.raises(ValueError):
        EnvelopeBuilder(0)
    with pytest.raises(ValueError):
        EnvelopeBuilder(16000).feed(np.zeros((10, 2), np.float32))


def test_empty_envelope():
    env = EnvelopeBuilder(16000).finish()
    assert env.frames == 0 and all(len(lv) == 0 for lv in env.levels)
    times, mins, maxs = env.slice(0, 10, 100)
    assert len(times) == len(mins) == len(maxs) == 0


@pytest.fixture(scope="module")
def ramp_env() -> tuple[np.ndarray, Envelope]:
    # 20 s at 16 kHz; value of sample i is i, so every bin's min/max reveals its exact span.
    x = np.arange(16000 * 20, dtype=np.float32)
    return x, Envelope.from_samples(x, 16000)


def test_level_for(ramp_env):
    _, env = ramp_env
    assert env.level_for(1) == 0
    assert env.level_for(64) == 0
    assert env.level_for(255) == 0
    assert env.level_for(256) == 1
    assert env.level_for(5000) == 3
    assert env.level_for(1e9) == len(DEFAULT_BIN_SIZES) - 1


@pytest.mark.parametrize("t0,t1,max_points", [(0, 20, 1000), (3.3, 4.1, 50), (3.3, 4.1, 5000), (0, 20, 3), (19.99, 25, 10), (0, 20, 1)])
def test_slice_covers_the_range_with_the_finest_level_that_fits(ramp_env, t0, t1, max_points):
    x, env = ramp_env
    times, mins, maxs = env.slice(t0, t1, max_points)
    assert 1 <= len(times) <= max_points
    assert len(times) == len(mins) == len(maxs)
    assert np.all(np.diff(times) > 0)
    # Ramp: bin min is its first sample, so times must equal mins / rate exactly.
    np.testing.assert_allclose(times, mins.astype(np.float64) / 16000, rtol=0, atol=1e-9)
    assert times[0] <= t0 + 1e-9
    last_end = (float(maxs[-1]) + 1) / 16000
    assert last_end >= min(t1, 20) - 1e-9
    # The finest level that fits is used: the next finer one would not have fitted.
    width = (times[1] - times[0]) if len(times) > 1 else None
    if width is not None:
        bin_frames = round(width * 16000)
        if bin_frames in DEFAULT_BIN_SIZES and bin_frames > DEFAULT_BIN_SIZES[0]:
            finer = DEFAULT_BIN_SIZES[DEFAULT_BIN_SIZES.index(bin_frames) - 1]
            n_finer = int(np.ceil(min(t1, 20) * 16000 / finer)) - int(t0 * 16000 // finer)
            assert n_finer > max_points


def test_slice_is_stable_when_panning(ramp_env):
    # Coarse groups sit on absolute multiples, so overlapping windows share identical bins.
    _, env = ramp_env
    a = env.slice(1.0, 15.0, 3)
    b = env.slice(1.5, 15.5, 3)
    common = np.intersect1d(a[0], b[0])
    assert len(common) >= 1
    for t in common:
        assert a[1][a[0] == t] == b[1][b[0] == t] and a[2][a[0] == t] == b[2][b[0] == t]


def test_slice_outside_or_empty_range(ramp_env):
    _, env = ramp_env
    assert len(env.slice(30, 40, 100)[0]) == 0
    assert len(env.slice(5, 5, 100)[0]) == 0
    assert len(env.slice(-5, -1, 100)[0]) == 0
    with pytest.raises(ValueError):
        env.slice(0, 1, 0)
