"""Find and replace over a document's words: the plan as one edit.

What is searched
    The surface text the user sees, tokens joined by their separators (one space between words,
    nothing between CJK characters; cue and line boundaries count as one space), exactly as
    :mod:`aligner_core.find` joins them but without its folding, so a replacement keeps the case
    and width of everything around the match. A match may span several words ("fellow
    americans"); an empty match (``x*``, ``\\b``) replaces nothing.

Options
    Plain text or a Python ``re`` pattern (``\\1`` / ``\\g<name>`` in the replacement), case
    sensitive or not, whole words (no letter or digit touches the match on either side), and a
    range of words to stay within (the selection): a match must lie inside it.

What a replacement does to the words
    The matches touching the same words are one group; the group's words get their new text.
    When the new text has as many words as the old, each word keeps its times (only its text
    changed, as F2 does: flagged :attr:`Flag.EDITED`, its phones dropped); words whose text did
    not change stay as they were. When the count changes, the group goes through
    :func:`aligner_core.retext.retext` (the one rule for retyping words): unchanged words keep
    their times, changed and new words lose theirs and are flagged for review and re-alignment.

Replace all is one edit (one undo step): each run of groups sharing cues is planned on a small
copy of just its words and cues, and the results are stitched into one token slice and one cue
slice, so thousands of matches cost one pass over the document, not one per match.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from .document import Cue, Document, Flag, Token
from .edits import Edit, _first_cue_ending_at_or_after
from .messages import msg
from .retext import RetextEdit, retext
from .text import tokenize

__all__ = ["Replacement", "ReplaceQuery", "ReplaceError", "compile_query", "find_groups", "plan_replace", "replace_all"]


class ReplaceError(ValueError):
    """The pattern or the replacement cannot be used (carries a Message)."""


@dataclass(frozen=True)
class ReplaceQuery:
    find: str
    replace_with: str = ""
    regex: bool = False
    case_sensitive: bool = False
    whole_words: bool = False


@dataclass(frozen=True)
class Replacement:
    """One group of matches over words ``first..last`` (inclusive) and the group's new text."""

    first: int
    last: int
    old_text: str
    new_text: str


def compile_query(query: ReplaceQuery) -> re.Pattern[str]:
    """The query as a compiled pattern; a bad regular expression is a :class:`ReplaceError`."""
    if not query.find:
        raise ReplaceError(msg("replace_empty_pattern"))
    source = query.find if query.regex else re.escape(query.find)
    if query.whole_words:
        # not \b: it would not hold at a pattern's own edge when that edge is punctuation
        source = rf"(?<![^\W_])(?:{source})(?![^\W_])"
    flags = re.UNICODE | (0 if query.case_sensitive else re.IGNORECASE)
    try:
        return re.compile(source, flags)
    except re.error as exc:
        raise ReplaceError(msg("replace_bad_pattern", position=(exc.pos or 0) + 1, reason=exc.msg)) from None


class _Text:
    """The document's surface text with each token's offsets; ``display`` has a line break
    where a cue's line starts (same offsets), so a retyped group keeps its line layout."""

    def __init__(self, doc: Document, lo: int, hi: int):
        parts: list[str] = []
        shown: list[str] = []
        line_start = _line_starts(doc, lo, hi)
        self.lo = lo
        self.starts: list[int] = []
        self.ends: list[int] = []
        pos = 0
        for i in range(lo, hi + 1):
            tok = doc.tokens[i]
            if i > lo:
                sep = " " if tok.sep and not tok.sep.strip() else tok.sep
                parts.append(sep)
                shown.append("\n" if sep == " " and i in line_start else sep)
                pos += len(sep)
            self.starts.append(pos)
            parts.append(tok.text)
            shown.append(tok.text)
            pos += len(tok.text)
            self.ends.append(pos)
        self.text = "".join(parts)
        self.display = "".join(shown)

    def span(self, a: int, b: int) -> tuple[int, int]:
        """Tokens (absolute, inclusive) that the text ``[a, b)`` touches."""
        first = bisect.bisect_right(self.ends, a)  # the first token ending after a
        last = bisect.bisect_left(self.starts, b) - 1  # the last token starting before b
        return self.lo + first, self.lo + max(first, last)


def _line_starts(doc: Document, lo: int, hi: int) -> set[int]:
    out: set[int] = set()
    c = doc.cue_index_of(lo)
    if c is None:
        c = _first_cue_ending_at_or_after(doc.cues, lo)
    while c < len(doc.cues) and doc.cues[c].first <= hi:
        cue = doc.cues[c]
        out.update(cue.first + o for o in cue.line_starts)
        c += 1
    return out


def find_groups(doc: Document, query: ReplaceQuery, within: tuple[int, int] | None = None) -> list[Replacement]:
    """Every group of matches (in document order) and its new text; raises :class:`ReplaceError`."""
    pattern = compile_query(query)
    if not doc.tokens:
        return []
    lo, hi = within if within is not None else (0, len(doc.tokens) - 1)
    if not 0 <= lo <= hi < len(doc.tokens):
        raise ReplaceError(msg("replace_bad_range", first=lo + 1, last=hi + 1))
    text = _Text(doc, lo, hi)
    groups: list[tuple[int, int, list[re.Match[str]]]] = []
    for m in pattern.finditer(text.text):
        if m.end() == m.start():
            continue
        first, last = text.span(m.start(), m.end())
        if groups and first <= groups[-1][1]:
            groups[-1] = (groups[-1][0], max(last, groups[-1][1]), groups[-1][2] + [m])
        else:
            groups.append((first, last, [m]))
    out: list[Replacement] = []
    for first, last, matches in groups:
        a, b = text.starts[first - lo], text.ends[last - lo]
        pieces: list[str] = []
        at = a
        for m in matches:
            pieces.append(text.display[at : m.start()])
            pieces.append(_expand(m, query))
            at = m.end()
        pieces.append(text.display[at:b])
        out.append(Replacement(first, last, text.text[a:b], "".join(pieces)))
    return out


