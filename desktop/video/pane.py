"""The video pane: the frame at the playhead with the current cue drawn on it, and under it the
frame's number, time and timecode.

Painting only scales the last frame the worker sent (already at about the pane's size) and draws
the caption over it with an outline, as players render subtitles: white text, a dark edge that
reads on any picture, the spoken words of a karaoke cue in yellow.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from .caption import Caption

TEXT = QColor(255, 255, 255)
SPOKEN = QColor(255, 221, 0)
OUTLINE = QColor(0, 0, 0)
CAPTION_WIDTH = 0.94  # of the picture's width, at most, for the widest caption line


class FrameView(QWidget):
    """The picture and the caption."""

    #: the picture area changed size: frames should now be decoded at (width, height) pixels
    resized = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("video-frame")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(160, 90)
        self.image: QImage | None = None
        self.aspect = 16 / 9
        self.caption: Caption = []
        self.painted_lines: list[str] = []  # what the last paint wrote (for tests and screen readers)
        self.caption_rect = QRectF()  # where the last paint put the caption's text

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(480, 270)

    def set_image(self, image: QImage | None) -> None:
        self.image = image
        self.update()

    def set_caption(self, caption: Caption) -> None:
        if caption != self.caption:
            self.caption = caption
            self.update()

    def picture_rect(self) -> QRectF:
        """Where the frame is drawn: as large as fits, centred, in the video's shape."""
        w, h = self.width(), self.height()
        if w / max(h, 1) > self.aspect:
            pw, ph = h * self.aspect, float(h)
        else:
            pw, ph = float(w), w / self.aspect
        return QRectF((w - pw) / 2, (h - ph) / 2, pw, ph)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        r = self.picture_rect()
        ratio = self.devicePixelRatioF()
        self.resized.emit(max(2, int(r.width() * ratio)), max(2, int(r.height() * ratio)))

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(0, 0, 0))
        rect = self.picture_rect()
        if self.image is not None:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
            painter.drawImage(rect, self.image)
        self._paint_caption(painter, rect)
        painter.end()

    def _paint_caption(self, painter: QPainter, rect: QRectF) -> None:
        self.painted_lines = ["".join(p.text for p in line) for line in self.caption]
        if not self.caption:
            return
        font = QFont(self.font())
        font.setPixelSize(max(10, int(rect.height() / 15)))
        font.setBold(True)
        metrics = QFontMetricsF(font)
        # sized by the picture's height, a long line (one-line profiles, a narrow or portrait
        # picture) ran off both sides: shrink the font until the widest line fits the width
        widest = max(sum(metrics.horizontalAdvance(p.text) for p in line) for line in self.caption)
        room = rect.width() * CAPTION_WIDTH
        if widest > room > 0:
            font.setPixelSize(max(6, int(font.pixelSize() * room / widest)))
            metrics = QFontMetricsF(font)
        self.caption_rect = QRectF()
        line_height = metrics.lineSpacing()
        bottom = rect.bottom() - rect.height() * 0.05
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        outline = QPen(OUTLINE, max(2.0, font.pixelSize() / 8))
        outline.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        for n, line in enumerate(reversed(self.caption)):
            baseline = bottom - n * line_height - metrics.descent()
            width = sum(metrics.horizontalAdvance(p.text) for p in line)
            x = rect.center().x() - width / 2
            self.caption_rect |= QRectF(x, baseline - metrics.ascent(), width, metrics.height())
            plain, spoken = QPainterPath(), QPainterPath()
            for piece in line:
                (spoken if piece.spoken else plain).addText(QPointF(x, baseline), font, piece.text)
                x += metrics.horizontalAdvance(piece.text)
            for path, colour in ((plain, TEXT), (spoken, SPOKEN)):
                painter.strokePath(path, outline)
                painter.fillPath(path, colour)


class VideoPane(QWidget):
    """The frame view and its readout line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = FrameView(self)
        self.readout = QLabel()
        self.readout.setObjectName("video-readout")
        self.readout.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.readout.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.readout)
