"""Timing post-processors on a long document: what the dialog's live preview costs per change.

    .venv/bin/python bench/timing_tools.py [--json] [--words N] [--repeat N]

Builds N words (default 30,000, the editor's scale target) with the natural gaps of speech,
segments them into cues with the general profile, and prints, best of the runs:
- plan() with each tool alone and with all of them (the preview refreshes on every change);
- plan() over a 20-cue selection (the scope most edits use);
- applying the whole-document plan as one RetimeCues edit, and undoing it.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from fractions import Fraction
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from aligner_core.cues import get_profile, segment  # noqa: E402
from aligner_core.document import Break, Document, Token  # noqa: E402
from aligner_core.timing_tools import RetimeCues, TimingSettings, plan  # noqa: E402

WORDS = "and so my fellow Americans, ask not what your country can do for you; ask what you can do for your country.".split()


def long_document(n: int, seed: int = 1) -> Document:
    rng = random.Random(seed)
    tokens, t = [], 0
    for i in range(n):
        w = WORDS[i % len(WORDS)]
        t += rng.choice((0, 0, 0, 40, 120, 600))  # mostly touching words, some pauses
        d = rng.randint(120, 450)
        tokens.append(Token(w, (w.strip(",.;").lower(),), t, t + d, 0.9, brk=Break.LINE if i and i % 200 == 0 else Break.NONE))
        t += d
    doc = Document(tokens, [], t + 2000, "en")
    doc.cues = segment(doc, get_profile("general"))
    return doc


TOOLS = {
    "lead": TimingSettings(lead_in_ms=100, lead_out_ms=300),
    "chain": TimingSettings(chain_ms=500),
    "reading_speed": TimingSettings(max_cps=17.0),
    "durations": TimingSettings(min_duration_ms=1200, max_duration_ms=5000),
    "shots": None,  # made per document: a cut every 4 s
    "frames": TimingSettings(fps=Fraction(25)),  # a Fraction, as VideoInfo.fps is
    "min_gap": TimingSettings(min_gap_ms=120),
}


def _best(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="print the numbers as one JSON object")
    parser.add_argument("--words", type=int, default=30000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    doc = long_document(args.words)
    shots = tuple(range(4000, doc.duration_ms, 4000))
    tools = dict(TOOLS, shots=TimingSettings(shots=shots, shot_tolerance_ms=200))
    everything = TimingSettings(lead_in_ms=100, lead_out_ms=300, chain_ms=500, max_cps=17.0, min_duration_ms=1200,
                                max_duration_ms=5000, shots=shots, shot_tolerance_ms=200, fps=Fraction(25), min_gap_ms=120)
    out: dict[str, float | int] = {"words": len(doc.tokens), "cues": len(doc.cues)}
    for name, settings in tools.items():
        out[f"plan_{name}_ms"] = 1000 * _best(lambda s=settings: plan(doc, None, s), args.repeat)
    out["plan_all_ms"] = 1000 * _best(lambda: plan(doc, None, everything), args.repeat)
    middle = len(doc.cues) // 2
    out["plan_all_20_selected_ms"] = 1000 * _best(lambda: plan(doc, range(middle, middle + 20), everything), args.repeat)
    changes = plan(doc, None, everything)
    out["cues_changed_by_all"] = len(changes)

    def apply_and_undo() -> None:
        edit = RetimeCues(changes)
        edit.apply(doc)
        edit.revert(doc)

    out["apply_and_undo_ms"] = 1000 * _best(apply_and_undo, args.repeat)
    if args.json:
        print(json.dumps({k: round(v, 2) if isinstance(v, float) else v for k, v in out.items()}))
    else:
        for key, value in out.items():
            print(f"{key:>28}: {value:.1f}" if isinstance(value, float) else f"{key:>28}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
