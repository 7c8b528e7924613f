"""Documents from the records readers return.

Subtitles (SRT, VTT, ASS) become a transcript for re-timing existing subtitles: each
subtitle's lines are tokenized, the tokens have no times, and one :class:`Cue` per subtitle
keeps the subtitle's start/end as hints and its line layout. Each subtitle after the first
starts with ``Break.PARAGRAPH`` and each of its further lines with ``Break.LINE``, as if the
user had typed the subtitles as a transcript.

Word timings (TextGrid, JSON) keep their words as tokens, one token per word record, with the
record's times and confidence (units from tokenizing the word). The cue texts decide how the
words are joined (the separator between them) and where lines break; text in a cue with no
word record (a word a TextGrid could not hold) is tokenized into tokens without times, so the
cue text survives whole.

Real files break the document's rules (overlapping subtitles, words out of order, negative
times); those are repaired and every repair is listed in the warnings.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from ..document import Break, Cue, Document, Token
from .common import FormatError, SubtitleCue, Tokenizer, WordRecord, guess_language, guess_sep, is_spaceless

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
            if not line:
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
        out.append(Cue(first, len(tokens) - 1, s, e, tuple(line_starts)))
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
        out.append(WordRecord(text, s, e, conf))
    warnings.extend(f"{n} {kind}" for kind, n in counts.items())
    return out


def _boundary(text: str, pos: int, word: str) -> bool:
    """Whether ``word`` at ``pos`` starts a token: after whitespace, or between spaceless characters."""
    if pos == 0:
        return True
    before = text[pos - 1]
    return before.isspace() or is_spaceless(before) or is_spaceless(word[0])


def _find_word(text: str, word: str, start: int, limit: int) -> int:
    pos = text.find(word, start, limit)
    while pos >= 0 and not _boundary(text, pos, word):
        pos = text.find(word, pos + 1, limit)
    return pos


class _WordAssembler:
    def __init__(self, words: list[WordRecord], language: str, tokenize: Tokenizer) -> None:
        self.words = words
        self.language = language
        self.tokenize = tokenize
        self.tokens: list[Token] = []
        self.wi = 0
        self._units: dict[str, tuple[str, ...]] = {}

    def units(self, text: str) -> tuple[str, ...]:
        if text not in self._units:
            self._units[text] = tuple(u for t in self.tokenize(text, self.language) for u in t.units)
        return self._units[text]

    def word_token(self, w: WordRecord) -> Token:
        return Token(w.text, self.units(w.text), w.start_ms, w.end_ms, w.confidence)

    def text_tokens(self, chunk: str) -> list[Token]:
        toks = [replace(t.with_times(None, None), brk=Break.NONE) for t in self.tokenize(chunk, self.language)]
        return toks or [Token(chunk, ())]

    def append_outside(self) -> None:
        w = self.words[self.wi]
        self.wi += 1
        prev = self.tokens[-1].text if self.tokens else None
        self.tokens.append(replace(self.word_token(w), sep=guess_sep(prev, w.text)))

    def is_outside(self, w: WordRecord, sub: SubtitleCue) -> bool:
        """Whether the next word record comes before this cue's text (is in no cue)."""
        text = sub.text
        lead = len(text) - len(text.lstrip())
        if text.startswith(w.text, lead):
            return False
        if w.start_ms is not None and w.end_ms is not None:
            # Timed: by time. Its text may well be missing here when the file lacks some words.
            return w.end_ms <= sub.start_ms and w.start_ms < sub.start_ms
        return _find_word(text, w.text, lead + 1, len(text)) < 0

    @staticmethod
    def belongs_later(w: WordRecord, sub: SubtitleCue, next_start: int | None) -> bool:
        """A timed word after this cue's end and at or after the next cue's start is the next cue's,
        even when this cue's text has the same word where the record would go (an untimed copy)."""
        if w.start_ms is None or next_start is None or w.start_ms < sub.end_ms or w.start_ms < next_start:
            return False
        # A zero-length word exactly at this cue's end fits either cue; it stays here when this
        # cue's text has it next (JSON keeps such words; moving it would shift every later word).
        return not (w.end_ms == w.start_ms == sub.end_ms)

    def cue_tokens(self, sub: SubtitleCue, next_start: int | None) -> tuple[int, list[int], list[str]]:
        """Appends the cue's tokens; returns the first index, line starts and untimed text."""
        text = sub.text
        first = len(self.tokens)
        line_starts: list[int] = []
        untimed: list[str] = []
        pos = 0
        while True:
            gap_end = pos
            while gap_end < len(text) and text[gap_end].isspace():
                gap_end += 1
            gap = text[pos:gap_end]
            pos = gap_end
            if pos >= len(text):
                break
            w = self.words[self.wi] if self.wi < len(self.words) else None
            if w is not None and self.belongs_later(w, sub, next_start):
                w = None
            if w is not None and text.startswith(w.text, pos):
                new = [self.word_token(w)]
                self.wi += 1
                pos += len(w.text)
            else:
                limit = text.find("\n", pos)
                limit = len(text) if limit < 0 else limit
                nxt = _find_word(text, w.text, pos + 1, limit) if w is not None else -1
                chunk = text[pos : nxt if nxt > 0 else limit].rstrip()
                pos += len(chunk)
                untimed.append(chunk)
                new = self.text_tokens(chunk)
            at_start = len(self.tokens) == first
            if at_start or "\n" in gap:
                if not at_start:
                    line_starts.append(len(self.tokens) - first)
                prev = self.tokens[-1].text if self.tokens else None
                new[0] = replace(new[0], sep=guess_sep(prev, new[0].text))
            else:
                new[0] = replace(new[0], sep=gap)
            self.tokens.extend(new)
        return first, line_starts, untimed


