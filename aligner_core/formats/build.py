"""Documents from the records readers return.

Subtitles (SRT, VTT, ASS) become a transcript for re-timing existing subtitles: each
subtitle's lines are tokenized, the tokens have no times, and one :class:`Cue` per subtitle
keeps the subtitle's start/end as hints and its line layout. Each subtitle after the first
starts with ``Break.PARAGRAPH`` and each of its further lines with ``Break.LINE``, as if the
user had typed the subtitles as a transcript.

Word timings (TextGrid, JSON) keep their words as tokens, one token per word record and in
the records' order, with the record's times and confidence (units from tokenizing the word).
The cue texts decide which words each cue holds, how the words are joined (the separator
between them) and where lines break. A JSON words array is the token list as it stands; a
TextGrid's word tier cannot hold words without times or of zero length, so there text in a cue
with no word record is tokenized into tokens without times, and the cue text survives whole.

Real files break the document's rules (overlapping subtitles, words out of order, negative
times); those are repaired and every repair is listed in the warnings.
"""

from __future__ import annotations

import heapq
from dataclasses import replace
from typing import Callable, Sequence

from ..document import Break, Cue, Document, Token, look_problem
from ..messages import msg
from ..text import strip_markup
from ..text.language import guess_language
from .common import FormatError, SubtitleCue, Tokenizer, WordRecord, guess_sep, is_spaceless

__all__ = ["document_from_subtitles", "document_from_words", "document_from_text"]


def _where(sub: SubtitleCue, k: int) -> str:
    return f"subtitle at line {sub.line}" if sub.line else f"cue {k + 1}"


def _sorted_cues(cues: Sequence[SubtitleCue], warnings: list[str]) -> list[tuple[int, SubtitleCue]]:
    order = sorted(range(len(cues)), key=lambda i: (cues[i].start_ms, i))
    if order != list(range(len(cues))):
        warnings.append("the subtitles were not in time order; they were sorted by start time")
    return [(i, cues[i]) for i in order]


def _cue_times(sub: SubtitleCue, where: str, prev: Cue | None, warnings: list[str]) -> tuple[int, int, Cue | None]:
    s, e = sub.start_ms, sub.end_ms
    if s < 0:
        warnings.append(f"{where} starts before 0 ({s} ms); its start was set to 0")
        s, e = 0, max(e, 0)
    if e < s:
        warnings.append(f"{where} ends before it starts ({s} > {e} ms); its end was set to its start")
        e = s
    if prev is not None and prev.end is not None and prev.end > s:
        new_end = max(s, prev.start if prev.start is not None else s)
        warnings.append(f"{where} starts {prev.end - s} ms before the previous one ends; the previous one now ends at {new_end} ms")
        prev = replace(prev, end=new_end)
        if prev.start is not None and prev.start > s:  # same start: cannot happen after sorting, but stay valid
            prev = replace(prev, start=s)
    return s, e, prev


def _look(sub: SubtitleCue) -> tuple:
    """The cue's look overrides as the file gave them, each left out where it is not sound."""
    return (
        sub.align if look_problem(sub.align, None, None) is None else None,
        sub.pos if look_problem(None, sub.pos, None) is None else None,
        sub.style if look_problem(None, None, sub.style) is None else None,
    )


