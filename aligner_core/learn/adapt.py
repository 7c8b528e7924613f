"""The offline aligner learns from corrections: boundary offsets by context, applied after alignment.

PocketSphinx's acoustic model cannot be fine-tuned from a few dozen words, but its mistakes on one
speaker or show are systematic: it ends words before a pause too early after a nasal, starts
words after a pause late, and so on. From the user's verified boundaries (locked words) and what
the aligner gives for the same words without them, we learn the mean offset of each kind of
boundary, in a hierarchy of contexts:

* the boundary's kind: a word start after a pause, a word end before a pause, or a junction
  (one word ends where the next begins; both sides move together, so no gap or overlap appears);
* the phone class on each side of it (vowel, stop, fricative, nasal, liquid/glide, affricate),
  from the offline aligner's own dictionary and letter-to-sound rules.

Each level's mean is shrunk towards its parent's (``n / (n + prior)``) and residuals are clipped,
so a context seen twice barely moves anything and one bad label cannot throw a boundary far; an
unseen context falls back to its kind, and a kind never seen stays where the aligner put it.
Applying never touches a locked word, never crosses a neighbour and never makes a word shorter
than :data:`aligner_core.edits.MIN_WORD_MS`.

The model is a small JSON file (``adaptation.json``); a folder holding it is an aligner model
for ``--model DIR`` (the offline aligner, then these offsets).
"""

from __future__ import annotations

import functools
import json
import math
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Sequence

from ..document import Token
from ..edits import MIN_WORD_MS
from ..fileio import atomic_write_text

__all__ = [
    "ADAPTATION_FILE",
    "Boundary",
    "Example",
    "OffsetModel",
    "adapt_timings",
    "apply",
    "boundaries",
    "fit",
    "is_adaptation",
    "load_model",
    "save_model",
]

ADAPTATION_FILE = "adaptation.json"
FORMAT = "wordsync-sphinx-adaptation"
#: a gap between two predicted words longer than this is a pause: the edges move on their own
PAUSE_MS = 20
#: residuals beyond this are label or alignment blunders, not a bias to learn
CLIP_MS = 40.0
#: how many boundaries a context needs before its own mean counts as much as its parent's
PRIOR = 6.0

_CLASSES = {
    "V": "AA AE AH AO AW AY EH ER EY IH IY OW OY UH UW",
    "S": "P B T D K G",
    "F": "F V TH DH S Z SH ZH HH",
    "N": "M N NG",
    "L": "L R W Y",
    "A": "CH JH",
}
_PHONE_CLASS = {p: c for c, phones in _CLASSES.items() for p in phones.split()}


@dataclass(frozen=True)
class Boundary:
    """One movable boundary: the end of ``left`` and/or the start of ``right`` (token indices)."""

    kind: str  # "start" (after a pause), "end" (before a pause) or "junction"
    left: int | None
    right: int | None
    time: int
    context: tuple[str, ...]  # phone classes: (right's first,), (left's last,) or (left's last, right's first)

    def keys(self) -> list[str]:
        """From the most general context to the most specific."""
        return [self.kind] + [":".join((self.kind, *self.context[: k + 1])) for k in range(len(self.context))]


@dataclass(frozen=True)
class Example:
    """What the aligner gave (``predicted``) and the user's verified times (``reference``: its
    locked, aligned tokens) for the same tokens of one recording."""

    predicted: Sequence[Token]
    reference: Sequence[Token]


