"""Qwen3-ForcedAligner backend on tiny random checkpoints loaded through ``from_pretrained``."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")

from aligner_core.align.backends.qwen3 import (  # noqa: E402
    PRECISION_ENV,
    Piece,
    Qwen3Backend,
    build_prompt,
    cpu_precision,
    decode_slots,
    language_name,
    resolve_precision,
)
from aligner_core.align.backends.qwen3_words import SpokenWord, plan_words  # noqa: E402
from aligner_core.align.types import AlignmentError  # noqa: E402
from aligner_core.document import Flag  # noqa: E402
from aligner_core.progress import CancelToken, Cancelled  # noqa: E402

from .tiny_models import build_tiny_qwen3_aligner, one_torch_thread  # noqa: E402


@pytest.fixture(scope="module", autouse=True)
def _one_thread():
    with one_torch_thread():
        yield

# Non-default class count and length prove the backend reads them instead of assuming 5000 x 80 ms.
NUM_LABELS = 48
STEP_MS = 100


@pytest.fixture(scope="session")
def qwen3_random(tmp_path_factory):
    folder = build_tiny_qwen3_aligner(
        tmp_path_factory.mktemp("qwen3_random"), num_labels=NUM_LABELS, timestamp_segment_time=STEP_MS
    )
    backend = Qwen3Backend(str(folder), device="cpu", allow_download=False, precision="fp32")
    backend.load()
    return backend


@pytest.fixture(scope="session")
def qwen3_biased(tmp_path_factory):
    """Every slot predicts class 40 (4.0 s): past the end of a 3 s clip."""
    folder = build_tiny_qwen3_aligner(
        tmp_path_factory.mktemp("qwen3_biased"), num_labels=NUM_LABELS, timestamp_segment_time=STEP_MS, predict_class=40
    )
    return Qwen3Backend(str(folder), device="cpu", allow_download=False)


def _audio(seconds: float, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(int(16000 * seconds)) * 0.1).astype(np.float32)


WORDS = [("hello",), ("world",), ("1984",), ("你",), ("好",), ("don't",), ("stop",)]


def _check_protocol(timings, n_words, duration):
    assert len(timings) == n_words
    prev_end = 0
    for t in timings:
        assert 0.0 <= t.confidence <= 1.0
        if t.start is None:
            assert t.flags & Flag.NOT_FOUND
            continue
        assert isinstance(t.start, int) and isinstance(t.end, int)
        assert prev_end <= t.start <= t.end <= duration
        prev_end = t.end


def test_reads_num_labels_and_step_from_the_checkpoint(qwen3_random):
    assert qwen3_random.num_labels == NUM_LABELS
    assert qwen3_random.frame_ms == STEP_MS
    assert qwen3_random.max_audio_ms == NUM_LABELS * STEP_MS
    assert qwen3_random.max_window_s == 180


def test_one_timing_per_word_ordered_inside_the_audio(qwen3_random):
    audio = _audio(3.0)
    seen = []
    timings = qwen3_random.align_window(audio, WORDS, "en", progress=lambda f, s: seen.append(f))
    _check_protocol(timings, len(WORDS), 3000)
    assert all(t.aligned for t in timings)
    assert seen[-1] == 1.0 and all(b >= a for a, b in zip(seen, seen[1:]))


def test_garbage_is_clamped_and_flagged(qwen3_biased):
    timings = qwen3_biased.align_window(_audio(3.0), WORDS, "en")
    _check_protocol(timings, len(WORDS), 3000)
    for t in timings:
        assert (t.start, t.end) == (3000, 3000)
        assert t.flags & Flag.CLAMPED
        assert t.flags & Flag.ZERO_DURATION
        assert t.flags & Flag.EQUAL_STARTS
        assert not t.flags & Flag.INTERPOLATED  # all equal is monotonic: nothing was repaired
        assert t.confidence > 0.9  # the biased head is sure of itself, so only the flags warn


def test_words_with_nothing_to_align_are_not_found(qwen3_random):
    timings = qwen3_random.align_window(_audio(2.0), [("hi",), ("—",), (), ("there",)], "en")
    _check_protocol(timings, 4, 2000)
    assert timings[1].start is None and timings[1].flags & Flag.NOT_FOUND
    assert timings[2].start is None and timings[2].flags & Flag.NOT_FOUND
    assert timings[0].aligned and timings[3].aligned
    assert all(t.flags & Flag.NOT_FOUND for t in qwen3_random.align_window(_audio(1.0), [("!",)], "en"))


def test_window_longer_than_the_classes_can_time_is_refused(qwen3_random):
    with pytest.raises(AlignmentError, match="windows of at most"):
        qwen3_random.align_window(_audio(NUM_LABELS * STEP_MS / 1000 + 0.5), WORDS[:2], "en")


def test_repair_and_confidence_from_crafted_logits(qwen3_random):
    """The monotonic repair's changes become flags; confidence is the mass near the final class."""
    import torch

    processor = qwen3_random._processor
    ts_id = int(qwen3_random._model.config.timestamp_token_id)
    words = ["a", "b", "c"]
    ids = processor.tokenizer(build_prompt(processor, ts_id, words), return_tensors="pt")["input_ids"]
    classes = [5, 6, 2, 8, 9, 10]  # slot 2 goes back in time
    logits = torch.full((1, ids.shape[1], NUM_LABELS), -20.0)
    slots = (ids[0] == ts_id).nonzero().flatten()
    for slot, cls in zip(slots, classes):
        logits[0, slot, cls] = 10.0
    logits[0, slots[3], 9] = 9.0  # slot 3 is unsure between 8 and its neighbour 9: still near
    times, repaired, conf = decode_slots(processor, logits, ids, words, ts_id, STEP_MS)
    assert list(repaired) == [False, False, True, False, False, False]
    assert list(np.diff(times) >= 0) == [True] * 5
    assert conf[0] > 0.99 and conf[3] > 0.99
    assert conf[2] < 0.01  # the repaired slot's new class has no mass near it


