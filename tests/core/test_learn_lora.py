"""LoRA fine-tuning of a tiny random Qwen3-ForcedAligner on generated corrected projects (CPU, a few steps)."""

from __future__ import annotations

import json
import math

import pytest

pytest.importorskip("peft")
torch = pytest.importorskip("torch")

from aligner_core.learn.dataset import build_dataset  # noqa: E402
from aligner_core.learn.lora import (  # noqa: E402
    FinetuneSettings,
    _Audio,
    collate,
    finetune,
    load_token_classifier,
    prepare_example,
    weighted_loss,
)
from aligner_core.progress import CancelToken, Cancelled  # noqa: E402
from tests.core.learn_data import SENTENCES, corrected_project  # noqa: E402
from tests.core.tiny_models import build_tiny_qwen3_aligner  # noqa: E402


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return build_tiny_qwen3_aligner(tmp_path_factory.mktemp("tiny-qwen3"))


@pytest.fixture(scope="module")
def segments(tmp_path_factory):
    root = tmp_path_factory.mktemp("corrected")
    projects = [corrected_project(root / f"r{i}", f"r{i}", s, seed=i, locked_every=2) for i, s in enumerate(SENTENCES)]
    return build_dataset(projects, eval_fraction=0.25, pseudo_labels=True).lines


def _processor(tiny):
    from transformers import AutoProcessor

    processor = AutoProcessor.from_pretrained(str(tiny))
    processor.feature_extractor.min_length = 0
    return processor


def _examples(segments, tiny, split="train"):
    audio = _Audio()
    return [prepare_example(s, audio.segment(s), step_ms=80.0, num_labels=64, pseudo_weight=0.3) for s in segments if s["split"] == split]


def test_labels_sit_exactly_on_the_timestamp_slots(tiny, segments):
    processor = _processor(tiny)
    ts_id = processor.tokenizer.convert_tokens_to_ids("<timestamp>")
    examples = _examples(segments, tiny)[:2]
    assert len(examples[0].model_words) != len(examples[1].model_words)  # so one row is padded
    batch, labels, weights = collate(processor, ts_id, examples)
    ids = batch["input_ids"]
    pad = processor.tokenizer.pad_token_id
    shorter = min(range(2), key=lambda r: len(examples[r].model_words))
    assert ids[shorter, 0] == pad  # the processor pads on the left
    for row, ex in enumerate(examples):
        slots = (ids[row] == ts_id).nonzero().flatten().tolist()
        assert len(slots) == 2 * len(ex.model_words)
        labelled = (labels[row] != -100).nonzero().flatten().tolist()
        assert set(labelled) <= set(slots)
        seg = ex.segment
        for k, (word, ts, verified) in enumerate(zip(seg["words"], seg["timestamps"], seg["verified"])):
            start_slot, end_slot = slots[2 * k], slots[2 * k + 1]  # one model word per English word here
            for slot, t in ((start_slot, ts[0]), (end_slot, ts[1])):
                expected = min(63, math.floor((t - seg["start"]) * 1000 / 80))
                assert labels[row, slot] == expected
                assert weights[row, slot] == pytest.approx(1.0 if verified else 0.3)
        assert weights[row][labels[row] == -100].abs().sum() == 0


def _train_loss(model_dir, processor, examples):
    model = load_token_classifier(model_dir, torch.float32).eval()
    ts_id = int(model.config.timestamp_token_id)
    total = 0.0
    with torch.inference_mode():
        for ex in examples:
            batch, labels, weights = collate(processor, ts_id, [ex])
            total += float(weighted_loss(model(**batch).logits, labels, weights))
    return total / len(examples)


def _slot_logits(model, processor, ex):
    ts_id = int(model.config.timestamp_token_id)
    batch, _, _ = collate(processor, ts_id, [ex])
    with torch.inference_mode():
        logits = model(**batch).logits[0]
    return logits[batch["input_ids"][0] == ts_id]


