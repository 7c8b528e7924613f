"""The graphics items of the timeline: words, cues and batched boundaries, in pixel coordinates.

These items live in a layer parented to the plot's ViewBox (not in its data group), so they are
placed in pixels: text is never stretched by the zoom, eliding and hit tolerances are plain pixel
maths, and a relayout is a ``setPos`` per item. The plot keeps a pool of them and gives each to
a word or cue in view; nothing is created per word of the document.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem

from aligner_core.document import Token
from aligner_core.review import Mark, mark

from ..look import themed

CUE_BAND = 22.0  # px at the top of the plot: cue regions
LABEL_BAND = 18.0  # px below the cue band: word labels
PHONE_BAND = 16.0  # px below the labels: the phone lane, when zoomed in far enough
#: a word's phones are drawn (and grabbed) when they get this many pixels each on average: less
#: would be a comb of lines no one can read or aim at
PHONE_PX = 12.0


def phone_lane(y: float) -> bool:
    """Whether a point at height ``y`` (px from the top of the plot) is in the phone lane."""
    return CUE_BAND + LABEL_BAND <= y <= CUE_BAND + LABEL_BAND + PHONE_BAND


@dataclass
class Colors:
    """The timeline's colours, derived from the widget palette so dark themes work."""

    background: QColor
    text: QColor
    waveform: QColor
    boundary: QColor
    low: QColor
    flagged: QColor
    locked: QColor
    locked_fill: QColor
    selected_fill: QColor
    selected: QColor
    cue_fill: QColor
    cue_selected_fill: QColor
    sound_fill: QColor
    sound_selected_fill: QColor
    playhead: QColor
    time_range: QColor

    @classmethod
    def from_palette(cls, palette: QPalette) -> "Colors":
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        highlight = palette.color(QPalette.ColorRole.Highlight)
        dark = base.lightness() < 128

        def alpha(c: QColor, a: int) -> QColor:
            c = QColor(c)
            c.setAlpha(a)
            return c

        return cls(
            background=base,
            text=text,
            waveform=alpha(highlight, 210),
            boundary=alpha(text, 150),
            low=QColor(255, 110, 80) if dark else QColor(205, 60, 30),
            flagged=QColor(240, 190, 40) if dark else QColor(190, 130, 0),
            locked=QColor(90, 200, 120) if dark else QColor(30, 130, 60),
            locked_fill=QColor(60, 170, 90, 45),
            selected_fill=alpha(highlight, 70),
            selected=QColor(255, 200, 0) if dark else QColor(230, 120, 0),
            cue_fill=alpha(highlight, 45),
            cue_selected_fill=alpha(highlight, 120),
            sound_fill=alpha(themed("sound", palette), 60),
            sound_selected_fill=alpha(themed("sound", palette), 130),
            playhead=QColor(255, 70, 70) if dark else QColor(220, 0, 0),
            time_range=alpha(highlight, 50),
        )


def word_color(tok: Token, colors: Colors) -> QColor:
    """The core's review mark as a colour: red for doubtful or unplaced words, amber for warnings."""
    level = mark(tok)
    if level >= Mark.LOW:
        return colors.low
    if level is Mark.FLAGGED:
        return colors.flagged
    return colors.locked if tok.locked else colors.boundary


_PENS: dict[tuple[int, bool], QPen] = {}