def document_from_subtitles(cues: Sequence[SubtitleCue], language: str | None, tokenize: Tokenizer) -> tuple[Document, list[str]]:
    warnings: list[str] = []
    language = language or guess_language("\n".join(c.text for c in cues))
    tokens: list[Token] = []
    out: list[Cue] = []
    for k, sub in _sorted_cues(cues, warnings):
        where = _where(sub, k)
        first = len(tokens)
        line_starts: list[int] = []
        for line in sub.text.split("\n"):
            line = line.strip()
            if not strip_markup(line).strip():  # "<i></i>", "{\\i1}{\\i0}": formatting with nothing to show
                continue
            toks = [t.with_times(None, None) for t in tokenize(line, language)]
            if not toks:  # "♪", "..." : nothing to align, but the subtitle keeps its text
                warnings.append(f"{where}: {line[:40]!r} has no words to align; kept as text")
                toks = [Token(line, ())]
            if len(tokens) > first:
                line_starts.append(len(tokens) - first)
                brk = Break.LINE
            else:
                brk = Break.PARAGRAPH if tokens else Break.NONE
            prev_text = tokens[-1].text if tokens else None
            toks[0] = replace(toks[0], sep=guess_sep(prev_text, toks[0].text), brk=brk)
            tokens.extend(toks)
        if len(tokens) == first:
            warnings.append(f"{where} has no words and was skipped")
            continue
        s, e, prev = _cue_times(sub, where, out[-1] if out else None, warnings)
        if prev is not None:
            out[-1] = prev
        out.append(Cue(first, len(tokens) - 1, s, e, tuple(line_starts), sub.language, sub.emotion, *_look(sub)))
    return _finish(Document(tokens, out, None, language), warnings), warnings


def document_from_text(text: str, language: str | None, tokenize: Tokenizer) -> Document:
    language = language or guess_language(text)
    return _finish(Document([t.with_times(None, None) for t in tokenize(text, language)], [], None, language), [])


# -- word timings -----------------------------------------------------------------------------------


def _repair_words(words: Sequence[WordRecord], warnings: list[str]) -> list[WordRecord]:
    counts: dict[str, int] = {}

    def note(kind: str) -> None:
        counts[kind] = counts.get(kind, 0) + 1

    out: list[WordRecord] = []
    prev_end: int | None = None
    for w in words:
        text = " ".join(w.text.split())
        if not text:
            note("empty words were dropped")
            continue
        s, e, conf = w.start_ms, w.end_ms, w.confidence
        if (s is None) != (e is None):
            note("words had only one of start/end and are now unaligned")
            s = e = None
        if s is not None and e is not None:
            if s < 0:
                note("words started before 0 and were clamped to 0")
                s, e = 0, max(e, 0)
            if e < s:
                note("words ended before they started; their end was set to their start")
                e = s
            if prev_end is not None and s < prev_end:
                note("words overlapped the previous word; their start was moved to its end")
                s = prev_end
                e = max(e, s)
            prev_end = e
        if conf is not None and not (0.0 <= conf <= 1.0):
            note("confidences were outside [0, 1] and were clamped")
            conf = min(1.0, max(0.0, conf))
        out.append(WordRecord(text, s, e, conf, w.phones if s is not None else ()))
    warnings.extend(f"{n} {kind}" for kind, n in counts.items())
    return out


# Matching word records to cue texts.
#
# The records and the cue texts are two views of one transcript: the records give the words in
# order (with times), the cues give how they are joined and laid out. They are matched by one
# alignment over all cues, cheapest in total, so one ambiguous spot (a repeated word, a word in
# no cue, a word without times) cannot throw off everything after it, as a greedy walk could.
# The steps and their costs:
#
#   match    a record is the cue text at this point                     0
#   subst    a record is the text here up to case and punctuation       _C_SUBST
#   insert   cue text that no record has                                _C_INSERT_*
#   extra    a record inside the cue that its text lacks                _C_EXTRA
#   out      a record between cues (in no cue)                          _C_OUT, or _C_OUT_GAP
#                                                                       when its times lie there
# plus, for a record with times placed in a cue, _C_TIME_* when its times fall outside the
# cue's. Text decides; times only choose between placements the text allows equally (which
# of two equal words is the cue's), so a file whose cue texts spell its words exactly comes
# back exactly. The search keeps, at each point of a cue's text, the few cheapest ways to
# have got there (at most _BEAM within _MARGIN of the best), which keeps long files linear.

_C_OUT_GAP = 0.01  # a record timed inside the gap between two cues
_C_OUT = 0.6
_C_TIME_PARTIAL = 0.2  # a record in a cue that overlaps the cue's time but sticks out
_C_TIME_OUTSIDE = 0.4  # ... that lies entirely outside it
_C_PARTIAL_END = 0.2  # a match that ends inside a token of the cue text ("a" of "a,")
_C_SUBST = 0.2
_C_INSERT_KEPT = 0.5  # cue text without a record, kept as tokens without times (TextGrid)
_C_INSERT_DROPPED = 1.0  # ... dropped, since the records are the tokens (JSON)
_C_EXTRA = 1.0
_MARGIN = 6.0
_BEAM = 12

