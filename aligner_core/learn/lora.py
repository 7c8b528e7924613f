"""LoRA fine-tuning of Qwen3-ForcedAligner on the user's verified word times (peft, transformers 5).

What the model is taught is exactly what it is asked at alignment time: the backend's plain
prompt (:func:`aligner_core.align.backends.qwen3.build_prompt`) over the official word list
(:func:`~aligner_core.align.backends.qwen3_words.plan_words`), audio cut to the segment. Every
``<timestamp>`` slot is labelled ``floor(t_ms / step)`` (start, then end, per model word) capped at
``num_labels - 1``, every other position -100; the processor pads on the left, so slot positions
are read from the padded ids. Each slot carries a weight:

* verified words (locked by a person): 1;
* pseudo-labels (the aligner's current times, ``verified`` false): ``pseudo_weight``;
* words without times: the base model's own prediction for the slot, unmodified, at
  ``self_weight`` - it keeps the adapter from unlearning what nobody corrected.

The adapter (rank ``rank`` on the text model's attention and MLP projections, never the audio
tower's, plus the ``score`` head as a saved module) is the only thing trained. A checkpoint
(adapter, optimiser state, step, all as safetensors and JSON) is written as training goes, so a
cancelled or interrupted run resumes where it stopped with the same result; the seed fixes the
order and the initial adapter.

The output folder is an aligner model for ``--model DIR``: ``adapter_model.safetensors`` and
``adapter_config.json`` (naming the base), the processor files and the base's ``config.json``,
``training.json`` (the settings and the before/after numbers) and ``README.md`` (the model card).
:func:`load_token_classifier` loads such a folder as base + adapter, merged.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import random
import shutil
import time
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from ..fileio import atomic_write_text
from ..messages import msg
from ..progress import CancelToken, ProgressCallback, Stage
from . import LearnError

__all__ = [
    "FinetuneSettings",
    "FinetuneResult",
    "TARGET_MODULES",
    "estimate_seconds",
    "finetune",
    "is_adapter",
    "load_token_classifier",
    "prepare_example",
]

#: the text model's attention and MLP projections; the audio tower's own q/k/v_proj never match
TARGET_MODULES = r".*language_model\.layers\.\d+\.(self_attn\.(q|k|v|o)_proj|mlp\.(gate|up|down)_proj)"
ADAPTER_WEIGHTS = "adapter_model.safetensors"
CHECKPOINT = "checkpoint"
#: the 0.6B checkpoint on a CPU, fp32, 2 threads: ~10 s a step for 30 s of audio on an idle machine
#: (issue 15; bench/finetune.py measured 38-52 s on this project's shared 2-core VM at load 3, 110 s
#: at load 7). Scaled by the model's parameter count and the audio; the training's progress then
#: says the time left from the steps it has taken.
CPU_S_PER_AUDIO_S_06B = 0.35
CUDA_S_PER_AUDIO_S_06B = 0.02


@dataclass(frozen=True)
class FinetuneSettings:
    base: str
    epochs: int = 3
    lr: float = 2e-4
    rank: int = 16
    alpha: int | None = None  # LoRA scaling numerator; default 2 x rank
    device: str = "auto"
    seed: int = 0
    pseudo_weight: float = 0.3
    self_weight: float = 0.1
    checkpoint_every: int = 20  # steps
    gradient_checkpointing: bool | None = None  # default: on CUDA
    max_steps: int | None = None  # stop early (tests, quick trials)


@dataclass
class FinetuneResult:
    out: Path
    steps: int
    losses: list[float] = field(default_factory=list)
    before: dict | None = None
    after: dict | None = None
    merged: Path | None = None
    resumed_from: int = 0
    seconds: float = 0.0


# -- examples ---------------------------------------------------------------------------------------


@dataclass
class Example:
    audio: np.ndarray
    model_words: list[str]
    labels: list[int]  # per slot (2 per model word); -1: none
    weights: list[float]  # per slot; 0 where labels is -1
    segment: dict


def _seps(text: str, words: Sequence[str]) -> list[str]:
    """The text joining each word to the previous one, recovered from the segment's text."""
    seps: list[str] = []
    pos = 0
    for k, w in enumerate(words):
        at = text.find(w, pos)
        if at < 0:
            seps.append(" " if k else "")
            continue
        seps.append(text[pos:at] if k else "")
        pos = at + len(w)
    return seps


