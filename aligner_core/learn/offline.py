"""Teaching the offline aligner from a training set: re-align, compare with the verified words, fit.

The project only keeps the corrected times, not what the aligner said before the person moved
them, so every training segment is aligned again with nothing locked; the verified words of the
same segment are the truth. The held-out segments measure the offsets before they are trusted.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..document import Token
from ..fileio import atomic_write_text
from ..progress import CancelToken, ProgressCallback, Stage
from . import adapt
from .evaluate import before_after, norm, score, words_of_tokens


@dataclass
class OfflineResult:
    out: Path
    model: adapt.OffsetModel
    before: dict | None = None
    after: dict | None = None


def _tokens(segment: dict, timings) -> tuple[list[Token], list[Token]]:
    """(what the aligner gave, the verified truth as locked tokens), times in ms of the recording."""
    offset = round(1000 * float(segment["start"]))
    predicted, reference = [], []
    for word, t, ts, v in zip(segment["words"], timings, segment["timestamps"], segment["verified"]):
        units = (norm(word),) if norm(word) else ()
        aligned = t.start is not None and t.end is not None
        predicted.append(Token(word, units, offset + t.start if aligned else None, offset + t.end if aligned else None))
        truth = ts is not None and v
        reference.append(Token(word, units, round(1000 * ts[0]) if truth else None, round(1000 * ts[1]) if truth else None, locked=bool(truth)))
    return predicted, reference


def realign(segments: Sequence[dict], progress: ProgressCallback | None = None, cancel: CancelToken | None = None) -> list[tuple[list[Token], list[Token]]]:
    """Every segment aligned afresh by the offline aligner, with its verified truth."""
    from ..align.registry import create_backend
    from .lora import _Audio

    backend = create_backend("sphinx")
    audio = _Audio()
    out = []
    for n, seg in enumerate(segments):
        if cancel is not None:
            cancel.raise_if_cancelled()
        words = [(norm(w),) if norm(w) else (w,) for w in seg["words"]]
        timings = backend.align_window(audio.segment(seg), words, seg.get("language") or "en", cancel=cancel)
        out.append(_tokens(seg, timings))
        if progress is not None:
            progress((n + 1) / max(1, len(segments)), Stage("stage_learn_segment", number=n + 1, count=len(segments)))
    return out


def _scored(pairs, model: adapt.OffsetModel | None) -> dict:
    items = []
    for k, (predicted, reference) in enumerate(pairs):
        tokens = adapt.apply(model, predicted) if model is not None else predicted
        gold = words_of_tokens([t for t in reference if t.locked])
        items.append((f"segment {k}", gold, words_of_tokens(tokens)))
    return score(items).result


def learn_offline(segments: Sequence[dict], out: str | os.PathLike, progress: ProgressCallback | None = None, cancel: CancelToken | None = None) -> OfflineResult:
    """Fit the offsets on the ``train`` segments, measure on the ``eval`` ones, write ``out``."""
    train = [s for s in segments if s.get("split", "train") == "train"]
    held = [s for s in segments if s.get("split") == "eval"]
    report = progress or (lambda fraction, stage: None)
    pairs = realign(train, lambda f, s: report(0.7 * f * len(train) / max(1, len(segments)), s), cancel)
    model = adapt.fit((adapt.Example(p, r) for p, r in pairs), language=(train[0].get("language") or "en") if train else "en")
    result = OfflineResult(Path(out), model)
    if held:
        held_pairs = realign(held, lambda f, s: report(0.7 + 0.25 * f, s), cancel)
        result.before, result.after = _scored(held_pairs, None), _scored(held_pairs, model)
    adapt.save_model(model, out, {"train_segments": len(train), "eval_segments": len(held), "before": result.before, "after": result.after})
    lines = [
        "# The offline aligner, adapted with Wordsync",
        "",
        f"Boundary offsets learned from {model.boundaries} verified boundaries in {len(train)} segments.",
        "Use it with `wordsync align AUDIO TRANSCRIPT -o OUT --model THIS_FOLDER` (the offline aligner, then these offsets; locked words never move).",
        "",
        "## Before and after, on the held-out recordings",
        "",
        before_after(result.before, result.after) if held else "No recording was held out for evaluation.",
    ]
    atomic_write_text(Path(out) / "README.md", "\n".join(lines) + "\n")
    report(1.0, Stage("stage_learn_done"))
    return result


__all__ = ["OfflineResult", "learn_offline", "realign"]
