"""WebVTT (.vtt).

Written: ``WEBVTT`` header, numbered cues, ``HH:MM:SS.mmm`` times, text escaped (``&``, ``<``,
``>``: so ``-->`` can never appear in a cue) except the formatting tags WebVTT knows (see
:mod:`aligner_core.formats.markup`), optional karaoke as inline ``<HH:MM:SS.mmm>``
timestamps before each word. Read: NOTE/STYLE/REGION blocks and cue settings are skipped,
cue identifiers are optional, hours are optional, formatting tags (``<v Name>``, ``<c.x>``, ``<i>``)
are kept in the cue text (the tokenizer never aligns them), inline timestamps and ruby
annotations (``<rt>``) dropped, entities unescaped.
"""

from __future__ import annotations

import html
import re

from ..document import EMOTIONS
from ..messages import msg
from .common import ExportOptions, ExportPlan, FormatError, PlannedCue, Problem, SubtitleCue, normalize_newlines, without_bom
from ..text import MARKUP_RE
from .markup import dropped_tags, markup_to_vtt
from .srt import parse_timestamp

__all__ = ["render_vtt", "parse_vtt", "vtt_timestamp", "escape_vtt", "unescape_vtt", "vtt_cue_text"]

_TIMING = re.compile(r"^\s*(\S+)\s*-->\s*(\S+)(?:\s+(.*))?$")
_RUBY = re.compile(r"<rt(?:[.\s][^>]*)?>.*?</rt>|<rp>.*?</rp>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>\n]*>")
_BLOCK_KEYWORDS = ("NOTE", "STYLE", "REGION")