def test_prompt_is_the_plain_official_layout(qwen3_random):
    processor = qwen3_random._processor
    ts_id = int(qwen3_random._model.config.timestamp_token_id)
    prompt = build_prompt(processor, ts_id, ["hello", "world"])
    assert prompt == "<|audio_start|><|audio_pad|><|audio_end|>hello<timestamp><timestamp>world<timestamp><timestamp>"
    assert "<|im_start|>" not in prompt


def test_languages():
    assert language_name("en") == "English"
    assert language_name("pt-BR") == "Portuguese"
    assert language_name("zh_CN") == "Chinese"
    assert language_name("Japanese") == "Japanese"
    with pytest.raises(AlignmentError, match="does not support"):
        language_name("nl")


def test_japanese_without_nagisa_is_a_clear_error(qwen3_random):
    try:
        import nagisa  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("nagisa is installed")
    with pytest.raises(AlignmentError, match="nagisa"):
        qwen3_random.align_window(_audio(1.0), [("東",), ("京",)], "ja")


def test_korean_without_soynlp_is_a_clear_error(qwen3_random):
    try:
        import soynlp  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("soynlp is installed")
    with pytest.raises(AlignmentError, match=r"soynlp package \(pip install 'wordsync\[ko\]'\)"):
        qwen3_random.align_window(_audio(1.0), [("서울",)], "ko")


def test_plan_splits_cjk_and_drops_what_the_model_cannot_time():
    plan = plan_words(["hello", "你好", "—", "1984"], [" ", " ", " ", " "], "English")
    assert plan.model_words == ["hello", "你", "好", "1984"]
    assert plan.pieces == [[Piece(0)], [Piece(1), Piece(2)], [], [Piece(3)]]