def _segmenter(language_name: str):
    from ..align.backends.qwen3_words import MissingSegmenter, official_segmenter

    try:
        return official_segmenter(language_name)
    except MissingSegmenter as exc:
        raise LearnError(f"{language_name} needs the {exc.package} package (pip install 'wordsync[{exc.extra}]').") from None


def prepare_example(segment: dict, audio: np.ndarray, *, step_ms: float, num_labels: int, pseudo_weight: float) -> Example:
    """The model words of a segment and each timestamp slot's label and weight.

    ``audio`` is the segment's own samples (16 kHz); times are taken relative to its start.
    """
    from ..align.backends.qwen3 import language_name
    from ..align.backends.qwen3_words import plan_words

    lang = language_name(segment.get("language") or "en")
    words = list(segment["words"])
    plan = plan_words(words, _seps(segment["text"], words), lang, _segmenter(lang))
    owners: list[list[tuple[int, float, float]]] = [[] for _ in plan.model_words]
    for k, pieces in enumerate(plan.pieces):
        for p in pieces:
            owners[p.word].append((k, p.lo, p.hi))
    offset_ms = 1000.0 * float(segment["start"])
    labels: list[int] = []
    weights: list[float] = []
    for own in owners:
        times = [segment["timestamps"][k] for k, _, _ in own]
        if not own or any(t is None for t in times):
            labels += [-1, -1]
            weights += [0.0, 0.0]
            continue
        (k0, lo, _), (k1, _, hi) = own[0], own[-1]
        s0, e0 = segment["timestamps"][k0]
        s1, e1 = segment["timestamps"][k1]
        start = 1000.0 * (s0 + lo * (e0 - s0)) - offset_ms
        end = 1000.0 * (s1 + hi * (e1 - s1)) - offset_ms
        weight = 1.0 if all(segment["verified"][k] for k, _, _ in own) else pseudo_weight
        for t in (start, end):
            labels.append(int(min(num_labels - 1, max(0, math.floor(t / step_ms)))))
            weights.append(weight)
    return Example(audio, list(plan.model_words), labels, weights, segment)


def slot_positions(input_ids: Any, timestamp_token_id: int) -> list[list[int]]:
    """Per row, the positions of the ``<timestamp>`` tokens in the padded ids (left padding)."""
    rows = []
    for row in input_ids.tolist():
        rows.append([j for j, v in enumerate(row) if v == timestamp_token_id])
    return rows


def collate(processor: Any, timestamp_token_id: int, examples: Sequence[Example]) -> tuple[dict, Any, Any]:
    """A padded batch, its label tensor (-100 off the slots) and the matching weight tensor."""
    import torch

    from ..align.backends.qwen3 import build_prompt

    prompts = [build_prompt(processor, timestamp_token_id, ex.model_words) for ex in examples]
    inputs = processor(text=prompts, audio=[ex.audio for ex in examples], padding=True, return_tensors="pt")
    ids = inputs["input_ids"]
    labels = torch.full(ids.shape, -100, dtype=torch.long)
    weights = torch.zeros(ids.shape, dtype=torch.float32)
    for row, (positions, ex) in enumerate(zip(slot_positions(ids, timestamp_token_id), examples)):
        if len(positions) != len(ex.labels):
            raise LearnError(f"The prompt has {len(positions)} timestamp slots for {len(ex.model_words)} words; the tokenizer does not keep <timestamp> whole.")
        for pos, lab, w in zip(positions, ex.labels, ex.weights):
            if lab >= 0 and w > 0:
                labels[row, pos] = lab
                weights[row, pos] = w
    batch = {k: v for k, v in inputs.items() if k in ("input_ids", "attention_mask", "input_features", "input_features_mask")}
    return batch, labels, weights


def weighted_loss(logits: Any, labels: Any, weights: Any) -> Any:
    import torch

    mask = labels >= 0
    if not bool(mask.any()):
        return logits.sum() * 0.0
    ce = torch.nn.functional.cross_entropy(logits[mask].float(), labels[mask], reduction="none")
    w = weights[mask]
    return (ce * w).sum() / w.sum()


# -- loading ----------------------------------------------------------------------------------------


def is_adapter(folder: str | os.PathLike) -> bool:
    return (Path(folder).expanduser() / "adapter_config.json").is_file()


