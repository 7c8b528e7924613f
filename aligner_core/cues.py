"""Group aligned words into subtitle cues under a rule profile, and check cues against it.

Counting characters
    Every character counts 1: a CJK character is one character, not two columns (this is how
    Netflix's CJK guides count). Combining marks and zero-width characters count 0, so an
    accented letter typed in decomposed form still counts 1. Spaces count (Netflix counts
    them in the reading speed); line breaks do not: CPS is the characters of the cue's lines
    divided by its on-screen seconds.

Words
    Cues and lines break only between *words*. A word is a run of tokens glued together:
    a token joins the previous one when its separator is empty and neither side is CJK
    (``don`` + ``'t``), when it begins with closing punctuation (``好`` + ``。``, ``word`` + ``,``)
    or when the previous token ends with glued opening punctuation (``“`` + ``word``). A user
    break (``Token.brk``) always separates words. CJK characters are words on their own.

Segmentation
    Dynamic programming over word boundaries. ``cost[j+1] = min_i cost[i] + cue_cost(i..j)``
    where a cue ``i..j`` is a candidate only when it fits ``max_lines`` lines of
    ``max_chars_per_line`` (checked exactly with greedy line filling, which is optimal for
    "does it fit in k lines") and does not cross a hard break (``Break.PARAGRAPH`` always,
    ``Break.LINE`` when ``respect_line_breaks``). A single word is always a candidate, so a
    segmentation always exists. Because a cue's own cost depends only on ``i``, ``j`` and the
    start of the next aligned word after ``j`` (which is where the next cue starts), all the
    candidate costs are computed at once with numpy; the recurrence itself is a Python loop
    over at most ``max_lines * max_chars_per_line`` candidates per word: linear in the words.

    ``cue_cost`` is the sum of (see the ``_W_*`` constants below):

    - a constant per cue (prefer fewer, fuller cues);
    - the cost of the break after ``j``: sentence end 0 < clause punctuation < nothing, less a
      bonus for the pause that follows, plus a penalty for ending on an English article,
      preposition or conjunction (or starting on a Chinese particle such as 的, 了) and a bonus
      for breaking *before* a conjunction or preposition;
      a user line break that is not a hard boundary is the cheapest break of all;
    - the cost of what the cue spans: a sentence end inside (mild), a user line break inside
      (strong), silences inside longer than half a second (grows with the silence);
    - timing: words lasting longer than ``max_duration_ms`` (steep), an on-screen time shorter
      than ``min_duration_ms`` after extension, and reading speed above ``max_cps``.

    Timing terms apply to cues with aligned words only; unaligned runs are still grouped by
    length and punctuation, so no text is lost.

Cue times
    ``start`` is the first aligned word's start. ``end`` is the last aligned word's end,
    extended toward the time the cue needs (the larger of ``min_duration_ms`` and the time to
    read it at ``max_cps``, never beyond ``max_duration_ms`` unless the words themselves last
    longer) but never closer than ``min_gap_ms`` to the next cue. With ``close_gap_ms`` (Netflix
    style) a gap shorter than that is closed down to ``min_gap_ms``. With ``trim_to_gap`` a
    cue whose last word runs right up to the next cue ends ``min_gap_ms`` early (at most that
    much of its last word is cut) so the gap rule holds. Cues never overlap the next cue and
    never extend past ``Document.duration_ms``.

Line layout
    A cue gets the fewest lines its text fits in (user line breaks inside a cue that would fit
    one line still split it, up to ``max_lines``). With two lines every break point is tried;
    with more, a small DP. The cost is the squared length difference between lines, a bonus for
    breaking after punctuation (stronger after CJK punctuation, the only natural break point in
    unsegmented Chinese), before a conjunction/preposition (English) or at a user line break, a
    penalty after an article/preposition or before a Chinese particle, and a large penalty for
    a one-word line when the cue has more words than lines. Equal balance prefers the longer
    line at the bottom.

The functions here are pure: they read the document and return new values; applying cues is
the caller's job (``edits.ReplaceCues``).
"""

from __future__ import annotations

import enum
import math
import unicodedata
from dataclasses import dataclass, field
from operator import add
from typing import Iterable

import numpy as np

