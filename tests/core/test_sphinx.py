"""The PocketSphinx aligner on real audio: the bundled JFK sample and speech synthesised by
espeak-ng with pauses whose positions are known. No mocks: the real decoder, the real model."""

from __future__ import annotations

import re
import shutil
import subprocess
import types
from pathlib import Path

import numpy as np
import pytest

from aligner_core.align.backends.sphinx import SphinxBackend
from aligner_core.align.pronounce import (
    LetterToSound,
    Lexicon,
    default_dict_path,
    load_dictionary,
    number_readings,
)
from aligner_core.align.types import SAMPLE_RATE, AlignmentError, WordTiming
from aligner_core.document import Flag
from aligner_core import progress as progress_mod
from aligner_core.progress import Cancelled, CancelToken

pytest.importorskip("pocketsphinx")

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "resources" / "examples"
ESPEAK = shutil.which("espeak-ng")
needs_espeak = pytest.mark.skipif(ESPEAK is None, reason="espeak-ng is not installed (apt-get install espeak-ng)")


def _load_16k_mono(path: Path) -> np.ndarray:
    import soundfile as sf
    import soxr

    audio, rate = sf.read(str(path), dtype="float32", always_2d=True)
    mono = audio.mean(axis=1)
    return soxr.resample(mono, rate, SAMPLE_RATE).astype(np.float32) if rate != SAMPLE_RATE else mono


def _units(text: str) -> list[tuple[str, ...]]:
    out = []
    for raw in text.split():
        unit = re.sub(r"^[^\w]+|[^\w]+$", "", raw.lower())
        out.append((unit,))
    return out


def _check_protocol(timings: list[WordTiming], n: int, audio: np.ndarray) -> None:
    dur = int(1000 * len(audio) / SAMPLE_RATE)
    assert len(timings) == n
    prev = 0
    for t in timings:
        assert 0.0 <= t.confidence <= 1.0
        if t.aligned:
            assert prev <= t.start <= t.end <= dur, (prev, t, dur)
            prev = t.end


class _CountingToken(CancelToken):
    """A real cancel token that counts the backend's checks: it checks once per block of audio
    it feeds the decoder, so the count is the work done, whatever the machine's speed."""

    def __init__(self) -> None:
        super().__init__()
        self.checks = 0

    @property
    def cancelled(self) -> bool:
        self.checks += 1
        return super().cancelled

    def raise_if_cancelled(self) -> None:
        self.checks += 1
        super().raise_if_cancelled()


@pytest.fixture
def every_report(monkeypatch):
    """The progress throttle's clock ticks a second per reading, so every report the backend
    makes reaches the callback and the tests see its cadence in work done, not in seconds."""
    ticks = iter(range(1, 10**9))
    monkeypatch.setattr(progress_mod, "time", types.SimpleNamespace(monotonic=lambda: float(next(ticks))))


def _longest_silence(marks: list[int], total: int) -> int:
    """The most cancel checks (blocks of work) between two progress reports, or before the first
    or after the last."""
    points = [0, *marks, total]
    return max(b - a for a, b in zip(points, points[1:]))


#: a report at least every this many blocks of decoding (one check before and after a pass)
MAX_BLOCKS_SILENT = 3


@pytest.fixture(scope="module")
def backend() -> SphinxBackend:
    return SphinxBackend()


@pytest.fixture(scope="module")
def jfk() -> tuple[np.ndarray, list[tuple[str, ...]]]:
    audio = _load_16k_mono(EXAMPLES / "jfk.flac")
    return audio, _units((EXAMPLES / "jfk.txt").read_text(encoding="utf-8"))


# -- the bundled sample ---------------------------------------------------------------------------------