def _peft():
    try:
        import peft
    except ImportError:
        raise LearnError(msg("learn_needs_peft")) from None
    return peft


def _load_base(base: str, dtype: Any, *, allow_download: bool = True) -> tuple[Any, Path]:
    from transformers import AutoModelForTokenClassification

    from ..align.models import quiet_transformers, resolve_model

    quiet_transformers()  # transformers' own "Loading weights" bar is not ours to show

    folder = resolve_model(base, allow_download=allow_download)
    model = AutoModelForTokenClassification.from_pretrained(str(folder), dtype=dtype, use_safetensors=True, trust_remote_code=False)
    return model, folder


def load_token_classifier(folder: str | os.PathLike, dtype: Any, *, allow_download: bool = True) -> Any:
    """A Qwen3-ForcedAligner from a model folder, or from an adapter folder as its base + adapter (merged).

    Only safetensors are read: an adapter saved as a pickle (``adapter_model.bin``) is refused.
    """
    folder = Path(folder)
    if not is_adapter(folder):
        from transformers import AutoModelForTokenClassification

        return AutoModelForTokenClassification.from_pretrained(str(folder), dtype=dtype, use_safetensors=True, trust_remote_code=False)
    if not (folder / ADAPTER_WEIGHTS).is_file():
        raise LearnError(f"{folder} has no {ADAPTER_WEIGHTS} (Wordsync loads safetensors only).")
    config = json.loads((folder / "adapter_config.json").read_text(encoding="utf-8"))
    base = config.get("base_model_name_or_path")
    if not base:
        raise LearnError(f"{folder}/adapter_config.json does not name its base model.")
    model, _ = _load_base(str(base), dtype, allow_download=allow_download)
    peft = _peft()
    with warnings.catch_warnings():  # peft asks transformers a deprecated question: not the user's business
        warnings.filterwarnings("ignore", message=".*is_gradient_checkpointing.*", category=FutureWarning)
        adapted = peft.PeftModel.from_pretrained(model, str(folder), use_safetensors=True, is_trainable=False)
        return adapted.merge_and_unload()


# -- time estimate ----------------------------------------------------------------------------------


def estimate_seconds(segments: Sequence[dict], epochs: int, parameters: int, device: str) -> float:
    """Roughly how long training takes: audio per epoch x epochs x the measured cost per audio second."""
    audio_s = sum(float(s["end"]) - float(s["start"]) for s in segments)
    rate = CUDA_S_PER_AUDIO_S_06B if str(device).startswith("cuda") else CPU_S_PER_AUDIO_S_06B
    return audio_s * epochs * rate * max(parameters, 1) / 0.6e9


# -- training ---------------------------------------------------------------------------------------


def _digest(segments: Sequence[dict], settings: FinetuneSettings) -> str:
    h = hashlib.sha256()
    h.update(json.dumps(segments, sort_keys=True).encode())
    keep = {k: v for k, v in asdict(settings).items() if k not in ("device", "checkpoint_every")}
    h.update(json.dumps(keep, sort_keys=True).encode())
    return h.hexdigest()


class _Audio:
    """Recordings decoded once each, sliced per segment."""

    def __init__(self) -> None:
        self._cache: dict[str, np.ndarray] = {}

    def segment(self, seg: dict) -> np.ndarray:
        from ..audio import decode

        path = seg["audio_path"]
        if path not in self._cache:
            self._cache[path] = decode(path, envelope=False).samples
        audio = self._cache[path]
        a, b = int(round(float(seg["start"]) * 16000)), int(round(float(seg["end"]) * 16000))
        return np.ascontiguousarray(audio[a:b], dtype=np.float32)


def finetune(segments: Sequence[dict], out: str | os.PathLike, settings: FinetuneSettings, **options: Any) -> FinetuneResult:
    """Train a LoRA adapter on the ``train`` segments and write the model folder ``out``.

    Resumes from ``out/checkpoint`` when it was written for the same segments and settings.
    Raises :class:`aligner_core.progress.Cancelled` on cancel (after saving a checkpoint).
    Options: ``merge``, ``evaluate``, ``progress``, ``cancel``, ``log`` (see :func:`_finetune`).
    """
    with warnings.catch_warnings():  # peft asks transformers a deprecated question: not the user's business
        warnings.filterwarnings("ignore", message=".*is_gradient_checkpointing.*", category=FutureWarning)
        return _finetune(segments, out, settings, **options)


