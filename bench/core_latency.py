#!/usr/bin/env python3
"""How quickly the core answers, in seconds (the tests check the cadence in work done; these
are the numbers the tests no longer assert):

* progress: the offline aligner (sphinx) on JFK x N with a few seconds of room noise between
  copies, through ``align()``: the longest gap between progress callbacks and their count; and
  the backend alone (``align_window``, text running past the audio: its retries);
* cancel: the same alignment cancelled after 1 s: seconds from ``cancel()`` to ``Cancelled``;
* onsets: ``speech_edges`` on a 3-hour envelope of random peaks.

  python bench/core_latency.py [--copies 6] [--repeat 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aligner_core.align import registry  # noqa: E402
from aligner_core.align.api import AlignRequest, align  # noqa: E402
from aligner_core.audio import load_audio  # noqa: E402
from aligner_core.document import Document  # noqa: E402
from aligner_core.envelope import Envelope, EnvelopeLevel  # noqa: E402
from aligner_core.onsets import speech_edges  # noqa: E402
from aligner_core.progress import Cancelled, CancelToken  # noqa: E402
from aligner_core.text import tokenize  # noqa: E402

JFK_AUDIO = ROOT / "resources" / "examples" / "jfk.flac"
JFK_TEXT = (ROOT / "resources" / "examples" / "jfk.txt").read_text(encoding="utf-8").strip()


def long_jfk(copies: int) -> tuple[np.ndarray, str]:
    rng = np.random.default_rng(0)
    jfk = load_audio(JFK_AUDIO)
    parts = []
    for _ in range(copies):
        parts += [(0.0015 * rng.standard_normal(int(rng.uniform(0.5, 2.5) * 16000))).astype(np.float32), jfk]
    return np.concatenate(parts), "\n".join([JFK_TEXT] * copies)


def progress_gaps(audio: np.ndarray, text: str) -> dict:
    doc = Document(tokenize(text, "en"), [], len(audio) * 1000 // 16000, "en")
    times: list[float] = []
    t0 = time.monotonic()
    align(AlignRequest.from_document(doc, audio), progress=lambda f, s: times.append(time.monotonic()))
    points = [t0, *times, time.monotonic()]
    return {"max_gap_s": max(b - a for a, b in zip(points, points[1:])), "reports": len(times), "total_s": points[-1] - t0}


def backend_gaps() -> float:
    """align_window alone on JFK with text past its end (the retries and the rest's pass)."""
    jfk = load_audio(JFK_AUDIO)
    words = [t.units for t in tokenize(JFK_TEXT + " please call stella and ask her to bring these things from the store", "en")]
    times: list[float] = []
    t0 = time.monotonic()
    registry.get_backend("sphinx").align_window(jfk, words, "en", progress=lambda f, s: times.append(time.monotonic()))
    points = [t0, *times, time.monotonic()]
    return max(b - a for a, b in zip(points, points[1:]))


def cancel_latency(audio: np.ndarray, text: str, after_s: float = 1.0) -> float:
    doc = Document(tokenize(text, "en"), [], len(audio) * 1000 // 16000, "en")
    token = CancelToken()
    out: dict[str, float] = {}

    def work() -> None:
        try:
            align(AlignRequest.from_document(doc, audio), cancel=token)
        except Cancelled:
            out["at"] = time.monotonic()

    thread = threading.Thread(target=work)
    thread.start()
    time.sleep(after_s)
    asked = time.monotonic()
    token.cancel()
    thread.join()
    return out["at"] - asked if "at" in out else float("nan")


def onsets_3h() -> float:
    rate, rng, levels = 16000, np.random.default_rng(1), []
    frames = 3 * 3600 * rate
    for k in range(6):
        b = 64 * 4**k
        peaks = (rng.random(-(-frames // b)) < 0.5).astype(np.float32) * 0.5 + 0.001
        levels.append(EnvelopeLevel(b, -peaks, peaks))
    env = Envelope(rate, frames, tuple(levels))
    t0 = time.perf_counter()
    speech_edges(env, min_run_ms=0)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=6)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    registry.get_backend("sphinx").align_window(load_audio(JFK_AUDIO)[:16000], [("and",)], "en")  # warm
    audio, text = long_jfk(args.copies)
    runs = [progress_gaps(audio, text) for _ in range(args.repeat)]
    backend = [backend_gaps() for _ in range(args.repeat)]
    cancels = [cancel_latency(*long_jfk(2 * args.copies)) for _ in range(args.repeat)]
    onsets = [onsets_3h() for _ in range(args.repeat)]
    out = {
        "copies": args.copies,
        "align_max_progress_gap_s": [r["max_gap_s"] for r in runs],
        "align_reports": [r["reports"] for r in runs],
        "align_total_s": [r["total_s"] for r in runs],
        "backend_max_progress_gap_s": backend,
        "cancel_to_cancelled_s": cancels,
        "speech_edges_3h_s": onsets,
    }
    fmt = lambda xs: ", ".join(f"{x:.3f}" for x in xs)  # noqa: E731
    print(f"progress  align() JFK x {args.copies}: longest gap {fmt(out['align_max_progress_gap_s'])} s "
          f"({', '.join(map(str, out['align_reports']))} reports in {fmt(out['align_total_s'])} s)")
    print(f"          align_window, text past the audio: longest gap {fmt(backend)} s")
    print(f"cancel    JFK x {2 * args.copies}, cancel after 1 s -> Cancelled: {fmt(cancels)} s")
    print(f"onsets    speech_edges on 3 h of peaks: {fmt(onsets)} s")
    if args.json:
        print(json.dumps(out))


if __name__ == "__main__":
    main()
