"""Audio playback for reviewing alignments: a sounddevice callback stream polled by a QTimer."""

from .controller import SPEEDS, PlaybackController, open_output_stream
from .ui import PlaybackUi

__all__ = ["SPEEDS", "PlaybackController", "PlaybackUi", "open_output_stream"]