def vtt_timestamp(ms: int) -> str:
    h, rem = divmod(int(ms), 3_600_000)
    m, rem = divmod(rem, 60_000)
    s, ms = divmod(rem, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def escape_vtt(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape_vtt(payload: str) -> str:
    """Cue payload to plain text: ruby annotations dropped, tags stripped, entities unescaped."""
    return html.unescape(_TAG.sub("", _RUBY.sub("", payload)))


_KEPT_ON_READ = re.compile(r"</?(?:[ibu]|c|v|lang)\b[^<>\n]*>", re.IGNORECASE)


def vtt_cue_text(payload: str) -> str:
    """Cue payload as cue text: ruby annotations and inline timestamps dropped, entities
    unescaped, and the formatting tags (``<i>``, ``<b>``, ``<u>``, ``<c.x>``, ``<v Name>``,
    ``<lang xx>``) kept, as the SRT reader keeps its tags (the tokenizer never aligns them)."""
    payload = _RUBY.sub("", payload)
    out: list[str] = []
    pos = 0
    for m in _TAG.finditer(payload):
        out.append(html.unescape(payload[pos : m.start()]))
        tag = m.group()
        if _KEPT_ON_READ.fullmatch(tag) and MARKUP_RE.fullmatch(tag):
            out.append(tag)
        pos = m.end()
    out.append(html.unescape(payload[pos:]))
    return "".join(out)


def _is_keyword_block(line: str) -> bool:
    for kw in _BLOCK_KEYWORDS:
        if line == kw or line.startswith(kw + " ") or line.startswith(kw + "\t"):
            return True
    return False


def parse_vtt(text: str) -> list[SubtitleCue]:
    lines = normalize_newlines(without_bom(text)).split("\n")
    no = 0
    while no < len(lines) and not lines[no].strip():
        no += 1
    if no >= len(lines) or not (lines[no].startswith("WEBVTT") and lines[no][6:7] in ("", " ", "\t")):
        raise FormatError(msg("vtt_no_header"), min(no + 1, len(lines)))
    # The header block (WEBVTT line, X-TIMESTAMP-MAP, old-style metadata) runs to the first blank line.
    no += 1
    while no < len(lines) and lines[no].strip() and "-->" not in lines[no]:
        no += 1
    cues: list[SubtitleCue] = []
    i = no
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        block_start = i
        block: list[str] = []
        while i < len(lines) and lines[i].strip():
            block.append(lines[i].rstrip())
            i += 1
        cues.extend(_parse_block(block, block_start + 1))
    return cues


_EMOTION_SPAN = re.compile(r"<c\.(" + "|".join(e.lower() for e in EMOTIONS) + r")>((?:(?!</?c[.>]).)*)</c>", re.DOTALL)


def _emotion_span(lines: list[str]) -> tuple[list[str], str | None]:
    """An export with emotion tags wraps every line of a cue in the same ``<c.happy>`` span: read
    it back as the cue's emotion, and the lines without it. Any other class stays formatting."""
    found = [_EMOTION_SPAN.fullmatch(line) for line in lines]
    if not found or not all(found) or len({m.group(1) for m in found}) != 1:
        return lines, None
    return [m.group(2) for m in found], found[0].group(1).upper()


def _parse_block(block: list[str], first_line: int) -> list[SubtitleCue]:
    if _is_keyword_block(block[0].strip()) and "-->" not in block[0]:
        return []
    out: list[SubtitleCue] = []
    # A block may hold several cues when the blank lines between them are missing.
    timing_rows = [k for k, line in enumerate(block) if "-->" in line]
    if not timing_rows or timing_rows[0] > 1:
        raise FormatError(msg("vtt_expected_timing", found=block[0][:80]), first_line)
    for n, k in enumerate(timing_rows):
        m = _TIMING.match(block[k])
        start = parse_timestamp(m.group(1)) if m else None
        end = parse_timestamp(m.group(2)) if m else None
        if start is None or end is None:
            raise FormatError(msg("vtt_bad_timing", found=block[k][:80]), first_line + k)
        stop = timing_rows[n + 1] if n + 1 < len(timing_rows) else len(block)
        payload = block[k + 1 : stop]
        if n + 1 < len(timing_rows) and payload and _looks_like_identifier(payload[-1]):
            payload = payload[:-1]  # the next cue's identifier
        text_lines, emotion = _emotion_span([t for t in (vtt_cue_text(p).strip() for p in payload) if t])
        align = _align_of_settings(m.group(3) or "")
        out.append(SubtitleCue(start, end, "\n".join(text_lines), line=first_line + k, emotion=emotion, align=align))
    return out


# numpad alignment (ASS \\an) <-> cue settings: the row is the line setting (bottom is WebVTT's
# default), the column the text alignment (centre is its default)
_ROW_LINE = {0: "line:0", 1: "line:50%", 2: ""}
_COLUMN_ALIGN = {0: "align:start", 1: "", 2: "align:end"}


def _settings(cue: PlannedCue, options: ExportOptions) -> str:
    """WebVTT cue settings for a cue's alignment and position (empty: the defaults)."""
    align = cue.attrs.get("align") or 2
    row, column = 2 - (align - 1) // 3, (align - 1) % 3
    pos = cue.attrs.get("pos")
    if pos:
        # the ASS anchor point in script pixels as percentages, anchored on the same corner
        x = min(100.0, 100 * pos[0] / max(1, options.ass.play_res_x))
        y = min(100.0, 100 * pos[1] / max(1, options.ass.play_res_y))
        return (f"position:{x:.4g}%,{('line-left', 'center', 'line-right')[column]} "
                f"line:{y:.4g}%,{('start', 'center', 'end')[row]} {_COLUMN_ALIGN[column] or 'align:center'}").strip()
    return " ".join(part for part in (_ROW_LINE[row], _COLUMN_ALIGN[column]) if part)


def _align_of_settings(settings: str) -> int | None:
    """The numpad alignment of the cue settings this writer gives one (no position); None for any
    other settings, which stay the player's business."""
    parts = settings.split()
    rows = [r for r, line in _ROW_LINE.items() if line and line in parts]
    columns = [c for c, a in _COLUMN_ALIGN.items() if a and a in parts]
    known = {_ROW_LINE[r] for r in rows} | {_COLUMN_ALIGN[c] for c in columns}
    if not (rows or columns) or any(p not in known for p in parts):
        return None
    row, column = (rows or [2])[0], (columns or [1])[0]
    return (2 - row) * 3 + column + 1


def _looks_like_identifier(line: str) -> bool:
    return line.strip().isdigit()


def _karaoke_line(cue: PlannedCue, k: int, last_stamp: list[int]) -> str:
    parts: list[str] = []
    for j, span in enumerate(cue.spans[k]):
        if j:
            parts.append(escape_vtt(span.sep))
        if span.start is not None and last_stamp[0] < span.start < cue.end:
            parts.append(f"<{vtt_timestamp(span.start)}>")
            last_stamp[0] = span.start
        parts.append(markup_to_vtt(span.text, escape_vtt)[0])
    return "".join(parts)


def render_vtt(plan: ExportPlan, options: ExportOptions, karaoke: bool = False) -> str:
    out = ["WEBVTT", ""]
    dropped = 0
    for k, cue in enumerate(plan.cues, start=1):
        out.append(str(k))
        settings = _settings(cue, options)
        out.append(f"{vtt_timestamp(cue.start)} --> {vtt_timestamp(cue.end)}" + (f" {settings}" if settings else ""))
        lines = []
        for line in cue.lines:
            shown, n = markup_to_vtt(line, escape_vtt)
            lines.append(shown)
            dropped += n
        if karaoke:
            # Inline timestamps must rise strictly inside the cue; a word starting at the cue
            # start needs none.
            last = [cue.start]
            for i, shown in enumerate(lines):
                rendered = _karaoke_line(cue, i, last)
                if unescape_vtt(rendered) == unescape_vtt(shown):
                    lines[i] = rendered
        if options.emotion_tags and cue.emotion:
            # a class span: players show the text unchanged and a page's CSS (::cue(.happy)) may
            # style it; the emotion stays data instead of becoming words on screen
            klass = re.sub(r"[^a-z0-9_-]", "", cue.emotion.lower())
            if klass:
                lines = [f"<c.{klass}>{line}</c>" for line in lines]
        out.extend(lines)
        out.append("")
    if dropped:
        plan.problems.append(Problem(dropped_tags(dropped, "WebVTT")))
    return "\n".join(out)
