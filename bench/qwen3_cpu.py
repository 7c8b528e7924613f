#!/usr/bin/env python3
"""Qwen3-ForcedAligner on a CPU: x real time and peak memory in fp32, bf16 and dynamic int8.

  python bench/qwen3_cpu.py [--audio-s 60] [--window-s 15] [--threads 2] [--modes fp32,bf16,int8]
                            [--words-per-s 2.5] [--keep DIR] [--json]

Builds the full-size Qwen3-ForcedAligner-0.6B (bench/qwen3_config.py: the checkpoint's
configuration, 918 M parameters) with random weights, saves it as a bf16 safetensors checkpoint
with a processor (a byte-level BPE trained on the bench's words stands in for the real tokenizer:
about one token per word, as the real 151k vocabulary gives common words), and aligns
``--audio-s`` seconds of audio through :class:`Qwen3Backend` exactly as the engine does: loaded
by ``from_pretrained`` in the mode under test, fed windows of ``--window-s`` seconds (the
long-form planner's target chunk is 15 s) with ``--words-per-s`` words each. The cost of a forward
pass depends on the shapes, not on the weights' values, so random weights time the real thing.

Each mode runs in a process of its own (so its peak resident memory is its own), on ``--threads``
torch threads, after a warm-up window, each window ``--repeat`` times: the sum of each window's
fastest run is reported (with the median whole pass), as the least disturbed by other jobs. Printed per mode: load time, align time, x real time
(audio seconds / align seconds), the CPU time of all its threads and audio seconds per CPU second
(which other engineers' jobs on a shared machine disturb less than wall time), peak RSS, and how many word edges land on the same millisecond
as fp32's (random weights: this shows the mode runs the same maths, not that it keeps a trained
model's accuracy; tests/core/test_qwen3_precision.py checks the classes on the tiny model).
The machine's load average (``uptime``) is printed before and after: the CPUs may be shared.
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
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from qwen3_config import FULL_CONFIG  # noqa: E402

SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|audio_start|>", "<|audio_pad|>", "<|audio_end|>", "<timestamp>"]

# Words for the transcript; the BPE is trained on them so each is about one token.
TEXT = (
    "the quick brown fox jumps over the lazy dog while seven wise owls watch from an old oak tree "
    "and somewhere a radio plays music about rivers mountains cities trains and long summer evenings "
    "people talk about weather prices football elections holidays children schools gardens and food"
).split()


def build(folder: Path) -> None:
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import (
        Qwen2TokenizerFast,
        Qwen3ASRConfig,
        Qwen3ASRFeatureExtractor,
        Qwen3ASRForTokenClassification,
        Qwen3ASRProcessor,
    )

    bpe = Tokenizer(models.BPE())
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=1000, special_tokens=SPECIALS,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    bpe.train_from_iterator(TEXT * 20, trainer=trainer)  # words alone: the prompt has no spaces
    tokenizer = Qwen2TokenizerFast(
        tokenizer_object=bpe, eos_token="<|endoftext|>", pad_token="<|endoftext|>", unk_token=None,
        extra_special_tokens={"audio_token": "<|audio_pad|>", "audio_bos_token": "<|audio_start|>",
                              "audio_eos_token": "<|audio_end|>"},
    )
    processor = Qwen3ASRProcessor(feature_extractor=Qwen3ASRFeatureExtractor(), tokenizer=tokenizer,
                                  timestamp_segment_time=FULL_CONFIG["timestamp_segment_time"])
    ids = {t: tokenizer.convert_tokens_to_ids(t) for t in SPECIALS}
    config = dict(FULL_CONFIG, audio_token_id=ids["<|audio_pad|>"], timestamp_token_id=ids["<timestamp>"],
                  pad_token_id=ids["<|endoftext|>"], eos_token_id=ids["<|endoftext|>"])
    torch.manual_seed(0)
    model = Qwen3ASRForTokenClassification(Qwen3ASRConfig(**config)).to(torch.bfloat16).eval()
    model.save_pretrained(folder)  # bf16, as the published checkpoint
    processor.save_pretrained(folder)
    del model


def windows(audio_s: float, window_s: float, words_per_s: float):
    """(audio, words) per window: noise (the values do not change the cost) and transcript words."""
    import numpy as np

    from aligner_core.align.backends.qwen3_words import SpokenWord

    rng = np.random.default_rng(0)
    out = []
    done, k = 0.0, 0
    while done < audio_s - 1e-6:
        length = min(window_s, audio_s - done)
        n = max(1, round(length * words_per_s))
        words = [SpokenWord((TEXT[(k + i) % len(TEXT)],), TEXT[(k + i) % len(TEXT)]) for i in range(n)]
        out.append(((rng.standard_normal(int(16000 * length)) * 0.1).astype(np.float32), words))
        done += length
        k += n
    return out


def child(folder: str, mode: str, threads: int, audio_s: float, window_s: float, words_per_s: float, repeat: int) -> dict:
    import torch

    torch.set_num_threads(threads)
    from aligner_core.align.backends.qwen3 import Qwen3Backend

    backend = Qwen3Backend(folder, device="cpu", allow_download=False, precision=mode)
    t = time.perf_counter()
    backend.load()
    load_s = time.perf_counter() - t
    work = windows(audio_s, window_s, words_per_s)
    backend.align_window(work[0][0][: 16000 * 2], work[0][1][:5], "en")  # warm-up (oneDNN kernels)
    # Each window ``repeat`` times: the fastest run of each window is the one least disturbed by
    # other jobs on a shared machine; their sum is reported next to the median whole pass.
    n = max(1, repeat)
    walls = [[0.0] * len(work) for _ in range(n)]
    cpus = [[0.0] * len(work) for _ in range(n)]
    timings = []
    for r in range(n):
        timings = []
        for k, (audio, words) in enumerate(work):
            t = time.perf_counter()
            cpu = time.process_time()
            timings.append([(w.start, w.end) for w in backend.align_window(audio, words, "en")])
            walls[r][k] = time.perf_counter() - t
            cpus[r][k] = time.process_time() - cpu
    align_s = sum(min(walls[r][k] for r in range(n)) for k in range(len(work)))
    cpu_s = sum(min(cpus[r][k] for r in range(n)) for k in range(len(work)))
    passes = sorted(sum(row) for row in walls)
    processor = backend._processor
    seq = [len(processor.tokenizer(w.text)["input_ids"]) for _, ws in work for w in ws]
    return {
        "mode": mode, "precision": backend.precision, "threads": threads, "load_s": round(load_s, 2),
        "align_s": round(align_s, 2), "cpu_s": round(cpu_s, 2), "x_realtime": round(audio_s / align_s, 2),
        "x_realtime_per_cpu_s": round(audio_s / cpu_s, 2),
        "align_s_median": round(passes[len(passes) // 2], 2), "passes": len(passes),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "windows": len(work), "words": sum(len(ws) for _, ws in work),
        "text_tokens_per_word": round(sum(seq) / max(1, len(seq)), 2), "timings": timings,
    }


def uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--audio-s", type=float, default=60.0)
    ap.add_argument("--window-s", type=float, default=15.0)
    ap.add_argument("--words-per-s", type=float, default=2.5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3, help="timed runs of each window per mode; the fastest of each is reported")
    ap.add_argument("--modes", default="fp32,bf16,int8")
    ap.add_argument("--keep", help="build (or reuse) the checkpoint in this folder instead of a temporary one")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--child", nargs=2, metavar=("FOLDER", "MODE"), help=argparse.SUPPRESS)
    a = ap.parse_args()

    if a.child:
        result = child(a.child[0], a.child[1], a.threads, a.audio_s, a.window_s, a.words_per_s, a.repeat)
        print("RESULT " + json.dumps(result))
        return 0

    tmp = None
    if a.keep:
        folder = Path(a.keep)
        folder.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="qwen3_cpu_")
        folder = Path(tmp.name)
    try:
        if not (folder / "config.json").exists():
            t = time.perf_counter()
            build(folder)
            print(f"built the full-size checkpoint in {time.perf_counter() - t:.0f} s: {folder}", file=sys.stderr)
        before = uptime()
        results = []
        for mode in [m.strip() for m in a.modes.split(",") if m.strip()]:
            cmd = [sys.executable, __file__, "--child", str(folder), mode, "--threads", str(a.threads),
                   "--audio-s", str(a.audio_s), "--window-s", str(a.window_s), "--words-per-s", str(a.words_per_s),
                   "--repeat", str(a.repeat)]
            env = dict(os.environ, OMP_NUM_THREADS=str(a.threads))
            run = subprocess.run(cmd, capture_output=True, text=True, env=env)
            line = next((ln for ln in run.stdout.splitlines() if ln.startswith("RESULT ")), None)
            if run.returncode or line is None:
                print(f"{mode}: failed\n{run.stderr[-2000:]}", file=sys.stderr)
                continue
            results.append(json.loads(line[len("RESULT "):]))
            r = results[-1]
            print(f"{mode}: {r['align_s']} s for {a.audio_s:g} s of audio, peak {r['peak_rss_mb']} MB", file=sys.stderr)
        after = uptime()
    finally:
        if tmp is not None:
            tmp.cleanup()

    edges = {r["mode"]: [e for win in r.pop("timings") for word in win for e in word] for r in results}
    for r in results:
        if "fp32" in edges:
            ref = edges["fp32"]
            r["edges_equal_fp32"] = round(sum(x == y for x, y in zip(edges[r["mode"]], ref)) / max(1, len(ref)), 3)
    import torch

    out = {"audio_s": a.audio_s, "window_s": a.window_s, "words_per_s": a.words_per_s, "threads": a.threads,
           "params_m": 917.7, "torch": torch.__version__, "uptime_before": before, "uptime_after": after,
           "modes": results}
    print(f"Qwen3-ForcedAligner-0.6B (full size, random weights), {a.audio_s:g} s of audio in {a.window_s:g} s windows, "
          f"{a.threads} threads, torch {torch.__version__}")
    print(f"  load before: {before}")
    print(f"  {'mode':6} {'load s':>7} {'align s':>8} {'(median)':>9} {'x real time':>12} {'CPU s':>7} {'audio s/CPU s':>14} "
          f"{'peak RSS MB':>12} {'edges = fp32':>13}")
    for r in results:
        same = f"{r['edges_equal_fp32'] * 100:.1f}%" if "edges_equal_fp32" in r else "-"
        print(f"  {r['mode']:6} {r['load_s']:7.1f} {r['align_s']:8.2f} {r['align_s_median']:9.2f} {r['x_realtime']:12.2f} "
              f"{r['cpu_s']:7.2f} {r['x_realtime_per_cpu_s']:14.2f} {r['peak_rss_mb']:12d} {same:>13}")
    print(f"  load after:  {after}")
    if a.json:
        print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
