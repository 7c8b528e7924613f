#!/usr/bin/env python3
"""Long-form alignment: accuracy, drift, speed and peak memory on a long recording.

  python bench/longform.py [--minutes 30] [--seed 0] [--set timit_dev] [--jobs 1]
                           [--aligner auto] [--phones] [--no-per-utterance] [--keep DIR]

Builds one long recording with known word times from an evaluation set with the evaluation
folder's own ``make_long.py`` (in a temporary folder, or ``--keep DIR``; never inside the
repository), aligns it in one call of :func:`aligner_core.align.api.align` exactly as the editor
and the CLI do, and scores it with the folder's ``score.py``. For comparison it then aligns the
same audio cut into its utterances (cut in the middle of each pause between them) one by one:
the long-form result should be as accurate as that, with no drift (the error in the last tenth of
the recording is printed next to the first tenth).

Printed: mean / median absolute boundary error, share within 20 / 50 / 100 ms, for the long run
and the per-utterance run; the long run's wall time, its CPU time (this process and its worker
processes), its speed as "x real time" on CPU time (one core when ``--jobs 1``), and the peak
resident memory of the process during the long run (the decoded 16 kHz samples included).
Reads ``../shared/eval`` next to the repository (or ``$WORDSYNC_EVAL``); exits cleanly without it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from accuracy import eval_root, load_scorer  # noqa: E402 - the same evaluation folder and scorer


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def cpu_s() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def to_words(tokens, timings) -> list[dict]:
    return [
        {"word": tok.text, "start": t.start / 1000.0, "end": t.end / 1000.0}
        for tok, t in zip(tokens, timings)
        if t.start is not None and t.end is not None
    ]


def score(scorer, gold: list, pred: list) -> dict:
    """score.py's matching and summary over one gold/pred pair."""
    norm = scorer.norm
    g = [(norm(w["word"]), w["start"], w["end"]) for w in gold if norm(w["word"])]
    p = [(norm(w["word"]), w["start"], w["end"]) for w in pred if norm(w["word"])]
    pairs = scorer.match(g, p)
    errs = [1000.0 * (b[1] - a[1]) for a, b in pairs] + [1000.0 * (b[2] - a[2]) for a, b in pairs]
    out = scorer.summarize(errs)
    out["matched"] = len(pairs)
    out["gold"] = len(g)
    out["pairs"] = pairs
    return out


def line(name: str, r: dict) -> str:
    return (
        f"{name:16s} matched {r['matched']:5d}/{r['gold']:<5d} mean {r['mean_ms']:6.1f} ms  median {r['median_ms']:5.1f} ms  "
        f"<=20 {r['within_20ms']:5.1f}%  <=50 {r['within_50ms']:5.1f}%  <=100 {r['within_100ms']:5.1f}%"
    )


