"""Corrected projects -> training segments for an aligner, one JSON object a line.

Each line is one stretch of one recording, cut at pauses and at most ``max_s`` long (the window a
fine-tuned aligner is trained on)::

    {"audio_path": "/abs/talk.wav", "start": 12.34, "end": 27.9, "text": "Hello, world.",
     "language": "en", "words": ["Hello,", "world."], "timestamps": [[12.5, 12.9], [13.0, 13.4]],
     "verified": [true, false], "recording": "fp1:...", "split": "train"}

Times are seconds of the whole recording. A *verified* word is one the user locked (a locked word
is one whose times a person vouches for; a word still flagged DRAFT by a recogniser never is).
Other words carry the current times as pseudo-labels with ``--pseudo-labels`` (``verified`` false)
and ``null`` times otherwise; training weights them below verified ones or leaves them out. Only
segments holding at least one verified word are written.

The split into ``train`` and ``eval`` is by recording (never two segments of one recording on both
sides, which would make the evaluation read its own training data): recordings are ordered by a
hash of their fingerprint, so the split is stable from run to run.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from ..document import Flag, Token, tokens_text
from ..fileio import atomic_write_text
from ..messages import Names, msg
from . import LearnError

if TYPE_CHECKING:
    from ..project import Project

__all__ = ["Dataset", "build_dataset", "dataset_bytes", "dataset_from_projects", "hold_out_tail", "is_verified", "read_dataset", "segments_of", "write_dataset"]

#: silence kept around a segment's first and last word (at most half the gap to the neighbour)
MARGIN_MS = 200
MAX_SEGMENT_S = 30.0
#: a silence this long always ends a segment (no training window is mostly silence)
LONG_SILENCE_MS = 2000


def is_verified(token: Token) -> bool:
    """Times a person vouches for: locked, aligned, not a recogniser's unreviewed draft."""
    return token.locked and token.aligned and not (token.flags & Flag.DRAFT)


@dataclass
class Dataset:
    lines: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # projects skipped and why, in plain words

    def count(self, split: str | None = None) -> tuple[int, int]:
        """(segments, verified words) in a split (or in all)."""
        chosen = [d for d in self.lines if split is None or d["split"] == split]
        return len(chosen), sum(sum(d["verified"]) for d in chosen)


