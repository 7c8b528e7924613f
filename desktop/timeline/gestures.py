"""The mouse gesture in progress on the timeline, one small frozen type per kind.

A press becomes one of these and each move replaces it (``dataclasses.replace``); the release
reads it to decide what to push. Times are ms, x and y are plot pixels.
"""

from __future__ import annotations

from dataclasses import dataclass

from aligner_core.boundaries import Window


@dataclass(frozen=True)
class DragGesture:
    """A boundary grabbed (its window fixed at the press), now previewed at ``ms``."""

    window: Window
    ms: int
    press_x: float


@dataclass(frozen=True)
class RubberBandGesture:
    """A time range being drawn (right button, or Alt and the left one) from ``anchor_ms`` to ``ms``."""

    anchor_ms: float
    ms: float
    press_x: float

    def range_ms(self) -> tuple[float, float]:
        return min(self.anchor_ms, self.ms), max(self.anchor_ms, self.ms)


@dataclass(frozen=True)
class MarkGesture:
    """A press on the mark of an unaligned word: the release selects it."""

    token: int


@dataclass(frozen=True)
class PressGesture:
    """A press on nothing draggable: a click on release, or a pan once it moves far enough.

    ``view`` is the visible range at the press, so a pan follows the mouse and Escape restores it.
    """

    x: float
    y: float
    ms: float
    view: tuple[float, float]


@dataclass(frozen=True)
class PanGesture:
    """A press that moved: the view follows the mouse."""

    x: float
    view: tuple[float, float]


Gesture = DragGesture | RubberBandGesture | MarkGesture | PressGesture | PanGesture
