#!/usr/bin/env python3
"""Word error rate and speed of the recognisers, and peak memory on a long recording.

  python bench/transcribe.py [--asr sphinx,sensevoice,qwen3-asr] [--limit N] [--json]
                             [--long-minutes 180] [--long-asr sphinx] [--align]

Reads ``../shared/eval/timit_dev`` next to the repository (or ``$WORDSYNC_EVAL``) and exits
cleanly when it is absent; the data never leaves that folder. For each recogniser that can run
here (sphinx always; SenseVoiceSmall and Qwen3-ASR only when their weights are on disk) it
transcribes every utterance through :func:`aligner_core.transcribe.transcribe` (``align=False``
unless ``--align``: recognition is what the WER measures) and prints the word error rate
(substitutions + deletions + insertions over reference words, after lower-casing and dropping
punctuation, numbers as the transcripts write them) and x real time (audio seconds per wall
second on this machine). JFK (resources/examples) is scored the same way.

``--long-minutes M`` builds an M-minute recording by repeating timit_dev utterances with pauses
(as ../shared/eval/make_long.py does) in a temporary folder and transcribes it in a child process,
reporting its peak resident memory, the memory the samples alone need, and the time taken.
``--long-asr sensevoice --long-model DIR`` with the tiny stand-in graph of
tests/core/tiny_sensevoice.py measures the pipeline's own memory (windows, batches, draft) over
hours in minutes; the real model adds its own, constant per batch.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def eval_dir() -> Path:
    return Path(os.environ.get("WORDSYNC_EVAL") or REPO.parent / "shared" / "eval")


def words_of(text: str) -> list[str]:
    text = text.lower().replace("’", "'")
    return [w.strip("'") for w in re.findall(r"[\w']+", text) if w.strip("'")]


def edit_distance(ref: list[str], hyp: list[str]) -> int:
    prev = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        cur = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (r != h))
        prev = cur
    return prev[-1]


def available(asr: str) -> str | None:
    """None when the recogniser can run here, else why not."""
    from aligner_core.transcribe.registry import choose

    try:
        choose(asr, "en")
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        return str(exc)
    return None


def run_set(asr: str, items: list[tuple[str, Path, str]], align: bool) -> dict:
    import numpy as np
    import soundfile as sf

    from aligner_core.audio import decode
    from aligner_core.transcribe import TranscribeError, TranscribeRequest, transcribe

    errors = ref_words = 0
    audio_s = wall = 0.0
    failed = []
    for name, wav, text in items:
        if wav.suffix == ".wav":
            audio, _ = sf.read(str(wav), dtype="float32")
        else:
            audio = decode(wav, envelope=False).samples
        audio = np.asarray(audio, dtype=np.float32)
        t0 = time.perf_counter()
        try:
            result = transcribe(TranscribeRequest(audio, asr=asr, language="en", align=align, name=name))
            hyp = [t.text for t in result.document.tokens if t.units]
        except TranscribeError as exc:
            hyp = []
            failed.append(f"{name}: {exc}")
        wall += time.perf_counter() - t0
        ref = words_of(text)
        errors += edit_distance(ref, words_of(" ".join(hyp)))
        ref_words += len(ref)
        audio_s += len(audio) / 16000
    return {
        "asr": asr,
        "utterances": len(items),
        "ref_words": ref_words,
        "wer_percent": round(100.0 * errors / max(1, ref_words), 1),
        "audio_s": round(audio_s, 1),
        "wall_s": round(wall, 1),
        "x_real_time": round(audio_s / wall, 2) if wall else None,
        "aligned": align,
        "failed": failed[:5],
    }


_CHILD = r"""
import json, resource, sys, time
import soundfile as sf, numpy as np
sys.path.insert(0, sys.argv[1])
from aligner_core.transcribe import TranscribeRequest, transcribe
audio, _ = sf.read(sys.argv[2], dtype="float32")
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
r = transcribe(TranscribeRequest(np.asarray(audio, np.float32), asr=sys.argv[3], model=sys.argv[5] or None, language="en", align=sys.argv[4] == "1"))
print(json.dumps({"peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "rss_after_load_mb": base / 1024,
                  "wall_s": time.perf_counter() - t0, "words": r.summary.words, "segments": r.summary.segments}))