def test_jfk_every_word_aligned_in_order(backend, jfk):
    audio, words = jfk
    assert len(words) == 22
    calls: list[tuple[float, str]] = []
    timings = backend.align_window(audio, words, "en", progress=lambda f, s: calls.append((f, s)))
    _check_protocol(timings, 22, audio)
    assert all(t.aligned and not t.flags & Flag.NOT_FOUND for t in timings)
    assert all(t.end - t.start >= 30 for t in timings)
    # the long pauses of the speech fall between the right words
    by = {i: t for i, t in enumerate(timings)}
    assert by[5].start - by[4].end >= 600  # "Americans, | ask"
    assert by[13].start - by[12].end < 200  # "do for" flows on
    assert by[14].start - by[13].end >= 300  # "for you, | ask"
    assert 10000 <= by[21].end <= int(1000 * len(audio) / SAMPLE_RATE)
    assert sum(t.confidence for t in timings) / 22 > 0.6
    fractions = [f for f, _ in calls]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and len(calls) >= 2


def test_cancel_stops_within_a_block(backend, jfk, every_report):
    """Cancelled mid-pass, the backend stops after at most the block it was feeding."""
    audio, words = jfk
    long_audio = np.concatenate([audio] * 12)  # over two minutes of speech
    token = _CountingToken()
    at_cancel: list[int] = []
    reports: list[float] = []

    def progress(fraction: float, stage: str) -> None:
        reports.append(fraction)
        if fraction >= 0.1 and not at_cancel:  # well into the first decoding pass
            at_cancel.append(token.checks)
            token.cancel()

    with pytest.raises(Cancelled):
        backend.align_window(long_audio, words * 12, "en", progress=progress, cancel=token)
    assert at_cancel and token.checks - at_cancel[0] <= 2
    assert reports[-1] < 0.2  # the passes after it never ran
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        backend.align_window(audio, words, "en", cancel=token)
    # and the backend is fine afterwards
    _check_protocol(backend.align_window(audio, words, "en"), 22, audio)


def test_text_running_past_the_audio_keeps_what_was_said(backend, jfk, every_report):
    """The grammar's end is unreachable (the transcript goes on after the audio stops): the
    best partial path still places what was said, and the rest is flagged, not invented."""
    audio, words = jfk
    reference = backend.align_window(audio, words, "en")
    extra = _units("please call stella and ask her to bring these things from the store")
    token = _CountingToken()
    marks: list[int] = []
    fractions: list[float] = []

    def progress(fraction: float, stage: str) -> None:
        marks.append(token.checks)
        fractions.append(fraction)

    out = backend.align_window(audio, words + extra, "en", progress=progress, cancel=token)
    _check_protocol(out, len(words) + len(extra), audio)
    # the retries (wider beams, then the rest after the placed prefix) keep reporting
    assert _longest_silence(marks, token.checks) <= MAX_BLOCKS_SILENT, marks
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    for ref, got in zip(reference, out):
        assert got.aligned and not got.flags & Flag.NOT_FOUND
        assert abs(got.start - ref.start) <= 30 and abs(got.end - ref.end) <= 30
    assert all(t.flags & Flag.NOT_FOUND for t in out[len(words) :])


def test_progress_at_least_every_few_blocks(backend, jfk, every_report):
    audio, words = jfk
    long_audio = np.concatenate([audio] * 6)
    token = _CountingToken()
    marks: list[int] = []
    backend.align_window(long_audio, words * 6, "en", progress=lambda f, s: marks.append(token.checks), cancel=token)
    blocks = len(long_audio) / (backend.params.block_s * SAMPLE_RATE)
    assert token.checks >= blocks  # every block of the first pass was checked ...
    assert _longest_silence(marks, token.checks) <= MAX_BLOCKS_SILENT, marks  # ... and reported


