"""Responsiveness of the editor's background work: the speeds the desktop tests used to assert.

    .venv/bin/python bench/responsiveness.py [--runs 3] [--json]

The tests check behaviour (a cancelled alignment leaves the document as it was, a closed window
stops its task); how fast is measured here, where a loaded machine skews a number instead of
failing a test. Offscreen, with the real editor window, the JFK example and the offline aligner:

* shutdown: a running task stopped from the GUI thread (closing the window): time to return;
* cancel: an alignment of 8 x JFK cancelled mid-work: time from Cancel to idle, and the
  longest gap between 20 ms GUI timer ticks while the alignment ran (the GUI thread blocked);
* close: the window closed while that alignment runs: time for close() to return;
* tasks: five files opened one after another: tasks and threads still alive afterwards.

With ``--json`` the last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _wait(app, predicate, timeout_s: float) -> None:
    end = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > end:
            raise SystemExit("timed out")
        app.processEvents()
        time.sleep(0.002)


def _shutdown(runs: int) -> list[float]:
    from desktop.tasks import Task

    def until_cancelled(context):
        while True:
            context.cancel.raise_if_cancelled()
            context.progress(0.5, "working")
            time.sleep(0.005)

    out = []
    for _ in range(runs):
        task = Task(until_cancelled)
        task.start()
        while not task.running:
            time.sleep(0.001)
        t0 = time.monotonic()
        assert task.shutdown(10_000)
        out.append(time.monotonic() - t0)
    return out


def _cancel(app, runs: int) -> dict:
    import numpy as np
    from PySide6.QtCore import QTimer

    from aligner_core.audio import decode
    from aligner_core.document import Document
    from aligner_core.text import read_transcript, tokenize
    from desktop.alignment import AlignmentOptions
    from desktop.main_window import EXAMPLE_DIR, MainWindow

    audio = decode(EXAMPLE_DIR / "jfk.flac")
    long_audio = replace(audio, samples=np.tile(audio.samples, 8), envelope=None)
    words = tokenize(read_transcript(EXAMPLE_DIR / "jfk.txt"), "en") * 8
    cancel_s, gaps_s, close_s = [], [], []
    for _ in range(runs):
        win = MainWindow()
        win.setProperty("quiet_errors", True)
        win.alignment.options = AlignmentOptions("sphinx", "", "cpu")
        win.session.set_audio(long_audio, None)
        win.session.set_document(Document(list(words), [], long_audio.duration_ms, "en"))
        ticks: list[float] = []
        timer = QTimer(win)
        timer.setInterval(20)
        timer.timeout.connect(lambda: ticks.append(time.monotonic()))
        timer.start()
        win.actions["timing.align"].trigger()
        _wait(app, lambda: len(ticks) >= 25, 30)
        t0 = time.monotonic()
        win.cancel_button.click()
        _wait(app, lambda: not win.busy, 30)
        cancel_s.append(time.monotonic() - t0)
        timer.stop()
        gaps_s.append(max(b - a for a, b in zip(ticks, ticks[1:])))
        win.session.mark_saved()
        # closing while it aligns again: the task runner cancels and waits (bounded) for the job
        win.actions["timing.align"].trigger()
        _wait(app, lambda: win.progress.value() > 0, 30)
        t0 = time.monotonic()
        win.close()
        close_s.append(time.monotonic() - t0)
        assert not win.busy
        win.deleteLater()
        app.processEvents()
    return {"cancel_s": cancel_s, "gui_max_gap_s": gaps_s, "close_s": close_s}


def _leaks(app) -> dict:
    import shiboken6
    from PySide6.QtCore import QCoreApplication, QEvent

    from desktop.main_window import EXAMPLE_DIR, MainWindow
    from desktop.tasks import Task

    win = MainWindow()
    win.setProperty("quiet_errors", True)
    tasks, threads = [], []
    for _ in range(5):
        win.load_audio(EXAMPLE_DIR / "jfk.flac")
        task = win.tasks.running()
        tasks.append(task)
        threads.append(task.qthread)
        _wait(app, lambda: not win.busy, 30)
    for _ in range(5):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        app.processEvents()
    alive = sum(shiboken6.isValid(t) for t in tasks)
    threads_alive = sum(shiboken6.isValid(t) for t in threads)
    left = len(win.findChildren(Task))
    win.close()
    return {"tasks": 5, "tasks_alive": alive, "threads_alive": threads_alive, "task_children": left}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()

    import tempfile

    from PySide6.QtWidgets import QApplication

    state = tempfile.mkdtemp(prefix="wordsync-bench-")
    os.environ["WORDSYNC_STATE_DIR"] = state  # autosaves of these windows go nowhere near the user's
    app = QApplication.instance() or QApplication(sys.argv[:1])
    out = {"cores": os.cpu_count(), "load_before": os.getloadavg()[0]}
    out["shutdown_s"] = _shutdown(a.runs)
    out.update(_cancel(app, a.runs))
    out["leaks"] = _leaks(app)
    out["load_after"] = os.getloadavg()[0]

    def line(values: list[float]) -> str:
        return f"median {statistics.median(values) * 1000:.0f} ms, max {max(values) * 1000:.0f} ms ({len(values)} runs)"

    print(f"shutdown  a running task stopped from the GUI thread: {line(out['shutdown_s'])}")
    print(f"cancel    Cancel to idle, 8 x JFK aligning: {line(out['cancel_s'])}")
    print(f"          longest GUI timer gap while aligning: {line(out['gui_max_gap_s'])}")
    print(f"close     the window closed while aligning (returns once the job stopped): {line(out['close_s'])}")
    leaks = out["leaks"]
    print(f"tasks     after {leaks['tasks']} files opened: {leaks['tasks_alive']} tasks and {leaks['threads_alive']} threads alive")
    print(f"load average (1 min) {out['load_before']:.2f} before, {out['load_after']:.2f} after, on {out['cores']} cores")
    if a.json:
        print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
