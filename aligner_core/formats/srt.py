"""SubRip (.srt): written through the ``srt`` library after validation, read by a tolerant parser.

The reader accepts what real files contain: a BOM, CRLF, missing blank lines between
subtitles, missing numbers, "," or "." (or ":") before the milliseconds, 1-3 fraction digits,
hours above 99, timestamps without hours, coordinates after the timing line, HTML-ish tags
(``<i>``, ``<font color=...>``) and ASS override blocks (``{\\an8}``), which are kept in the text:
the tokenizer keeps them on the words they format without aligning them, and the writers carry
them into the output (see :mod:`aligner_core.formats.markup`).
A timing line it cannot read is an error with its line number, so is text before the first
subtitle.
"""

from __future__ import annotations

import re
from datetime import timedelta

import srt as srt_lib

from ..document import EMOTIONS
from ..messages import msg
from ..text import strip_markup
from .common import ExportOptions, ExportPlan, FormatError, Problem, SubtitleCue, fraction_ms, normalize_newlines, without_bom
from .markup import dropped_tags, markup_to_srt

__all__ = ["render_srt", "parse_srt", "strip_srt_markup", "parse_timestamp"]

# A timestamp: [-][H+:]MM:SS[,.]fff  or the broken H:MM:SS:fff some tools write.
_TS = re.compile(r"^(-)?(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:[,.](\d{1,9}))?$")
_TS_COLON_MS = re.compile(r"^(-)?(\d+):(\d{1,2}):(\d{1,2}):(\d{1,3})$")
_TIMING = re.compile(r"^\s*(\S+?)\s*-{1,2}>\s*(\S+)(?:\s+(.*))?$")
_TIMING_ATTEMPT = re.compile(r"^\s*-?\d+:\d+.*-->")


def parse_timestamp(text: str) -> int | None:
    """Milliseconds of an SRT/VTT-style timestamp, or ``None`` when it is not one."""
    text = text.strip()
    m = _TS.match(text)
    if m:
        neg, h, mi, s, frac = m.groups()
        ms = ((int(h or 0) * 60 + int(mi)) * 60 + int(s)) * 1000 + fraction_ms(frac or "")
    else:
        m = _TS_COLON_MS.match(text)
        if not m:
            return None
        neg, h, mi, s, frac = m.groups()
        ms = ((int(h) * 60 + int(mi)) * 60 + int(s)) * 1000 + fraction_ms(frac)
    return -ms if neg else ms


def _timing(line: str) -> tuple[int, int] | None:
    m = _TIMING.match(line)
    if not m:
        return None
    a, b = parse_timestamp(m.group(1)), parse_timestamp(m.group(2))
    if a is None or b is None:
        return None
    return a, b


def strip_srt_markup(line: str) -> str:
    return strip_markup(line)


_EMOTION_TAG = re.compile(r"\[(" + "|".join(EMOTIONS) + r")\] (?=\S)")


def _emotion_tag(text: str) -> tuple[str, str | None]:
    """The text without the "[HAPPY] " that an export with emotion tags leads a cue with, and the emotion."""
    m = _EMOTION_TAG.match(text)
    return (text[m.end():], m.group(1)) if m else (text, None)


def parse_srt(text: str) -> list[SubtitleCue]:
    """Subtitles in file order; raises :class:`FormatError` (with a line number) for garbage."""
    lines = normalize_newlines(without_bom(text)).split("\n")
    cues: list[SubtitleCue] = []
    cur: tuple[int, int, int] | None = None  # start, end, line of the timing line
    body: list[tuple[int, str]] = []  # (line number, text)
    pending_index: int | None = None

    def close() -> None:
        if cur is None:
            return
        kept = [t.strip() for _, t in body]
        text, emotion = _emotion_tag("\n".join(t for t in kept if t))
        cues.append(SubtitleCue(cur[0], cur[1], text, line=cur[2], emotion=emotion))

    for no, raw in enumerate(lines, start=1):
        line = raw.strip()
        times = _timing(line) if "->" in line else None
        if times is not None:
            # A number right above the timing line is this subtitle's number, even without a blank line.
            if body and body[-1][0] == no - 1 and body[-1][1].isdigit():
                body.pop()
            close()
            cur = (times[0], times[1], no)
            body = []
            pending_index = None
            continue
        if _TIMING_ATTEMPT.match(line):
            raise FormatError(msg("srt_bad_timing", found=line[:80]), no)
        if not line:
            continue
        if cur is None:
            if line.isdigit() and pending_index is None:
                pending_index = no
                continue
            code = "srt_expected_timing" if pending_index is not None else "srt_expected_number"
            raise FormatError(msg(code, found=line[:80]), no)
        body.append((no, line))
    if cur is None and pending_index is not None:
        raise FormatError(msg("srt_number_alone"), pending_index)
    close()
    return cues


def render_srt(plan: ExportPlan, options: ExportOptions, karaoke: bool = False) -> str:  # noqa: ARG001 - no karaoke in SRT
    subs = []
    dropped = unplaced = 0
    for k, cue in enumerate(plan.cues, start=1):
        lines = []
        for line in cue.lines:
            shown, n = markup_to_srt(line)
            lines.append(shown)
            dropped += n
        align = cue.attrs.get("align")
        if align and align != 2 and not lines[0].startswith("{\\an"):
            # SubRip has no placement, but players (VLC, mpv, most TVs) honour a leading ASS
            # {\anN}: the common convention, read back as a tag on the first word
            lines[0] = f"{{\\an{int(align)}}}{lines[0]}"
        if cue.attrs.get("pos"):
            unplaced += 1
        if options.emotion_tags and cue.emotion:
            # SubRip has no metadata: a bracketed tag on screen is how SDH subtitles say how a
            # line is spoken, and what every player shows as it is
            lines[0] = f"[{cue.emotion}] {lines[0]}"
        for line in lines:
            if _TIMING_ATTEMPT.match(line) or _timing(line) is not None:
                plan.problems.append(Problem(msg("export_timing_lookalike", line=line), cue.number))
        subs.append(srt_lib.Subtitle(k, timedelta(milliseconds=cue.start), timedelta(milliseconds=cue.end), "\n".join(lines)))
    if dropped:
        plan.problems.append(Problem(dropped_tags(dropped, "SubRip")))
    if unplaced:
        plan.problems.append(Problem(msg("export_position_dropped", count=unplaced, format="SubRip")))
    # reindex=False: the library would otherwise re-sort and silently skip cues it dislikes;
    # validation has already dealt with every one of those.
    return srt_lib.compose(subs, reindex=False, strict=True, eol="\n")
