"""Types shared by the alignment API and its backends."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, Sequence

import numpy as np

from ..document import Phone, fit_phones
from ..progress import CancelToken, ProgressCallback

SAMPLE_RATE = 16000


@dataclass(frozen=True)
class WordTiming:
    """One token's timing: the one timing type of the backends, the engine and its edits.

    ``start``/``end`` are ms (``None``: not aligned) in the time frame of whoever made it: the
    audio a backend was given, the recording after long-form stitching, the document in what
    :func:`aligner_core.align.api.align` hands :class:`aligner_core.edits.ApplyAlignment`
    (which calls it ``TokenTiming``). A backend's raw measurement may hold floats until
    :func:`aligner_core.align.ordering.clamp_and_order` rounds them; every timing the engine
    hands on is whole ms, clamped and ordered by that one rule. ``confidence`` is in [0, 1];
    ``None`` means never measured (markup, a word timed by hand), which the rule makes 0 for an
    aligner's answer. ``flags`` are :class:`aligner_core.document.Flag` bits.
    """

    start: int | float | None
    end: int | float | None
    confidence: float | None = None
    flags: int = 0
    #: the word's phones (or sub-word units) in the same time frame, tiling [start, end]; () when
    #: the backend gives none. They follow the word the way a document's do
    #: (:func:`aligner_core.document.fit_phones`): a window offset added to both edges moves them
    #: along, a refined edge moves only the outer phone edge.
    phones: tuple[Phone, ...] = ()

    def __post_init__(self) -> None:
        if self.phones:
            fitted = fit_phones(self.phones, self.start, self.end)
            if fitted is not self.phones:
                object.__setattr__(self, "phones", fitted)

    @property
    def aligned(self) -> bool:
        return self.start is not None and self.end is not None


class AlignmentError(Exception):
    """Alignment could not run (bad input, model missing, ...): a one-sentence reason."""


class ModelUnavailable(AlignmentError):
    """A model cannot be had (not on disk, offline, ...); the message names the alternative."""


class ModelNeeded(AlignmentError):
    """The language needs a neural aligner whose model is not downloaded yet: the editor offers
    the download (``model``, a Hub id) right there; the CLI prints the sentence."""

    def __init__(self, message, *, aligner: str, model: str, language: str):
        super().__init__(message)
        self.aligner, self.model, self.language = aligner, model, language

    def __reduce__(self):  # worker processes pickle errors: keep the keyword arguments
        return (_model_needed, (self.args[0], self.aligner, self.model, self.language))


def _model_needed(message, aligner: str, model: str, language: str) -> "ModelNeeded":
    return ModelNeeded(message, aligner=aligner, model=model, language=language)


class Backend(Protocol):
    """Aligns the words of one window of audio (at most ``max_window_s`` seconds).

    ``words`` holds each token's aligner units (``Token.units``); the result has exactly one
    :class:`WordTiming` per token, in order, non-overlapping, inside ``[0, len(audio)]``.
    Long recordings are cut into windows by :mod:`aligner_core.align.longform`.
    """

    name: str
    max_window_s: float
    frame_ms: float

    def align_window(
        self,
        audio: np.ndarray,
        words: Sequence[Sequence[str]],
        language: str,
        *,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> list[WordTiming]: ...


class SpokenWord(tuple):
    """A token's aligner units (the tuple itself) that also carries its surface text and separator.

    Backends that only read units see a plain tuple; the Qwen3 backend reads ``text`` and ``sep``
    to rebuild what the user wrote. ``sep`` is the text that joined the token to the previous one
    (``Token.sep``: " " between Latin words, "" between CJK characters).
    """

    def __new__(cls, units: Sequence[str] = (), text: str = "", sep: str = " "):
        self = super().__new__(cls, tuple(units))
        self.text = str(text)
        self.sep = str(sep)
        return self

    def __reduce__(self):  # the pool's worker processes receive words pickled
        return (SpokenWord, (tuple(self), self.text, self.sep))
