"""Word-boundary accuracy against gold times, matched exactly as the shared reference scorer matches.

``../shared/eval/score.py`` is the reference for every accuracy claim; this is the same
normalisation (lower case, punctuation stripped, hyphens kept for the merge), the same in-order
matching (difflib's longest matching subsequence, a hyphenated word on one side merged with its
parts on the other) and the same summary numbers, so ``wordsync evaluate``, the fine-tune's and the
adaptation's before/after tables and the benchmarks all give the numbers score.py gives
(tests/core/test_learn_evaluate.py runs both on the same files).

Words without times (an aligner's "not found") are left out of the prediction: they count as
unmatched, never as an error of zero.
"""

from __future__ import annotations

import difflib
import json
import re
import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

__all__ = ["Word", "format_report", "load_words", "match", "norm", "score", "summarize", "words_of_tokens"]

_PUNCT = re.compile(r"[^\w'\-]+", re.UNICODE)

#: (normalised word, start s, end s), as score.py keeps them
Word = tuple[str, float, float]


def norm(word: str) -> str:
    word = word.lower().replace("\u2019", "'")
    word = _PUNCT.sub("", word)
    return word.strip("'-")


def _words(items: Iterable[dict]) -> list[Word]:
    out: list[Word] = []
    for item in items:
        if not isinstance(item, dict):
            raise ValueError("a word entry is not an object with word, start and end")
        text = item.get("word", item.get("text"))
        start = item.get("start", item.get("start_time"))
        end = item.get("end", item.get("end_time"))
        w = norm(str(text if text is not None else ""))
        if not w or start is None or end is None:
            continue
        out.append((w, float(start), float(end)))
    return out


def load_words(path: str | Path) -> list[Word]:
    """Words of a JSON file: a list of ``{"word", "start", "end"}`` (seconds) or Wordsync's word JSON."""
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    if isinstance(data, dict):  # Wordsync's / WhisperX's {"words": [...]} as score.py tolerates it
        data = data.get("words", data.get("segments", []))
    if not isinstance(data, list):
        raise ValueError(f"{Path(path).name!r} holds no list of words")
    return _words(data)


def words_of_tokens(tokens: Sequence) -> list[Word]:
    """Aligned document tokens as scorer words (times in seconds)."""
    out: list[Word] = []
    for t in tokens:
        w = norm(t.text)
        if w and t.start is not None and t.end is not None:
            out.append((w, t.start / 1000.0, t.end / 1000.0))
    return out


def _merge_block(g: Sequence[Word], p: Sequence[Word]) -> list[tuple[Word, Word]]:
    """Inside a non-matching block, pair a hyphenated word with its parts on the other side."""
    pairs: list[tuple[Word, Word]] = []
    gi = pi = 0
    while gi < len(g) and pi < len(p):
        gw, pw = g[gi][0], p[pi][0]
        if gw == pw:
            pairs.append((g[gi], p[pi]))
            gi += 1
            pi += 1
            continue
        matched = False
        if "-" in pw:
            parts = [x for x in pw.split("-") if x]
            n = len(parts)
            if [x[0] for x in g[gi : gi + n]] == parts:
                pairs.append(((pw, g[gi][1], g[gi + n - 1][2]), p[pi]))
                gi += n
                pi += 1
                matched = True
        if not matched and "-" in gw:
            parts = [x for x in gw.split("-") if x]
            n = len(parts)
            if [x[0] for x in p[pi : pi + n]] == parts:
                pairs.append((g[gi], (gw, p[pi][1], p[pi + n - 1][2])))
                gi += 1
                pi += n
                matched = True
        if not matched:
            break
    return pairs


def match(gold: Sequence[Word], pred: Sequence[Word]) -> list[tuple[Word, Word]]:
    """(gold, predicted) pairs in spoken order."""
    gw = [x[0] for x in gold]
    pw = [x[0] for x in pred]
    if gw == pw:
        return list(zip(gold, pred))
    sm = difflib.SequenceMatcher(a=gw, b=pw, autojunk=False)
    pairs: list[tuple[Word, Word]] = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            pairs.extend(zip(gold[i1:i2], pred[j1:j2]))
        elif tag == "replace":
            pairs.extend(_merge_block(gold[i1:i2], pred[j1:j2]))
    return pairs