def test_the_model_reads_what_the_user_wrote(qwen3_random):
    """Surface text reaches the prompt as the official package writes it: case kept, in-word
    punctuation dropped inside one word; punctuation-only tokens are not found."""
    seen = []
    hook = qwen3_random._model.register_forward_pre_hook(lambda m, a, kw: seen.append(kw["input_ids"]), with_kwargs=True)
    words = [SpokenWord(("hello",), "Hello,"), SpokenWord(("u", "s"), "U.S."), SpokenWord((), "—"),
             SpokenWord(("3.14",), "3.14"), SpokenWord(("don't",), "don’t")]
    try:
        timings = qwen3_random.align_window(_audio(2.0), words, "en")
    finally:
        hook.remove()
    _check_protocol(timings, len(words), 2000)
    assert timings[2].flags & Flag.NOT_FOUND and all(timings[k].aligned for k in (0, 1, 3, 4))
    processor = qwen3_random._processor
    ts_id = int(qwen3_random._model.config.timestamp_token_id)
    prompt = processor.tokenizer.decode(seen[0][0])
    assert prompt.endswith(build_prompt(processor, ts_id, ["Hello", "US", "314", "dont"])[len("<|audio_start|><|audio_pad|><|audio_end|>"):])


def test_short_windows_are_not_padded(qwen3_random):
    """The official align() feeds windows under 0.5 s as they are (only its recogniser pads)."""
    seen = []
    hook = qwen3_random._model.register_forward_pre_hook(
        lambda m, a, kw: seen.append(int(kw["input_features_mask"].sum())), with_kwargs=True
    )
    try:
        timings = qwen3_random.align_window(_audio(0.3), [("hi",)], "en")
    finally:
        hook.remove()
    assert seen == [30]  # 0.3 s of 10 ms mel frames, not 0.5 s
    _check_protocol(timings, 1, 300)
    # Shorter than the mel window's reach (12.5 ms): nothing to time, and no error either.
    assert all(t.flags & Flag.NOT_FOUND for t in qwen3_random.align_window(_audio(0.01), [("hi",)], "en"))


def test_precision_setting(monkeypatch):
    monkeypatch.delenv(PRECISION_ENV, raising=False)
    assert resolve_precision(None, "cpu") == cpu_precision()
    assert resolve_precision(None, "cuda") == "bf16"
    monkeypatch.setenv(PRECISION_ENV, "FP32")
    assert resolve_precision(None, "cpu") == "fp32" and resolve_precision(None, "cuda") == "fp32"
    assert resolve_precision("int8", "cpu") == "int8"  # the argument wins over the environment
    with pytest.raises(AlignmentError, match="CPU only"):
        resolve_precision("int8", "cuda")
    monkeypatch.setenv(PRECISION_ENV, "fp16")
    with pytest.raises(AlignmentError, match="Unknown Qwen3 precision 'fp16'"):
        resolve_precision(None, "cpu")


def test_cancel_before_and_during_the_forward_pass(qwen3_random):
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        qwen3_random.align_window(_audio(1.0), WORDS, "en", cancel=token)

    token = CancelToken()

    def progress(fraction, stage):
        if stage == "aligning" and fraction > 0.3:
            token.cancel()

    with pytest.raises(Cancelled):
        qwen3_random.align_window(_audio(2.0), WORDS, "en", progress=progress, cancel=token)
    # The backend still works afterwards (hooks were removed, nothing half-changed).
    _check_protocol(qwen3_random.align_window(_audio(1.0), WORDS[:2], "en"), 2, 1000)


def test_align_feeds_qwen3_the_words_as_written(tmp_path, monkeypatch):
    # through the public align(): the model sees the user's words cleaned the official way
    # ("U.S." -> "US", case kept, tags gone), not our lower-cased aligner units
    from aligner_core.align import api
    from aligner_core.align.backends import qwen3 as qwen3_module
    from aligner_core.document import Document
    from aligner_core.text import tokenize

    folder = build_tiny_qwen3_aligner(tmp_path / "m", num_labels=NUM_LABELS, timestamp_segment_time=STEP_MS)
    seen: list[list[str]] = []
    real = qwen3_module.build_prompt

    def recording(processor, ts_id, model_words):
        seen.append(list(model_words))
        return real(processor, ts_id, model_words)

    monkeypatch.setattr(qwen3_module, "build_prompt", recording)
    doc = Document(tokenize("<i>Hello,</i> the U.S. e-mail", "en"), [], 3000, "en")
    request = api.AlignRequest.from_document(doc, _audio(3.0), language="en", aligner="qwen3", model=str(folder), device="cpu")
    api.align(request)
    assert seen and seen[0] == ["Hello", "the", "US", "email"], seen
