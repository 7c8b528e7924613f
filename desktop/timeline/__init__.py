"""The editor's timeline: overview strip, waveform, draggable word and cue boundaries."""

from .widget import TimelineWidget

__all__ = ["TimelineWidget"]
