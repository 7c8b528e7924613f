"""Waveform and word boundaries drawn from the envelope pyramid, only for the visible range."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QColor

from aligner_core.document import Document, Flag
from aligner_core.envelope import Envelope

MAX_LABELS = 400  # beyond this many visible words, only the waveform is drawn


class WaveformView(pg.PlotWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setBackground(None)
        self.setMouseEnabled(x=True, y=False)
        self.setMenuEnabled(False)
        self.hideAxis("left")
        self.setLabel("bottom", "time", units="s")
        self.setYRange(-1.05, 1.05, padding=0)
        self.getViewBox().setLimits(yMin=-1.2, yMax=1.2)
        self._curve = pg.PlotDataItem(pen=pg.mkPen(QColor(70, 130, 180)), connect="pairs")
        self.addItem(self._curve)
        self._envelope: Envelope | None = None
        self._document: Document | None = None
        self._word_items: list[pg.GraphicsObject] = []
        self.getViewBox().sigXRangeChanged.connect(self._on_range_changed)

    def set_envelope(self, envelope: Envelope) -> None:
        self._envelope = envelope
        self.getViewBox().setLimits(xMin=0, xMax=max(envelope.duration, 0.1))
        self.setXRange(0, max(envelope.duration, 0.1), padding=0)
        self._redraw()

    def set_document(self, document: Document | None) -> None:
        self._document = document
        self._redraw_words()

    @property
    def visible_word_items(self) -> int:
        return len(self._word_items)

    @Slot()
    def _on_range_changed(self, *_args) -> None:
        self._redraw()

    def _redraw(self) -> None:
        if self._envelope is not None:
            (t0, t1), width = self.getViewBox().viewRange()[0], max(self.width(), 100)
            times, mins, maxs = self._envelope.slice(t0, t1, int(width))
            x = np.repeat(times, 2)
            y = np.empty(2 * len(mins), dtype=np.float32)
            y[0::2], y[1::2] = mins, maxs
            self._curve.setData(x, y)
        self._redraw_words()

    def _redraw_words(self) -> None:
        for item in self._word_items:
            self.removeItem(item)
        self._word_items = []
        doc = self._document
        if doc is None:
            return
        t0, t1 = self.getViewBox().viewRange()[0]
        lo_ms, hi_ms = t0 * 1000, t1 * 1000
        visible = [(i, t) for i, t in doc.iter_aligned() if t.end >= lo_ms and t.start <= hi_ms]  # type: ignore[operator]
        if len(visible) > MAX_LABELS:
            return
        for _i, tok in visible:
            low = tok.confidence is not None and tok.confidence < 0.5 or tok.flags & (Flag.LOW_CONFIDENCE | Flag.NOT_FOUND)
            color = QColor(200, 80, 60) if low else QColor(90, 90, 90)
            if tok.locked:
                color = QColor(40, 140, 70)
            for ms in (tok.start, tok.end):
                line = pg.InfiniteLine(pos=ms / 1000, angle=90, pen=pg.mkPen(color, style=Qt.PenStyle.DashLine))
                self.addItem(line)
                self._word_items.append(line)
            label = pg.TextItem(tok.text, color=color, anchor=(0.5, 0))
            label.setPos((tok.start + tok.end) / 2000, 1.0)  # type: ignore[operator]
            self.addItem(label)
            self._word_items.append(label)