def _word_pen(color: QColor, locked: bool) -> QPen:
    """Shared pens (a relayout sets up hundreds of words; QPen is copied on write)."""
    key = (color.rgba(), locked)
    pen = _PENS.get(key)
    if pen is None:
        if len(_PENS) > 64:  # palette switches make new colours
            _PENS.clear()
        pen = QPen(color, 2.0 if locked else 1.0)
        pen.setStyle(Qt.PenStyle.SolidLine if locked else Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        _PENS[key] = pen
    return pen


class WordItem(QGraphicsItem):
    """One word: its two boundary lines, its label between them, a tint when locked/selected."""

    def __init__(self, parent: QGraphicsItem) -> None:
        super().__init__(parent)
        self.index = -1
        self._w = 0.0
        self._h = 0.0
        self._text = ""
        self._label = ""
        self._label_w = -1.0
        self._lx0 = self._lx1 = 0.0
        self._pen = QPen()
        self._fill: QColor | None = None
        #: the phone lane: inner boundaries (px from the word's start) and (x0, x1, label) to write
        self._phone_xs: list[float] = []
        self._phone_labels: list[tuple[float, float, str]] = []
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, False)

    def setup(self, index: int, x0: float, x1: float, height: float, tok: Token, colors: Colors, selected: bool,
              metrics: QFontMetricsF, view_w: float, phones: tuple = ()) -> None:
        """``phones``: the word's phones as ``(label, x0, x1)`` in plot px, only when zoomed in far
        enough to draw them (the plot decides; an empty tuple draws no lane)."""
        self.index = index
        w = max(0.0, x1 - x0)
        # a word cut by the plot's edge keeps its label in the part that shows
        self._lx0, self._lx1 = max(0.0, -x0), min(w, view_w - x0)
        lw = self._lx1 - self._lx0
        if w != self._w or height != self._h:
            self.prepareGeometryChange()
            self._w, self._h = w, height
        self.setPos(x0, 0.0)
        self._pen = _word_pen(word_color(tok, colors), tok.locked)
        self._fill = colors.selected_fill if selected else (colors.locked_fill if tok.locked else None)
        if tok.text != self._text or abs(lw - self._label_w) > 0.5:
            self._text, self._label_w = tok.text, lw
            self._label = metrics.elidedText(tok.text, Qt.TextElideMode.ElideRight, lw - 4) if lw > 10 else ""
        self._text_color = colors.text
        self._phone_xs = [px0 - x0 for _, px0, _ in phones[1:]]
        # a label only where it fits: a phone is a few letters, so a width check is enough
        self._phone_labels = [(px0 - x0, px1 - x0, label) for label, px0, px1 in phones if px1 - px0 >= metrics.horizontalAdvance(label) + 2]
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt API
        return QRectF(-1.5, CUE_BAND, self._w + 3.0, max(0.0, self._h - CUE_BAND))

    def paint(self, painter, _option, _widget=None) -> None:
        top, h = CUE_BAND, self._h - CUE_BAND
        # vertical lines on whole pixels gain nothing from antialiasing, which costs twice as much
        # with dashes; text keeps its own (TextAntialiasing) hint
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        if self._fill is not None:
            painter.fillRect(QRectF(0, top, self._w, h), self._fill)
        painter.setPen(self._pen)
        painter.drawLine(0.0, top, 0.0, self._h)
        painter.drawLine(self._w, top, self._w, self._h)
        if self._label:
            painter.setPen(self._text_color)
            painter.drawText(QRectF(self._lx0 + 2, top, self._lx1 - self._lx0 - 4, LABEL_BAND), Qt.AlignmentFlag.AlignCenter, self._label)
        if self._phone_xs or self._phone_labels:
            lane = top + LABEL_BAND
            painter.setPen(self._pen)
            for x in self._phone_xs:
                painter.drawLine(x, lane, x, lane + PHONE_BAND)
            painter.setPen(self._text_color)
            for a, b, label in self._phone_labels:
                painter.drawText(QRectF(a, lane, b - a, PHONE_BAND), Qt.AlignmentFlag.AlignCenter, label)


