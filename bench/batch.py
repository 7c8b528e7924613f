"""Batch throughput per engine: ``wordsync align --batch`` on timit_dev and on one long recording.

  python bench/batch.py [--engines local,ray] [--workers 1,2] [--limit N] [--long-minutes 30] [--json]

Each run is a fresh ``wordsync align --batch ... --redo`` process (so Ray's start is counted, as
a user pays it), offline aligner, JSON output. timit_dev comes from ``../shared/eval/timit_dev``
(or ``$WORDSYNC_EVAL``); the long recording is timit_dev utterances joined with pauses up to
``--long-minutes`` (one item: one worker does it whatever the engine, so it shows the engine's
overhead on a long file, not scaling). Prints utterances per second, audio seconds per wall
second and speed-up over one worker; ``--json`` prints one JSON object as the last line.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf

REPO = Path(__file__).resolve().parents[1]


def eval_dir() -> Path:
    return Path(os.environ.get("WORDSYNC_EVAL") or REPO.parent / "shared" / "eval")


def run(manifest: Path, out: Path, engine: str, workers: int) -> dict:
    cmd = [sys.executable, "-m", "aligner_core.cli", "align", "--batch", str(manifest), "--out-dir", str(out),
           "--format", "json", "--aligner", "sphinx", "--engine", engine, "--jobs", str(workers), "--redo"]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
    wall = time.perf_counter() - t0
    last = (proc.stderr.strip().splitlines() or ["?"])[-1]
    return {"engine": engine, "workers": workers, "wall_s": round(wall, 2), "exit": proc.returncode, "last_line": last[:200]}


def long_recording(folder: Path, wavs: list[Path], minutes: float) -> tuple[Path, Path]:
    audio, words, total = [], [], 0
    gap = np.zeros(8000, dtype=np.float32)
    while total < minutes * 60 * 16000:
        for wav in wavs:
            data, rate = sf.read(wav, dtype="float32")
            assert rate == 16000
            audio += [data, gap]
            words.append(wav.with_suffix(".txt").read_text(encoding="utf-8").strip())
            total += len(data) + len(gap)
            if total >= minutes * 60 * 16000:
                break
    path = folder / f"long{minutes:g}.flac"
    sf.write(path, np.concatenate(audio), 16000)
    text = folder / f"long{minutes:g}.txt"
    text.write_text("\n".join(words) + "\n", encoding="utf-8")
    return path, text


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--engines", default="local,ray")
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--limit", type=int, default=0, help="only the first N timit_dev utterances")
    ap.add_argument("--long-minutes", type=float, default=30.0, help="0 skips the long recording")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    src = eval_dir() / "timit_dev"
    if not src.is_dir():
        print(f"no evaluation data at {src}; nothing to measure")
        return 0
    wavs = sorted(src.glob("*.wav"))[: args.limit or None]
    audio_s = sum(sf.info(w).duration for w in wavs)
    engines = [e for e in args.engines.split(",") if e]
    report: dict = {"utterances": len(wavs), "audio_s": round(audio_s, 1), "timit_dev": [], "long": []}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        manifest = folder / "timit.jsonl"
        manifest.write_text("".join(json.dumps({"audio": str(w), "transcript": str(w.with_suffix(".txt")), "id": w.stem, "language": "en"}) + "\n"
                                    for w in wavs), encoding="utf-8")
        for engine in engines:
            base = None
            for workers in [int(w) for w in args.workers.split(",")]:
                row = run(manifest, folder / f"out-{engine}-{workers}", engine, workers)
                row["utt_per_s"] = round(len(wavs) / row["wall_s"], 2)
                row["x_real_time"] = round(audio_s / row["wall_s"], 2)
                base = base or row["wall_s"]
                row["speedup"] = round(base / row["wall_s"], 2)
                report["timit_dev"].append(row)
                print(f"timit_dev {len(wavs)} utt ({audio_s:.0f} s): {engine:5s} x{workers}: {row['wall_s']:6.1f} s, "
                      f"{row['utt_per_s']:5.2f} utt/s, {row['x_real_time']:5.1f}x real time, speed-up {row['speedup']:.2f} (exit {row['exit']})", flush=True)
        if args.long_minutes > 0:
            audio, text = long_recording(folder, wavs, args.long_minutes)
            long_manifest = folder / "long.jsonl"
            long_manifest.write_text(json.dumps({"audio": str(audio), "transcript": str(text), "id": "long", "language": "en"}) + "\n", encoding="utf-8")
            seconds = sf.info(audio).duration
            for engine in engines:
                row = run(long_manifest, folder / f"long-{engine}", engine, 1)
                row["x_real_time"] = round(seconds / row["wall_s"], 2)
                row["audio_s"] = round(seconds, 1)
                report["long"].append(row)
                print(f"long {seconds / 60:.1f} min: {engine:5s}: {row['wall_s']:6.1f} s, {row['x_real_time']:5.1f}x real time (exit {row['exit']})", flush=True)
    if args.json:
        print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
