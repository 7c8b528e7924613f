"""Video preview figures: seek-to-frame latency, playback frame rate and memory on a 1080p H.264 file.

    .venv/bin/python bench/video.py                 # 60 s, 1920x1080, 25 fps, keyframe every 250 frames
    .venv/bin/python bench/video.py --seconds 20 --seeks 40 --json

The clip is made once with PyAV (libx264 ``veryfast``, crf 20, B-frames, a GOP of ``--gop`` frames
as cameras and web encodes use: 10 s at 25 fps) and cached under ``~/.cache/wordsync/bench/``.
Each figure is measured with :class:`aligner_core.video.FrameSource` as the editor's worker uses it,
at the pane size (``--size``, default 960x540):

* **seek**: frames at random times, each a cache miss (p50/p95/max ms; target p95 < 100 ms), with
  non-reference frames skipped up to the target (the editor's sharp frame) and without (plain seek);
* **pass**: the background pass after opening: every frame decoded once for the shot changes and
  re-encoded into the seek proxy (seconds, frames per second, proxy MB);
* **proxy seek**: the same random seeks in the proxy (the picture the editor shows first);
* **play**: every frame in order for 10 s from a random point (frames per second; 25 is real time);
* **memory**: the peak RSS of this process (the clip is generated in a child process).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import resource
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from aligner_core.video import FrameSource, frame_ms, probe_video  # noqa: E402
from aligner_core.video.proxy import shots_and_proxy  # noqa: E402


def clip_path(seconds: int, gop: int, fps: int) -> Path:
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "wordsync" / "bench"
    cache.mkdir(parents=True, exist_ok=True)
    return cache / f"video1080-{seconds}s-{fps}fps-gop{gop}-v3.mp4"


def _make(path: str, seconds: int, gop: int, fps: int) -> None:
    from tests.core.video_clips import write_clip

    per_scene = fps * 5  # a cut every 5 s
    scenes = (per_scene,) * (seconds * fps // per_scene)
    tmp = Path(path + ".part.mp4")
    write_clip(tmp, fps=Fraction(fps), scenes=scenes, size=(1920, 1080), gop=gop, texture=True)
    tmp.replace(path)


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


def measure_seeks(path: Path, size, count: int, skip: bool, seed: int) -> dict:
    info = probe_video(path)
    rng = random.Random(seed)
    times = []
    with FrameSource(path, cache_frames=2, skip_nonref=skip) as source:
        source.frame_at(0, size)  # opening and the first decode are not a seek
        for _ in range(count):
            k = rng.randrange(info.frame_count)
            t0 = time.perf_counter()
            source.frame_at(frame_ms(k, info.fps), size)
            times.append((time.perf_counter() - t0) * 1000)
    return {"p50_ms": round(percentile(times, 50), 1), "p95_ms": round(percentile(times, 95), 1),
            "max_ms": round(max(times), 1), "seeks": count}


def measure_play(path: Path, size, seconds: float, seed: int) -> dict:
    info = probe_video(path)
    start = random.Random(seed).randrange(max(1, info.frame_count - int(seconds * float(info.fps))))
    n = int(seconds * float(info.fps))
    with FrameSource(path, skip_nonref=True) as source:
        source.frame_at(frame_ms(start, info.fps), size)
        seeks = source.seeks
        t0 = time.perf_counter()
        for k in range(start + 1, start + 1 + n):
            source.frame_at(frame_ms(k, info.fps), size)
        elapsed = time.perf_counter() - t0
        return {"fps": round(n / elapsed, 1), "frames": n, "seeks_during_play": source.seeks - seeks}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--fps", type=int, default=25)
    parser.add_argument("--gop", type=int, default=250)
    parser.add_argument("--size", default="960x540")
    parser.add_argument("--seeks", type=int, default=60)
    parser.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.lower().split("x"))
    path = clip_path(args.seconds, args.gop, args.fps)
    if not path.exists():
        t0 = time.perf_counter()
        child = multiprocessing.get_context("spawn").Process(target=_make, args=(str(path), args.seconds, args.gop, args.fps))
        child.start()
        child.join()
        if child.exitcode != 0 or not path.exists():
            sys.exit("could not encode the clip")
        print(f"made {path.name} ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t0:.0f} s", flush=True)
    info = probe_video(path)
    result = {"clip": {"file": path.name, "size": f"{info.width}x{info.height}", "fps": float(info.fps),
                       "frames": info.frame_count, "gop": args.gop, "mb": round(path.stat().st_size / 1e6, 1)},
              "pane": args.size, "cpus": os.cpu_count()}
    result["seek"] = measure_seeks(path, size, args.seeks, True, 1)
    print(f"seek (skip non-reference frames): p50 {result['seek']['p50_ms']} ms, p95 {result['seek']['p95_ms']} ms, "
          f"max {result['seek']['max_ms']} ms over {args.seeks}", flush=True)
    result["seek_plain"] = measure_seeks(path, size, max(10, args.seeks // 3), False, 1)
    print(f"seek (plain, every frame decoded): p50 {result['seek_plain']['p50_ms']} ms, p95 {result['seek_plain']['p95_ms']} ms, "
          f"max {result['seek_plain']['max_ms']} ms over {result['seek_plain']['seeks']}", flush=True)
    result["play"] = measure_play(path, size, 10.0, 2)
    print(f"play at {args.size}: {result['play']['fps']} frames/s ({result['play']['seeks_during_play']} seeks)", flush=True)
    with tempfile.TemporaryDirectory(prefix="wordsync-bench-video-") as tmp:
        t0 = time.perf_counter()
        cuts, proxy = shots_and_proxy(path, Path(tmp) / "proxy.mp4")
        elapsed = time.perf_counter() - t0
        result["pass"] = {"seconds": round(elapsed, 1), "fps": round(info.frame_count / elapsed, 1), "cuts": len(cuts),
                          "expected_cuts": args.seconds // 5 - 1, "proxy_mb": round(proxy.stat().st_size / 1e6, 1)}
        print(f"background pass: {len(cuts)} shot changes (made {args.seconds // 5 - 1}) and a "
              f"{result['pass']['proxy_mb']} MB proxy in {elapsed:.1f} s ({result['pass']['fps']} frames/s)", flush=True)
        result["proxy_seek"] = measure_seeks(proxy, size, args.seeks, True, 1)
        print(f"proxy seek (first picture): p50 {result['proxy_seek']['p50_ms']} ms, p95 {result['proxy_seek']['p95_ms']} ms, "
              f"max {result['proxy_seek']['max_ms']} ms over {args.seeks}", flush=True)
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(f"peak RSS: {result['peak_rss_mb']} MB")
    if args.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
