"""The server's work, run on its worker threads (never in the event loop): checking uploads,
aligning a job, rendering its result, transcribing.

The steps are the CLI's (:func:`aligner_core.cli._align_one`): decode, read the transcript with
:func:`~aligner_core.transcripts.load_transcript`, clear old times, :func:`~aligner_core.align.api.align`,
fit silent cues, segment with the profile, then render. The aligned document is kept as Wordsync's
word JSON (``result.json``) and every result format is rendered from it on request, so a result
asked for after a restart is the same as one asked for at once.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import BinaryIO

from ..align.types import SAMPLE_RATE
from ..fileio import atomic_write_bytes
from ..messages import Message, message_of
from ..progress import Cancelled, SubProgress
from . import jobs as J
from .errors import ServeError

CHUNK = 1 << 20
RESULT_FORMATS = ("json", "srt", "vtt", "ass", "textgrid", "gentle")
DEFAULT_PROFILE = "general"


def safe_suffix(name: str | None) -> str:
    """The client's extension when it is a plain one (".flac"): a hint for decoders, never a path."""
    suffix = Path((name or "").replace("\\", "/").rsplit("/", 1)[-1]).suffix
    return suffix.lower() if re.fullmatch(r"\.[A-Za-z0-9]{1,10}", suffix) else ""


def store_upload(source: BinaryIO, dest: Path, field: str, shown: str) -> int:
    """Copy an upload (already spooled to disk by the form parser) in chunks; refuses an empty one."""
    size = 0
    with open(dest, "xb") as out:
        while chunk := source.read(CHUNK):
            out.write(chunk)
            size += len(chunk)
    if size == 0:
        raise ServeError(400, "serve_empty_upload", field=field, name=shown)
    return size


def check_audio(path: Path, shown: str, max_minutes: float) -> float:
    """Seconds of audio in an upload; refuses what is not audio (415) or too long (413)."""
    from ..audio import AudioError, EmptyAudioError, NoAudioStreamError, probe

    try:
        info = probe(path)
    except NoAudioStreamError:
        raise ServeError(415, "serve_not_audio", name=shown, reason="it has no audio track") from None
    except EmptyAudioError:
        raise ServeError(415, "serve_not_audio", name=shown, reason="it holds no samples") from None
    except AudioError:
        raise ServeError(415, "serve_not_audio", name=shown, reason="it is not a supported audio or video file, or it is damaged") from None
    seconds = info.duration_ms / 1000.0
    if seconds <= 0:
        raise ServeError(415, "serve_not_audio", name=shown, reason="it holds no samples")
    if seconds > max_minutes * 60:
        raise ServeError(413, "serve_too_long", name=shown, minutes=seconds / 60, limit=max_minutes)
    return seconds


def check_transcript(path: Path, shown: str, language: str | None):
    """The transcript as a document ready to align; refuses unreadable or wordless ones (422)."""
    from ..formats import FormatError
    from ..text import TranscriptError, is_speech
    from ..transcripts import for_retiming, load_transcript

    try:
        doc = for_retiming(load_transcript(path, language))
    except (TranscriptError, FormatError) as exc:
        message = message_of(exc)
        if message is not None and "shown" in message.args:  # name the client's file, not ours
            message = Message(message.code, {**message.args, "shown": repr(shown), "name": shown})
        raise ServeError(422, "serve_bad_transcript", name=shown, reason=_without(str(message or exc), path, shown).rstrip(".")) from None
    if not any(is_speech(t) for t in doc.tokens):
        raise ServeError(422, "serve_bad_transcript", name=shown, reason="it has no words to align")
    return doc


def _without(text: str, path: Path, shown: str) -> str:
    """A message with the server's own storage path replaced by the client's file name."""
    return text.replace(repr(str(path)), repr(shown)).replace(str(path), shown).replace(str(path.parent), "")


def _reporter(store: J.JobStore, job_id: str, status: str, lo: float, hi: float) -> SubProgress:
    def report(fraction: float, stage: str) -> None:
        store.update(job_id, status=status, progress=round(fraction, 4), stage=stage)

    return SubProgress(report, lo, hi, interval=0.2)


def run_alignment(store: J.JobStore, job_id: str) -> None:
    """Align one queued job, reporting progress into the store; every end is a status, never a raise."""
    job = store.get(job_id)
    if job is None or job.status != J.QUEUED:
        return  # cancelled (or deleted) while it waited
    cancel = store.cancel_token(job_id)
    folder = store.folder(job_id)
    try:
        cancel.raise_if_cancelled()
        store.update(job_id, status=J.DECODING, stage="Decoding audio", progress=0.0, started=time.time())
        summary = align_job(folder, job, store, cancel)
        store.update(job_id, status=J.DONE, progress=1.0, stage="", summary=summary)
    except Cancelled:
        if store.shutting_down:  # stopped by the server, not the client: queued again on restart
            store.update(job_id, status=J.QUEUED, progress=0.0, stage="")
        else:
            store.update(job_id, status=J.CANCELLED, stage="")
    except ServeError as exc:
        store.update(job_id, status=J.FAILED, stage="", error=exc.body()["error"])
    except Exception as exc:  # noqa: BLE001 - a job fails with one sentence; the server goes on
        from ..cli import _reason

        text = _without(_reason(exc), folder / job.files.get("audio", "audio"), job.options.get("audio_name", "audio"))
        code = getattr(message_of(exc), "code", "align_failed")
        store.update(job_id, status=J.FAILED, stage="", error={"code": code, "message": text.replace(str(folder), "")})


