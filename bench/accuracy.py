#!/usr/bin/env python3
"""Word-boundary accuracy and speed of an aligner on the shared evaluation sets.

  python bench/accuracy.py [--sets timit_dev,emur_ae,praatio_en] [--aligner sphinx]
                           [--no-refine | --plain] [--json] [--out DIR] [--per-utt]
  python bench/accuracy.py --refine-bins 80      # the bin refinement alone, on binned gold

Reads ``../shared/eval`` next to the repository (or ``$WORDSYNC_EVAL``) and exits cleanly when
it is absent. For each utterance it builds tokens from ``<id>.txt`` (with
``aligner_core.text.tokenize`` when that exists, else a whitespace split), aligns them, writes
``<id>.json`` predictions under ``--out`` (a temporary folder by default) and scores them with
the evaluation folder's own ``score.py`` (same normalisation and matching as every accuracy
claim). Per set it prints mean / median absolute boundary error, the share of boundaries within
20 / 50 / 100 ms, and the real-time factor (CPU seconds of alignment per second of audio,
``time.process_time`` of this single thread).

``--no-refine`` turns off the energy refinement of pause edges (the backend then applies its
measured pause biases instead); ``--plain`` is PocketSphinx as it comes (default silence
probability and beams, no bias corrections, no verification pass, no refinement), the baseline the
others are measured against.
The data itself never leaves the evaluation folder.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

DEFAULT_SETS = ("timit_dev", "emur_ae", "praatio_en")


def eval_root() -> Path | None:
    env = os.environ.get("WORDSYNC_EVAL")
    root = Path(env) if env else REPO.parent / "shared" / "eval"
    return root if root.is_dir() else None


def load_scorer(root: Path):
    spec = importlib.util.spec_from_file_location("wordsync_eval_score", root / "score.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {root / 'score.py'}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_STRIP = re.compile(r"^[^\w]+|[^\w]+$", re.UNICODE)


def tokens_of(text: str, language: str = "en") -> list[tuple[str, tuple[str, ...]]]:
    """(surface text, aligner units) per token."""
    try:
        from aligner_core.text import (
            tokenize,  # written concurrently; used once it exists
        )
    except ImportError:
        tokenize = None
    if tokenize is not None:
        try:
            return [(t.text, tuple(t.units)) for t in tokenize(text, language)]
        except Exception as exc:  # noqa: BLE001 - a half-finished tokenizer must not stop the benchmark
            print(f"warning: aligner_core.text.tokenize failed ({exc}); using a whitespace split", file=sys.stderr)
    out = []
    for raw in text.split():
        unit = _STRIP.sub("", raw.lower().replace("\u2019", "'"))
        if unit:
            out.append((raw, (unit,)))
    return out


def make_backend(name: str, mode: str, phones: bool = False):
    if name != "sphinx":
        raise SystemExit(f"unknown aligner '{name}' (this script knows: sphinx)")
    from aligner_core.align.backends.sphinx import SphinxBackend, SphinxParams

    if mode == "plain":
        params = SphinxParams(
            silprob=0.005,
            junction_shift_ms=0,
            junction_shift_by_sound={},
            pause_start_shift_ms=0,
            pause_end_shift_ms=0,
            refine=False,
            beams=(1e-48, 1e-48, 7e-29),  # PocketSphinx's own defaults (the retry still widens them)
            verify_context=-1,
            topn=4,
        )
    elif mode == "no-refine":
        params = SphinxParams(refine=False)
    else:
        params = SphinxParams()
    # the phone pass (Token.phones, AlignRequest.phones) costs time but never changes a word's times
    return SphinxBackend(replace(params, phones=phones))


def run_set(root: Path, set_name: str, backend, scorer, out_dir: Path, per_utt: bool = False) -> dict:
    import numpy as np
    import soundfile as sf

    folder = root / set_name
    ids = sorted(p.stem for p in folder.glob("*.wav") if (folder / (p.stem + ".json")).exists())
    set_out = out_dir / set_name
    set_out.mkdir(parents=True, exist_ok=True)
    cpu = 0.0
    audio_s = 0.0
    not_aligned = 0
    for uid in ids:
        audio, sr = sf.read(str(folder / f"{uid}.wav"), dtype="float32", always_2d=False)
        if audio.ndim > 1:
            audio = audio.mean(axis=1)
        if sr != 16000:
            import soxr

            audio = soxr.resample(audio, sr, 16000).astype(np.float32)
        text = (folder / f"{uid}.txt").read_text(encoding="utf-8")
        toks = tokens_of(text)
        t0 = time.process_time()
        timings = backend.align_window(audio, [u for _, u in toks], "en")
        cpu += time.process_time() - t0
        audio_s += len(audio) / 16000
        pred = []
        for (surface, _), t in zip(toks, timings):
            if t.start is None or t.end is None:
                not_aligned += 1
                continue
            pred.append({"word": surface, "start": t.start / 1000.0, "end": t.end / 1000.0})
        (set_out / f"{uid}.json").write_text(json.dumps(pred), encoding="utf-8")
    pairs = [(uid, str(folder / f"{uid}.json"), str(set_out / f"{uid}.json")) for uid in ids]
    result, utts = scorer.score_pairs(pairs)
    result["set"] = set_name
    result["rtf"] = cpu / audio_s if audio_s else float("nan")
    result["audio_s"] = audio_s
    result["not_aligned"] = not_aligned
    if per_utt:
        result["per_utt"] = [{"id": u, "gold": g, "matched": m, "mean_ms": e} for u, g, m, e in utts]
    return result


def warm_up(backend) -> None:
    """Load the model, dictionary and letter-to-sound rules before anything is timed."""
    import numpy as np

    backend.align_window(np.zeros(16000, dtype=np.float32), [("hello",), ("zorblatt",)], "en")


def run_bins(root: Path, set_name: str, scorer, bin_ms: float) -> dict:
    """How well :func:`refine_within_bins` sharpens a coarse aligner: every gold boundary is
    reported as the centre of its ``bin_ms`` bin (what an aligner with that frame rate would
    give at best), refined against the audio, and both are scored."""
    import numpy as np
    import soundfile as sf

    from aligner_core.align.refine import refine_within_bins
    from aligner_core.align.types import WordTiming

    folder = root / set_name
    before: list[float] = []
    after: list[float] = []
    for wav in sorted(folder.glob("*.wav")):
        gold = scorer.load(str(wav.with_suffix(".json")))
        audio, _ = sf.read(str(wav), dtype="float32")
        binned = []
        floor = 0
        for _, s, e in gold:
            start = max(int((np.floor(s * 1000 / bin_ms) + 0.5) * bin_ms), floor)
            end = max(int((np.floor(e * 1000 / bin_ms) + 0.5) * bin_ms), start)
            binned.append(WordTiming(start, end))
            floor = end
        refined = refine_within_bins(audio, binned, bin_ms=bin_ms)
        for (_, s, e), b, r in zip(gold, binned, refined):
            before += [abs(b.start - 1000 * s), abs(b.end - 1000 * e)]
            after += [abs(r.start - 1000 * s), abs(r.end - 1000 * e)]
    return {"set": set_name, "bin_ms": bin_ms, "binned": scorer.summarize(before), "refined": scorer.summarize(after)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", default=",".join(DEFAULT_SETS), help="comma-separated set names (default: %(default)s)")
    ap.add_argument("--aligner", default="sphinx")
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--no-refine", action="store_true", help="no energy refinement of pause edges")
    mode.add_argument("--plain", action="store_true", help="PocketSphinx as it comes: the baseline")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    ap.add_argument("--out", help="write predictions here (default: a temporary folder)")
    ap.add_argument("--per-utt", action="store_true", help="also list each utterance's mean error")
    ap.add_argument("--phones", action="store_true", help="with the phone-level pass, as AlignRequest(phones=True) runs it (word times are the same; this measures its cost)")
    ap.add_argument(
        "--refine-bins",
        type=float,
        metavar="MS",
        help="instead of aligning: bin the gold boundaries to MS ms and measure refine_within_bins",
    )
    a = ap.parse_args(argv)

    root = eval_root()
    if root is None:
        print("evaluation data not found (../shared/eval or $WORDSYNC_EVAL): nothing to measure")
        return 0
    scorer = load_scorer(root)
    sets = [s.strip() for s in a.sets.split(",") if s.strip() and (root / s.strip()).is_dir()]
    if a.refine_bins:
        rows = [run_bins(root, s, scorer, a.refine_bins) for s in sets]
        if a.json:
            print(json.dumps(rows, indent=1))
            return 0
        print(f"gold boundaries binned to {a.refine_bins:g} ms, then refine_within_bins")
        for r in rows:
            b, f = r["binned"], r["refined"]
            print(
                f"{r['set']:14s} binned {b['mean_ms']:5.1f} ms ({b['within_20ms']:.1f}% <=20)  ->  "
                f"refined {f['mean_ms']:5.1f} ms ({f['within_20ms']:.1f}% <=20)"
            )
        return 0
    backend = make_backend(a.aligner, "plain" if a.plain else "no-refine" if a.no_refine else "full", phones=a.phones)
    label = f"{a.aligner}" + (" (plain)" if a.plain else " (no refinement)" if a.no_refine else "") + (" (with phones)" if a.phones else "")
    warm_up(backend)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        out_dir = Path(a.out) if a.out else Path(tmp)
        for set_name in [s.strip() for s in a.sets.split(",") if s.strip()]:
            if not (root / set_name).is_dir():
                print(f"warning: set '{set_name}' not found under {root}; skipped", file=sys.stderr)
                continue
            results.append(run_set(root, set_name, backend, scorer, out_dir, a.per_utt))
    if a.json:
        print(json.dumps({"aligner": label, "results": results}, indent=1))
        return 0
    print(f"aligner: {label}")
    print(f"{'set':14s} {'words':>11s} {'mean':>7s} {'median':>7s} {'bias s/e':>11s} {'<=20ms':>7s} {'<=50ms':>7s} {'<=100ms':>8s} {'RTF':>7s}")
    for r in results:
        al = r["all"]
        if not al.get("n"):
            print(f"{r['set']:14s} no matched words")
            continue
        words = f"{r['matched_words']}/{r['gold_words']}"
        bias = f"{r['start']['signed_mean_ms']:+.0f}/{r['end']['signed_mean_ms']:+.0f}"
        print(
            f"{r['set']:14s} {words:>11s} {al['mean_ms']:7.1f} {al['median_ms']:7.1f} {bias:>11s} "
            f"{al['within_20ms']:6.1f}% {al['within_50ms']:6.1f}% {al['within_100ms']:7.1f}% {r['rtf']:7.4f}"
        )
        if a.per_utt:
            for u in sorted(r["per_utt"], key=lambda x: -(x["mean_ms"] if x["mean_ms"] == x["mean_ms"] else 0))[:10]:
                print(f"    {u['id']:36s} matched {u['matched']}/{u['gold']} mean {u['mean_ms']:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