_State = tuple  # (cost, path): path is a linked list (step, parent path) ending in None


def _norm(text: str) -> str:
    return "".join(c.casefold() for c in text if c.isalnum())


def _token_starts(text: str, tokenize: Tokenizer, language: str) -> set[int] | None:
    """Where the tokenizer's tokens of ``text`` start; ``None`` when they cannot be found in it."""
    starts: set[int] = set()
    offset = 0
    for line in text.split("\n"):
        cursor = 0
        for tok in tokenize(line, language):
            if not tok.text:
                continue
            pos = line.find(tok.text, cursor)
            if pos < 0:
                return None
            starts.add(offset + pos)
            cursor = pos + len(tok.text)
        offset += len(line) + 1
    return starts


class _CueText:
    """A cue's text with the positions where its tokens start (the tokenizer's, or else after
    space and where a spaceless script begins or ends) and where each token-sized chunk ends."""

    def __init__(self, text: str, starts: set[int] | None = None) -> None:
        self.text = text
        n = self.n = len(text)
        if starts is None:
            starts = set()
            for p, ch in enumerate(text):
                if not ch.isspace() and (p == 0 or text[p - 1].isspace() or is_spaceless(text[p - 1]) or is_spaceless(ch)):
                    starts.add(p)
        self.starts = starts
        self.ws_end = [n] * (n + 1)  # the first whitespace (or the end) at or after p
        for p in range(n - 1, -1, -1):
            self.ws_end[p] = p if text[p].isspace() else self.ws_end[p + 1]

    def skip_ws(self, q: int) -> int:
        while q < self.n and self.text[q].isspace():
            q += 1
        return q

    def ends_token(self, q: int) -> bool:
        return q >= self.n or self.text[q].isspace() or q in self.starts

    def chunk_end(self, p: int) -> int:
        q = p + 1
        while not self.ends_token(q):
            q += 1
        return q

    def token_ends(self, p: int) -> list[int]:
        """Ends of the token-sized pieces from p up to the next whitespace."""
        stop = self.ws_end[p]
        return [q for q in range(p + 1, stop) if q in self.starts] + [stop]