def test_odd_inputs_never_crash(backend, jfk):
    audio, words = jfk
    assert backend.align_window(audio, [], "en") == []
    with pytest.raises(AlignmentError):
        backend.align_window(audio, words, "de")
    # far too little audio for the words: nothing placed, everything flagged
    tiny = audio[:160]
    out = backend.align_window(tiny, words, "en")
    _check_protocol(out, 22, tiny)
    assert all(t.flags & Flag.NOT_FOUND for t in out)
    # silence, a stereo buffer, NaNs, an empty token, punctuation-only units
    silence = np.zeros(SAMPLE_RATE, dtype=np.float32)
    _check_protocol(backend.align_window(silence, [("hello",), ("world",)], "en"), 2, silence)
    stereo = np.stack([audio, audio], axis=1)
    _check_protocol(backend.align_window(stereo, words, "en-US"), 22, audio)
    noisy = audio.copy()
    noisy[1000:1010] = np.nan
    _check_protocol(backend.align_window(noisy, words, "en"), 22, audio)
    odd = list(words)
    odd.insert(3, ())
    odd.insert(8, ("—",))
    out = backend.align_window(audio, odd, "en")
    _check_protocol(out, 24, audio)
    assert out[3].flags & Flag.INTERPOLATED and out[8].flags & Flag.INTERPOLATED


# -- synthetic speech with known pauses ----------------------------------------------------------------------


def _say(text: str, tmp_path: Path, name: str) -> np.ndarray:
    wav = tmp_path / f"{name}.wav"
    subprocess.run([ESPEAK, "-v", "en-us", "-s", "150", "-w", str(wav), text], check=True, capture_output=True)
    audio = _load_16k_mono(wav)
    loud = np.flatnonzero(np.abs(audio) > 0.02 * np.abs(audio).max())
    return audio[loud[0] : loud[-1] + 1] * 0.5  # trimmed to the speech itself


def _join(pieces: list[np.ndarray], pauses_ms: list[int]) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Pieces with the given pauses between them (and 300 ms around); each piece's [start, end) ms."""
    rng = np.random.default_rng(0)
    parts = [np.zeros(int(0.3 * SAMPLE_RATE), np.float32)]
    spans = []
    pos = len(parts[0])
    for k, piece in enumerate(pieces):
        spans.append((int(pos * 1000 / SAMPLE_RATE), int((pos + len(piece)) * 1000 / SAMPLE_RATE)))
        parts.append(piece.astype(np.float32))
        pos += len(piece)
        gap = np.zeros(int((pauses_ms[k] if k < len(pauses_ms) else 300) * SAMPLE_RATE / 1000), np.float32)
        parts.append(gap)
        pos += len(gap)
    audio = np.concatenate(parts)
    return audio + (rng.standard_normal(len(audio)) * 1e-4).astype(np.float32), spans


@needs_espeak
def test_inserted_pauses_fall_between_the_right_words(backend, tmp_path):
    texts = ["the quick brown fox", "jumps over the lazy dog", "and runs away"]
    audio, spans = _join([_say(t, tmp_path, f"p{i}") for i, t in enumerate(texts)], [700, 450])
    words = _units(" ".join(texts))
    out = backend.align_window(audio, words, "en")
    _check_protocol(out, len(words), audio)
    assert all(t.aligned for t in out)
    fox, jumps, dog, and_ = out[3], out[4], out[8], out[9]
    # the pauses lie between fox|jumps and dog|and, and the words hug the speech
    assert fox.end <= spans[0][1] + 40 and jumps.start >= spans[1][0] - 40
    assert dog.end <= spans[1][1] + 40 and and_.start >= spans[2][0] - 40
    assert abs(out[0].start - spans[0][0]) <= 40 and abs(out[-1].end - spans[2][1]) <= 60
    for k, (a, b) in enumerate(spans):  # no word of one phrase leaks into the next
        first = [0, 4, 9][k]
        last = [3, 8, 11][k]
        assert out[first].start >= a - 40 and out[last].end <= b + 60