"""


def long_run(minutes: float, asr: str, align: bool, src: Path, model: str | None = None) -> dict:
    import numpy as np
    import soundfile as sf

    rng = np.random.default_rng(0)
    wavs = sorted(src.glob("*.wav"))
    with tempfile.TemporaryDirectory(prefix="wordsync-long-") as tmp:
        out = Path(tmp) / "long.wav"
        target = int(minutes * 60 * 16000)
        written = 0
        with sf.SoundFile(str(out), "w", 16000, 1, "PCM_16") as fh:
            while written < target:
                for k in rng.permutation(len(wavs)):
                    a, _ = sf.read(str(wavs[k]), dtype="int16")
                    gap = rng.normal(0, 20, int(rng.uniform(0.2, 1.5) * 16000)).astype(np.int16)
                    fh.write(a)
                    fh.write(gap)
                    written += len(a) + len(gap)
                    if written >= target:
                        break
        proc = subprocess.run([sys.executable, "-c", _CHILD, str(REPO), str(out), asr, "1" if align else "0", model or ""], capture_output=True, text=True)
        if proc.returncode != 0:
            return {"minutes": minutes, "asr": asr, "error": (proc.stderr.strip().splitlines() or ["?"])[-1]}
        info = json.loads(proc.stdout.strip().splitlines()[-1])
    info.update(minutes=minutes, asr=asr, model=model, aligned=align, samples_mb=round(written * 4 / 2**20, 1))
    info["x_real_time"] = round(written / 16000 / info["wall_s"], 2)
    return {k: (round(v, 1) if isinstance(v, float) else v) for k, v in info.items()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--asr", default="sphinx,sensevoice,qwen3-asr")
    ap.add_argument("--limit", type=int, default=0, help="only the first N utterances")
    ap.add_argument("--align", action="store_true", help="also force-align each draft (speed includes it)")
    ap.add_argument("--long-minutes", type=float, default=0.0, help="peak memory on a recording this long (180: 3 hours)")
    ap.add_argument("--long-asr", default="sphinx")
    ap.add_argument("--long-model", help="the long run's model folder (e.g. tests/core/tiny_sensevoice.py's stand-in, to measure the pipeline's own memory over hours quickly)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    src = eval_dir() / "timit_dev"
    if not src.is_dir():
        print(f"no evaluation data at {src}; nothing to measure")
        return 0
    items = []
    for wav in sorted(src.glob("*.wav")):
        items.append((wav.stem, wav, (wav.with_suffix(".txt")).read_text(encoding="utf-8")))
    if args.limit:
        items = items[: args.limit]
    jfk = [("jfk", REPO / "resources/examples/jfk.flac", (REPO / "resources/examples/jfk.txt").read_text(encoding="utf-8"))]
    report: dict = {"timit_dev": [], "jfk": [], "skipped": {}, "long": None}
    for asr in [a.strip() for a in args.asr.split(",") if a.strip()]:
        why = available(asr)
        if why:
            report["skipped"][asr] = why
            continue
        report["timit_dev"].append(run_set(asr, items, args.align))
        report["jfk"].append(run_set(asr, jfk, args.align))
    if args.long_minutes:
        report["long"] = long_run(args.long_minutes, args.long_asr, args.align, src, args.long_model)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    for key in ("timit_dev", "jfk"):
        for r in report[key]:
            print(f"{key:10s} {r['asr']:11s} WER {r['wer_percent']:5.1f}%  ({r['ref_words']} words, {r['utterances']} utt)  {r['x_real_time']}x real time{' (aligned)' if r['aligned'] else ''}")
    for asr, why in report["skipped"].items():
        print(f"skipped {asr}: {why}")
    if report["long"]:
        print("long:", json.dumps(report["long"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
