"""Audio that lies about itself: alignment error after repair, decode memory, and what the checks cost.

    .venv/bin/python bench/audio_sanity.py            # JFK variants, memory, 10-minute overhead
    .venv/bin/python bench/audio_sanity.py --json     # the same numbers as one JSON object

1. Alignment: the JFK example (11 s, 22 words) broken in the ways issue 12 lists, decoded and
   aligned with the offline aligner; per variant the largest and mean distance of word starts and
   ends from the clean file's, and the summary's counts. "1e20, clipped" is what clipping
   instead of rescaling would give (the decoder rescales; this variant is written pre-clipped).
2. Memory: the traced peak (tracemalloc: Python and numpy allocations) of decoding files whose
   headers lie, next to the output's own size.
3. Cost: the wall time of decoding a 10-minute 44.1 kHz stereo WAV, and of the sanity checks
   alone over the same blocks (read + check + mix minus read + mix; best of 3 each).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import tempfile
import threading
import time
import tracemalloc
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from aligner_core.align.api import AlignRequest, align  # noqa: E402
from aligner_core.audio import AudioError, AudioReader, decode  # noqa: E402
from aligner_core.audio_sanity import MixPlan, SampleCheck  # noqa: E402
from aligner_core.document import Document  # noqa: E402
from aligner_core.text import tokenize  # noqa: E402

JFK = REPO / "resources" / "examples" / "jfk.flac"
JFK_TXT = REPO / "resources" / "examples" / "jfk.txt"


def _jfk() -> tuple[np.ndarray, int]:
    import soundfile as sf

    return sf.read(str(JFK), dtype="float32", always_2d=True)


def _write(path: Path, data: np.ndarray, rate: int, **kw) -> Path:
    import soundfile as sf

    sf.write(str(path), data, rate, **kw)
    return path


def _piped_flac(path: Path, data: np.ndarray, rate: int) -> Path:
    import soundfile as sf

    read_end, write_end = os.pipe()
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(os.fdopen(read_end, "rb").read()))
    reader.start()
    with sf.SoundFile(write_end, "w", rate, data.shape[1], format="FLAC", subtype="PCM_16", closefd=True) as f:
        f.write(data)
    reader.join()
    path.write_bytes(got[0])
    return path


def _chained(path: Path, data: np.ndarray, rate: int, subtype: str) -> Path:
    import soundfile as sf
    import soxr

    if subtype == "OPUS":
        data, rate = soxr.resample(data, rate, 48000).astype(np.float32), 48000
    parts = []
    for half in (data[: len(data) // 2], data[len(data) // 2 :]):
        buf = io.BytesIO()
        sf.write(buf, half, rate, format="OGG", subtype=subtype)
        parts.append(buf.getvalue())
    path.write_bytes(b"".join(parts))
    return path


def variants(folder: Path) -> dict[str, Path]:
    data, rate = _jfk()
    x = data.astype(np.float64)
    spiky = data.copy()
    spiky[np.linspace(1000, len(data) - 1000, 40).astype(int)] = 1e20
    return {
        "clean": _write(folder / "clean.wav", data, rate, subtype="FLOAT"),
        "1e20, rescaled": _write(folder / "huge.wav", (x * 1e20).astype(np.float32), rate, subtype="FLOAT"),
        "1e20, clipped": _write(folder / "clipped.wav", np.clip(x * 1e20, -1, 1).astype(np.float32), rate, subtype="FLOAT"),
        "16-bit scale float": _write(folder / "int_scale.wav", (x * 32767).astype(np.float32), rate, subtype="FLOAT"),
        "40 spikes of 1e20": _write(folder / "spikes.wav", spiky, rate, subtype="FLOAT"),
        "NaN in 1% of samples": _write(folder / "nan.wav", np.where(np.random.default_rng(0).random(data.shape) < 0.01, np.nan, data).astype(np.float32), rate, subtype="FLOAT"),
        "right channel inverted": _write(folder / "inverted.wav", np.stack([data[:, 0], -data[:, 1]], axis=1), rate, subtype="PCM_16"),
        "FLAC through a pipe": _piped_flac(folder / "piped.flac", data, rate),
        "chained Ogg Vorbis": _chained(folder / "chained.ogg", data, rate, "VORBIS"),
        "chained Ogg Opus": _chained(folder / "chained.opus", data, rate, "OPUS"),
    }


def align_times(path: Path, text: str) -> tuple[list[tuple[int | None, int | None]], str, list[str]]:
    decoded = decode(path, envelope=False)
    doc = Document(tokenize(text, "en"), [], decoded.duration_ms, "en")
    result = align(AlignRequest.from_document(doc, decoded.samples, aligner="sphinx"))
    s = result.summary
    line = f"{s.aligned}/{s.words} aligned, {s.low_confidence} low"
    return [(t.start, t.end) for t in result.timings], line, [w.code for w in decoded.warnings]


def bench_alignment(folder: Path) -> list[dict]:
    text = JFK_TXT.read_text(encoding="utf-8")
    files = variants(folder)
    reference, _, _ = align_times(files["clean"], text)
    rows = []
    for name, path in files.items():
        times, line, codes = align_times(path, text)
        dist = [max(abs(a[0] - b[0]), abs(a[1] - b[1])) for a, b in zip(times, reference) if None not in a + b]
        missing = sum(1 for a in times if None in a)
        rows.append({
            "variant": name, "max_ms": max(dist) if dist else None, "mean_ms": round(float(np.mean(dist)), 1) if dist else None,
            "unaligned": missing, "summary": line, "warnings": codes,
        })
    return rows


def _traced(fn) -> tuple[object, int]:
    tracemalloc.start()
    try:
        try:
            result = fn()
        except AudioError as exc:
            result = exc
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def bench_memory(folder: Path) -> list[dict]:
    data, rate = _jfk()
    one_hz = _write(folder / "one_hertz.wav", data[:10000, :1], 1, subtype="PCM_16")
    claims = _write(folder / "claims.flac", data, rate, subtype="PCM_16")
    raw = bytearray(claims.read_bytes())
    raw[21] |= 0x0F  # STREAMINFO total samples: 2**36 - 1
    raw[22:26] = b"\xff\xff\xff\xff"
    claims.write_bytes(bytes(raw))
    low = _write(folder / "low.wav", np.random.default_rng(0).uniform(-0.3, 0.3, (4000 * 60, 1)).astype(np.float32), 4000, subtype="PCM_16")
    files = {
        "20 KB WAV claiming 1 Hz": one_hz,
        "FLAC claiming 2**36 frames": claims,
        "FLAC through a pipe (11 s)": _piped_flac(folder / "piped.flac", data, rate),
        "4 kHz WAV, 60 s": low,
    }
    rows = []
    for name, path in files.items():
        result, peak = _traced(lambda: decode(path, envelope=False))
        out = result.samples.nbytes if not isinstance(result, Exception) else 0
        rows.append({"file": name, "bytes": path.stat().st_size, "peak_mb": round(peak / 1e6, 2), "output_mb": round(out / 1e6, 2),
                     "result": "refused: " + str(result) if isinstance(result, Exception) else f"{len(result.samples)} samples"})
    return rows


def bench_cost(folder: Path) -> dict:
    rng = np.random.default_rng(1)
    rate, seconds = 44100, 600
    path = folder / "ten_minutes.wav"
    import soundfile as sf

    with sf.SoundFile(str(path), "w", rate, 2, subtype="PCM_16") as f:
        for _ in range(seconds // 30):
            f.write(rng.uniform(-0.3, 0.3, (rate * 30, 2)).astype(np.float32))

    def checks_only() -> None:
        with AudioReader(path) as reader:
            check = SampleCheck(2)
            plan = MixPlan()
            for block in reader.blocks(65536):
                clean = check.repair(block)
                check.measure(clean, plan.mono(clean))

    def read_and_mix() -> None:  # what decode did before the checks, less resampling and envelope
        plan = MixPlan()
        with AudioReader(path) as reader:
            for block in reader.blocks(65536):
                plan.mono(block)

    def best(fn) -> float:
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        return min(times)

    full = best(lambda: decode(path))
    reading = best(read_and_mix)
    checking = best(checks_only) - reading
    return {"file": "10 min 44.1 kHz stereo WAV", "decode_s": round(full, 3), "checks_s": round(max(0.0, checking), 3),
            "checks_share": round(max(0.0, checking) / full, 3)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        report = {"alignment": bench_alignment(folder), "memory": bench_memory(folder), "cost": bench_cost(folder)}
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print("alignment of JFK (22 words) against the clean file, offline aligner")
    for r in report["alignment"]:
        dist = "-" if r["max_ms"] is None else f"max {r['max_ms']:5d} ms  mean {r['mean_ms']:7.1f} ms"
        print(f"  {r['variant']:<24} {dist}  {r['summary']:<22} {','.join(r['warnings']) or '-'}")
    print("decode memory (tracemalloc peak)")
    for r in report["memory"]:
        print(f"  {r['file']:<28} {r['bytes']:>8} B  peak {r['peak_mb']:7.2f} MB  output {r['output_mb']:6.2f} MB  {r['result'][:90]}")
    c = report["cost"]
    print(f"checks on a {c['file']}: decode {c['decode_s']:.3f} s, of which sanity checks {c['checks_s']:.3f} s ({100 * c['checks_share']:.1f} %)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