class CueItem(QGraphicsItem):
    """One cue: a region in the band above the words with its edges and its text."""

    def __init__(self, parent: QGraphicsItem) -> None:
        super().__init__(parent)
        self.index = -1
        self.sound = False
        self._w = 0.0
        self._text = ""
        self._label = ""
        self._label_w = -1.0
        self._lx0 = self._lx1 = 0.0
        self._fill = QColor()
        self._pen = QPen()
        self._text_color = QColor()

    def setup(self, index: int, x0: float, x1: float, text: str, colors: Colors, selected: bool,
              metrics: QFontMetricsF, view_w: float, sound: bool = False) -> None:
        self.index = index
        w = max(0.0, x1 - x0)
        self._lx0, self._lx1 = max(0.0, -x0), min(w, view_w - x0)
        lw = self._lx1 - self._lx0
        if w != self._w:
            self.prepareGeometryChange()
            self._w = w
        self.setPos(x0, 0.0)
        self.sound = sound
        if sound:  # a "[music]" cue is no speech: told apart at a glance
            self._fill = colors.sound_selected_fill if selected else colors.sound_fill
        else:
            self._fill = colors.cue_selected_fill if selected else colors.cue_fill
        pen = QPen(colors.selected if selected else colors.text, 1.5)
        pen.setCosmetic(True)
        self._pen = pen
        self._text_color = colors.text
        if text != self._text or abs(lw - self._label_w) > 0.5:  # eliding is the costly part of a relayout
            self._text, self._label_w = text, lw
            self._label = metrics.elidedText(text, Qt.TextElideMode.ElideRight, lw - 6) if lw > 14 else ""
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt API
        return QRectF(-1.0, 0.0, self._w + 2.0, CUE_BAND)

    def paint(self, painter, _option, _widget=None) -> None:
        rect = QRectF(0, 2, self._w, CUE_BAND - 4)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)  # as for words
        painter.fillRect(rect, self._fill)
        painter.setPen(self._pen)
        painter.drawLine(0.0, 2.0, 0.0, CUE_BAND - 2)
        painter.drawLine(self._w, 2.0, self._w, CUE_BAND - 2)
        if self._label:
            painter.setPen(self._text_color)
            text_rect = QRectF(self._lx0 + 3, 2, self._lx1 - self._lx0 - 6, CUE_BAND - 4)
            painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, self._label)


class WaveItem(QGraphicsItem):
    """The waveform band in data coordinates (seconds, amplitude).

    Not a QGraphicsPathItem: that one derives its bounding rect by stroking the whole path
    (thousands of segments) whenever path or pen change, which cost more than drawing it.
    The band's bounds are known: the time span drawn and amplitudes within -1..1.
    """

    def __init__(self) -> None:
        super().__init__()
        self._path = QPainterPath()
        self._pen = QPen()
        self._rect = QRectF()

    def set_band(self, path: QPainterPath, pen: QPen, t0: float, t1: float) -> None:
        """Show ``path`` (vertical strokes) spanning ``t0..t1`` seconds."""
        self.prepareGeometryChange()
        self._path, self._pen = path, pen
        self._rect = QRectF(t0, -1.05, max(t1 - t0, 0.0), 2.1) if not path.isEmpty() else QRectF()
        self.update()

    def path(self) -> QPainterPath:
        return self._path

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt API
        return self._rect

    def paint(self, painter, _option, _widget=None) -> None:
        # vertical pixel columns gain nothing from antialiasing, which would double their cost
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setPen(self._pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self._path)


MARK_PX = 5.0  # half the width of a marked word's flag


def marker_path(xs) -> QPainterPath:
    """Small downward triangles in the label band at ``xs``: words with no length or no times,
    which have nothing else to draw (built from arrays in one call, as :class:`BatchItem` does)."""
    xs = np.asarray(xs, float)
    if not len(xs):
        return QPainterPath()
    top, tip = CUE_BAND + 1.0, CUE_BAND + LABEL_BAND - 3.0
    px = np.column_stack((xs - MARK_PX, xs + MARK_PX, xs, xs - MARK_PX)).ravel()
    py = np.tile([top, top, tip, top], len(xs))
    connect = np.tile([1, 1, 1, 0], len(xs)).astype(np.int32)
    return pg.arrayToQPath(px, py, connect=connect)


