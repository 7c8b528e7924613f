#!/usr/bin/env python3
"""Qwen3-ForcedAligner throughput on a CUDA GPU: audio seconds aligned per second, bf16, batched.

  python bench/qwen3_gpu.py [--batch 8] [--window-s 60] [--words-per-s 2.5] [--iters 10] [--json]
  python bench/qwen3_gpu.py --tiny          # a smoke check of this script on the CPU

The model is built from the full-size configuration of Qwen3-ForcedAligner-0.6B, written out
below as a dict (no download), with random weights: the cost of a forward pass depends on the
shapes, not on the weights' values. Each window is what the engine feeds the aligner: the log-mel
features of ``--window-s`` seconds of audio (random values, the right shape) and a prompt of
``<|audio_start|>``, one ``<|audio_pad|>`` per audio-encoder output frame, ``<|audio_end|>``, then
for each word a few text tokens and its two ``<timestamp>`` slots. ``--batch`` windows of equal
length go through one forward pass (``Qwen3ASRForTokenClassification``: audio encoder, projector,
28-layer text model, the 5000-class timestamp head), timed with CUDA synchronisation after a
warm-up. Not timed: the mel features (computed on the CPU by the feature extractor, about 1 ms per
second of audio) and the decoding of the predicted classes into times (cheap).

Printed: parameters, the throughput in audio seconds per second (x real time), time per batch,
peak GPU memory. Without CUDA (and without ``--tiny``) it says so and measures nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# Qwen3-ForcedAligner-0.6B's configuration (24-layer 1024-wide audio encoder, 28-layer text model,
# 5000 timestamp classes of 80 ms): one copy, shared with bench/qwen3_cpu.py; where it comes from
# is written there.
from qwen3_config import AUDIO_END, AUDIO_START, FULL_CONFIG  # noqa: E402

TINY_CONFIG = {
    "audio_config": {"encoder_layers": 2, "encoder_attention_heads": 2, "encoder_ffn_dim": 32, "d_model": 16,
                     "downsample_hidden_size": 4, "output_dim": 32, "num_mel_bins": 128},
    "text_config": {"vocab_size": 152000, "hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 2,
                    "num_attention_heads": 2, "num_key_value_heads": 1, "head_dim": 16, "max_position_embeddings": 8192},
    "audio_token_id": 151676, "timestamp_token_id": 151705, "pad_token_id": 151645, "eos_token_id": 151645,
    "num_labels": 64,
}


def build(config: dict, device: str, dtype):
    import torch
    from transformers import Qwen3ASRConfig, Qwen3ASRForTokenClassification

    torch.manual_seed(0)
    with torch.device(device):  # weights made where they run: no 3 GB detour through host memory
        model = Qwen3ASRForTokenClassification(Qwen3ASRConfig(**config)).to(dtype).eval()
    return model


def batch_inputs(config: dict, batch: int, window_s: float, words_per_s: float, device: str, dtype):
    """One batch of equal windows: mel features, their mask, and the aligner's prompt ids."""
    import torch
    from transformers.models.qwen3_asr.modeling_qwen3_asr import (
        _get_feat_extract_output_lengths,
    )

    frames = int(window_s * 100)  # 10 ms hop
    n_window = config["audio_config"].get("n_window", 50)
    audio_tokens = int(_get_feat_extract_output_lengths(torch.tensor([frames]), n_window)[0])
    words = max(1, int(window_s * words_per_s))
    g = torch.Generator().manual_seed(0)
    rows = []
    for _ in range(batch):
        ids = [AUDIO_START] + [config["audio_token_id"]] * audio_tokens + [AUDIO_END]
        for w in torch.randint(1000, 100000, (words, 2), generator=g).tolist():  # ~2 text tokens a word
            ids += w + [config["timestamp_token_id"]] * 2
        rows.append(ids)
    input_ids = torch.tensor(rows, device=device)
    features = torch.randn(batch, config["audio_config"].get("num_mel_bins", 128), frames, generator=g).to(device, dtype)
    mask = torch.ones(batch, frames, dtype=torch.long, device=device)
    return {"input_ids": input_ids, "input_features": features, "input_features_mask": mask,
            "attention_mask": torch.ones_like(input_ids)}, audio_tokens, words


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--window-s", type=float, default=60.0, help="seconds of audio per window (the engine's windows are up to 180 s)")
    ap.add_argument("--words-per-s", type=float, default=2.5)
    ap.add_argument("--iters", type=int, default=10)
    ap.add_argument("--tiny", action="store_true", help="a 2-layer model on the CPU: checks the script, measures nothing")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()

    import torch

    cuda = torch.cuda.is_available()
    if not cuda and not a.tiny:
        print("no CUDA GPU here: Qwen3-ForcedAligner GPU throughput is unmeasured (run with --tiny for a smoke check)")
        return 0
    if a.tiny:
        # the full configuration is still checked: transformers accepts it and it has the size
        full = build(FULL_CONFIG, "meta", torch.bfloat16)  # shapes only, no memory
        print(f"full-size configuration: {sum(p.numel() for p in full.parameters()) / 1e6:.1f} M parameters (not run)")
        del full
        device, dtype, config = ("cuda" if cuda else "cpu"), torch.float32, TINY_CONFIG
        a.batch, a.window_s, a.iters = min(a.batch, 2), min(a.window_s, 5.0), 1
    else:
        device, dtype, config = "cuda", torch.bfloat16, FULL_CONFIG
    model = build(config, device, dtype)
    params = sum(p.numel() for p in model.parameters())
    inputs, audio_tokens, words = batch_inputs(config, a.batch, a.window_s, a.words_per_s, device, dtype)
    seq = inputs["input_ids"].shape[1]

    def sync() -> None:
        if device == "cuda":
            torch.cuda.synchronize()

    with torch.inference_mode():
        for _ in range(1 if a.tiny else 3):  # warm-up: kernels, allocator
            logits = model(**inputs).logits
        sync()
        if device == "cuda":
            torch.cuda.reset_peak_memory_stats()
        t = time.perf_counter()
        for _ in range(a.iters):
            logits = model(**inputs).logits
            # what the engine reads: the class of each timestamp slot
            slots = logits[inputs["input_ids"] == config["timestamp_token_id"]].argmax(-1)
        sync()
        elapsed = time.perf_counter() - t
    assert slots.numel() == a.batch * words * 2, slots.shape
    audio_s = a.batch * a.window_s * a.iters
    out = {
        "device": torch.cuda.get_device_name(0) if device == "cuda" else "cpu", "dtype": str(dtype).replace("torch.", ""),
        "tiny": a.tiny, "params_m": round(params / 1e6, 1), "batch": a.batch, "window_s": a.window_s,
        "words_per_window": words, "audio_tokens_per_window": audio_tokens, "sequence": seq,
        "seconds_per_batch": elapsed / a.iters, "audio_s_per_s": audio_s / elapsed,
        "peak_gpu_gb": torch.cuda.max_memory_allocated() / 2**30 if device == "cuda" else None,
    }
    print(f"{out['device']} {out['dtype']}{' (tiny model: a smoke check, not a measurement)' if a.tiny else ''}: "
          f"{out['params_m']} M parameters, batch {a.batch} x {a.window_s:g} s windows ({words} words, {seq} tokens each)")
    print(f"  {out['seconds_per_batch'] * 1000:.1f} ms per batch = {out['audio_s_per_s']:.0f} s of audio aligned per second"
          + (f", peak GPU memory {out['peak_gpu_gb']:.2f} GB" if out["peak_gpu_gb"] is not None else ""))
    if a.json:
        print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
