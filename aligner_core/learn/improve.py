"""One call for "improve the aligner from my corrections": plan (what, how much, how long), then run.

The editor's dialog and any other front end use this; the CLI's ``dataset`` and ``finetune``
are the same steps taken one at a time.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from ..progress import CancelToken, ProgressCallback
from .dataset import Dataset, dataset_from_projects, hold_out_tail

if TYPE_CHECKING:
    from ..project import Project

#: the offline aligner's speed on timit_dev (bench/accuracy.py: RTF 0.013); doubled for slower machines
SPHINX_RTF = 0.03


@dataclass(frozen=True)
class Plan:
    aligner: str  # "sphinx" (offsets) or "qwen3" (LoRA)
    base: str | None  # the Qwen3 model adapted
    language: str
    verified_words: int
    train_segments: int
    eval_segments: int
    audio_s: float
    estimate_s: float | None  # None: unknown (the base model is not on disk)
    tail_held_out: bool  # one recording: its last segments measure before/after


@dataclass(frozen=True)
class Outcome:
    out: Path
    aligner: str
    before: dict | None
    after: dict | None


def duration_words(seconds: float) -> str:
    """A time span as people say it: "40 s", "12 min", "2.5 h"."""
    if seconds < 90:
        return f"{max(1, round(seconds))} s"
    if seconds < 5400:
        return f"{round(seconds / 60)} min"
    return f"{seconds / 3600:.1f} h"


def parameters_of(base: str) -> int | None:
    """Roughly how many parameters a Qwen3-ForcedAligner on disk has (from its config), else None."""
    from ..align.models import resolve_model

    try:
        config = json.loads((resolve_model(base, allow_download=False) / "config.json").read_text(encoding="utf-8"))
    except Exception:  # noqa: BLE001 - not downloaded or unreadable: no estimate
        return None
    text = config.get("text_config") or config.get("thinker_config", {}).get("text_config", {}) or {}
    audio = config.get("audio_config") or config.get("thinker_config", {}).get("audio_config", {}) or {}
    h, layers = int(text.get("hidden_size", 1024)), int(text.get("num_hidden_layers", 28))
    d, enc = int(audio.get("d_model", 1024)), int(audio.get("encoder_layers", 24))
    vocab = int(text.get("vocab_size", 152064))
    return 12 * layers * h * h + 12 * enc * d * d + vocab * h


def plan(projects: Sequence[tuple[str, "Project"]], aligner: str, base: str | None, device: str = "auto", *, eval_fraction: float = 0.2) -> tuple[Plan, Dataset]:
    """What improving ``aligner`` from these projects involves; raises LearnError for unusable input."""
    dataset = dataset_from_projects(projects, eval_fraction=eval_fraction, pseudo_labels=aligner != "sphinx")
    tail = hold_out_tail(dataset, eval_fraction) if eval_fraction > 0 else False
    train = [d for d in dataset.lines if d["split"] == "train"]
    held = [d for d in dataset.lines if d["split"] == "eval"]
    audio_s = sum(d["end"] - d["start"] for d in dataset.lines)
    if aligner == "sphinx":
        estimate: float | None = 2.0 + audio_s * SPHINX_RTF
    else:
        from ..align.models import pick_device
        from .lora import estimate_seconds

        params = parameters_of(base or "")
        try:
            where = pick_device(device)
        except Exception:  # noqa: BLE001
            where = "cpu"
        estimate = None if params is None else estimate_seconds(train, 3, params, where) + estimate_seconds(held, 2, params, where) / 3
    language = str(dataset.lines[0].get("language") or "en")
    verified = sum(sum(d["verified"]) for d in dataset.lines)
    return Plan(aligner, base, language, verified, len(train), len(held), audio_s, estimate, tail), dataset


def run(p: Plan, dataset: Dataset, out: str | os.PathLike, device: str = "auto", progress: ProgressCallback | None = None, cancel: CancelToken | None = None) -> Outcome:
    """Learn from the dataset into ``out`` and measure before/after on its held-out part."""
    if p.aligner == "sphinx":
        from .offline import learn_offline

        result = learn_offline(dataset.lines, out, progress=progress, cancel=cancel)
        return Outcome(Path(out), "sphinx", result.before, result.after)
    from .lora import FinetuneSettings, finetune

    done = finetune(dataset.lines, out, FinetuneSettings(base=p.base or "", device=device), progress=progress, cancel=cancel)
    return Outcome(Path(out), "qwen3", done.before, done.after)