@dataclass
class OffsetModel:
    """Mean offsets (aligner minus truth, ms) per context key, with how many boundaries taught each."""

    stats: dict[str, tuple[float, int]] = field(default_factory=dict)  # key -> (sum of clipped residuals, count)
    prior: float = PRIOR
    language: str = "en"

    @property
    def boundaries(self) -> int:
        return sum(n for key, (_, n) in self.stats.items() if ":" not in key)

    def offset(self, boundary: Boundary) -> float:
        """The learned offset of a boundary (0 when nothing like it was seen)."""
        value = 0.0
        for key in boundary.keys():
            total, n = self.stats.get(key, (0.0, 0))
            if n == 0:
                break
            value = (total + self.prior * value) / (n + self.prior)
        return value

    def to_json(self) -> dict:
        return {
            "format": FORMAT,
            "version": 1,
            "language": self.language,
            "prior": self.prior,
            "stats": {k: [round(s, 3), n] for k, (s, n) in sorted(self.stats.items())},
        }

    @classmethod
    def from_json(cls, data: object) -> "OffsetModel":
        if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("version") != 1:
            raise ValueError("not a Wordsync offline-aligner adaptation (format 1)")
        stats: dict[str, tuple[float, int]] = {}
        raw = data.get("stats")
        if not isinstance(raw, dict):
            raise ValueError("its offsets are missing")
        for key, value in raw.items():
            ok = isinstance(value, list) and len(value) == 2 and isinstance(value[0], (int, float)) and isinstance(value[1], int)
            if not ok or isinstance(value[1], bool) or value[1] < 0 or not math.isfinite(value[0]):
                raise ValueError(f"the offset {key!r} is not a [sum, count] pair")
            stats[key] = (float(value[0]), int(value[1]))
        return cls(stats, float(data.get("prior", PRIOR)), str(data.get("language", "en")))


@functools.lru_cache(maxsize=1)
def _lexicon():
    from ..align.pronounce import Lexicon

    return Lexicon()


@functools.lru_cache(maxsize=50000)
def _edge_classes(units: tuple[str, ...]) -> tuple[str, str]:
    """Classes of a token's first and last phone ("?" when it has no reading)."""
    try:
        readings = _lexicon().pronounce(units).readings
    except Exception:  # noqa: BLE001 - a word we cannot pronounce just has no context
        readings = ()
    phones = [p for word in (readings[0] if readings else ()) for p in word.phones.split()]
    if not phones:
        return "?", "?"
    return _PHONE_CLASS.get(phones[0].rstrip("012"), "?"), _PHONE_CLASS.get(phones[-1].rstrip("012"), "?")


def boundaries(tokens: Sequence[Token]) -> list[Boundary]:
    """Every boundary of the aligned tokens, in time order (unaligned tokens are skipped)."""
    aligned = [i for i, t in enumerate(tokens) if t.aligned]
    out: list[Boundary] = []
    for k, i in enumerate(aligned):
        tok = tokens[i]
        first, last = _edge_classes(tuple(tok.units) or (tok.text,))
        prev = aligned[k - 1] if k else None
        if prev is None or tok.start - tokens[prev].end > PAUSE_MS:  # type: ignore[operator]
            out.append(Boundary("start", None, i, int(tok.start), (first,)))  # type: ignore[arg-type]
        nxt = aligned[k + 1] if k + 1 < len(aligned) else None
        if nxt is not None and tokens[nxt].start - tok.end <= PAUSE_MS:  # type: ignore[operator]
            right_first = _edge_classes(tuple(tokens[nxt].units) or (tokens[nxt].text,))[0]
            # one boundary: where the gap (if any) is split evenly
            time = (int(tok.end) + int(tokens[nxt].start)) // 2  # type: ignore[arg-type]
            out.append(Boundary("junction", i, nxt, time, (last, right_first)))
        else:
            out.append(Boundary("end", i, None, int(tok.end), (last,)))  # type: ignore[arg-type]
    return out


def _truth(boundary: Boundary, reference: Sequence[Token]) -> float | None:
    """The verified time of a boundary, when every word it touches is verified."""
    sides = [j for j in (boundary.left, boundary.right) if j is not None]
    if not all(reference[j].locked and reference[j].aligned for j in sides):
        return None
    if boundary.kind == "start":
        return float(reference[boundary.right].start)  # type: ignore[index, arg-type]
    if boundary.kind == "end":
        return float(reference[boundary.left].end)  # type: ignore[index, arg-type]
    return (reference[boundary.left].end + reference[boundary.right].start) / 2.0  # type: ignore[index, operator]


def fit(examples: Iterable[Example], *, prior: float | None = None, language: str = "en") -> OffsetModel:
    """Learn the offsets from every boundary whose words the user verified."""
    sums: dict[str, list[float]] = {}
    for ex in examples:
        if len(ex.predicted) != len(ex.reference):
            raise ValueError("an example's predicted and reference tokens differ in number")
        for b in boundaries(ex.predicted):
            truth = _truth(b, ex.reference)
            if truth is None:
                continue
            residual = max(-CLIP_MS, min(CLIP_MS, b.time - truth))
            for key in b.keys():
                acc = sums.setdefault(key, [0.0, 0])
                acc[0] += residual
                acc[1] += 1
    return OffsetModel({k: (s, int(n)) for k, (s, n) in sums.items()}, PRIOR if prior is None else prior, language)