def align_job(folder: Path, job: J.JobState, store: J.JobStore, cancel) -> dict:
    from ..align.api import AlignRequest, align
    from ..audio import decode
    from ..cues import get_profile, segment
    from ..edits import ReplaceCues
    from ..formats import ExportOptions, ExportValidationError, render_document
    from ..transcripts import fit_silent_cues

    opts = job.options
    decoded = decode(folder / job.files["audio"], envelope=False, progress=_reporter(store, job.id, J.DECODING, 0.0, 0.1), cancel=cancel)
    doc = check_transcript(folder / job.files["transcript"], opts.get("transcript_name", "transcript"), opts.get("language"))
    doc.duration_ms = int(len(decoded.samples) * 1000 // SAMPLE_RATE)
    store.update(job.id, status=J.ALIGNING, stage="Aligning", progress=0.1)
    request = AlignRequest.from_document(
        doc, decoded.samples, language=doc.language, aligner=opts.get("aligner") or "auto", model=opts.get("model"), device="auto",
        phones=bool(opts.get("phones", False)),
    )
    result = align(request, progress=_reporter(store, job.id, J.ALIGNING, 0.1, 0.99), cancel=cancel)
    s = result.summary
    if s.words and not s.aligned:
        raise ServeError(422, "serve_nothing_aligned", transcript=opts.get("transcript_name", "transcript"), audio=opts.get("audio_name", "audio"))
    cancel.raise_if_cancelled()
    result.to_edit().apply(doc)
    fitted = fit_silent_cues(doc)
    if fitted != doc.cues:
        ReplaceCues(fitted).apply(doc)
    profile = get_profile(opts.get("profile") or DEFAULT_PROFILE)
    if opts.get("profile") or not doc.cues:
        ReplaceCues(segment(doc, profile)).apply(doc)
    about = dict(aligner=s.aligner, aligner_version=s.version, aligner_settings=dict(s.settings), untranscribed=tuple(s.untranscribed))
    try:
        text, _report = render_document(doc, "json", options=ExportOptions(**about))
    except ExportValidationError:
        text, _report = render_document(doc, "json", options=ExportOptions(fix=True, **about))
    atomic_write_bytes(folder / J.RESULT_FILE, text.encode("utf-8"))
    return {
        "words": s.words, "aligned": s.aligned, "not_aligned": s.not_aligned, "low_confidence": s.low_confidence,
        "aligner": s.aligner, "audio_s": round(len(decoded.samples) / SAMPLE_RATE, 3), "rtf": round(s.rtf, 4),
        "warnings": [*decoded.warnings, *map(str, s.warnings)], "untranscribed_ms": [list(p) for p in s.untranscribed],
    }


def load_result(folder: Path):
    from ..formats import load_document

    return load_document(folder / J.RESULT_FILE, fmt="json")


def render_result(folder: Path, job: J.JobState, fmt: str) -> tuple[str, str]:
    """(text, media type) of a done job's result in ``fmt`` (one of :data:`RESULT_FORMATS`)."""
    from ..cues import get_profile
    from ..formats import ExportOptions, ExportValidationError, read_text, render_document
    from .shapes import gentle_json

    doc = load_result(folder)
    if fmt == "gentle":
        import json

        return json.dumps(gentle_json(doc, read_text(folder / job.files["transcript"])), ensure_ascii=False), "application/json"
    if fmt == "json":  # the stored file is the JSON result
        return (folder / J.RESULT_FILE).read_text(encoding="utf-8"), "application/json"
    profile = get_profile(job.options.get("profile") or DEFAULT_PROFILE)
    try:
        text, _ = render_document(doc, fmt, profile=profile)
    except ExportValidationError:
        text, _ = render_document(doc, fmt, profile=profile, options=ExportOptions(fix=True))
    media = {"srt": "application/x-subrip", "vtt": "text/vtt", "ass": "text/x-ssa", "textgrid": "text/plain"}[fmt]
    return text, media + "; charset=utf-8"


def transcribe_file(path: Path, shown: str, options: dict, cancel):
    """A transcription of an upload (the OpenAI-shaped endpoint); errors name the client's file."""
    from ..audio import decode
    from ..transcribe import TranscribeRequest, transcribe

    decoded = decode(path, envelope=False, cancel=cancel)
    request = TranscribeRequest(
        audio=decoded.samples, asr=options.get("asr") or "auto", model=options.get("model"),
        language=options.get("language") or "auto", profile=options.get("profile") or DEFAULT_PROFILE, name=shown,
    )
    return transcribe(request, cancel=cancel)


__all__ = ["RESULT_FORMATS", "safe_suffix", "store_upload", "check_audio", "check_transcript", "run_alignment",
           "render_result", "load_result", "transcribe_file"]
