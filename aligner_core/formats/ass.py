"""Advanced SubStation Alpha (.ass; .ssa read too).

Times are centiseconds: every time is rounded half up to the nearest 10 ms, so no cue ever
ends before (or where) it starts; a cue so short that both ends round together is widened
outwards to whole centiseconds (each end moves less than 10 ms). Karaoke writes
``{\\k<cs>}`` before each word; gaps between words become empty syllables, and every
duration is a difference of rounded *absolute* times, so the syllables add up exactly and
never drift. Words without times join the previous syllable.

Formatting tags the tokens carry become ASS overrides (see :mod:`aligner_core.formats.markup`).
Other text escaping: ``{`` and ``}`` become ``\\{`` and ``\\}`` (libass), a backslash that would
start ``\\N``, ``\\n``, ``\\h`` or a brace escape gets a WORD JOINER after it, which the reader
removes again.
"""

from __future__ import annotations

import re

from ..document import EMOTIONS
from ..messages import msg
from .common import ExportOptions, ExportPlan, FormatError, PlannedCue, Problem, SubtitleCue, fraction_ms, normalize_newlines, without_bom
from .markup import dropped_tags, markup_to_ass

__all__ = ["render_ass", "parse_ass", "ass_timestamp", "to_cs", "escape_ass", "ass_text_to_plain"]

_DEFAULT_FORMAT = ["layer", "start", "end", "style", "name", "marginl", "marginr", "marginv", "effect", "text"]
_TIME = re.compile(r"^\s*(-)?(\d+):(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?\s*$")
_WJ = "\u2060"


def to_cs(ms: int) -> int:
    """Milliseconds to centiseconds, rounding half up (for the non-negative times we write)."""
    return (int(ms) + 5) // 10


def ass_timestamp(cs: int) -> str:
    h, rem = divmod(int(cs), 360_000)
    m, rem = divmod(rem, 6000)
    s, c = divmod(rem, 100)
    return f"{h:d}:{m:02d}:{s:02d}.{c:02d}"


def escape_ass(text: str) -> str:
    text = re.sub(r"\\(?=[Nnh{}])", "\\\\" + _WJ, text)
    return text.replace("{", "\\{").replace("}", "\\}")


_KARAOKE = re.compile(r"\\[kK][fo]?\d*")


def ass_text_to_plain(text: str, wrap_style: int = 0, keep_overrides: bool = False) -> str:
    """Dialogue text without override blocks: ``\\N`` is a line break, ``\\h`` a no-break space.

    ``keep_overrides`` keeps formatting blocks (``{\\an8}``, ``{\\i1}``) in the text, as the SRT
    reader keeps its tags, so a re-timed file keeps its look; karaoke timing (``{\\k20}``) is
    the aligner's to redo and comment blocks (``{like this}``) are dropped either way."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n:
            nxt = text[i + 1]
            if nxt == "N" or (nxt == "n" and wrap_style == 2):
                out.append("\n")
                i += 2
                continue
            if nxt == "n":
                out.append(" ")
                i += 2
                continue
            if nxt == "h":
                out.append("\u00a0")
                i += 2
                continue
            if nxt in "{}":
                out.append(nxt)
                i += 2
                continue
            if nxt == _WJ:
                out.append("\\")
                i += 2
                continue
            out.append(ch)
            i += 1
            continue
        if ch == "{":
            close = text.find("}", i + 1)
            if close < 0:  # an unclosed brace is shown as text by renderers
                out.append(ch)
                i += 1
                continue
            block = text[i : close + 1]
            if keep_overrides and block.startswith("{\\"):
                block = _KARAOKE.sub("", block)
                if block != "{}":
                    out.append(block)
            i = close + 1
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _parse_time(value: str) -> int | None:
    m = _TIME.match(value)
    if not m:
        return None
    neg, h, mi, s, frac = m.groups()
    ms = ((int(h) * 60 + int(mi)) * 60 + int(s)) * 1000 + fraction_ms(frac or "")
    return -ms if neg else ms


_LEADING_BLOCK = re.compile(r"^\{(\\[^{}]*)\}")
_AN = re.compile(r"\\an([1-9])")
_POS = re.compile(r"\\pos\(\s*([-+]?\d+(?:\.\d*)?)\s*,\s*([-+]?\d+(?:\.\d*)?)\s*\)")


def _take_placement(text: str) -> tuple[str, int | None, tuple[int, int] | None]:
    """A line's placement overrides (``\\anN``, ``\\pos(x,y)`` in the override block it starts
    with) taken out of its text as the cue's alignment and position; its other tags stay."""
    m = _LEADING_BLOCK.match(text)
    if not m:
        return text, None, None
    block = m.group(1)
    an, pos = _AN.search(block), _POS.search(block)
    align = int(an.group(1)) if an else None
    xy = (round(float(pos.group(1))), round(float(pos.group(2)))) if pos else None
    if xy is not None and min(xy) < 0:
        xy = None  # off-screen placement is a motion trick, not a position we can edit: kept as a tag
        pos = None
    rest = block
    for found in (an, pos):
        if found is not None:
            rest = rest.replace(found.group(0), "", 1)
    rest = f"{{{rest}}}" if rest.strip() else ""
    return rest + text[m.end() :], align, xy


