"""The offline default aligner: PocketSphinx 5 with the English model its wheel ships.

Grammar-constrained (forced) alignment at word level, per window:

* the grammar is a chain of the window's tokens with optional silence between words
  (PocketSphinx adds a silence loop on every state); a token may have several readings
  ("1961": "nineteen sixty one" or "one thousand nine hundred sixty one"; a short unknown word:
  guessed phones or spelt letters), each a sequence of dictionary words
  (:mod:`aligner_core.align.pronounce`); the decoder picks one;
* ``bestpath=False``: the lattice pass makes about one alignment in ten fail, and alignment
  needs no lattice. Silence probability 0.1 (not 0.005) so words do not swallow pauses;
* the audio is fed in blocks of ``block_s`` (cancel checked and progress reported between
  blocks); the cepstral mean that batch processing would use is measured first by a cheap
  one-word pass, so block-wise feeding loses no accuracy. The noise estimate is reset for
  every pass, so a window's result never depends on what was aligned before;
* when the search ends off the grammar it is retried with much wider beams, then with skip
  arcs on every word. If the end of the grammar is never reached (the text runs on past the
  audio), the best partial path still places a prefix of the words and the rest are aligned
  again on the audio after it;
* verification: around each word the audio fits badly, the decoder may leave out words; if a
  word it leaves out is not in the audio, its neighbours get their time back and it comes back
  ``NOT_FOUND`` (the result is kept only if no other word fits worse);
* tokens that cannot be placed get times interpolated between their neighbours, flagged
  ``NOT_FOUND | INTERPOLATED`` (or only ``INTERPOLATED`` for tokens with nothing to say,
  like a lone dash); with nothing placed at all they stay unaligned. Nothing here raises for
  odd audio or text;
* phones (``WordTiming.phones``, then ``Token.phones``): the fsg search keeps no sub-word
  segmentation, so PocketSphinx's state aligner runs a phone pass over the window on the word
  pass's own path (when a retry or verification ran last, a word pass of the state aligner
  comes first). It only adds: each word's phones are fitted into the word pass's times
  (document.fit_phones), which stay exactly as they were. It costs about as much CPU time again
  as the word passes (timit_dev: 0.0135 -> 0.0275 x real time), so it runs only when asked for
  (``SphinxParams.phones``, from ``AlignRequest.phones``; bench/accuracy.py --phones measures it);
* word-word boundaries are moved by measured biases (+5 ms, -8 ms more before a vowel, +4 ms
  before a fricative); boundaries facing a pause go through energy refinement
  (:func:`aligner_core.align.refine.refine_pause_edges`), where most of the decoder's error sits.

Confidence (0..1) says how well the audio fits the word as transcribed. PocketSphinx scores
each frame against the best-scoring senone of that frame, so a word's summed score is 0 when
every frame is explained as well as any sound could explain it and falls as the fit gets
worse. A wrong word loses score in every frame, a right one only by chance, so the statistic is
the sum over sqrt(frames); a logistic curve calibrated on TIMIT + EMU (correct words vs.
substituted or inserted ones: at 1 % of correct words flagged, 95 % of wrong ones are) maps it
to 0..1. In a window whose typical word fits worse than clean read speech (noise, an old
recording) the curve moves down by the difference, at most ``confidence_max_shift``. Words
under the core's one threshold (:data:`aligner_core.align.confidence.LOW_CONFIDENCE`) get
``Flag.LOW_CONFIDENCE``; the verification pass re-checks words under ``doubtful``. It measures
the fit of transcript to audio, not boundary precision.
"""

from __future__ import annotations

import math
import re
import threading
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from ...document import Flag, Phone
from ...progress import CancelToken, ProgressCallback, Stage, SubProgress
from .. import refine as refine_mod
from ..pronounce import Lexicon, TokenPron, Word
from ..confidence import DOUBTFUL, LOW_CONFIDENCE
from ..ordering import clamp_and_order
from ..types import SAMPLE_RATE, AlignmentError, ModelUnavailable, WordTiming

FRAME_MS = 10
_FILLER = re.compile(r"^(<.*>|\[.*\]|\+.*\+)$")
_ALT = re.compile(r"\(\d+\)$")
_SUFFIX = re.compile(r"__\d+$")
_STAGE = Stage("stage_aligning_with", backend="PocketSphinx")


