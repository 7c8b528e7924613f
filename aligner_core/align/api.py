"""The alignment engine's only entry points: :func:`align` and :func:`align_span`.

A request is a snapshot: the tokens (their ``units`` are what aligners see; ``locked`` tokens'
times are hard constraints), the 16 kHz mono float32 samples, the language, the aligner
settings, and the document revision it was made from. The result holds one
:class:`~aligner_core.align.types.WordTiming` per token of the span (ms, or ``None`` = not aligned;
a confidence in [0, 1]; warning flags) and a summary, and becomes one undoable edit through
:meth:`AlignmentResult.to_edit`. Nothing here touches a document: a stale result (the document
changed meanwhile) is simply dropped by the caller (:meth:`AlignmentResult.is_current`).

Constraints: tokens outside the span, and locked tokens inside it, never move. The span is
aligned inside the time window its fixed neighbours leave; locked tokens inside it cut it into
independent sub-spans, each aligned inside the gap between its locked neighbours.

Threads: the work runs on a helper thread while the calling thread reports progress (at least
every quarter second, whatever the backend does) and watches the CancelToken; a cancel returns
within a fraction of a second by raising :class:`~aligner_core.progress.Cancelled` (the helper
stops at its next check, and its result is dropped), and changes nothing.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field, replace
from typing import Any, Sequence

import numpy as np

from ..document import Document, Flag, Token
from ..edits import ApplyAlignment, CompositeEdit, Edit, SetUntranscribed
from ..progress import CancelToken, ProgressCallback, Stage, SubProgress, run_with_heartbeat
from ..review import is_low
from ..text import is_speech, strip_markup
from . import anchored, longform, registry
from .oom import OutOfMemory
from .ordering import clamp_and_order
from .types import SAMPLE_RATE, AlignmentError, SpokenWord, WordTiming

__all__ = ["AlignRequest", "AlignmentResult", "AlignmentSummary", "align", "align_span"]

#: Recordings at least this long use worker processes when ``jobs > 1`` (starting them costs
#: about a second each).
POOL_MIN_S = 300.0


@dataclass(frozen=True, eq=False)
class AlignRequest:
    """What to align, with which aligner; made on the GUI thread, read on a worker."""

    tokens: tuple[Token, ...]
    audio: np.ndarray  # mono float32 at 16 kHz
    language: str = "en"
    aligner: str = "auto"  # auto | sphinx | qwen3 | ctc
    model: str | None = None  # a Hub id or a local folder (neural aligners)
    device: str = "auto"  # auto | cpu | cuda
    refine: bool = True  # move boundaries onto the speech onsets/offsets the audio shows
    revision: int = 0  # the document revision the tokens were taken from
    jobs: int = 1  # worker processes for long recordings
    sample_rate: int = SAMPLE_RATE
    params: longform.LongformParams | None = None
    anchors: bool = True  # find the transcript in the audio before aligning (English)
    #: each word's phones too (Token.phones), for a phone tier: the offline aligner's extra pass
    #: doubles its time and most subtitles never show them, so only when asked for
    phones: bool = False

    @classmethod
    def from_document(cls, doc: Document, audio: np.ndarray, **options: Any) -> "AlignRequest":
        options.setdefault("language", doc.language)
        return cls(tokens=tuple(doc.tokens), audio=audio, revision=doc.revision, **options)

    @property
    def duration_ms(self) -> int:
        return int(len(self.audio) * 1000 // self.sample_rate)


@dataclass(frozen=True)
class AlignmentSummary:
    words: int  # tokens in the span
    aligned: int
    not_aligned: int
    low_confidence: int
    guessed: int  # pronunciations guessed (not in the dictionary)
    locked: int  # kept as they were
    aligner: str
    version: str
    settings: dict = field(default_factory=dict)
    audio_s: float = 0.0  # audio the span covers
    elapsed_s: float = 0.0
    warnings: tuple[str, ...] = ()  # what went wrong and was worked around (out of memory...)
    #: speech (or music) no word covers, 1.5 s or more of it, in ms of the recording: what the
    #: transcript does not hold (an intro, a jingle, a skipped sentence, the rest of a partial one)
    untranscribed: tuple[tuple[int, int], ...] = ()

    @property
    def speed(self) -> float:
        """Seconds of audio aligned per second of work ("x real time")."""
        return self.audio_s / self.elapsed_s if self.elapsed_s > 0 else float("inf")

    @property
    def rtf(self) -> float:
        """Real-time factor: seconds of work per second of audio."""
        return self.elapsed_s / self.audio_s if self.audio_s > 0 else 0.0

    def line(self) -> str:
        text = (
            f"{self.aligned} of {self.words} words aligned, {self.not_aligned} not aligned, "
            f"{self.low_confidence} low confidence ({self.aligner}, RTF {self.rtf:.3f}, {self.speed:.0f}x real time)"
        )
        if self.untranscribed:
            seconds = sum(b - a for a, b in self.untranscribed) / 1000.0
            text += f"; {len(self.untranscribed)} untranscribed stretch(es), {seconds:.0f} s"
        return " ".join([text, *self.warnings])


@dataclass(frozen=True)
class AlignmentResult:
    first: int  # index of the first token the timings are for
    timings: tuple[WordTiming, ...]
    summary: AlignmentSummary
    revision: int
    #: the stretch of audio (ms) the run looked at: the whole file for a full alignment, the gap
    #: between the fixed neighbours for a re-aligned selection; None when nothing was aligned
    window: tuple[int, int] | None = None

    @property
    def last(self) -> int:
        return self.first + len(self.timings) - 1

    def to_edit(self) -> Edit:
        """One undo step: the times, and the untranscribed spans of the window the run looked at
        (spans elsewhere in the recording were found by other runs and stay)."""
        edits: list[Edit] = [ApplyAlignment(self.first, self.timings)]
        if self.window is not None:
            edits.append(SetUntranscribed(*self.window, self.summary.untranscribed))
        return CompositeEdit(edits, "Align")

    def is_current(self, doc: Document) -> bool:
        return doc.revision == self.revision


def align(request: AlignRequest, progress: ProgressCallback | None = None, cancel: CancelToken | None = None) -> AlignmentResult:
    """Align every token; locked tokens keep their times."""
    if not request.tokens:
        return _empty_result(request, 0)
    return align_span(request, 0, len(request.tokens) - 1, progress, cancel)


def align_span(
    request: AlignRequest,
    first: int,
    last: int,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> AlignmentResult:
    """Re-align tokens ``first..last`` (inclusive) inside the window their fixed neighbours leave."""
    n = len(request.tokens)
    if not (0 <= first <= last < n):
        raise ValueError(f"span {first}..{last} is outside the {n} tokens")
    audio = _check_audio(request)
    _check_word_rate(request, first, last, len(audio) / SAMPLE_RATE)
    if cancel is not None:
        cancel.raise_if_cancelled()
    choice = registry.choose(request.aligner, request.language, request.model)
    return run_with_heartbeat(lambda report, token: _align_span(request, audio, first, last, choice, report, token), progress, cancel, name="wordsync-align", done_stage=Stage("stage_aligned"))


# -- the work ----------------------------------------------------------------------------------------


# Fast speech is ~7 words a second; past this the text can not be what the audio says, and an
# aligner would spend minutes forcing it in (a 1 MB line over 3 s took sphinx 50 s).
MAX_WORDS_PER_S = 20.0
WORD_RATE_SLACK = 200


def _check_word_rate(request: AlignRequest, first: int, last: int, seconds: float) -> None:
    words = sum(1 for t in request.tokens[first : last + 1] if t.units and not t.locked)
    if words > WORD_RATE_SLACK + MAX_WORDS_PER_S * seconds:
        raise AlignmentError(
            f"The transcript has {words} words, far more than {seconds:.0f} s of audio can hold; "
            "check that it belongs to this audio."
        )


def _check_audio(request: AlignRequest) -> np.ndarray:
    if request.sample_rate != SAMPLE_RATE:
        raise AlignmentError(f"Aligners need {SAMPLE_RATE} Hz audio, not {request.sample_rate} Hz; decode with aligner_core.audio.load_audio.")
    audio = np.asarray(request.audio)
    if audio.ndim != 1:
        raise AlignmentError("Aligners need mono audio (one channel); decode with aligner_core.audio.load_audio.")
    if audio.dtype != np.float32:
        audio = audio.astype(np.float32)
    return audio


@dataclass
class _Run:
    """Unlocked tokens between two fixed times: one independent alignment problem."""

    indices: list[int]
    lo_ms: int
    hi_ms: int


def _runs(tokens: Sequence[Token], first: int, last: int, duration_ms: int) -> list[_Run]:
    """Split ``first..last`` at its locked tokens, each run with the window it may use."""
    lo = 0
    for j in range(first - 1, -1, -1):
        if tokens[j].aligned:
            lo = int(tokens[j].end)  # type: ignore[arg-type]
            break
    hi = duration_ms
    for j in range(last + 1, len(tokens)):
        if tokens[j].aligned:
            hi = int(tokens[j].start)  # type: ignore[arg-type]
            break
    runs: list[_Run] = []
    cur: list[int] = []
    start = lo
    for i in range(first, last + 1):
        tok = tokens[i]
        if tok.locked and tok.aligned:
            if cur:
                runs.append(_Run(cur, start, min(hi, int(tok.start))))  # type: ignore[arg-type]
            cur = []
            start = max(lo, int(tok.end))  # type: ignore[arg-type]
        else:
            cur.append(i)
    if cur:
        runs.append(_Run(cur, start, hi))
    for r in runs:
        r.lo_ms = max(0, min(r.lo_ms, duration_ms))
        r.hi_ms = max(0, min(r.hi_ms, duration_ms))
    return runs


def _align_span(request: AlignRequest, audio: np.ndarray, first: int, last: int, choice: registry.Choice, report: SubProgress, cancel: CancelToken) -> AlignmentResult:
    t0 = time.perf_counter()
    tokens = request.tokens
    duration_ms = int(len(audio) * 1000 // SAMPLE_RATE)
    runs = _runs(tokens, first, last, duration_ms)
    timings: dict[int, WordTiming] = {}
    params = request.params or longform.LongformParams()
    stats = longform.LongformStats()
    total_ms = sum(max(1, r.hi_ms - r.lo_ms) for r in runs) or 1
    lock = _backend_lock(choice, request)
    report(0.0, Stage("stage_loading_aligner"))
    runner = _runner(choice, request, total_ms)
    notes = getattr(getattr(runner, "backend", None), "notes", None)
    if notes is not None:
        notes.clear()
    try:
        with lock:
            done = 0
            for run in runs:
                cancel.raise_if_cancelled()
                share = max(1, run.hi_ms - run.lo_ms) / total_ms
                sub = report.sub(done, done + share)
                done += share
                timings.update(_align_run_fitting_memory(run, tokens, audio, request, runner, params, stats, sub, cancel))
    finally:
        runner.close()
    cancel.raise_if_cancelled()

    out: list[WordTiming] = []
    for i in range(first, last + 1):
        tok = tokens[i]
        if tok.locked:
            out.append(WordTiming(tok.start, tok.end, tok.confidence, tok.flags))
        else:
            out.append(timings.get(i, WordTiming(None, None, 0.0, int(Flag.NOT_FOUND))))
    elapsed = time.perf_counter() - t0
    summary = _summary(tokens, first, out, choice, request, stats, sum(r.hi_ms - r.lo_ms for r in runs) / 1000.0, elapsed)
    if notes:
        summary = replace(summary, warnings=tuple(dict.fromkeys(notes)))
    window = (runs[0].lo_ms, runs[-1].hi_ms) if runs else None
    return AlignmentResult(first, tuple(out), summary, request.revision, window)


# Chunks are halved on out-of-memory down to this; then the backend moves to the CPU.
MIN_OOM_CHUNK_S = 8.0


def _align_run_fitting_memory(run: _Run, tokens, audio, request: AlignRequest, runner, params, stats, report, cancel) -> dict[int, WordTiming]:
    """``_align_run``, retried with shorter chunks, then on the CPU, while a window runs out of memory."""
    backend = getattr(runner, "backend", None)
    while True:
        try:
            return _align_run(run, tokens, audio, request, runner, params, stats, report, cancel)
        except OutOfMemory:
            if backend is None:  # worker processes: nothing to adjust from here
                raise
            if params.single_max_s / 2 >= MIN_OOM_CHUNK_S:
                single = params.single_max_s / 2
                params = replace(
                    params,
                    single_max_s=single,
                    target_s=min(params.target_s, single / 2),
                    min_chunk_s=min(params.min_chunk_s, single / 4),
                    max_chunk_s=min(params.max_chunk_s, single),
                    max_merge_s=min(params.max_merge_s, single),  # collapsed chunks are redone merged up to this
                )
                backend.notes.append(f"Out of memory: retried with chunks of at most {params.single_max_s:g} s.")
            elif not (hasattr(backend, "use_cpu") and backend.use_cpu()):
                raise


def _align_run(run: _Run, tokens, audio, request: AlignRequest, runner, params, stats, report, cancel) -> dict[int, WordTiming]:
    alignable = [i for i in run.indices if is_speech(tokens[i])]
    # markup and sound labels are not missed words: no times, no flags (aligner_core.transcripts)
    out = {i: WordTiming(None, None, 0.0, int(Flag.NOT_FOUND)) if is_speech(tokens[i]) else WordTiming(None, None) for i in run.indices}
    if not alignable:
        return out
    if run.hi_ms - run.lo_ms < 20:  # the fixed neighbours leave no room at all
        for i in alignable:
            out[i] = WordTiming(None, None, 0.0, int(Flag.NOT_FOUND | Flag.LOW_CONFIDENCE))
        return out
    per_ms = SAMPLE_RATE // 1000
    window = audio[run.lo_ms * per_ms : run.hi_ms * per_ms]
    # units for every backend, and the surface text (tags removed) for Qwen3's official word list
    words = [SpokenWord(tokens[i].units, strip_markup(tokens[i].text), tokens[i].sep) for i in alignable]
    texts = [strip_markup(tokens[i].text) for i in alignable]  # "so.</i>" still ends a sentence
    breaks = [int(tokens[i].brk) for i in alignable]
    result, untranscribed = anchored.align_anchored(
        runner,
        window,
        words,
        request.language,
        pause_cost=longform.pause_costs(len(words), texts, breaks),
        params=params,
        settings=anchored.AnchorSettings(enabled=request.anchors),
        progress=report,
        cancel=cancel,
        stats=stats,
    )
    stats.untranscribed.extend((run.lo_ms + a, run.lo_ms + b) for a, b in untranscribed)
    for i, t in zip(alignable, clamp_and_order(result, run.hi_ms - run.lo_ms)):
        if t.start is None or t.end is None:
            out[i] = WordTiming(None, None, t.confidence, int(t.flags | Flag.NOT_FOUND))
        else:
            out[i] = replace(t, start=run.lo_ms + t.start, end=run.lo_ms + t.end)  # the phones move along
    return out


def _runner(choice: registry.Choice, request: AlignRequest, total_ms: int):
    if request.jobs > 1 and total_ms >= POOL_MIN_S * 1000:
        backend = registry.get_backend(choice.aligner, choice.model, request.device, request.refine, request.phones)
        spec = dict(aligner=choice.aligner, model=choice.model, device=request.device, refine=request.refine, phones=request.phones)
        return longform.PoolRunner(spec, request.jobs, float(backend.max_window_s))
    return longform.SerialRunner(registry.get_backend(choice.aligner, choice.model, request.device, request.refine, request.phones))


_LOCKS: dict[tuple, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


def _backend_lock(choice: registry.Choice, request: AlignRequest) -> threading.Lock:
    """One alignment at a time per backend: a cancelled run may still be winding down."""
    key = (choice.aligner, choice.model, request.device, request.refine, request.phones)
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(key, threading.Lock())


def _summary(tokens, first: int, out: Sequence[WordTiming], choice, request, stats, audio_s: float, elapsed: float) -> AlignmentSummary:
    spoken = [(tokens[first + k], t) for k, t in enumerate(out) if is_speech(tokens[first + k])]
    free = [(tok, t) for tok, t in spoken if not tok.locked]
    aligned = sum(1 for _, t in free if t.start is not None and t.end is not None)
    settings = {
        "aligner": choice.aligner,
        "model": choice.model,
        "device": request.device,
        "refine": request.refine,
        "jobs": request.jobs,
        "language": request.language,
        "why": choice.reason,
        "chunks": stats.chunks,
        "bridges": stats.bridges,
        "collapsed_redone": stats.collapsed_redone,
        "anchors": stats.anchors,
        "find_transcript": request.anchors,
        "phones": request.phones,
    }
    return AlignmentSummary(
        words=len(spoken),
        aligned=aligned,
        not_aligned=len(free) - aligned,
        low_confidence=sum(1 for _, t in free if t.start is not None and is_low(t)),
        guessed=sum(1 for _, t in free if t.flags & Flag.GUESSED_PRONUNCIATION),
        locked=len(spoken) - len(free),
        aligner=choice.aligner,
        version=registry.aligner_version(choice.aligner),
        settings=settings,
        audio_s=audio_s,
        elapsed_s=elapsed,
        untranscribed=tuple(sorted(stats.untranscribed)),
    )


def _empty_result(request: AlignRequest, first: int) -> AlignmentResult:
    summary = AlignmentSummary(0, 0, 0, 0, 0, 0, request.aligner, "", {}, request.duration_ms / 1000.0, 0.0)
    return AlignmentResult(first, (), summary, request.revision)