class _Aligner:
    def __init__(self, words: list[WordRecord], cues: list[SubtitleCue], keep_text: bool, tokenize: Tokenizer, language: str) -> None:
        self.words = words
        self.cues = cues
        self.texts = [_CueText(c.text, _token_starts(c.text, tokenize, language)) for c in cues]
        self.c_insert = _C_INSERT_KEPT if keep_text else _C_INSERT_DROPPED
        self.norms = [_norm(w.text) for w in words]
        # Where each record lies in time; a record without times lies between its timed neighbours.
        inf = float("inf")
        self.span: list[tuple[float, float]] = []
        prev_end = -inf
        for w in words:
            if w.start_ms is not None and w.end_ms is not None:
                prev_end = w.end_ms
            self.span.append((prev_end, inf))  # the end of untimed ones is filled in below
        next_start = inf
        for i in range(len(words) - 1, -1, -1):
            w = words[i]
            if w.start_ms is not None and w.end_ms is not None:
                self.span[i] = (w.start_ms, w.end_ms)
                next_start = w.start_ms
            else:
                self.span[i] = (self.span[i][0], next_start)

        # what putting records i.. after the last cue costs
        self.tail = [0.0] * (len(words) + 1)
        for i in range(len(words) - 1, -1, -1):
            self.tail[i] = self.tail[i + 1] + self.out_cost(i, len(cues))

    # -- costs ---------------------------------------------------------------------------------

    def time_cost(self, i: int, k: int) -> float:
        w = self.words[i]
        if w.start_ms is None or w.end_ms is None:
            return 0.0
        sub = self.cues[k]
        if sub.start_ms <= w.start_ms and w.end_ms <= sub.end_ms:
            return 0.0
        if w.start_ms < sub.end_ms and w.end_ms > sub.start_ms:
            return _C_TIME_PARTIAL
        return _C_TIME_OUTSIDE

    def out_cost(self, i: int, k: int) -> float:
        """Record i in the gap before cue k (k == len(cues): after the last cue)."""
        lo = self.cues[k - 1].end_ms if k > 0 else -float("inf")
        hi = self.cues[k].start_ms if k < len(self.cues) else float("inf")
        s, e = self.span[i]
        w = self.words[i]
        if w.start_ms is None or w.end_ms is None:
            # a word without times could be anywhere between its timed neighbours: it fits
            # the gap when that stretch reaches into it
            return _C_OUT_GAP if max(s, lo) <= min(e, hi) else _C_OUT
        return _C_OUT_GAP if lo <= s and e <= hi else _C_OUT

    # -- the search ----------------------------------------------------------------------------

    @staticmethod
    def _relax(states: dict[int, _State], i: int, cost: float, step: tuple, parent: object) -> None:
        old = states.get(i)
        if old is None or cost < old[0]:
            states[i] = (cost, (step, parent))

    def _gap(self, states: dict[int, _State], k: int) -> dict[int, _State]:
        """The states after putting any number of further records in the gap before cue k."""
        n_words = len(self.words)
        best = min(c for c, _ in states.values())
        last_seed = max(states)
        out: dict[int, _State] = {}
        carried: _State | None = None
        j = min(states)
        while True:
            seed = states.get(j)
            here = seed if seed is not None and (carried is None or seed[0] <= carried[0]) else carried
            assert here is not None
            out[j] = here
            if j >= n_words:
                break
            cost = here[0] + self.out_cost(j, k)
            if j >= last_seed and cost > best + _MARGIN:
                break
            carried = (cost, (("out", j), here[1]))
            j += 1
        return out

    def _prune(self, states: dict[int, _State], keep_if: Callable[[int], bool] | None = None) -> dict[int, _State]:
        # States at one point of the text differ in how many records they have used. Ranked by
        # cost alone, one that has used fewer looks cheaper only because its bill is still to
        # come; ranked by cost plus what leaving its remaining records out would cost (``tail``),
        # one that skipped records looks cheaper only because that estimate is too high when
        # later cues will take them. Runs of equal words make either ranking drop the right
        # state, so the beam keeps the best of both. Rounding keeps float noise from deciding
        # ties; ties then go to the lower record index.
        tail = self.tail
        best = min(c + tail[i] for i, (c, _) in states.items())
        best_cost = min(c for c, _ in states.values())
        near = [i for i, (c, _) in states.items() if c + tail[i] <= best + _MARGIN or c <= best_cost + _MARGIN]
        by_cost = sorted(near, key=lambda i: (round(states[i][0], 9), i))
        by_outlook = sorted(near, key=lambda i: (round(states[i][0] + tail[i], 9), round(states[i][0], 9), i))
        keep = set(by_cost[:_BEAM]) | set(by_outlook[:_BEAM])
        if keep_if is not None:
            keep.update(i for i in near if keep_if(i))
        return {i: states[i] for i in keep}

    def _can_start(self, i: int, ct: _CueText, p: int) -> bool:
        if i >= len(self.words):
            return False
        text = self.words[i].text
        return ct.text.startswith(text, p) or (self.norms[i] != "" and any(_norm(ct.text[p:q]) == self.norms[i] for q in ct.token_ends(p)))

    def _cue(self, k: int, states: dict[int, _State]) -> dict[int, _State]:
        """The states at the end of cue k, from those at its start."""
        ct = self.texts[k]
        text, n = ct.text, ct.n
        words, n_words = self.words, len(self.words)
        p0 = ct.skip_ws(0)
        layers: dict[int, dict[int, _State]] = {p0: {i: (c, (("cue", k), path)) for i, (c, path) in states.items()}}
        heap = [p0]
        ends: dict[int, _State] = {}
        while heap:
            p = heapq.heappop(heap)
            cur = self._prune(layers.pop(p), (lambda i: self._can_start(i, ct, p)) if p == p0 else None)
            best = min(c for c, _ in cur.values())
            i, top = min(cur), max(cur)
            while i <= top:
                state = cur.get(i)
                i += 1
                if state is None:
                    continue
                cost, path = state
                j = i - 1  # the record this state reaches next
                if p >= n:
                    self._relax(ends, j, cost, ("end", k), path)
                if j < n_words:
                    w = words[j]
                    tcost = self.time_cost(j, k)
                    if p < n:
                        if text.startswith(w.text, p):
                            q = p + len(w.text)
                            c = cost + tcost + (0.0 if ct.ends_token(q) else _C_PARTIAL_END)
                            self._add(layers, heap, ct.skip_ws(q), j + 1, c, ("match", j, p, q), path)
                        if self.norms[j]:
                            for q in ct.token_ends(p):
                                if _norm(text[p:q]) == self.norms[j] and text[p:q] != w.text:
                                    self._add(layers, heap, ct.skip_ws(q), j + 1, cost + tcost + _C_SUBST, ("subst", j, p, q), path)
                    c = cost + tcost + _C_EXTRA
                    if c <= best + _MARGIN:
                        self._relax(cur, j + 1, c, ("extra", j, p), path)
                        top = max(top, j + 1)
                if p < n:
                    q = ct.chunk_end(p)
                    self._add(layers, heap, ct.skip_ws(q), j, cost + self.c_insert, ("insert", p, q), path)
        return ends

    @staticmethod
    def _add(layers: dict[int, dict[int, _State]], heap: list[int], p: int, i: int, cost: float, step: tuple, parent: object) -> None:
        layer = layers.get(p)
        if layer is None:
            layer = layers[p] = {}
            heapq.heappush(heap, p)
        _Aligner._relax(layer, i, cost, step, parent)

    def run(self) -> list[tuple]:
        """The cheapest steps, in order: ("out", i), ("cue", k), ("match", i, p, q), ("subst", i, p, q),
        ("insert", p, q), ("extra", i, p), ("end", k)."""
        states: dict[int, _State] = {0: (0.0, None)}
        for k in range(len(self.cues)):
            states = self._prune(self._cue(k, self._gap(states, k)))
        n_words = len(self.words)
        tail = self.tail
        i = min(states, key=lambda i: (states[i][0] + tail[i], i))
        path = states[i][1]
        steps: list[tuple] = []
        while path is not None:
            steps.append(path[0])
            path = path[1]
        steps.reverse()
        steps += [("out", j) for j in range(i, n_words)]
        return steps


