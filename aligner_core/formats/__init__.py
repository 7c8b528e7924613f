"""Subtitle and word-timing formats: a registry, export with validation, and loading.

Export::

    report = export_document(doc, "out.srt")                       # format from the suffix
    report = export_document(doc, "out.ass", karaoke=True, offset_ms=-200,
                             options=ExportOptions(newline="\\r\\n", fix=True))

Validation happens before anything is written: a cue that would be lost or broken (no text, no
times, zero length, entirely before 0 after the offset) makes export raise
:class:`ExportValidationError` listing every such cue, unless ``options.fix`` asks to repair or
drop them; everything done is in the returned :class:`ExportReport`. Subtitle formats need
cues: a document without any raises :class:`NoCuesError` unless a cue ``profile``
(:class:`aligner_core.cues.Profile`) is given to segment it with; with a profile the report
also lists the cues that break its rules.

Loading::

    doc = load_document("film.srt")               # tokens without times, cues keep the old times
    doc = load_document("mfa_output.TextGrid")    # word times restored
    result = load_document_with_report("x.json")  # ... and what had to be repaired
"""

from __future__ import annotations

import bisect
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

from ..document import Cue, Document, normalize_spans
from ..messages import msg
from ..outputs import OutputTarget, check_output
from .ass import parse_ass, render_ass
from .build import document_from_subtitles, document_from_text, document_from_words
from .common import (
    AssStyle,
    ExportError,
    ExportOptions,
    ExportPlan,
    ExportReport,
    ExportValidationError,
    FormatError,
    NoCuesError,
    Problem,
    SubtitleCue,
    Tokenizer,
    WordRecord,
    decode_file_bytes,
    phones_of_word,
    plan_export,
)
from .annotation import annotation_tiers
from .plain import render_plain
from .srt import parse_srt, parse_timestamp, render_srt
from .textgrid import SILENCE_LABELS, TextGrid, parse_textgrid, render_textgrid
from .vtt import parse_vtt, render_vtt
from .words_json import WordTimings, parse_words_json, render_words_json

__all__ = [
    "FORMATS",
    "PHONE_FORMATS",
    "FormatInfo",
    "format_for_path",
    "get_format",
    "detect_format",
    "file_filter",
    "export_document",
    "encode_export",
    "render_document",
    "load_document",
    "load_document_with_report",
    "load_text",
    "LoadResult",
    "read_text",
    "read_subtitles",
    "read_word_timings",
    "ExportOptions",
    "AssStyle",
    "ExportReport",
    "Problem",
    "FormatError",
    "ExportError",
    "NoCuesError",
    "ExportValidationError",
    "SubtitleCue",
    "WordRecord",
    "WordTimings",
    "TextGrid",
]

SUBTITLES = "subtitles"
WORDS = "words"
TEXT = "text"


@dataclass(frozen=True)
class FormatInfo:
    name: str
    label: str
    extensions: tuple[str, ...]  # lower case, with the dot; the first is the one to write
    kind: str  # "subtitles", "words" or "text"
    karaoke: bool
    render: Callable[[ExportPlan, ExportOptions, bool], str]
    parse: Callable[[str], Any]

    @property
    def needs_cues(self) -> bool:
        return self.kind == SUBTITLES


#: the formats that write each word's phones (a TextGrid's phones tier, word JSON's "phones")
PHONE_FORMATS = ("textgrid", "json")

FORMATS: dict[str, FormatInfo] = {
    f.name: f
    for f in (
        FormatInfo("srt", "SubRip subtitles", (".srt",), SUBTITLES, False, render_srt, parse_srt),
        FormatInfo("vtt", "WebVTT subtitles", (".vtt",), SUBTITLES, True, render_vtt, parse_vtt),
        FormatInfo("ass", "Advanced SubStation Alpha", (".ass", ".ssa"), SUBTITLES, True, render_ass, parse_ass),
        FormatInfo("textgrid", "Praat TextGrid", (".textgrid",), WORDS, False, render_textgrid, parse_textgrid),
        FormatInfo("json", "Word timings (JSON)", (".json",), WORDS, False, render_words_json, parse_words_json),
        FormatInfo("txt", "Plain text", (".txt",), TEXT, False, render_plain, lambda text: text),
    )
}


def get_format(name: str) -> FormatInfo:
    key = name.lower().lstrip(".")
    for info in FORMATS.values():
        if key == info.name or "." + key in info.extensions:
            return info
    raise FormatError(msg("format_unknown", name=name, choices=", ".join(FORMATS)))


def format_for_path(path: str | os.PathLike[str], fmt: str | None = None) -> FormatInfo:
    if fmt:
        return get_format(fmt)
    suffix = Path(path).suffix.lower()
    for info in FORMATS.values():
        if suffix in info.extensions:
            return info
    raise FormatError(msg("format_unknown_suffix", path=os.fspath(path), choices=", ".join(FORMATS)))


