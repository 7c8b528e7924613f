"""Long files: the waveform shows while the file decodes; long alignments use every core."""

from __future__ import annotations

import os

import numpy as np
import pytest
import soundfile as sf

from aligner_core.audio import AudioInfo, DecodedAudio, decode
from aligner_core.document import Cue, Document, Token
from aligner_core.envelope import Envelope, EnvelopeBuilder, EnvelopeLevel
from desktop.alignment import AlignmentOptions
from desktop.main_window import EXAMPLE_DIR
from desktop.session import Session
from desktop.timeline import TimelineWidget
from desktop.view_state import ViewState

from .conftest import new_window


@pytest.fixture(scope="module")
def long_flac(tmp_path_factory):
    """40 minutes at 8 kHz (decoding resamples to 16 kHz: about a second here), a tone burst every 2 s."""
    rate = 8000
    x = np.zeros(40 * 60 * rate, np.int16)
    tone = (np.sin(np.arange(4000) * 0.3) * 8000).astype(np.int16)
    for k in range(0, len(x) - 4000, 2 * rate):
        x[k : k + 4000] = tone
    path = tmp_path_factory.mktemp("long") / "long.flac"
    sf.write(path, x, rate, subtype="PCM_16")
    return path


def test_partial_envelope_draws_only_the_decoded_part_then_gives_way_to_the_audio(qtbot):
    full = decode(EXAMPLE_DIR / "jfk.flac", rate=None)  # source rate: what the builder is fed
    session, view = Session(), ViewState()
    widget = TimelineWidget(session, view)
    qtbot.addWidget(widget)
    widget.resize(900, 300)
    widget.show()
    builder = EnvelopeBuilder(full.sample_rate, expected_frames=len(full.samples))
    half = len(full.samples) // 2
    builder.feed(full.samples[:half])

    widget.show_partial_envelope(builder.snapshot(), full.duration_ms)
    assert widget.overview.duration_ms == pytest.approx(full.duration_ms)  # grows into the whole file
    assert widget.range_ms() == pytest.approx((0.0, full.duration_ms))
    drawn = widget.plot._wave.path().boundingRect()
    half_s = half / full.sample_rate
    assert drawn.width() > 0
    assert half_s - 0.1 < drawn.right() <= half_s + 0.05

    builder.feed(full.samples[half:])
    widget.show_partial_envelope(builder.snapshot(), full.duration_ms)
    assert widget.plot._wave.path().boundingRect().right() > full.duration_ms / 1000 - 0.1

    widget.set_range_ms(2000, 6000)  # the user scrolls while it decodes: kept when it is done
    session.set_audio(full, EXAMPLE_DIR / "jfk.flac")
    assert widget.plot.partial_envelope is None
    assert widget.overview.envelope is full.envelope
    assert widget.range_ms() == pytest.approx((2000, 6000))


def test_window_shows_the_waveform_while_decoding(qtbot, long_flac):
    win = new_window(qtbot)
    win.load_audio(long_flac)
    assert win.busy
    qtbot.waitUntil(lambda: win.timeline.plot.partial_envelope is not None, timeout=5000)
    partial = win.timeline.plot.partial_envelope
    assert win.session.audio is None  # nothing decoded is in the session before the end
    assert win.timeline.overview.duration_ms == pytest.approx(40 * 60 * 1000)
    assert not win.timeline.plot._wave.path().isEmpty()
    assert 0 < partial.frames <= 40 * 60 * 8000
    qtbot.waitUntil(lambda: not win.busy, timeout=20000)
    assert win.timeline.plot.partial_envelope is None
    assert win.session.audio is not None and win.session.audio.envelope.complete
    assert win.timeline.overview.envelope is win.session.audio.envelope


def test_cancelled_decode_takes_its_waveform_away(qtbot, long_flac):
    win = new_window(qtbot)
    win.load_audio(long_flac)
    qtbot.waitUntil(lambda: win.timeline.plot.partial_envelope is not None, timeout=5000)
    win.cancel_task()
    qtbot.waitUntil(lambda: not win.busy, timeout=5000)
    assert win.stage_label.text() == "Cancelled"
    assert win.session.audio is None
    assert win.timeline.plot.partial_envelope is None
    assert win.timeline.overview.envelope is None
    assert win.timeline.plot._wave.path().isEmpty()


def test_offline_alignment_uses_every_core(qtbot):
    win = new_window(qtbot)
    win.alignment.options = AlignmentOptions(aligner="sphinx")
    assert win.alignment._jobs() == (os.cpu_count() or 1)
    win.alignment.options = AlignmentOptions(aligner="qwen3", model="/nowhere")  # one model copy only
    assert win.alignment._jobs() == 1


def test_words_too_narrow_for_a_label_are_drawn_as_one_batch(qtbot):
    """A 3-hour document: 300 ms words are pooled items at 12 px each, one batched path at 8 px."""
    ms = 3 * 3600 * 1000
    frames = ms * 16
    peaks = np.full(-(-frames // 64), 0.3, np.float32)
    samples = np.broadcast_to(np.zeros(1, np.float32), (frames,))  # the timeline reads only the envelope
    info = AudioInfo("long.wav", 16000, 1, frames, ms, "pcm", "wav", "soundfile")
    audio = DecodedAudio(samples, 16000, info, Envelope(16000, frames, (EnvelopeLevel(64, -peaks, peaks),)))
    toks = [Token(f"w{i}", ("w",), i * 300, i * 300 + 250) for i in range(ms // 300)]
    doc = Document(toks, [Cue(i, min(i + 9, len(toks) - 1)) for i in range(0, len(toks), 10)], ms, "en")
    session, view = Session(), ViewState()
    session.set_audio(audio, None)
    session.set_document(doc)
    widget = TimelineWidget(session, view)
    widget._keep = (session, view)
    qtbot.addWidget(widget)
    widget.resize(1600, 380)
    widget.show()
    plot = widget.plot

    widget.set_range_ms(3_600_000, 3_600_000 + plot.width_px() * 300 / 12)  # 12 px a word
    assert not plot.batch.isVisible() and len(plot.shown_words) > 120
    widget.set_range_ms(3_600_000, 3_600_000 + plot.width_px() * 300 / 8)  # 8 px a word
    assert plot.batch.isVisible() and plot.shown_words == {}
    assert not plot.batch.path().isEmpty()
