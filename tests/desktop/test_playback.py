"""Playback: the real controller, window, JFK audio and alignment; only the sound card is fake.

``FakeCard`` opens ``FakeOutputStream``s that call the controller's callback from their own
thread at a chosen pace (1 = real time), keep every frame they were given, and can fail the way
PortAudio does when a device vanishes: the stream ends on its own, or the callbacks just stop.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

from aligner_core.align.api import AlignRequest, align
from aligner_core.audio import decode
from aligner_core.cues import segment
from aligner_core.document import Document
from aligner_core.edits import ReplaceCues, SetTokenText
from aligner_core.text import read_transcript, tokenize
from desktop.main_window import EXAMPLE_DIR, MainWindow
from desktop.playback import PlaybackController

AUDIO = EXAMPLE_DIR / "jfk.flac"
FAST = 10.0  # the fake card's pace when a test needs no real-time clock


class FakeOutputStream:
    def __init__(self, samplerate, callback, finished_callback, *, pace=FAST, blocksize=256, channels=1, fail_after=None, failure="abort", latency=0.0):
        self.samplerate = samplerate
        self.latency = latency
        self._active = False
        self.closed = False
        self.frames = 0
        self._callback = callback
        self._finished = finished_callback
        self._pace = pace
        self._blocksize = blocksize
        self._channels = channels
        self._fail_after = fail_after
        self._failure = failure
        self._blocks: list[np.ndarray] = []
        self._stop = threading.Event()
        self._failed = False
        self._thread: threading.Thread | None = None

    @property
    def active(self):
        if self._failure == "error" and self._failed:
            import sounddevice as sd

            raise sd.PortAudioError("Unanticipated host error", -9999)
        return self._active

    def start(self):
        self._active = True
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        clock = time.monotonic()
        try:
            while not self._stop.is_set():
                if self._fail_after is not None and self.frames >= self._fail_after:
                    self._failed = True
                    if self._failure in ("stall", "error"):  # no more callbacks, the stream still "runs"
                        self._stop.wait()
                    return  # "abort": PortAudio ends the stream by itself
                out = np.full((self._blocksize, self._channels), np.nan, np.float32)  # every frame must be written
                self._callback(out, self._blocksize, None, 0)
                self._blocks.append(out.copy())
                self.frames += self._blocksize
                clock += self._blocksize / self.samplerate / self._pace
                # the card's own clock, in its own thread
                self._stop.wait(max(0.0, clock - time.monotonic()))
        finally:
            self._active = False
            self._finished()

    def abort(self):
        self._stop.set()
        if self._thread is not None:
            self._thread.join(2)

    def close(self):
        self.closed = True

    def played(self, channel=0) -> np.ndarray:
        blocks = list(self._blocks)
        return np.concatenate([b[:, channel] for b in blocks]) if blocks else np.zeros(0, np.float32)


class FakeCard:
    """A stream factory: ``rate`` forces the device rate (else it accepts what is asked)."""

    def __init__(self, rate=None, error=None, **stream_options):
        self.rate = rate
        self.error = error
        self.options = stream_options
        self.streams: list[FakeOutputStream] = []

    def __call__(self, samplerate, callback, finished_callback):
        if self.error is not None:
            raise self.error
        stream = FakeOutputStream(self.rate or samplerate, callback, finished_callback, **self.options)
        self.streams.append(stream)
        return stream

    @property
    def last(self) -> FakeOutputStream:
        return self.streams[-1]


@pytest.fixture(scope="module")
def jfk():
    audio = decode(AUDIO)
    doc = Document(tokenize(read_transcript(EXAMPLE_DIR / "jfk.txt"), "en"), [], audio.duration_ms, "en")
    result = align(AlignRequest.from_document(doc, audio.samples, aligner="sphinx"))
    return audio, doc, result


@pytest.fixture
def window(qtbot, jfk):
    audio, doc, result = jfk
    win = MainWindow()
    win.setProperty("quiet_errors", True)
    qtbot.addWidget(win)
    win.show()
    win.session.set_audio(audio, AUDIO)
    win.session.set_document(doc.copy())
    assert win.session.push(result.to_edit(), "Align")
    assert win.session.push(ReplaceCues(segment(win.document, win.session.profile)))
    assert len(win.document.cues) >= 2
    win.session.mark_saved()  # nothing to ask about when the test closes the window
    yield win
    win.playback.stop()


def use_card(win, **options) -> FakeCard:
    card = FakeCard(**options)
    win.playback.set_stream_factory(card)
    # a card faster than real time needs as much more rendered ahead as a real one would get
    win.playback.AHEAD_S = 0.5 * options.get("pace", FAST)
    assert win.playback.available
    return card


def samples_of(win, start_ms, end_ms) -> np.ndarray:
    rate = win.audio.sample_rate
    return win.audio.samples[round(start_ms * rate / 1000) : round(end_ms * rate / 1000)]


def wait_stopped(qtbot, win, timeout=5000):
    qtbot.waitUntil(lambda: not win.playback.playing, timeout=timeout)


# -- the real sound library ------------------------------------------------------------------------
def test_sounddevice_imports_and_device_query_does_not_crash(qtbot):
    import sounddevice as sd

    devices = sd.query_devices()
    assert isinstance(devices, sd.DeviceList)
    try:
        sd.query_devices(kind="output")
        has_output = True
    except sd.PortAudioError:
        has_output = False
    win = MainWindow()
    qtbot.addWidget(win)
    assert win.playback.available == has_output
    if not has_output:
        assert "no audio output device" in win.playback.unavailable_reason
        assert win.stage_label.text() == win.playback.unavailable_reason


REAL_STREAM_SCRIPT = """
import json, sys, time
from PySide6.QtCore import QCoreApplication, QTimer
app = QCoreApplication([])
from aligner_core.audio import decode
from desktop.main_window import EXAMPLE_DIR
from desktop.playback import PlaybackController
from desktop.session import Session
from desktop.view_state import ViewState