def document_from_words(
    words: Sequence[WordRecord],
    cues: Sequence[SubtitleCue],
    language: str | None,
    tokenize: Tokenizer,
    duration_ms: int | None = None,
) -> tuple[Document, list[str]]:
    warnings: list[str] = []
    repaired = _repair_words(words, warnings)
    language = language or guess_language(" ".join(w.text for w in repaired) + "\n".join(c.text for c in cues))
    asm = _WordAssembler(repaired, language, tokenize)
    out: list[Cue] = []
    ordered = _sorted_cues(cues, warnings)
    for n, (k, sub) in enumerate(ordered):
        where = _where(sub, k)
        while asm.wi < len(repaired) and asm.is_outside(repaired[asm.wi], sub):
            asm.append_outside()
        next_start = ordered[n + 1][1].start_ms if n + 1 < len(ordered) else None
        first, line_starts, untimed = asm.cue_tokens(sub, next_start)
        if len(asm.tokens) == first:
            warnings.append(f"{where} has no words and was skipped")
            continue
        if untimed:
            shown = " / ".join(repr(u) for u in untimed[:3]) + (" ..." if len(untimed) > 3 else "")
            warnings.append(f"{where}: text without word times in the file ({shown}) was added without times")
        s, e, prev = _cue_times(sub, where, out[-1] if out else None, warnings)
        if prev is not None:
            out[-1] = prev
        out.append(Cue(first, len(asm.tokens) - 1, s, e, tuple(line_starts)))
    while asm.wi < len(repaired):
        asm.append_outside()
    ends = [t.end for t in asm.tokens if t.end is not None] + [c.end for c in out if c.end is not None]
    if duration_ms is not None and ends and max(ends) > duration_ms:
        warnings.append(f"times run past the stated audio duration ({duration_ms} ms); the duration was extended to {max(ends)} ms")
        duration_ms = max(ends)
    return _finish(Document(asm.tokens, out, duration_ms, language), warnings), warnings


def _finish(doc: Document, warnings: list[str]) -> Document:  # noqa: ARG001
    problems = doc.problems()
    if problems:  # the repairs above should make this unreachable; say so precisely if not
        raise FormatError("the file gives an inconsistent document: " + "; ".join(problems[:5]))
    return doc
