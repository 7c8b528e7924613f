"""What the offline recogniser hears when it may only say the transcript's words.

PocketSphinx decodes with a bigram made from the transcript (:mod:`.lm`) and a dictionary holding
only the transcript's words (loading the 130,000-word dictionary into a language-model search costs
over a second; a few thousand words cost nothing). The pass is for finding where the transcript is,
not for exact times, so it scores every third frame with two Gaussians per codebook and narrow
beams: about 120x real time on one core. Only sound is decoded (silence between stretches of it
is skipped), each stretch after a pause as its own utterance of at most ``block_s``, so memory
does not grow with the recording and cancel is checked between utterances.

English only: the wheel ships only the English acoustic model.
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..progress import Stage
from .backends.sphinx import _reset_noise
from .lm import transcript_bigram_arpa
from .pronounce import Lexicon
from .types import SAMPLE_RATE

__all__ = ["Heard", "RecogniseParams", "spoken_words", "recognise"]

_FILLER = re.compile(r"^(<.*>|\[.*\]|\+.*\+)$")
_ALT = re.compile(r"\(\d+\)$")


@dataclass(frozen=True)
class Heard:
    """One recognised word: a decoder word name and where the recogniser put it (ms)."""

    word: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class RecogniseParams:
    ds: int = 3  # score every ds-th frame
    topn: int = 2
    beam: float = 1e-30
    wbeam: float = 1e-11
    maxhmmpf: int = 3000
    follow: float = 0.9  # the bigram's mass on "the next transcript word"
    block_s: float = 30.0  # longest utterance decoded at once
    split_pause_ms: float = 700.0  # sound after a pause this long starts an utterance of its own
    feed_s: float = 0.25  # audio handed to the decoder per call (cancel is checked between calls)
    remove_noise: bool = True


_LEXICON: Lexicon | None = None
_LEXICON_LOCK = threading.Lock()


def shared_lexicon() -> Lexicon:
    """The one English lexicon of this process (the aligner's and the recogniser's: it is large)."""
    global _LEXICON
    with _LEXICON_LOCK:
        if _LEXICON is None:
            _LEXICON = Lexicon()
        return _LEXICON


def spoken_words(units: Sequence[Sequence[str]], lexicon: Lexicon | None = None) -> tuple[list[str], list[int], dict[str, tuple[str, ...]]]:
    """The transcript as decoder words: names, the token each came from, and their phones.

    A token reads as its first reading ("1961": nineteen sixty one); tokens with nothing to say
    give no words."""
    lex = lexicon or shared_lexicon()
    names: list[str] = []
    owner: list[int] = []
    phones: dict[str, tuple[str, ...]] = {}
    for k, u in enumerate(units):
        pron = lex.pronounce(tuple(u))
        if pron.empty:
            continue
        for w in pron.readings[0]:
            name = re.sub(r"\s+", "_", w.name) or "_"
            if name not in phones:
                phones[name] = tuple(lex.words.get(w.name, ())) if w.known else (w.phones,)
                if not phones[name]:
                    phones[name] = (w.phones,)
            names.append(name)
            owner.append(k)
    return names, owner, phones


def recognise(audio: np.ndarray, names: Sequence[str], phones: dict[str, tuple[str, ...]], params: RecogniseParams | None = None, cancel=None, vad=None, progress=None) -> list[Heard]:
    """Recognise ``audio`` (16 kHz mono float32) with a bigram of ``names``; ``vad``
    (:class:`.vad.Vad` of the same audio) places block cuts and the cepstral mean's speech."""
    import pocketsphinx

    p = params or RecogniseParams()
    if not names or len(audio) < SAMPLE_RATE // 10:
        return []
    with tempfile.TemporaryDirectory(prefix="wordsync-lm-") as tmp:
        dict_path = os.path.join(tmp, "words.dict")
        with open(dict_path, "w", encoding="utf-8") as fh:
            for name, alts in phones.items():
                for j, ph in enumerate(alts):
                    fh.write(f"{name if j == 0 else f'{name}({j + 1})'} {ph}\n")
        lm_path = os.path.join(tmp, "transcript.arpa")
        with open(lm_path, "w", encoding="utf-8") as fh:
            fh.write(transcript_bigram_arpa(names, p.follow))
        dec = pocketsphinx.Decoder(
            lm=None,
            dict=dict_path,
            loglevel="FATAL",
            beam=p.beam,
            pbeam=p.beam,
            wbeam=p.wbeam,
            fwdflat=False,
            bestpath=False,
            ds=p.ds,
            topn=p.topn,
            maxhmmpf=p.maxhmmpf,
            remove_noise=p.remove_noise,
        )
        dec.add_lm("_transcript", pocketsphinx.NGramModel(dec.config, dec.logmath, lm_path))
        dec.activate_search("_transcript")
        meter = pocketsphinx.Decoder(lm=None, dict=dict_path, loglevel="FATAL", ds=4, topn=1, beam=1e-20, pbeam=1e-20, wbeam=1e-10)
        meter.add_fsg("_cmn", meter.create_fsg("_cmn", 0, 1, [(0, 1, 1.0, next(iter(phones)))]))
        meter.activate_search("_cmn")
    per_ms = SAMPLE_RATE // 1000
    out: list[Heard] = []
    if cancel is not None:
        cancel.raise_if_cancelled()
    total_ms = len(audio) // per_ms
    for pos, end in _blocks(total_ms, vad, p):
        if cancel is not None:
            cancel.raise_if_cancelled()
        block_pcm = _pcm(audio[pos * per_ms : end * per_ms]).tobytes()  # one block at a time: memory stays flat
        _reset_noise(meter)
        meter.start_utt()
        meter.process_raw(_speech_only(audio, pos, end, vad) or block_pcm, False, True)
        meter.end_utt()
        _reset_noise(dec)
        # the cepstral mean of the block's speech from the start: live CMN begins at a default
        # and adapts slowly
        dec.set_cmn(meter.get_cmn(False))
        dec.start_utt()
        step = int(p.feed_s * SAMPLE_RATE) * 2  # bytes: the GIL is let go between calls
        for k in range(0, len(block_pcm), step):
            if cancel is not None and cancel.cancelled:
                break
            dec.process_raw(block_pcm[k : k + step], False, False)
        dec.end_utt()
        if progress is not None:
            progress(end / max(1, total_ms), Stage("stage_finding_transcript"))
        frame_ms = 10  # segment frames are 10 ms frames whatever ds is
        for seg in dec.seg() or ():
            word = _ALT.sub("", seg.word)
            if _FILLER.match(word) or word == "(NULL)":
                continue
            out.append(Heard(word, pos + int(seg.start_frame) * frame_ms, pos + (int(seg.end_frame) + 1) * frame_ms))
    return out