_JSON_START = re.compile(r'\s*(?:\{\s*(?:"|\})|\[\s*(?:\{|\]))')
_SRT_TIMING = re.compile(r"^\s*(\S+?)\s*-{1,2}>\s*(\S+)")


def detect_format(text: str) -> str | None:
    """The format a file's text is in, judged by its content alone (whatever its name says), or
    ``None`` for plain text.

    Strict on purpose: a transcript that merely starts with "[music]", "{\\an8}" or "(laughs)",
    or mentions "-->", is plain text. A VTT needs its ``WEBVTT`` line, an SRT a timing line as its
    first or second line (after a number), ASS its ``[Script Info]`` or an ``[Events]`` section with
    dialogue, TextGrid Praat's header, and JSON must open like a JSON object or array of objects.
    """
    head = text.lstrip("\ufeff \t\r\n")[:4000]
    first_lines = [ln.strip() for ln in head.split("\n", 3)[:3]]
    first = first_lines[0] if first_lines else ""
    if first.startswith("WEBVTT") and first[6:7] in ("", " ", "\t"):
        return "vtt"
    if first.lower() == "[script info]" or ("\n[Events]" in head and re.search(r"(?m)^\s*(?:Dialogue|Format):", head)):
        return "ass"
    if "ooTextFile" in head[:200]:
        return "textgrid"
    if _JSON_START.match(head):
        return "json"
    candidates = first_lines[1:2] if first.isdigit() else first_lines[:1]
    for line in candidates:
        m = _SRT_TIMING.match(line)
        if m and parse_timestamp(m.group(1)) is not None and parse_timestamp(m.group(2)) is not None:
            return "srt"
    return None


def file_filter(kind: str | None = None) -> str:
    """A file-dialog filter ("SubRip subtitles (*.srt);;...") for formats of one kind or all."""
    return ";;".join(
        f"{f.label} ({' '.join('*' + e for e in f.extensions)})" for f in FORMATS.values() if kind is None or f.kind == kind
    )


# -- export -----------------------------------------------------------------------------------------


def _profile_cues(doc: Document, profile: Any, problems: list[Problem]) -> list[Cue] | None:
    """Cues made with the profile when the document has none; rule violations as warnings."""
    from .. import cues as cue_rules  # only needed with a profile

    cues = list(doc.cues)
    if not cues and doc.tokens:
        cues = cue_rules.segment(doc, profile)
        problems.append(Problem(msg("export_cues_made", count=len(cues), profile=getattr(profile, "name", "given"))))
    view = Document(doc.tokens, cues, doc.duration_ms, doc.language)
    for v in cue_rules.check_cues(view, profile):
        if str(v.rule) in ("empty", "unaligned"):  # export validation reports these itself
            continue
        problems.append(Problem(v.reason, v.cue_index + 1))
    return cues


def render_document(
    doc: Document,
    fmt: str,
    *,
    offset_ms: int = 0,
    profile: Any = None,
    karaoke: bool = False,
    options: ExportOptions | None = None,
) -> tuple[str, ExportReport]:
    """The file's text (with "\\n" newlines) and the report, without writing anything."""
    info = get_format(fmt)
    options = options or ExportOptions()
    early: list[Problem] = []
    if info.kind == TEXT:  # the transcript itself: cues and times play no part
        cues: list[Cue] | None = []
        offset_ms = 0
    else:
        cues = _profile_cues(doc, profile, early) if profile is not None else None
    try:
        plan = plan_export(doc, info.name, offset_ms=offset_ms, options=options, need_cues=info.needs_cues, cues=cues)
    except ExportValidationError as exc:
        exc.report.problems[:0] = early
        raise
    plan.problems[:0] = early
    if not options.phones:
        plan.words = [replace(w, phones=()) for w in plan.words]
    if karaoke and not info.karaoke:
        plan.problems.append(Problem(msg("export_no_karaoke", format=info.name.upper())))
    text = info.render(plan, options, karaoke)
    words = plan.words_written
    if words is None:
        words = len(plan.words) if info.name == "json" else sum(len(line) for c in plan.cues for line in c.spans)
    if any(p.blocking and p.action is None for p in plan.problems):  # a renderer found one
        raise ExportValidationError(ExportReport(info.name, None, 0, 0, plan.problems))
    return text, ExportReport(info.name, None, len(plan.cues) if info.kind != TEXT else 0, words, plan.problems)


