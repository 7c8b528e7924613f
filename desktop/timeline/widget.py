"""The timeline: an overview strip of the whole file above the zoomable main plot.

:class:`TimelineWidget` listens to the session (document reset, edits, new audio) and to the
shared :class:`~desktop.view_state.ViewState` (range, playhead, selection, reveal requests) by
itself; the window only places it and calls :meth:`TimelineWidget.install_actions`. The plot and
``view`` range stay in sync in both directions: a change from either side is applied once and
echoes stop because equal ranges emit nothing.
"""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QVBoxLayout, QWidget

from aligner_core.edits import Changed
from aligner_core.onsets import speech_edges

from .display import TimelineDisplay
from ..selection import selection
from .index import TimeIndex
from .overview import OverviewStrip
from .plot import TimelinePlot

MIN_SPAN_MS = 500.0
ZOOM_STEP = 1.5
INITIAL_SPAN_MS = 30_000.0  # longer files open on their first 30 s, shorter ones whole
#: the widest view that walking to a flagged word keeps: word labels fit at typical speech rates
READABLE_SPAN_MS = 8_000.0


class TimelineWidget(QWidget):
    def __init__(self, session, view, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.view = session, view
        self.index = TimeIndex()
        self.overview = OverviewStrip(self)
        self.plot = TimelinePlot(session, view, self.index, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.overview)
        layout.addWidget(self.plot, 1)
        self.follow_action = None
        self._requested = (0.0, 0.0)
        self._partial_duration_ms = 0.0

        self.plot.vb.sigXRangeChanged.connect(self._on_plot_range)
        self.plot.scroll_requested.connect(self.scroll_by)
        self.plot.zoom_requested.connect(self.zoom_at)
        self.plot.pan_requested.connect(self.set_range_ms)
        self.overview.center_requested.connect(self.center_on)
        session.document_reset.connect(self._on_document_reset)
        session.changed.connect(self._on_changed)
        session.audio_changed.connect(self._on_audio_changed)
        view.range_changed.connect(self._on_view_range)
        view.playhead_changed.connect(self._on_playhead)
        view.selection_changed.connect(self._on_selection)
        view.reveal_requested.connect(self.reveal)
        view.focus_requested.connect(self.focus)
        self.plot.vb.disableAutoRange()
        self.index.rebuild(session.document)
        self.set_range_ms(view.view_start_ms, view.view_end_ms)
        self._on_audio_changed()
        # waveform / spectrogram / both, and the amplitude zoom (View menu)
        self.display = TimelineDisplay(self.plot, session, self)

    # -- actions -----------------------------------------------------------------------------------
    def install_actions(self, window) -> None:
        """Add the View-menu actions to the main window (``window.add_action``)."""
        window.add_action("view.zoom_in", self.tr("Zoom &in"), self.zoom_in, "view")
        window.add_action("view.zoom_out", self.tr("Zoom &out"), self.zoom_out, "view")
        window.add_action("view.zoom_selection", self.tr("Zoom to &selection"), self.zoom_selection, "view")
        window.add_action("view.zoom_all", self.tr("Show &whole file"), self.zoom_all, "view")
        self.follow_action = window.add_action(
            "view.follow_playhead", self.tr("&Follow playhead"), None, "view", checkable=True
        )
        self.follow_action.setChecked(self.view.follow_playhead)
        self.follow_action.toggled.connect(self.set_follow)
        self.display.install_actions(window)

    @Slot(bool)
    def set_follow(self, on: bool) -> None:
        self.view.follow_playhead = bool(on)
        if on:
            self._follow()

    # -- range -------------------------------------------------------------------------------------
    def duration_ms(self) -> float:
        if self.plot.partial_envelope is not None:
            return self._partial_duration_ms
        audio = self.session.audio
        if audio is not None:
            env = getattr(audio, "envelope", None)
            return float(env.duration * 1000.0) if env is not None else float(audio.duration_ms)
        doc = self.session.document
        if doc is not None:
            if doc.duration_ms is not None:
                return float(doc.duration_ms)
            if len(self.index.ends):
                return float(self.index.ends[-1]) + 1000.0
        return 10_000.0

    def range_ms(self) -> tuple[float, float]:
        return self.plot.time_range_ms()

    @Slot(float, float)
    def set_range_ms(self, start: float, end: float) -> None:
        """Show ``[start, end]`` ms, kept inside the file and between the zoom limits."""
        duration = max(self.duration_ms(), MIN_SPAN_MS)
        span = min(max(end - start, MIN_SPAN_MS), duration)
        start = min(max(start, 0.0), duration - span)
        self._requested = (start, start + span)
        self.plot.vb.setXRange(start / 1000.0, (start + span) / 1000.0, padding=0)

    def _on_plot_range(self, *_args) -> None:
        t0, t1 = self.range_ms()
        r0, r1 = self._requested
        if abs(t0 - r0) < 1e-3 and abs(t1 - r1) < 1e-3:
            t0, t1 = r0, r1  # the ms asked for, not their round trip through seconds
        self.plot.redraw_waveform()
        self.plot.layout_all()
        self.overview.set_range(t0, t1)
        self.view.set_range(t0, t1)

    @Slot(float, float)
    def _on_view_range(self, start: float, end: float) -> None:
        t0, t1 = self.range_ms()
        if abs(start - t0) > 0.5 or abs(end - t1) > 0.5:
            self.set_range_ms(start, end)

    @Slot(float)
    def scroll_by(self, fraction: float) -> None:
        t0, t1 = self.range_ms()
        shift = fraction * (t1 - t0)
        self.set_range_ms(t0 + shift, t1 + shift)

    @Slot(float, float)
    def zoom_at(self, factor: float, around_ms: float) -> None:
        t0, t1 = self.range_ms()
        span = min(max((t1 - t0) * factor, MIN_SPAN_MS), max(self.duration_ms(), MIN_SPAN_MS))
        real = span / (t1 - t0)
        start = around_ms - (around_ms - t0) * real
        self.set_range_ms(start, start + span)

    @Slot(float)
    def center_on(self, ms: float) -> None:
        t0, t1 = self.range_ms()
        half = (t1 - t0) / 2.0
        self.set_range_ms(ms - half, ms + half)

    @Slot()
    def zoom_in(self) -> None:
        t0, t1 = self.range_ms()
        p = self.view.playhead_ms
        self.zoom_at(1.0 / ZOOM_STEP, p if t0 <= p <= t1 else (t0 + t1) / 2.0)

    @Slot()
    def zoom_out(self) -> None:
        t0, t1 = self.range_ms()
        self.zoom_at(ZOOM_STEP, (t0 + t1) / 2.0)

    @Slot()
    def zoom_all(self) -> None:
        self.set_range_ms(0.0, self.duration_ms())

    def selection_span(self) -> tuple[int, int] | None:
        """The selection's time span (:mod:`desktop.selection`): what Zoom to selection shows."""
        return selection(self.session.document, self.view).span

    @Slot()
    def zoom_selection(self) -> None:
        span = self.selection_span()
        if span is not None:
            self._show_with_margin(*span)

    def _show_with_margin(self, start: float, end: float) -> None:
        margin = max((end - start) * 0.1, 100.0)
        self.set_range_ms(start - margin, end + margin)

    @Slot(int, int)
    def reveal(self, start: int, end: int) -> None:
        """Bring ``[start, end]`` into sight: leave it, scroll to it, or zoom out to fit it."""
        t0, t1 = self.range_ms()
        if end - start > (t1 - t0) * 0.9:
            self._show_with_margin(start, end)
        elif start < t0 or end > t1:
            self.center_on((start + end) / 2.0)

    @Slot(int, int)
    def focus(self, start: int, end: int) -> None:
        """Show ``[start, end]`` zoomed in far enough to read its words (a view wider than
        READABLE_SPAN_MS is narrowed to it, centred on the range)."""
        t0, t1 = self.range_ms()
        if t1 - t0 <= READABLE_SPAN_MS:
            return
        if end - start > READABLE_SPAN_MS * 0.8:
            self._show_with_margin(start, end)
        else:
            middle = (start + end) / 2.0
            self.set_range_ms(middle - READABLE_SPAN_MS / 2, middle + READABLE_SPAN_MS / 2)

    # -- playhead and selection --------------------------------------------------------------------
    @Slot(int)
    def _on_playhead(self, ms: int) -> None:
        self.overview.set_playhead(ms)
        self.plot.update_playhead()
        self._follow()

    def _follow(self) -> None:
        if not self.view.follow_playhead or self.plot.gesture is not None:
            return
        p = self.view.playhead_ms
        t0, t1 = self.range_ms()
        if not t0 <= p <= t1:
            span = t1 - t0
            self.set_range_ms(p - 0.1 * span, p + 0.9 * span)

    @Slot()
    def _on_selection(self) -> None:
        self.plot.layout_all()

    # -- the model ---------------------------------------------------------------------------------
    @Slot()
    def _on_document_reset(self) -> None:
        self.plot.cancel_gesture()
        self.index.rebuild(self.session.document)
        if self.session.audio is None:  # the words' times are all there is to show
            self.overview.set_envelope(None, self.duration_ms())
        t0, t1 = self.range_ms()
        self.set_range_ms(t0, t1)
        self.plot.layout_all()

    @Slot(object)
    def _on_changed(self, changed: Changed) -> None:
        # a drag holds indices and limits read at the press: an edit from elsewhere (an
        # alignment arriving, a nudge) makes them stale, so the drag is dropped
        self.plot.cancel_gesture()
        cheap = self.index.update(changed)
        if changed.spans:
            self.plot.layout_spans()
        t0, t1 = self.range_ms()
        if cheap and self.index.visible_words(t0, t1) == self.plot.visible_positions and not self.plot.batch.isVisible():
            self.plot.refresh_words(changed.tokens)
        else:
            self.plot.layout_all()

    # -- a file being decoded ----------------------------------------------------------------------
    def show_partial_envelope(self, envelope, expected_ms: float) -> None:
        """Draw ``envelope`` (the part of a file decoded so far) in place of the session's audio.

        ``expected_ms`` is the whole file's length from its header: the overview spans it from the
        start, so the waveform grows left to right instead of being stretched and squeezed.
        """
        first = self.plot.partial_envelope is None
        self.plot.partial_envelope = envelope
        self._partial_duration_ms = max(float(expected_ms), envelope.duration * 1000.0, MIN_SPAN_MS)
        self.overview.set_envelope(envelope, self._partial_duration_ms)
        if first:
            d = self._partial_duration_ms
            self.set_range_ms(0.0, d if d <= 2 * INITIAL_SPAN_MS else INITIAL_SPAN_MS)
        self.plot.redraw_waveform()

    def clear_partial_envelope(self) -> None:
        """The decode ended (cancelled or failed): show the session's audio again."""
        if self.plot.partial_envelope is not None:
            self.plot.partial_envelope = None
            self._on_audio_changed()

    @Slot()
    def _on_audio_changed(self) -> None:
        # the range shown while the file decoded is kept: the user may have scrolled meanwhile
        kept = self.range_ms() if self.plot.partial_envelope is not None else None
        self.plot.partial_envelope = None
        audio = self.session.audio
        env = getattr(audio, "envelope", None)
        self.plot.onsets = speech_edges(env)
        duration = self.duration_ms()
        self.overview.set_envelope(env, duration)
        if audio is not None and kept is not None:
            self.set_range_ms(*kept)
        elif audio is not None:
            self.set_range_ms(0.0, duration if duration <= 2 * INITIAL_SPAN_MS else INITIAL_SPAN_MS)
        self.plot.redraw_waveform()
        self.plot.layout_all()

    def live_item_count(self) -> int:
        """Graphics items in the plot's scene (bounded by the pools, whatever the document size)."""
        return len(self.plot.scene().items())
