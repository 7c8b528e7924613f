"""What a recogniser hears in one window of audio, and the errors transcription raises."""

from __future__ import annotations

from dataclasses import dataclass

from ..align.types import AlignmentError

__all__ = ["HeardWord", "Heard", "TranscribeError", "RecogniserUnavailable"]


@dataclass(frozen=True)
class HeardWord:
    """A recognised word (its surface text as the recogniser wrote it), times in ms of the window."""

    text: str
    start_ms: int | None = None
    end_ms: int | None = None
    confidence: float | None = None


@dataclass(frozen=True)
class Heard:
    """One decoded window: its words, and what the recogniser said about it as a whole.

    ``language`` is an ISO code ("en", "zh", "yue"); ``emotion`` and ``event`` are the
    recogniser's own labels, normalised by :mod:`.events` ("HAPPY", "Laughter"); None when the
    recogniser does not tell."""

    words: tuple[HeardWord, ...] = ()
    language: str | None = None
    emotion: str | None = None
    event: str | None = None
    #: the text is written without spaces between words (Chinese, Japanese)
    spaceless: bool = False


class TranscribeError(AlignmentError):
    """Transcription could not run (no speech, an unknown language, a missing model): one sentence.

    A subclass of AlignmentError so every front end that already shows alignment errors shows these."""


class RecogniserUnavailable(TranscribeError):
    """The recogniser or its model cannot be had here; the message says what to install or download.

    ``asr`` and ``model`` (a Hub id) are set when a download would help, so the editor can offer it."""

    def __init__(self, message, *, asr: str | None = None, model: str | None = None):
        super().__init__(message)
        self.asr, self.model = asr, model