from .document import Break, Cue, Document, Token
from .messages import Message, msg
from .scripts import CLAUSE_END, SENTENCE_END, is_spaceless
from .text import strip_markup

__all__ = [
    "Profile",
    "PROFILES",
    "get_profile",
    "segment",
    "layout_lines",
    "Rule",
    "Violation",
    "check_cues",
    "check_cue",
    "display_len",
]


# -- profiles ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    """Rules for cues. Times in milliseconds; ``max_cps`` ``None`` means no reading-speed limit."""

    name: str
    title: str
    max_chars_per_line: int = 42
    max_lines: int = 2
    min_duration_ms: int = 1000
    max_duration_ms: int = 7000
    max_cps: float | None = 21.0
    min_gap_ms: int = 80
    respect_line_breaks: bool = True  # Break.LINE starts a new cue (else: strongly preferred break)
    close_gap_ms: int = 0  # gaps shorter than this are closed down to min_gap_ms (0: never)
    trim_to_gap: bool = True  # end a cue up to min_gap_ms before its last word ends to keep the gap

    def __post_init__(self) -> None:
        if self.max_chars_per_line < 1 or self.max_lines < 1:
            raise ValueError(f"profile {self.name!r}: max_chars_per_line and max_lines must be at least 1")
        if self.min_duration_ms < 0 or self.max_duration_ms <= 0 or self.min_gap_ms < 0 or self.close_gap_ms < 0:
            raise ValueError(f"profile {self.name!r}: durations and gaps must not be negative")
        if self.min_duration_ms > self.max_duration_ms:
            raise ValueError(f"profile {self.name!r}: min_duration_ms is above max_duration_ms")
        if self.max_cps is not None and self.max_cps <= 0:
            raise ValueError(f"profile {self.name!r}: max_cps must be positive (or None)")


_TWO_FRAMES_24 = 83  # 2 frames at 24 fps, rounded down so a 2-frame gap passes
_NETFLIX_MIN = 833  # 5/6 s (20 frames at 24 fps)

PROFILES: dict[str, Profile] = {
    p.name: p
    for p in (
        Profile("general", "General (English)", 42, 2, 1000, 7000, 21.0, 80),
        Profile("netflix-en", "Netflix-style English", 42, 2, _NETFLIX_MIN, 7000, 20.0, _TWO_FRAMES_24, close_gap_ms=500),
        Profile(
            "netflix-zh-hans", "Netflix-style Simplified Chinese", 16, 2, _NETFLIX_MIN, 7000, 9.0, _TWO_FRAMES_24, close_gap_ms=500
        ),
        Profile("one-line", "One line (English)", 42, 1, 1000, 7000, 21.0, 80),
        # Karaoke follows the lyric lines the user wrote; reading speed does not apply to singing.
        Profile("karaoke", "Karaoke (one lyric line per cue)", 60, 1, 500, 15000, None, 0),
    )
}


def get_profile(name: str) -> Profile:
    try:
        return PROFILES[name]
    except KeyError:
        raise KeyError(f"unknown cue profile {name!r}; known profiles: {', '.join(sorted(PROFILES))}") from None


# -- characters -------------------------------------------------------------------------------------

_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")


def display_len(text: str) -> int:
    """Characters as a subtitle rule counts them (CJK 1 each; combining and zero-width marks 0;
    formatting tags such as ``<i>`` or ``{\\an8}`` 0: the viewer never sees them)."""
    if "<" in text or "{" in text:
        text = strip_markup(text)
    if text.isascii():
        return len(text)
    return sum(1 for ch in text if not (unicodedata.combining(ch) or ch in _ZERO_WIDTH or 0xFE00 <= ord(ch) <= 0xFE0F))


# a line may break between two tokens with no space when either side is written without spaces
_is_cjk = is_spaceless


# Characters that may not begin a line (closing punctuation) or end one (opening punctuation).
_CLOSERS = frozenset(",.;:!?)]}»›”’\"'…、，。！？；：）」』】》〕〉〗〙〛・ー%")
_OPENERS = frozenset("([{«‹“‘\"'（「『【《〔〈〖〘〚")
_TRAILING_CLOSERS = "\"'”’)]}»›」』】》）〕〉"
_SENTENCE_END = SENTENCE_END
_CLAUSE_END = CLAUSE_END
_ABBREVIATIONS = frozenset({"mr.", "mrs.", "ms.", "dr.", "prof.", "st.", "sr.", "jr.", "vs.", "e.g.", "i.e.", "cf.", "approx."})