@needs_espeak
def test_unknown_name_and_digits_get_times_and_the_flag(backend, tmp_path):
    texts = ["my friend", "zorblatt", "was born in", "1961"]
    audio, spans = _join([_say(t, tmp_path, f"o{i}") for i, t in enumerate(texts)], [250, 250, 250])
    words = _units(" ".join(texts))
    out = backend.align_window(audio, words, "en")
    _check_protocol(out, len(words), audio)
    name, year = out[2], out[6]
    for t, (a, b) in ((name, spans[1]), (year, spans[3])):
        assert t.aligned and t.flags & Flag.GUESSED_PRONUNCIATION
        assert not t.flags & Flag.NOT_FOUND
        assert abs(t.start - a) <= 60 and abs(t.end - b) <= 80, (t, a, b)
    assert not out[0].flags & Flag.GUESSED_PRONUNCIATION


@needs_espeak
def test_word_missing_from_the_audio_does_not_drag_its_neighbours(backend, tmp_path):
    texts = ["the cat sat on the", "mat", "and slept all day"]
    audio, spans = _join([_say(t, tmp_path, f"m{i}") for i, t in enumerate(texts)], [150, 150])
    words = _units("the cat sat on the purple mat and slept all day")
    out = backend.align_window(audio, words, "en")
    _check_protocol(out, len(words), audio)
    the, purple, mat = out[4], out[5], out[6]
    assert purple.flags & (Flag.NOT_FOUND | Flag.LOW_CONFIDENCE)
    assert purple.confidence < 0.3
    assert the.end <= spans[0][1] + 60
    assert abs(mat.start - spans[1][0]) <= 60 and abs(mat.end - spans[1][1]) <= 80
    assert the.confidence >= 0.3 and mat.confidence >= 0.3
    assert all(t.aligned and not t.flags & Flag.NOT_FOUND for i, t in enumerate(out) if i != 5)


# -- pronunciations -------------------------------------------------------------------------------------


def test_numbers_are_read_aloud():
    assert ["nineteen", "sixty", "one"] in number_readings("1961")
    assert ["one", "thousand", "nine", "hundred", "sixty", "one"] in number_readings("1961")
    assert number_readings("21st") == [["twenty", "first"]]
    assert number_readings("3.14")[0] == ["three", "point", "one", "four"]
    assert number_readings("50%")[0] == ["fifty", "percent"]
    assert number_readings("1,000,000")[0] == ["one", "million"]
    assert number_readings("hello") == []
    assert number_readings("1990s")[0] == ["nineteen", "nineties"]


def test_lexicon_readings():
    lex = Lexicon()
    dont = lex.pronounce(("don't",))
    assert not dont.guessed and dont.readings[0][0].name == "don't"
    parts = lex.pronounce(("anti-slavery",))
    assert not parts.guessed and [w.name for w in parts.readings[0]] == ["anti", "slavery"]
    name = lex.pronounce(("zorblatt",))
    assert name.guessed and name.source == "g2p"
    phones = name.readings[0][0].phones.split()
    assert phones[0] == "Z" and phones[-1] == "T" and any(p in ("AA", "AO", "AH") for p in phones)
    possessive = lex.pronounce(("zorblatt's",))
    assert possessive.guessed and possessive.readings[0][-1].phones.endswith("T S")
    assert lex.pronounce(("mp3",)).guessed
    assert lex.pronounce(("Café",)).readings  # accents fold away
    assert lex.pronounce(("—",)).empty and lex.pronounce(()).empty
    assert [w.name for w in lex.pronounce(("a.m.",)).readings[0]] == ["a.m."]
    curly = lex.pronounce(("don\u2019t",))
    assert not curly.guessed


def test_letter_to_sound_training_is_cancellable_and_learns():
    words = load_dictionary(default_dict_path())
    small = {w: p for k, (w, p) in enumerate(sorted(words.items())) if k % 40 == 0}
    calls = []

    def stop() -> None:
        calls.append(1)
        raise Cancelled("stop")

    with pytest.raises(Cancelled):
        LetterToSound.train(small, check=stop)
    assert calls == [1]
    model = LetterToSound.train(small)
    assert model.phones("cat").split() == ["K", "AE", "T"]
    assert model.phones("") == ""
