"""Long recordings: speech detection, word placement, chunk plans, and whole long alignments.

Real components only: PocketSphinx aligns real speech (the bundled JFK clip and espeak-ng
sentences, joined with pauses, noise and untranscribed speech); each long result is compared
with the same pieces aligned one by one ("per chunk"). WORDSYNC_SLOW=1 also runs the 3-hour
test (bench/longform.py measures the 30-minute TIMIT recording).
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pytest

from aligner_core.align import longform as lf
from aligner_core.align.api import AlignRequest, align
from aligner_core.align.longform.weights import phrases as phrase_spans
from aligner_core.align.vad import Region, Vad
from aligner_core.document import Document, Flag

ROOT = Path(__file__).resolve().parents[2]
JFK_AUDIO = ROOT / "resources" / "examples" / "jfk.flac"
JFK_TEXT = (ROOT / "resources" / "examples" / "jfk.txt").read_text(encoding="utf-8").strip()
SENTENCES = [
    "The quick brown fox jumps over the lazy dog.",
    "Please call Stella and ask her to bring these things with her from the store.",
    "Six spoons of fresh snow peas, five thick slabs of blue cheese.",
    "We also need a small plastic snake and a big toy frog for the kids.",
    "She can scoop these things into three red bags, and we will go meet her on Wednesday.",
]
UNSPOKEN = "The weather report said heavy rain and strong winds tomorrow morning."
UNTRANSCRIBED = "Nobody wrote this sentence down, so the aligner must not give it any words."
SLOW = pytest.mark.skipif(os.environ.get("WORDSYNC_SLOW") != "1", reason="set WORDSYNC_SLOW=1 (minutes)")


@functools.lru_cache(maxsize=None)
def jfk() -> np.ndarray:
    from aligner_core.audio import load_audio

    return load_audio(JFK_AUDIO)


@functools.lru_cache(maxsize=None)
def espeak(text: str, speed: int = 140) -> np.ndarray:
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed")
    import soundfile as sf
    import soxr

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "s.wav")
        subprocess.run(["espeak-ng", "-v", "en-us", "-s", str(speed), "-w", path, text], check=True, capture_output=True)
        x, rate = sf.read(path, dtype="float32")
    return (0.5 * soxr.resample(x, rate, 16000)).astype(np.float32)


def background(seconds: float, rng: np.random.Generator, level: float = 0.0015) -> np.ndarray:
    return (level * rng.standard_normal(int(seconds * 16000))).astype(np.float32)


def tokens_of(text: str):
    from aligner_core.text import tokenize

    return tokenize(text, "en")


def run(audio: np.ndarray, text: str, **options):
    tokens = tokens_of(text)
    doc = Document(tokens, [], len(audio) * 1000 // 16000, "en")
    return tokens, align(AlignRequest.from_document(doc, audio, **options))


@functools.lru_cache(maxsize=None)
def reference(piece: int) -> list[tuple[int, int] | tuple[None, None]]:
    """A piece aligned on its own (0.25 s of background before and after), times into the piece."""
    audio, text = PIECES()[piece]
    rng = np.random.default_rng(piece)
    pad = background(0.25, rng)
    _, result = run(np.concatenate([pad, audio, pad]), text)
    return [(t.start - 250, t.end - 250) if t.start is not None else (None, None) for t in result.timings]


@functools.lru_cache(maxsize=None)
def PIECES() -> list[tuple[np.ndarray, str]]:
    out = []
    for k in range(14):
        if k % 3 == 1:
            s = SENTENCES[(k // 3) % len(SENTENCES)]
            out.append((espeak(s, 135 + 5 * (k % 4)), s))  # about the pace of the JFK clip
        else:
            out.append((jfk(), JFK_TEXT))
    return out


def build(order, rng, *, noise_after=(), untranscribed_after=(), unspoken_before=()):
    """Join pieces with pauses (some long; some with noise or untranscribed speech in them).

    Returns the audio, the transcript (one line per piece) and each piece's offset (ms)."""
    parts, lines, offsets = [], [], []
    samples = 0

    def add(x: np.ndarray) -> None:
        nonlocal samples
        parts.append(x)
        samples += len(x)

    for k in order:
        add(background(rng.uniform(0.3, 2.5) if rng.random() < 0.8 else rng.uniform(3.0, 6.0), rng))
        if k in unspoken_before:
            lines.append(UNSPOKEN)
        audio, text = PIECES()[k]
        offsets.append(samples * 1000 // 16000)
        add(audio)
        lines.append(text)
        if k in noise_after:
            add(background(0.4, rng))
            add((0.02 * rng.standard_normal(int(2.5 * 16000))).astype(np.float32))
        if k in untranscribed_after:
            add(background(0.8, rng))
            add(espeak(UNTRANSCRIBED))
    add(background(0.5, rng))
    return np.concatenate(parts), "\n".join(lines), offsets


def compare(tokens, result, order, audio_text_offsets):
    """Per word: |long - per-piece| for start and end (ms), for the words of each piece."""
    diffs: dict[int, list[float]] = {}
    pos = 0
    texts = [t.text for t in tokens]
    for n, (k, offset) in enumerate(zip(order, audio_text_offsets)):
        ref = reference(k)
        piece_tokens = tokens_of(PIECES()[k][1])
        # find this piece's words in the transcript (it may have an extra sentence before it)
        while texts[pos : pos + len(piece_tokens)] != [t.text for t in piece_tokens]:
            pos += 1
        for j, (rs, re_) in enumerate(ref):
            got = result.timings[pos + j]
            if rs is None or got.start is None:
                diffs.setdefault(n, []).append(1e6)
                continue
            diffs.setdefault(n, []).extend([abs(got.start - offset - rs), abs(got.end - offset - re_)])
        pos += len(piece_tokens)
    return diffs


# -- the detector ----------------------------------------------------------------------------------


def test_vad_finds_bursts_pauses_and_noise():
    rng = np.random.default_rng(1)
    sr = 16000
    t = np.arange(int(0.8 * sr)) / sr
    voiced = (0.3 * np.sin(2 * np.pi * 140 * t) * (1 + 0.5 * np.sin(2 * np.pi * 3 * t)) + 0.1 * np.sin(2 * np.pi * 420 * t)).astype(np.float32)
    quiet = background(0.6, rng, 0.0005)
    noise = (0.05 * rng.standard_normal(int(1.5 * sr))).astype(np.float32)
    audio = np.concatenate([quiet, voiced, quiet, voiced, quiet, noise, quiet, voiced, quiet])
    vad = Vad(audio)
    speech = [r for r in vad.regions if not r.noise]
    noisy = [r for r in vad.regions if r.noise]
    assert len(speech) == 3
    starts = [600, 2000, 5500]
    for r, s in zip(speech, starts):
        assert abs(r.start_ms - s) <= 40 and abs(r.end_ms - (s + 800)) <= 40
    assert len(noisy) == 1 and abs(noisy[0].start_ms - 3400) <= 60 and abs(noisy[0].end_ms - 4900) <= 60
    assert vad.speech_fraction(0, 500) == 0.0
    assert vad.speech_fraction(700, 1300) > 0.9
    assert 2800 <= vad.quietest(2500, 3300) <= 3300


def test_vad_handles_empty_and_tiny_audio():
    assert Vad(np.zeros(0, np.float32)).regions == []
    assert Vad(np.zeros(100, np.float32)).regions == []
    assert Vad(np.zeros(16000, np.float32)).regions == []


# -- placement -------------------------------------------------------------------------------------


def _regions(durations_s, gap_s=1.0, noise=()):
    out, t = [], 0
    for k, d in enumerate(durations_s):
        out.append(Region(int(t * 1000), int((t + d) * 1000), noise=k in noise))
        t += d + gap_s
    return out


def test_placement_follows_sentence_ends():
    words = [("alpha",), ("beta",), ("gamma",), ("delta",), ("epsilon",), ("zeta",), ("eta",), ("theta",), ("iota",)]
    texts = ["Alpha", "beta", "gamma.", "Delta", "epsilon.", "Zeta", "eta", "theta", "iota."]
    weights = np.array([lf.word_weight(w) for w in words])
    rate = 0.065
    durations = [rate * weights[0:3].sum(), rate * weights[3:5].sum(), 1.5, rate * weights[5:9].sum()]
    regions = _regions(durations, noise={2})
    placement = lf.place_words(regions, weights, lf.pause_costs(len(words), texts))
    assert list(zip(placement.first, placement.last)) == [(0, 3), (3, 5), (5, 5), (5, 9)]
    assert not placement.skipped.any()


def test_placement_leaves_out_words_the_audio_cannot_hold():
    words = [(w,) for w in ("one two three four " + "and then a great many more words that were never said " * 4).split()]
    weights = np.array([lf.word_weight(w) for w in words])
    regions = _regions([0.065 * weights[:4].sum()])  # audio for the first four words only
    placement = lf.place_words(regions, weights, None)
    a, b = placement.first[0], placement.last[0]
    assert 4 <= b - a < len(words) // 2  # a run the region's length can hold ...
    assert placement.skipped.sum() == len(words) - (b - a)  # ... and the rest left out, not crammed in
    assert not placement.skipped[a:b].any()


def test_placement_handles_nothing():
    empty = lf.place_words([], np.array([1.0, 2.0]), None)
    assert empty.skipped.all()
    none = lf.place_words(_regions([1.0]), np.zeros(0), None)
    assert len(none.first) == 1 and none.first[0] == none.last[0] == 0


def test_word_weights_grow_with_spoken_length():
    assert lf.word_weight(("a",)) < lf.word_weight(("cat",)) < lf.word_weight(("extraordinary",))
    assert lf.word_weight(("1961",)) > lf.word_weight(("one",))
    assert lf.word_weight(("你",)) >= 3
    assert lf.word_weight(()) == 1.0


def test_pause_costs_and_phrases():
    texts = ["And", "so,", "my", "friends.", "Ask", "not"]
    pc = lf.pause_costs(6, texts)
    assert pc[0] == 0 and pc[2] == 0.7 and pc[4] == 0.0 and pc[5] == 1.6
    phrases = phrase_spans(6, pc)
    assert (0, 4) in phrases and (4, 6) in phrases and (0, 2) in phrases and (2, 4) in phrases


# -- chunks ----------------------------------------------------------------------------------------


def test_cuts_fall_in_long_pauses_and_chunks_stay_bounded():
    rng = np.random.default_rng(3)
    durations = rng.uniform(1.0, 4.0, 60)
    regions, t = [], 0.0
    gaps = []
    for d in durations:
        regions.append(Region(int(t * 1000), int((t + d) * 1000)))
        g = 2.5 if rng.random() < 0.1 else rng.uniform(0.25, 1.0)
        gaps.append((int((t + d) * 1000), int((t + d + g) * 1000)))
        t += d + g
    end = int(t * 1000)
    params = lf.LongformParams()
    cuts = lf.plan_cuts(regions, 0, end, params, 300.0, lambda a, b: (a + b) / 2)
    assert cuts == sorted(cuts)
    for c in cuts:  # every cut is inside a pause
        assert any(g0 <= c <= g1 for g0, g1 in gaps), c
    for g0, g1 in gaps:  # every long pause is a cut
        if g1 - g0 >= params.hard_cut_s * 1000 and g1 < end - 1000:
            assert any(g0 <= c <= g1 for c in cuts)
    bounds = [0] + cuts + [end]
    assert max(b - a for a, b in zip(bounds, bounds[1:])) <= params.max_chunk_s * 1000 + 1


def test_chunk_audio_joins_pieces_and_times_map_back():
    from aligner_core.align.types import WordTiming

    audio = np.arange(16000 * 10, dtype=np.float32)
    chunk = lf.Chunk(0, 10000, 0, 3, [(1000, 3000), (6000, 8000)], [0, 1, 2])
    joined = lf.chunk_audio(audio, chunk, 16000, fade_ms=0)
    assert len(joined) == 64000 and joined[0] == 16000 and joined[32000] == 96000
    faded = lf.chunk_audio(audio, chunk, 16000, fade_ms=10)
    assert faded[31999] == 0.0 and faded[32000] == 0.0 and faded[40000] == joined[40000]
    timings = [WordTiming(100, 500), WordTiming(2100, 2600), WordTiming(1900, 2300)]
    mapped = lf.map_back(chunk, timings, int(Flag.INTERPOLATED))
    assert (mapped[0].start, mapped[0].end) == (1100, 1500)
    assert (mapped[1].start, mapped[1].end) == (6100, 6600)
    # straddling the seam: kept in the piece holding most of it, flagged
    assert (mapped[2].start, mapped[2].end) == (6000, 6300) and mapped[2].flags & Flag.INTERPOLATED


# -- whole long alignments -------------------------------------------------------------------------


ORDER = list(range(14))


@pytest.fixture(scope="module")
def clean_long():
    audio, text, offsets = build(ORDER, np.random.default_rng(7), noise_after={4})
    tokens, result = run(audio, text)
    return audio, tokens, result, offsets


def test_long_recording_matches_per_chunk_alignment_without_drift(clean_long):
    audio, tokens, result, offsets = clean_long
    s = result.summary
    assert len(audio) > 16000 * 120
    assert s.settings["chunks"] > 4  # the long-form path, not one window
    assert s.not_aligned == 0 and s.aligned == len(tokens)
    starts = [t.start for t in result.timings]
    assert starts == sorted(starts)
    diffs = compare(tokens, result, ORDER, offsets)
    every = np.concatenate([np.array(v) for v in diffs.values()])
    assert np.median(every) <= 10, np.median(every)
    assert np.mean(every <= 50) >= 0.9, np.mean(every <= 50)  # chunk context (cepstral mean) moves a few edges
    # no drift: the last pieces agree with their own alignment as well as the first ones
    first = np.mean(np.concatenate([diffs[n] for n in range(3)]))
    last = np.mean(np.concatenate([diffs[n] for n in range(len(ORDER) - 3, len(ORDER))]))
    assert last <= first + 20, (first, last)


def test_long_recording_with_text_and_speech_that_do_not_match():
    """An extra sentence in the transcript, and untranscribed speech and noise in the audio,
    must not drag their neighbours; the extra words come back not aligned or flagged."""
    order = ORDER[:9]
    audio, text, offsets = build(order, np.random.default_rng(11), untranscribed_after={3}, unspoken_before={6}, noise_after={1})
    tokens, result = run(audio, text)
    start = next(i for i in range(len(tokens)) if [t.text for t in tokens[i : i + 3]] == UNSPOKEN.split()[:3])
    extra = list(range(start, start + len(UNSPOKEN.split())))
    for i in extra:
        t = result.timings[i]
        assert t.start is None or t.flags & (Flag.LOW_CONFIDENCE | Flag.NOT_FOUND), (tokens[i].text, t)
    assert result.summary.not_aligned + result.summary.low_confidence >= len(extra)
    diffs = compare(tokens, result, order, offsets)
    # the pieces around the untranscribed speech and the unspoken sentence keep their times (a
    # stray word may still be pulled onto the untranscribed speech: see the module notes)
    near = np.concatenate([np.array(diffs[n]) for n in (3, 4, 5, 6)])
    assert np.median(near) <= 15 and np.mean(near <= 50) >= 0.9, [np.array(diffs[n]) for n in (3, 4, 5, 6)]


def test_worker_pool_gives_the_serial_result():
    """Chunks are independent: two worker processes give what one process gives."""
    from aligner_core.align import registry

    audio = np.concatenate([background(0.5, np.random.default_rng(0)), jfk(), background(0.5, np.random.default_rng(1))])
    words = [t.units for t in tokens_of(JFK_TEXT)]
    tasks = [lf.Task(k, audio, words, len(audio)) for k in range(2)]
    serial = dict(lf.SerialRunner(registry.get_backend("sphinx")).run(tasks, "en", None, None))
    pool = lf.PoolRunner({"aligner": "sphinx"}, jobs=2, max_window_s=300.0)
    try:
        parallel = dict(pool.run(tasks, "en", None, None))
    finally:
        pool.close()
    assert parallel == serial


@SLOW
@pytest.mark.slow
def test_three_hours_in_bounded_memory():
    """Three hours of speech: every word aligned in order, none far from its own piece's
    alignment at the end, and memory beyond the samples bounded."""
    import resource

    order = [k % 14 for k in range(1100)]
    audio, text, _ = build(order, np.random.default_rng(5))
    assert len(audio) >= 3 * 3600 * 16000
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tokens, result = run(audio, text)
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - before
    assert result.summary.not_aligned <= 0.01 * len(tokens)
    starts = [t.start for t in result.timings if t.start is not None]
    assert starts == sorted(starts)
    assert grown < 1024, f"peak memory grew by {grown:.0f} MB"
