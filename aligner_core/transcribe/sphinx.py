"""A rough offline English recogniser: PocketSphinx with the acoustic model, dictionary and
trigram language model its wheel ships, so a fresh machine with no download still gets a draft.

Its word error rate on read speech is high (see :data:`MEASURED_WER`, bench/transcribe.py): the
draft is labelled rough, and every word carries the decoder's posterior as its confidence so the
review walks the doubtful ones first. The transcript-biased decoder of
:mod:`aligner_core.align.recognise` answers another question (where is *this* transcript) with
another search; this one is the general-purpose search with pocketsphinx's defaults.
"""

from __future__ import annotations

import re
import threading
from typing import Sequence

import numpy as np

from ..messages import msg
from .types import Heard, HeardWord, RecogniserUnavailable

__all__ = ["SphinxRecogniser", "MEASURED_WER"]

#: Word error rate (%) measured by bench/transcribe.py on timit_dev (80 read utterances) and JFK.
MEASURED_WER = {"timit_dev": 39.4, "jfk": 50.0}

_FILLER = re.compile(r"^(<.*>|\[.*\]|\+.*\+)$")
_ALT = re.compile(r"\(\d+\)$")
_FRAME_MS = 10


class SphinxRecogniser:
    name = "sphinx"
    label = "PocketSphinx (rough English draft)"
    languages = ("en",)
    events = False
    max_window_s = 30.0
    batch = 1
    rough = True

    def __init__(self) -> None:
        try:
            import pocketsphinx
        except ImportError:
            raise RecogniserUnavailable(msg("asr_not_installed", recogniser="sphinx", package="pocketsphinx")) from None
        self._dec = pocketsphinx.Decoder(loglevel="FATAL")
        self._lock = threading.Lock()

    def decode(self, windows: Sequence[np.ndarray], cancel=None) -> list[Heard]:
        return [self._one(w, cancel) for w in windows]

    def _one(self, audio: np.ndarray, cancel=None) -> Heard:
        if cancel is not None:
            cancel.raise_if_cancelled()
        pcm = (np.clip(np.asarray(audio, dtype=np.float32), -1.0, 1.0) * 32767.0).astype(np.int16)
        # One call for the whole window: the cepstral mean is then taken over all of it. Fed in
        # pieces (to hear a cancel sooner) the running estimate changed the words; the caller
        # returns on cancel at once anyway, and this window's result is dropped.
        with self._lock:
            self._dec.start_utt()
            self._dec.process_raw(pcm.tobytes(), False, True)
            self._dec.end_utt()
            segs = list(self._dec.seg() or ())
        words = []
        for s in segs:
            word = _ALT.sub("", s.word)
            if _FILLER.match(word) or word == "(NULL)":
                continue
            conf = float(min(1.0, max(0.0, s.prob)))
            words.append(HeardWord(word, int(s.start_frame) * _FRAME_MS, (int(s.end_frame) + 1) * _FRAME_MS, conf))
        return Heard(tuple(words), language="en")

    def close(self) -> None:
        self._dec = None
