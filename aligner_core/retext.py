"""Turn a run of tokens into new text without losing the timing of what the user kept.

:func:`retext` is what the cue table, the word table and any text editor use: the user types
the new text of tokens ``first..last``; words whose surface text did not change keep their
times, confidence, flags and locks (the longest common subsequence of the token texts; :mod:`difflib` for huge ranges), changed and
new words get no times and :attr:`Flag.EDITED`, and the caller learns which span to re-align.

Cues
    Kept words stay in their cue. New words replacing old ones go to the old words' cues (in
    proportion, so a one-for-one replacement stays put); inserted words join the cue of the
    word before them (or of the word after them at the start of the range). Line breaks in
    the new text become the cue's ``line_starts``; a line break just before the range and the
    cues' layout outside the range are kept. Cue times are the cues' own and do not change.

Deleting
    Empty new text (or text without a letter or digit) deletes the words. A cue left with no
    words is removed, exactly as :class:`~aligner_core.edits.DeleteTokens` does: clearing a
    cue's text is how the user deletes a subtitle, and it is one undo step like any other
    edit. Deleting asks for no re-alignment: the words around keep their measured times.

Why one edit and not a composite of the core edits
    The whole change is computed up front and swapped in as one token slice plus one cue slice
    (the same ``_Swap`` every core edit uses), so apply/revert are exact, the invariants are
    validated once, and the reported :class:`~aligner_core.edits.Changed` names exactly the
    tokens and cues that changed, which keeps table refreshes small. A composite of
    ``InsertTokens``/``DeleteTokens``/``ReplaceCues`` would report every cue as changed.
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Callable, Sequence
from dataclasses import replace

from .document import Break, Cue, Document, Flag, Token
from .edits import Edit, EditError, _first_cue_ending_at_or_after, _internal, _Swap
from .text import tokenize as _tokenize

__all__ = ["RetextEdit", "retext"]

Tokenizer = Callable[[str, str], list[Token]]


class RetextEdit(Edit):
    """Replace tokens ``t_lo..`` and cues ``c_lo..`` with slices computed by :func:`retext`.

    The slices were computed from the document as it was; applying the edit to a document
    whose slices differ (it changed meanwhile) is refused instead of guessing.
    """

    description = "Edit text"

    def __init__(self, t_lo: int, old_tokens: Sequence[Token], new_tokens: Sequence[Token],
                 c_lo: int, old_cues: Sequence[Cue], new_cues: Sequence[Cue]):
        super().__init__()
        self.t_lo, self.c_lo = t_lo, c_lo
        self.old_tokens, self.new_tokens = list(old_tokens), list(new_tokens)
        self.old_cues, self.new_cues = list(old_cues), list(new_cues)

    @property
    def noop(self) -> bool:
        """True when the new text is the old one: pushing it would add an empty undo step."""
        return self.old_tokens == self.new_tokens and self.old_cues == self.new_cues

    def _plan(self, doc: Document) -> _Swap:
        t_hi = self.t_lo + len(self.old_tokens)
        c_hi = self.c_lo + len(self.old_cues)
        if (
            t_hi > len(doc.tokens)
            or c_hi > len(doc.cues)
            or doc.tokens[self.t_lo : t_hi] != self.old_tokens
            or doc.cues[self.c_lo : c_hi] != self.old_cues
        ):
            raise _internal("the text changed since this edit was made")
        return _Swap(self.t_lo, list(self.old_tokens), list(self.new_tokens), self.c_lo, list(self.old_cues), list(self.new_cues))


def retext(
    doc: Document, first: int, last: int, new_text: str, tokenize: Tokenizer = _tokenize
) -> tuple[RetextEdit, tuple[int, int] | None]:
    """An edit turning tokens ``first..last`` (inclusive) into the tokens of ``new_text``.

    Returns the edit (not applied) and the inclusive token span, in the indexing after the
    edit, that needs re-aligning: the changed and inserted words; ``None`` when no word's text
    changed (only the line layout or the spacing did, or words were only deleted).
    Raises :class:`EditError` when ``first..last`` is not a range of the document's tokens.
    """
    n = len(doc.tokens)
    if not (0 <= first <= last < n):
        raise _internal(f"words {first}..{last} do not exist (there are {n})")
    old = doc.tokens[first : last + 1]
    raw = tokenize(new_text, doc.language) if new_text.strip() else []

    # -- which new token comes from which old one ------------------------------------------------
    origin: list[int | None] = [None] * len(raw)  # absolute old index of a kept token
    cue_of_old = _cue_map(doc, first, last)
    cue_of_new: list[int | None] = [None] * len(raw)
    pairs = _matching_pairs([t.text for t in old], [t.text for t in raw])
    for i, j in pairs:
        origin[j] = first + i
        cue_of_new[j] = cue_of_old[i]
    # the words between two kept ones: replacements spread over the old words' cues (in order,
    # so a one-for-one replacement stays put), insertions join the cue of the word before
    bounds = [(-1, -1)] + pairs + [(len(old), len(raw))]
    for (pi, pj), (i2, j2) in itertools.pairwise(bounds):
        i1, j1 = pi + 1, pj + 1
        if j1 == j2:
            continue
        for j in range(j1, j2):
            if i2 > i1:
                cue_of_new[j] = cue_of_old[i1 + ((j - j1) * (i2 - i1)) // (j2 - j1)]
            elif j > 0:
                cue_of_new[j] = cue_of_new[j - 1]
            else:
                cue_of_new[j] = cue_of_old[min(i1, len(old) - 1)]

    # -- the new tokens --------------------------------------------------------------------------
    new_tokens: list[Token] = []
    for j, tok in enumerate(raw):
        src = origin[j]
        if j == 0:
            sep = old[0].sep if src is not None else tok.sep  # it joins the word before the range
            brk = old[0].brk
        else:
            sep = tok.sep
            if cue_of_new[j] != cue_of_new[j - 1] and cue_of_new[j] is not None:
                brk = Break.PARAGRAPH  # a cue starts here, as a loaded subtitle file marks it
            elif cue_of_new[j] is not None:
                brk = min(int(tok.brk), int(Break.LINE))  # a blank line inside a cue is one line break
            else:
                brk = tok.brk
        if src is not None:
            new_tokens.append(replace(doc.tokens[src], sep=sep, brk=Break(brk)))
        else:
            new_tokens.append(Token(tok.text, tok.units, None, None, None, int(Flag.EDITED), False, sep, Break(brk)))

    # -- the cues --------------------------------------------------------------------------------
    delta = len(new_tokens) - len(old)
    c_lo = _first_cue_ending_at_or_after(doc.cues, first)
    c_hi = c_lo  # one past the last cue that holds a token of the range
    while c_hi < len(doc.cues) and doc.cues[c_hi].first <= last:
        c_hi += 1
    spans: dict[int, list[int]] = {}  # cue -> [first j, last j] of the new words it got
    for j, c in enumerate(cue_of_new):
        if c is not None:
            spans.setdefault(c, [j, j])[1] = j
    rebuilt: list[Cue] = []
    for c in range(c_lo, c_hi):
        got = spans.get(c)
        cue = _rebuild_cue(doc, c, first, last, range(got[0], got[1] + 1) if got else range(0), raw, delta)
        if cue is not None:
            rebuilt.append(cue)
    if delta:  # later cues shift with the token count
        old_cues = doc.cues[c_lo:]
        new_cues = rebuilt + [cue.shifted(delta) for cue in doc.cues[c_hi:]]
    else:
        old_cues = doc.cues[c_lo:c_hi]
        new_cues = rebuilt

    edit = RetextEdit(first, old, new_tokens, c_lo, old_cues, new_cues)
    changed = [j for j, src in enumerate(origin) if src is None]
    span = (first + changed[0], first + changed[-1]) if changed else None
    return edit, span


#: above this many cells (old words x new words, after trimming the common ends) the exact
#: longest common subsequence would stall the GUI; difflib's block matching is near enough there
_EXACT_CELLS = 250_000


def _matching_pairs(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int]]:
    """(i, j) pairs of equal words kept in order: as many as possible.

    difflib alone is not enough: it anchors the longest contiguous block first, so with
    repeated words ("and ... and and") it can keep fewer words than the user did.
    """
    lo = 0
    while lo < len(a) and lo < len(b) and a[lo] == b[lo]:
        lo += 1
    hi_a, hi_b = len(a), len(b)
    while hi_a > lo and hi_b > lo and a[hi_a - 1] == b[hi_b - 1]:
        hi_a, hi_b = hi_a - 1, hi_b - 1
    head = [(k, k) for k in range(lo)]
    tail = [(hi_a + k, hi_b + k) for k in range(len(a) - hi_a)]
    mid_a, mid_b = a[lo:hi_a], b[lo:hi_b]
    if not mid_a or not mid_b:
        middle: list[tuple[int, int]] = []
    elif len(mid_a) * len(mid_b) <= _EXACT_CELLS:
        middle = _lcs_pairs(mid_a, mid_b)
    else:
        sm = difflib.SequenceMatcher(None, mid_a, mid_b, autojunk=False)
        middle = [(blk.a + k, blk.b + k) for blk in sm.get_matching_blocks() for k in range(blk.size)]
    return head + [(i + lo, j + lo) for i, j in middle] + tail


def _lcs_pairs(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int]]:
    n, m = len(a), len(b)
    # suffix table: best[i][j] = LCS length of a[i:], b[j:]
    best = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        row, below = best[i], best[i + 1]
        ai = a[i]
        for j in range(m - 1, -1, -1):
            row[j] = below[j + 1] + 1 if ai == b[j] else max(below[j], row[j + 1])
    pairs: list[tuple[int, int]] = []
    i = j = 0
    while i < n and j < m:
        if a[i] == b[j] and best[i][j] == best[i + 1][j + 1] + 1:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i + 1][j] >= best[i][j + 1]:
            i += 1
        else:
            j += 1
    return pairs


def _cue_map(doc: Document, first: int, last: int) -> list[int | None]:
    """The cue index of each token first..last (``None`` for tokens outside every cue)."""
    out: list[int | None] = [None] * (last - first + 1)
    c = _first_cue_ending_at_or_after(doc.cues, first)
    while c < len(doc.cues) and doc.cues[c].first <= last:
        cue = doc.cues[c]
        for i in range(max(cue.first, first), min(cue.last, last) + 1):
            out[i - first] = c
        c += 1
    return out


def _rebuild_cue(doc: Document, c: int, first: int, last: int, inside: range, raw: list[Token], delta: int) -> Cue | None:
    """Cue ``c`` after the edit (new indexing), or ``None`` when it has no words left.

    ``inside`` holds the positions (in ``raw``) of the new words that went to this cue: they
    are contiguous, because kept words keep their cue order and new words follow a neighbour.
    """
    cue = doc.cues[c]
    parts = [
        range(cue.first, min(cue.last, first - 1) + 1),  # its words before the range
        range(first + inside.start, first + inside.stop) if inside else range(0),
        range(max(cue.first, last + 1) + delta, cue.last + 1 + delta),  # its words after the range
    ]
    parts = [p for p in parts if p]
    if not parts:
        return None
    new_first, new_last = parts[0][0], parts[-1][-1]
    starts: set[int] = set()
    for o in cue.line_starts:
        t = cue.first + o
        if t < first:
            starts.add(t)
        elif t > last:
            starts.add(t + delta)
        elif t == first:
            # the break before the range stays before whatever now begins it in this cue
            later = [p[0] for p in parts if p[0] >= first]
            if later:
                starts.add(later[0])
    for j in inside[1:]:
        if raw[j].brk != Break.NONE:
            starts.add(first + j)
    rel = tuple(sorted(x - new_first for x in starts if 0 < x - new_first <= new_last - new_first))
    return replace(cue, first=new_first, last=new_last, line_starts=rel)
