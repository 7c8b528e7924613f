"""Time the timeline on a 3-hour document (36,000 words, 3,600 cues, synthetic envelope), offscreen.

For several zoom levels: the relayout after a range change (waveform slice + pooled items) and a
full render of the widget (``grab()``, what a repaint costs), plus one drag step (preview only).

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/timeline_paint.py
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from aligner_core.audio import AudioInfo, DecodedAudio  # noqa: E402
from aligner_core.boundaries import Boundary, window  # noqa: E402
from aligner_core.document import Cue, Document, Token  # noqa: E402
from aligner_core.envelope import Envelope, EnvelopeLevel  # noqa: E402

HOURS = 3
RATE = 16000


def long_audio(ms: int) -> DecodedAudio:
    frames = ms * RATE // 1000
    rng = np.random.default_rng(0)
    levels = []
    for k in range(6):
        b = 64 * 4**k
        peaks = rng.random(-(-frames // b)).astype(np.float32) * 0.6
        levels.append(EnvelopeLevel(b, -peaks, peaks))
    samples = np.broadcast_to(np.zeros(1, dtype=np.float32), (frames,))  # the timeline never reads samples
    info = AudioInfo("long.wav", RATE, 1, frames, ms, "pcm", "wav", "soundfile")
    return DecodedAudio(samples, RATE, info, Envelope(RATE, frames, tuple(levels)))


def long_document(ms: int) -> Document:
    tokens = [Token(f"word{i}", ("word",), i * 300, i * 300 + 300 - (i % 3) * 40) for i in range(ms // 300)]
    cues = [Cue(i, min(i + 9, len(tokens) - 1)) for i in range(0, len(tokens), 10)]
    return Document(tokens, cues, ms, "en")


def timed(fn, repeat: int = 5) -> float:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return statistics.median(out) * 1000


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    import pyqtgraph as pg

    pg.setConfigOptions(antialias=True)  # as the editor runs (desktop.look.apply_look)
    from desktop.session import Session
    from desktop.timeline import TimelineWidget
    from desktop.timeline.gestures import DragGesture
    from desktop.view_state import ViewState

    ms = HOURS * 3600 * 1000
    session, view = Session(), ViewState()
    session.set_audio(long_audio(ms), None)
    session.set_document(long_document(ms))
    widget = TimelineWidget(session, view)
    widget.resize(1600, 400)
    widget.show()
    app.processEvents()
    plot = widget.plot
    print(f"{len(session.document.tokens)} words, {len(session.document.cues)} cues, {HOURS} h, widget 1600x400")
    print(f"{'visible':>10} {'words':>6} {'items':>6} {'relayout ms':>12} {'render ms':>10}")
    mid = ms / 2
    for span in (5_000, 30_000, 180_000, 600_000, ms):
        widget.set_range_ms(mid - span / 2, mid + span / 2)
        a, b = plot.visible_positions
        relayout = timed(lambda: (plot.redraw_waveform(), plot.layout_all()))
        render = timed(lambda: widget.grab())
        label = f"{span / 1000:.0f} s" if span < ms else "all"
        print(f"{label:>10} {b - a:>6} {widget.live_item_count():>6} {relayout:>12.2f} {render:>10.2f}")

    widget.set_range_ms(mid - 15_000, mid + 15_000)
    i = int(plot.index.token_ids[plot.visible_positions[0] + 10])
    grabbed = DragGesture(window(session.document, Boundary.token(i, "end")), session.document.tokens[i].end, 0.0)
    x0 = plot.x_of(grabbed.ms)
    grabbed = replace(grabbed, press_x=x0)
    step = timed(lambda: plot._drag_to(grabbed, x0 + 20, False), repeat=50)
    plot.cancel_gesture()
    print(f"drag step (snap + preview of 2 words), 30 s visible: {step:.3f} ms")


if __name__ == "__main__":
    main()
