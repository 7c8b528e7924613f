"""What a recogniser heard, as a draft Document: tokens flagged unreviewed, segments, sound cues.

Each heard word is read by :func:`aligner_core.text.tokenize` (the one definition of tokens: a
Chinese word becomes one token per character, punctuation stays on its word), flagged
:attr:`~aligner_core.document.Flag.DRAFT`, and carries the recogniser's confidence. A window's
words are one segment: its first token starts a paragraph (a hint for cue segmentation) and its
language and emotion are the segment's attributes. A sound event becomes a cue of its own holding
one bracketed label with no units, exactly what a typed "(laughter)" becomes when a transcript
is read; its times are the window's, fitted later into the gap the speech around it leaves.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Sequence

from ..document import Break, Cue, Flag, Token
from ..text import tokenize
from .events import event_label
from .types import Heard
from .windows import Window

__all__ = ["Segment", "Draft", "build_draft"]


@dataclass(frozen=True)
class Segment:
    """One decoded window's part of the draft: its words are tokens ``first..last`` (None when
    the window held no words). A sound event heard with speech is the label token ``label`` just
    before the words, shown in their first cue as subtitles write it ("(laughter) So, ...");
    heard alone (music, applause) it is a cue of its own, ``sound``."""

    start_ms: int
    end_ms: int
    first: int | None
    last: int | None
    language: str | None = None
    emotion: str | None = None
    event: str | None = None
    label: int | None = None  # the event's label token, heard with the words
    sound: int | None = None  # the event's label token, a cue of its own (the window's times)


@dataclass
class Draft:
    tokens: list[Token]
    segments: list[Segment]
    language: str

    @property
    def events(self) -> int:
        return sum(1 for s in self.segments if s.event is not None)


def build_draft(windows: Sequence[Window], heard: Sequence[Heard], language: str, events: bool = True) -> Draft:
    """``language`` is the request's ("auto" or a code); the draft's is the one heard most."""
    lang = _majority([h.language for h in heard if h.words]) if language == "auto" else language
    lang = lang or ("en" if language == "auto" else language)
    tokens: list[Token] = []
    segments: list[Segment] = []
    for win, h in zip(windows, heard):
        event = h.event if events else None
        label = None
        if event is not None and h.words:
            label = len(tokens)
            tokens.append(Token(event_label(event, lang), (), brk=int(Break.PARAGRAPH)))
        first = len(tokens)
        for w in h.words:
            toks = tokenize(w.text, h.language or lang)
            for k, tok in enumerate(toks):
                start = end = None
                if w.start_ms is not None and w.end_ms is not None and len(toks) == 1:
                    start, end = win.start_ms + w.start_ms, win.start_ms + max(w.start_ms, w.end_ms)
                sep = tok.sep if k else ("" if h.spaceless and len(tokens) > first else " ")
                brk = tok.brk
                if len(tokens) == first:  # the segment's first word starts a paragraph, unless its label does
                    brk = int(Break.NONE) if label is not None else int(Break.PARAGRAPH)
                tokens.append(
                    replace(
                        tok,
                        sep=sep,
                        brk=brk,
                        flags=int(tok.flags) | int(Flag.DRAFT),
                        confidence=None if w.confidence is None else float(min(1.0, max(0.0, w.confidence))),
                        start=start,
                        end=end,
                    )
                )
        if len(tokens) == first and label is not None:  # the words were all punctuation: the label stands alone
            label = None
            tokens[-1:] = []
            first = len(tokens)
        last = len(tokens) - 1 if len(tokens) > first else None
        sound = None
        if event is not None and label is None:
            sound = len(tokens)
            tokens.append(Token(event_label(event, lang), (), brk=int(Break.PARAGRAPH)))
        segments.append(Segment(win.start_ms, win.end_ms, first if last is not None else None, last, h.language, h.emotion, event, label, sound))
    return Draft(tokens, segments, lang)


def _majority(values: Sequence[str | None]) -> str | None:
    counts: dict[str, int] = {}
    for v in values:
        if v:
            counts[v] = counts.get(v, 0) + 1
    return max(counts, key=counts.__getitem__) if counts else None


def draft_cues(segments: Sequence[Segment], speech_cues: Callable[[Segment], list[Cue]]) -> list[Cue]:
    """All cues in token order: ``speech_cues(segment)`` over each segment's words (its label
    joining the first), and a cue with the window's times for each sound heard alone."""
    cues: list[Cue] = []
    for seg in segments:
        if seg.first is not None and seg.last is not None:
            made = speech_cues(seg)
            if seg.label is not None and made:
                head = made[0]
                made[0] = replace(head, first=seg.label, line_starts=tuple(o + 1 for o in head.line_starts))
            cues.extend(replace(c, language=seg.language, emotion=seg.emotion) for c in made)
        if seg.sound is not None:
            cues.append(Cue(seg.sound, seg.sound, seg.start_ms, seg.end_ms, language=seg.language))
    return cues