def tenth_errors(pairs, first: bool) -> float:
    k = max(1, len(pairs) // 10)
    part = pairs[:k] if first else pairs[-k:]
    errs = [abs(b[1] - a[1]) for a, b in part] + [abs(b[2] - a[2]) for a, b in part]
    return 1000.0 * float(np.mean(errs)) if errs else float("nan")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minutes", type=float, default=30.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--set", default="timit_dev")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--aligner", default="auto")
    ap.add_argument("--no-per-utterance", action="store_true")
    ap.add_argument("--phones", action="store_true", help="each word's phones too (AlignRequest.phones; off by default, as in subtitle use)")
    ap.add_argument("--keep", help="build the recording in this folder (and keep it)")
    a = ap.parse_args()

    root = eval_root()
    if root is None or not (root / a.set).is_dir():
        print("no evaluation data (../shared/eval); nothing to measure")
        return 0
    scorer = load_scorer(root)
    folder = Path(a.keep) if a.keep else Path(tempfile.mkdtemp(prefix="wordsync-long-"))
    folder.mkdir(parents=True, exist_ok=True)
    base = folder / f"long{a.minutes:g}"
    if not base.with_suffix(".wav").exists():
        subprocess.run([sys.executable, str(root / "make_long.py"), str(root / a.set), str(base), "--minutes", str(a.minutes), "--seed", str(a.seed)], check=True)

    from aligner_core.align import registry
    from aligner_core.align.api import AlignRequest, align
    from aligner_core.audio import load_audio
    from aligner_core.document import Document
    from aligner_core.text import read_transcript, tokenize

    text = read_transcript(base.with_suffix(".txt"))
    gold = json.loads(base.with_suffix(".json").read_text(encoding="utf-8"))
    choice = registry.choose(a.aligner, "en")
    # warm up (load the model/dictionary) so the timing is the alignment itself
    warm = registry.get_backend(choice.aligner, choice.model, phones=a.phones)
    warm_audio = np.zeros(16000, np.float32)
    warm.align_window(warm_audio, [("a",)], "en")
    rss_before = peak_rss_mb()

    audio = load_audio(base.with_suffix(".wav"))
    tokens = tokenize(text, "en")
    doc = Document(tokens, [], len(audio) * 1000 // 16000, "en")
    audio_s = len(audio) / 16000.0
    print(f"{base.name}: {audio_s / 60:.1f} min, {len(tokens)} words, samples {audio.nbytes / 2**20:.0f} MB, jobs {a.jobs}")

    c0, t0 = cpu_s(), time.perf_counter()
    result = align(AlignRequest.from_document(doc, audio, aligner=a.aligner, jobs=a.jobs, phones=a.phones))
    wall, cpu = time.perf_counter() - t0, cpu_s() - c0
    peak = peak_rss_mb()
    s = result.summary
    long_score = score(scorer, gold, to_words(tokens, result.timings))
    print(line("long-form", long_score))
    print(
        f"{'':16s} wall {wall:6.1f} s  cpu {cpu:6.1f} s  speed {audio_s / cpu:5.1f}x real time on CPU "
        f"({audio_s / wall:5.1f}x wall)  peak RSS {peak:6.0f} MB (before the run {rss_before:.0f} MB)"
    )
    print(
        f"{'':16s} {s.aligned} aligned, {s.not_aligned} not aligned, {s.low_confidence} low confidence; "
        f"chunks {s.settings.get('chunks')}, bridges {s.settings.get('bridges')}, redone {s.settings.get('collapsed_redone')}"
    )
    print(f"{'':16s} drift: mean error first tenth {tenth_errors(long_score['pairs'], True):.1f} ms, last tenth {tenth_errors(long_score['pairs'], False):.1f} ms")

    if not a.no_per_utterance:
        # the same audio cut in the middle of every pause between utterances, one alignment each
        lines = [ln for ln in text.splitlines() if ln.strip()]
        per_line = [tokenize(ln, "en") for ln in lines]
        gold_pairs = scorer.match(
            [(scorer.norm(w["word"]), w["start"], w["end"]) for w in gold if scorer.norm(w["word"])],
            [(scorer.norm(t.text), k, k) for k, t in enumerate(tokens) if scorer.norm(t.text)],
        )
        where = {int(p[1]): g for g, p in gold_pairs}  # token index -> gold word
        bounds, k = [], 0
        for toks in per_line:
            idx = [i for i in range(k, k + len(toks)) if i in where]
            bounds.append((where[idx[0]][1], where[idx[-1]][2]) if idx else None)
            k += len(toks)
        cuts = [0.0]
        for (a0, b0), (a1, b1) in zip(bounds, bounds[1:]):
            cuts.append((b0 + a1) / 2.0)
        cuts.append(audio_s)
        c1 = cpu_s()
        pred = []
        for toks, lo, hi in zip(per_line, cuts, cuts[1:]):
            piece = audio[int(lo * 16000) : int(hi * 16000)]
            r = align(AlignRequest(tuple(toks), piece, aligner=a.aligner))
            off = int(lo * 16000) * 1000 // 16000
            pred += [
                {"word": t.text, "start": (x.start + off) / 1000.0, "end": (x.end + off) / 1000.0}
                for t, x in zip(toks, r.timings)
                if x.start is not None
            ]
        utt_cpu = cpu_s() - c1
        utt_score = score(scorer, gold, pred)
        print(line("per-utterance", utt_score))
        print(f"{'':16s} cpu {utt_cpu:6.1f} s  speed {audio_s / utt_cpu:5.1f}x real time on CPU")
        print(f"difference (long - per-utterance) in mean error: {long_score['mean_ms'] - utt_score['mean_ms']:+.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
