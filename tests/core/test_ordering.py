"""The one clamp/order rule (aligner_core.align.ordering.clamp_and_order) that every producer of
word times ends with: sphinx, Qwen3/CTC (confidence.finalize), long-form seams and the api."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from aligner_core.align.ordering import REPAIR_MS, clamp_and_order
from aligner_core.align.types import WordTiming
from aligner_core.document import Flag


def test_times_outside_the_audio_are_clamped_and_flagged():
    out = clamp_and_order([WordTiming(-40, 200, 0.9), WordTiming(900, 1300, 0.8)], 1000)
    assert [(t.start, t.end) for t in out] == [(0, 200), (900, 1000)]
    assert all(t.flags & Flag.CLAMPED and not t.flags & Flag.INTERPOLATED for t in out)


def test_an_overlap_is_repaired_and_flagged_only_when_it_is_a_frame_or_more():
    out = clamp_and_order([WordTiming(100, 500, 0.9), WordTiming(495, 800, 0.9), WordTiming(700, 900, 0.9)], 1000)
    assert [(t.start, t.end) for t in out] == [(100, 500), (500, 800), (800, 900)]
    assert not out[1].flags & Flag.INTERPOLATED  # 5 ms: sphinx's junction arithmetic, not a repair
    assert out[2].flags & Flag.INTERPOLATED and 800 - 700 >= REPAIR_MS
    assert not any(t.flags & Flag.CLAMPED for t in out)


def test_an_end_before_its_start_becomes_a_zero_length_word():
    (t,) = clamp_and_order([WordTiming(600, 450, 0.7)], 1000)
    assert (t.start, t.end) == (600, 600) and t.flags & Flag.INTERPOLATED


def test_words_without_times_keep_none_and_their_flags_and_do_not_reset_the_order():
    out = clamp_and_order([WordTiming(100, 400, 0.9), WordTiming(None, None, 0.0, 0), WordTiming(math.nan, 500, 0.5, int(Flag.GUESSED_PRONUNCIATION)), WordTiming(300, 600, 0.9)], 1000)
    assert (out[1].start, out[1].end, out[1].flags) == (None, None, 0)  # the producer says what a missing time means
    assert (out[2].start, out[2].end, out[2].flags) == (None, None, int(Flag.GUESSED_PRONUNCIATION))
    assert (out[3].start, out[3].end) == (400, 600) and out[3].flags & Flag.INTERPOLATED


def test_raw_float_times_are_rounded_and_confidence_clipped():
    out = clamp_and_order([WordTiming(10.4, 99.6, 1.7), WordTiming(120.5, 130.5, None), WordTiming(140.0, 150.0, math.nan), WordTiming(160, 170, -0.2)], 1000)
    assert [(t.start, t.end) for t in out] == [(10, 100), (120, 130), (140, 150), (160, 170)]
    assert all(isinstance(t.start, int) and isinstance(t.end, int) for t in out)
    assert [t.confidence for t in out] == [1.0, 0.0, 0.0, 0.0]


def test_what_else_a_timing_carries_stays_with_it():
    from aligner_core.document import Phone

    word = WordTiming(-20, 300, 0.9, 0, (Phone("AE", -20, 100), Phone("N", 100, 300)))
    (t,) = clamp_and_order([word], 1000)
    assert t.phones[0].start == 0 and t.phones[-1].end == 300  # the phones follow the clamped word


@given(st.lists(st.tuples(st.one_of(st.none(), st.integers(-500, 2500)), st.integers(-500, 2500), st.floats(-1, 2)), max_size=30), st.integers(0, 2000))
def test_every_answer_is_inside_the_audio_in_order_and_flagged_when_moved(raw, dur):
    timings = [WordTiming(s, e if s is not None else None, c) for s, e, c in raw]
    out = clamp_and_order(timings, dur)
    assert len(out) == len(timings)
    prev = 0
    for before, t in zip(timings, out):
        assert 0.0 <= t.confidence <= 1.0
        if before.start is None:
            assert t.start is None and t.end is None
            continue
        assert prev <= t.start <= t.end <= dur
        outside = not (0 <= before.start <= dur and 0 <= before.end <= dur)
        assert bool(t.flags & Flag.CLAMPED) == outside
        if not outside and (t.start, t.end) == (before.start, before.end):
            assert not t.flags & Flag.INTERPOLATED
        prev = t.end