# English words a cue or line should not end on, and words it is good to break before.
_BREAK_BEFORE = frozenset(
    "and but or nor so yet because although though if when while that which who whom whose where unless until "
    "since as of in on at to for with from by about into onto over under after before between through during "
    "without within upon than like".split()
)
_WEAK_END = _BREAK_BEFORE | frozenset("a an the my your his her its our their this these those".split())
_ZH_CLINGY = frozenset("的了着过吗呢吧啊们地得么")
_STRIP = "\"'“”‘’()[]{}«».,;:!?…—–-"

_SENT, _CLAUSE, _NONE = 0, 1, 2

# -- costs (points) ---------------------------------------------------------------------------------
_W_CUE = 5.0  # every cue
_W_BREAK = (0.0, 3.0, 8.0)  # ending a cue after a sentence end / clause punctuation / nothing
_W_PAUSE_BONUS = 2.5  # per second of pause after the break (up to one second)
_W_WEAK_END = 3.0  # ending a cue or line on an article/preposition/conjunction
_W_BEFORE_CONJ = 1.0  # bonus for breaking before a conjunction/preposition
_W_USER_LINE_BREAK = -2.0  # breaking at a user line break that is not a hard boundary
_W_IN_SENTENCE_END = 2.0  # a sentence end inside a cue
_W_IN_USER_LINE = 6.0  # a user line break inside a cue
_W_IN_PAUSE = 6.0  # per second of silence inside a cue beyond _IN_PAUSE_FREE_MS
_IN_PAUSE_FREE_MS = 500
_W_TOO_LONG = 50.0  # words lasting longer than max_duration: base
_W_TOO_LONG_PER_S = 20.0  # ... and per second over
_W_TOO_SHORT = 10.0  # times the missing fraction of min_duration
_W_CPS = 30.0  # times the fraction above max_cps
_W_CPS_CAP = 60.0

_L_BREAK = (-3.0, -2.0, 0.0)  # line break after sentence end / clause punctuation / nothing
_L_CJK_PUNCT = 2.5  # CJK punctuation breaks weigh this much more against balance
_L_BALANCE = 20.0  # times ((len1 - len2) / max_chars)^2
_L_ORPHAN = 100.0  # a one-word line when the cue has more words than lines
_L_USER_LINE = -4.0
_L_TOP_HEAVY = 1e-3  # tie-break: prefer the longer line at the bottom

_BIG = 10**15  # "no next cue"


# -- words ------------------------------------------------------------------------------------------


@dataclass
class _Words:
    """A token range grouped into unbreakable words, with the per-word arrays the DP needs."""

    first_tok: list[int]  # absolute index of each word's first token; plus one past the end
    length: np.ndarray  # display length of the word's own text (with its inner separators)
    sep: np.ndarray  # display length of the separator before the word
    start: np.ndarray  # first aligned start in the word, -1 if none
    end: np.ndarray  # last aligned end in the word, -1 if none
    brk: list[int]  # Break before the word (strongest over its tokens)
    kind: list[int]  # punctuation class of the break after the word
    weak: list[bool]  # word is an English article/preposition/conjunction
    before: list[bool]  # word is one it is good to break before (English)
    clingy: list[bool]  # word should not begin a line or cue (Chinese particles such as 的, 了)
    cjk_end: list[bool]  # word ends with a CJK character or CJK punctuation

    @property
    def count(self) -> int:
        return len(self.first_tok) - 1


def _end_kind(text: str, english: bool) -> int:
    core = text.rstrip(_TRAILING_CLOSERS)
    if not core:
        return _NONE
    if core.endswith("...") or core.endswith("…") or core.endswith("--"):
        return _CLAUSE  # trailing off: a pause in the sentence, not its end
    last = core[-1]
    if last in _SENTENCE_END:
        if english and last == ".":
            low = core.lower().lstrip(_STRIP.replace(".", ""))
            if low in _ABBREVIATIONS or (len(core) == 2 and core[0].isupper()):
                return _NONE  # "Mr." or an initial "J."
        return _SENT
    if last in _CLAUSE_END:
        return _CLAUSE
    return _NONE