def _finetune(
    segments: Sequence[dict],
    out: str | os.PathLike,
    settings: FinetuneSettings,
    *,
    merge: bool = False,
    evaluate: bool = True,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    log: Callable[[str], None] | None = None,
) -> FinetuneResult:
    import torch

    from ..align.models import pick_device

    peft = _peft()
    from transformers import AutoProcessor

    report = progress or (lambda fraction, stage: None)
    say = log or (lambda line: None)
    out = Path(out)
    train = [s for s in segments if s.get("split", "train") == "train" and any(s["verified"])]
    held_out = [s for s in segments if s.get("split") == "eval" and any(s["verified"])]
    if not train:
        raise LearnError(msg("learn_empty_dataset", path=str(out)))
    device = pick_device(settings.device)
    on_cuda = device.startswith("cuda")
    dtype = torch.bfloat16 if on_cuda else torch.float32
    t_start = time.perf_counter()
    random.seed(settings.seed)
    np.random.seed(settings.seed)
    torch.manual_seed(settings.seed)

    from ..align.models import quiet_transformers

    quiet_transformers()  # our progress reports the loading; transformers' own bars stay off the terminal
    report(0.0, Stage("stage_learn_loading"))
    model, base_folder = _load_base(settings.base, dtype)
    processor = AutoProcessor.from_pretrained(str(base_folder))
    if getattr(processor.feature_extractor, "min_length", 0):  # as the backend: no silence padding
        processor.feature_extractor.min_length = 0
    config = model.config
    ts_id = int(config.timestamp_token_id)
    step_ms = float(getattr(config, "timestamp_segment_time", None) or getattr(processor, "timestamp_segment_time", 80))
    num_labels = int(config.num_labels)
    model.to(device)

    audio = _Audio()
    examples = [
        prepare_example(s, audio.segment(s), step_ms=step_ms, num_labels=num_labels, pseudo_weight=settings.pseudo_weight)
        for s in train
    ]
    _self_labels(model, processor, ts_id, examples, settings.self_weight, device, dtype)

    lora = peft.LoraConfig(
        task_type="TOKEN_CLS",
        r=settings.rank,
        lora_alpha=settings.alpha or 2 * settings.rank,
        lora_dropout=0.0,
        target_modules=TARGET_MODULES,
        modules_to_save=["score"],
    )
    model = peft.get_peft_model(model, lora)
    for name, p in model.named_parameters():  # the audio tower stays as it is, whatever peft decided
        if "audio_tower" in name:
            p.requires_grad_(False)
    if settings.gradient_checkpointing if settings.gradient_checkpointing is not None else on_cuda:
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
        model.enable_input_require_grads()
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=settings.lr, weight_decay=0.0)

    total = settings.epochs * len(examples)
    if settings.max_steps is not None:
        total = min(total, settings.max_steps)
    digest = _digest(list(train), settings)
    result = FinetuneResult(out=out, steps=total)
    step = _resume(model, optimizer, out / CHECKPOINT, digest, result)
    if step:
        say(f"resuming from step {step} of {total}")
    order = _order(len(examples), settings.epochs, settings.seed)
    first_step, t_loop = step, time.perf_counter()
    model.train()
    try:
        while step < total:
            if cancel is not None and cancel.cancelled:
                _save_checkpoint(model, optimizer, out / CHECKPOINT, digest, step, result)
                cancel.raise_if_cancelled()
            ex = examples[order[step]]
            batch, labels, weights = collate(processor, ts_id, [ex])
            batch = {k: (v.to(device, dtype) if k == "input_features" else v.to(device)) for k, v in batch.items()}
            with torch.autocast("cuda", dtype=torch.bfloat16, enabled=on_cuda):
                logits = model(**batch).logits
            loss = weighted_loss(logits, labels.to(device), weights.to(device))
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(trainable, 1.0)
            optimizer.step()
            step += 1
            result.losses.append(float(loss.detach()))
            # the estimate said before the start is a guess for this machine; the steps taken say better
            left = (time.perf_counter() - t_loop) / (step - first_step) * (total - step)
            report(0.05 + 0.8 * step / total, Stage("stage_learn_training", step=step, total=total, loss=result.losses[-1], left=_left(left)))
            if step % max(1, settings.checkpoint_every) == 0 and step < total:
                _save_checkpoint(model, optimizer, out / CHECKPOINT, digest, step, result)
    except KeyboardInterrupt:
        _save_checkpoint(model, optimizer, out / CHECKPOINT, digest, step, result)
        raise
    model.eval()

    report(0.86, Stage("stage_learn_saving"))
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(out), safe_serialization=True)
    _point_at_base(out, settings.base)
    processor.save_pretrained(str(out))
    shutil.copyfile(base_folder / "config.json", out / "config.json")  # so the folder reads as a Qwen3 aligner model
    if merge:
        report(0.88, Stage("stage_learn_merging"))
        merged_dir = out / "merged"
        merged = model.merge_and_unload()
        merged.save_pretrained(str(merged_dir), safe_serialization=True)
        processor.save_pretrained(str(merged_dir))
        result.merged = merged_dir
    del model
    if evaluate and held_out:
        report(0.9, Stage("stage_learn_measuring"))
        result.before = evaluate_model(settings.base, held_out, device, audio)
        result.after = evaluate_model(str(out), held_out, device, audio)
    result.seconds = time.perf_counter() - t_start
    _write_card(out, settings, result, len(train), len(held_out))
    shutil.rmtree(out / CHECKPOINT, ignore_errors=True)
    report(1.0, Stage("stage_learn_done"))
    return result


