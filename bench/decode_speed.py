"""Decode speed: plain decode vs decode + envelope pyramid, on generated long files.

    .venv/bin/python bench/decode_speed.py                  # 10-minute wav, flac, mp3, m4a
    .venv/bin/python bench/decode_speed.py --minutes 30 --formats mp3 --repeat 1

Prints, per format, the best-of-N (interleaved) wall time of ``decode(envelope=False)`` and
``decode(envelope=True)``, their ratio (target: <= 1.5), the real-time factor, and the traced
peak of Python/numpy allocations for the full decode (target for 3 h: < 1.5 GB).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tracemalloc
from fractions import Fraction
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aligner_core.audio import decode  # noqa: E402

FORMATS = {
    # name: (source rate, channels, codec for PyAV or None for soundfile)
    "wav": (48000, 2, None),
    "flac": (44100, 2, None),
    "mp3": (44100, 2, "libmp3lame"),
    "m4a": (48000, 2, "aac"),
}


def signal_chunks(seconds: float, rate: int, channels: int, chunk_s: float = 10.0):
    """Speech-like test audio (noise in 4 Hz syllable bursts over a low tone), chunk by chunk."""
    rng = np.random.default_rng(0)
    n_total = int(seconds * rate)
    step = int(chunk_s * rate)
    for start in range(0, n_total, step):
        n = min(step, n_total - start)
        t = (start + np.arange(n)) / rate
        bursts = 0.5 * (1 + np.sin(2 * np.pi * 4 * t)) ** 2 / 4
        mono = 0.3 * bursts * rng.standard_normal(n) + 0.1 * np.sin(2 * np.pi * 150 * t)
        yield np.repeat(mono[:, None], channels, axis=1).astype(np.float32)


def generate(path: Path, minutes: float, fmt: str) -> Path:
    rate, channels, codec = FORMATS[fmt]
    seconds = minutes * 60
    if codec is None:
        import soundfile as sf

        with sf.SoundFile(str(path), "w", rate, channels, subtype="PCM_16") as f:
            for chunk in signal_chunks(seconds, rate, channels):
                f.write(chunk)
        return path
    import av

    layout = {1: "mono", 2: "stereo"}[channels]
    with av.open(str(path), "w") as container:
        stream = container.add_stream(codec, rate=rate)
        stream.layout = layout
        stream.bit_rate = 128_000
        pts = 0
        for chunk in signal_chunks(seconds, rate, channels):
            frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(chunk.T), format="fltp", layout=layout)
            frame.sample_rate = rate
            frame.pts = pts
            frame.time_base = Fraction(1, rate)
            pts += len(chunk)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def best_times(fns, repeat: int) -> list[float]:
    """Best-of-N for each function, run interleaved so load from other processes hits both alike."""
    best = [float("inf")] * len(fns)
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            t = time.perf_counter()
            fn()
            best[i] = min(best[i], time.perf_counter() - t)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--formats", default="wav,flac,mp3,m4a")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"{'format':6} {'source':>12} {'plain s':>8} {'+env s':>8} {'ratio':>6} {'x realtime':>10} {'peak MB':>8} {'env MB':>7}")
    with tempfile.TemporaryDirectory() as folder:
        for fmt in args.formats.split(","):
            path = generate(Path(folder) / f"bench.{fmt}", args.minutes, fmt)
            decode(path, envelope=False)  # warm the page cache and imports
            plain, full = best_times([lambda: decode(path, envelope=False), lambda: decode(path, envelope=True)], args.repeat)
            tracemalloc.start()
            result = decode(path, envelope=True)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            info = result.info
            source = f"{info.sample_rate / 1000:g}k/{info.channels}ch"
            print(
                f"{fmt:6} {source:>12} {plain:8.2f} {full:8.2f} {full / plain:6.2f} "
                f"{args.minutes * 60 / full:10.0f} {peak / 1e6:8.1f} {result.envelope.nbytes / 1e6:7.1f}"
            )
            del result


if __name__ == "__main__":
    main()