def export_document(
    doc: Document,
    path: str | os.PathLike[str],
    fmt: str | None = None,
    *,
    offset_ms: int = 0,
    profile: Any = None,
    karaoke: bool = False,
    options: ExportOptions | None = None,
    inputs: Any = (),
    target: OutputTarget | None = None,
) -> ExportReport:
    """Validate, render and atomically write ``doc``; nothing is written when it raises.

    ``inputs`` are the files the document came from (audio, transcript, project): an output that
    is one of them is refused (:class:`aligner_core.outputs.OutputError`) before anything is
    rendered. ``target`` is an output already checked by the caller (the CLI checks before aligning).
    """
    info = format_for_path(path, fmt)
    options = options or ExportOptions()
    if target is None:
        target = check_output(path, inputs)
    text, report = render_document(doc, info.name, offset_ms=offset_ms, profile=profile, karaoke=karaoke, options=options)
    target.write(encode_export(text, info.name, options))
    report.path = os.fspath(path)
    return report


def encode_export(text: str, fmt: str, options: ExportOptions) -> bytes:
    """The bytes of a rendered export: the chosen newline, UTF-8 (with a BOM if asked, never in JSON)."""
    if options.newline != "\n":
        text = text.replace("\n", options.newline)
    return text.encode("utf-8-sig" if options.bom and fmt != "json" else "utf-8")


# -- reading ----------------------------------------------------------------------------------------


@dataclass
class LoadResult:
    document: Document
    format: str
    warnings: list[str] = field(default_factory=list)


def read_text(path: str | os.PathLike[str]) -> str:
    """A file's text, decoded from whatever encoding it is in (UTF-8/BOM, UTF-16, GB18030, Big5).

    Read through :func:`aligner_core.text.read_transcript_bytes`: regular files only, size-capped.
    Raises :class:`aligner_core.text.TranscriptError` (a ValueError) when the file cannot be read.
    """
    from ..text import read_transcript_bytes

    return decode_file_bytes(read_transcript_bytes(path), os.fspath(path))


def _resolve(path: str | os.PathLike[str], fmt: str | None, text: str) -> FormatInfo:
    """The format named by the caller, else the one the content shows, else the file's suffix."""
    if fmt:
        return get_format(fmt)
    guessed = detect_format(text)
    if guessed is not None:
        return FORMATS[guessed]
    return format_for_path(path)


def _parse(info: FormatInfo, text: str, path: str | os.PathLike[str]) -> Any:
    try:
        return info.parse(text)
    except FormatError as exc:
        exc.path = os.fspath(path) or None
        raise


def read_subtitles(path: str | os.PathLike[str], fmt: str | None = None) -> list[SubtitleCue]:
    """The subtitles of any readable format (for TextGrid/JSON: the cue tier / cues)."""
    text = read_text(path)
    info = _resolve(path, fmt, text)
    data = _parse(info, text, path)
    if info.kind == SUBTITLES:
        return data
    if info.name == "json":
        return data.cues
    if info.name == "textgrid":
        _words, cues = _textgrid_tiers(data, [])
        return cues
    raise FormatError(msg("format_no_subtitles", label=info.label), path=os.fspath(path))


def read_word_timings(path: str | os.PathLike[str], fmt: str | None = None) -> WordTimings:
    """Words (and cues) of a TextGrid or word JSON file."""
    text = read_text(path)
    info = _resolve(path, fmt, text)
    data = _parse(info, text, path)
    if info.name == "json":
        return data
    if info.name == "textgrid":
        words, cues = _textgrid_tiers(data, [])
        return WordTimings(words, cues, data.xmax_ms)
    raise FormatError(msg("format_no_words", label=info.label), path=os.fspath(path))


_WORD_TIERS = ("words", "word", "wörter", "mots")
_CUE_TIERS = ("cues", "subtitles", "utterances", "sentences")


def _is_phone_tier(name: str) -> bool:
    return name.strip().lower().endswith(("phones", "phone"))


def _textgrid_tiers(grid: TextGrid, warnings: list[str], others: list | None = None) -> tuple[list[WordRecord], list[SubtitleCue]]:
    """The words and cues of a TextGrid; given ``others``, the tiers that are neither (nor phones)
    are put there (a document's annotation tiers) instead of being reported as not used."""
    interval_tiers = [t for t in grid.tiers if t.kind == "IntervalTier"]
    word_tier = grid.tier(*_WORD_TIERS)
    if word_tier is None:  # Montreal Forced Aligner names them "<speaker> - words"
        word_tier = next((t for t in interval_tiers if t.name.strip().lower().endswith("- words")), None)
    cue_tier = grid.tier(*_CUE_TIERS)
    if word_tier is None and cue_tier is None and interval_tiers:
        first = next((t for t in interval_tiers if not _is_phone_tier(t.name)), None)
        if first is not None:
            labels = [iv.text.strip() for iv in first.intervals if iv.text.strip()]
            if labels and sum(" " in lb for lb in labels) * 2 > len(labels):
                cue_tier = first  # whole sentences: these are cues, not words
            else:
                word_tier = first
    used = {id(word_tier), id(cue_tier)}
    ignored = [t.name for t in interval_tiers if id(t) not in used and not _is_phone_tier(t.name)]
    if others is not None:
        others += [t for t in grid.tiers if id(t) not in used and not _is_phone_tier(t.name)]
        ignored = []
    if ignored:
        warnings.append(f"tiers not used: {', '.join(repr(n) for n in ignored)}")
    words = word_tier.words() if word_tier is not None else []
    phone_tier = next((t for t in interval_tiers if _is_phone_tier(t.name)), None) if word_tier is not None else None
    if phone_tier is not None:
        words = _with_phones(words, phone_tier)
    cues = cue_tier.cues() if cue_tier is not None else []
    return _drop_silences(words, cues, warnings), cues