def cue_blocks(x0s, x1s) -> list[QRectF]:
    """Cues as filled blocks in the cue band when zoomed far out: cues closer than a pixel merge
    into one block, so a whole file costs a few hundred rectangles at most."""
    x0s, x1s = np.asarray(x0s, float), np.asarray(x1s, float)
    if not len(x0s):
        return []
    x1s = np.maximum(x1s, x0s + 1.0)  # every cue at least a pixel wide
    reach = np.maximum.accumulate(x1s)
    new = np.ones(len(x0s), dtype=bool)
    new[1:] = x0s[1:] > reach[:-1] + 1.0
    first = np.flatnonzero(new)
    last = np.append(first[1:] - 1, len(x0s) - 1)
    a, b = np.floor(x0s[first]), np.ceil(reach[last])  # whole pixels: drawn without antialiasing
    return [QRectF(x0, 2.0, x1 - x0, CUE_BAND - 4) for x0, x1 in zip(a.tolist(), b.tolist())]


class MarksItem(QGraphicsItem):
    """The flags of the marked words in view (:func:`marker_path`), the selected ones in the
    selection colour. One item for all of them, made only while there are some: every item in
    the layer, even a hidden one, made each repaint of a drag measurably slower."""

    def __init__(self, parent: QGraphicsItem) -> None:
        super().__init__(parent)
        self.setZValue(5)
        self.plain = QPainterPath()
        self.selected = QPainterPath()
        self._colors: tuple[QColor, QColor] = (QColor(), QColor())

    def set_marks(self, plain: QPainterPath, selected: QPainterPath, colors: "Colors") -> None:
        self.prepareGeometryChange()
        self.plain, self.selected = plain, selected
        self._colors = (colors.flagged, colors.selected)
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt API
        return self.plain.boundingRect().united(self.selected.boundingRect()).adjusted(-1, -1, 1, 1)

    def paint(self, painter, _option, _widget=None) -> None:
        for path, color in ((self.plain, self._colors[0]), (self.selected, self._colors[1])):
            if not path.isEmpty():
                pen = QPen(color, 1)
                pen.setCosmetic(True)
                painter.setPen(pen)
                painter.setBrush(color)
                painter.drawPath(path)


class BatchItem(QGraphicsPathItem):
    """Every boundary in view as one path of ticks, one per pixel column (used when zoomed far
    out), and the cues as blocks in the cue band (:func:`cue_block_path`). One item for both,
    painted without antialiasing: ticks and blocks sit on whole pixels, where it gains nothing
    and would cost most of a drag's repaint (a separate blocks item, antialiased, did)."""

    blocks: list[QRectF] = []
    block_color = QColor()
    sound_blocks: list[QRectF] = []
    sound_color = QColor()

    def set_blocks(self, blocks: list[QRectF], color: QColor, sound_blocks: list[QRectF] = (), sound_color: QColor | None = None) -> None:
        # no boundingRect of our own: the blocks lie between cue edges, whose ticks the path
        # holds (a Python boundingRect would be called on every repaint, even while hidden)
        self.blocks, self.block_color = blocks, color
        self.sound_blocks, self.sound_color = list(sound_blocks), sound_color or QColor()
        self.update()

    def paint(self, painter, _option, _widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setPen(Qt.PenStyle.NoPen)
        # rectangles: the painter's fast path, unlike a path of them; sound cues over the speech
        # blocks they merged into, so music and applause stay visible at whole-file zoom
        for rects, color in ((self.blocks, self.block_color), (self.sound_blocks, self.sound_color)):
            if rects:
                painter.setBrush(color)
                painter.drawRects(rects)
        painter.setPen(self.pen())
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self.path())

    def set_columns(self, word_xs, cue_xs, height: float) -> None:
        # pyqtgraph builds the path from arrays in one call: thousands of moveTo/lineTo calls
        # from Python are slow (and PySide 6.12 on Python 3.11 mis-counts references to None
        # returned by them, which crashed a long session)
        xs = np.concatenate((np.repeat(np.asarray(word_xs, float), 2), np.repeat(np.asarray(cue_xs, float), 2)))
        # ticks in the label band only: full-height lines at every pixel would hide the waveform
        word_y = [CUE_BAND, min(height, CUE_BAND + LABEL_BAND)]
        ys = np.concatenate((np.tile(word_y, len(word_xs)), np.tile([2.0, CUE_BAND - 2], len(cue_xs))))
        self.setPath(pg.arrayToQPath(xs, ys, connect="pairs") if len(xs) else QPainterPath())