def apply(model: OffsetModel, tokens: Sequence[Token], duration_ms: int | None = None) -> list[Token]:
    """The tokens with every boundary corrected by its learned offset; locked tokens never move.

    A boundary moves only within the room its neighbours leave (each word keeps at least
    :data:`MIN_WORD_MS`, or its own length when shorter), so the order of words never changes.
    """
    out = list(tokens)
    limit = duration_ms if duration_ms is not None else 2**62
    for b in boundaries(tokens):
        sides = [j for j in (b.left, b.right) if j is not None]
        if any(out[j].locked for j in sides):
            continue
        shift = model.offset(b)
        if abs(shift) < 0.5:
            continue
        if b.kind == "start":
            tok = out[b.right]  # type: ignore[index]
            prev_end = _prev_end(out, b.right)  # type: ignore[arg-type]
            hi = tok.end - min(MIN_WORD_MS, tok.end - tok.start)
            out[b.right] = replace(tok, start=_clamp(round(tok.start - shift), max(prev_end, 0), hi, tok.start))  # type: ignore[index]
        elif b.kind == "end":
            tok = out[b.left]  # type: ignore[index]
            nxt_start = _next_start(out, b.left, limit)  # type: ignore[arg-type]
            lo = tok.start + min(MIN_WORD_MS, tok.end - tok.start)
            out[b.left] = replace(tok, end=_clamp(round(tok.end - shift), lo, nxt_start, tok.end))  # type: ignore[index]
        else:
            left, right = out[b.left], out[b.right]  # type: ignore[index]
            lo = left.start + min(MIN_WORD_MS, left.end - left.start)
            hi = right.end - min(MIN_WORD_MS, right.end - right.start)
            if lo > hi:
                continue
            delta = round(-shift)
            new_end = _clamp(left.end + delta, lo, hi, left.end)
            new_start = _clamp(right.start + delta, lo, hi, right.start)
            if new_start < new_end:  # a gap between them stays a gap: never an overlap
                new_start = new_end
            out[b.left] = replace(left, end=new_end)  # type: ignore[index]
            out[b.right] = replace(right, start=new_start)  # type: ignore[index]
    return out


def _clamp(value: int, lo: int, hi: int, keep: int) -> int:
    """``value`` within [lo, hi]; ``keep`` (the time as it was) when there is no room at all."""
    return max(lo, min(hi, value)) if lo <= hi else keep


def _prev_end(tokens: Sequence[Token], index: int) -> int:
    for j in range(index - 1, -1, -1):
        if tokens[j].aligned:
            return int(tokens[j].end)  # type: ignore[arg-type]
    return 0


def _next_start(tokens: Sequence[Token], index: int, limit: int) -> int:
    for j in range(index + 1, len(tokens)):
        if tokens[j].aligned:
            return int(tokens[j].start)  # type: ignore[arg-type]
    return limit


def adapt_timings(model: OffsetModel, words: Sequence[Sequence[str]], timings: Sequence, duration_ms: int) -> list:
    """A backend window's :class:`WordTiming` list corrected by the model (what ``--model DIR`` runs)."""
    tokens = [Token(text="".join(w), units=tuple(w), start=t.start, end=t.end) for w, t in zip(words, timings)]
    fixed = apply(model, tokens, duration_ms)
    return [replace(t, start=f.start, end=f.end) for t, f in zip(timings, fixed)]


def is_adaptation(path: str | os.PathLike) -> bool:
    """Whether ``path`` is a folder holding an offline-aligner adaptation."""
    return (Path(path).expanduser() / ADAPTATION_FILE).is_file()


def save_model(model: OffsetModel, folder: str | os.PathLike, extra: dict | None = None) -> Path:
    """Write ``folder/adaptation.json`` atomically (the folder is made when missing)."""
    target = Path(folder) / ADAPTATION_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    data = model.to_json()
    if extra:
        data["about"] = extra
    atomic_write_text(target, json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    return target


def load_model(folder: str | os.PathLike) -> OffsetModel:
    path = Path(folder).expanduser()
    if path.is_dir():
        path = path / ADAPTATION_FILE
    with open(path, encoding="utf-8") as fh:
        return OffsetModel.from_json(json.load(fh))
