"""Transcript reading and tokenizing: how fast bad files are refused, what markup costs.

    .venv/bin/python bench/transcript_read.py [--json] [--repeat N]

Prints, best of N runs:
- how long refusing /dev/zero, /dev/urandom and a FIFO with no writer takes (before the reader
  refused non-regular files, /dev/zero grew past 3 GB in seconds and a FIFO blocked forever);
- tokenize throughput on 1 MB of plain English, on 1 MB of subtitle text full of tags,
  sound labels and speaker labels, and on 1 MB (UTF-8) of Chinese, one token per character;
- load_transcript on a 5,000-cue SRT saved as .txt (content detection, parse, tokenize).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from aligner_core.text import TranscriptError, is_speech, read_transcript_bytes, tokenize  # noqa: E402
from aligner_core.transcripts import load_transcript  # noqa: E402

PLAIN = (REPO / "resources" / "examples" / "jfk.txt").read_text(encoding="utf-8").strip() + "\n"
MARKED = (
    '{\\an8}<i>And so, my fellow Americans,</i> [music]\n'
    'JOHN: ask not (laughs) what your <font color="#ffff00">country</font> can do for you;\n'
    "[applause] ask what you can do for your country. ♪\n"
)
CHINESE = "我用iPhone 15拍的，“你好”他说。今天天气很好，我们去公园散步吧！\n"


def _best(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def _refusal_ms(path: str, repeat: int) -> float:
    def run() -> None:
        try:
            read_transcript_bytes(path)
        except TranscriptError:
            return
        raise SystemExit(f"{path} was read: the reader must refuse it")

    return 1000 * _best(run, repeat)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="print the numbers as one JSON object")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    out: dict[str, float | int] = {}
    with tempfile.TemporaryDirectory() as folder:
        if os.name == "posix":
            fifo = Path(folder) / "fifo.txt"
            os.mkfifo(fifo)
            for name, path in (("dev_zero", "/dev/zero"), ("dev_urandom", "/dev/urandom"), ("fifo", str(fifo))):
                out[f"refuse_{name}_ms"] = round(_refusal_ms(path, args.repeat), 3)
        for name, unit, language in (("plain", PLAIN, "en"), ("markup", MARKED, "en"), ("chinese", CHINESE, "zh")):
            chars = 1_048_576 if language == "en" else 1_048_576 // 3  # a CJK character is 3 bytes of UTF-8
            text = (unit * (chars // len(unit) + 1))[:chars]
            toks: list = []
            seconds = _best(lambda: toks.__setitem__(slice(None), tokenize(text, language)), args.repeat)
            out[f"tokenize_{name}_mb_per_s"] = round(len(text.encode()) / 1_048_576 / seconds, 2)
            out[f"tokenize_{name}_tokens"] = len(toks)
            out[f"tokenize_{name}_unspoken_tokens"] = sum(1 for t in toks if not is_speech(t))
        cues = [
            f"{k + 1}\n00:{k // 60 % 60:02d}:{k % 60:02d},000 --> 00:{k // 60 % 60:02d}:{k % 60:02d},900\n{MARKED.splitlines()[k % 3]}\n"
            for k in range(5000)
        ]
        srt = Path(folder) / "film.txt"
        srt.write_text("\n".join(cues), encoding="utf-8")
        doc_box: list = []
        out["load_srt_as_txt_5000_cues_s"] = round(_best(lambda: doc_box.append(load_transcript(srt, "en")), args.repeat), 3)
        out["load_srt_as_txt_cues"] = len(doc_box[-1].cues)
    if args.json:
        print(json.dumps(out))
    else:
        width = max(map(len, out))
        for key, value in out.items():
            print(f"{key:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