def _glued(prev: Token, tok: Token) -> bool:
    """True when no break is allowed between prev and tok (they belong to one word)."""
    if tok.brk != Break.NONE:
        return False
    text = tok.text
    if not text:
        return True
    if text[0] in _CLOSERS and not (tok.sep and text[0] in "\"'"):
        return True
    if tok.sep:
        return False
    ptext = prev.text
    if ptext and ptext[-1] in _OPENERS:
        return True
    return not ((ptext and _is_cjk(ptext[-1])) or _is_cjk(text[0]))


def _words(doc: Document, first: int, last: int) -> _Words:
    tokens = doc.tokens
    english = doc.language.lower().startswith("en")
    first_tok: list[int] = []
    lengths: list[int] = []
    seps: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    brks: list[int] = []
    texts: list[str] = []
    prev: Token | None = None
    for i in range(first, last + 1):
        tok = tokens[i]
        tlen = display_len(tok.text)
        if prev is None or not _glued(prev, tok):
            first_tok.append(i)
            lengths.append(tlen)
            seps.append(display_len(tok.sep) if tok.sep else 0)
            starts.append(tok.start if tok.start is not None and tok.end is not None else -1)
            ends.append(tok.end if tok.start is not None and tok.end is not None else -1)
            brks.append(int(tok.brk))
            texts.append(tok.text)
        else:
            lengths[-1] += tlen + (display_len(tok.sep) if tok.sep else 0)
            texts[-1] += tok.sep + tok.text
            if tok.start is not None and tok.end is not None:
                if starts[-1] < 0:
                    starts[-1] = tok.start
                ends[-1] = tok.end
        prev = tok
    first_tok.append(last + 1)
    texts = [strip_markup(t) for t in texts]  # "Americans.</i>" still ends a sentence
    kinds = [_end_kind(t, english) for t in texts]
    if english:
        bare = [t.strip(_STRIP).lower() for t in texts]
        weak = [b in _WEAK_END for b in bare]
        before = [b in _BREAK_BEFORE for b in bare]
    else:
        weak = before = [False] * len(texts)
    if doc.language.lower().startswith("zh"):
        clingy = [bool(t) and t[0] in _ZH_CLINGY for t in texts]
    else:
        clingy = [False] * len(texts)
    return _Words(
        first_tok,
        np.asarray(lengths, dtype=np.int64),
        np.asarray(seps, dtype=np.int64),
        np.asarray(starts, dtype=np.int64),
        np.asarray(ends, dtype=np.int64),
        brks,
        kinds,
        weak,
        before,
        clingy,
        [bool(t) and _is_cjk(t[-1]) for t in texts],
    )


# -- timing -----------------------------------------------------------------------------------------


def _cue_end(s: np.ndarray, e: np.ndarray, chars: np.ndarray, nxt: np.ndarray, profile: Profile, cap: int | None) -> np.ndarray:
    """On-screen end of cues whose words run s..e, given the next cue's start (``_BIG``: none)."""
    need = np.full(s.shape, profile.min_duration_ms, dtype=np.int64)
    if profile.max_cps is not None:
        need = np.maximum(need, np.ceil(chars * (1000.0 / profile.max_cps)).astype(np.int64))
    target = np.maximum(e, s + need)
    soft = nxt - profile.min_gap_ms  # latest end that keeps the gap
    if profile.close_gap_ms > 0:
        close = (nxt < _BIG) & (soft - target < profile.close_gap_ms)
        target = np.where(close, np.maximum(target, soft), target)
    target = np.minimum(target, np.maximum(e, s + profile.max_duration_ms))
    end = np.minimum(target, np.maximum(e, soft))
    if profile.trim_to_gap:
        end = np.where((end > soft) & (soft > s), soft, end)
    end = np.minimum(end, nxt)
    if cap is not None:
        end = np.minimum(end, cap)
    return np.maximum(end, s)