def _steps_from_ranges(words: list[WordRecord], cues: list[SubtitleCue], texts: list[_CueText]) -> list[tuple] | None:
    """The aligner's steps read from the cues' own word ranges (Wordsync's JSON has them), or
    ``None`` when a cue lacks one or its words do not spell its text in order (then the text
    decides, as for any other file)."""
    if not cues or any(c.word_range is None for c in cues):
        return None
    steps: list[tuple] = []
    nxt = 0  # the first record not placed yet
    for k, (sub, ct) in enumerate(zip(cues, texts)):
        a, b = sub.word_range  # type: ignore[misc]
        if a < nxt or b >= len(words):
            return None
        steps += [("out", i) for i in range(nxt, a)]
        steps.append(("cue", k))
        p = ct.skip_ws(0)
        for i in range(a, b + 1):
            w = words[i].text
            if not ct.text.startswith(w, p):
                return None
            steps.append(("match", i, p, p + len(w)))
            p = ct.skip_ws(p + len(w))
        if p != ct.n:
            return None
        steps.append(("end", k))
        nxt = b + 1
    return steps + [("out", i) for i in range(nxt, len(words))]


def _steps_in_order(words: list[WordRecord], texts: list[_CueText]) -> list[tuple] | None:
    """The steps when the records, in order, spell the cue texts one after another and every
    record is in a cue (the usual file); ``None`` otherwise. Such a reading matches every
    record and every piece of cue text exactly, and text decides (times only break ties), so
    it is the search's answer, found in one pass instead of a beam search."""
    steps: list[tuple] = []
    nxt = 0
    for k, ct in enumerate(texts):
        steps.append(("cue", k))
        p = ct.skip_ws(0)
        if p >= ct.n:
            return None
        while p < ct.n:
            if nxt >= len(words):
                return None
            w = words[nxt].text
            q = p + len(w)
            if not w or not ct.text.startswith(w, p) or not ct.ends_token(q):
                return None
            steps.append(("match", nxt, p, q))
            nxt += 1
            p = ct.skip_ws(q)
        steps.append(("end", k))
    return steps if nxt == len(words) else None