def _expand(m: re.Match[str], query: ReplaceQuery) -> str:
    if not query.regex:
        return query.replace_with  # literal: a backslash is a backslash
    try:
        return m.expand(query.replace_with)
    except (re.error, IndexError) as exc:
        raise ReplaceError(msg("replace_bad_replacement", reason=str(exc))) from None


def plan_replace(doc: Document, groups: list[Replacement]) -> tuple[Edit | None, list[tuple[int, int]]]:
    """One edit replacing every group (``None`` when nothing changes), and the word spans (after
    the edit) whose words lost their times and want re-aligning.

    ``groups`` must come from :func:`find_groups` on ``doc`` as it is now (in order, apart)."""
    clusters = _clusters(doc, groups)
    if not clusters:
        return None, []
    t_lo, c_lo = clusters[0].a, clusters[0].ca
    new_tokens: list[Token] = []
    new_cues: list[Cue] = []
    spans: list[tuple[int, int]] = []
    at_t, at_c, delta = t_lo, c_lo, 0  # next old token / cue not yet copied; token count change so far
    for cl in clusters:
        new_tokens += doc.tokens[at_t : cl.a]
        new_cues += [c.shifted(delta) for c in doc.cues[at_c : cl.ca]]
        mini, mini_spans = cl.result(doc)
        offset = cl.a + delta  # where the cluster's words begin after the edit
        new_tokens += mini.tokens
        new_cues += [c.shifted(offset) for c in mini.cues]
        spans += [(x + offset, y + offset) for x, y in mini_spans]
        delta += len(mini.tokens) - (cl.b + 1 - cl.a)
        at_t, at_c = cl.b + 1, cl.cb
    t_hi = at_t
    if delta:  # the cues after the last change shift with the token count
        new_cues += [c.shifted(delta) for c in doc.cues[at_c:]]
        c_hi = len(doc.cues)
    else:
        c_hi = at_c
    edit = RetextEdit(t_lo, doc.tokens[t_lo:t_hi], new_tokens, c_lo, doc.cues[c_lo:c_hi], new_cues)
    if edit.noop:
        return None, []
    edit.description = "Replace"
    return edit, spans


@dataclass
class _Cluster:
    """Groups whose words share cues: words ``a..b`` and cues ``ca..cb-1`` (whole cues), replaced together."""

    a: int
    b: int
    ca: int
    cb: int
    groups: list[Replacement]

    def result(self, doc: Document) -> tuple[Document, list[tuple[int, int]]]:
        """The cluster's words and cues after its groups are replaced (indices from ``a``), and
        the spans in it that lost their times. Planned on a small copy of just these words and
        cues, last group first, so each group's indices are still the original ones."""
        mini = Document(doc.tokens[self.a : self.b + 1], [c.shifted(-self.a) for c in doc.cues[self.ca : self.cb]],
                        None, doc.language)
        spans: list[tuple[int, int]] = []
        for g in reversed(self.groups):
            local = Replacement(g.first - self.a, g.last - self.a, g.old_text, g.new_text)
            edit, span = _group_edit(mini, local)
            if edit is None:
                continue
            before = len(mini.tokens)
            edit.apply(mini)
            shift = len(mini.tokens) - before
            spans = [(x + shift, y + shift) for x, y in spans]
            if span is not None:
                spans.insert(0, span)
        return mini, spans


def _clusters(doc: Document, groups: list[Replacement]) -> list[_Cluster]:
    out: list[_Cluster] = []
    for g in groups:
        ca = _first_cue_ending_at_or_after(doc.cues, g.first)
        cb = ca
        while cb < len(doc.cues) and doc.cues[cb].first <= g.last:
            cb += 1
        a = min(g.first, doc.cues[ca].first) if cb > ca else g.first
        b = max(g.last, doc.cues[cb - 1].last) if cb > ca else g.last
        if out and (a <= out[-1].b or ca < out[-1].cb):
            last = out[-1]
            last.b, last.cb = max(last.b, b), max(last.cb, cb)
            last.groups.append(g)
        else:
            out.append(_Cluster(a, b, ca, cb, [g]))
    return out


def _group_edit(doc: Document, g: Replacement) -> tuple[RetextEdit | None, tuple[int, int] | None]:
    old = doc.tokens[g.first : g.last + 1]
    if g.new_text == g.old_text:
        return None, None
    new = tokenize(g.new_text, doc.language) if g.new_text.strip() else []
    if len(new) == len(old) and new:
        kept = [o if n.text == o.text else _retyped(o, n) for o, n in zip(old, new)]
        if kept == old:
            return None, None
        return RetextEdit(g.first, old, kept, 0, [], []), None
    edit, span = retext(doc, g.first, g.last, g.new_text)
    if edit.noop:
        return None, None
    return edit, span


def _retyped(old: Token, new: Token) -> Token:
    # a person wrote this text: as F2 does, the times stay, the word is flagged, its phones go
    flags = (int(old.flags) | int(Flag.EDITED)) & ~int(Flag.DRAFT)
    dropped = {"phones": ()} if getattr(old, "phones", ()) else {}
    return replace(old, text=new.text, units=new.units, flags=flags, **dropped)


def replace_all(doc: Document, query: ReplaceQuery, within: tuple[int, int] | None = None):
    """:func:`find_groups` then :func:`plan_replace`: (edit or None, re-align spans, group count)."""
    groups = find_groups(doc, query, within)
    edit, spans = plan_replace(doc, groups)
    return edit, spans, len(groups)

