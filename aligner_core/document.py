"""The document model: tokens with surface text and times, cues over token ranges.

Times are integer milliseconds (``None`` means "not aligned"); seconds appear only at the
edges (formats, CLI). Tokens and cues are immutable values; the :class:`Document` holding
them is changed only through edit objects (:mod:`aligner_core.edits`), which keeps undo exact
and lets views refresh just the indices an edit reports.
"""

from __future__ import annotations

import bisect
import enum
import re
from dataclasses import dataclass, field, replace
from typing import Iterable, Iterator, Sequence

from .messages import Message, msg


class Flag(enum.IntFlag):
    """Warnings an aligner (or the model's own checks) attach to a token."""

    NONE = 0
    LOW_CONFIDENCE = 1 << 0
    ZERO_DURATION = 1 << 1  # start == end after alignment
    EQUAL_STARTS = 1 << 2  # part of a run of tokens given the same start
    INTERPOLATED = 1 << 3  # times were filled in / repaired, not measured
    CLAMPED = 1 << 4  # the aligner put it outside the audio or its window
    NOT_FOUND = 1 << 5  # the aligner could not find the word in the audio
    GUESSED_PRONUNCIATION = 1 << 6  # not in the dictionary: letter-to-sound guess
    COLLAPSED = 1 << 7  # part of a chunk that collapsed and was redone
    EDITED = 1 << 8  # text changed since the last alignment
    DRAFT = 1 << 9  # written by a recogniser (aligner_core.transcribe) and not yet reviewed by a person


class Break(enum.IntEnum):
    """What the transcript had *before* a token: a hint for cue segmentation."""

    NONE = 0
    LINE = 1  # a line break the user wrote
    PARAGRAPH = 2  # a blank line


@dataclass(frozen=True)
class Phone:
    """One phone (or a backend's sub-word unit) of a word: its label and times in ms.

    The labels of a word's phones, in order, are the pronunciation the aligner used (the
    lexicon's reading, or its letter-to-sound guess), e.g. ``("AE", "N", "D")``.
    """

    label: str
    start: int
    end: int


#: the shortest a phone is made by moving its word's edge or a boundary next to it (one decoder
#: frame), unless the word itself is too short to give every phone that much
MIN_PHONE_MS = 10


