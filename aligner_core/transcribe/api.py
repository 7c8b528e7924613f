"""Transcription's only entry point: :func:`transcribe`, shaped like :func:`aligner_core.align.api.align`.

A :class:`TranscribeRequest` is a snapshot (the 16 kHz samples, the recogniser, language and
alignment settings, the document revision). The work runs on a helper thread while the calling
thread reports progress (at least every quarter second) and watches the CancelToken: a cancel
returns within a fraction of a second by raising :class:`~aligner_core.progress.Cancelled`, and
nothing is changed, since the result is only data until the caller applies it.

The steps, in one task: plan windows (:mod:`.windows`), decode them in batches (cancel checked
between batches; memory holds one batch of windows), build the draft (:mod:`.draft`), force-align
it with the usual engine so every recogniser gets the same word times (skipped with
``align=False``; if no aligner knows the language, the recogniser's times are kept and a warning
says so), then make cues: the usual segmentation inside each recognised segment, and one cue per
sound event. :meth:`TranscriptionResult.to_edit` replaces the document's words and cues as one
undoable edit.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from ..align.types import SAMPLE_RATE, AlignmentError
from ..cues import get_profile, segment
from ..document import Cue, Document, Flag, Token
from ..edits import CompositeEdit, DeleteTokens, Edit, InsertTokens, ReplaceCues, SetLanguage, SetUntranscribed
from ..messages import Message, message_of, msg
from ..progress import CancelToken, Cancelled, ProgressCallback, Stage, SubProgress, run_with_heartbeat
from ..review import is_low
from ..text import is_speech
from ..transcripts import fit_silent_cues
from . import registry
from .draft import Segment, build_draft, draft_cues
from .types import TranscribeError
from .windows import plan_windows

__all__ = ["TranscribeRequest", "TranscriptionResult", "TranscriptionSummary", "SpanTranscription", "transcribe", "transcribe_span"]



@dataclass(frozen=True, eq=False)
class TranscribeRequest:
    """What to transcribe and how; made on the GUI thread, read on a worker."""

    audio: np.ndarray  # mono float32 at 16 kHz
    asr: str = "auto"  # auto | sensevoice | qwen3-asr | sphinx
    model: str | None = None  # the recogniser's model: a Hub id or a local folder
    #: (recogniser, folder) pairs the caller downloaded itself, used when ``model`` is None
    installed: tuple[tuple[str, str], ...] = ()
    language: str = "auto"
    device: str = "auto"
    events: bool = True  # sound events become cues
    align: bool = True  # force-align the draft for word times
    aligner: str = "auto"
    aligner_model: str | None = None
    profile: str = "general"  # cue rules inside each segment
    revision: int = 0
    name: str = "the audio"  # how messages name the recording
    sample_rate: int = SAMPLE_RATE

    @classmethod
    def from_document(cls, doc: Document, audio: np.ndarray, **options: Any) -> "TranscribeRequest":
        return cls(audio=audio, revision=doc.revision, **options)


@dataclass(frozen=True)
class TranscriptionSummary:
    words: int
    segments: int
    events: int
    low_confidence: int  # draft words a person should look at first
    recogniser: str
    model: str | None
    language: str
    aligned: bool
    aligner: str | None  # the aligner that timed the words (None: the recogniser's own times)
    audio_s: float
    elapsed_s: float
    rough: bool = False
    reason: str = ""  # why ``auto`` chose the recogniser
    warnings: tuple[Message, ...] = ()

    @property
    def rtf(self) -> float:
        return self.elapsed_s / self.audio_s if self.audio_s > 0 else 0.0

    def line(self) -> Message:
        return msg(
            "asr_summary", words=self.words, segments=self.segments, events=self.events,
            low_confidence=self.low_confidence, recogniser=self.recogniser, rtf=self.rtf,
        )


@dataclass(frozen=True)
class TranscriptionResult:
    document: Document  # the draft: tokens (flagged DRAFT), cues, language, duration
    segments: tuple[Segment, ...]  # per decoded window: token range, language, emotion, event
    summary: TranscriptionSummary
    revision: int

    def is_current(self, doc: Document) -> bool:
        return doc.revision == self.revision

    def to_edit(self, doc: Document) -> Edit:
        """One undoable step: the document's words and cues become the draft's, and its language
        the one recognised."""
        edits: list[Edit] = []
        if doc.language != self.document.language:
            edits.append(SetLanguage(self.document.language))
        if doc.tokens:
            edits.append(DeleteTokens(0, len(doc.tokens)))
        if self.document.tokens:
            edits.append(InsertTokens(0, self.document.tokens))
        edits.append(ReplaceCues(self.document.cues))
        if doc.untranscribed:  # the draft covers the whole recording
            edits.append(SetUntranscribed(0, doc.untranscribed[-1][1], ()))
        return CompositeEdit(edits, "Transcribe")


@dataclass(frozen=True)
class SpanTranscription:
    """Draft words for one stretch of the recording (an untranscribed span the aligner reported).

    ``document`` holds just the span's draft (times in ms of the whole recording); :meth:`to_edit`
    inserts its words where the span lies in the user's document, as one undo step."""

    document: Document
    start_ms: int
    end_ms: int
    summary: TranscriptionSummary
    revision: int

    def is_current(self, doc: Document) -> bool:
        return doc.revision == self.revision

    def insert_at(self, doc: Document) -> int:
        """The token index the span's words go before: the first word timed at or after the span."""
        return next((i for i, t in enumerate(doc.tokens) if t.start is not None and t.start >= self.start_ms), len(doc.tokens))

    def to_edit(self, doc: Document) -> Edit:
        new = self.document
        if not new.tokens:
            raise TranscribeError(msg("asr_no_speech", name=f"{self.start_ms / 1000:.1f}-{self.end_ms / 1000:.1f} s"))
        index = self.insert_at(doc)
        insert = InsertTokens(index, new.tokens)
        filled = SetUntranscribed(self.start_ms, self.end_ms, ())  # the span has words now
        host = doc.cue_index_of(index) if index < len(doc.tokens) else None
        if host is not None and doc.cues[host].first < index:  # inside a cue: the words join it
            return CompositeEdit([insert, filled], "Transcribe span")
        n = len(new.tokens)
        before = [c for c in doc.cues if c.last < index]
        after = [c.shifted(n) for c in doc.cues if c.first >= index]
        cues = before + [c.shifted(index) for c in new.cues] + after
        return CompositeEdit([insert, ReplaceCues(cues), filled], "Transcribe span")


