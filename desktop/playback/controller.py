"""Play the session's audio through a sounddevice callback stream; a QTimer moves the playhead.

Threads: PortAudio calls :meth:`PlaybackController._callback` on its own thread. The callback only
copies samples out of numpy blocks queued in a ``collections.deque`` (``append``/``popleft``
are atomic) and updates plain ints and floats; it never touches Qt. Everything else happens on
the GUI thread in :meth:`_tick` every 30 ms: render the next half second
(:class:`~desktop.playback.render.RangeRenderer`), move the playhead, loop or finish a range,
and notice a device that stopped. Each counter has exactly one writer thread.

What is played: ``session.audio.samples``, the 16 kHz mono float32 array the aligner saw. It
costs no memory and no disk or decoder work on the GUI thread, starts any range at once, and is
sample-exact with the times in the document; speech keeps everything intelligible below 8 kHz.
Reading the source rate instead (:class:`aligner_core.audio.AudioReader`) would mean a decode per
play (PyAV seeks half a second early), off the GUI thread, for sound few reviewers would miss.
The stream is asked for 16 kHz; a device that refuses gets its own rate through soxr.

Robustness: PortAudio missing (``OSError`` on import), no output device, or a stream that does
not open leave the editor working with playback disabled and :attr:`unavailable_reason` set. A
device that disappears while playing (the stream finishes on its own, or its callback stops
coming) stops playback with a message. Stopping uses ``abort()`` (drop what is buffered, do not
wait for it to drain); a stalled stream is closed on a helper thread so the GUI never waits on it.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal, Slot

from ..selection import selection
from .render import RangeRenderer

#: ``factory(samplerate, callback, finished_callback) -> stream``; the stream has ``start()``,
#: ``abort()``, ``close()``, ``active``, ``samplerate`` (what the device really runs at) and
#: optionally ``latency`` (seconds). The default opens a ``sounddevice.OutputStream``.
StreamFactory = Callable[[int, Callable, Callable], Any]

SPEEDS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)


def open_output_stream(samplerate: int, callback, finished_callback):
    """A mono float32 ``sounddevice.OutputStream`` at ``samplerate``, else at the device's own rate."""
    import sounddevice as sd

    try:
        sd.check_output_settings(samplerate=samplerate, channels=1, dtype="float32")
        rate = samplerate
    except (sd.PortAudioError, ValueError):  # the device has its own rate; we resample
        rate = int(sd.query_devices(kind="output")["default_samplerate"])
    return sd.OutputStream(samplerate=rate, channels=1, dtype="float32", callback=callback, finished_callback=finished_callback)


@dataclass(frozen=True, eq=False)
class _Block:
    data: np.ndarray
    src_start: float  # source sample under data[0]
    src_per_out: float
    generation: int
    final: bool = False  # empty marker: the range ends here