def _left(seconds: float) -> str:
    from .improve import duration_words

    return duration_words(seconds)


def _self_labels(model: Any, processor: Any, ts_id: int, examples: Sequence[Example], weight: float, device: str, dtype: Any) -> None:
    """Slots nobody labelled get the base model's own prediction (unmodified) at ``weight``."""
    import torch

    if weight <= 0:
        return
    model.eval()
    for ex in examples:
        if all(lab >= 0 for lab in ex.labels):
            continue
        batch, _, _ = collate(processor, ts_id, [ex])
        batch = {k: (v.to(device, dtype) if k == "input_features" else v.to(device)) for k, v in batch.items()}
        with torch.inference_mode():
            logits = model(**batch).logits[0]
        positions = slot_positions(batch["input_ids"], ts_id)[0]
        predicted = logits[positions].argmax(dim=-1).tolist()
        for j, lab in enumerate(ex.labels):
            if lab < 0:
                ex.labels[j] = int(predicted[j])
                ex.weights[j] = weight


def _order(n: int, epochs: int, seed: int) -> list[int]:
    rng = random.Random(seed)
    order: list[int] = []
    for _ in range(max(1, epochs)):
        epoch = list(range(n))
        rng.shuffle(epoch)
        order += epoch
    return order


def _point_at_base(out: Path, base: str) -> None:
    """The adapter names its base as the user gave it (a Hub id, or a folder made absolute)."""
    path = out / "adapter_config.json"
    config = json.loads(path.read_text(encoding="utf-8"))
    local = Path(os.path.expanduser(base))
    config["base_model_name_or_path"] = str(local.resolve()) if local.exists() else base
    atomic_write_text(path, json.dumps(config, indent=2) + "\n")


# -- checkpoints (safetensors + JSON: nothing is unpickled) ---------------------------------------------