def fit_phones(phones: tuple[Phone, ...], start: int | None, end: int | None) -> tuple[Phone, ...]:
    """``phones`` made to tile exactly ``[start, end]``: the one rule for a word's phone tier.

    A word's outer phone edges are its own edges. When a word moves as a whole (both edges by
    the same amount) its phones move with it. When only an edge moves (a drag, a refinement),
    the outer phone edge follows and the inner boundaries stay where they were measured; an
    edge that passes them pushes them along, leaving each phone it pushes
    :data:`MIN_PHONE_MS` (less only when the word is too short for that). Inner boundaries
    are measurements: rescaling them all because one edge was corrected would move every one.
    A word without times has no phones.
    """
    if not phones or start is None or end is None:
        return ()
    first, last = phones[0].start, phones[-1].end
    if first == start and last == end:
        return phones
    if end - start == last - first:
        delta = start - first
        return tuple(Phone(p.label, p.start + delta, p.end + delta) for p in phones)
    n = len(phones)
    room = min(MIN_PHONE_MS, max(0, end - start) // n)
    # bounds and measured times both rise with k, so the clamped boundaries stay in order
    inner = [min(max(p.start, start + k * room), end - (n - k) * room) for k, p in enumerate(phones) if k]
    edges = [start, *inner, end]
    return tuple(Phone(p.label, a, b) for p, a, b in zip(phones, edges, edges[1:]))


def move_phone_boundary(phones: tuple[Phone, ...], part: int, ms: int) -> tuple[Phone, ...]:
    """``phones`` with the inner boundary between ``part - 1`` and ``part`` at ``ms``: the one
    rule for a phone boundary drag (the edit and the timeline's preview both use it). Only the
    two phones that share it change; ``ms`` is expected inside them (callers check or clamp)."""
    left, right = phones[part - 1], phones[part]
    return (*phones[: part - 1], Phone(left.label, left.start, int(ms)), Phone(right.label, int(ms), right.end), *phones[part + 1 :])


@dataclass(frozen=True)
class Token:
    """One alignable unit: an English word, one CJK character, ...

    ``text`` is what the user wrote (punctuation, case, digits, CJK punctuation kept);
    ``units`` is what aligners see (normalised: lower case, no punctuation; a number stays
    its digits here and is expanded to words by backends that need it). ``sep`` is the text
    that joins this token to the previous one when a line is rendered ("" for CJK).
    """

    text: str
    units: tuple[str, ...] = ()
    start: int | None = None
    end: int | None = None
    confidence: float | None = None
    flags: int = 0
    locked: bool = False
    sep: str = " "
    brk: int = Break.NONE
    #: the word's phones (its pronunciation as aligned), tiling ``[start, end]``; () when unknown
    phones: tuple[Phone, ...] = ()

    #: read by the tokenizer's fast constructor: without phones, __post_init__ does nothing
    POST_INIT_ONLY_FOR_PHONES = True

    def __post_init__(self) -> None:
        # every way a token gets new times (edits, shifts, refinements, loads) keeps its phone
        # tier on the word: one place instead of a copy of the rule in every edit
        if self.phones:
            fitted = fit_phones(self.phones, self.start, self.end)
            if fitted is not self.phones:
                object.__setattr__(self, "phones", fitted)

    @property
    def aligned(self) -> bool:
        return self.start is not None and self.end is not None

    def with_times(self, start: int | None, end: int | None) -> "Token":
        return replace(self, start=start, end=end)


@dataclass(frozen=True)
class Cue:
    """A subtitle: tokens ``first..last`` (inclusive) shown from ``start`` to ``end``.

    ``line_starts`` holds offsets (relative to ``first``) of the tokens that begin a new line
    after the first one, so line layout survives token inserts elsewhere. Cue times are the
    cue's own (a cue may stay on screen after its last word ends); ``None`` means "take them
    from the words".
    """

    first: int
    last: int
    start: int | None = None
    end: int | None = None
    line_starts: tuple[int, ...] = ()
    #: what a recogniser said of the speech (aligner_core.transcribe): its language code and the
    #: emotion it heard ("HAPPY", "SAD", ...); None when nobody said
    language: str | None = None
    emotion: str | None = None
    #: per-cue placement overrides (ASS's ``\\an1..9`` numpad alignment and ``\\pos(x,y)`` in script
    #: pixels) and ASS style name; None: the profile's default. See :data:`CUE_LOOK`
    align: int | None = None
    pos: tuple[int, int] | None = None
    style: str | None = None

    def token_range(self) -> range:
        return range(self.first, self.last + 1)

    def shifted(self, delta: int) -> "Cue":
        return replace(self, first=self.first + delta, last=self.last + delta)


#: the emotions a recogniser tags speech with (SenseVoiceSmall's set): what a cue's ``emotion`` holds,
#: and the only words a subtitle file's emotion tag is read back as (never "[APPLAUSE]" or an actor)
EMOTIONS = ("HAPPY", "SAD", "ANGRY", "FEARFUL", "DISGUSTED", "SURPRISED", "NEUTRAL")


#: the Cue fields that say how a cue is shown rather than what it says: a cue cut in two or merged
#: keeps the first part's look, as a subtitle editor's split and join do
CUE_LOOK = ("align", "pos", "style")


def look_problem(align: object, pos: object, style: object) -> str | None:
    """What is wrong with a cue's look overrides, as a phrase (None when they are sound)."""
    if align is not None and not (type(align) is int and 1 <= align <= 9):
        return f"alignment {align!r} is not 1..9 (the numpad positions)"
    if pos is not None and not (
        isinstance(pos, tuple) and len(pos) == 2 and all(type(v) is int and 0 <= v <= 100_000 for v in pos)
    ):
        return f"position {pos!r} is not two whole non-negative pixel coordinates"
    if style is not None and not (type(style) is str and style.strip() == style and style and not _STYLE_BAD.search(style)):
        return f"style name {style!r} is empty or has a comma, a brace or a line break"
    return None


_STYLE_BAD = re.compile(r"[,{}\r\n]")


@dataclass(frozen=True)
class Annotation:
    """One interval (``start < end``) or point (``start == end``) of an annotation tier, in ms."""

    start: int
    end: int
    label: str = ""


@dataclass(frozen=True)
class Tier:
    """A user-defined annotation tier (a researcher's own layer: gestures, notes, prosody).

    Interval tiers hold ordered, non-overlapping intervals; point tiers (``points``) ordered points
    at distinct times. Independent of the words: editing words never moves them.
    """

    name: str
    items: tuple[Annotation, ...] = ()
    points: bool = False


#: tier names the TextGrid reader takes as the document's own tiers, never as annotation tiers
RESERVED_TIER_NAMES = ("words", "word", "wörter", "mots", "cues", "subtitles", "utterances", "sentences")


def tier_name_problem(name: object, others: Iterable[str] = ()) -> Message | None:
    """What is wrong with a tier name (None: fine). ``others``: the names of the other tiers."""
    if type(name) is not str or not name.strip() or name != name.strip() or "\n" in name:
        return msg("tier_name_bad", name=str(name))
    low = name.lower()
    if low in RESERVED_TIER_NAMES or low.endswith(("- words", "phones", "phone")):
        return msg("tier_name_reserved", name=name)
    if low in (o.lower() for o in others):
        return msg("tier_name_taken", name=name)
    return None


def tier_problems(tiers: Sequence[Tier], duration_ms: int | None) -> list[str]:
    out: list[str] = []
    names: list[str] = []
    for k, tier in enumerate(tiers):
        if not isinstance(tier, Tier):
            out.append(f"tier {k} is not a tier")
            continue
        bad = tier_name_problem(tier.name, names)
        if bad:
            out.append(f"tier {k}: {bad}")  # English: problems are for logs and the CLI
        names.append(tier.name)
        prev: Annotation | None = None
        for j, a in enumerate(tier.items):
            where = f"tier {tier.name!r} item {j}"
            if not (isinstance(a, Annotation) and type(a.start) is int and type(a.end) is int and type(a.label) is str):
                out.append(f"{where} is not (start ms, end ms, label)")
                continue
            if a.start < 0 or (duration_ms is not None and a.end > duration_ms):
                out.append(f"{where} lies outside the audio ({a.start}..{a.end} ms)")
            if (a.start != a.end) if tier.points else (a.start >= a.end):
                out.append(f"{where} {'is not a point' if tier.points else 'is empty or ends before it starts'}")
            if prev is not None and (a.start <= prev.start if tier.points else a.start < prev.end):
                out.append(f"{where} overlaps or precedes the item before it")
            prev = a
    return out


class InvariantError(ValueError):
    """The document would break one of its invariants (order, overlap, bounds)."""


@dataclass
class Document:
    tokens: list[Token] = field(default_factory=list)
    cues: list[Cue] = field(default_factory=list)
    duration_ms: int | None = None
    language: str = "en"
    revision: int = 0
    #: stretches of speech or music no word covers ((start_ms, end_ms), sorted, apart): what an
    #: alignment found the transcript leaves out, kept so the editor can show and transcribe them
    untranscribed: list[tuple[int, int]] = field(default_factory=list)
    #: the user's own annotation tiers (saved in the project, written to TextGrid after the words)
    tiers: list[Tier] = field(default_factory=list)

    # -- equality ignores the revision: it counts changes, it is not content -----------------
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Document):
            return NotImplemented
        return (
            self.tokens == other.tokens
            and self.cues == other.cues
            and self.duration_ms == other.duration_ms
            and self.language == other.language
            and self.untranscribed == other.untranscribed
            and self.tiers == other.tiers
        )

    __hash__ = None  # type: ignore[assignment]

    def copy(self) -> "Document":
        return Document(list(self.tokens), list(self.cues), self.duration_ms, self.language, self.revision, list(self.untranscribed), list(self.tiers))

    # -- text ------------------------------------------------------------------------------------
    def join(self, first: int, last: int) -> str:
        """Surface text of tokens first..last joined with their separators."""
        parts: list[str] = []
        for i in range(first, last + 1):
            tok = self.tokens[i]
            if parts:
                parts.append(tok.sep)
            parts.append(tok.text)
        return "".join(parts)

    def cue_line_tokens(self, cue: Cue) -> list[tuple[int, int]]:
        """The cue's lines as (first, last) token indices, following its line layout."""
        starts = [0] + [o for o in cue.line_starts if 0 < o <= cue.last - cue.first]
        bounds = starts + [cue.last - cue.first + 1]
        return [(cue.first + a, cue.first + b - 1) for a, b in zip(bounds, bounds[1:]) if b > a]

    def cue_lines(self, cue: Cue) -> list[str]:
        """The cue's text as lines, following its line layout."""
        return [self.join(first, last) for first, last in self.cue_line_tokens(cue)]

    def cue_text(self, cue: Cue) -> str:
        return "\n".join(self.cue_lines(cue))

    # -- times -----------------------------------------------------------------------------------
    def cue_times(self, cue: Cue) -> tuple[int | None, int | None]:
        """The cue's own times, falling back to its first/last aligned word."""
        start, end = cue.start, cue.end
        if start is None:
            start = next((t.start for t in self.tokens[cue.first : cue.last + 1] if t.start is not None), None)
        if end is None:
            end = next((t.end for t in reversed(self.tokens[cue.first : cue.last + 1]) if t.end is not None), None)
        return start, end

    def cue_index_of(self, token_index: int) -> int | None:
        """Index of the cue holding a token (binary search; cues are ordered)."""
        lo, hi = 0, len(self.cues)
        while lo < hi:
            mid = (lo + hi) // 2
            cue = self.cues[mid]
            if cue.last < token_index:
                lo = mid + 1
            elif cue.first > token_index:
                hi = mid
            else:
                return mid
        return None

    def aligned_neighbours(self, index: int) -> tuple[int | None, int | None]:
        """Indices of the nearest aligned tokens before and after ``index``."""
        prev = next((j for j in range(index - 1, -1, -1) if self.tokens[j].aligned), None)
        nxt = next((j for j in range(index + 1, len(self.tokens)) if self.tokens[j].aligned), None)
        return prev, nxt

    def time_bounds(self, index: int) -> tuple[int, int]:
        """The window a token's times may move in without crossing an aligned neighbour."""
        prev, nxt = self.aligned_neighbours(index)
        lo = self.tokens[prev].end if prev is not None else 0
        hi = self.tokens[nxt].start if nxt is not None else (self.duration_ms if self.duration_ms is not None else 2**62)
        return int(lo), int(hi)  # type: ignore[arg-type]

    # -- invariants ------------------------------------------------------------------------------
    def problems(self) -> list[str]:
        """Every broken invariant, as readable sentences (empty when the document is sound)."""
        out: list[str] = []
        out += token_problems(self.tokens, self.duration_ms)
        out += cue_problems(self.cues, len(self.tokens), self.duration_ms)
        out += span_problems(self.untranscribed, self.duration_ms)
        out += tier_problems(self.tiers, self.duration_ms)
        return out

    def check(self) -> None:
        problems = self.problems()
        if problems:
            raise InvariantError("; ".join(problems[:5]) + (f" (+{len(problems) - 5} more)" if len(problems) > 5 else ""))

    def iter_aligned(self) -> Iterator[tuple[int, Token]]:
        return ((i, t) for i, t in enumerate(self.tokens) if t.aligned)