session, view = Session(), ViewState()
controller = PlaybackController(session, view)
messages = []
controller.message.connect(messages.append)
session.set_audio(decode(EXAMPLE_DIR / "jfk.flac"), None)
started = controller.play_range(1000, 3000)
t0 = time.monotonic()

def check():
    if controller.playing and time.monotonic() - t0 < 20:
        QTimer.singleShot(20, check)
        return
    print(json.dumps({"available": controller.available, "started": started, "playing": controller.playing,
                      "consumed": controller._consumed, "playhead": view.playhead_ms, "messages": messages}))
    app.quit()

QTimer.singleShot(20, check)
app.exec()
"""


def test_a_real_portaudio_stream_plays_through_the_callback(tmp_path):
    """The real sounddevice stack end to end, on ALSA's null device (no sound card needed)."""
    (tmp_path / ".asoundrc").write_text("pcm.!default {\n    type null\n}\n", encoding="utf-8")
    env = dict(os.environ, HOME=str(tmp_path), QT_QPA_PLATFORM="offscreen")
    env["PYTHONPATH"] = os.pathsep.join([str(EXAMPLE_DIR.parent.parent), env.get("PYTHONPATH", "")])
    probe = subprocess.run([sys.executable, "-c", "import sounddevice as sd; sd.query_devices(kind='output')"], env=env, capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip("ALSA's null device is not available here")
    done = subprocess.run([sys.executable, "-c", REAL_STREAM_SCRIPT], env=env, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["available"] and result["started"] and not result["playing"]
    assert result["consumed"] == 32000  # 2 s at 16 kHz, every sample handed to PortAudio
    assert result["playhead"] == 1000  # ended normally: back to the start of the range
    assert result["messages"] == []  # no "device stopped" on a normal end


def test_the_real_stream_factory_fails_cleanly_without_a_device(qtbot, window):
    import sounddevice as sd

    from desktop.playback import open_output_stream

    try:
        sd.query_devices(kind="output")
    except sd.PortAudioError:
        pass
    else:
        pytest.skip("this machine has an output device; the fake card covers playing")
    window.playback.set_stream_factory(open_output_stream)  # skips the up-front device check
    assert window.playback.available
    window.actions["play.toggle"].trigger()
    assert not window.playback.playing
    assert "could not be opened" in window.playback.unavailable_reason
    assert not window.actions["play.toggle"].isEnabled()


def test_portaudio_missing_leaves_the_editor_working(qtbot, window, monkeypatch):
    monkeypatch.setitem(sys.modules, "sounddevice", None)  # what a missing libportaudio looks like to us
    window.playback.set_stream_factory(None)
    assert not window.playback.available
    assert "PortAudio" in window.playback.unavailable_reason
    assert not window.actions["play.toggle"].isEnabled()
    window.actions["play.toggle"].trigger()
    assert not window.playback.playing


# -- playing ---------------------------------------------------------------------------------------
def test_play_word_plays_exactly_its_samples_and_returns_the_playhead(qtbot, window):
    card = use_card(window)
    tok = window.document.tokens[3]
    window.view.set_playhead(100)
    window.view.select(tokens=(3, 3))
    window.actions["play.word"].trigger()
    assert window.playback.playing
    wait_stopped(qtbot, window)
    expected = samples_of(window, tok.start, tok.end)
    played = card.last.played()
    assert not np.isnan(played).any()
    np.testing.assert_array_equal(played[: len(expected)], expected)
    assert not played[len(expected) :].any()  # silence after the word, nothing of the next one
    assert card.last.closed
    assert window.view.playhead_ms == tok.start


@pytest.mark.parametrize("speed", [1.0, 2.0])
def test_play_pause_moves_the_playhead_at_the_speed(qtbot, window, speed):
    card = use_card(window, pace=1.0)
    window.playback.set_speed(speed)
    window.view.set_playhead(1000)
    window.actions["play.toggle"].trigger()
    assert window.playback.playing
    assert window.actions["play.toggle"].text() == "&Pause"
    qtbot.waitUntil(lambda: window.view.playhead_ms > 1000)
    p0 = window.view.playhead_ms
    qtbot.waitUntil(lambda: window.view.playhead_ms >= p0 + 600 * speed, timeout=5000)
    window.actions["play.toggle"].trigger()  # pause
    assert not window.playback.playing and not card.last.active
    paused_at = window.view.playhead_ms
    assert paused_at >= p0 + 600 * speed
    # the playhead went as far as the sound the card took, at the speed: each of its frames is
    # `speed` source frames (a block or two may be taken between the pause and the stream's end)
    stream = card.last
    heard_ms = stream.frames * speed * 1000 / stream.samplerate
    block_ms = stream._blocksize * speed * 1000 / stream.samplerate
    assert heard_ms - 2 * block_ms - 1 <= paused_at - 1000 <= heard_ms + 1, (paused_at, heard_ms, speed)
    assert window.actions["play.toggle"].text() == "&Play"
    window.actions["play.toggle"].trigger()  # resume where it paused
    qtbot.waitUntil(lambda: len(card.streams) == 2 and card.last.frames > 0)
    assert window.view.playhead_ms >= paused_at


def test_loop_repeats_the_word_without_a_gap(qtbot, window):
    card = use_card(window)
    window.actions["play.loop"].trigger()
    assert window.playback.loop
    tok = window.document.tokens[5]
    window.view.select(tokens=(5, 5))
    window.actions["play.word"].trigger()
    qtbot.waitUntil(lambda: window.playback.loops >= 3 and card.last.frames > 3 * len(samples_of(window, tok.start, tok.end)))
    window.actions["play.toggle"].trigger()  # Space stops a loop
    assert not window.playback.playing
    expected = samples_of(window, tok.start, tok.end)
    played = card.last.played()
    n = len(expected)
    for k in range(3):
        np.testing.assert_array_equal(played[k * n : (k + 1) * n], expected)


def test_switching_loop_off_lets_the_range_finish(qtbot, window):
    card = use_card(window)
    window.playback.set_loop(True)
    window.view.select(tokens=(0, 0))
    window.actions["play.word"].trigger()
    qtbot.waitUntil(lambda: window.playback.loops >= 1)
    window.actions["play.loop"].trigger()
    assert not window.playback.loop
    wait_stopped(qtbot, window)
    assert card.last.closed


@pytest.mark.parametrize("speed", [0.5, 2.0])
def test_speed_changes_how_many_samples_a_range_takes(qtbot, window, speed):
    card = use_card(window)
    window.playback.set_speed(speed)
    window.view.select(time_range=(1000, 4000))
    window.actions["play.selection"].trigger()
    wait_stopped(qtbot, window, timeout=10000)
    played = card.last.played()
    sound = np.flatnonzero(played)
    assert abs((sound[-1] + 1) - 48000 / speed) < 0.01 * 48000 / speed
    assert window.view.playhead_ms == 1000


def test_device_at_another_rate_gets_resampled_sound(qtbot, window):
    card = use_card(window, rate=48000)
    tok = window.document.tokens[8]
    window.view.select(tokens=(8, 8))
    window.actions["play.word"].trigger()
    wait_stopped(qtbot, window)
    expected = samples_of(window, tok.start, tok.end)
    played = card.last.played()
    assert abs(len(np.flatnonzero(np.abs(played) > 1e-6)) - 3 * len(expected)) < 0.02 * 3 * len(expected)
    def rms(x):
        return float(np.sqrt(np.mean(x.astype(np.float64) ** 2)))

    assert rms(played[: 3 * len(expected)]) == pytest.approx(rms(expected), rel=0.1)


def test_play_cue_and_selected_words(qtbot, window):
    card = use_card(window)
    doc = window.document
    start, end = doc.cue_times(doc.cues[1])
    window.view.select(cue=1)
    window.actions["play.cue"].trigger()
    wait_stopped(qtbot, window)
    np.testing.assert_array_equal(card.last.played()[: len(samples_of(window, start, end))], samples_of(window, start, end))

    # the cue of a selected word
    first = doc.cues[0].first
    window.view.select(tokens=(first, first))
    window.actions["play.cue"].trigger()
    wait_stopped(qtbot, window)
    start, end = doc.cue_times(doc.cues[0])
    assert len(np.flatnonzero(card.last.played())) <= len(samples_of(window, start, end))
    np.testing.assert_array_equal(card.last.played()[:100], samples_of(window, start, end)[:100])

    window.view.select(tokens=(2, 5))
    window.actions["play.selection"].trigger()
    wait_stopped(qtbot, window)
    expected = samples_of(window, doc.tokens[2].start, doc.tokens[5].end)
    np.testing.assert_array_equal(card.last.played()[: len(expected)], expected)


def test_nothing_selected_says_so(qtbot, window):
    use_card(window)
    window.view.clear()
    window.actions["play.selection"].trigger()
    assert not window.playback.playing
    assert "Select" in window.stage_label.text()


def test_speed_actions_and_combo_follow_each_other(qtbot, window):
    use_card(window)
    box = window.playback_ui.speed_box
    window.actions["play.faster"].trigger()
    window.actions["play.faster"].trigger()
    assert window.playback.speed == 1.5 and box.currentData() == 1.5
    window.actions["play.normal_speed"].trigger()
    assert window.playback.speed == 1.0
    for _ in range(5):
        window.actions["play.slower"].trigger()
    assert window.playback.speed == 0.5 and box.currentText() == "0.5×"
    box.setCurrentIndex(box.count() - 1)
    assert window.playback.speed == 2.0


def test_speed_change_while_playing_keeps_the_place(qtbot, window):
    use_card(window, pace=1.0)
    window.view.set_playhead(2000)
    window.actions["play.toggle"].trigger()
    qtbot.waitUntil(lambda: window.view.playhead_ms >= 2300)
    window.actions["play.slower"].trigger()
    at = window.view.playhead_ms
    assert window.playback.playing
    qtbot.waitUntil(lambda: window.view.playhead_ms > at + 100)
    assert window.view.playhead_ms < at + 600  # it did not jump, and runs at 0.75x now


def test_moving_the_playhead_while_playing_seeks(qtbot, window):
    card = use_card(window, pace=1.0)
    window.view.set_playhead(1000)
    window.actions["play.toggle"].trigger()
    qtbot.waitUntil(lambda: window.view.playhead_ms >= 1100)
    seen = []
    window.view.playhead_changed.connect(seen.append)
    window.view.set_playhead(6000)  # a click on the timeline
    qtbot.waitUntil(lambda: window.view.playhead_ms >= 6200, timeout=3000)
    assert window.playback.playing
    assert all(ms >= 6000 for ms in seen), "the playhead went back to where the device was before the seek"
    window.actions["play.toggle"].trigger()
    played = card.last.played()
    head = samples_of(window, 6000, 6100)
    hits = [i for i in range(len(played) - len(head)) if played[i] == head[0] and np.array_equal(played[i : i + len(head)], head)]
    assert hits, "the audio from 6.0 s was never played"


# -- failures --------------------------------------------------------------------------------------
def test_a_stream_that_cannot_open_disables_playback_but_not_the_editor(qtbot, window):
    use_card(window, error=OSError("Device unavailable [PaErrorCode -9985]"))
    window.actions["play.toggle"].trigger()
    assert not window.playback.playing
    reason = window.playback.unavailable_reason
    assert "could not be opened" in reason and "-9985" in reason
    assert window.stage_label.text() == reason
    for action_id in ("play.toggle", "play.word", "play.cue", "play.selection"):
        assert not window.actions[action_id].isEnabled()
    assert window.actions["play.toggle"].toolTip() == reason
    assert window.session.push(SetTokenText(0, "So"))  # editing goes on
    window.session.undo_stack.undo()
    assert window.document.tokens[0].text == "And"


def test_device_that_ends_mid_play_stops_with_a_message(qtbot, window):
    card = use_card(window, fail_after=8000)
    window.view.set_playhead(0)
    window.actions["play.toggle"].trigger()
    wait_stopped(qtbot, window)
    assert "disconnected" in window.stage_label.text()
    assert card.last.closed
    assert 300 <= window.view.playhead_ms <= 700
    assert window.playback.available  # plugging it back in is enough to play again


def test_stream_that_portaudio_no_longer_knows_stops_with_a_message(qtbot, window):
    card = use_card(window, fail_after=4000, failure="error")
    window.actions["play.toggle"].trigger()
    wait_stopped(qtbot, window)
    assert "disconnected" in window.stage_label.text()
    assert card.last.closed


def test_device_that_stops_answering_stops_with_a_message(qtbot, window):
    card = use_card(window, fail_after=4000, failure="stall")
    window.playback.STALL_S = 0.3
    window.actions["play.toggle"].trigger()
    wait_stopped(qtbot, window)
    assert "not responding" in window.stage_label.text()
    qtbot.waitUntil(lambda: card.last.closed)  # closed off the GUI thread


def test_opening_other_audio_or_document_stops_playback(qtbot, window, jfk):
    card = use_card(window, pace=1.0)
    window.actions["play.toggle"].trigger()
    assert window.playback.playing
    window.session.set_document(jfk[1].copy())
    assert not window.playback.playing and card.last.closed
    window.actions["play.toggle"].trigger()
    assert window.playback.playing
    window.session.set_audio(None, None)
    assert not window.playback.playing
    assert not window.actions["play.toggle"].isEnabled()


def test_closing_the_window_stops_playback(qtbot, window):
    card = use_card(window, pace=1.0)
    window.actions["play.toggle"].trigger()
    window.close()
    assert not window.playback.playing and card.last.closed


def test_controller_without_window(qtbot, jfk):
    """The controller needs only a session and a view state (what a second view could reuse)."""
    from desktop.session import Session
    from desktop.view_state import ViewState

    session, view = Session(), ViewState()
    card = FakeCard()
    controller = PlaybackController(session, view, stream_factory=card)
    assert not controller.can_play
    session.set_audio(jfk[0], AUDIO)
    assert controller.play_range(500, 700)
    qtbot.waitUntil(lambda: not controller.playing)
    np.testing.assert_array_equal(card.last.played()[:3200], jfk[0].samples[8000:11200])
