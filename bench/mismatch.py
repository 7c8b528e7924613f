#!/usr/bin/env python3
"""Alignment with transcripts that do not match the audio: the mismatch set of issue 11.

  python bench/mismatch.py [--seeds 0,1] [--k 12] [--jobs 2] [--aligner sphinx] [--examples N] [--json]

For every seed it runs ``../shared/eval/mismatch/make_mismatch.py`` on ``../shared/eval/timit_dev``
(12 files of 60-120 s, one kind of mismatch each) into ``bench/out/mismatch/seed<N>/gen`` (git-ignored;
the eval data never enters the repository), aligns every file twice through the same code path as
``wordsync align`` (:func:`aligner_core.cli.main`, in process, ``--aligner sphinx -o NAME.json``): with
the mismatched transcript (``NAME.txt``) and with the exact one (``NAME.matched.txt``), and scores both
with ``score_mismatch.py``. Prints the scorer's table per seed, then the per-kind and overall figures of
all seeds together, the targets of issue 11, and alignment CPU time; ``--json`` prints one JSON object
as the last line. The generated files are kept between runs (same seed, same files).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import redirect_stderr
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

# issue 11, part 2
TARGET_WITHIN_50 = 88.0
TARGET_GAP_TO_EXACT = 3.0
TARGET_SILENT_PER_12 = 2.0
TARGET_DETECTED = 95.0


def eval_root() -> Path | None:
    env = os.environ.get("WORDSYNC_EVAL")
    root = Path(env) if env else REPO.parent / "shared" / "eval"
    return root if (root / "mismatch" / "make_mismatch.py").is_file() and (root / "timit_dev").is_dir() else None


def generate(root: Path, out: Path, seed: int, k: int) -> Path:
    gen = out / f"seed{seed}" / f"k{k}" / "gen"
    if len(list(gen.glob("*.meta.json"))) != k:
        gen.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, str(root / "mismatch" / "make_mismatch.py"), str(root / "timit_dev"), str(gen), "--k", str(k), "--seed", str(seed)],
            check=True,
            stdout=subprocess.DEVNULL,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        )
    return gen


def align_one(job: tuple[str, str, str, str]) -> tuple[str, str, float, int, str]:
    """``wordsync align WAV TXT -o OUT.json --aligner A --language en`` in this process: (name,
    condition, CPU seconds, exit status, stderr)."""
    from aligner_core import cli

    name, wav, txt, out_json = job
    aligner = os.environ.get("WORDSYNC_BENCH_ALIGNER", "sphinx")
    err = io.StringIO()
    t0 = time.process_time()
    with redirect_stderr(err):
        rc = cli.main(["align", wav, txt, "-o", out_json, "--aligner", aligner, "--language", "en"])
    return name, out_json, time.process_time() - t0, rc, err.getvalue()


def score(root: Path, gen: Path, pred: Path, exact: Path, times: Path, examples: int) -> tuple[str, dict]:
    report = pred.parent / "score.json"
    cmd = [sys.executable, str(root / "mismatch" / "score_mismatch.py"), str(gen), str(pred), "--matched-pred", str(exact), "--times", str(times), "--json", str(report)]
    if examples:
        cmd += ["--examples", str(examples)]
    text = subprocess.run(cmd, check=True, capture_output=True, text=True, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}).stdout
    return text, json.loads(report.read_text(encoding="utf-8"))


def merge(groups: list[dict]) -> dict:
    """Sum the scorer's per-kind counts over seeds; means/shares weighted by words."""
    out: dict = {}
    for g in groups:
        for kind, r in g.items():
            acc = out.setdefault(kind, {})
            for key, value in r.items():
                if isinstance(value, (int, float)) and not isinstance(value, bool) and value is not None:
                    acc.setdefault(key, []).append((value, r.get("both", 0)))
    merged: dict = {}
    for kind, acc in out.items():
        m: dict = {}
        for key, vals in acc.items():
            if key in ("mean_ms", "within_50ms", "matched_mean_ms", "matched_within_50ms"):
                w = sum(n for _, n in vals) or 1
                m[key] = round(sum(v * n for v, n in vals) / w, 2)
            else:
                m[key] = round(sum(v for v, _ in vals), 3)
        merged[kind] = m
    return merged