def summarize(errs_ms: Sequence[float]) -> dict:
    if not errs_ms:
        return {"n": 0}
    a = [abs(e) for e in errs_ms]
    n = len(a)
    return {
        "n": n,
        "mean_ms": sum(a) / n,
        "median_ms": statistics.median(a),
        "signed_mean_ms": sum(errs_ms) / n,
        "within_20ms": 100.0 * sum(x <= 20 for x in a) / n,
        "within_50ms": 100.0 * sum(x <= 50 for x in a) / n,
        "within_100ms": 100.0 * sum(x <= 100 for x in a) / n,
        "p90_ms": sorted(a)[min(n - 1, int(0.9 * n))],
        "max_ms": max(a),
    }


@dataclass(frozen=True)
class Scored:
    result: dict  # score.py's dictionary: utterances, gold/pred/matched words, start/end/all summaries
    per_utterance: list[tuple[str, int, int, float]]  # id, gold words, matched, mean |error| ms

    @property
    def match_rate(self) -> float:
        """Matched gold words, percent."""
        return 100.0 * self.result["matched_words"] / max(1, self.result["gold_words"])


def score(items: Iterable[tuple[str, Sequence[Word], Sequence[Word]]]) -> Scored:
    """Score ``(id, gold words, predicted words)`` utterances together, as score.py's score_pairs."""
    starts: list[float] = []
    ends: list[float] = []
    n_gold = n_pred = n_matched = n_utts = 0
    per_utt: list[tuple[str, int, int, float]] = []
    for uid, gold, pred in items:
        pairs = match(gold, pred)
        n_utts += 1
        n_gold += len(gold)
        n_pred += len(pred)
        n_matched += len(pairs)
        s = [1000.0 * (p[1] - g[1]) for g, p in pairs]
        e = [1000.0 * (p[2] - g[2]) for g, p in pairs]
        starts += s
        ends += e
        both = [abs(x) for x in s + e]
        per_utt.append((uid, len(gold), len(pairs), sum(both) / len(both) if both else float("nan")))
    result = {
        "utterances": n_utts,
        "gold_words": n_gold,
        "pred_words": n_pred,
        "matched_words": n_matched,
        "start": summarize(starts),
        "end": summarize(ends),
        "all": summarize(starts + ends),
    }
    return Scored(result, per_utt)


def format_report(result: dict) -> str:
    """The table score.py prints, plus nothing: one header line and start / end / all rows."""
    lines = [
        f"utterances {result['utterances']}  gold words {result['gold_words']}  pred words {result['pred_words']}  "
        f"matched {result['matched_words']} ({100.0 * result['matched_words'] / max(1, result['gold_words']):.1f}%)",
        f"{'boundary':8s} {'n':>6s} {'mean':>8s} {'median':>8s} {'bias':>8s} {'p90':>8s} {'<=20ms':>7s} {'<=50ms':>7s} {'<=100ms':>8s}",
    ]
    for key in ("start", "end", "all"):
        r = result[key]
        if not r.get("n"):
            lines.append(f"{key:8s} {0:6d}")
            continue
        lines.append(
            f"{key:8s} {r['n']:6d} {r['mean_ms']:8.1f} {r['median_ms']:8.1f} {r['signed_mean_ms']:8.1f} "
            f"{r['p90_ms']:8.1f} {r['within_20ms']:6.1f}% {r['within_50ms']:6.1f}% {r['within_100ms']:7.1f}%"
        )
    return "\n".join(lines)


def before_after(before: dict, after: dict) -> str:
    """A two-row table of the headline numbers (the model card's and the editor's)."""
    rows = ["|  | mean ms | median ms | <=20 ms | <=50 ms | <=100 ms | words matched |", "|---|---|---|---|---|---|---|"]
    for name, r in (("before", before), ("after", after)):
        a = r["all"]
        if not a.get("n"):
            rows.append(f"| {name} | - | - | - | - | - | 0 |")
            continue
        rows.append(
            f"| {name} | {a['mean_ms']:.1f} | {a['median_ms']:.1f} | {a['within_20ms']:.1f}% | {a['within_50ms']:.1f}% "
            f"| {a['within_100ms']:.1f}% | {r['matched_words']}/{r['gold_words']} |"
        )
    return "\n".join(rows)