def token_problems(tokens: Sequence[Token], duration_ms: int | None, offset: int = 0) -> list[str]:
    out: list[str] = []
    prev_end: int | None = None
    prev_i = -1
    for i, tok in enumerate(tokens, start=offset):
        if (tok.start is None) != (tok.end is None):
            out.append(f"token {i} has only one of start/end")
            continue
        if tok.start is None or tok.end is None:
            continue
        if tok.start < 0:
            out.append(f"token {i} starts before 0 ({tok.start} ms)")
        if tok.start > tok.end:
            out.append(f"token {i} starts after it ends ({tok.start} > {tok.end} ms)")
        if duration_ms is not None and tok.end > duration_ms:
            out.append(f"token {i} ends after the audio ({tok.end} > {duration_ms} ms)")
        if prev_end is not None and tok.start < prev_end:
            out.append(f"token {i} overlaps token {prev_i} ({tok.start} < {prev_end} ms)")
        if tok.confidence is not None and not (0.0 <= tok.confidence <= 1.0):
            out.append(f"token {i} confidence {tok.confidence} outside [0, 1]")
        if tok.phones and not _phones_tile(tok.phones):
            out.append(f"token {i} has phones that are out of order or not contiguous")
        prev_end, prev_i = tok.end, i
    return out


def _phones_tile(phones: tuple[Phone, ...]) -> bool:
    return all(isinstance(p, Phone) and type(p.label) is str and p.label and p.start <= p.end for p in phones) and all(
        a.end == b.start for a, b in zip(phones, phones[1:])
    )