class PlaybackController(QObject):
    #: playing/stopped, loop or availability changed
    state_changed = Signal()
    speed_changed = Signal(float)
    #: one sentence for the status bar
    message = Signal(str)

    POLL_MS = 30
    # rendered ahead of the device: covers GUI-thread hiccups this long. Pause and speed changes
    # drop it, so only the end of a loop switched off late waits for it.
    AHEAD_S = 0.5
    BLOCK_S = 0.05
    STALL_S = 2.0  # no callback for this long while playing: the device is gone

    def __init__(self, session, view, parent: QObject | None = None, *, stream_factory: StreamFactory | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._view = view
        self._factory: StreamFactory = stream_factory or open_output_stream
        self._custom_factory = stream_factory is not None
        self.unavailable_reason: str | None = None
        self.speed = 1.0
        self.loop = False
        self._stream = None
        self._renderer: RangeRenderer | None = None
        self._range = (0, 0)  # source samples being played
        self._ranged = False  # a word/cue/selection (the playhead returns to its start)
        self._play_id = 0
        # shared with the audio thread (one writer each)
        self._queue: deque[_Block] = deque()  # both threads pop; whoever pops a block counts it
        self._generation = 0  # GUI: blocks of older generations are dropped
        self._queued = 0  # GUI: frames queued
        self._dropped = 0  # GUI: stale frames it popped
        self._consumed = 0  # callback: frames copied, or stale frames it popped
        self._current: _Block | None = None  # callback
        self._offset = 0  # callback
        self._position = 0.0  # callback (GUI before the stream starts): source sample just written
        self._position_gen = -1  # callback: generation of the block ``_position`` came from
        self._frames = 0  # callback: frames handed to the device
        self._drained_gen = -1  # callback: generation whose final marker was reached ...
        self._drained_at = 0  # ... when ``_frames`` was this
        self._last_callback = 0.0  # callback (GUI before the stream starts): time.monotonic()
        self._finished_id = -1  # PortAudio: the play whose stream finished
        self._input_done = False  # GUI: the final marker is queued
        self._out_rate = 16000
        self._latency_s = 0.0
        self._moving_playhead = False  # GUI: the playhead change is ours, not a user's seek
        self.loops = 0  # times the range restarted (for the status bar and tests)

        self._timer = QTimer(self)
        self._timer.setInterval(self.POLL_MS)
        self._timer.timeout.connect(self._tick)
        session.document_reset.connect(self.stop)
        view.playhead_changed.connect(self._on_playhead_changed)
        session.audio_changed.connect(self._on_audio_changed)
        self._probe()

    # -- availability ------------------------------------------------------------------------------
    def _probe(self) -> None:
        """Find out (cheaply, without opening a stream) whether the default device can play."""
        reason = None
        if not self._custom_factory:
            try:
                import sounddevice as sd
            except (OSError, ImportError) as exc:  # libportaudio2 missing
                reason = self.tr("Playback is unavailable: the PortAudio library could not be loaded ({0}).").format(exc)
            else:
                try:
                    sd.query_devices(kind="output")
                except (sd.PortAudioError, ValueError):
                    reason = self.tr("Playback is unavailable: no audio output device was found.")
        self._set_unavailable(reason)

    def _set_unavailable(self, reason: str | None) -> None:
        if reason != self.unavailable_reason:
            self.unavailable_reason = reason
            if reason:
                self.message.emit(reason)
            self.state_changed.emit()

    def set_stream_factory(self, factory: StreamFactory | None) -> None:
        """Use another output (tests pass a fake sound card); availability is checked again."""
        self.stop()
        self._factory = factory or open_output_stream
        self._custom_factory = factory is not None
        self._probe()

    @property
    def available(self) -> bool:
        return self.unavailable_reason is None

    @property
    def can_play(self) -> bool:
        return self.available and self._session.audio is not None

    @property
    def playing(self) -> bool:
        return self._stream is not None

    @Slot()
    def _on_audio_changed(self) -> None:
        self.stop()
        # an output that failed to open gets another chance with the next recording
        self._probe()
        self.state_changed.emit()

    # -- what to play ------------------------------------------------------------------------------
    @Slot()
    def toggle(self) -> None:
        """Pause, or play from the playhead to the end (from the start when at the end)."""
        if self.playing:
            self.stop()
            return
        audio = self._session.audio
        if audio is None:
            return
        start = self._view.playhead_ms
        if start >= audio.duration_ms - 10:
            start = 0
        self.play_range(start, audio.duration_ms, ranged=False)

    @Slot()
    def play_word(self) -> None:
        doc = self._session.document
        if doc is None:
            return
        words = selection(doc, self._view).tokens
        index = words.start if words else self._token_at(self._view.playhead_ms)
        if index is None or not doc.tokens[index].aligned:
            self.message.emit(self.tr("The word has no times yet: align first."))
            return
        tok = doc.tokens[index]
        self.play_range(tok.start, tok.end)

    @Slot()
    def play_cue(self) -> None:
        doc = self._session.document
        if doc is None:
            return
        cue = selection(doc, self._view).cue
        if cue is None:
            cue = self._cue_at(self._view.playhead_ms)
        if cue is None:
            self.message.emit(self.tr("Select a cue to play."))
            return
        start, end = doc.cue_times(doc.cues[cue])
        if start is None or end is None:
            self.message.emit(self.tr("The cue has no times yet: align first."))
            return
        self.play_range(start, end)

    @Slot()
    def play_selection(self) -> None:
        span = selection(self._session.document, self._view).span
        if span is None:
            self.message.emit(self.tr("Select a time range or some aligned words to play."))
            return
        self.play_range(*span)

    def _token_at(self, ms: int) -> int | None:
        """The aligned word under ``ms``, else the next one."""
        return next((i for i, tok in self._session.document.iter_aligned() if tok.end > ms), None)

    def _cue_at(self, ms: int) -> int | None:
        doc = self._session.document
        for i, cue in enumerate(doc.cues):
            start, end = doc.cue_times(cue)
            if start is not None and end is not None and end > ms:
                return i
        return None

    # -- speed and loop ----------------------------------------------------------------------------
    @Slot(float)
    def set_speed(self, speed: float) -> None:
        speed = min(SPEEDS, key=lambda s: abs(s - speed))
        if speed == self.speed:
            return
        self.speed = speed
        if self.playing:
            self._restart_from(int(self._heard_position()))
        self.speed_changed.emit(speed)
        self.message.emit(self.tr("Playback speed {0}×").format(f"{speed:g}"))

    @Slot()
    def slower(self) -> None:
        i = SPEEDS.index(self.speed)
        self.set_speed(SPEEDS[max(0, i - 1)])

    @Slot()
    def faster(self) -> None:
        i = SPEEDS.index(self.speed)
        self.set_speed(SPEEDS[min(len(SPEEDS) - 1, i + 1)])

    @Slot()
    def normal_speed(self) -> None:
        self.set_speed(1.0)

    @Slot(bool)
    def set_loop(self, on: bool) -> None:
        if bool(on) != self.loop:
            self.loop = bool(on)
            self.state_changed.emit()

    # -- playing -----------------------------------------------------------------------------------
    def play_range(self, start_ms: int, end_ms: int, *, ranged: bool = True) -> bool:
        """Play ``[start_ms, end_ms)``; ``False`` (with a message) when it cannot."""
        self.stop()
        audio = self._session.audio
        if audio is None:
            return False
        if not self.available:
            self.message.emit(self.unavailable_reason)
            return False
        rate = audio.sample_rate
        start = max(0, round(start_ms * rate / 1000))
        end = min(len(audio.samples), round(end_ms * rate / 1000))
        if end - start < rate // 1000:
            self.message.emit(self.tr("Nothing to play: the range is empty."))
            return False
        self._play_id += 1
        play_id = self._play_id
        try:
            stream = self._factory(rate, partial(self._callback, play_id), partial(self._on_stream_finished, play_id))
        except Exception as exc:  # noqa: BLE001 - PortAudioError, OSError, ValueError: all mean "cannot play"
            self._set_unavailable(self.tr("Playback is unavailable: the audio output could not be opened ({0}).").format(exc))
            return False
        self._range = (start, end)
        self._ranged = ranged
        self.loops = 0
        self._out_rate = int(stream.samplerate)
        self._latency_s = float(getattr(stream, "latency", 0.0) or 0.0)
        # no callback of this play runs yet and older ones return at once: safe to take over
        current, self._current = self._current, None
        if current is not None:
            self._dropped += len(current.data) - self._offset
        self._position = float(start)
        self._restart_from(start)
        self._set_playhead(int(start * 1000 / rate))
        self._last_callback = time.monotonic()
        self._stream = stream
        try:
            stream.start()
        except Exception as exc:  # noqa: BLE001 - see above
            self._stream = None
            self._close(stream)
            self._set_unavailable(self.tr("Playback is unavailable: the audio output could not be started ({0}).").format(exc))
            return False
        self._timer.start()
        self.state_changed.emit()
        return True

    @Slot()
    def stop(self) -> None:
        """Stop now; the playhead stays where the sound was."""
        self._finish(self._heard_ms() if self.playing else None)

    def _finish(self, playhead_ms: int | None, message: str | None = None, *, stalled: bool = False) -> None:
        stream, self._stream = self._stream, None
        self._timer.stop()
        self._generation += 1  # anything still queued is stale
        self._renderer = None
        if stream is not None:
            if stalled:  # abort() may hang on a device that stopped answering
                threading.Thread(target=self._close, args=(stream,), daemon=True).start()
            else:
                self._close(stream)
        if playhead_ms is not None:
            self._set_playhead(playhead_ms)
        if message:
            self.message.emit(message)
        if stream is not None:
            self.state_changed.emit()

    @staticmethod
    def _close(stream) -> None:
        # a vanished device may refuse even these; the stream is dropped anyway
        with contextlib.suppress(Exception):
            stream.abort()
        with contextlib.suppress(Exception):
            stream.close()

    def _restart_from(self, start: int) -> None:
        """(Re)start rendering at source sample ``start``; what is queued is dropped."""
        self._generation += 1
        while True:
            try:
                stale = self._queue.popleft()
            except IndexError:
                break
            self._dropped += len(stale.data)
        self._input_done = False
        audio = self._session.audio
        self._renderer = RangeRenderer(audio.samples, audio.sample_rate, start, self._range[1], self.speed, self._out_rate)
        self._fill()

    def _fill(self) -> None:
        """Render until ``AHEAD_S`` of sound waits in the queue."""
        target = int(self.AHEAD_S * self._out_rate)
        block = max(1, int(self.BLOCK_S * self._out_rate))
        gen = self._generation
        while not self._input_done and self._queued - self._consumed - self._dropped < target:
            r = self._renderer
            before = r.frames_out
            data = r.render(block)
            if len(data):
                self._queue.append(_Block(data, r.start + before * r.src_per_out, r.src_per_out, gen))
                self._queued += len(data)
            if r.done:
                if self.loop:  # the next pass follows in the same queue: no gap
                    audio = self._session.audio
                    self._renderer = RangeRenderer(audio.samples, audio.sample_rate, self._range[0], self._range[1], self.speed, self._out_rate)
                    self.loops += 1
                else:
                    self._queue.append(_Block(np.zeros(0, np.float32), float(self._range[1]), 0.0, gen, final=True))
                    self._input_done = True

    def _heard_position(self) -> float:
        """The source sample the listener hears now: the callback's position less the output latency."""
        r = self._renderer
        back = self._latency_s * self._out_rate * (r.src_per_out if r else 1.0)
        return max(float(self._range[0]), self._position - back)

    def _heard_ms(self) -> int:
        audio = self._session.audio
        return int(self._heard_position() * 1000 / audio.sample_rate) if audio is not None else 0

    @Slot()
    def _tick(self) -> None:
        if self._stream is None:
            self._timer.stop()
            return
        try:
            active = self._stream.active
        except Exception:  # noqa: BLE001 - PortAudioError: PortAudio no longer knows the stream
            active = False
        if self._finished_id == self._play_id or not active:
            self._finish(self._heard_ms(), self.tr("Playback stopped: the audio device stopped or was disconnected."))
            return
        if time.monotonic() - self._last_callback > self.STALL_S:
            self._finish(self._heard_ms(), self.tr("Playback stopped: the audio device is not responding."), stalled=True)
            return
        if self._drained_gen == self._generation and self._frames - self._drained_at >= self._latency_s * self._out_rate:
            if self.loop:  # switched on after the last pass was queued
                self.loops += 1
                self._restart_from(self._range[0])
            else:
                # a word, cue or selection leaves the playhead where it started, ready to replay
                end = self._range[0] if self._ranged else self._range[1]
                self._finish(int(end * 1000 / self._session.audio.sample_rate))
                return
        self._fill()
        if self._position_gen == self._generation:  # not while the device still plays what a seek dropped
            self._set_playhead(self._heard_ms())

    def _set_playhead(self, ms: int) -> None:
        self._moving_playhead = True
        try:
            self._view.set_playhead(ms)
        finally:
            self._moving_playhead = False

    @Slot(int)
    def _on_playhead_changed(self, ms: int) -> None:
        """Someone moved the playhead (a click on the timeline) while playing to the end: seek."""
        if self._moving_playhead or not self.playing or self._ranged:
            return
        audio = self._session.audio
        start = max(0, min(round(ms * audio.sample_rate / 1000), self._range[1] - 1))
        self._range = (start, self._range[1])
        self._restart_from(start)

    # -- audio thread ------------------------------------------------------------------------------
    def _on_stream_finished(self, play_id: int) -> None:
        self._finished_id = play_id

    def _callback(self, play_id: int, outdata, frames, _time, _status) -> None:
        """PortAudio's thread: copy queued samples, update plain numbers, nothing else."""
        if play_id != self._play_id:  # a stream being torn down
            outdata.fill(0)
            return
        self._last_callback = time.monotonic()
        out = outdata[:, 0]
        gen = self._generation
        filled = 0
        while filled < frames:
            block = self._current
            if block is None or block.generation != gen:
                if block is not None:  # stale: count what it still held as gone
                    self._consumed += len(block.data) - self._offset
                    self._current = None
                try:
                    block = self._queue.popleft()
                except IndexError:
                    break
                if block.generation != gen:
                    self._consumed += len(block.data)
                    continue
                if block.final:
                    self._drained_gen, self._drained_at = gen, self._frames + filled
                    continue
                self._current, self._offset = block, 0
            n = min(frames - filled, len(block.data) - self._offset)
            out[filled : filled + n] = block.data[self._offset : self._offset + n]
            filled += n
            self._offset += n
            self._consumed += n
            self._position = block.src_start + self._offset * block.src_per_out
            self._position_gen = gen
            if self._offset >= len(block.data):
                self._current = None
        if filled < frames:
            out[filled:] = 0
        self._frames += frames
        if outdata.shape[1] > 1:
            outdata[:, 1:] = outdata[:, :1]