@dataclass(frozen=True)
class SphinxParams:
    """Decoder and post-processing settings (defaults measured on TIMIT, see bench/accuracy.py)."""

    silprob: float = 0.1  # silence between words: the default 0.005 makes words swallow pauses
    beams: tuple[float, float, float] = (1e-80, 1e-80, 1e-60)  # beam, pbeam, wbeam
    wide_beams: tuple[float, float, float] = (1e-160, 1e-160, 1e-120)
    skip_prob: float = 1e-40  # a skip arc's probability: leaving out a word must cost (1e-8 drops real words)
    skips_first: bool = False  # skip arcs from the first attempt: measured to drop 5 of 695 real TIMIT words
    verify_context: int = 3  # words either side of a doubtful word re-aligned with it (-1: no verification)
    verify_skip_all: bool = True  # any word near a doubtful one may be the absent one
    junction_shift_ms: int = 5  # word-word boundaries come out this much early...
    # ...plus this, by the next word's first sound (TIMIT, confirmed on EMU: vowel onsets come
    # out late, fricative onsets early)
    junction_shift_by_sound: dict = field(default_factory=lambda: {"vowel": -8, "fricative": 4})
    pause_start_shift_ms: int = 30  # without refinement: a start after a pause comes out early...
    pause_end_shift_ms: int = -20  # ...and an end before one late
    topn: int = 6  # Gaussians scored per codebook: 6 instead of 4 is 0.2-0.4 ms better for ~5% time
    decoder_options: dict = field(default_factory=dict)  # extra PocketSphinx settings (pip, wip, ...)
    block_s: float = 0.25  # audio fed per call; cancel and progress between blocks
    cmn_excerpt_s: float = 120.0  # at most this much audio estimates the cepstral mean
    refine: bool = True
    refine_params: refine_mod.RefineParams = field(default_factory=refine_mod.RefineParams)
    confidence_mid: float = -140.0  # score / sqrt(frames) (logmath units) that maps to 0.5
    confidence_scale: float = 45.0
    confidence_typical: float = -60.0  # a clean window's median score / sqrt(frames)
    confidence_max_shift: float = 50.0  # how far a poor recording may lower the curve
    doubtful: float = DOUBTFUL  # words below this are re-checked (verification, contamination)
    low_confidence: float = LOW_CONFIDENCE  # flagged for review: the core's one threshold
    phones: bool = False  # a second pass for each word's phones (Token.phones; AlignRequest.phones); word times do not depend on it


_ENGLISH = re.compile(r"^(en|eng|english)([-_].*)?$", re.IGNORECASE)


def _check_language(language: str) -> None:
    if language and not _ENGLISH.match(language.strip()):
        raise AlignmentError(
            f"The offline aligner (PocketSphinx) only has an English model, not '{language}'; "
            "choose a neural aligner for this language."
        )


@dataclass
class _Span:
    """Where one token landed in the decoder's segmentation."""

    start_frame: int
    end_frame: int  # inclusive
    score: int  # summed acoustic score (logmath units, normalised per frame by the best senone)
    sil_before: bool
    sil_after: bool
    reading: int = 0  # which of the token's readings the decoder took


