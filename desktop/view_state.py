"""What the user is looking at and has selected, kept apart from the document.

The timeline, the tables, playback and the editing actions all read and write this one object,
so selecting a cue row shows it on the timeline, clicking a word selects its row, and "Re-align
selection" knows which tokens are meant. Times are integer milliseconds.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

# the selected boundary is the core's own name for it (one definition: aligner_core.boundaries)
from aligner_core.boundaries import Boundary

__all__ = ["Boundary", "ViewState"]


class ViewState(QObject):
    #: the visible time range changed: (start_ms, end_ms) as floats
    range_changed = Signal(float, float)
    #: the playhead moved (ms)
    playhead_changed = Signal(int)
    #: tokens, cue, boundary or time selection changed
    selection_changed = Signal()
    #: someone asked every view to bring a time range into sight (start_ms, end_ms)
    reveal_requested = Signal(int, int)
    #: ... and to show it at a scale where its words can be read (walking flagged words)
    focus_requested = Signal(int, int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.view_start_ms = 0.0
        self.view_end_ms = 10_000.0
        self.playhead_ms = 0
        self.follow_playhead = True
        #: selected tokens as an inclusive (first, last) pair, or None
        self.tokens: tuple[int, int] | None = None
        #: the selected cue (index), or None
        self.cue: int | None = None
        #: the selected boundary (for keyboard nudges), or None
        self.boundary: Boundary | None = None
        #: a time selection (ms) made on the timeline, or None
        self.time_range: tuple[int, int] | None = None

    def set_range(self, start_ms: float, end_ms: float) -> None:
        if (start_ms, end_ms) != (self.view_start_ms, self.view_end_ms):
            self.view_start_ms, self.view_end_ms = float(start_ms), float(end_ms)
            self.range_changed.emit(self.view_start_ms, self.view_end_ms)

    def set_playhead(self, ms: int) -> None:
        ms = int(ms)
        if ms != self.playhead_ms:
            self.playhead_ms = ms
            self.playhead_changed.emit(ms)

    def select(
        self,
        *,
        tokens: tuple[int, int] | None = None,
        cue: int | None = None,
        boundary: Boundary | None = None,
        time_range: tuple[int, int] | None = None,
    ) -> None:
        """Replace the whole selection (what is not given is cleared)."""
        new = (tokens, cue, boundary, time_range)
        if new != (self.tokens, self.cue, self.boundary, self.time_range):
            self.tokens, self.cue, self.boundary, self.time_range = new
            self.selection_changed.emit()

    def clear(self) -> None:
        self.select()

    def reveal(self, start_ms: int, end_ms: int, *, readable: bool = False) -> None:
        """Bring ``[start_ms, end_ms]`` into sight; ``readable``: zoomed in far enough to read its words."""
        self.reveal_requested.emit(int(start_ms), int(end_ms))
        if readable:
            self.focus_requested.emit(int(start_ms), int(end_ms))