def _sep_from(gap: str) -> str:
    """The separator a gap of cue text stands for; text left out of it (JSON) is not one."""
    if not gap.strip():
        return gap
    trailing = gap[len(gap.rstrip()) :]
    return trailing or gap[: len(gap) - len(gap.lstrip())]


def _shown(items: list[str]) -> str:
    return " / ".join(repr(u) for u in items[:3]) + (" ..." if len(items) > 3 else "")


class _Builder:
    """Tokens and cues from the aligner's steps."""

    def __init__(self, words: list[WordRecord], language: str, tokenize: Tokenizer, keep_text: bool) -> None:
        self.words = words
        self.language = language
        self.tokenize = tokenize
        self.keep_text = keep_text
        self.tokens: list[Token] = []
        self._units: dict[str, tuple[str, ...]] = {}

    def units(self, text: str) -> tuple[str, ...]:
        if text not in self._units:
            self._units[text] = tuple(u for t in self.tokenize(text, self.language) for u in t.units)
        return self._units[text]

    def word_token(self, w: WordRecord, text: str | None = None) -> Token:
        text = w.text if text is None else text
        # phones only for the word as the file wrote it: a retokenised word has other phones
        phones = w.phones if text == w.text else ()
        return Token(text, self.units(text), w.start_ms, w.end_ms, w.confidence, phones=phones)

    def text_tokens(self, chunk: str) -> list[Token]:
        toks = [replace(t.with_times(None, None), brk=Break.NONE) for t in self.tokenize(chunk, self.language)]
        return toks or [Token(chunk, ())]

    def outside(self, i: int) -> None:
        w = self.words[i]
        prev = self.tokens[-1].text if self.tokens else None
        self.tokens.append(replace(self.word_token(w), sep=guess_sep(prev, w.text)))

    def cue(self, ct: _CueText, steps: list[tuple]) -> tuple[int, list[int], list[str], list[str]]:
        """Appends a cue's tokens; returns its first token, line starts, the text added without
        times, and the differences between its text and its records (text left out, records added)."""
        text = ct.text
        first = len(self.tokens)
        line_starts: list[int] = []
        untimed: list[str] = []
        differs: list[str] = []
        done = ct.skip_ws(0)  # how far the text has been used
        after_extra = False
        run: list[int] = []  # [start, end] of cue text without records, not yet added

        def put(new: list[Token], gap: str, extra: bool = False) -> None:
            nonlocal after_extra
            at_start = len(self.tokens) == first
            prev = self.tokens[-1].text if self.tokens else None
            if at_start or "\n" in gap:
                if not at_start:
                    line_starts.append(len(self.tokens) - first)
                sep = guess_sep(prev, new[0].text)
            else:
                sep = _sep_from(gap)
                if not sep and (extra or after_extra):  # no text joins a record the text lacks
                    sep = guess_sep(prev, new[0].text)
            new[0] = replace(new[0], sep=sep)
            self.tokens.extend(new)
            after_extra = extra

        def flush() -> None:
            nonlocal done
            if not run:
                return
            a, b = run
            run.clear()
            chunk = text[a:b]
            if self.keep_text:
                untimed.append(chunk)
                put(self.text_tokens(chunk), text[done:a])
                done = b
            else:
                differs.append(f"{chunk!r} left out")

        for step in steps:
            kind = step[0]
            if kind == "insert":
                _, p, q = step
                if run and "\n" not in text[run[1] : p]:
                    run[1] = q
                else:
                    flush()
                    run[:] = [p, q]
                continue
            flush()
            if kind in ("match", "subst"):
                _, i, p, q = step
                w = self.words[i]
                if kind == "subst" and self.keep_text:
                    tok = self.word_token(w, text[p:q])  # the cue's spelling of an aligner's word
                else:
                    tok = self.word_token(w)
                    if kind == "subst":
                        differs.append(f"{text[p:q]!r} is {w.text!r}")
                put([tok], text[done:p])
                done = q
            elif kind == "extra":
                _, i, p = step
                w = self.words[i]
                differs.append(f"{w.text!r} added")
                put([self.word_token(w)], text[done:p], extra=True)
                done = p
        flush()
        return first, line_starts, untimed, differs


