"""Formatting tags in cue text, written in each subtitle format's own syntax.

Tokens keep the tags a subtitle file had on the words they format ("<i>Hello", "{\\an8}So"; see
:data:`aligner_core.text.MARKUP_RE`). SRT writes its own (``<i>``, ``<b>``, ``<u>``, ``<s>``,
``<font>``) and ASS overrides (``{\\an8}``, which SubRip players honour) as they are, and leaves
out WebVTT's ``<c>``, ``<v>`` and ``<lang>``. WebVTT knows ``<i>``, ``<b>``,
``<u>``, ``<c...>``, ``<v ...>``, ``<lang ...>`` and ruby, and shows anything else as literal text,
so other tags (``<font>``, ASS overrides) are left out there and everything else is escaped. ASS
has its own overrides: ``{\\...}`` blocks pass through, ``<i>``/``<b>``/``<u>``/``<s>`` and a
``<font color>`` become ``{\\i1}``... ``{\\c&HBBGGRR&}``, other tags are left out, and the text around
them is escaped.
"""

from __future__ import annotations

import re
from typing import Callable

from ..messages import Message, msg
from ..text import MARKUP_RE

__all__ = ["markup_to_srt", "markup_to_vtt", "markup_to_ass", "has_markup", "dropped_tags"]

_SRT_KEEP = re.compile(r"</?[ibus]>|<font\s[^<>]*>|</font>|\{\\[^{}]*\}", re.IGNORECASE)
_VTT_KEEP = re.compile(r"</?(?:[ibu]|c|v|lang|ruby|rt)(?:[.\s][^<>]*)?>", re.IGNORECASE)
_ASS_SIMPLE = {"i", "b", "u", "s"}
_COLOR = re.compile(r"""color\s*=\s*["']?#?([0-9a-fA-F]{6})\b""", re.IGNORECASE)


def has_markup(line: str) -> bool:
    return ("<" in line or "{" in line) and MARKUP_RE.search(line) is not None


def _convert(line: str, escape: Callable[[str], str], tag: Callable[[str], str | None]) -> tuple[str, int]:
    out: list[str] = []
    dropped = 0
    pos = 0
    for m in MARKUP_RE.finditer(line):
        out.append(escape(line[pos : m.start()]))
        converted = tag(m.group())
        if converted is None:
            dropped += 1
        else:
            out.append(converted)
        pos = m.end()
    out.append(escape(line[pos:]))
    return "".join(out), dropped


def markup_to_srt(line: str) -> tuple[str, int]:
    """The line for an SRT cue and how many tags SubRip players do not know (WebVTT's ``<c>``,
    ``<v>``, ``<lang>``, ``<span>``): those are left out rather than shown as text."""

    def tag(t: str) -> str | None:
        return t if _SRT_KEEP.fullmatch(t) else None

    return _convert(line, lambda text: text, tag)


def markup_to_vtt(line: str, escape: Callable[[str], str]) -> tuple[str, int]:
    """The line for a VTT cue (text escaped with ``escape``) and how many tags VTT cannot show."""

    def tag(t: str) -> str | None:
        return t if _VTT_KEEP.fullmatch(t) else None

    return _convert(line, escape, tag)


def markup_to_ass(line: str, escape: Callable[[str], str]) -> tuple[str, int]:
    """The line for an ASS event (text escaped with ``escape``) and how many tags were left out."""

    def tag(t: str) -> str | None:
        if t.startswith("{"):
            return t
        closing = t.startswith("</")
        name = re.match(r"</?([A-Za-z]+)", t).group(1).lower()  # type: ignore[union-attr]
        if name in _ASS_SIMPLE:
            return f"{{\\{name}{0 if closing else 1}}}"
        if name == "font":
            if closing:
                return "{\\c}"
            m = _COLOR.search(t)
            if m:
                rgb = m.group(1).upper()
                return f"{{\\c&H{rgb[4:6]}{rgb[2:4]}{rgb[0:2]}&}}"  # ASS colours are blue, green, red
        return None

    return _convert(line, escape, tag)


def dropped_tags(count: int, fmt: str) -> Message:
    return msg("export_tags_dropped", count=count, format=fmt)