def test_training_lowers_the_loss_saves_safetensors_and_merges_to_the_same_model(tiny, segments, tmp_path):
    out = tmp_path / "adapter"
    settings = FinetuneSettings(base=str(tiny), epochs=4, lr=1e-2, rank=4, device="cpu", self_weight=0.1)
    result = finetune(segments, out, settings, merge=True)
    names = {p.name for p in out.iterdir()}
    assert {"adapter_model.safetensors", "adapter_config.json", "training.json", "README.md", "config.json"} <= names
    assert not any(n.endswith((".bin", ".pt", ".pth", ".pkl")) for n in names)
    assert "checkpoint" not in names  # removed once the adapter is saved
    from safetensors.torch import load_file

    keys = list(load_file(str(out / "adapter_model.safetensors")))
    assert not any("audio_tower" in k for k in keys)  # its own q/k/v_proj are never adapted
    lora_a = [k for k in keys if "lora_A" in k]
    assert len(lora_a) == 2 * 7 and all(".language_model.layers." in k for k in lora_a)  # 2 layers x q,k,v,o,gate,up,down
    assert any(k.endswith("score.weight") for k in keys)  # the head is trained and saved with it
    assert json.loads((out / "adapter_config.json").read_text())["base_model_name_or_path"] == str(tiny.resolve())
    card = (out / "README.md").read_text()
    assert "| before |" in card and "| after |" in card
    assert result.before is not None and result.after is not None

    processor = _processor(tiny)
    examples = _examples(segments, tiny)
    assert _train_loss(out, processor, examples) < 0.8 * _train_loss(tiny, processor, examples)

    base = load_token_classifier(tiny, torch.float32).eval()
    adapted = load_token_classifier(out, torch.float32).eval()
    a, b = _slot_logits(base, processor, examples[0]), _slot_logits(adapted, processor, examples[0])
    assert not torch.equal(a.argmax(-1), b.argmax(-1))  # predictions changed
    from transformers import AutoModelForTokenClassification

    merged = AutoModelForTokenClassification.from_pretrained(str(result.merged), use_safetensors=True).eval()
    assert torch.allclose(_slot_logits(merged, processor, examples[0]), b, atol=1e-4)


def test_the_aligner_accepts_the_adapter_folder_as_model(tiny, segments, tmp_path):
    from aligner_core.align.registry import choose, create_backend
    from aligner_core.align.backends.qwen3_words import SpokenWord

    out = tmp_path / "adapter"
    finetune(segments, out, FinetuneSettings(base=str(tiny), epochs=1, rank=2, device="cpu", max_steps=2), evaluate=False)
    assert choose("auto", "en", str(out)).aligner == "qwen3"
    backend = create_backend("qwen3", str(out), device="cpu")
    seg = segments[0]
    timings = backend.align_window(_Audio().segment(seg), [SpokenWord((w.lower(),), w) for w in seg["words"]], "en")
    assert len(timings) == len(seg["words"])


def test_cancel_then_resume_gives_the_uninterrupted_result(tiny, segments, tmp_path):
    from safetensors.torch import load_file

    settings = FinetuneSettings(base=str(tiny), epochs=2, lr=1e-2, rank=2, device="cpu", checkpoint_every=2, seed=3)
    whole = finetune(segments, tmp_path / "whole", settings, evaluate=False)

    token = CancelToken()

    def progress(fraction, stage):
        if "step 3/" in stage:
            token.cancel()

    with pytest.raises(Cancelled):
        finetune(segments, tmp_path / "cut", settings, evaluate=False, progress=progress, cancel=token)
    assert (tmp_path / "cut" / "checkpoint" / "state.json").is_file()
    resumed = finetune(segments, tmp_path / "cut", settings, evaluate=False)
    assert resumed.resumed_from == 3
    assert resumed.losses == pytest.approx(whole.losses, rel=1e-4)
    w1 = load_file(str(tmp_path / "whole" / "adapter_model.safetensors"))
    w2 = load_file(str(tmp_path / "cut" / "adapter_model.safetensors"))
    assert w1.keys() == w2.keys()
    assert all(torch.allclose(w1[k], w2[k], atol=1e-5) for k in w1)