def segments_of(tokens: Sequence[Token], duration_ms: int | None, *, max_s: float = MAX_SEGMENT_S, pseudo_labels: bool = False) -> list[dict]:
    """The segments of one recording's tokens (without audio path, language or split)."""
    max_ms = int(max_s * 1000)
    runs: list[list[int]] = []
    current: list[int] = []
    for i, tok in enumerate(tokens):
        if not tok.aligned:  # nobody knows where its speech is: no segment may hold it
            if current:
                runs.append(current)
            current = []
            continue
        if current:
            gap = tok.start - tokens[current[-1]].end  # type: ignore[operator]
            too_long = tok.end - tokens[current[0]].start > max_ms - 2 * MARGIN_MS  # type: ignore[operator]
            if too_long:
                cut = _best_cut(tokens, current)
                runs.append(current[:cut])
                current = current[cut:]
            elif gap >= LONG_SILENCE_MS:  # a long silence ends a segment whatever its length
                runs.append(current)
                current = []
        current.append(i)
    if current:
        runs.append(current)
    out = []
    for k, run in enumerate(runs):
        first, last = tokens[run[0]], tokens[run[-1]]
        before = _prev_end(tokens, run[0])
        after = _next_start(tokens, run[-1], duration_ms)
        start = max(0, first.start - min(MARGIN_MS, (first.start - before) // 2))  # type: ignore[operator]
        end = last.end + min(MARGIN_MS, (after - last.end) // 2) if after is not None else last.end + MARGIN_MS  # type: ignore[operator]
        if duration_ms is not None:
            end = min(end, duration_ms)
        words = [tokens[i] for i in run]
        verified = [is_verified(t) for t in words]
        if not any(verified):
            continue
        out.append({
            "start": start / 1000.0,
            "end": end / 1000.0,
            "text": tokens_text(words),
            "words": [t.text for t in words],
            "timestamps": [[t.start / 1000.0, t.end / 1000.0] if (v or pseudo_labels) else None for t, v in zip(words, verified)],  # type: ignore[operator]
            "verified": verified,
        })
    return out


def _best_cut(tokens: Sequence[Token], run: list[int]) -> int:
    """Where to cut a run that grew too long: at the widest pause of its second half."""
    best, best_gap = len(run) - 1, -1
    for k in range(max(1, len(run) // 2), len(run)):
        gap = tokens[run[k]].start - tokens[run[k - 1]].end  # type: ignore[operator]
        if gap >= best_gap:
            best, best_gap = k, gap
    return max(1, best)


def _prev_end(tokens: Sequence[Token], index: int) -> int:
    for j in range(index - 1, -1, -1):
        if tokens[j].end is not None:
            return int(tokens[j].end)  # type: ignore[arg-type]
    return 0


def _next_start(tokens: Sequence[Token], index: int, duration_ms: int | None) -> int | None:
    for j in range(index + 1, len(tokens)):
        if tokens[j].start is not None:
            return int(tokens[j].start)  # type: ignore[arg-type]
    return duration_ms


def build_dataset(
    project_paths: Sequence[str | os.PathLike],
    *,
    eval_fraction: float = 0.2,
    pseudo_labels: bool = False,
    language: str | None = None,
    max_s: float = MAX_SEGMENT_S,
) -> Dataset:
    """Segments of every project file's verified words, split into train and eval by recording.

    Raises :class:`LearnError` for a project that cannot be used (not a project, audio moved or
    replaced, another language) and when no project holds a verified word.
    """
    from ..project import ProjectError, load_project

    loaded = []
    for path in project_paths:
        try:
            loaded.append((Path(path).name, load_project(path)))
        except (ProjectError, OSError, ValueError) as exc:
            raise LearnError(msg("learn_not_project", path=str(path), reason=str(exc).rstrip("."))) from None
    return dataset_from_projects(loaded, eval_fraction=eval_fraction, pseudo_labels=pseudo_labels, language=language, max_s=max_s)


def dataset_from_projects(
    projects: Sequence[tuple[str, "Project"]],
    *,
    eval_fraction: float = 0.2,
    pseudo_labels: bool = False,
    language: str | None = None,
    max_s: float = MAX_SEGMENT_S,
) -> Dataset:
    """:func:`build_dataset` for projects already in memory (the editor's open document among them),
    each with the name it is shown by."""
    if not 0.0 <= eval_fraction < 1.0:
        raise ValueError("--eval-fraction must be at least 0 and below 1")
    dataset = Dataset()
    recordings: dict[str, list[dict]] = {}
    expected = language
    for name, project in projects:
        doc = project.document
        if project.audio_path is None:
            raise LearnError(msg("learn_no_audio", project=name))
        if project.audio_missing:
            raise LearnError(msg("learn_audio_missing", project=name, path=str(project.audio_path)))
        if project.audio_mismatch:
            raise LearnError(msg("learn_audio_changed", project=name, path=str(project.audio_path)))
        lang = (doc.language or "").split("-")[0].lower()
        if expected is None:
            expected = lang
        elif lang != expected.split("-")[0].lower():
            raise LearnError(msg("learn_language_mixed", project=name, language=doc.language, expected=expected))
        segments = segments_of(doc.tokens, doc.duration_ms, max_s=max_s, pseudo_labels=pseudo_labels)
        if not segments:
            dataset.notes.append(f"{name}: no verified word, skipped")
            continue
        key = project.audio_fingerprint or str(Path(project.audio_path).resolve())
        for seg in segments:
            seg.update({"audio_path": str(Path(project.audio_path).resolve()), "language": doc.language, "recording": key})
        recordings.setdefault(key, []).extend(segments)
    if not recordings:
        raise LearnError(msg("learn_no_verified", projects=Names(name for name, _ in projects)))
    order = sorted(recordings, key=lambda k: hashlib.sha256(k.encode()).hexdigest())
    n_eval = round(eval_fraction * len(order))
    if eval_fraction > 0 and n_eval == 0 and len(order) > 1:
        n_eval = 1
    if n_eval >= len(order):  # the training side keeps at least one recording
        n_eval = len(order) - 1
    if eval_fraction > 0 and n_eval == 0:
        dataset.notes.append("one recording only: nothing held out for evaluation")
    held_out = set(order[:n_eval])
    for key in sorted(recordings, key=lambda k: (k in held_out, order.index(k))):
        for seg in recordings[key]:
            ordered = {k: seg[k] for k in ("audio_path", "start", "end", "text", "language", "words", "timestamps", "verified", "recording")}
            ordered["split"] = "eval" if key in held_out else "train"
            dataset.lines.append(ordered)
    return dataset


def hold_out_tail(dataset: Dataset, fraction: float = 0.2) -> bool:
    """With a single recording, hold out its last segments instead (at least one, never all).

    Only for measuring before/after inside one recording (the editor's open document): the held-out
    part is later speech of the same voice, so it flatters a little less than random segments
    would, but more than another recording. False when there is nothing to split.
    """
    if any(d["split"] == "eval" for d in dataset.lines) or len(dataset.lines) < 2:
        return False
    n = min(len(dataset.lines) - 1, max(1, round(fraction * len(dataset.lines))))
    for line in dataset.lines[-n:]:
        line["split"] = "eval"
    return True


def dataset_bytes(dataset: Dataset) -> bytes:
    """The segments as JSON lines (UTF-8)."""
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in dataset.lines).encode("utf-8")


def write_dataset(dataset: Dataset, path: str | os.PathLike) -> None:
    """Write the segments as JSON lines, atomically."""
    atomic_write_text(path, dataset_bytes(dataset).decode("utf-8"))


_FIELDS = {"audio_path": str, "start": (int, float), "end": (int, float), "text": str, "words": list, "timestamps": list, "verified": list}


def read_dataset(path: str | os.PathLike) -> list[dict]:
    """The segments of a training file, checked line by line (one clear sentence for a bad line)."""
    shown = str(path)
    out: list[dict] = []
    with open(path, encoding="utf-8") as fh:
        for lineno, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                item = json.loads(raw)
            except ValueError as exc:
                raise LearnError(msg("learn_bad_dataset", path=shown, line=lineno, reason=f"not JSON ({exc.msg})")) from None
            reason = _problem(item)
            if reason:
                raise LearnError(msg("learn_bad_dataset", path=shown, line=lineno, reason=reason))
            item.setdefault("split", "train")
            item.setdefault("language", "en")
            out.append(item)
    if not any(any(d["verified"]) for d in out):
        raise LearnError(msg("learn_empty_dataset", path=shown))
    return out


def _problem(item: object) -> str | None:
    if not isinstance(item, dict):
        return "not an object"
    for key, kind in _FIELDS.items():
        if not isinstance(item.get(key), kind) or isinstance(item.get(key), bool):
            return f"{key!r} is missing or of the wrong type"
    n = len(item["words"])
    if len(item["timestamps"]) != n or len(item["verified"]) != n:
        return "words, timestamps and verified differ in length"
    if not item["end"] > item["start"] >= 0:
        return "its end is not after its start"
    for ts, v in zip(item["timestamps"], item["verified"]):
        if ts is None:
            if v:
                return "a verified word has no times"
            continue
        if not (isinstance(ts, list) and len(ts) == 2 and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in ts)) or ts[0] > ts[1]:
            return "a word's times are not [start, end]"
    return None
