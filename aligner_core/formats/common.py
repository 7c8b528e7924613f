"""Shared pieces of the format modules: records, errors, the export plan and its validation.

Readers parse files into plain records (:class:`SubtitleCue`, :class:`WordRecord`); the
document is built from those elsewhere (:mod:`.build`). Writers never look at a
:class:`~aligner_core.document.Document` directly: :func:`plan_export` turns it into an
:class:`ExportPlan` (offset applied, times validated, every problem recorded in a list of
:class:`Problem`), and each format renders the plan. So the rules "refuse rather than silently
drop" and "clamp and report times below zero" live in one place for every format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Callable, Iterable, Sequence

from ..document import CUE_LOOK, Annotation, Break, Cue, Document, Phone, Tier, Token, fit_phones
from ..messages import Message, message_of, msg
from ..scripts import is_spaceless  # noqa: F401 - formats.build imports it from here

__all__ = [
    "FormatError",
    "ExportError",
    "NoCuesError",
    "ExportValidationError",
    "SubtitleCue",
    "WordRecord",
    "Problem",
    "ExportReport",
    "ExportOptions",
    "AssStyle",
    "WordSpan",
    "PlannedCue",
    "ExportPlan",
    "plan_export",
    "Tokenizer",
]

Tokenizer = Callable[[str, str], "list[Token]"]


# -- errors -----------------------------------------------------------------------------------------


class FormatError(ValueError):
    """A file could not be read (``line`` is 1-based where known) or a document not exported."""

    def __init__(self, message: str | Message, line: int | None = None, *, path: str | None = None) -> None:
        super().__init__(message)
        #: what is wrong, in English (without the path and line); ``detail`` keeps it as data
        self.message = str(message)
        self.detail = message if isinstance(message, Message) else None
        self.line = line
        self.path = path

    def as_message(self) -> Message | None:
        """The error with where it happened, as data (``path`` is often set by the caller later)."""
        if self.detail is None:
            return None
        if self.path and self.line is not None:
            return msg("at_path_line", path=str(self.path), line=self.line, detail=self.detail)
        if self.path:
            return msg("at_path", path=str(self.path), detail=self.detail)
        if self.line is not None:
            return msg("at_line", line=self.line, detail=self.detail)
        return self.detail

    def __str__(self) -> str:
        said = self.as_message()
        if said is not None:
            return str(said)
        where = []
        if self.path:
            where.append(str(self.path))
        if self.line is not None:
            where.append(f"line {self.line}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class ExportError(FormatError):
    """The document cannot be exported as asked; nothing was written."""


class NoCuesError(ExportError):
    """A subtitle format was asked for a document that has not been segmented into cues."""


class ExportValidationError(ExportError):
    """Some cues would be lost or broken; ``report.blocking`` lists them (cue numbers are 1-based)."""

    def __init__(self, report: "ExportReport") -> None:
        self.report = report
        blocking = report.blocking
        lines = [f"  {p}" for p in blocking[:20]]
        if len(blocking) > 20:
            lines.append(f"  ... and {len(blocking) - 20} more")
        message = (
            f"cannot export {report.format.upper()}: {len(blocking)} problem(s) would lose or break subtitles:\n"
            + "\n".join(lines)
            + "\nFix them in the editor, or export with fixing enabled (ExportOptions(fix=True)) to repair or drop them with a report."
        )
        super().__init__(message)


# -- records ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SubtitleCue:
    """One subtitle as read from a file: times in ms, text with "\\n" between lines, no markup."""

    start_ms: int
    end_ms: int
    text: str
    line: int | None = field(default=None, compare=False)  # where it starts in the file
    #: first and last index (inclusive) of its words in the file's word list, when the file says
    #: (Wordsync's word JSON does); lets a reader rebuild cues without matching text
    word_range: tuple[int, int] | None = field(default=None, compare=False)
    #: a recogniser's language and emotion for the cue (Wordsync's JSON writes them)
    language: str | None = field(default=None, compare=False)
    emotion: str | None = field(default=None, compare=False)
    #: the cue's look overrides as the file gave them (ASS override tags, VTT cue settings, JSON)
    align: int | None = field(default=None, compare=False)
    pos: tuple[int, int] | None = field(default=None, compare=False)
    style: str | None = field(default=None, compare=False)

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")


@dataclass(frozen=True)
class WordRecord:
    """One word with times in ms (``None``: not aligned) and an optional confidence in [0, 1]."""

    text: str
    start_ms: int | None
    end_ms: int | None
    confidence: float | None = None
    #: the word's phones as a file had them (made to tile the word: :func:`phones_of_word`)
    phones: tuple[Phone, ...] = ()


def phones_of_word(items: Iterable[tuple[str, int, int]], start: int | None, end: int | None) -> tuple[Phone, ...]:
    """A word's phone tier from what a file gave ((label, start_ms, end_ms), any order): the
    phones whose middle lies inside the word, in order, each reaching the next one's start (a
    pause inside a word goes to the phone before it), fitted to the word's edges. Empty labels
    (a TextGrid's silence) are not phones."""
    if start is None or end is None:
        return ()
    inside = sorted((a, b, label) for label, a, b in items if label.strip() and b >= a and start <= (a + b) / 2 <= end)
    if not inside:
        return ()
    edges = [a for a, _, _ in inside[1:]] + [inside[-1][1]]
    return fit_phones(tuple(Phone(label.strip(), a, b) for (a, _, label), b in zip(inside, edges)), start, end)


# -- the report -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """Something export noticed. ``cue`` is 1-based (as the cue table shows it), ``token`` 0-based.

    ``blocking`` problems would lose or break a subtitle: export refuses unless fixing is on, and
    then ``action`` says what was done. Non-blocking ones were handled without loss (a start
    clamped to 0, an omitted zero-length interval whose text is kept elsewhere) or are warnings.

    ``reason`` and ``action`` are given as :class:`~aligner_core.messages.Message` objects and kept
    both ways: as English text (``reason``, ``action``: what the CLI and the report print) and as
    data (``reason_message``, ``action_message``) for the editor to say in the user's language.
    """

    reason: str
    cue: int | None = None
    token: int | None = None
    blocking: bool = False
    action: str | None = None
    reason_message: Message | None = field(default=None, compare=False, repr=False)
    action_message: Message | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if isinstance(self.reason, Message):
            object.__setattr__(self, "reason_message", self.reason)
            object.__setattr__(self, "reason", str(self.reason))
        if isinstance(self.action, Message):
            object.__setattr__(self, "action_message", self.action)
            object.__setattr__(self, "action", str(self.action))

    def as_message(self) -> Message | None:
        """The whole problem (place, reason, action) as one Message; None for a plain-text reason."""
        if self.reason_message is None or (self.action is not None and self.action_message is None):
            return None
        said: Message = self.reason_message
        if self.action_message is not None:
            said = msg("with_action", reason=said, action=self.action_message)
        if self.cue is not None:
            return msg("at_cue", cue=self.cue, reason=said)
        if self.token is not None:
            return msg("at_word", word=self.token + 1, reason=said)
        return said

    def __str__(self) -> str:
        said = self.as_message()
        if said is not None:
            return str(said)
        where = f"cue {self.cue}: " if self.cue is not None else (f"word {self.token + 1}: " if self.token is not None else "")
        tail = f" ({self.action})" if self.action else ""
        return f"{where}{self.reason}{tail}"


@dataclass
class ExportReport:
    format: str
    path: str | None = None
    cues_written: int = 0
    words_written: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def blocking(self) -> list[Problem]:
        return [p for p in self.problems if p.blocking]

    @property
    def ok(self) -> bool:
        """True when nothing was lost or changed beyond what the user asked for."""
        return not self.problems

    def summary(self) -> str:
        head = f"{self.format.upper()}: {self.cues_written} cue(s), {self.words_written} word(s)"
        if self.path:
            head += f" written to {self.path}"
        return "\n".join([head] + [f"  {p}" for p in self.problems])


# -- options ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssStyle:
    """The one "Default" style an ASS export carries (colours are ASS &HAABBGGRR)."""

    play_res_x: int = 1920
    play_res_y: int = 1080
    font: str = "Arial"
    font_size: int = 72
    primary: str = "&H00FFFFFF"
    secondary: str = "&H000000FF"  # karaoke: colour before a syllable is sung
    outline_colour: str = "&H00000000"
    back: str = "&H80000000"
    bold: bool = False
    outline: float = 3.0
    shadow: float = 1.0
    alignment: int = 2  # numpad layout: bottom centre
    margin_l: int = 60
    margin_r: int = 60
    margin_v: int = 50


@dataclass(frozen=True)
class ExportOptions:
    """How files are written. ``fix``: repair or drop broken cues (with a report) instead of refusing.

    ``fix_duration_ms`` is how long a zero-length (or reversed) cue is made when fixing, cut short
    by the next cue. ``bom`` writes a UTF-8 byte order mark (some old players need it for SRT; it
    is never written into JSON, where it is not allowed).
    """

    newline: str = "\n"
    bom: bool = False
    fix: bool = False
    fix_duration_ms: int = 500
    ass: AssStyle = field(default_factory=AssStyle)
    aligner: str = "wordsync"
    #: what made the times, for formats that carry it (word JSON): version, settings, and the
    #: untranscribed spans ``[(start_ms, end_ms)]`` the alignment found
    aligner_version: str | None = None
    aligner_settings: dict | None = None
    untranscribed: tuple = ()
    #: write a recogniser's emotion into SRT/VTT/ASS cues (each format's own way: see the renderers)
    emotion_tags: bool = False
    #: export sound cues ("[music]", "(laughter)"); off leaves them out, as a plain
    #: (non-SDH) subtitle track does
    sound_cues: bool = True
    #: TextGrid word labels without the punctuation at their edges (formats.textgrid.bare_label)
    bare_word_labels: bool = False
    #: each word's phones where the format carries them (TextGrid's phones tier, word JSON);
    #: off writes the words alone even when the document has phones
    phones: bool = True

    def __post_init__(self) -> None:
        if self.newline not in ("\n", "\r\n"):
            raise ValueError(f"newline must be '\\n' or '\\r\\n', not {self.newline!r}")
        if self.fix_duration_ms < 1:
            raise ValueError("fix_duration_ms must be at least 1")


# -- the export plan --------------------------------------------------------------------------------


@dataclass(frozen=True)
class WordSpan:
    """A token as it is exported: offset applied, clamped to >= 0 (``None``: not aligned)."""

    index: int
    text: str
    sep: str
    start: int | None
    end: int | None
    confidence: float | None = None
    brk: int = Break.NONE
    flags: int = 0  # the aligner's warnings (aligner_core.document.Flag)
    locked: bool = False
    phones: tuple[Phone, ...] = ()  # offset applied, like the word's times


@dataclass
class PlannedCue:
    number: int  # 1-based position in the document
    start: int
    end: int
    lines: list[str]  # from Document.cue_lines
    spans: list[list[WordSpan]]  # the same lines as tokens (for karaoke)
    attrs: dict = field(default_factory=dict)  # a recogniser's language and emotion, when it gave them

    @property
    def emotion(self) -> str | None:
        """The emotion as a tag word ("HAPPY"): letters, digits, "_" and "-" only, at most 32, since
        it lands inside subtitle text, where an emotion read from a file (a blank line and a timing
        line in it) could forge cues."""
        tag = re.sub(r"[^\w-]", "", str(self.attrs.get("emotion") or ""))[:32]
        return tag or None

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass
class ExportPlan:
    format: str
    cues: list[PlannedCue]
    words: list[WordSpan]
    duration_ms: int | None
    language: str
    problems: list[Problem]
    words_written: int | None = None  # set by renderers that write words on their own
    #: the document's annotation tiers, offset like everything else (TextGrid writes them)
    tiers: list[Tier] = field(default_factory=list)


def plan_export(
    doc: Document,
    fmt: str,
    *,
    offset_ms: int = 0,
    options: ExportOptions | None = None,
    need_cues: bool = True,
    cues: Sequence[Cue] | None = None,
) -> ExportPlan:
    """Validate ``doc`` for export and apply the offset; raises when a subtitle would be lost.

    Blocking problems (no times, no text, zero or negative length, entirely before 0 after the
    offset, an empty line inside a cue) raise :class:`ExportValidationError` unless
    ``options.fix``; then the cue is repaired or dropped and the problem says which.
    """
    # imported here: the transcribe package reads transcripts through this one (a cycle at import)
    from ..transcribe.events import is_sound_cue

    options = options or ExportOptions()
    offset_ms = int(offset_ms)
    cue_list = list(doc.cues if cues is None else cues)
    if need_cues and not cue_list:
        if not doc.tokens:
            raise NoCuesError(msg("export_empty", format=fmt.upper()))
        raise NoCuesError(msg("export_no_cues", format=fmt.upper()))
    problems: list[Problem] = []
    dropped = msg("action_dropped") if options.fix else None
    words = _plan_words(doc, offset_ms, problems)
    planned: list[PlannedCue] = []
    pending: list[tuple[int, Cue, int | None, int | None]] = []
    for c, cue in enumerate(cue_list):
        if not options.sound_cues and is_sound_cue(doc, cue):
            continue  # asked for: not a problem to report; numbers stay the document's
        s, e = doc.cue_times(cue)
        pending.append((c + 1, cue, s, e))
    if need_cues and cue_list and not pending:  # an empty file written as a success would hide it
        raise NoCuesError(msg("export_only_sound", format=fmt.upper()))
    for k, (number, cue, s, e) in enumerate(pending):
        lines, spans = _cue_lines(doc, cue, words)
        # line breaks inside a token would split a subtitle line: they become spaces, no loss
        if any("\n" in ln or "\r" in ln for ln in lines):
            lines = [re.sub(r"\r\n|\r|\n", " ", ln) for ln in lines]
            problems.append(Problem(msg("export_line_break"), number, action=msg("action_space")))
        if not any(ln.strip() for ln in lines):
            problems.append(Problem(msg("cue_no_text"), number, blocking=True, action=dropped))
            continue
        if any(not ln.strip() for ln in lines):
            keep = [i for i, ln in enumerate(lines) if ln.strip()]
            problems.append(
                Problem(msg("export_empty_line"), number, blocking=True, action=msg("action_line_removed") if options.fix else None)
            )
            lines = [lines[i] for i in keep]
            spans = [spans[i] for i in keep]
        if s is None or e is None:
            problems.append(Problem(msg("cue_no_times"), number, blocking=True, action=dropped))
            continue
        s += offset_ms
        e += offset_ms
        if s >= e:
            what = msg("export_zero_length") if s == e else msg("export_ends_before_start", start=s, end=e)
            nxt = _next_start(pending, k, offset_ms)
            room = options.fix_duration_ms if nxt is None else min(options.fix_duration_ms, nxt - s)
            if options.fix and room > 0 and s + room > 0:
                e = s + room
                problems.append(Problem(what, number, blocking=True, action=msg("action_end_set", end=e)))
            else:
                problems.append(Problem(what, number, blocking=True, action=dropped))
                continue
        if e <= 0:
            problems.append(
                Problem(msg("export_ends_before_zero", offset=offset_ms, end=e), number, blocking=True, action=dropped)
            )
            continue
        if s < 0:
            problems.append(Problem(msg("export_starts_before_zero", start=s), number, action=msg("action_start_clamped")))
            s = 0
        if planned and s < planned[-1].end:
            problems.append(Problem(msg("export_overlaps", other=planned[-1].number, ms=planned[-1].end - s), number))
        attrs = {k: getattr(cue, k) for k in ("language", "emotion", *CUE_LOOK) if getattr(cue, k, None) is not None}
        planned.append(PlannedCue(number, s, e, lines, spans, attrs))
    inside = [False] * len(doc.tokens)
    for cue in cue_list:
        for i in cue.token_range():
            if 0 <= i < len(inside):
                inside[i] = True
    if need_cues:
        outside = [i for i, flag in enumerate(inside) if not flag]
        if outside:
            problems.append(Problem(msg("export_words_outside", count=len(outside), ranges=_ranges(outside))))
    duration = doc.duration_ms
    plan = ExportPlan(fmt, planned, words, duration, doc.language, problems, tiers=_offset_tiers(doc.tiers, offset_ms))
    if any(p.blocking for p in problems) and not options.fix:
        raise ExportValidationError(ExportReport(fmt, None, 0, 0, problems))
    return plan


def _offset_tiers(tiers: Sequence[Tier], offset_ms: int) -> list[Tier]:
    """Tiers moved by the offset; what the offset puts before 0 is left out (an interval keeps
    its part after 0), as with the words."""
    if not offset_ms:
        return list(tiers)
    out = []
    for t in tiers:
        if t.points:
            items = [Annotation(a.start + offset_ms, a.end + offset_ms, a.label) for a in t.items if a.start + offset_ms >= 0]
        else:
            items = [Annotation(max(a.start + offset_ms, 0), a.end + offset_ms, a.label) for a in t.items if a.end + offset_ms > 0]
        out.append(replace(t, items=tuple(items)))
    return out


def _next_start(pending: list[tuple[int, Cue, int | None, int | None]], k: int, offset_ms: int) -> int | None:
    for _number, _cue, s, _e in pending[k + 1 :]:
        if s is not None:
            return s + offset_ms
    return None


def _plan_words(doc: Document, offset_ms: int, problems: list[Problem]) -> list[WordSpan]:
    out: list[WordSpan] = []
    clamped: list[int] = []
    for i, tok in enumerate(doc.tokens):
        s, e = tok.start, tok.end
        if s is None or e is None:
            s = e = None
        else:
            s += offset_ms
            e += offset_ms
            if s < 0:
                clamped.append(i)
                s = 0
                e = max(e, 0)
        phones = fit_phones(tuple(Phone(p.label, p.start + offset_ms, p.end + offset_ms) for p in tok.phones), s, e) if tok.phones else ()
        out.append(WordSpan(i, tok.text, tok.sep, s, e, tok.confidence, tok.brk, int(tok.flags), bool(tok.locked), phones))
    if clamped:
        problems.append(Problem(msg("export_words_clamped", count=len(clamped), ranges=_ranges(clamped))))
    return out


def _cue_lines(doc: Document, cue: Cue, words: list[WordSpan]) -> tuple[list[str], list[list[WordSpan]]]:
    lines = doc.cue_lines(cue)
    # The same partition as Document.cue_lines, kept as tokens for karaoke timing.
    n = cue.last - cue.first + 1
    starts = [0] + [o for o in cue.line_starts if 0 < o < n]
    bounds = starts + [n]
    spans = [words[cue.first + a : cue.first + b] for a, b in zip(bounds, bounds[1:]) if b > a]
    if len(spans) != len(lines):  # cue_lines changed its rules: keep the text, lose only karaoke detail
        spans = [[WordSpan(-1, ln, "", None, None)] for ln in lines]
    return lines, spans


def _ranges(indices: Iterable[int]) -> str:
    """1-based word numbers as compact ranges: "1-3, 7"."""
    out: list[str] = []
    run: list[int] = []
    for i in indices:
        if run and i == run[-1] + 1:
            run.append(i)
            continue
        if run:
            out.append(_fmt_run(run))
        run = [i]
    if run:
        out.append(_fmt_run(run))
    if len(out) > 12:
        out = out[:12] + ["..."]
    return ", ".join(out)


def _fmt_run(run: list[int]) -> str:
    return str(run[0] + 1) if len(run) == 1 else f"{run[0] + 1}-{run[-1] + 1}"


# -- text helpers -----------------------------------------------------------------------------------


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def without_bom(text: str) -> str:
    return text[1:] if text.startswith("\ufeff") else text




def shifted_spans(spans, offset_ms: int) -> tuple[tuple[int, int], ...]:
    """Untranscribed spans moved by an export's offset: those that end before 0 go, starts clamp to 0."""
    return tuple((max(0, a + offset_ms), b + offset_ms) for a, b in spans if b + offset_ms > 0)


def guess_sep(prev_text: str | None, text: str) -> str:
    """The separator a line break or cue boundary stands for: none between CJK characters."""
    if not prev_text or not text:
        return " "
    return "" if is_spaceless(prev_text[-1]) and is_spaceless(text[0]) else " "


_LANGUAGE_NAMES = {
    "english": "en",
    "chinese": "zh",
    "mandarin": "zh",
    "cantonese": "yue",
    "japanese": "ja",
    "korean": "ko",
    "french": "fr",
    "german": "de",
    "spanish": "es",
    "italian": "it",
    "portuguese": "pt",
    "russian": "ru",
    "arabic": "ar",
    "dutch": "nl",
    "turkish": "tr",
    "vietnamese": "vi",
    "thai": "th",
    "indonesian": "id",
}


def language_code(value: object) -> str | None:
    """A language as files write it ("English", "en", "zh-CN") as a code, or ``None``."""
    if not isinstance(value, str) or not value.strip():
        return None
    v = value.strip()
    return _LANGUAGE_NAMES.get(v.lower(), v)


def fraction_ms(digits: str) -> int:
    """Fractional-second digits as milliseconds: "5" -> 500, "05" -> 50, "0504" -> 50."""
    if not digits:
        return 0
    if len(digits) <= 3:
        return int(digits.ljust(3, "0"))
    return round(int(digits) / 10 ** (len(digits) - 3))


def seconds_to_ms(value: float) -> int:
    return int(round(value * 1000.0))


def ms_to_seconds(ms: int) -> float:
    return round(ms / 1000.0, 3)


def decode_file_bytes(data: bytes, name: str = "") -> str:
    """File bytes to text in whatever encoding they are in (see ``text.decode_transcript_bytes``)."""
    try:
        from ..text import TranscriptError, decode_transcript_bytes
    except ImportError:  # text.py not available: BOM-marked and UTF-8 files only
        return _decode_fallback(data, name)
    try:
        text, _encoding = decode_transcript_bytes(data, name)
    except TranscriptError as exc:
        raise FormatError(message_of(exc) or str(exc), path=name or None) from None
    return text


def _decode_fallback(data: bytes, name: str) -> str:
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(enc)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FormatError(msg("format_not_utf8", byte=exc.start), path=name or None) from None
