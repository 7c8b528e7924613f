"""CTC backend on tiny random wav2vec2 checkpoints loaded through ``from_pretrained``."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")

from aligner_core.align.backends.ctc import (  # noqa: E402
    CTCBackend,
    Vocabulary,
    build_targets,
    compute_emissions,
    plan_windows,
    word_target,
)
from aligner_core.align.types import AlignmentError  # noqa: E402
from aligner_core.document import Flag  # noqa: E402
from aligner_core.progress import CancelToken, Cancelled  # noqa: E402

from .tiny_models import build_tiny_ctc, one_torch_thread  # noqa: E402


@pytest.fixture(scope="module", autouse=True)
def _one_thread():
    with one_torch_thread():
        yield


@pytest.fixture(scope="session")
def ctc(tmp_path_factory):
    backend = CTCBackend(str(build_tiny_ctc(tmp_path_factory.mktemp("ctc"))), device="cpu", allow_download=False)
    backend.load()
    return backend


@pytest.fixture(scope="session")
def ctc_leak_free(tmp_path_factory):
    """No transformer layers, per-frame norms, 30 ms frames (strides multiply to 480 samples)."""
    folder = build_tiny_ctc(
        tmp_path_factory.mktemp("ctc_leak_free"),
        leak_free=True,
        conv_stride=(5, 2, 2, 2, 2, 2, 3),
        conv_kernel=(10, 3, 3, 3, 3, 2, 3),
    )
    backend = CTCBackend(str(folder), device="cpu", allow_download=False)
    backend.load()
    return backend


@pytest.fixture(scope="session")
def ctc_upper(tmp_path_factory):
    folder = build_tiny_ctc(tmp_path_factory.mktemp("ctc_upper"), uppercase=True, num_hidden_layers=1)
    return CTCBackend(str(folder), device="cpu", allow_download=False, window_s=2.0, overlap_s=0.5)


def _audio(seconds: float, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(int(16000 * seconds)) * 0.1).astype(np.float32)


def _check_protocol(timings, n_words, duration):
    assert len(timings) == n_words
    prev_end = 0
    for t in timings:
        assert 0.0 <= t.confidence <= 1.0
        if t.start is None:
            assert t.flags & Flag.NOT_FOUND
            continue
        assert prev_end <= t.start <= t.end <= duration
        prev_end = t.end


def test_frame_length_comes_from_the_conv_strides(ctc, ctc_leak_free):
    assert ctc.samples_per_frame == 320 and ctc.frame_ms == 20.0
    assert ctc_leak_free.samples_per_frame == 480 and ctc_leak_free.frame_ms == 30.0


def test_alignment_one_timing_per_word(ctc):
    words = [("hello",), ("world",), ("1984",), ("你好",), ("—",), ("café",), ("don't",)]
    seen = []
    timings = ctc.align_window(_audio(4.0), words, "en", progress=lambda f, s: seen.append(f))
    _check_protocol(timings, len(words), 4000)
    assert [t.aligned for t in timings] == [True, True, True, True, False, True, True]
    assert timings[2].flags & Flag.GUESSED_PRONUNCIATION  # digits spelled out for a letters-only vocabulary
    assert timings[3].flags & Flag.INTERPOLATED and timings[3].confidence == 0.0  # no known characters
    assert not timings[5].flags & Flag.GUESSED_PRONUNCIATION  # é -> e is the same letter
    assert all(t.start % 20 == 0 and t.end % 20 == 0 for t in timings if t.aligned)
    assert seen[-1] == 1.0 and all(b >= a for a, b in zip(seen, seen[1:]))


def test_uppercase_vocabulary_and_several_windows(ctc_upper):
    timings = ctc_upper.align_window(_audio(5.0, seed=3), [("the",), ("quick",), ("fox",)], "en")
    _check_protocol(timings, 3, 5000)
    assert all(t.aligned and t.confidence > 0 for t in timings)


def test_windows_start_on_frames_and_cover_the_audio():
    for n in (100, 16000, 16000 * 7 + 123, 16000 * 95):
        windows = plan_windows(n, 16000 * 30, 16000 * 4, 320)
        assert windows[0][0] == 0 and windows[-1][1] == n
        assert all(s % 320 == 0 for s, _ in windows)
        assert all(s1 < e0 for (_, e0), (s1, _) in zip(windows, windows[1:]))  # they overlap


def test_stitched_windows_equal_one_pass_without_positional_leakage(ctc_leak_free):
    # Each frame sees +-8 frames (240 ms) through the positional conv: half the overlap must exceed it.
    model, fe = ctc_leak_free._model, ctc_leak_free._feature_extractor
    audio = _audio(7.3, seed=1)
    one = compute_emissions(model, fe, audio, window_s=100)
    for window_s, overlap_s, batch in ((1.0, 0.6, 1), (2.0, 0.8, 3)):
        many = compute_emissions(model, fe, audio, window_s=window_s, overlap_s=overlap_s, batch_size=batch)
        assert many.shape == one.shape
        assert torch.allclose(one, many, atol=1e-4)


def test_stitched_windows_match_one_pass_in_shape_with_attention(ctc):
    audio = _audio(5.0, seed=2)
    one = compute_emissions(ctc._model, ctc._feature_extractor, audio, window_s=100)
    many = compute_emissions(ctc._model, ctc._feature_extractor, audio, window_s=1.5, overlap_s=0.5)
    assert many.shape == one.shape and torch.isfinite(many).all()
    assert torch.allclose(many.exp().sum(dim=1), torch.ones(many.shape[0]), atol=1e-4)


def test_targets_put_optional_wildcards_between_words(ctc):
    vocab = ctc.vocab
    star = vocab.size
    t = build_targets([("ab",), ("c",)], vocab, "en", star)
    a, b, c = (vocab.chars[x] for x in "abc")
    assert t.items == [star, a, b, vocab.delimiter, star, c, star]
    assert t.optional == [True, False, False, False, True, False, True]
    assert t.ranges == [(1, 2), (5, 5)]
    no_star = build_targets([("ab",), ("c",)], vocab, "en", None)
    assert no_star.items == [a, b, vocab.delimiter, c]
    # A word with no known characters becomes a required wildcard with no optional ones beside it.
    wild = build_targets([("a",), ("你",), ("b",)], vocab, "en", star)
    assert wild.items == [star, a, vocab.delimiter, star, vocab.delimiter, vocab.chars["b"], star]
    assert wild.optional == [True, False, False, False, False, False, True]


def test_word_targets_handle_unknown_characters(ctc):
    vocab: Vocabulary = ctc.vocab
    assert word_target(("naïve",), vocab, "en").subwords == [[vocab.chars[c] for c in "naive"]]
    dropped = word_target(("aßb",), vocab, "en")
    assert dropped.dropped == 1 and dropped.flags & Flag.GUESSED_PRONUNCIATION
    assert word_target(("rock’n’roll",), vocab, "en").subwords == [[vocab.chars[c] for c in "rock'n'roll"]]
    spelled = word_target(("42",), vocab, "en")
    assert len(spelled.subwords) >= 2 and spelled.flags & Flag.GUESSED_PRONUNCIATION


def test_cancel_between_windows(ctc):
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        ctc.align_window(_audio(1.0), [("a",)], "en", cancel=token)

    token = CancelToken()
    calls = []

    def progress(fraction, stage):
        calls.append(stage)
        if stage == "emissions":
            token.cancel()

    backend = CTCBackend(ctc.model_id, device="cpu", window_s=1.0, overlap_s=0.3, allow_download=False)
    with pytest.raises(Cancelled):
        backend.align_window(_audio(6.0), [("hello",), ("world",)], "en", progress=progress, cancel=token)
    assert "viterbi" not in calls


def test_too_much_text_for_the_audio_is_a_clear_error(ctc):
    with pytest.raises(AlignmentError, match="too short"):
        ctc.align_window(_audio(0.2), [("supercalifragilisticexpialidocious",)], "en")


def test_nothing_alignable_gives_not_found(ctc):
    timings = ctc.align_window(_audio(1.0), [("—",), ()], "en")
    assert all(t.start is None and t.flags & Flag.NOT_FOUND for t in timings)


def test_character_units_are_the_words_phones_when_asked_for(ctc):
    """Phones requested: each word's characters as the model's units, tiling the word in order;
    the word times are the same as without them."""
    words = [("hello",), ("world",), ("don't",), ("—",), ("well-known",)]
    audio = _audio(4.0, seed=5)
    without = ctc.align_window(audio, words, "en")
    assert not any(t.phones for t in without)  # off unless asked for
    ctc.phones = True
    try:
        timings = ctc.align_window(audio, words, "en")
    finally:
        ctc.phones = False
    assert [(t.start, t.end, t.flags) for t in timings] == [(t.start, t.end, t.flags) for t in without]
    expected = {0: "hello", 1: "world", 2: "don't", 4: "wellknown"}
    for k, t in enumerate(timings):
        if k not in expected:
            assert t.phones == ()  # nothing the model could hear as characters: no phones
            continue
        assert "".join(p.label for p in t.phones) == expected[k]
        assert t.phones[0].start == t.start and t.phones[-1].end == t.end
        assert all(a.end == b.start and a.start <= a.end for a, b in zip(t.phones, t.phones[1:]))
        # each unit starts on a frame of the path (20 ms), not an even split of the word
        assert all(p.start % 20 == 0 for p in t.phones)
