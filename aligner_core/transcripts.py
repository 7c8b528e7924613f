"""Opening a transcript: the one function the CLI and the editor turn a file into a Document with.

Reading. Every transcript or subtitle file is read by :func:`aligner_core.text.read_transcript_bytes`
(regular files only, never more than the size limit plus one byte) and decoded whatever its
encoding. Its format is then judged by its content (:func:`aligner_core.formats.detect_format`),
whatever the file is called: an SRT, VTT or JSON file saved as ``.txt`` is read as subtitles or word
timings, never aligned as words ("-->", "00:00", "webvtt"); a plain transcript that starts with
"[music]" or "{" is text, not broken JSON. Only when the content shows no format does the suffix
decide (a ``.srt`` that is not SubRip is an error naming the line), and an unknown suffix is text.

What is never aligned as speech. The document keeps two layers (see :class:`~aligner_core.document.Token`):
surface text, shown and exported exactly as written, and aligner units, what an aligner hears.
Text that is shown but never spoken keeps its surface and gets *no units*:

* formatting tags (``<i>``, ``<font color=...>``, ``{\\an8}``) stay on the word they format, as
  punctuation does ("<i>Hello", "there</i>"); the word's units come from its letters only, so the
  word is aligned and the tag is not. The SRT, VTT and ASS readers keep the tags in the cue text
  (karaoke timing and inline timestamps aside: the aligner redoes those), and the writers carry
  them over, each in its own syntax, leaving out (with a note) what a format cannot show (see
  :mod:`aligner_core.formats.markup`). Subtitle rules (line length, reading speed) do not count
  them.
* sound labels ("[music]", "(laughs)", "[door slams]", "（笑）") and speaker labels at a line's start
  ("JOHN:", ">> ANNA:") become tokens of their own with no units. ``♪`` has no letters and so no
  units already.

A token without units (:func:`aligner_core.text.is_speech` is false) is left out of alignment, gets
no times and no flags, and is not counted among the words aligned or missed; its cue takes its
times from its spoken words, so a label never pulls a cue to 0.000 s. A cue made only of such
tokens ("[music]" between two lines of speech) keeps the times the source file gave it when it is
re-timed (see :func:`for_retiming`), fitted after alignment into the gap its neighbours leave
(:func:`fit_silent_cues`); with no gap left it loses its times and export says so.
"""

from __future__ import annotations

import os
from dataclasses import replace

from .document import Cue, Document
from .formats import FORMATS, FormatError, LoadResult, detect_format, load_text, read_text
from .messages import msg
from .text import TranscriptError, is_speech

__all__ = ["load_transcript", "load_transcript_with_report", "transcript_format", "for_retiming", "fit_silent_cues"]


def transcript_format(path: str | os.PathLike[str], text: str) -> str:
    """The format to read ``text`` (the decoded content of ``path``) as: content first, then the
    suffix, and plain text ("txt") when neither says more."""
    guessed = detect_format(text)
    if guessed is not None:
        return guessed
    suffix = os.path.splitext(os.fspath(path))[1].lower()
    for info in FORMATS.values():
        if suffix in info.extensions:
            return info.name
    return "txt"


def load_transcript_with_report(path: str | os.PathLike[str], language: str | None = None) -> LoadResult:
    """A document (tokens without times; subtitles keep their cues and cue times) and the repairs
    the file needed. ``language`` defaults to the file's own or a guess from its text.

    Raises :class:`~aligner_core.text.TranscriptError` when the file cannot be read or holds no
    word to align, and :class:`~aligner_core.formats.FormatError` when it is a damaged subtitle or
    timing file; both carry one sentence.
    """
    text = read_text(path)
    result = load_text(text, transcript_format(path, text), language, path=path)
    if not any(is_speech(t) for t in result.document.tokens):
        name = os.path.basename(os.fspath(path)) or os.fspath(path)
        raise TranscriptError(msg("transcript_no_words", shown=f'"{name}"', name=name))
    return result


def load_transcript(path: str | os.PathLike[str], language: str | None = None) -> Document:
    """See :func:`load_transcript_with_report`; the repairs are not reported here."""
    return load_transcript_with_report(path, language).document


def for_retiming(doc: Document) -> Document:
    """The document with every time cleared, ready to be aligned again: old cue times give way to
    the new word times, except in cues with no spoken word, which keep theirs (nothing else could
    place "[music]" between two lines of speech). Annotation tiers are the user's own, not the
    words': they stay."""
    tokens = [t.with_times(None, None) if t.start is not None or t.end is not None else t for t in doc.tokens]
    cues = [
        c if not any(is_speech(doc.tokens[i]) for i in c.token_range()) else replace(c, start=None, end=None)
        for c in doc.cues
    ]
    return Document(tokens, cues, None, doc.language, tiers=list(doc.tiers))


def fit_silent_cues(doc: Document) -> list[Cue]:
    """The document's cues, with each cue that has no spoken word (and kept its old times) moved
    inside the gap between the cues around it, as aligned now; without room it has no times."""
    cues = list(doc.cues)
    for k, cue in enumerate(cues):
        if cue.start is None or cue.end is None or any(is_speech(doc.tokens[i]) for i in cue.token_range()):
            continue
        lo = next((e for e in (doc.cue_times(c)[1] for c in reversed(cues[:k])) if e is not None), 0)
        hi = next((s for s in (doc.cue_times(c)[0] for c in cues[k + 1 :]) if s is not None), None)
        if hi is None:
            hi = doc.duration_ms if doc.duration_ms is not None else cue.end
        start, end = max(cue.start, lo), min(cue.end, hi)
        cues[k] = replace(cue, start=start, end=end) if start < end else replace(cue, start=None, end=None)
    return cues


# FormatError is part of this module's contract; re-exported for callers that catch it here.
__all__ += ["FormatError", "TranscriptError"]
