"""Timing post-processors on a long document: what the dialog's live preview costs per change.

    .venv/bin/python bench/timing_tools.py [--json] [--words N] [--repeat N] [--dialog]

Builds N words (default 30,000, the editor's scale target) with the natural gaps of speech,
segments them into cues with the general profile, and prints, best of the runs:
- plan() with each tool alone and with all of them (the preview refreshes on every change);
- plan() over a 20-cue selection (the scope most edits use);
- applying the whole-document plan as one RetimeCues edit, and undoing it;
- with --dialog, the Timing post-processor dialog itself (Qt offscreen): a value typed as 10 keys
  in a row, each key's time in the GUI thread and the plans made, with the preview gathered as the
  dialog does it (one plan when typing pauses) and planned on every key as it was before; and one
  preview (plan + table) on its own.
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


def dialog_numbers(doc: Document, keys: int = 10) -> dict[str, float | int]:
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.dialogs.timing_tools import PREVIEW_DELAY_MS, TimingToolsDialog

    app = QApplication.instance() or QApplication([])
    dialog = TimingToolsDialog(lambda: doc, [], get_profile("general"))
    for key, check in dialog.checks.items():  # the same tools whatever the user's settings hold
        check.setChecked(key in ("lead_out", "min_gap"))
    dialog.values["min_gap"].setValue(120)
    dialog.preview_now()
    app.processEvents()  # the table's own deferred work on the first preview
    spin = dialog.values["lead_out"]
    plans = []
    dialog.model.modelReset.connect(lambda: plans.append(1))

    def typing(every_key: bool) -> tuple[float, float, int]:
        plans.clear()
        times = []
        for k in range(keys):
            t0 = time.perf_counter()
            spin.setValue(200 + k)
            if every_key:  # what the dialog did before: the plan on every change
                dialog.preview_now()
            app.processEvents()  # the key's event handling ends here; a pending timer does not run yet
            times.append(time.perf_counter() - t0)
        loop = QEventLoop()
        QTimer.singleShot(PREVIEW_DELAY_MS + 100, loop.quit)  # the pause after typing
        loop.exec()
        return 1000 * sum(times) / len(times), 1000 * max(times), len(plans)

    out: dict[str, float | int] = {"preview_delay_ms": PREVIEW_DELAY_MS}
    mean, worst, n = typing(every_key=False)
    out.update(dialog_key_mean_ms=mean, dialog_key_max_ms=worst, dialog_plans_for_10_keys=n)
    mean, worst, n = typing(every_key=True)
    out.update(every_key_key_mean_ms=mean, every_key_key_max_ms=worst, every_key_plans_for_10_keys=n)
    spin.setValue(150)
    t0 = time.perf_counter()
    dialog.preview_now()
    app.processEvents()  # the table view lays out the new rows (its columns fit their contents)
    out["one_preview_ms"] = 1000 * (time.perf_counter() - t0)
    out["preview_rows"] = dialog.model.rowCount()
    dialog.deleteLater()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="print the numbers as one JSON object")
    parser.add_argument("--words", type=int, default=30000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--dialog", action="store_true", help="also time typing in the dialog (needs PySide6)")
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
    if args.dialog:
        out.update(dialog_numbers(doc))
    if args.json:
        print(json.dumps({k: round(v, 2) if isinstance(v, float) else v for k, v in out.items()}))
    else:
        for key, value in out.items():
            print(f"{key:>28}: {value:.1f}" if isinstance(value, float) else f"{key:>28}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