def _save_checkpoint(model: Any, optimizer: Any, folder: Path, digest: str, step: int, result: FinetuneResult) -> None:
    import torch
    from peft import get_peft_model_state_dict
    from safetensors.torch import save_file

    tmp = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    save_file({k: v.detach().contiguous().cpu() for k, v in get_peft_model_state_dict(model).items()}, str(tmp / "adapter.safetensors"))
    tensors = {}
    state = optimizer.state_dict()
    for index, entry in state["state"].items():
        for key, value in entry.items():
            tensors[f"{index}.{key}"] = value.detach().contiguous().cpu() if hasattr(value, "detach") else torch.tensor(value)
    save_file(tensors, str(tmp / "optimizer.safetensors"))
    # the model's own dropout draws from torch's generator: the resumed run must draw the same
    rng = {"cpu": torch.get_rng_state()}
    if torch.cuda.is_available():
        rng.update({f"cuda{i}": s for i, s in enumerate(torch.cuda.get_rng_state_all())})
    save_file(rng, str(tmp / "rng.safetensors"))
    (tmp / "state.json").write_text(json.dumps({"digest": digest, "step": step, "losses": result.losses}), encoding="utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(tmp, folder)


def _resume(model: Any, optimizer: Any, folder: Path, digest: str, result: FinetuneResult) -> int:
    from peft import set_peft_model_state_dict
    from safetensors.torch import load_file

    try:
        state = json.loads((folder / "state.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 0
    if state.get("digest") != digest:  # another data set or other settings: start afresh
        return 0
    set_peft_model_state_dict(model, load_file(str(folder / "adapter.safetensors")))
    tensors = load_file(str(folder / "optimizer.safetensors"))
    saved = optimizer.state_dict()
    entries: dict[int, dict] = {}
    for key, value in tensors.items():
        index, name = key.split(".", 1)
        entries.setdefault(int(index), {})[name] = value
    saved["state"] = entries
    optimizer.load_state_dict(saved)
    import torch

    rng = load_file(str(folder / "rng.safetensors"))
    torch.set_rng_state(rng["cpu"])
    cuda = [rng[k] for k in sorted(rng) if k.startswith("cuda")]
    if cuda and torch.cuda.is_available() and len(cuda) == torch.cuda.device_count():
        torch.cuda.set_rng_state_all(cuda)
    result.losses = list(state.get("losses", []))
    result.resumed_from = int(state["step"])
    return int(state["step"])


# -- before / after ---------------------------------------------------------------------------------


def evaluate_model(model: str, segments: Sequence[dict], device: str, audio: _Audio | None = None) -> dict:
    """The aligner (as ``--aligner qwen3 --model MODEL`` runs it) scored on the segments' verified words."""
    from ..align.backends.qwen3_words import SpokenWord
    from ..align.registry import create_backend
    from .evaluate import norm, score

    audio = audio or _Audio()
    backend = create_backend("qwen3", model, device=device)
    items = []
    for n, seg in enumerate(segments):
        words = list(seg["words"])
        seps = _seps(seg["text"], words)
        spoken = [SpokenWord((norm(w),), w, sep) for w, sep in zip(words, seps)]
        timings = backend.align_window(audio.segment(seg), spoken, seg.get("language") or "en")
        offset = float(seg["start"])
        gold = [(norm(w), ts[0], ts[1]) for w, ts, v in zip(words, seg["timestamps"], seg["verified"]) if v and norm(w)]
        pred = [
            (norm(w), offset + t.start / 1000.0, offset + t.end / 1000.0)
            for w, t in zip(words, timings)
            if t.start is not None and t.end is not None and norm(w)
        ]
        items.append((f"segment {n}", gold, pred))
    return score(items).result


def _write_card(out: Path, settings: FinetuneSettings, result: FinetuneResult, n_train: int, n_eval: int) -> None:
    from .evaluate import before_after

    about = {
        "settings": asdict(settings),
        "steps": result.steps,
        "resumed_from": result.resumed_from,
        "losses": [round(x, 5) for x in result.losses],
        "train_segments": n_train,
        "eval_segments": n_eval,
        "seconds": round(result.seconds, 1),
        "before": result.before,
        "after": result.after,
        "merged": str(result.merged) if result.merged else None,
    }
    atomic_write_text(out / "training.json", json.dumps(about, indent=1) + "\n")
    lines = [
        "---",  # the metadata block model cards carry (peft reads it back when it saves again)
        "library_name: peft",
        f"base_model: {json.dumps(settings.base)}",
        "tags: [wordsync, forced-alignment, lora]",
        "---",
        "",
        "# Qwen3-ForcedAligner, adapted with Wordsync",
        "",
        f"A LoRA adapter (rank {settings.rank}) of `{settings.base}`, trained by `wordsync finetune` on "
        f"{n_train} segments of verified word times ({result.steps} steps, {settings.epochs} epoch(s), lr {settings.lr:g}, seed {settings.seed}).",
        "Use it with `wordsync align AUDIO TRANSCRIPT -o OUT --model THIS_FOLDER` (the base model is loaded and the adapter applied).",
        "",
        "## Before and after, on the held-out recordings",
        "",
    ]
    if result.before is not None and result.after is not None:
        lines.append(before_after(result.before, result.after))
    else:
        lines.append("No recording was held out for evaluation (build the data set with --eval-fraction above 0 and more than one recording).")
    if result.losses:
        lines += ["", f"Training loss: {result.losses[0]:.3f} at the first step, {result.losses[-1]:.3f} at the last."]
    atomic_write_text(out / "README.md", "\n".join(lines) + "\n")