def document_from_words(
    words: Sequence[WordRecord],
    cues: Sequence[SubtitleCue],
    language: str | None,
    tokenize: Tokenizer,
    duration_ms: int | None = None,
    *,
    keep_cue_text: bool = False,
) -> tuple[Document, list[str]]:
    """A document whose tokens are the word records, in order, one token each (the repairs of
    :func:`_repair_words` aside), laid out into cues by the cue texts.

    With ``keep_cue_text`` (TextGrid, whose word tier cannot hold every word), cue text that no
    record matches becomes tokens without times, and a record that matches its cue's text only
    up to case and punctuation takes the cue's spelling. Without it (JSON, whose words array is
    the token list) such text is left out, and the record's own text kept, with a warning.
    """
    warnings: list[str] = []
    repaired = _repair_words(words, warnings)
    language = language or guess_language(" ".join(w.text for w in repaired) + "\n".join(c.text for c in cues))
    ordered = _sorted_cues(cues, warnings)
    subs = [sub for _, sub in ordered]
    aligner = _Aligner(repaired, subs, keep_cue_text, tokenize, language)
    steps = _steps_from_ranges(repaired, subs, aligner.texts) if len(repaired) == len(words) else None
    if steps is None:
        steps = _steps_in_order(repaired, aligner.texts)
    if steps is None:
        steps = aligner.run()
    build = _Builder(repaired, language, tokenize, keep_cue_text)
    out: list[Cue] = []
    s = 0
    while s < len(steps):
        step = steps[s]
        if step[0] == "out":
            build.outside(step[1])
            s += 1
            continue
        assert step[0] == "cue"
        n = step[1]
        e = s + 1
        while steps[e][0] != "end":
            e += 1
        k, sub = ordered[n]
        where = _where(sub, k)
        first, line_starts, untimed, differs = build.cue(aligner.texts[n], steps[s + 1 : e])
        s = e + 1
        if len(build.tokens) == first:
            warnings.append(f"{where} has no words and was skipped")
            continue
        if untimed:
            warnings.append(f"{where}: text without word times in the file ({_shown(untimed)}) was added without times")
        if differs:
            warnings.append(f"{where}: its text does not match the words in the file ({'; '.join(differs[:3])}{' ...' if len(differs) > 3 else ''}); the words were kept")
        cs, ce, prev = _cue_times(sub, where, out[-1] if out else None, warnings)
        if prev is not None:
            out[-1] = prev
        out.append(Cue(first, len(build.tokens) - 1, cs, ce, tuple(line_starts), sub.language, sub.emotion, *_look(sub)))
    tokens = build.tokens
    ends = [t.end for t in tokens if t.end is not None] + [c.end for c in out if c.end is not None]
    if duration_ms is not None and ends and max(ends) > duration_ms:
        warnings.append(f"times run past the stated audio duration ({duration_ms} ms); the duration was extended to {max(ends)} ms")
        duration_ms = max(ends)
    return _finish(Document(tokens, out, duration_ms, language), warnings), warnings


def _finish(doc: Document, warnings: list[str]) -> Document:  # noqa: ARG001
    problems = doc.problems()
    if problems:  # the repairs above should make this unreachable; say so precisely if not
        raise FormatError(msg("format_inconsistent", details="; ".join(problems[:5])))
    return doc