def _next_start_after(doc: Document, last: int) -> int:
    """Where whatever follows the range starts (``_BIG`` when nothing aligned follows)."""
    limit = _BIG
    for tok in doc.tokens[last + 1 :]:
        if tok.start is not None and tok.end is not None:
            limit = tok.start
            break
    k = doc.cue_index_of(last + 1) if last + 1 < len(doc.tokens) else None
    if k is not None and doc.cues[k].first > last:
        cue_start = doc.cue_times(doc.cues[k])[0]
        if cue_start is not None:
            limit = min(limit, cue_start)
    return limit


# -- segmentation -----------------------------------------------------------------------------------


def _next_line_start(w: _Words, width: int) -> np.ndarray:
    """For each word, the word greedy filling starts the next line with (at least one further)."""
    m = w.count
    cum = np.zeros(m + 1, dtype=np.int64)
    np.cumsum(w.length + w.sep, out=cum[1:])
    # a line i..k-1 fits when cum[k] - cum[i] - sep[i] <= width
    k = np.searchsorted(cum, width + cum[:m] + w.sep, side="right") - 1
    return np.maximum(k, np.arange(1, m + 1))


def segment(doc: Document, profile: Profile, first: int = 0, last: int | None = None) -> list[Cue]:
    """Cues covering tokens ``first..last`` (default: to the end), with line layout and times.

    Pure: the document is not changed. Tokens without times end up in cues too (times ``None``
    when none of a cue's tokens is aligned).
    """
    n = len(doc.tokens)
    if last is None:
        last = n - 1
    if n == 0 or last < first:
        return []
    if not (0 <= first <= last < n):
        raise IndexError(f"token range {first}..{last} outside 0..{n - 1}")

    w = _words(doc, first, last)
    m = w.count
    idx = np.arange(m)
    aligned = w.start >= 0

    hard = np.zeros(m, dtype=bool)
    hard[0] = True
    brk = np.asarray(w.brk, dtype=np.int64)
    hard |= brk >= Break.PARAGRAPH
    if profile.respect_line_breaks:
        hard |= brk >= Break.LINE
    block_start = np.maximum.accumulate(np.where(hard, idx, 0))

    # Which cues fit: greedy line filling from i reaches past j within max_lines lines.
    nls = np.append(_next_line_start(w, profile.max_chars_per_line), m)
    reach = idx
    for _ in range(profile.max_lines):
        reach = nls[reach]
    lo = np.maximum(np.searchsorted(reach, idx, side="right"), block_start)

    # First aligned word at or after each index / last aligned word at or before it.
    na = np.append(np.where(aligned, idx, m), m)
    na = np.minimum.accumulate(na[::-1])[::-1]
    pa = np.maximum.accumulate(np.where(aligned, idx, -1))
    range_next = _next_start_after(doc, last)
    starts_ext = np.append(w.start, range_next)
    next_start = starts_ext[na[1:]]  # where the cue after a cue ending at each word starts

    # Breaks: cost of ending a cue after word k, and of a cue running over that boundary.
    kind = np.asarray(w.kind, dtype=np.int64)
    ends_ok = aligned[:-1] & aligned[1:]
    pause = np.zeros(m, dtype=np.float64)
    pause[:-1] = np.where(ends_ok, np.maximum(w.start[1:] - w.end[:-1], 0), 0)
    base = np.asarray(_W_BREAK)[kind]
    bcost = base - _W_PAUSE_BONUS * np.minimum(pause, 1000.0) / 1000.0
    plain = kind == _NONE
    weak = np.asarray(w.weak, dtype=bool)
    before_next = np.zeros(m, dtype=bool)
    before_next[:-1] = np.asarray(w.before[1:], dtype=bool)
    clingy_next = np.zeros(m, dtype=bool)
    clingy_next[:-1] = np.asarray(w.clingy[1:], dtype=bool)
    bcost += np.where(plain & weak, _W_WEAK_END, 0.0) - np.where(plain & before_next, _W_BEFORE_CONJ, 0.0)
    bcost += np.where(plain & clingy_next, _W_WEAK_END, 0.0)
    user_line = np.zeros(m, dtype=bool)
    user_line[:-1] = brk[1:] == Break.LINE
    bcost = np.where(user_line, np.minimum(bcost, _W_USER_LINE_BREAK), bcost)
    inner = (
        np.where(kind == _SENT, _W_IN_SENTENCE_END, 0.0)
        + np.where(user_line, _W_IN_USER_LINE, 0.0)
        + _W_IN_PAUSE * np.maximum(pause - _IN_PAUSE_FREE_MS, 0.0) / 1000.0
    )
    forced = np.ones(m, dtype=bool)  # a cue ending here costs no break: range end or hard break next
    forced[:-1] = hard[1:]
    bcost[forced] = 0.0
    inner_cum = np.zeros(m + 1)
    np.cumsum(inner, out=inner_cum[1:])

    # Every candidate cue (i..j) at once.
    counts = idx - lo + 1
    offsets = np.zeros(m + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    total = int(offsets[-1])
    J = np.repeat(idx, counts)
    I = lo[J] + (np.arange(total) - offsets[J])
    cum = np.zeros(m + 1, dtype=np.int64)
    np.cumsum(w.length + w.sep, out=cum[1:])
    chars = cum[J + 1] - cum[I] - w.sep[I]
    cost = _W_CUE + bcost[J] + (inner_cum[J] - inner_cum[I])
    ai = na[I]
    has_time = ai <= J
    if has_time.any():
        sel = np.nonzero(has_time)[0]
        s = w.start[ai[sel]]
        e = w.end[pa[J[sel]]]
        end = _cue_end(s, e, chars[sel], next_start[J[sel]], profile, doc.duration_ms)
        shown = (end - s).astype(np.float64)
        spoken = (e - s).astype(np.float64)
        over = spoken - profile.max_duration_ms
        t = np.where((over > 0) & (I[sel] < J[sel]), _W_TOO_LONG + _W_TOO_LONG_PER_S * over / 1000.0, 0.0)
        if profile.min_duration_ms > 0:
            t += _W_TOO_SHORT * np.maximum(profile.min_duration_ms - shown, 0.0) / profile.min_duration_ms
        if profile.max_cps is not None:
            cps = chars[sel] * 1000.0 / np.maximum(shown, 1.0)
            t += np.minimum(_W_CPS * np.maximum(cps / profile.max_cps - 1.0, 0.0), _W_CPS_CAP)
        cost[sel] += t

    # The recurrence: best[j + 1] = min over i of best[i] + cost(i..j).
    cost_list = cost.tolist()
    lo_list = lo.tolist()
    off = offsets.tolist()
    best = [0.0]
    back: list[int] = []
    for j in range(m):
        i0 = lo_list[j]
        vals = list(map(add, best[i0 : j + 1], cost_list[off[j] : off[j + 1]]))
        v = min(vals)
        best.append(v)
        back.append(i0 + vals.index(v))
    spans: list[tuple[int, int]] = []
    j = m - 1
    while j >= 0:
        i = back[j]
        spans.append((i, j))
        j = i - 1
    spans.reverse()

    # Final layout and times (times use the exact characters of the laid-out lines).
    layouts = [_layout_words(w, i, j, profile, doc.language) for i, j in spans]
    si = np.asarray([i for i, _ in spans], dtype=np.int64)
    sj = np.asarray([j for _, j in spans], dtype=np.int64)
    exact = cum[sj + 1] - cum[si] - w.sep[si] - np.asarray([int(sum(w.sep[b] for b in lay)) for lay in layouts], dtype=np.int64)
    ai = na[si]
    timed = ai <= sj
    s = np.where(timed, w.start[np.minimum(ai, m - 1)], 0)
    e = np.where(timed, w.end[np.maximum(pa[sj], 0)], 0)
    ends = _cue_end(s, e, exact, next_start[sj], profile, doc.duration_ms)
    cues: list[Cue] = []
    for k, (i, j) in enumerate(spans):
        t0 = w.first_tok[i]
        line_starts = tuple(w.first_tok[b] - t0 for b in layouts[k])
        if timed[k]:
            cues.append(Cue(t0, w.first_tok[j + 1] - 1, int(s[k]), int(ends[k]), line_starts))
        else:
            cues.append(Cue(t0, w.first_tok[j + 1] - 1, None, None, line_starts))
    return cues


# -- line layout ------------------------------------------------------------------------------------


def _layout_words(w: _Words, i: int, j: int, profile: Profile, language: str) -> list[int]:
    """Indices of the words (in i+1..j) that begin a new line of the cue i..j."""
    width = profile.max_chars_per_line
    lengths = w.length[i : j + 1].tolist()
    seps = w.sep[i : j + 1].tolist()
    n = len(lengths)
    total = sum(lengths) + sum(seps[1:])
    if n == 1:
        return []
    if total <= width:
        # It fits one line; the user's own line breaks (when they are not cue boundaries) still
        # split it, as far as the line limit allows.
        user = [i + k for k in range(1, n) if w.brk[i + k] == Break.LINE]
        return user[: profile.max_lines - 1]
    # fewest lines (greedy filling is optimal for that)
    lines, used = 1, lengths[0]
    for k in range(1, n):
        if used + seps[k] + lengths[k] <= width:
            used += seps[k] + lengths[k]
        else:
            lines, used = lines + 1, lengths[k]
    lines = min(lines, n)

    def break_cost(k: int) -> float:  # a line break before word i + k
        a = i + k - 1
        kind = w.kind[a]
        # Without word boundaries inside CJK text, punctuation is the one natural break point.
        c = _L_BREAK[kind] * (_L_CJK_PUNCT if w.cjk_end[a] else 1.0)
        if kind == _NONE:
            if w.weak[a]:
                c += _W_WEAK_END
            if w.before[a + 1]:
                c -= _W_BEFORE_CONJ
            if w.clingy[a + 1]:
                c += _W_WEAK_END
        if w.brk[a + 1] == Break.LINE:
            c += _L_USER_LINE
        return c

    prefix = [0]
    for k in range(n):
        prefix.append(prefix[-1] + lengths[k] + (seps[k] if k else 0))

    def line_len(a: int, b: int) -> int:  # words a..b-1 (relative)
        return prefix[b] - prefix[a] - (seps[a] if a else 0)

    def fits(a: int, b: int) -> bool:
        return b - a == 1 or line_len(a, b) <= width

    orphan_matters = n > lines
    if lines == 2:
        best: tuple[float, int] | None = None
        for k in range(1, n):
            l1, l2 = line_len(0, k), line_len(k, n)
            if not (fits(0, k) and fits(k, n)):
                continue
            c = _L_BALANCE * ((l1 - l2) / width) ** 2 + break_cost(k)
            if orphan_matters and (k == 1 or k == n - 1):
                c += _L_ORPHAN
            if l1 > l2:
                c += _L_TOP_HEAVY
            if best is None or c < best[0]:
                best = (c, k)
        return [i + best[1]] if best is not None else _greedy_layout(lengths, seps, width, i)

    # three or more lines: DP over (lines used, words placed)
    target = (total - (lines - 1)) / lines
    inf = math.inf
    cost = [[inf] * (n + 1) for _ in range(lines + 1)]
    back = [[0] * (n + 1) for _ in range(lines + 1)]
    cost[0][0] = 0.0
    for ln in range(1, lines + 1):
        for b in range(ln, n + 1):
            for a in range(ln - 1, b):
                if cost[ln - 1][a] == inf or not fits(a, b):
                    continue
                c = cost[ln - 1][a] + _L_BALANCE * ((line_len(a, b) - target) / width) ** 2
                if a:
                    c += break_cost(a)
                if orphan_matters and b - a == 1:
                    c += _L_ORPHAN
                if c < cost[ln][b]:
                    cost[ln][b], back[ln][b] = c, a
    if cost[lines][n] == inf:
        return _greedy_layout(lengths, seps, width, i)
    out: list[int] = []
    b = n
    for ln in range(lines, 1, -1):
        b = back[ln][b]
        out.append(i + b)
    return sorted(out)


def _greedy_layout(lengths: list[int], seps: list[int], width: int, i: int) -> list[int]:
    out: list[int] = []
    used = lengths[0]
    for k in range(1, len(lengths)):
        if used + seps[k] + lengths[k] <= width:
            used += seps[k] + lengths[k]
        else:
            out.append(i + k)
            used = lengths[k]
    return out


def layout_lines(doc: Document, first: int, last: int, profile: Profile) -> tuple[int, ...]:
    """Line layout (``Cue.line_starts``: token offsets from ``first``) for tokens first..last."""
    if last <= first:
        return ()
    w = _words(doc, first, last)
    return tuple(w.first_tok[b] - first for b in _layout_words(w, 0, w.count - 1, profile, doc.language))


# -- checking ---------------------------------------------------------------------------------------


class Rule(str, enum.Enum):
    EMPTY = "empty"
    UNALIGNED = "unaligned"
    LINES = "lines"
    LINE_LENGTH = "line_length"
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    CPS = "cps"
    GAP = "gap"
    OVERLAP = "overlap"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Violation:
    """One broken rule: ``value`` is what the cue has, ``limit`` what the profile allows.

    Made with ``reason``, a :class:`~aligner_core.messages.Message` about the cue ("lasts 300 ms
    (at least 700 ms)"); ``message`` is the English sentence that names the cue first."""

    cue_index: int
    rule: Rule
    reason: Message
    value: float | None = None
    limit: float | None = None
    message: str = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "message", f"cue {self.cue_index + 1} {self.reason}")


