#!/usr/bin/env python3
"""Speed and memory of ``wordsync finetune`` (LoRA of Qwen3-ForcedAligner): seconds per training step.

  python bench/finetune.py [--configs tiny,full] [--devices cpu,cuda] [--steps 4] [--threads 2]
                           [--clip 30] [--words 80] [--json]

Each run is its own process (so peak memory is the run's): it builds a model of the chosen size
with random weights (``tiny``: the tests' 2-layer model; ``full``: the real 0.6B configuration,
bench/qwen3_config.py), writes one clip of noise (``--clip`` seconds) with ``--words`` transcript words
as a verified training segment, and runs :func:`aligner_core.learn.lora.finetune` for ``--steps``
steps, with gradient checkpointing off and on. The first step is a warm-up and not counted.
Memory: the process's peak resident size on the CPU, torch's peak allocation on CUDA. ``cuda`` is
skipped when torch sees no GPU. The full CPU run needs about 11 GiB of memory.
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

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))


def _build(config: str, folder: Path) -> None:
    if config == "tiny":
        from tests.core.tiny_models import build_tiny_qwen3_aligner

        build_tiny_qwen3_aligner(folder, num_labels=5000)
    else:
        from qwen3_cpu import build

        build(folder)


def _segment(folder: Path, clip_s: float, n_words: int) -> dict:
    import numpy as np
    import soundfile as sf

    from qwen3_cpu import TEXT

    rng = np.random.default_rng(0)
    sf.write(str(folder / "clip.wav"), (0.1 * rng.standard_normal(int(16000 * clip_s))).astype(np.float32), 16000)
    words = [TEXT[k % len(TEXT)] for k in range(n_words)]
    step = clip_s / n_words
    times = [[round(k * step, 3), round(k * step + 0.8 * step, 3)] for k in range(n_words)]
    return {"audio_path": str(folder / "clip.wav"), "start": 0.0, "end": clip_s, "text": " ".join(words), "language": "en",
            "words": words, "timestamps": times, "verified": [True] * n_words, "split": "train"}


def child(config: str, device: str, checkpointing: bool, steps: int, threads: int, clip_s: float, n_words: int) -> dict:
    import torch

    from aligner_core.learn.lora import FinetuneSettings, finetune

    torch.set_num_threads(threads)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        _build(config, folder / "model")
        build_s = time.perf_counter() - t0
        segment = _segment(folder, clip_s, n_words)
        stamps: list[float] = []

        def progress(fraction: float, stage: str) -> None:
            if stage.startswith("training: step"):
                stamps.append(time.perf_counter())

        settings = FinetuneSettings(base=str(folder / "model"), epochs=steps, device=device, gradient_checkpointing=checkpointing,
                                    checkpoint_every=10**9, self_weight=0.0)
        if device == "cuda":
            torch.cuda.reset_peak_memory_stats()
        t1 = time.perf_counter()
        result = finetune([segment], folder / "out", settings, evaluate=False, progress=progress)
        total_s = time.perf_counter() - t1
        per_step = [b - a for a, b in zip(stamps, stamps[1:])]  # the first step is the warm-up
        peak = torch.cuda.max_memory_allocated() / 2**30 if device == "cuda" else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
        return {
            "config": config, "device": device, "gradient_checkpointing": checkpointing, "threads": threads,
            "clip_s": clip_s, "words": n_words, "steps": result.steps, "build_s": round(build_s, 1), "run_s": round(total_s, 1),
            "s_per_step": round(sum(per_step) / len(per_step), 3) if per_step else None,
            "steps_per_s": round(len(per_step) / sum(per_step), 3) if per_step else None,
            "peak_gib": round(peak, 2), "loss_first": round(result.losses[0], 3), "loss_last": round(result.losses[-1], 3),
        }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--configs", default="tiny,full")
    ap.add_argument("--devices", default="cpu,cuda")
    ap.add_argument("--steps", type=int, default=4)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--clip", type=float, default=30.0)
    ap.add_argument("--words", type=int, default=80)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--child", nargs=3, metavar=("CONFIG", "DEVICE", "CHECKPOINTING"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        config, device, ckpt = args.child
        print(json.dumps(child(config, device, ckpt == "1", args.steps, args.threads, args.clip, args.words)))
        return 0
    import torch

    devices = [d for d in args.devices.split(",") if d != "cuda" or torch.cuda.is_available()]
    rows = []
    for config in args.configs.split(","):
        for device in devices:
            for ckpt in ("0", "1"):
                cmd = [sys.executable, __file__, "--child", config, device, ckpt, "--steps", str(args.steps), "--threads", str(args.threads),
                       "--clip", str(args.clip), "--words", str(args.words)]
                proc = subprocess.run(cmd, capture_output=True, text=True, check=False, env={**os.environ, "PYTHONPATH": str(HERE.parent)})
                if proc.returncode != 0:
                    rows.append({"config": config, "device": device, "gradient_checkpointing": ckpt == "1", "error": proc.stderr.strip().splitlines()[-1:]})
                else:
                    rows.append(json.loads(proc.stdout.strip().splitlines()[-1]))
                if not args.json:
                    r = rows[-1]
                    if "error" in r:
                        print(f"{config:5s} {device:4s} ckpt={ckpt}: failed: {r['error']}")
                    else:
                        print(f"{config:5s} {device:4s} ckpt={ckpt}: {r['s_per_step']:.2f} s/step ({r['steps_per_s']:.2f} steps/s), peak {r['peak_gib']:.1f} GiB, "
                              f"{r['clip_s']:.0f} s clip, {r['words']} words, {r['threads']} threads, loss {r['loss_first']} -> {r['loss_last']}", flush=True)
    if args.json:
        print(json.dumps({"load": os.getloadavg(), "runs": rows}, indent=1))
    else:
        print(f"load average during the runs: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
