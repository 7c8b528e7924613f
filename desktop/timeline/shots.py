"""Shot changes on the timeline (thin vertical lines, only those in view) and the picture's say in
where a dragged boundary lands (on a shot change near it, or on a frame start).

The line item exists only while the file has shot changes, so audio files cost the timeline
nothing. The plot holds one :class:`PictureMarks` and calls :meth:`layout` from its layout pass
and :meth:`snap` from its drag; the rules themselves are in :mod:`aligner_core.video.snapping`.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem

from aligner_core.video.snapping import snap_edge

#: a cool violet apart from the boundary, playhead and selection colours, light and dark themes alike
SHOT_COLOUR = QColor(150, 90, 220, 200)


class ShotLines(QGraphicsItem):
    """The shot changes in view, in the layer's pixel space."""

    def __init__(self, parent: QGraphicsItem) -> None:
        super().__init__(parent)
        self.setZValue(-1)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.xs = np.zeros(0)
        self._bounds = QRectF()

    def set_lines(self, xs: np.ndarray, width: float, height: float) -> None:
        self.prepareGeometryChange()
        self.xs = xs
        self._bounds = QRectF(-1.0, 0.0, width + 2.0, height)
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt API
        return self._bounds

    def paint(self, painter, _option, _widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        pen = QPen(SHOT_COLOUR, 1, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        painter.setPen(pen)
        h = self._bounds.height()
        for x in self.xs.tolist():
            painter.drawLine(int(round(x)), 0, int(round(x)), int(h))


class PictureMarks:
    """The plot's shot changes (ms, sorted) and its snapping options."""

    def __init__(self, plot) -> None:
        self.plot = plot
        self.times = np.zeros(0, dtype=np.int64)
        self.item: ShotLines | None = None
        self.snap_shots = False
        self.frame_rate = None  # a Fraction: drags land on frame starts
        self.origin_ms = 0

    def set_times(self, times) -> None:
        self.times = np.asarray(times, dtype=np.int64)
        self.layout()

    def layout(self) -> None:
        plot = self.plot
        if not len(self.times):
            if self.item is not None:
                plot.scene().removeItem(self.item)
                self.item = None
            return
        if self.item is None:
            self.item = ShotLines(plot.layer)
        t0, t1 = plot.time_range_ms()
        shown = self.times[np.searchsorted(self.times, t0) : np.searchsorted(self.times, t1, side="right")]
        width = plot.width_px()
        self.item.set_lines((shown - t0) * (width / max(t1 - t0, 1e-9)), width, plot.vb.height())

    def snap(self, ms: float, tolerance_ms: float) -> float:
        shots = self.times if self.snap_shots else None
        return snap_edge(ms, shots=shots, tolerance_ms=tolerance_ms, fps=self.frame_rate, origin_ms=self.origin_ms)