def cue_problems(cues: Sequence[Cue], n_tokens: int, duration_ms: int | None) -> list[str]:
    out: list[str] = []
    prev: Cue | None = None
    for c, cue in enumerate(cues):
        if not (0 <= cue.first <= cue.last < n_tokens):
            out.append(f"cue {c} token range {cue.first}..{cue.last} outside 0..{n_tokens - 1}")
        if any(not (0 < o <= cue.last - cue.first) for o in cue.line_starts) or list(cue.line_starts) != sorted(set(cue.line_starts)):
            out.append(f"cue {c} has a bad line layout {cue.line_starts}")
        if prev is not None and cue.first <= prev.last:
            out.append(f"cue {c} shares tokens with cue {c - 1}")
        if cue.start is not None and cue.end is not None and cue.start > cue.end:
            out.append(f"cue {c} starts after it ends")
        if cue.start is not None and cue.start < 0:
            out.append(f"cue {c} starts before 0")
        if duration_ms is not None and cue.end is not None and cue.end > duration_ms:
            out.append(f"cue {c} ends after the audio")
        if prev is not None and prev.end is not None and cue.start is not None and cue.start < prev.end:
            out.append(f"cue {c} overlaps cue {c - 1} in time")
        look = look_problem(cue.align, cue.pos, cue.style)
        if look:
            out.append(f"cue {c}: {look}")
        prev = cue
    return out


