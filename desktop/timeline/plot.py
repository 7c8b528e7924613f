"""The main timeline plot: waveform, word and cue items, playhead, and all mouse handling.

Mouse gestures are handled here, on the view, rather than by pyqtgraph's draggable items: one
hit test against the sorted boundary arrays finds what a press grabbed, the drag moves only a
preview, and the release pushes one undo step. Laying items out from the model never pushes
anything, so there is no feedback loop between the document and the lines.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QFontMetricsF, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsLineItem,
    QGraphicsObject,
    QGraphicsRectItem,
    QGraphicsSimpleTextItem,
)

from aligner_core.boundaries import Boundary, Window, boundary_ms, move_boundary, window
from aligner_core.document import Phone, fit_phones, move_phone_boundary
from aligner_core.transcribe.events import is_sound_cue

from ..selection import selection
from .axis import TimeAxis
from .gestures import DragGesture, Gesture, MarkGesture, PanGesture, PressGesture, RubberBandGesture
from .index import TimeIndex, snap
from .items import CUE_BAND, LABEL_BAND, PHONE_PX, BatchItem, Colors, CueItem, MarksItem, WaveItem, WordItem, cue_blocks, marker_path, phone_lane
from .shots import PictureMarks
from .spans import SpanShade

MAX_WORD_ITEMS = 600  # more words than this in view: one batched path, no labels
# ... or words narrower than this on average: a label needs more room (WordItem.setup), and
# setting up and painting items costs ~40 us each: 500 words in a 1600 px view took 30-40 ms a
# frame, 250 words (6 px each) 12-25 ms; at 10 px, at most 160 items in a 1600 px view
MIN_WORD_PX = 10.0
MAX_CUE_ITEMS = 300
GRAB_PX = 5.0
SNAP_PX = 8.0
PAN_START_PX = 3.0


class _Layer(QGraphicsObject):
    """A content-less parent for the pixel-space items, clipped to the plot area."""

    def __init__(self, parent: QGraphicsItem) -> None:
        super().__init__(parent)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, True)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemClipsChildrenToShape, True)
        self._rect = QRectF()

    def set_rect(self, rect: QRectF) -> None:
        self.prepareGeometryChange()
        self._rect = QRectF(rect)

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt API
        return self._rect

    def paint(self, *_args) -> None:
        pass


class TimelinePlot(pg.PlotWidget):
    #: a wheel step asked to scroll (fraction of the visible span) or zoom (factor, around ms)
    scroll_requested = Signal(float)
    zoom_requested = Signal(float, float)
    #: the user panned to this range (ms)
    pan_requested = Signal(float, float)

    def __init__(self, session, view, index: TimeIndex, parent=None) -> None:
        super().__init__(parent, axisItems={"bottom": TimeAxis()})
        self.session, self.view, self.index = session, view, index
        self.onsets = np.zeros(0, dtype=np.int64)
        self.partial_envelope = None  # the envelope decoded so far, while a file opens
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        self.hideAxis("left")
        vb = self.getViewBox()
        vb.setYRange(-1.05, 1.45, padding=0)
        self.vb = vb
        self.colors = Colors.from_palette(self.palette())
        self.setBackground(self.colors.background)
        # the waveform is one filled min/max band in data coordinates: steps when zoomed in,
        # a dense outline when zoomed out; the cosmetic pen keeps silence a visible 1 px line
        self._wave = WaveItem()
        vb.addItem(self._wave, ignoreBounds=True)

        self.layer = _Layer(vb)
        self.layer.setZValue(100)
        self._words: list[WordItem] = []
        self._cues: list[CueItem] = []
        self.shown_words: dict[int, WordItem] = {}
        self.shown_cues: dict[int, CueItem] = {}
        self.batch = BatchItem(self.layer)
        pen = QPen(self.colors.boundary, 1)
        pen.setCosmetic(True)
        self.batch.setPen(pen)
        self.cue_blocks: list = []  # the cues as blocks (QRectF), drawn by the batch when zoomed far out
        self.sound_blocks: list = []  # the sound cues among them, drawn over them in their own colour
        self.batch.hide()
        self.time_range_item = QGraphicsRectItem(self.layer)
        self.time_range_item.setBrush(self.colors.time_range)
        self.time_range_item.setPen(QPen(Qt.PenStyle.NoPen))
        self.time_range_item.hide()
        self.marker = QGraphicsLineItem(self.layer)  # the selected or dragged boundary
        self.marker.setPen(self._cosmetic(self.colors.selected, 3))
        self.marker.setZValue(10)
        self.marker.hide()
        self.readout = QGraphicsSimpleTextItem(self.layer)  # the dragged boundary's time
        self.readout.setBrush(self.colors.text)
        self.readout.setZValue(30)
        self.readout.hide()
        # words with no length or no times: a small flag in the label band, grabbed like a word
        self.marks: MarksItem | None = None
        self.span_shade: SpanShade | None = None  # untranscribed spans, only while there are some
        self.picture = PictureMarks(self)  # a video's shot changes, and snapping to them and to frames
        self.playhead = QGraphicsLineItem(self.layer)
        self.playhead.setPen(self._cosmetic(self.colors.playhead, 1.5))
        self.playhead.setZValue(20)
        self._metrics = QFontMetricsF(self.font())

        self._gesture: Gesture | None = None
        self._gesture_button = Qt.MouseButton.NoButton
        self.preview: dict[int, tuple[int, int]] = {}  # token -> (start, end) while dragging
        self.phone_preview: dict[int, tuple[Phone, ...]] = {}  # token -> its phones while one is dragged
        self.cue_preview: dict[int, tuple[int, int]] = {}
        self.visible_positions = (0, 0)
        vb.sigResized.connect(self._on_resized)
        self._ready = True

    @staticmethod
    def _cosmetic(color, width: float) -> QPen:
        pen = QPen(color, width)
        pen.setCosmetic(True)
        return pen

    def changeEvent(self, ev) -> None:  # noqa: N802 - Qt API
        super().changeEvent(ev)
        # a light/dark switch while running (Qt also calls this while the base class is built)
        if ev.type() == QEvent.Type.PaletteChange and self.__dict__.get("_ready"):
            self.apply_colors()

    def apply_colors(self) -> None:
        self.colors = c = Colors.from_palette(self.palette())
        self.setBackground(c.background)
        self.batch.setPen(self._cosmetic(c.boundary, 1))
        self.time_range_item.setBrush(c.time_range)
        self.marker.setPen(self._cosmetic(c.selected, 3))
        self.playhead.setPen(self._cosmetic(c.playhead, 1.5))
        self.readout.setBrush(c.text)
        self.redraw_waveform()
        self.layout_all()

    # -- geometry ----------------------------------------------------------------------------------
    def time_range_ms(self) -> tuple[float, float]:
        t0, t1 = self.vb.viewRange()[0]
        return t0 * 1000.0, t1 * 1000.0

    def width_px(self) -> float:
        """The plot area's width in pixels (at least 1: a hidden plot still maps times)."""
        return max(1.0, self.vb.width())

    @property
    def gesture(self) -> Gesture | None:
        """The mouse gesture in progress (a drag, a pan, a rubber band...), None when idle."""
        return self._gesture

    def x_of(self, ms: float) -> float:
        """Pixel x (ViewBox coordinates) of a time."""
        t0, t1 = self.time_range_ms()
        return (ms - t0) / max(t1 - t0, 1e-9) * self.width_px()

    def ms_at(self, x: float) -> float:
        t0, t1 = self.time_range_ms()
        return t0 + x / self.width_px() * (t1 - t0)

    def ms_per_px(self) -> float:
        t0, t1 = self.time_range_ms()
        return (t1 - t0) / self.width_px()

    def viewport_point(self, ms: float, y: float) -> QPointF:
        """Viewport coordinates of (time, y px in the plot area): where to aim a mouse event."""
        return QPointF(self.mapFromScene(self.vb.mapToScene(QPointF(self.x_of(ms), y))))

    def _vb_point(self, pos) -> QPointF:
        return self.vb.mapFromScene(self.mapToScene(pos.toPoint()))

    # -- drawing -----------------------------------------------------------------------------------
    def redraw_waveform(self) -> None:
        audio = self.session.audio
        # while a file decodes, the part decoded so far stands in for the session's audio
        env = self.partial_envelope if self.partial_envelope is not None else getattr(audio, "envelope", None)
        t0, t1 = self.vb.viewRange()[0]
        times, mins, maxs = env.slice(t0, t1, int(self.width_px())) if env is not None else ((), (), ())
        if len(times) == 0:
            self._wave.set_band(QPainterPath(), QPen(), t0, t1)
            return
        step = times[1] - times[0] if len(times) > 1 else env.duration - times[0]
        # One vertical min-max stroke per pixel column, taking the bin under it: bins are at
        # least a pixel wide (slice() returns at most one per pixel), so wide bins come out as
        # steps, with no gaps and a constant cost. (Filling the band as a polygon cost up to
        # 200 ms a frame: every scanline crosses thousands of edges.)
        width = int(self.width_px())
        cols = t0 + (np.arange(width) + 0.5) * (t1 - t0) / width
        k = np.clip(((cols - times[0]) / step).astype(np.int64), 0, len(times) - 1)
        keep = (cols >= times[0]) & (cols < min(times[-1] + step, env.duration))
        cols, k = cols[keep], k[keep]
        lo, hi = np.asarray(mins)[k], np.asarray(maxs)[k]
        ys = np.empty(2 * len(k))
        ys[0::2], ys[1::2] = lo, np.maximum(hi, lo + 1e-4)
        path = pg.arrayToQPath(np.repeat(cols, 2), ys, connect="pairs")
        self._wave.set_band(path, self._cosmetic(self.colors.waveform, 1), t0, t1)

    def _on_resized(self) -> None:
        self.layer.set_rect(self.vb.boundingRect())
        self.redraw_waveform()
        self.layout_all()

    def layout_all(self) -> None:
        """Give pooled items to every word and cue in view (hide the rest)."""
        self.layer.set_rect(self.vb.boundingRect())
        t0, t1 = self.time_range_ms()
        a, b = self.index.visible_words(t0, t1)
        c, d = self.index.visible_cues(t0, t1)
        self.visible_positions = (a, b)
        self.shown_words.clear()
        self.shown_cues.clear()
        batched = b - a > min(MAX_WORD_ITEMS, self.width_px() / MIN_WORD_PX) or d - c > MAX_CUE_ITEMS
        if batched:
            for item in self._words + self._cues:
                item.hide()
            width = self.width_px()
            scale = width / max(t1 - t0, 1e-9)
            word_ms = np.concatenate((self.index.starts[a:b], self.index.ends[a:b]))
            cue_ms = np.concatenate((self.index.cue_starts[c:d], self.index.cue_ends[c:d]))
            # the cues, too many to be items, are blocks in the cue band
            x0s, x1s = (self.index.cue_starts[c:d] - t0) * scale, (self.index.cue_ends[c:d] - t0) * scale
            blocks = self.cue_blocks = cue_blocks(x0s, x1s)
            sound = self.index.cue_sound[c:d]
            self.sound_blocks = cue_blocks(x0s[sound], x1s[sound]) if sound.any() else []
            self.batch.set_columns(
                np.unique(np.round((word_ms - t0) * scale)), np.unique(np.round((cue_ms - t0) * scale)), self.vb.height()
            )
            self.batch.set_blocks(blocks, self.colors.cue_fill, self.sound_blocks, self.colors.sound_selected_fill)
            self.batch.show()
        else:
            self.batch.hide()
            ids = self.index.token_ids[a:b]
            while len(self._words) < len(ids):
                self._words.append(WordItem(self.layer))
            # the view's geometry read once, not per word: with hundreds of words in view the
            # ViewBox lookups behind x_of() cost more than placing the items
            frame = (t0, self.width_px() / max(t1 - t0, 1e-9), self.width_px(), self.vb.height(), *self._selected_tokens())
            for item, i in zip(self._words, ids.tolist()):
                self.shown_words[i] = item
                self._setup_word(item, i, frame)
                item.show()
            for item in self._words[len(ids):]:
                item.hide()
            cue_ids = self.index.cue_ids[c:d]
            while len(self._cues) < len(cue_ids):
                self._cues.append(CueItem(self.layer))
            for item, k in zip(self._cues, cue_ids):
                self.shown_cues[int(k)] = item
                self._setup_cue(item, int(k))
                item.show()
            for item in self._cues[len(cue_ids):]:
                item.hide()
        self.layout_marks()
        self.layout_spans()
        self.picture.layout()
        self.update_marker()
        self.update_playhead()
        self.update_time_range()

    def layout_marks(self) -> None:
        """Draw the marked words in view (zero-length or unaligned), the selected ones apart."""
        if self.marks is None and not len(self.index.marker_ids):
            return  # the usual case, on every step of a drag: nothing marked anywhere
        t0, t1 = self.time_range_ms()
        a, b = self.index.visible_markers(t0, t1)
        ids, times = self.index.marker_ids[a:b], self.index.marker_ms[a:b]
        first, last = self._selected_tokens()
        chosen = (ids >= first) & (ids <= last)
        if not len(ids):
            if self.marks is not None:  # none left in view: the item goes (see MarksItem)
                self.scene().removeItem(self.marks)
                self.marks = None
            return
        if self.marks is None:
            self.marks = MarksItem(self.layer)
        xs = (times - t0) * (self.width_px() / max(t1 - t0, 1e-9))
        self.marks.set_marks(marker_path(xs[~chosen]), marker_path(xs[chosen]), self.colors)

    def layout_spans(self) -> None:
        """Shade the untranscribed spans in view."""
        doc = self.session.document
        spans = doc.untranscribed if doc is not None else []
        if not spans:
            if self.span_shade is not None:
                self.scene().removeItem(self.span_shade)
                self.span_shade = None
            return
        if self.span_shade is None:
            self.span_shade = SpanShade(self.layer)
        t0, t1 = self.time_range_ms()
        self.span_shade.set_spans(spans, t0, t1, self.width_px(), self.vb.height())

    def refresh_words(self, indices) -> None:
        for i in indices:
            item = self.shown_words.get(i)
            if item is not None:
                self._setup_word(item, i)
        self.layout_marks()
        self.refresh_cues()

    def refresh_cues(self) -> None:
        for k, item in self.shown_cues.items():
            self._setup_cue(item, k)
        self.update_marker()

    def _selected_tokens(self) -> tuple[int, int]:
        return selection(self.session.document, self.view).bounds or (0, -1)

    def _setup_word(self, item: WordItem, i: int, frame: tuple | None = None) -> None:
        tok = self.session.document.tokens[i]
        start, end = self.preview.get(i, (tok.start, tok.end))
        if frame is None:
            t0, t1 = self.time_range_ms()
            frame = (t0, self.width_px() / max(t1 - t0, 1e-9), self.width_px(), self.vb.height(), *self._selected_tokens())
        t0, scale, width, height, first, last = frame
        phones: tuple = ()
        if tok.phones and (end - start) * scale >= PHONE_PX * len(tok.phones):
            # a word edge being dragged takes its outer phones along (the core's one rule)
            fitted = self.phone_preview.get(i) or fit_phones(tok.phones, start, end)
            phones = tuple((p.label, (p.start - t0) * scale, (p.end - t0) * scale) for p in fitted)
        item.setup(i, (start - t0) * scale, (end - t0) * scale, height, tok, self.colors, first <= i <= last, self._metrics,
                   width, phones)

    def _setup_cue(self, item: CueItem, k: int) -> None:
        doc = self.session.document
        cue = doc.cues[k]
        start, end = self.cue_preview.get(k) or doc.cue_times(cue)
        text = doc.cue_text(cue).replace("\n", " / ")
        item.setup(k, self.x_of(start), self.x_of(end), text, self.colors, k in selection(doc, self.view).cues, self._metrics, self.width_px(),
                   is_sound_cue(doc, cue))

    def update_playhead(self) -> None:
        x = self.x_of(self.view.playhead_ms)
        self.playhead.setLine(x, 0.0, x, self.vb.height())

    def update_time_range(self) -> None:
        g = self._gesture
        tr = g.range_ms() if isinstance(g, RubberBandGesture) else self.view.time_range
        if tr is None:
            self.time_range_item.hide()
            return
        x0, x1 = self.x_of(tr[0]), self.x_of(tr[1])
        self.time_range_item.setRect(QRectF(x0, CUE_BAND, x1 - x0, self.vb.height() - CUE_BAND))
        self.time_range_item.show()

    def update_marker(self) -> None:
        """Show the dragged boundary, else the selected one."""
        ms, cue = self._marker_ms()
        dragging = isinstance(self._gesture, DragGesture)
        self.readout.setVisible(dragging and ms is not None)
        if ms is None:
            self.marker.hide()
            return
        x = self.x_of(ms)
        self.marker.setLine(x, 0.0 if cue else CUE_BAND, x, CUE_BAND if cue else self.vb.height())
        self.marker.show()
        if dragging:
            self.readout.setText(self.tr("{0:.3f} s").format(ms / 1000.0))
            w = self.readout.boundingRect().width()
            # beside the line, flipped to its left near the right edge
            self.readout.setPos(x + 6 if x + 6 + w < self.width_px() else x - 6 - w, self.vb.height() - 22)

    def _marker_ms(self) -> tuple[float | None, bool]:
        g = self._gesture
        if isinstance(g, DragGesture):
            return g.ms, g.window.boundary.kind == "cue"
        b: Boundary | None = self.view.boundary
        doc = self.session.document
        if b is None or doc is None:
            return None, False
        return boundary_ms(doc, b), b.kind == "cue"

    # -- mouse -------------------------------------------------------------------------------------
    def _in_plot(self, p: QPointF) -> bool:
        return self.vb.boundingRect().contains(p)

    def mousePressEvent(self, ev) -> None:  # noqa: N802 - Qt API
        if self._gesture is not None:  # a second button during a gesture changes nothing
            ev.accept()
            return
        p = self._vb_point(ev.position())
        if self.session.document is None or not self._in_plot(p):
            super().mousePressEvent(ev)
            return
        ev.accept()
        self._gesture_button = ev.button()
        ms = self.ms_at(p.x())
        alt = bool(ev.modifiers() & Qt.KeyboardModifier.AltModifier)
        if ev.button() == Qt.MouseButton.RightButton or (ev.button() == Qt.MouseButton.LeftButton and alt):
            self._gesture = RubberBandGesture(ms, ms, p.x())
            return
        if ev.button() != Qt.MouseButton.LeftButton:
            return
        tol = GRAB_PX * self.ms_per_px()
        mark = self.index.marker_at(ms, tol) if CUE_BAND <= p.y() <= CUE_BAND + LABEL_BAND else None
        if mark is not None:
            tok = self.session.document.tokens[mark]
            if not tok.aligned:  # nothing to drag: a click selects it (to re-align it, say)
                self._gesture = MarkGesture(mark)
                return
            hit: Boundary | None = Boundary("token", mark, "end")  # a word of no length grows from its end
        else:
            hit = self._boundary_at(ms, tol, p.y())
        grabbed = window(self.session.document, hit) if hit is not None else None
        if grabbed is not None:
            self._gesture = DragGesture(grabbed, grabbed.ms, p.x())
            self.setCursor(Qt.CursorShape.SizeHorCursor)
            self.update_marker()
        else:
            self._gesture = PressGesture(p.x(), p.y(), ms, self.time_range_ms())

    def mouseMoveEvent(self, ev) -> None:  # noqa: N802 - Qt API
        g = self._gesture
        if g is None:
            self._hover(ev)
            super().mouseMoveEvent(ev)
            return
        ev.accept()
        p = self._vb_point(ev.position())
        if isinstance(g, DragGesture):
            self._drag_to(g, p.x(), bool(ev.modifiers() & Qt.KeyboardModifier.ShiftModifier))
        elif isinstance(g, PressGesture) and abs(p.x() - g.x) > PAN_START_PX:
            self._gesture = PanGesture(g.x, g.view)
            self._pan_to(p.x())
        elif isinstance(g, PanGesture):
            self._pan_to(p.x())
        elif isinstance(g, RubberBandGesture):
            self._gesture = replace(g, ms=self.ms_at(p.x()))
            self.update_time_range()

    def mouseReleaseEvent(self, ev) -> None:  # noqa: N802 - Qt API
        if self._gesture is not None and ev.button() != self._gesture_button:
            ev.accept()
            return
        g, self._gesture = self._gesture, None
        if g is None:
            super().mouseReleaseEvent(ev)
            return
        ev.accept()
        self.unsetCursor()
        p = self._vb_point(ev.position())
        shift = bool(ev.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if isinstance(g, DragGesture):
            self._finish_drag(g, p.x(), shift)
        elif isinstance(g, MarkGesture):
            self.view.select(tokens=(g.token, g.token))
        elif isinstance(g, PressGesture):
            self._click(g.ms, g.y, shift)
        elif isinstance(g, RubberBandGesture):
            a, b = sorted((g.anchor_ms, self.ms_at(p.x())))
            if abs(p.x() - g.press_x) > PAN_START_PX:
                self.view.select(time_range=(int(round(max(a, 0))), int(round(b))))
            self.update_time_range()

    def keyPressEvent(self, ev) -> None:  # noqa: N802 - Qt API
        if ev.key() == Qt.Key.Key_Escape and self._gesture is not None:
            self.cancel_gesture()
            ev.accept()
            return
        super().keyPressEvent(ev)

    def cancel_gesture(self) -> None:
        """Drop a drag in progress (Escape, or the document changed under it): nothing is pushed."""
        g, self._gesture = self._gesture, None
        if g is None:
            return
        self.unsetCursor()
        self.preview.clear()
        self.cue_preview.clear()
        self.phone_preview.clear()
        if isinstance(g, PanGesture):
            self.pan_requested.emit(*g.view)
        self.layout_all()

    def wheelEvent(self, ev) -> None:  # noqa: N802 - Qt API
        delta = ev.angleDelta()
        steps = (delta.y() or delta.x()) / 120.0
        if not steps:
            ev.ignore()
            return
        ev.accept()
        if ev.modifiers() & Qt.KeyboardModifier.ControlModifier:
            p = self._vb_point(ev.position())
            self.zoom_requested.emit(1.25 ** (-steps), self.ms_at(p.x()))
        else:
            self.scroll_requested.emit(-0.1 * steps)

    def _hover(self, ev) -> None:
        if self.session.document is None:
            return
        p = self._vb_point(ev.position())
        if not self._in_plot(p):
            return
        tol = GRAB_PX * self.ms_per_px()
        ms = self.ms_at(p.x())
        if self._boundary_at(ms, tol, p.y()) is not None:
            self.setCursor(Qt.CursorShape.SizeHorCursor)
        else:
            self.unsetCursor()

    # -- gestures ----------------------------------------------------------------------------------
    def _boundary_at(self, ms: float, tolerance_ms: float, y: float) -> Boundary | None:
        """The cue edge (in the cue band), an inner phone boundary (in the phone lane, where it is
        drawn) or the word boundary under the mouse."""
        if y < CUE_BAND:
            return self.index.cue_edge(ms, tolerance_ms)
        if phone_lane(y):
            hit = self._phone_boundary_at(ms, tolerance_ms)
            if hit is not None:
                return hit
        return self.index.word_boundary(ms, tolerance_ms)

    def _phone_boundary_at(self, ms: float, tolerance_ms: float) -> Boundary | None:
        i = self.index.word_at(ms)
        if i is None:
            return None
        tok = self.session.document.tokens[i]
        if not tok.phones or (tok.end - tok.start) / self.ms_per_px() < PHONE_PX * len(tok.phones):
            return None  # not drawn at this zoom: nothing to aim at
        k, gap = min(((k, abs(p.start - ms)) for k, p in enumerate(tok.phones) if k), key=lambda kg: kg[1], default=(0, tolerance_ms + 1))
        return Boundary.phone(i, k) if gap <= tolerance_ms else None

    def _pan_to(self, x: float) -> None:
        g = self._gesture
        (t0, t1) = g.view
        shift = (g.x - x) * (t1 - t0) / self.width_px()
        self.pan_requested.emit(t0 + shift, t1 + shift)

    def snap_targets(self, exclude: float) -> np.ndarray:
        t0, t1 = self.time_range_ms()
        own = self.index.boundary_times(t0, t1)
        onsets = self.onsets[np.searchsorted(self.onsets, t0) : np.searchsorted(self.onsets, t1)]
        cands = np.concatenate((own, onsets, [self.view.playhead_ms])).astype(np.float64)
        return cands[cands != exclude]

    def _dragged_ms(self, g: DragGesture, x: float, no_snap: bool) -> int:
        w = g.window
        if abs(x - g.press_x) <= PAN_START_PX:
            return w.ms  # a click, or a hand's jitter, is not a move
        ms = self.ms_at(x)
        if not no_snap:
            ms = snap(ms, self.snap_targets(w.ms), SNAP_PX * self.ms_per_px())
            ms = self.picture.snap(ms, SNAP_PX * self.ms_per_px())
        return w.clamp(ms)

    def _drag_to(self, g: DragGesture, x: float, no_snap: bool) -> None:
        ms = self._dragged_ms(g, x, no_snap)
        self._gesture = replace(g, ms=ms)
        self._set_preview(g.window, ms)
        self.update_marker()

    def _set_preview(self, w: Window, ms: int | None) -> None:
        doc = self.session.document
        b = w.boundary
        self.preview.clear()
        self.cue_preview.clear()
        self.phone_preview.clear()
        if ms is not None:
            if b.kind == "phone":
                self.phone_preview[b.index] = move_phone_boundary(doc.tokens[b.index].phones, b.part, ms)
            elif b.kind == "cue":
                start, end = doc.cue_times(doc.cues[b.index])
                self.cue_preview[b.index] = (ms, end) if b.side == "start" else (start, ms)
            elif w.shared:
                left, right = doc.tokens[b.index], doc.tokens[b.index + 1]
                self.preview[b.index] = (left.start, ms)
                self.preview[b.index + 1] = (ms, right.end)
            else:
                tok = doc.tokens[b.index]
                self.preview[b.index] = (ms, tok.end) if b.side == "start" else (tok.start, ms)
        if b.kind == "cue":
            self.refresh_cues()
        else:
            self.refresh_words(w.tokens())

    def _finish_drag(self, g: DragGesture, x: float, no_snap: bool) -> None:
        w = g.window
        b = w.boundary
        ms = self._dragged_ms(g, x, no_snap)
        self._set_preview(w, None)
        if ms != w.ms:
            # the window was taken at the press and the document has not changed since (a change
            # cancels the drag), so the same boundary moves the same way
            texts = {"cue": self.tr("Move cue edge"), "phone": self.tr("Move phone boundary")}
            self.session.push(move_boundary(self.session.document, b, ms, alone=not w.shared), texts.get(b.kind, self.tr("Move boundary")))
        if b.kind == "cue":
            self.view.select(cue=b.index, boundary=b)
            return
        if b.kind == "phone":  # the word is selected; keyboard nudges stay with word boundaries
            self.view.select(tokens=(b.index, b.index))
            return
        self.view.select(tokens=(b.index, b.index), boundary=b)
        self.update_marker()

    def _click(self, ms: float, y: float, shift: bool) -> None:
        self.view.set_playhead(int(round(max(ms, 0))))
        if y < CUE_BAND:
            cue = self.index.cue_at(ms)
            self.view.select(cue=cue)
            return
        i = self.index.word_at(ms)
        if i is None:
            if not shift:
                self.view.select()
            return
        here = selection(self.session.document, self.view).bounds
        if shift and here is not None:
            first, last = here
            self.view.select(tokens=(min(first, i), max(last, i)))
        else:
            self.view.select(tokens=(i, i))
