"""Untranscribed spans on the timeline: translucent bands under the words, below the cue band.

The item exists only while the document has spans (made on the first, removed with the last), so
a document without any costs the timeline nothing on a scroll or a drag; with some, only the ones
in view are drawn.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QGraphicsItem

from aligner_core.document import spans_overlapping

from .items import CUE_BAND

#: amber at low opacity reads as "something here" on light and dark themes alike, and the
#: waveform and word lines stay visible through it
SPAN_FILL = QColor(232, 160, 32, 56)


class SpanShade(QGraphicsItem):
    """The visible untranscribed spans, in the layer's pixel space."""

    def __init__(self, parent: QGraphicsItem) -> None:
        super().__init__(parent)
        self.setZValue(-1)  # behind the word items and boundary lines
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.rects: list[QRectF] = []
        self._bounds = QRectF()

    def set_spans(self, spans, t0: float, t1: float, width: float, height: float) -> None:
        scale = width / max(t1 - t0, 1e-9)
        shown = spans_overlapping(spans, t0, t1)
        self.prepareGeometryChange()
        self.rects = [
            QRectF(max(-1.0, (a - t0) * scale), CUE_BAND, min(width + 1.0, (b - t0) * scale) - max(-1.0, (a - t0) * scale), height - CUE_BAND)
            for a, b in (spans[k] for k in shown)
        ]
        self._bounds = QRectF(-1.0, CUE_BAND, width + 2.0, max(0.0, height - CUE_BAND))
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt API
        return self._bounds

    def paint(self, painter, _option, _widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        for rect in self.rects:
            painter.fillRect(rect, SPAN_FILL)
