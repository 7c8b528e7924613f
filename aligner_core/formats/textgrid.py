"""Praat TextGrid: written in the long text format, read in long or short text format.

Written: an interval tier ``words`` (one interval per aligned word), when words have phones an
interval tier ``phones`` (MFA's layout: the pronunciation as aligned, one interval per phone,
inside the word tier's intervals), and an interval tier ``cues`` (one per cue, lines joined by a
newline inside the string), each tiled from xmin to xmax with empty intervals over the gaps, as
Praat requires. Quotes are escaped by doubling. Praat cannot hold a zero-length interval or a
word without times; those words are left out of the word tier (reported) and stay in the cue
tier's text; a zero-length phone is left out of the phone tier (its neighbours tile the word).
``ExportOptions.bare_word_labels`` writes word labels without the punctuation at their edges
("Americans," -> "Americans"; "don't" keeps its apostrophe), as phonetic tools expect.

Read like Praat reads text files: a stream of numbers, strings and ``<exists>`` flags, with
labels (``xmin =``, ``intervals [3]:``) skipped, so both long and short files parse. Point
tiers (TextTier) are read and kept out of the way.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, field

from ..messages import msg
from .common import ExportOptions, ExportPlan, FormatError, Problem, SubtitleCue, WordRecord, _ranges, normalize_newlines, seconds_to_ms, without_bom

__all__ = ["TextGrid", "Tier", "Interval", "render_textgrid", "parse_textgrid", "seconds_str", "SILENCE_LABELS"]

# What aligners put in the word tier for silence: not words (unless the cue text has them).
SILENCE_LABELS = frozenset({"sil", "sp", "<eps>", "<sil>", "#", "<p:>"})


@dataclass(frozen=True)
class Interval:
    start_ms: int
    end_ms: int
    text: str


@dataclass
class Tier:
    name: str
    kind: str  # "IntervalTier" or "TextTier"
    xmin_ms: int
    xmax_ms: int
    intervals: list[Interval] = field(default_factory=list)  # a TextTier's points have start == end

    def words(self) -> list[WordRecord]:
        """Labelled intervals as words (silence labels included: see ``SILENCE_LABELS``)."""
        return [WordRecord(iv.text.strip(), iv.start_ms, iv.end_ms) for iv in self.intervals if iv.text.strip()]

    def cues(self) -> list[SubtitleCue]:
        return [SubtitleCue(iv.start_ms, iv.end_ms, _clean_cue_text(iv.text)) for iv in self.intervals if iv.text.strip()]


@dataclass
class TextGrid:
    xmin_ms: int
    xmax_ms: int
    tiers: list[Tier]

    def tier(self, *names: str) -> Tier | None:
        """The first interval tier whose name matches one of ``names`` (case-insensitive)."""
        wanted = [n.lower() for n in names]
        for want in wanted:
            for t in self.tiers:
                if t.kind == "IntervalTier" and t.name.strip().lower() == want:
                    return t
        return None


def _clean_cue_text(text: str) -> str:
    return "\n".join(ln.strip() for ln in normalize_newlines(text).split("\n") if ln.strip())


# -- writing ----------------------------------------------------------------------------------------


def seconds_str(ms: int) -> str:
    """Milliseconds as the shortest exact decimal seconds: 1500 -> "1.5", 0 -> "0"."""
    sign = "-" if ms < 0 else ""
    whole, frac = divmod(abs(int(ms)), 1000)
    return f"{sign}{whole}" if not frac else f"{sign}{whole}.{frac:03d}".rstrip("0")


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _tile(items: list[tuple[int, int, str]], xmin: int, xmax: int) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    cursor = xmin
    for s, e, text in items:
        if s > cursor:
            out.append((cursor, s, ""))
        out.append((s, e, text))
        cursor = e
    if xmax > cursor:
        out.append((cursor, xmax, ""))
    return out


def _tier_lines(index: int, name: str, items: list[tuple[int, int, str]], xmin: int, xmax: int) -> list[str]:
    tiled = _tile(items, xmin, xmax)
    out = [
        f"    item [{index}]:",
        '        class = "IntervalTier" ',
        f"        name = {_quote(name)} ",
        f"        xmin = {seconds_str(xmin)} ",
        f"        xmax = {seconds_str(xmax)} ",
        f"        intervals: size = {len(tiled)} ",
    ]
    for k, (s, e, text) in enumerate(tiled, start=1):
        out += [
            f"        intervals [{k}]:",
            f"            xmin = {seconds_str(s)} ",
            f"            xmax = {seconds_str(e)} ",
            f"            text = {_quote(text)} ",
        ]
    return out


def _point_tier_lines(index: int, name: str, points: list[tuple[int, str]], xmin: int, xmax: int) -> list[str]:
    out = [
        f"    item [{index}]:",
        '        class = "TextTier" ',
        f"        name = {_quote(name)} ",
        f"        xmin = {seconds_str(xmin)} ",
        f"        xmax = {seconds_str(xmax)} ",
        f"        points: size = {len(points)} ",
    ]
    for k, (t, mark) in enumerate(points, start=1):
        out += [f"        points [{k}]:", f"            number = {seconds_str(t)} ", f"            mark = {_quote(mark)} "]
    return out


_EDGE_PUNCTUATION = re.compile(r"^[\W_]+|[\W_]+$")


def bare_label(text: str) -> str:
    """A word label without the punctuation and symbols at its edges; a word that is nothing
    else (a dash) keeps its text, so no word disappears from the tier."""
    return _EDGE_PUNCTUATION.sub("", text) or text


def render_textgrid(plan: ExportPlan, options: ExportOptions, karaoke: bool = False) -> str:  # noqa: ARG001
    words: list[tuple[int, int, str]] = []
    phones: list[tuple[int, int, str]] = []
    untimed: list[int] = []
    zero: list[int] = []
    overlapping: list[int] = []
    cursor = 0
    for w in plan.words:
        if w.start is None or w.end is None:
            untimed.append(w.index)
            continue
        s = max(w.start, cursor)
        if s >= w.end:
            (zero if w.start == w.end else overlapping).append(w.index)
            continue
        words.append((s, w.end, bare_label(w.text) if options.bare_word_labels else w.text))
        phones.extend((max(p.start, s), p.end, p.label) for p in w.phones if p.end > max(p.start, s))
        cursor = w.end
    plan.words_written = len(words)
    if untimed:
        plan.problems.append(Problem(msg("export_tier_untimed", count=len(untimed), ranges=_ranges(untimed))))
    if zero:
        plan.problems.append(Problem(msg("export_tier_zero", count=len(zero), ranges=_ranges(zero))))
    if overlapping:
        plan.problems.append(Problem(msg("export_tier_overlapping", count=len(overlapping), ranges=_ranges(overlapping))))
    cues: list[tuple[int, int, str]] = []
    cursor = 0
    for cue in plan.cues:
        s = max(cue.start, cursor)
        if s >= cue.end:
            plan.problems.append(Problem(msg("export_tier_inside"), cue.number, blocking=True, action=msg("action_left_out") if options.fix else None))
            continue
        if s != cue.start:
            plan.problems.append(Problem(msg("export_tier_overlap_cue", start=s), cue.number))
        cues.append((s, cue.end, cue.text))
        cursor = cue.end
    xmin = 0
    xmax = max([e for _, e, _ in words] + [e for _, e, _ in cues] + [a.end for t in plan.tiers for a in t.items] + [0])
    if plan.duration_ms is not None:
        xmax = max(xmax, plan.duration_ms)
    if xmax <= xmin:
        xmax = xmin + 1  # Praat needs xmax > xmin even for an empty grid
    out = [
        'File type = "ooTextFile"',
        'Object class = "TextGrid"',
        "",
        f"xmin = {seconds_str(xmin)} ",
        f"xmax = {seconds_str(xmax)} ",
        "tiers? <exists> ",
        f"size = {(3 if phones else 2) + len(plan.tiers)} ",
        "item []: ",
    ]
    out += _tier_lines(1, "words", words, xmin, xmax)
    if phones:
        out += _tier_lines(2, "phones", phones, xmin, xmax)
    out += _tier_lines(3 if phones else 2, "cues", cues, xmin, xmax)
    for k, tier in enumerate(plan.tiers, start=4 if phones else 3):  # the user's own tiers come last
        if tier.points:
            out += _point_tier_lines(k, tier.name, [(a.start, a.label) for a in tier.items], xmin, xmax)
        else:
            out += _tier_lines(k, tier.name, [(a.start, a.end, a.label) for a in tier.items], xmin, xmax)
    out.append("")
    return "\n".join(out)


# -- reading ----------------------------------------------------------------------------------------

_TOKEN = re.compile(
    r'"(?P<str>(?:[^"]|"")*)"'  # a string, "" is a quote; may span lines
    r"|(?P<flag><exists>|<absent>)"
    r"|(?P<num>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)(?![\w.])"
    r'|(?P<bad>")'  # an unclosed string
    r"|(?:[A-Za-z_?:=]|\s|\[[^\]\n]*\]|![^\n]*)+"  # labels (xmin =, intervals [3]:), "!" comments
    r"|(?P<junk>\S)"
)


class _Stream:
    """Praat's text-file reading: numbers, strings and flags in order, labels skipped."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._newlines: list[int] | None = None
        self.items: list[tuple[str, object, int]] = []  # kind, value, offset in text
        append = self.items.append
        for m in _TOKEN.finditer(text):
            kind = m.lastgroup
            if kind is None or kind == "junk":  # labels; Praat skips stray characters too
                continue
            if kind == "str":
                append(("str", m.group("str").replace('""', '"'), m.start()))
            elif kind == "num":
                append(("num", float(m.group("num")), m.start()))
            elif kind == "flag":
                append(("flag", m.group("flag"), m.start()))
            else:
                raise FormatError(msg("textgrid_open_string"), self.line_at(m.start()))
        self.k = 0

    def line_at(self, offset: int) -> int:
        if self._newlines is None:
            self._newlines = [m.start() for m in re.finditer("\n", self.text)]
        return bisect.bisect_left(self._newlines, offset) + 1

    def mark(self) -> int:
        """Where the next item is (an offset, turned into a line only for an error)."""
        return self.items[self.k][2] if self.k < len(self.items) else len(self.text.rstrip())

    def _next(self, kind: str, what: str) -> object:
        if self.k >= len(self.items):
            raise FormatError(msg("textgrid_ends_early", what=what), self.line_at(len(self.text.rstrip())))
        got, value, offset = self.items[self.k]
        if got != kind:
            shown = repr(value)[:60]
            raise FormatError(msg("textgrid_expected", what=what, found=shown), self.line_at(offset))
        self.k += 1
        return value

    def string(self, what: str) -> str:
        return self._next("str", what)  # type: ignore[return-value]

    def number(self, what: str) -> float:
        at = self.mark()
        value = self._next("num", what)
        if not math.isfinite(value):  # type: ignore[arg-type] - "1e309" reads as inf
            raise FormatError(msg("textgrid_not_finite", what=what), self.line_at(at))
        return value  # type: ignore[return-value]

    def count(self, what: str) -> int:
        at = self.mark()
        value = self.number(what)
        if value != int(value) or value < 0:
            raise FormatError(msg("textgrid_not_whole", what=what, value=value), self.line_at(at))
        return int(value)

    def flag(self) -> str | None:
        if self.k < len(self.items) and self.items[self.k][0] == "flag":
            self.k += 1
            return self.items[self.k - 1][1]  # type: ignore[return-value]
        return None