def pct(a: float, b: float) -> float:
    return 100.0 * a / b if b else float("nan")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", default="0,1", help="comma-separated generator seeds (default: %(default)s)")
    ap.add_argument("--k", type=int, default=12, help="files per seed (kinds cycle; default: %(default)s)")
    ap.add_argument("--jobs", type=int, default=1, help="files aligned at once, each in its own process")
    ap.add_argument("--aligner", default="sphinx")
    ap.add_argument("--examples", type=int, default=0, help="print the scorer's N worst cases per failure mode")
    ap.add_argument("--out", default=str(REPO / "bench" / "out" / "mismatch"), help="work folder (default: %(default)s)")
    ap.add_argument("--json", action="store_true", help="print the results as one JSON object (last line)")
    a = ap.parse_args(argv)
    root = eval_root()
    if root is None:
        print("mismatch: ../shared/eval (mismatch/ and timit_dev/) not found; nothing to measure")
        return 0
    os.environ["WORDSYNC_BENCH_ALIGNER"] = a.aligner
    seeds = [int(s) for s in a.seeds.split(",") if s.strip()]
    out = Path(a.out)
    per_seed = {}
    cpu_total = {"mismatched": 0.0, "exact": 0.0}
    refused: list[str] = []
    audio_s = 0.0
    for seed in seeds:
        gen = generate(root, out, seed, a.k)
        run = out / f"seed{seed}" / f"k{a.k}" / a.aligner
        pred, exact = run / "pred", run / "exact"
        pred.mkdir(parents=True, exist_ok=True)
        exact.mkdir(parents=True, exist_ok=True)
        names = sorted(p.name[: -len(".meta.json")] for p in gen.glob("*.meta.json"))
        jobs = []
        for n in names:
            jobs.append((f"{n} mismatched", str(gen / f"{n}.wav"), str(gen / f"{n}.txt"), str(pred / f"{n}.json")))
            jobs.append((f"{n} exact", str(gen / f"{n}.wav"), str(gen / f"{n}.matched.txt"), str(exact / f"{n}.json")))
        for f in list(pred.glob("*.json")) + list(exact.glob("*.json")):
            f.unlink()
        lines = []
        if a.jobs > 1:
            with ProcessPoolExecutor(a.jobs) as pool:
                results = list(pool.map(align_one, jobs))
        else:
            results = [align_one(j) for j in jobs]
        for label, _, cpu, rc, err in results:
            name, cond = label.split()
            lines.append(f"{name} {cond} {cpu:.2f} {rc}")
            cpu_total[cond] += cpu
            if rc != 0:
                refused.append(f"seed {seed} {label}: {err.strip().splitlines()[-1] if err.strip() else rc}")
        for n in names:
            audio_s += json.loads((gen / f"{n}.meta.json").read_text(encoding="utf-8"))["duration"]
        times = run / "times.txt"
        times.write_text("\n".join(lines) + "\n", encoding="utf-8")
        text, report = score(root, gen, pred, exact, times, a.examples)
        per_seed[seed] = report
        if not a.json:
            print(f"== seed {seed} ==")
            print(text)
    merged = merge([per_seed[s]["groups"] for s in seeds])
    allg = merged.get("all", {})
    files = allg.get("files", 0) or 1
    silent_per_12 = allg.get("silent", 0) * 12.0 / files
    detected = pct(allg.get("detected", 0), allg.get("unspoken", 0))
    w50, mw50 = allg.get("within_50ms", float("nan")), allg.get("matched_within_50ms", float("nan"))
    checks = {
        f"words in both >= {TARGET_WITHIN_50:g}% within 50 ms": w50 >= TARGET_WITHIN_50,
        f"within {TARGET_GAP_TO_EXACT:g} points of the exact transcript": mw50 - w50 <= TARGET_GAP_TO_EXACT,
        f"at most {TARGET_SILENT_PER_12:g} silently misplaced per 12 files": silent_per_12 <= TARGET_SILENT_PER_12,
        f">= {TARGET_DETECTED:g}% of unspoken words flagged": detected >= TARGET_DETECTED,
        "no file refused": not refused,
    }
    result = {
        "seeds": seeds,
        "k": a.k,
        "aligner": a.aligner,
        "kinds": merged,
        "within_50ms": w50,
        "exact_within_50ms": mw50,
        "mean_ms": allg.get("mean_ms"),
        "exact_mean_ms": allg.get("matched_mean_ms"),
        "silent": allg.get("silent", 0),
        "exact_silent": allg.get("m_silent", 0),
        "silent_per_12_files": round(silent_per_12, 2),
        "flagged_words_in_both_pct": round(pct(allg.get("fa", 0), allg.get("both", 0)), 2),
        "unspoken_detected_pct": round(detected, 2),
        "unspoken_on_speech": allg.get("on_speech", 0),
        "refused": refused,
        "audio_s": round(audio_s, 1),
        "cpu_s": {k: round(v, 1) for k, v in cpu_total.items()},
        "x_real_time_mismatched": round(audio_s / cpu_total["mismatched"], 1) if cpu_total["mismatched"] else None,
        "targets": checks,
    }
    if a.json:
        print(json.dumps(result))
        return 0
    print(f"== all seeds ({', '.join(map(str, seeds))}), {a.k} files each ==")
    head = f"{'':20s} {'files':>5s} {'both':>5s} {'mean ms':>8s} {'<=50ms':>7s} {'flagged':>7s} {'silent':>6s} | {'exact ms':>8s} {'<=50ms':>7s} {'silent':>6s} | {'unspoken':>8s} {'detect':>7s} {'on sp.':>6s}"
    print(head)
    for kind, r in merged.items():
        label = "OVERALL" if kind == "all" else kind
        print(
            f"{label:20s} {r.get('files', 0):5.0f} {r.get('both', 0):5.0f} {r.get('mean_ms') or float('nan'):8.1f} {r.get('within_50ms') or float('nan'):6.1f}% "
            f"{pct(r.get('fa', 0), r.get('both', 0)):6.1f}% {r.get('silent', 0):6.0f} | {r.get('matched_mean_ms') or float('nan'):8.1f} "
            f"{r.get('matched_within_50ms') or float('nan'):6.1f}% {r.get('m_silent', 0):6.0f} | {r.get('unspoken', 0):8.0f} "
            f"{pct(r.get('detected', 0), r.get('unspoken', 0)):6.1f}% {r.get('on_speech', 0):6.0f}"
        )
    print(f"\nalignment CPU: mismatched {cpu_total['mismatched']:.0f} s, exact {cpu_total['exact']:.0f} s for {audio_s:.0f} s of audio each")
    if refused:
        print("refused: " + "; ".join(refused))
    print("targets (issue 11):")
    for what, ok in checks.items():
        print(f"  [{'ok' if ok else 'MISSED'}] {what}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
