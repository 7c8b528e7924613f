#!/usr/bin/env python3
"""Pause-edge refinement on synthetic speech with known word edges (issue 11, part 5).

  python bench/pause_edges.py [--seed 0] [--json]

espeak-ng says each word on its own; each is trimmed where its energy falls 35 dB under its own
peak (that is the truth here: where the sound starts and stops), and the words are joined with
low noise: a pause of 0.3-0.8 s after every third word, 60 ms between the others. The offline
aligner (sphinx backend, one window) aligns them with and without the energy refinement of
pause edges; printed per mode: the signed and absolute error of word ends before a pause and of
word starts after one, and the pause-facing ends more than 50 ms early (the issue's symptom).
The truth is an energy criterion, not a phonetician's boundary: a weak final sound under -35 dB
counts as silence here. Needs espeak-ng.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

WORDS = ("please call stella and ask her to bring these things with her from the store six spoons of fresh snow peas "
         "five thick slabs of blue cheese we also need a small plastic snake and a big toy frog for the kids").split()


def say(word: str) -> np.ndarray:
    import soundfile as sf
    import soxr

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "w.wav")
        subprocess.run(["espeak-ng", "-v", "en-us", "-s", "150", "-w", path, word], check=True, capture_output=True)
        x, rate = sf.read(path, dtype="float32")
    x = (0.5 * soxr.resample(x, rate, 16000)).astype(np.float32)
    frames = x[: len(x) // 160 * 160].reshape(-1, 160)
    level = 10 * np.log10(np.mean(frames**2, axis=1) + 1e-12)
    on = np.flatnonzero(level > level.max() - 35.0)
    return x[on[0] * 160 : (on[-1] + 1) * 160]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    if shutil.which("espeak-ng") is None:
        print("pause_edges: espeak-ng is not installed; nothing to measure")
        return 0
    from aligner_core.align.backends.sphinx import SphinxBackend, SphinxParams

    rng = np.random.default_rng(a.seed)
    parts, truth, pos = [], [], 0
    for k, word in enumerate([""] + WORDS):
        if word:
            x = say(word)
            truth.append((pos / 16.0, (pos + len(x)) / 16.0))
            parts.append(x)
            pos += len(x)
        gap = rng.uniform(0.3, 0.8) if k % 3 == 0 else 0.06
        noise = (0.001 * rng.standard_normal(int(gap * 16000))).astype(np.float32)
        parts.append(noise)
        pos += len(noise)
    audio = np.concatenate(parts)
    before_pause = [k for k in range(len(WORDS)) if (k + 1) % 3 == 0]
    after_pause = [k + 1 for k in before_pause if k + 1 < len(WORDS)]
    out = {}
    for refine in (True, False):
        timings = SphinxBackend(SphinxParams(refine=refine)).align_window(audio, [(w,) for w in WORDS], "en")
        ends = np.array([timings[k].end - truth[k][1] for k in before_pause], dtype=float)
        starts = np.array([timings[k].start - truth[k][0] for k in after_pause], dtype=float)
        early = [(WORDS[k], int(e)) for k, e in zip(before_pause, ends) if e < -50]
        out["refine" if refine else "no_refine"] = {
            "end_before_pause_mean_ms": round(float(ends.mean()), 1),
            "end_before_pause_abs_ms": round(float(np.abs(ends).mean()), 1),
            "start_after_pause_mean_ms": round(float(starts.mean()), 1),
            "start_after_pause_abs_ms": round(float(np.abs(starts).mean()), 1),
            "ends_early_over_50ms": early,
            "pauses": len(before_pause),
        }
    if a.json:
        print(json.dumps(out))
        return 0
    for mode, r in out.items():
        print(f"{mode:10s} ends before pauses {r['end_before_pause_mean_ms']:+6.1f} ms (|err| {r['end_before_pause_abs_ms']:5.1f}), "
              f"starts after pauses {r['start_after_pause_mean_ms']:+6.1f} ms (|err| {r['start_after_pause_abs_ms']:5.1f}); "
              f"ends > 50 ms early: {len(r['ends_early_over_50ms'])} of {r['pauses']} {r['ends_early_over_50ms']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