def _pcm(audio: np.ndarray) -> np.ndarray:
    return (np.clip(np.asarray(audio, dtype=np.float32), -1.0, 1.0) * 32767.0).astype(np.int16)


def _speech_only(audio: np.ndarray, lo_ms: int, hi_ms: int, vad) -> bytes:
    """The block's speech regions joined, as 16-bit samples (b"" without a detector or speech)."""
    if vad is None:
        return b""
    per_ms = SAMPLE_RATE // 1000
    parts = [_pcm(audio[max(lo_ms, r.start_ms) * per_ms : min(hi_ms, r.end_ms) * per_ms]) for r in vad.regions if not r.noise and r.end_ms > lo_ms and r.start_ms < hi_ms]
    joined = np.concatenate(parts) if parts else np.zeros(0, np.int16)
    return joined.tobytes() if len(joined) >= SAMPLE_RATE // 2 else b""


def _blocks(total_ms: int, vad, p: RecogniseParams) -> list[tuple[int, int]]:
    """Utterances to decode: stretches of sound that start where the sound starts.

    Seconds of music or silence before speech leave the recogniser lost for seconds of the
    speech after them (measured: a 12 s jingle before the JFK clip and it hears almost nothing
    right), so every stretch of sound after a pause of ``split_pause_ms`` is decoded on its own;
    stretches are joined up to ``block_s``."""
    if vad is None or not vad.regions:
        step = int(p.block_s * 1000)
        return [(a, min(total_ms, a + step)) for a in range(0, total_ms, step)] or [(0, total_ms)]
    pad = 100
    out: list[list[int]] = []
    for r in vad.regions:
        a, b = max(0, r.start_ms - pad), min(total_ms, r.end_ms + pad)
        if out and a - out[-1][1] < p.split_pause_ms - 2 * pad and b - out[-1][0] <= p.block_s * 1000:
            out[-1][1] = b
        else:
            out.append([a, b])
    return [(a, b) for a, b in out if b - a >= 100]