def span_problems(spans: Sequence[tuple[int, int]], duration_ms: int | None) -> list[str]:
    out: list[str] = []
    prev_end: int | None = None
    for k, span in enumerate(spans):
        if not (isinstance(span, tuple) and len(span) == 2 and all(type(v) is int for v in span)):
            out.append(f"untranscribed span {k} is not a (start, end) pair of milliseconds")
            continue
        a, b = span
        if not 0 <= a < b:
            out.append(f"untranscribed span {k} ({a}..{b} ms) is empty or starts before 0")
        if duration_ms is not None and b > duration_ms:
            out.append(f"untranscribed span {k} ends after the audio ({b} > {duration_ms} ms)")
        if prev_end is not None and a < prev_end:
            out.append(f"untranscribed span {k} overlaps or precedes span {k - 1}")
        prev_end = b
    return out


def normalize_spans(spans: Iterable[Sequence[int]], duration_ms: int | None = None) -> list[tuple[int, int]]:
    """Spans as the document keeps them: clipped to the audio, empty ones dropped, sorted, and
    overlapping or touching ones merged (an aligner's per-chunk findings may meet at a seam)."""
    out: list[tuple[int, int]] = []
    for a, b in sorted((max(0, int(a)), int(b) if duration_ms is None else min(int(b), duration_ms)) for a, b in spans):
        if b <= a:
            continue
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def spans_overlapping(spans: Sequence[tuple[int, int]], lo_ms: float, hi_ms: float) -> range:
    """Indices of the (sorted, apart) spans that reach into ``[lo_ms, hi_ms]``: what a view draws,
    or what a selection (a point, when ``lo_ms == hi_ms``) is on."""
    ends = [b for _, b in spans]
    first = bisect.bisect_left(ends, lo_ms)
    last = bisect.bisect_right([a for a, _ in spans], hi_ms, lo=first)
    return range(first, max(first, last))


def tokens_text(tokens: Iterable[Token]) -> str:
    """Surface text of a run of tokens joined by their separators."""
    parts: list[str] = []
    for tok in tokens:
        if parts:
            parts.append(tok.sep)
        parts.append(tok.text)
    return "".join(parts)