def transcribe_span(
    request: TranscribeRequest, start_ms: int, end_ms: int, progress: ProgressCallback | None = None, cancel: CancelToken | None = None
) -> SpanTranscription:
    """Transcribe ``[start_ms, end_ms)`` of the request's audio alone (recognised, drafted and aligned inside it)."""
    audio = _check_audio(request)
    total = int(len(audio) * 1000 // SAMPLE_RATE)
    lo, hi = max(0, int(start_ms)), min(total, int(end_ms))
    if hi - lo <= 0:
        raise TranscribeError(msg("asr_no_sound", name=f"{start_ms / 1000:.1f}-{end_ms / 1000:.1f} s"))
    if cancel is not None:
        cancel.raise_if_cancelled()
    choice = registry.choose(request.asr, request.language, request.model, dict(request.installed))
    per_ms = SAMPLE_RATE // 1000
    piece = audio[lo * per_ms : hi * per_ms]
    span_request = replace(request, name=f"{request.name} {lo / 1000:.1f}-{hi / 1000:.1f} s")

    def work(report: SubProgress, token: CancelToken) -> SpanTranscription:
        result = _transcribe(span_request, piece, choice, report, token)
        d = result.document
        shift = lambda t: None if t is None else t + lo  # noqa: E731
        tokens = [replace(t, start=shift(t.start), end=shift(t.end)) for t in d.tokens]
        cues = [replace(c, start=shift(c.start), end=shift(c.end)) for c in d.cues]
        return SpanTranscription(Document(tokens, cues, total, d.language), lo, hi, result.summary, request.revision)

    return run_with_heartbeat(work, progress, cancel, name="wordsync-transcribe", done_stage=Stage("stage_asr_done"))


def transcribe(request: TranscribeRequest, progress: ProgressCallback | None = None, cancel: CancelToken | None = None) -> TranscriptionResult:
    audio = _check_audio(request)
    if cancel is not None:
        cancel.raise_if_cancelled()
    choice = registry.choose(request.asr, request.language, request.model, dict(request.installed))
    return run_with_heartbeat(lambda report, token: _transcribe(request, audio, choice, report, token), progress, cancel, name="wordsync-transcribe", done_stage=Stage("stage_asr_done"))


def _check_audio(request: TranscribeRequest) -> np.ndarray:
    if request.sample_rate != SAMPLE_RATE:
        raise TranscribeError(f"Recognisers need {SAMPLE_RATE} Hz audio, not {request.sample_rate} Hz; decode with aligner_core.audio.load_audio.")
    audio = np.asarray(request.audio)
    if audio.ndim != 1:
        raise TranscribeError("Recognisers need mono audio (one channel); decode with aligner_core.audio.load_audio.")
    return audio if audio.dtype == np.float32 else audio.astype(np.float32)


def _transcribe(request: TranscribeRequest, audio: np.ndarray, choice: registry.Choice, report: SubProgress, cancel: CancelToken) -> TranscriptionResult:
    t0 = time.perf_counter()
    duration_ms = int(len(audio) * 1000 // SAMPLE_RATE)
    report(0.0, Stage("stage_asr_loading"))
    recogniser = registry.create(choice, request.device)
    try:
        cancel.raise_if_cancelled()
        report(0.02, Stage("stage_asr_finding"))
        windows = plan_windows(audio, recogniser.max_window_s, sound=request.events and recogniser.events)
        if not windows:
            raise TranscribeError(msg("asr_no_sound", name=request.name))
        decode_share = 0.6 if request.align else 0.95
        heard = []
        total = sum(w.duration_ms for w in windows) or 1
        done = 0
        per_ms = SAMPLE_RATE // 1000
        for k in range(0, len(windows), recogniser.batch):
            cancel.raise_if_cancelled()
            batch = windows[k : k + recogniser.batch]
            report(0.05 + decode_share * done / total, Stage("stage_asr_recognising"))
            heard += recogniser.decode([audio[w.start_ms * per_ms : w.end_ms * per_ms] for w in batch], cancel)
            done += sum(w.duration_ms for w in batch)
    finally:
        recogniser.close()
    cancel.raise_if_cancelled()
    draft = build_draft(windows, heard, choice.language, events=request.events)
    words = sum(1 for t in draft.tokens if is_speech(t))
    warnings: list[Message] = []
    rough = getattr(recogniser, "rough", False)
    if rough:
        from .sphinx import MEASURED_WER

        warnings.append(msg("asr_rough", wer=f"{MEASURED_WER['timit_dev']:.0f}"))
    if not words:
        if not draft.events:
            raise TranscribeError(msg("asr_no_speech", name=request.name))
        warnings.append(msg("asr_music_only", name=request.name, events=draft.events))
    tokens = list(draft.tokens)
    aligned = False
    aligner = None
    if request.align and words:
        try:
            tokens, aligner = _aligned(tokens, audio, draft.language, request, report.sub(0.05 + decode_share, 0.97), cancel)
            aligned = True
        except Cancelled:
            raise
        except AlignmentError as exc:
            warnings.append(msg("asr_not_aligned", reason=message_of(exc) or str(exc).rstrip(".")))
    doc = Document(tokens, [], duration_ms, draft.language)
    profile = get_profile(request.profile)
    timed = any(t.start is not None for t in tokens)

    def speech_cues(seg: Segment) -> list[Cue]:
        if timed:
            return segment(doc, profile, seg.first, seg.last)
        return [Cue(seg.first, seg.last, seg.start_ms, seg.end_ms)]  # Qwen3-ASR without alignment: no word times

    doc.cues = draft_cues(draft.segments, speech_cues)
    doc.cues = fit_silent_cues(doc)
    doc.check()
    summary = TranscriptionSummary(
        words=words,
        segments=sum(1 for s in draft.segments if s.first is not None),
        events=draft.events,
        low_confidence=sum(1 for t in tokens if is_speech(t) and is_low(t)),
        recogniser=choice.asr,
        model=choice.model,
        language=draft.language,
        aligned=aligned,
        aligner=aligner,
        audio_s=len(audio) / SAMPLE_RATE,
        elapsed_s=time.perf_counter() - t0,
        rough=rough,
        reason=choice.reason,
        warnings=tuple(warnings),
    )
    return TranscriptionResult(doc, tuple(draft.segments), summary, request.revision)


def _aligned(tokens: list[Token], audio: np.ndarray, language: str, request: TranscribeRequest, report, cancel: CancelToken) -> tuple[list[Token], str]:
    """The draft's tokens with the aligner's times; each keeps DRAFT and the lower of the two confidences."""
    from ..align.api import AlignRequest, align

    bare = tuple(t.with_times(None, None) for t in tokens)
    result = align(AlignRequest(bare, audio, language=language, aligner=request.aligner, model=request.aligner_model, device=request.device), report, cancel)
    if not result.summary.aligned:  # the recogniser's own times beat none at all
        raise AlignmentError(msg("asr_aligner_found_none", aligner=result.summary.aligner, words=result.summary.words))
    out = []
    for tok, tm in zip(tokens, result.timings):
        if not is_speech(tok):
            out.append(tok)
            continue
        confs = [c for c in (tok.confidence, tm.confidence) if c is not None]
        conf = min(confs) if confs else None
        new = replace(tok, start=tm.start, end=tm.end, confidence=conf, flags=int(tm.flags) | int(Flag.DRAFT))
        out.append(new)
    return out, result.summary.aligner