class SphinxBackend:
    """:class:`~aligner_core.align.types.Backend` over PocketSphinx 5 (English only)."""

    name = "sphinx"
    max_window_s = 300.0
    frame_ms = float(FRAME_MS)

    def __init__(self, params: SphinxParams | None = None, *, lexicon: Lexicon | None = None, hmm: str | None = None):
        self.params = params or SphinxParams()
        self._lexicon = lexicon
        self._hmm = hmm
        self._lock = threading.Lock()
        self._decoders: dict[str, object] = {}
        self._added: dict[str, dict[str, str]] = {}  # per decoder: name -> phones we added
        # the window being aligned (pcm, cepstral mean) and what the last word pass was: (decoder
        # kind, over that whole window, reached the grammar's end); the phone pass reuses its path
        self._window: tuple[np.ndarray, object] | None = None
        self._last_run: tuple[str, bool, bool] = ("", False, False)

    # -- public --------------------------------------------------------------------------------------
    def align_window(
        self,
        audio: np.ndarray,
        words: Sequence[Sequence[str]],
        language: str,
        *,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> list[WordTiming]:
        _check_language(language)
        report = _Monotonic(SubProgress(progress, interval=0.1))
        audio = _as_mono(audio)
        n = len(words)
        if n == 0:
            report(1.0, _STAGE)
            return []
        with self._lock:
            lexicon = self._get_lexicon(cancel, report)
            prons = []
            for k, u in enumerate(words):
                prons.append(lexicon.pronounce(tuple(u)))
                if k % 500 == 499:
                    lexicon.check()  # type: ignore[misc]
            report(0.02, _STAGE)
            spans = self._decode(audio, prons, report, cancel)
            phones = self._phones(audio, prons, spans, report.sub(0.92, 0.99), cancel) if self.params.phones else [()] * n
        timings = self._timings(audio, prons, spans, phones)
        if cancel is not None:
            cancel.raise_if_cancelled()
        report(1.0, _STAGE)
        return timings

    # -- pieces ----------------------------------------------------------------------------------------
    def _get_lexicon(self, cancel: CancelToken | None, report) -> Lexicon:
        if self._lexicon is None:
            try:
                from ..recognise import shared_lexicon  # one copy of the dictionary per process

                self._lexicon = shared_lexicon()
            except (ImportError, OSError) as exc:
                raise ModelUnavailable(f"The PocketSphinx English dictionary cannot be read ({exc}); reinstall 'pocketsphinx'.") from exc

        def check() -> None:
            # called now and then while pronunciations are built, and while the letter-to-sound
            # rules are learnt (once per machine, several seconds)
            if cancel is not None:
                cancel.raise_if_cancelled()
            report(0.01, Stage("stage_pronunciations"))

        self._lexicon.check = check
        return self._lexicon

    def _decoder(self, kind: str):
        dec = self._decoders.get(kind)
        if dec is not None:
            return dec
        try:
            import pocketsphinx
        except ImportError as exc:  # pragma: no cover - a declared dependency
            raise ModelUnavailable("PocketSphinx is not installed; install the 'pocketsphinx' package.") from exc
        beam, pbeam, wbeam = self.params.wide_beams if kind == "wide" else self.params.beams
        kwargs: dict[str, object] = {
            "lm": None,
            "bestpath": False,  # the lattice pass makes about one alignment in ten fail
            "loglevel": "FATAL",
            "silprob": self.params.silprob,
            "beam": beam,
            "pbeam": pbeam,
            "wbeam": wbeam,
            "lpbeam": wbeam,
            "lponlybeam": wbeam,
        }
        if self._hmm:
            kwargs["hmm"] = self._hmm
        if kind != "cmn":
            kwargs["topn"] = self.params.topn
            kwargs.update(self.params.decoder_options)
        if kind == "wide":
            kwargs["maxhmmpf"] = -1
        elif kind == "cmn":
            # only its features matter: score every 4th frame, tight beams (about 0.001 x real time)
            kwargs.update(beam=1e-20, pbeam=1e-20, wbeam=1e-10, lpbeam=1e-10, lponlybeam=1e-10, ds=4, topn=1)
        if self._lexicon is not None:
            kwargs["dict"] = self._lexicon.dict_path
        try:
            dec = pocketsphinx.Decoder(**kwargs)
        except (RuntimeError, ValueError) as exc:
            raise ModelUnavailable(f"PocketSphinx could not load its English model ({exc}).") from exc
        if kind == "cmn":  # a one-word grammar: the pass is there for its cepstral mean
            dec.add_fsg("_cmn", dec.create_fsg("_cmn", 0, 1, [(0, 1, 1.0, "a")]))
            dec.activate_search("_cmn")
        self._decoders[kind] = dec
        self._added[kind] = {}
        return dec

    def _names(self, kind: str, prons: Sequence[TokenPron]) -> list[list[list[str]]]:
        """Decoder word names for every reading of every token, adding unknown words first."""
        dec = self._decoder(kind)
        added = self._added[kind]
        out: list[list[list[str]]] = []
        for pron in prons:
            readings = []
            for reading in pron.readings:
                names = []
                for w in reading:
                    names.append(self._ensure_word(dec, added, w))
                readings.append(names)
            out.append(readings)
        return out

    @staticmethod
    def _ensure_word(dec, added: dict[str, str], w: Word) -> str:
        if w.known:
            return w.name
        name = re.sub(r"\s+", "_", w.name) or "_"
        k = 1
        while True:
            have = added.get(name)
            if have == w.phones:
                return name
            if have is None and dec.lookup_word(name) is None:
                try:
                    dec.add_word(name, w.phones, False)
                except RuntimeError:
                    pass
                else:
                    added[name] = w.phones
                    return name
            k += 1
            name = _SUFFIX.sub("", name) + f"__{k}"

    def _decode(self, audio: np.ndarray, prons: Sequence[TokenPron], report, cancel) -> list[_Span | None]:
        """One span (or None: not found) per token."""
        n = len(prons)
        alignable = [i for i, p in enumerate(prons) if not p.empty]
        if not alignable or len(audio) < SAMPLE_RATE * 0.05:
            return [None] * n
        pcm = _to_pcm(audio)
        p = self.params
        cmn = self._measure_cmn(pcm, cancel)
        self._window = (pcm, cmn)
        sub_prons = [prons[i] for i in alignable]
        parsed, kind, forced = self._align(pcm, sub_prons, cmn, report.sub(0.02, 0.62), cancel)
        # Verify: a word the audio fits badly may not be there at all. Around each such word
        # (a few words either side, between the neighbours' first-pass times) the decoder may
        # leave it out; if it does, its neighbours get their own time back. The result is kept
        # only if no other word fits worse: skipping a spoken but badly guessed word would hand
        # its audio to the neighbours.
        if forced and p.verify_context >= 0 and any(sp is not None for sp in parsed):
            parsed = self._verify(kind, pcm, cmn, self._names(kind, sub_prons), parsed, report.sub(0.62, 0.92), cancel)
        out: list[_Span | None] = [None] * n
        for i, span in zip(alignable, parsed):
            out[i] = span
        return out

    def _align(self, pcm: np.ndarray, prons: Sequence[TokenPron], cmn, report, cancel, depth: int = 0):
        """Align ``prons`` to ``pcm``: (spans, decoder kind, every word forced (no skip arcs)).

        Attempts in turn: normal beams; much wider beams; wider beams with every word skippable.
        If the search never reaches the end of the grammar (text the audio does not hold, with
        speech the text does not hold), the best partial path still places a prefix of the
        words; the rest are aligned again, on the audio after that prefix (a few times at most).
        """
        p = self.params
        m = len(prons)
        attempts = (("normal", [p.skips_first] * m), ("wide", [False] * m), ("wide", [True] * m))
        partial = None
        for k, (kind, skippable) in enumerate(attempts):
            names = self._names(kind, prons)
            stage = _STAGE if k == 0 else Stage("stage_aligning_again")
            segs, complete = self._run(kind, pcm, names, skippable, cmn, report, cancel, stage)
            if complete:
                parsed = _parse(segs, names, skippable)
                if parsed is not None:
                    return parsed, kind, not any(skippable)
            elif segs and partial is None:
                partial = (segs, names, skippable, kind)
        if partial is None:
            return [None] * m, "normal", False
        segs, names, skippable, kind = partial
        parsed = _parse(segs, names, skippable, prefix=True) or [None] * m
        placed = [i for i, sp in enumerate(parsed) if sp is not None]
        last = placed[-1] if placed else -1
        if last + 1 < m and depth < 3:
            f0 = parsed[last].end_frame + 1 if last >= 0 else 0  # type: ignore[union-attr]
            rest = pcm[f0 * (SAMPLE_RATE // 100) :]
            if len(rest) >= SAMPLE_RATE * 0.2 and last >= 0:
                # its own fractions would run backwards; it repeats the high mark instead, so a
                # long rest does not leave the caller without a report
                tail, _, _ = self._align(rest, prons[last + 1 :], cmn, report.sub(0.0, 0.0), cancel, depth + 1)
                for k, span in enumerate(tail):
                    if span is not None:
                        parsed[last + 1 + k] = replace(span, start_frame=span.start_frame + f0, end_frame=span.end_frame + f0)
        return parsed, kind, not any(skippable)

    def _verify(self, kind, pcm, cmn, names, parsed: list[_Span | None], report, cancel) -> list[_Span | None]:
        p = self.params
        context = p.verify_context
        first = self._confidences(parsed)
        m = len(parsed)
        doubtful = [c < p.doubtful and parsed[i] is not None for i, c in enumerate(first)]
        groups: list[list[int]] = []
        for i in (i for i in range(m) if doubtful[i]):
            lo, hi = max(0, i - context), min(m - 1, i + context)
            if groups and lo <= groups[-1][1] + 1:
                groups[-1][1] = hi
            else:
                groups.append([lo, hi])
        total_frames = len(pcm) // (SAMPLE_RATE // 100)
        result = list(parsed)
        for g, (lo, hi) in enumerate(groups):
            if any(result[i] is None for i in range(lo, hi + 1)):
                continue
            f0 = result[lo - 1].end_frame + 1 if lo > 0 and result[lo - 1] is not None else 0  # type: ignore[union-attr]
            f1 = result[hi + 1].start_frame if hi + 1 < m and result[hi + 1] is not None else total_frames  # type: ignore[union-attr]
            sub = report.sub(g / len(groups), (g + 1) / len(groups))
            step = SAMPLE_RATE // 100
            skippable = [True] * (hi - lo + 1) if p.verify_skip_all else doubtful[lo : hi + 1]
            segs, complete = self._run(kind, pcm[f0 * step : f1 * step], names[lo : hi + 1], skippable, cmn, sub, cancel, Stage("stage_checking_doubtful"))
            again = _parse(segs, names[lo : hi + 1], skippable) if complete else None
            if again is None:
                continue
            trial = list(result)
            for k, span in enumerate(again):
                trial[lo + k] = None if span is None else replace(span, start_frame=span.start_frame + f0, end_frame=span.end_frame + f0)
            before, after = self._confidences(result), self._confidences(trial)
            others = [i for i in range(lo, hi + 1) if not doubtful[i] and trial[i] is not None]
            if sum(1 for i in range(lo, hi + 1) if trial[i] is None) > sum(doubtful[lo : hi + 1]):
                continue  # never more words left out than were in doubt (measured: a looser rule drags neighbours)
            worse = any(after[i] < p.doubtful for i in others)
            if not worse and sum(after[i] - before[i] for i in others) >= -0.05 * max(1, len(others)):
                result = trial
        return result

    def _confidences(self, spans: Sequence[_Span | None]) -> list[float]:
        """0..1 per span from its acoustic score over sqrt(frames): a wrong word loses score in
        every frame, a right one only by chance, so the sum grows ~n and its noise ~sqrt(n).
        A window whose typical word fits worse than clean read speech does (noise, an old
        recording) moves the curve down by the difference, so it is not flagged wholesale."""
        p = self.params
        stats = [None if sp is None else sp.score / math.sqrt(max(1, sp.end_frame - sp.start_frame + 1)) for sp in spans]
        known = [x for x in stats if x is not None]
        # capped: a window where most words fit badly (much of the text is not in the audio) must
        # not look normal just because it is consistently bad
        shift = max(-p.confidence_max_shift, min(0.0, float(np.median(known)) - p.confidence_typical)) if known else 0.0
        out = []
        for x in stats:
            if x is None:
                out.append(0.0)
                continue
            z = (x - shift - p.confidence_mid) / p.confidence_scale
            out.append(1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z)))))
        return out

    def _run(self, kind: str, pcm: np.ndarray, names, skippable: Sequence[bool], cmn, report, cancel, stage: str = _STAGE):
        """Decode ``pcm`` against the grammar of ``names``: (segments, reached the end of the
        grammar). Without the end, the segments are the best partial path."""
        dec = self._decoder(kind)
        p = self.params
        # the grammar: state i -> i+1 through any reading of token i (readings get their own states)
        trans = []
        state = len(names)
        for i, readings in enumerate(names):
            for reading in readings:
                prev = i
                for j, w in enumerate(reading):
                    nxt = i + 1 if j == len(reading) - 1 else state
                    if nxt == state:
                        state += 1
                    trans.append((prev, nxt, 1.0, w))
                    prev = nxt
            if skippable[i]:
                trans.append((i, i + 1, p.skip_prob))
        try:
            fsg = dec.create_fsg("_align", 0, len(names), trans)
            dec.add_fsg("_align", fsg)
            dec.activate_search("_align")
        except (RuntimeError, ValueError, KeyError):
            return [], False
        if cmn is not None:
            try:
                dec.set_cmn(cmn)
            except (RuntimeError, ValueError):
                pass
        block = max(160, int(p.block_s * SAMPLE_RATE))
        total = len(pcm)
        _reset_noise(dec)
        dec.start_utt()
        partial: list = []
        try:
            for pos in range(0, total, block):
                if cancel is not None and cancel.cancelled:
                    break
                dec.process_raw(pcm[pos : pos + block].tobytes(), False, False)
                report(min(pos + block, total) / total, stage)
            else:
                partial = _segments(dec)  # the best path so far, final state or not
        finally:
            dec.end_utt()
        if cancel is not None:
            cancel.raise_if_cancelled()
        complete = dec.hyp() is not None
        self._last_run = (kind, self._window is not None and pcm is self._window[0], complete)
        if not complete:
            return partial, False
        return _segments(dec), True

    def _measure_cmn(self, pcm: np.ndarray, cancel) -> str | None:
        """The window's cepstral mean (what batch CMN would use), from a cheap pass with a
        one-word grammar, so the block-wise passes that follow start from the right mean."""
        limit = int(self.params.cmn_excerpt_s * SAMPLE_RATE)
        if len(pcm) > limit:  # evenly spread 5 s pieces stand in for the whole window
            piece = 5 * SAMPLE_RATE
            starts = np.linspace(0, len(pcm) - piece, max(1, limit // piece)).astype(int)
            excerpt = np.concatenate([pcm[s : s + piece] for s in starts])
        else:
            excerpt = pcm
        try:
            meter = self._decoder("cmn")
            _reset_noise(meter)
            meter.start_utt()
            meter.process_raw(excerpt.tobytes(), False, True)
            meter.end_utt()
            cmn = meter.get_cmn(False)
        except RuntimeError:
            cmn = None  # the default mean is a fair start; live CMN adapts from there
        if cancel is not None:
            cancel.raise_if_cancelled()
        return cmn

    def _phones(self, audio: np.ndarray, prons: Sequence[TokenPron], spans: Sequence[_Span | None], report, cancel) -> list[tuple[Phone, ...]]:
        """Each placed token's phones (window ms), from PocketSphinx's phone-level alignment of
        the readings the word pass chose, in order (cross-word context as spoken).

        The fsg search keeps no sub-word segmentation, so the state aligner runs a phone pass
        over the window. It needs a hypothesis to align: usually the word pass's own (its last
        run covered the whole window and its path is the words placed), so one pass; otherwise
        (a retry, a verification, a partial path) a word pass of the state aligner first. The
        word times stay the word pass's: these phones are fitted into them later. Any failure
        leaves the window without phones, never without words.
        """
        n = len(prons)
        none: list[tuple[Phone, ...]] = [()] * n
        placed = [k for k, sp in enumerate(spans) if sp is not None and prons[k].readings]
        if not placed:
            return none
        names = self._names("phones", prons)
        text: list[str] = []
        owner: list[int] = []
        for k in placed:
            reading = names[k][min(spans[k].reading, len(names[k]) - 1)]  # type: ignore[union-attr]
            text += reading
            owner += [k] * len(reading)
        step = SAMPLE_RATE // 100
        margin = 30  # frames of audio either side: room for the silence the aligner may put there
        f0 = max(0, spans[placed[0]].start_frame - margin)  # type: ignore[union-attr]
        f1 = min(len(audio) // step, spans[placed[-1]].end_frame + 1 + margin)  # type: ignore[union-attr]
        whole, cmn = self._window if self._window is not None else (_to_pcm(audio), None)
        kind, over_window, complete = self._last_run
        found = None
        if over_window and complete:  # the word pass's path is the grammar's: one phone pass on it
            found = self._phone_pass(self._decoder(kind), whole, None, cmn, text, report, cancel)
            f0 = 0
        if found is None:
            f0 = max(0, spans[placed[0]].start_frame - margin)  # type: ignore[union-attr]
            f1 = min(len(whole) // step, spans[placed[-1]].end_frame + 1 + margin)  # type: ignore[union-attr]
            found = self._phone_pass(self._decoder("phones"), whole[f0 * step : f1 * step], text, cmn, text, report, cancel)
        if found is None:
            return none
        words, units = found
        out: list[list[Phone]] = [[] for _ in range(n)]
        u = 0
        for (w0, w1), k in zip(words, owner):
            while u < len(units) and units[u][1] < w0:
                u += 1
            while u < len(units) and units[u][2] <= w1:
                label, a, b = units[u]
                out[k].append(Phone(label, (f0 + a) * FRAME_MS, (f0 + b) * FRAME_MS))
                u += 1
        return [tuple(ph) for ph in out]

    def _phone_pass(self, dec, pcm: np.ndarray, align_text: list[str] | None, cmn, text: list[str], report, cancel):
        """Phone-level alignment on ``dec``: ((start, end) frames of each of ``text``'s words,
        (phone, start, end) frames of every phone), or None when it cannot be had or its words
        are not ``text``. With ``align_text`` a word pass of the state aligner comes first;
        without, the decoder's current hypothesis is aligned."""
        block = max(160, int(self.params.block_s * SAMPLE_RATE))
        passes = (False, True) if align_text is not None else (True,)
        try:
            if align_text is not None:
                dec.set_align_text(" ".join(align_text))
            for k, second in enumerate(passes):
                if second:
                    dec.set_alignment()
                if cmn is not None:  # every pass starts from the window's mean
                    dec.set_cmn(cmn)
                _reset_noise(dec)
                dec.start_utt()
                try:  # in blocks, as the word passes: cancel and progress between them
                    for pos in range(0, len(pcm), block):
                        if cancel is not None:
                            cancel.raise_if_cancelled()
                        dec.process_raw(pcm[pos : pos + block].tobytes(), False, False)
                        report((k + min(pos + block, len(pcm)) / len(pcm)) / len(passes), _STAGE)
                finally:
                    dec.end_utt()
            alignment = dec.get_alignment()
            named = [(_ALT.sub("", w.name), w.start, w.start + w.duration) for w in alignment.words()]
            units = [(p.name, p.start, p.start + p.duration) for p in alignment.phones()]
        except RuntimeError:
            return None
        words = [(a, b) for name, a, b in named if not _FILLER.match(name) and name != "(NULL)"]
        if [name for name, _, _ in named if not _FILLER.match(name) and name != "(NULL)"] != text:
            return None
        return words, units

    # -- from spans to timings ---------------------------------------------------------------------
    def _timings(
        self, audio: np.ndarray, prons: Sequence[TokenPron], spans: Sequence[_Span | None], phones: Sequence[tuple[Phone, ...]]
    ) -> list[WordTiming]:
        p = self.params
        dur_ms = int(1000 * len(audio) / SAMPLE_RATE)
        raw: list[WordTiming] = []

        def junction_shift(k: int) -> int:
            """The measured lateness of a word-word boundary before token k, by its first sound."""
            span = spans[k] if 0 <= k < len(spans) else None
            if span is None or not prons[k].readings:
                return p.junction_shift_ms
            reading = prons[k].readings[min(span.reading, len(prons[k].readings) - 1)]
            first = reading[0].phones.split()[:1]
            return p.junction_shift_ms + p.junction_shift_by_sound.get(_sound_class(first[0]) if first else "", 0)

        confidences = _contaminate(self._confidences(spans), prons, spans, p.doubtful)
        for k, (pron, span, conf) in enumerate(zip(prons, spans, confidences)):
            flags = Flag.GUESSED_PRONUNCIATION if pron.guessed else Flag.NONE
            if span is None:
                missing = Flag.NOT_FOUND if not pron.empty else Flag.NONE  # nothing to say: not "not found"
                raw.append(WordTiming(None, None, 0.0, int(flags | missing)))
                continue
            start = span.start_frame * FRAME_MS
            end = (span.end_frame + 1) * FRAME_MS
            if not span.sil_before and start > 0:
                start += junction_shift(k)
            if not span.sil_after and end < dur_ms:
                end += junction_shift(k + 1)
            # the phones keep their measured inner boundaries and stretch or shrink at the word's
            # edges (WordTiming fits them: document.fit_phones)
            raw.append(WordTiming(start, end, round(conf, 3), int(flags), _contiguous(phones[k])))
        raw = clamp_and_order(raw, dur_ms)
        if not p.refine:
            raw = _pause_shifts(raw, spans, p, dur_ms)
        else:
            plosive = [any(_sound_class((r[-1].phones.split() or [""])[-1]) == "plosive" for r in pr.readings) for pr in prons]
            raw = refine_mod.refine_pause_edges(audio, raw, params=p.refine_params, plosive_final=plosive)
        out = []
        for t in clamp_and_order(_fill_gaps(raw, dur_ms), dur_ms):
            flags = t.flags
            if t.aligned and t.confidence < p.low_confidence:
                flags |= Flag.LOW_CONFIDENCE
            if t.aligned and t.start == t.end:
                flags |= Flag.ZERO_DURATION
            out.append(replace(t, flags=int(flags)))
        return out


# -- helpers ---------------------------------------------------------------------------------------------


class _Monotonic:
    """A progress callback that never goes backwards: a retry re-runs the same range, and until
    it passes the earlier high mark it reports that mark (so the callback keeps coming)."""

    def __init__(self, parent, lo: float = 0.0, hi: float = 1.0, root: _Monotonic | None = None):
        self.parent, self.lo, self.hi = parent, lo, hi
        self.root = root or self
        self.best = 0.0

    def __call__(self, fraction: float, stage: str) -> None:
        value = self.lo + (self.hi - self.lo) * min(1.0, max(0.0, fraction))
        root = self.root
        root.best = max(root.best, value)
        root.parent(root.best, stage)

    def sub(self, lo: float, hi: float) -> _Monotonic:
        span = self.hi - self.lo
        return _Monotonic(self.parent, self.lo + span * lo, self.lo + span * hi, self.root)


_SOUND_CLASSES = {
    **dict.fromkeys(["AA", "AE", "AH", "AO", "AW", "AY", "EH", "ER", "EY", "IH", "IY", "OW", "OY", "UH", "UW"], "vowel"),
    **dict.fromkeys(["F", "V", "TH", "DH", "S", "Z", "SH", "ZH", "HH"], "fricative"),
    **dict.fromkeys(["P", "T", "K", "B", "D", "G"], "plosive"),
    **dict.fromkeys(["CH", "JH"], "affricate"),
    **dict.fromkeys(["M", "N", "NG"], "nasal"),
    **dict.fromkeys(["L", "R", "W", "Y"], "approximant"),
}


def _sound_class(phone: str) -> str:
    return _SOUND_CLASSES.get(phone, "")


def _contiguous(phones: tuple[Phone, ...]) -> tuple[Phone, ...]:
    """The phones of a reading of several dictionary words ("nineteen sixty") may have a short
    silence between them: it goes to the phone before it, so the tier tiles the word."""
    return tuple(Phone(p.label, p.start, nxt.start) for p, nxt in zip(phones, phones[1:])) + phones[-1:] if phones else ()


def _reset_noise(dec) -> None:
    """Forget the noise estimate of earlier utterances, so a window's result never depends on
    what was aligned before it. (PocketSphinx 5 calls start_stream deprecated, yet without it
    the spectral noise subtraction carries over between utterances.)"""
    reset = getattr(dec, "start_stream", None)
    if reset is None:
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            reset()
        except RuntimeError:
            pass


def _as_mono(audio: np.ndarray) -> np.ndarray:
    a = np.asarray(audio, dtype=np.float32)
    if a.ndim == 2:
        a = a.mean(axis=1 if a.shape[0] > a.shape[1] else 0)
    a = a.reshape(-1)
    if not np.all(np.isfinite(a)):
        a = np.nan_to_num(a, nan=0.0, posinf=0.0, neginf=0.0)
    return a


def _to_pcm(audio: np.ndarray) -> np.ndarray:
    a = audio - float(np.mean(audio)) if len(audio) else audio
    peak = float(np.max(np.abs(a))) if len(a) else 0.0
    if 0.0 < peak < 0.1:  # very quiet recordings would lose their detail in 16 bits
        a = a * min(0.5 / peak, 1000.0)
    return (np.clip(a, -1.0, 1.0) * 32767.0).astype(np.int16)


def _contaminate(conf: list[float], prons: Sequence[TokenPron], spans: Sequence[_Span | None], low: float) -> list[float]:
    """A short word ("the", "and": three phones at most) fits almost any sound, so its own good
    score says little when it borders a run of two or more badly fitting words or sits between
    two of them: there it is as doubtful as the run, and its confidence is scaled down (x0.3).
    This is what flags the little words of a sentence the audio does not hold."""
    n = len(conf)
    bad = [spans[i] is not None and conf[i] < low for i in range(n)]

    def short(i: int) -> bool:
        span = spans[i]
        if span is None or not prons[i].readings:
            return False
        reading = prons[i].readings[min(span.reading, len(prons[i].readings) - 1)]
        return sum(len(w.phones.split()) for w in reading) <= 3

    out = list(conf)
    for i in range(n):
        if bad[i] or spans[i] is None or not short(i):
            continue
        left = i > 0 and bad[i - 1]
        right = i + 1 < n and bad[i + 1]
        left_run = left and i > 1 and bad[i - 2]
        right_run = right and i + 2 < n and bad[i + 2]
        if (left and right) or left_run or right_run:
            out[i] = conf[i] * 0.3
    return out


def _segments(dec) -> list[tuple[str, int, int, int]]:
    """(word, first frame, last frame, acoustic score) of the decoder's current best path."""
    out = []
    for s in dec.seg() or ():
        if s.word == "(NULL)":  # a skip arc taken: it covers no audio
            continue
        score = dec.logmath.log(s.ascore) if s.ascore > 0 else -(10**9)
        out.append((_ALT.sub("", s.word), int(s.start_frame), int(s.end_frame), int(score)))
    return out


def _parse(
    segs, names: Sequence[Sequence[Sequence[str]]], skippable: Sequence[bool], *, prefix: bool = False
) -> list[_Span | None] | None:
    """Attribute the decoder's word segments to tokens (the grammar path, read back).

    Forward over tokens keeping every reachable segment position, then back from the end;
    ``None`` for a token the decoder skipped (only possible with skip arcs). With ``prefix``
    the path may stop inside the grammar (a partial result): the longest run of tokens that
    explains every segment is placed and the rest come back ``None``.
    """
    words = [(i, s) for i, s in enumerate(segs) if not _FILLER.match(s[0])]
    seq = [s[0] for _, s in words]
    m = len(seq)
    reach: list[dict[int, tuple[int, int]]] = [{0: (-1, -1)}]  # per token: position -> (prev pos, reading)
    for t, readings in enumerate(names):
        nxt: dict[int, tuple[int, int]] = {}
        for pos in reach[-1]:
            for r, reading in enumerate(readings):
                end = pos + len(reading)
                if end <= m and seq[pos:end] == list(reading) and end not in nxt:
                    nxt[end] = (pos, r)
            if skippable[t] and pos not in nxt:
                nxt[pos] = (pos, -1)
        if not nxt:
            if not prefix:
                return None
            break
        reach.append(nxt)
    ends = [t for t in range(len(reach)) if m in reach[t]]
    if not ends or (not prefix and ends[-1] != len(names)):
        return None
    out: list[_Span | None] = [None] * len(names)
    pos = m
    for t in range(ends[-1], 0, -1):
        prev, r = reach[t][pos]
        if r >= 0:
            first_seg, last_seg = words[prev][0], words[pos - 1][0]
            score = sum(segs[k][3] for k in range(first_seg, last_seg + 1) if not _FILLER.match(segs[k][0]))
            out[t - 1] = _Span(
                start_frame=segs[first_seg][1],
                end_frame=segs[last_seg][2],
                score=score,
                sil_before=first_seg == 0 or bool(_FILLER.match(segs[first_seg - 1][0])),
                sil_after=last_seg == len(segs) - 1 or bool(_FILLER.match(segs[last_seg + 1][0])),
                reading=r,
            )
        pos = prev
    return out


def _fill_gaps(timings: Sequence[WordTiming], dur_ms: int, max_ms: int = 400) -> list[WordTiming]:
    """Give tokens the decoder could not place a place anyway, flagged ``INTERPOLATED``.

    A run of them between two aligned words shares the gap after the earlier one (each at most
    ``max_ms``); a run at the window's start ends where the first aligned word starts, one at
    the end starts where the last aligned word ends. With nothing aligned at all, nothing is
    invented.
    """
    out = list(timings)
    aligned = [i for i, t in enumerate(out) if t.aligned]
    if not aligned:
        return out
    i = 0
    n = len(out)
    while i < n:
        if out[i].aligned:
            i += 1
            continue
        j = i
        while j < n and not out[j].aligned:
            j += 1
        k = j - i
        if i == 0:
            hi = int(out[j].start)  # type: ignore[arg-type]
            each = min(max_ms, hi // k)
            lo = hi - each * k
        else:
            lo = int(out[i - 1].end)  # type: ignore[arg-type]
            hi = int(out[j].start) if j < n else dur_ms  # type: ignore[arg-type]
            each = min(max_ms, max(0, hi - lo) // k)
        for m in range(k):
            t = out[i + m]
            out[i + m] = replace(t, start=lo + m * each, end=lo + (m + 1) * each, flags=int(t.flags | Flag.INTERPOLATED))
        i = j
    return out


def _pause_shifts(timings: list[WordTiming], spans: Sequence[_Span | None], p: SphinxParams, dur_ms: int) -> list[WordTiming]:
    """The measured bias of pause-facing boundaries, for when refinement is off."""
    out = list(timings)
    idx = [i for i, t in enumerate(out) if t.aligned]
    for j, i in enumerate(idx):
        t, span = out[i], spans[i]
        assert span is not None
        start, end = int(t.start), int(t.end)  # type: ignore[arg-type]
        prev_end = int(out[idx[j - 1]].end) if j else 0  # type: ignore[arg-type]
        next_start = int(out[idx[j + 1]].start) if j + 1 < len(idx) else dur_ms  # type: ignore[arg-type]
        if span.sil_before:
            gap = start - prev_end if j else start + 1000
            start = start + min(p.pause_start_shift_ms, int(0.8 * gap)) if gap > 0 else start
        if span.sil_after:
            gap = next_start - end if j + 1 < len(idx) else dur_ms - end + 1000
            end = end + max(p.pause_end_shift_ms, -int(0.8 * gap)) if gap > 0 else end
        start = min(max(start, prev_end), int(t.end))  # type: ignore[arg-type]
        end = max(min(max(end, start + 10), int(t.end)), start)  # type: ignore[arg-type]
        out[i] = replace(t, start=start, end=end)
    return out
