#!/usr/bin/env python3
"""Annotation tiers at scale: what 30,000 intervals cost the timeline, an edit, the project file
and the TextGrid export.

  python bench/tiers.py [--words 30000] [--intervals 30000] [--steps 60] [--json]

* pan: the real editor window offscreen (1600x760), the timeline panned across the whole document
  at 30 s and 5 s per screen; per step the range is set and the plot's viewport repainted
  synchronously; median and p95 with no tiers, then with an interval tier of ``--intervals``
  items and a point tier of a third as many (the lane draws only the items in view);
* edit: AddAnnotation in the middle of the big tier, and its undo (median of 50);
* save / load of the project, render of the TextGrid (median of 5).

With ``--json`` the last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aligner_core.document import Annotation, Cue, Document, Tier, Token  # noqa: E402
from aligner_core.formats import render_document  # noqa: E402
from aligner_core.project import Project, load_project, save_project  # noqa: E402
from aligner_core.tier_edits import AddAnnotation  # noqa: E402


def build(words: int, intervals: int) -> Document:
    tokens = [Token(f"w{i}", (f"w{i}",), i * 400, i * 400 + 300) for i in range(words)]
    cues = [Cue(a, min(a + 7, words - 1)) for a in range(0, words, 8)]
    duration = words * 400 + 1000
    step = duration // (intervals + 1)
    big = Tier("gesture", tuple(Annotation(k * step, k * step + step * 2 // 3, f"g{k}") for k in range(intervals)))
    points = Tier("clicks", tuple(Annotation(k * step * 3, k * step * 3, f"c{k}") for k in range(intervals // 3)), True)
    return Document(tokens, cues, duration, "en", tiers=[big, points])


def ms(samples: list[float]) -> dict:
    s = sorted(samples)
    return {"median_ms": round(statistics.median(s) * 1000, 3), "p95_ms": round(s[int(0.95 * (len(s) - 1))] * 1000, 3)}


def pan(win, app, doc: Document, span_ms: int, steps: int) -> dict:
    timeline = win.timeline
    viewport = timeline.plot.viewport()
    stride = max(1, (doc.duration_ms - span_ms) // steps)
    times = []
    for k in range(steps):
        t0 = k * stride
        start = time.perf_counter()
        timeline.set_range_ms(t0, t0 + span_ms)
        viewport.repaint()
        times.append(time.perf_counter() - start)
        app.processEvents()
    return ms(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--words", type=int, default=30000)
    ap.add_argument("--intervals", type=int, default=30000)
    ap.add_argument("--steps", type=int, default=60)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    from PySide6.QtWidgets import QApplication

    from desktop.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    doc = build(args.words, args.intervals)
    out: dict = {"words": args.words, "intervals": args.intervals}

    win = MainWindow()
    win.resize(1600, 760)
    win.show()
    bare = Document(list(doc.tokens), list(doc.cues), doc.duration_ms, "en")
    for label, d in (("no_tiers", bare), ("tiers", doc.copy())):
        win.session.set_document(d)
        app.processEvents()
        for span in (30_000, 5_000):
            out[f"pan_{label}_{span // 1000}s"] = pan(win, app, d, span, args.steps)
    out["lane_items_drawn_5s"] = sum(len(b[2]) for b in win.tiers.lane.bands)

    edit_doc = doc.copy()
    mid = edit_doc.tiers[0].items[len(edit_doc.tiers[0].items) // 2]
    gap = (mid.end, mid.end + 1)
    add, undo = [], []
    for _ in range(50):
        e = AddAnnotation(0, *gap, "x")
        t = time.perf_counter()
        e.apply(edit_doc)
        add.append(time.perf_counter() - t)
        t = time.perf_counter()
        e.revert(edit_doc)
        undo.append(time.perf_counter() - t)
    out["add_interval"], out["undo_add_interval"] = ms(add), ms(undo)

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.wordsync"
        saves, loads, grids = [], [], []
        for _ in range(5):
            t = time.perf_counter()
            save_project(Project(doc), path)
            saves.append(time.perf_counter() - t)
            t = time.perf_counter()
            load_project(path)
            loads.append(time.perf_counter() - t)
            t = time.perf_counter()
            render_document(doc, "textgrid")
            grids.append(time.perf_counter() - t)
        out["project_bytes"] = path.stat().st_size
    out["save"], out["load"], out["textgrid"] = ms(saves), ms(loads), ms(grids)

    for key, value in out.items():
        print(f"{key:28} {value}")
    if args.json:
        print(json.dumps(out))
    win.close()


if __name__ == "__main__":
    main()