def _with_phones(words: list[WordRecord], tier) -> list[WordRecord]:
    """Each word gets the phone intervals inside it (MFA's and our own layout)."""
    items = [(iv.text, iv.start_ms, iv.end_ms) for iv in tier.intervals if iv.text.strip()]
    mids = [(a + b) / 2 for _, a, b in items]
    out = []
    for w in words:
        if w.start_ms is None or w.end_ms is None:
            out.append(w)
            continue
        lo, hi = bisect.bisect_left(mids, w.start_ms), bisect.bisect_right(mids, w.end_ms)
        out.append(replace(w, phones=phones_of_word(items[lo:hi], w.start_ms, w.end_ms)))
    return out


def _drop_silences(words: list[WordRecord], cues: list[SubtitleCue], warnings: list[str]) -> list[WordRecord]:
    """Leave out "sil"/"sp"/"<eps>" intervals, unless a cue over them says the word was spoken."""
    kept: list[WordRecord] = []
    dropped = 0
    for w in words:
        if w.text.lower() in SILENCE_LABELS:
            spoken = any(
                c.start_ms < (w.end_ms or 0) and (w.start_ms or 0) < c.end_ms and w.text in c.text.split() for c in cues
            )
            if not spoken:
                dropped += 1
                continue
        kept.append(w)
    if dropped:
        warnings.append(f"{dropped} silence interval(s) (sil, sp, <eps>, ...) in the word tier were not taken as words")
    return kept


def _default_tokenizer() -> Tokenizer:
    from ..text import tokenize

    return tokenize


def load_document_with_report(
    path: str | os.PathLike[str],
    language: str | None = None,
    *,
    fmt: str | None = None,
    tokenizer: Tokenizer | None = None,
) -> LoadResult:
    """A document from any readable file, and the repairs the file needed.

    ``language`` defaults to the file's own (JSON) or a guess from the script of the text.
    ``tokenizer`` defaults to :func:`aligner_core.text.tokenize`.
    """
    text = read_text(path)
    info = _resolve(path, fmt, text)
    return load_text(text, info.name, language, path=path, tokenizer=tokenizer)


def load_text(
    text: str,
    fmt: str,
    language: str | None = None,
    *,
    path: str | os.PathLike[str] = "",
    tokenizer: Tokenizer | None = None,
) -> LoadResult:
    """A document from a file's decoded text in format ``fmt`` ("txt", "srt", ...); ``path``
    only names the file in errors."""
    info = get_format(fmt)
    tokenize = tokenizer or _default_tokenizer()
    warnings: list[str] = []
    try:
        if info.kind == TEXT:
            doc = document_from_text(text, language, tokenize)
        elif info.kind == SUBTITLES:
            doc, warnings = document_from_subtitles(_parse(info, text, path), language, tokenize)
        elif info.name == "json":
            data: WordTimings = _parse(info, text, path)
            doc, warnings = document_from_words(data.words, data.cues, language or data.language, tokenize, data.duration_ms)
            doc.untranscribed = normalize_spans(data.untranscribed, doc.duration_ms)
        else:
            grid: TextGrid = _parse(info, text, path)
            tier_warnings: list[str] = []
            others: list = []
            words, cues = _textgrid_tiers(grid, tier_warnings, others)
            doc, warnings = document_from_words(
                words, cues, language, tokenize, grid.xmax_ms if grid.xmax_ms > 0 else None, keep_cue_text=True
            )
            doc.tiers = annotation_tiers(others, doc.duration_ms, tier_warnings)
            warnings[:0] = tier_warnings
    except FormatError as exc:
        exc.path = exc.path or (os.fspath(path) or None)
        raise
    return LoadResult(doc, info.name, warnings)


def load_document(
    path: str | os.PathLike[str],
    language: str | None = None,
    *,
    fmt: str | None = None,
    tokenizer: Tokenizer | None = None,
) -> Document:
    """See :func:`load_document_with_report`; the repairs are not reported here."""
    return load_document_with_report(path, language, fmt=fmt, tokenizer=tokenizer).document
