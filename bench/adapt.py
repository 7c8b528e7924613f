#!/usr/bin/env python3
"""The offline aligner learning from corrections, measured on timit_dev per speaker.

  python bench/adapt.py [--set timit_dev] [--json] [--swap]

For every speaker (the id before ``_``) the utterances are sorted by id; the offline aligner's
boundary offsets are learned from the gold times of the first 5 (as if the user had corrected and
locked every word of them) and applied to the aligner's output on the other 5, which are scored
before and after with the reference matching (aligner_core.learn.evaluate = score.py's).
``--swap`` also runs the other way round (learn on the last 5, test on the first 5).
Reads ``../shared/eval`` (or ``$WORDSYNC_EVAL``) and exits cleanly when it is absent; the data
never leaves that folder.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from accuracy import eval_root, make_backend  # noqa: E402

from aligner_core.document import Token  # noqa: E402
from aligner_core.learn import adapt, evaluate  # noqa: E402


def load_utterance(folder: Path, uid: str, backend):
    import soundfile as sf

    from aligner_core.text import tokenize

    audio, _ = sf.read(str(folder / f"{uid}.wav"), dtype="float32", always_2d=False)
    tokens = list(tokenize((folder / f"{uid}.txt").read_text(encoding="utf-8"), "en"))
    timings = backend.align_window(audio, [t.units for t in tokens], "en")
    predicted = [replace(t, start=w.start, end=w.end) for t, w in zip(tokens, timings)]
    gold = evaluate.load_words(folder / f"{uid}.json")
    return predicted, gold, int(len(audio) * 1000 // 16000)


def reference_tokens(predicted: list[Token], gold) -> list[Token]:
    """The tokens with the gold times of the words the reference matching pairs, locked (verified)."""
    pred_words = []
    owner = {}
    for i, t in enumerate(predicted):
        w = evaluate.norm(t.text)
        if w and t.aligned:
            word = (w, t.start / 1000.0, t.end / 1000.0)
            pred_words.append(word)
            owner[id(word)] = i
    out = [replace(t, start=None, end=None, locked=False) for t in predicted]
    for g, p in evaluate.match(gold, pred_words):
        i = owner.get(id(p))
        if i is not None:
            out[i] = replace(out[i], start=round(g[1] * 1000), end=round(g[2] * 1000), locked=True)
    return out


def run(folder: Path, swap: bool) -> dict:
    backend = make_backend("sphinx", "default")
    ids = sorted(p.stem for p in folder.glob("*.wav") if (folder / f"{p.stem}.json").exists())
    speakers: dict[str, list[str]] = defaultdict(list)
    for uid in ids:
        speakers[uid.split("_")[0]].append(uid)
    t0 = time.perf_counter()
    data = {uid: load_utterance(folder, uid, backend) for uid in ids}
    align_s = time.perf_counter() - t0
    folds = [(0, "first 5 learn, last 5 test")] + ([(1, "last 5 learn, first 5 test")] if swap else [])
    report = {"set": folder.name, "speakers": len(speakers), "align_s": align_s, "folds": []}
    for fold, name in folds:
        before, after, per_speaker = [], [], []
        fit_s = 0.0
        boundaries = 0
        for spk, utts in sorted(speakers.items()):
            learn, test = (utts[:5], utts[5:]) if fold == 0 else (utts[5:], utts[:5])
            t1 = time.perf_counter()
            model = adapt.fit(adapt.Example(data[u][0], reference_tokens(data[u][0], data[u][1])) for u in learn)
            fit_s += time.perf_counter() - t1
            boundaries += model.boundaries
            spk_before, spk_after = [], []
            for u in test:
                predicted, gold, duration = data[u]
                fixed = adapt.apply(model, predicted, duration)
                spk_before.append((u, gold, evaluate.words_of_tokens(predicted)))
                spk_after.append((u, gold, evaluate.words_of_tokens(fixed)))
            before += spk_before
            after += spk_after
            b, a = evaluate.score(spk_before).result["all"], evaluate.score(spk_after).result["all"]
            per_speaker.append({"speaker": spk, "learned_boundaries": model.boundaries, "before_ms": b["mean_ms"], "after_ms": a["mean_ms"]})
        report.setdefault("_items", []).append((before, after))
        report["folds"].append({
            "fold": name,
            "learned_boundaries": boundaries,
            "fit_s": fit_s,
            "before": evaluate.score(before).result,
            "after": evaluate.score(after).result,
            "per_speaker": per_speaker,
        })
    items = report.pop("_items")
    if len(items) == 2:  # every utterance held out exactly once: the whole set, before and after
        report["both_folds"] = {
            "before": evaluate.score([x for b, _ in items for x in b]).result,
            "after": evaluate.score([x for _, a in items for x in a]).result,
        }
    return report


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", default="timit_dev")
    ap.add_argument("--swap", action="store_true", help="also learn on the last 5 and test on the first 5")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    root = eval_root()
    if root is None or not (root / args.set).is_dir():
        print(f"no evaluation set {args.set!r} (../shared/eval or $WORDSYNC_EVAL); nothing measured")
        return 0
    report = run(root / args.set, args.swap)
    if args.json:
        print(json.dumps(report, indent=1))
        return 0
    print(f"{report['set']}: {report['speakers']} speakers, aligned in {report['align_s']:.1f} s")
    for f in report["folds"]:
        print(f"\n{f['fold']}: learned from {f['learned_boundaries']} verified boundaries (fit {f['fit_s'] * 1000:.0f} ms in all)")
        print(evaluate.before_after(f["before"], f["after"]))
        for s in f["per_speaker"]:
            print(f"  {s['speaker']:10s} {s['learned_boundaries']:3d} boundaries  {s['before_ms']:5.1f} -> {s['after_ms']:5.1f} ms")
    if "both_folds" in report:
        both = report["both_folds"]
        print("\nboth folds (every utterance held out once, learned from the speaker's other five):")
        print(evaluate.before_after(both["before"], both["after"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
