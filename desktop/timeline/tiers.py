"""The annotation tiers' lane at the bottom of the timeline: one band per tier, its intervals (or
points) in view with their labels, the current tier's band and the interval at the playhead marked.

Laid out from the plot's own range and size signals, so the plot needs no code for it; the item
exists only while the document has tiers, and draws only the items in view (found by bisection).
"""

from __future__ import annotations

import bisect

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem

TIER_BAND = 18.0  # px per tier
#: narrower intervals are drawn without their label: two letters would not say anything and the
#: text is most of the lane's painting time when zoomed out
LABEL_MIN_PX = 24.0
#: the plot's background under each band at this opacity first, so a loud (or amplitude-zoomed)
#: waveform behind the lane no longer drowns the labels, then a light wash in light and dark themes
BACKDROP_ALPHA = 215
BAND_FILL = QColor(128, 128, 128, 40)
CURRENT_FILL = QColor(64, 128, 255, 48)
ITEM_FILL = QColor(64, 160, 96, 90)
CHOSEN_FILL = QColor(255, 170, 0, 150)


def visible_items(items, t0: float, t1: float) -> range:
    """Indices of a tier's (ordered, non-overlapping: starts and ends both rise) items that reach
    into ``[t0, t1]``: two bisections, so a pan step costs the same with 30 or 30,000 items."""
    first = bisect.bisect_left(items, t0, key=_end)
    last = bisect.bisect_right(items, t1, lo=first, key=_start)
    return range(first, max(first, last))


def _start(a) -> int:
    return a.start


def _end(a) -> int:
    return a.end


class TierLane(QGraphicsItem):
    """Draws ``tiers`` (the document's) in the layer's pixel space."""

    def __init__(self, parent: QGraphicsItem) -> None:
        super().__init__(parent)
        self.setZValue(5)  # over the waveform and span shading, under the playhead and marker
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self._bounds = QRectF()
        #: what is drawn, per tier: (band rect, name, [(rect, label, chosen)], points?, current?)
        self.bands: list[tuple[QRectF, str, list[tuple[QRectF, str, bool]], bool, bool]] = []
        self._font = QFont()
        self._font.setPointSizeF(max(6.0, self._font.pointSizeF() * 0.85))
        self._text = QColor(0, 0, 0)
        self._backdrop = QColor(255, 255, 255, BACKDROP_ALPHA)

    def set_tiers(self, tiers, current: int | None, chosen: int | None, t0: float, t1: float, width: float, height: float,
                  text: QColor, background: QColor | None = None) -> None:
        self._text = QColor(text)
        if background is not None:
            self._backdrop = QColor(background)
            self._backdrop.setAlpha(BACKDROP_ALPHA)
        scale = width / max(t1 - t0, 1e-9)
        top = height - TIER_BAND * len(tiers)
        bands = []
        for k, tier in enumerate(tiers):
            y = top + k * TIER_BAND
            shown = []
            for j in visible_items(tier.items, t0, t1):
                a = tier.items[j]
                x0 = max(-1.0, (a.start - t0) * scale)
                x1 = min(width + 1.0, (a.end - t0) * scale)
                rect = QRectF(x0 - 1.5, y + 1, 3.0, TIER_BAND - 2) if tier.points else QRectF(x0, y + 1, max(1.0, x1 - x0), TIER_BAND - 2)
                shown.append((rect, a.label, k == current and j == chosen))
            bands.append((QRectF(0, y, width, TIER_BAND), tier.name, shown, tier.points, k == current))
        self.prepareGeometryChange()
        self.bands = bands
        self._bounds = QRectF(-2.0, top, width + 4.0, TIER_BAND * len(tiers))
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt API
        return self._bounds

    def paint(self, painter, _option, _widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setFont(self._font)
        text_pen = QPen(self._text)
        for band, name, shown, points, current in self.bands:
            painter.fillRect(band, self._backdrop)
            painter.fillRect(band, CURRENT_FILL if current else BAND_FILL)
            for rect, label, chosen in shown:
                painter.fillRect(rect, CHOSEN_FILL if chosen else ITEM_FILL)
                painter.setPen(text_pen)
                if points:
                    painter.drawText(QRectF(rect.right() + 2, rect.top(), 200, rect.height()), Qt.AlignmentFlag.AlignVCenter, label)
                elif rect.width() >= LABEL_MIN_PX and label:
                    # clipped to the interval by drawText itself: eliding each label cost more than the drawing
                    painter.drawText(rect.adjusted(2, 0, -2, 0), Qt.AlignmentFlag.AlignVCenter, label)
            painter.setPen(text_pen)
            painter.drawText(band.adjusted(4, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, name)