def parse_textgrid(text: str) -> TextGrid:
    text = normalize_newlines(without_bom(text))
    if text.lstrip().startswith("ooBinaryFile"):
        raise FormatError(msg("textgrid_binary"), 1)
    s = _Stream(text)
    if not s.items or s.items[0][0] != "str":
        raise FormatError(msg("textgrid_no_header"), 1)
    file_type = s.string('File type = "ooTextFile"')
    if not file_type.startswith("ooTextFile"):
        raise FormatError(msg("textgrid_file_type", type=file_type), 1)
    cls = s.string('Object class = "TextGrid"')
    if not cls.startswith("TextGrid"):
        raise FormatError(msg("textgrid_object_class", cls=cls), s.line_at(s.items[1][2]))
    xmin = seconds_to_ms(s.number("xmin"))
    xmax = seconds_to_ms(s.number("xmax"))
    tiers: list[Tier] = []
    if s.flag() == "<absent>":
        return TextGrid(xmin, xmax, tiers)
    n_tiers = s.count("the number of tiers")
    for _ in range(n_tiers):
        tier_at = s.mark()
        kind = s.string("a tier class")
        name = s.string("a tier name")
        t_min = seconds_to_ms(s.number("tier xmin"))
        t_max = seconds_to_ms(s.number("tier xmax"))
        n = s.count("the number of intervals")
        tier = Tier(name, kind, t_min, t_max)
        if kind == "IntervalTier":
            prev_end = None
            for _k in range(n):
                iv_at = s.mark()
                a = seconds_to_ms(s.number("interval xmin"))
                b = seconds_to_ms(s.number("interval xmax"))
                label = s.string("interval text")
                if b < a:
                    raise FormatError(msg("textgrid_interval_reversed", start=a, end=b), s.line_at(iv_at))
                if prev_end is not None and a < prev_end:
                    raise FormatError(msg("textgrid_interval_overlap", tier=name), s.line_at(iv_at))
                prev_end = b
                tier.intervals.append(Interval(a, b, label))
        elif kind == "TextTier":
            for _k in range(n):
                t = seconds_to_ms(s.number("point time"))
                mark = s.string("point mark")
                tier.intervals.append(Interval(t, t, mark))
        else:
            raise FormatError(msg("textgrid_tier_class", tier_class=kind), s.line_at(tier_at))
        tiers.append(tier)
    return TextGrid(xmin, xmax, tiers)