def _previous_end(doc: Document, index: int) -> tuple[int, int] | None:
    for p in range(index - 1, -1, -1):
        end = doc.cue_times(doc.cues[p])[1]
        if end is not None:
            return p, end
    return None


def check_cue(doc: Document, index: int, profile: Profile) -> list[Violation]:
    """Violations of one cue, including its gap to the previous cue that has times."""
    return _check(doc, index, profile, _previous_end(doc, index))


def _check(doc: Document, index: int, profile: Profile, prev: tuple[int, int] | None) -> list[Violation]:
    cue = doc.cues[index]
    out: list[Violation] = []
    lines = doc.cue_lines(cue)
    lens = [display_len(line) for line in lines]
    chars = sum(lens)
    c = index
    if chars == 0:
        out.append(Violation(c, Rule.EMPTY, msg("cue_no_text"), 0, None))
    if len(lines) > profile.max_lines:
        out.append(Violation(c, Rule.LINES, msg("cue_lines", count=len(lines), limit=profile.max_lines), len(lines), profile.max_lines))
    for k, ln in enumerate(lens):
        if ln > profile.max_chars_per_line:
            limit = profile.max_chars_per_line
            out.append(Violation(c, Rule.LINE_LENGTH, msg("cue_line_length", line=k + 1, chars=ln, limit=limit), ln, limit))
    start, end = doc.cue_times(cue)
    if start is None or end is None:
        out.append(Violation(c, Rule.UNALIGNED, msg("cue_no_times")))
        return out
    dur = end - start
    if dur < profile.min_duration_ms:
        out.append(Violation(c, Rule.TOO_SHORT, msg("cue_too_short", ms=dur, limit_ms=profile.min_duration_ms), dur, profile.min_duration_ms))
    if dur > profile.max_duration_ms:
        out.append(Violation(c, Rule.TOO_LONG, msg("cue_too_long", ms=dur, limit_ms=profile.max_duration_ms), dur, profile.max_duration_ms))
    if profile.max_cps is not None and dur > 0 and chars:
        cps = chars * 1000.0 / dur
        if cps > profile.max_cps + 1e-9:
            out.append(Violation(c, Rule.CPS, msg("cue_cps", cps=cps, limit=profile.max_cps), cps, profile.max_cps))
    if prev is not None:
        p, prev_end = prev
        gap = start - prev_end
        if gap < 0:
            out.append(Violation(c, Rule.OVERLAP, msg("cue_overlap", ms=-gap, other=p + 1), gap, 0))
        elif gap < profile.min_gap_ms:
            out.append(Violation(c, Rule.GAP, msg("cue_gap", ms=gap, other=p + 1, limit=profile.min_gap_ms), gap, profile.min_gap_ms))
    return out


def check_cues(doc: Document, profile: Profile, indices: Iterable[int] | None = None) -> list[Violation]:
    """Every rule each cue breaks (all cues, or the given indices), in cue order."""
    if indices is not None:
        out: list[Violation] = []
        for c in sorted(set(indices)):
            out += check_cue(doc, c, profile)
        return out
    out = []
    prev: tuple[int, int] | None = None
    for c, cue in enumerate(doc.cues):
        out += _check(doc, c, profile, prev)
        end = doc.cue_times(cue)[1]
        if end is not None:
            prev = (c, end)
    return out
