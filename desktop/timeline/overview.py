"""The overview strip: the whole file at a glance, the visible range as a region; click to go there."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget


class OverviewStrip(QWidget):
    #: the user clicked or dragged: centre the view on this time (ms)
    center_requested = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(36)
        self.envelope = None
        self.duration_ms = 0.0
        self.range_ms = (0.0, 0.0)
        self.playhead_ms = 0
        self._path: QPainterPath | None = None
        self._path_width = -1
        self.setToolTip(self.tr("Whole file: click or drag to scroll"))

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(400, 40)

    def set_envelope(self, envelope, duration_ms: float) -> None:
        self.envelope = envelope
        self.duration_ms = float(duration_ms)
        self._path = None
        self.update()

    def set_range(self, start_ms: float, end_ms: float) -> None:
        self.range_ms = (start_ms, end_ms)
        self.update()

    def set_playhead(self, ms: int) -> None:
        self.playhead_ms = ms
        self.update()

    def _x(self, ms: float) -> float:
        return ms / self.duration_ms * self.width() if self.duration_ms > 0 else 0.0

    def _waveform_path(self) -> QPainterPath:
        # the whole file in one column per pixel: slice() picks the coarsest level that fits
        if self._path is None or self._path_width != self.width():
            path = QPainterPath()
            self._path_width = self.width()
            if self.envelope is not None and self.duration_ms > 0:
                _times, mins, maxs = self.envelope.slice(0.0, self.duration_ms / 1000.0, max(1, self.width()))
                n = len(mins)
                if n:
                    mid, half = self.height() / 2.0, self.height() / 2.0 - 2
                    xs = np.arange(n) * (self.width() / n)
                    top = mid - np.clip(maxs, -1, 1) * half
                    bottom = mid - np.clip(mins, -1, 1) * half
                    x2 = np.repeat(xs, 2)
                    y2 = np.empty(2 * n)
                    y2[0::2], y2[1::2] = top, np.maximum(bottom, top + 1)
                    path = pg.arrayToQPath(x2, y2, connect="pairs")
            self._path = path
        return self._path

    def resizeEvent(self, ev) -> None:  # noqa: N802 - Qt API
        self._path = None
        super().resizeEvent(ev)

    def paintEvent(self, _ev) -> None:  # noqa: N802 - Qt API
        pal = self.palette()
        painter = QPainter(self)
        painter.fillRect(self.rect(), pal.color(QPalette.ColorRole.AlternateBase))
        wave = QColor(pal.color(QPalette.ColorRole.Text))
        wave.setAlpha(150)
        painter.setPen(QPen(wave, 1))
        painter.drawPath(self._waveform_path())
        if self.duration_ms > 0:
            x0, x1 = self._x(self.range_ms[0]), self._x(self.range_ms[1])
            region = QColor(pal.color(QPalette.ColorRole.Highlight))
            region.setAlpha(70)
            rect = QRectF(x0, 0.5, max(x1 - x0, 3.0), self.height() - 1.0)
            painter.fillRect(rect, region)
            region.setAlpha(220)
            painter.setPen(QPen(region, 1))
            painter.drawRect(rect)
            x = self._x(self.playhead_ms)
            painter.setPen(QPen(QColor(220, 0, 0), 1))
            painter.drawLine(QPointF(x, 0), QPointF(x, self.height()))
        painter.end()

    def _emit_at(self, x: float) -> None:
        if self.duration_ms > 0 and self.width() > 0:
            self.center_requested.emit(min(max(x, 0.0), self.width()) / self.width() * self.duration_ms)

    def mousePressEvent(self, ev) -> None:  # noqa: N802 - Qt API
        if ev.button() == Qt.MouseButton.LeftButton:
            self._emit_at(ev.position().x())
            ev.accept()

    def mouseMoveEvent(self, ev) -> None:  # noqa: N802 - Qt API
        if ev.buttons() & Qt.MouseButton.LeftButton:
            self._emit_at(ev.position().x())
            ev.accept()
