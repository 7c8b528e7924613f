"""Spectrogram tiles: where a tone and a click land, silence, seams, and the settings."""

from __future__ import annotations

import numpy as np
import pytest

from aligner_core.spectrogram import (
    MIN_HOP,
    TILE_COLUMNS,
    SpectrogramSettings,
    hop_for,
    reference_db,
    row_of,
    tile,
    tile_range,
)

SR = 16000
DEFAULT = SpectrogramSettings()


def sine(hz: float, seconds: float = 2.0, amplitude: float = 0.5) -> np.ndarray:
    t = np.arange(int(seconds * SR)) / SR
    return (amplitude * np.sin(2 * np.pi * hz * t)).astype(np.float32)


def test_a_1khz_sine_is_brightest_in_the_1khz_row():
    x = sine(1000.0)
    image = tile(x, SR, 64, 0, 256, DEFAULT, reference_db(x))
    assert image.shape == (DEFAULT.rows, 256) and image.dtype == np.uint8
    peak_rows = image[:, 20:200].argmax(axis=0)  # inside the tone: 2 s is 500 columns of 64
    row_hz = DEFAULT.max_hz / DEFAULT.rows
    assert np.all(np.abs((peak_rows + 0.5) * row_hz - 1000.0) <= row_hz)
    assert row_of(1000.0, DEFAULT) in set(peak_rows.tolist())
    assert image[row_of(1000.0, DEFAULT), 20:200].min() >= 240  # the reference level is the tone's
    # far from the tone (3 kHz and up) a broadband window leaves nothing above the floor
    assert image[row_of(3000.0, DEFAULT) :, 20:200].max() == 0


def test_a_click_lights_the_column_at_its_time_across_the_band():
    x = np.zeros(SR, np.float32)
    x[SR // 2] = 0.8  # a click at 0.5 s
    hop = 32
    image = tile(x, SR, hop, 0, SR // hop, DEFAULT, reference_db(sine(1000.0)))
    energy = image.astype(int).sum(axis=0)
    assert int(energy.argmax()) == (SR // 2) // hop
    column = image[:, (SR // 2) // hop]
    assert (column > 0).mean() > 0.9  # a click is broadband: nearly every row shows it
    assert energy[: (SR // 2) // hop - 10].max() == 0 and energy[(SR // 2) // hop + 10 :].max() == 0


def test_silence_is_the_floor_everywhere_and_past_the_ends():
    x = np.zeros(SR, np.float32)
    assert tile(x, SR, 64, 0, 256, DEFAULT, 0.0).max() == 0
    loud = sine(440.0)
    beyond = tile(loud, SR, 64, 1000, 100, DEFAULT, reference_db(loud))  # columns 1000+ lie past 2 s
    assert beyond.max() == 0


@pytest.mark.parametrize("hop", [MIN_HOP, 16, 256, 4096])
@pytest.mark.parametrize("window_ms", [5.0, 30.0])
def test_adjacent_tiles_join_without_a_seam(hop, window_ms):
    rng = np.random.default_rng(1)
    x = (rng.standard_normal(SR * 3) * np.hanning(SR * 3)).astype(np.float32) * 0.3
    x += sine(700.0, 3.0, 0.2)
    settings = SpectrogramSettings(window_ms=window_ms)
    ref = reference_db(x)
    first = 3 if hop < 256 else 0
    left = tile(x, SR, hop, first * TILE_COLUMNS, TILE_COLUMNS, settings, ref)
    right = tile(x, SR, hop, (first + 1) * TILE_COLUMNS, TILE_COLUMNS, settings, ref)
    union = tile(x, SR, hop, first * TILE_COLUMNS, 2 * TILE_COLUMNS, settings, ref)
    assert union[:, :TILE_COLUMNS].any()
    np.testing.assert_array_equal(np.hstack([left, right]), union)


def test_the_window_length_trades_time_for_frequency_resolution():
    x = sine(1000.0)
    ref = reference_db(x)
    broad = tile(x, SR, 64, 0, 200, SpectrogramSettings(window_ms=5.0), ref)
    narrow = tile(x, SR, 64, 0, 200, SpectrogramSettings(window_ms=30.0), ref)
    # a steady tone: the long window puts it in far fewer rows
    assert (narrow[:, 100] > 0).sum() * 3 < (broad[:, 100] > 0).sum()
    # a click: the short window keeps it in fewer columns
    click = np.zeros(SR, np.float32)
    click[8000] = 0.8
    cols = [(tile(click, SR, 16, 0, 1000, SpectrogramSettings(window_ms=w), ref).max(axis=0) > 0).sum() for w in (5.0, 30.0)]
    assert cols[0] * 3 < cols[1]


def test_max_frequency_and_dynamic_range_are_respected():
    x = sine(3000.0)
    ref = reference_db(x) + 20.0  # below full intensity: the strongest row is the tone's, not the first at 255
    full = tile(x, SR, 64, 0, 100, SpectrogramSettings(max_hz=8000.0), ref)
    low = tile(x, SR, 64, 0, 100, SpectrogramSettings(max_hz=4000.0), ref)
    assert abs(int(full[:, 50].argmax()) - row_of(3000.0, SpectrogramSettings(max_hz=8000.0))) <= 1
    assert abs(int(low[:, 50].argmax()) - row_of(3000.0, SpectrogramSettings(max_hz=4000.0))) <= 1
    # a tone 20 dB under the reference: half of a 40 dB range, a quarter of an 80 dB one
    quiet = sine(1000.0, amplitude=0.05)
    ref = reference_db(sine(1000.0))
    r = row_of(1000.0, DEFAULT)
    mid40 = int(tile(quiet, SR, 64, 0, 100, SpectrogramSettings(dynamic_range_db=40.0), ref)[r, 50])
    mid80 = int(tile(quiet, SR, 64, 0, 100, SpectrogramSettings(dynamic_range_db=80.0), ref)[r, 50])
    assert abs(mid40 - 128) <= 8 and abs(mid80 - 191) <= 8
    # out-of-range settings are kept inside what 16 kHz audio can show
    clamped = SpectrogramSettings(max_hz=20000.0, window_ms=0.0, dynamic_range_db=float("nan")).clamped(SR)
    assert clamped.max_hz == 8000.0 and clamped.window_ms == 1.0 and clamped.dynamic_range_db == 10.0


def test_zoom_levels_and_tile_ranges():
    assert hop_for(1.0) == MIN_HOP and hop_for(5.0) == 4 and hop_for(64.0) == 64 and hop_for(100.0) == 64
    span = 64 * TILE_COLUMNS
    assert tile_range(0, span, 64) == range(0, 1)
    assert tile_range(span - 1, span + 1, 64) == range(0, 2)
    assert tile_range(-50, 10, 64) == range(0, 1)


def test_the_reference_ignores_a_single_click():
    x = sine(500.0, amplitude=0.1)
    clicked = x.copy()
    clicked[100] = 1.0
    assert abs(reference_db(clicked) - reference_db(x)) < 0.5
    assert reference_db(np.zeros(0, np.float32)) == 0.0