def _placement(cue: PlannedCue) -> str:
    """The override block that gives a cue its own alignment and position (empty: none)."""
    tags = []
    if cue.attrs.get("align"):
        tags.append(f"\\an{int(cue.attrs['align'])}")
    if cue.attrs.get("pos"):
        x, y = cue.attrs["pos"]
        tags.append(f"\\pos({int(x)},{int(y)})")
    return "{" + "".join(tags) + "}" if tags else ""


def _cue_style(cue: PlannedCue) -> str:
    style = cue.attrs.get("style")
    return _clean_field(style, "Default") if style else "Default"


def parse_ass(text: str) -> list[SubtitleCue]:
    """Dialogue events in file order (``Comment:`` events skipped), formatting overrides kept
    in the text and karaoke timing dropped (see :func:`ass_text_to_plain`)."""
    lines = normalize_newlines(without_bom(text)).split("\n")
    section = ""
    seen_section = False
    fields = list(_DEFAULT_FORMAT)
    wrap_style = 0
    cues: list[SubtitleCue] = []
    for no, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith(";") or line.startswith("!:"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip().lower()
            seen_section = True
            continue
        if not seen_section:
            raise FormatError(msg("ass_no_section", found=line[:80]), no)
        key, sep, value = line.partition(":")
        if not sep:
            if section in ("events", "script info", "v4+ styles", "v4 styles", "v4 styles+"):
                raise FormatError(msg("ass_not_key_value", found=line[:80]), no)
            continue  # [Fonts] / [Graphics] hold uuencoded data without colons
        key = key.strip().lower()
        if section == "script info" and key == "wrapstyle":
            try:
                wrap_style = int(value.strip())
            except ValueError:
                wrap_style = 0
        if section != "events":
            continue
        if key == "format":
            fields = [f.strip().lower() for f in value.split(",")]
            if "start" not in fields or "end" not in fields or "text" not in fields:
                raise FormatError(msg("ass_format_line"), no)
            continue
        if key != "dialogue":
            continue
        # Text is the last field and may itself contain commas.
        parts = value.lstrip().split(",", len(fields) - 1)
        if len(parts) < len(fields):
            raise FormatError(msg("ass_dialogue_fields", need=len(fields), found=len(parts)), no)
        rec = dict(zip(fields, parts))
        start = _parse_time(rec["start"])
        end = _parse_time(rec["end"])
        if start is None or end is None:
            bad = rec["start"] if start is None else rec["end"]
            raise FormatError(msg("ass_bad_time", time=bad.strip()), no)
        raw_text, align, pos = _take_placement(rec["text"].strip())
        plain = ass_text_to_plain(raw_text, wrap_style, keep_overrides=True)
        lines_out = [ln.strip() for ln in plain.split("\n")]
        # the Name field holds an actor as often as an emotion: only the emotion words are read as one
        name = rec.get("name", "").strip()
        emotion = name if name in EMOTIONS else None
        style = rec.get("style", "").strip().lstrip("*")
        cues.append(SubtitleCue(start, end, "\n".join(ln for ln in lines_out if ln), line=no, emotion=emotion,
                                align=align, pos=pos, style=None if style.lower() in ("", "default") else style))
    if not seen_section:
        raise FormatError(msg("ass_no_sections"), 1)
    return cues


# -- writing ----------------------------------------------------------------------------------------


def _clean_field(value: str, default: str = "Arial") -> str:
    return value.replace(",", " ").replace("\n", " ").strip() or default


def _header(options: ExportOptions) -> list[str]:
    st = options.ass
    return [
        "[Script Info]",
        "; Script generated by Wordsync",
        "ScriptType: v4.00+",
        f"PlayResX: {int(st.play_res_x)}",
        f"PlayResY: {int(st.play_res_y)}",
        "WrapStyle: 0",
        "ScaledBorderAndShadow: yes",
        "YCbCr Matrix: None",
        "",
        "[V4+ Styles]",
        "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, "
        "Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, "
        "MarginL, MarginR, MarginV, Encoding",
        f"Style: Default,{_clean_field(st.font)},{st.font_size:g},{st.primary},{st.secondary},{st.outline_colour},{st.back},"
        f"{-1 if st.bold else 0},0,0,0,100,100,0,0,1,{st.outline:g},{st.shadow:g},{int(st.alignment)},"
        f"{int(st.margin_l)},{int(st.margin_r)},{int(st.margin_v)},1",
        "",
        "[Events]",
        "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text",
    ]


def cue_cs(cue: PlannedCue) -> tuple[int, int]:
    start, end = to_cs(cue.start), to_cs(cue.end)
    if end <= start:  # both round to the same centisecond: widen outwards, each side moves < 10 ms
        start, end = cue.start // 10, -(-cue.end // 10)
    return start, end


def _karaoke_text(cue: PlannedCue, start_cs: int, end_cs: int) -> tuple[str, int]:
    """Dialogue text with {\\k} tags; returns it and the number of untimed words."""
    out: list[str] = []
    cursor = start_cs
    untimed = 0
    for k, line in enumerate(cue.spans):
        if k:
            out.append("\\N")
        for j, span in enumerate(line):
            if j:
                out.append(escape_ass(span.sep))
            if span.start is None or span.end is None:
                untimed += 1
                out.append(markup_to_ass(span.text, escape_ass)[0])
                continue
            ws = min(max(to_cs(span.start), cursor), end_cs)
            we = min(max(to_cs(span.end), ws), end_cs)
            if ws > cursor:
                out.append(f"{{\\k{ws - cursor}}}")
            out.append(f"{{\\k{we - ws}}}")
            out.append(markup_to_ass(span.text, escape_ass)[0])
            cursor = we
    return "".join(out), untimed


def render_ass(plan: ExportPlan, options: ExportOptions, karaoke: bool = False) -> str:
    out = _header(options)
    # a cue's own style needs a Style line to name: each starts as a copy of Default for the user
    # to restyle in Aegisub (a name without one falls back to Default in players anyway)
    default = next(k for k, line in enumerate(out) if line.startswith("Style: Default,"))
    names = sorted({_cue_style(c) for c in plan.cues} - {"Default"})
    out[default + 1 : default + 1] = [out[default].replace("Style: Default,", f"Style: {n},", 1) for n in names]
    dropped = 0
    for cue in plan.cues:
        start_cs, end_cs = cue_cs(cue)
        shown = []
        for line in cue.lines:
            converted, n = markup_to_ass(line, escape_ass)
            shown.append(converted)
            dropped += n
        text = "\\N".join(shown)
        if karaoke:
            kara, untimed = _karaoke_text(cue, start_cs, end_cs)
            if ass_text_to_plain(kara) == ass_text_to_plain(text):
                text = kara
                if untimed:
                    plan.problems.append(Problem(msg("export_karaoke_untimed", count=untimed), cue.number))
        # the Name (Actor) field: metadata Aegisub shows and filters by, never drawn on screen,
        # so the emotion travels without touching the styled text
        name = _clean_field(cue.emotion, "") if options.emotion_tags and cue.emotion else ""
        out.append(f"Dialogue: 0,{ass_timestamp(start_cs)},{ass_timestamp(end_cs)},{_cue_style(cue)},{name},0,0,0,,{_placement(cue)}{text}")
    if dropped:
        plan.problems.append(Problem(dropped_tags(dropped, "ASS")))
    out.append("")
    return "\n".join(out)
