"""The offline aligner with learned boundary offsets: what ``--model DIR`` builds for an adaptation folder."""

from __future__ import annotations

from typing import Any, Sequence

from ..align.types import AlignmentError
from ..messages import msg
from ..progress import CancelToken, ProgressCallback
from . import adapt


class AdaptedBackend:
    """Wraps the offline aligner: each window is aligned, then its boundaries are corrected.

    Locked words never reach a backend (the api aligns the runs between them), so the correction
    cannot move them; it stays inside the window, so it cannot cross them either.
    """

    def __init__(self, inner: Any, folder: str):
        self.inner = inner
        self.name = inner.name
        self.folder = str(folder)
        try:
            self.model = adapt.load_model(folder)
        except (OSError, ValueError, TypeError) as exc:  # damaged, hand-edited or of another version
            raise AlignmentError(msg("learn_bad_adaptation", path=str(folder), reason=str(exc).splitlines()[0] if str(exc) else type(exc).__name__)) from None

    def __getattr__(self, item: str) -> Any:
        if item == "inner":  # not set yet (copy/pickle): no recursion
            raise AttributeError(item)
        return getattr(self.inner, item)

    def align_window(self, audio, words: Sequence[Sequence[str]], language: str, *, progress: ProgressCallback | None = None, cancel: CancelToken | None = None):
        timings = self.inner.align_window(audio, words, language, progress=progress, cancel=cancel)
        return adapt.adapt_timings(self.model, words, timings, int(len(audio) * 1000 // 16000))
