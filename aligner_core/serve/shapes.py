"""The JSON shapes other tools' clients expect: Gentle's alignment and OpenAI's transcription.

Gentle (``POST /transcriptions``): ``{"transcript": ..., "words": [...]}`` with, per word,
``word`` (as written, without punctuation), ``alignedWord`` (what was matched, lower case),
``case`` ("success" or "not-found-in-audio"), ``start``/``end`` in seconds (only when found, as
Gentle leaves them out) and ``startOffset``/``endOffset``: the word's character span in the
transcript, so a client can highlight it in its own copy of the text.

OpenAI (``POST /v1/audio/transcriptions``, ``verbose_json``): ``task``, ``language``,
``duration``, ``text``, ``segments`` and, with ``timestamp_granularities[]=word``, ``words``;
Wordsync adds ``events`` (sound events heard: laughter, music) and ``emotions`` per segment.
"""

from __future__ import annotations

from ..document import Document
from ..text import is_speech, strip_markup


def _bare(text: str) -> str:
    """A word without its markup and the punctuation around it ("<i>Americans," -> "Americans")."""
    word = strip_markup(text)
    lo, hi = 0, len(word)
    while lo < hi and not word[lo].isalnum():
        lo += 1
    while hi > lo and not word[hi - 1].isalnum():
        hi -= 1
    return word[lo:hi] or word


def gentle_json(doc: Document, transcript: str) -> dict:
    words = []
    pos = 0
    for token in doc.tokens:
        if not is_speech(token):
            continue
        word = _bare(token.text)
        entry: dict = {"word": word}
        found = transcript.find(word, pos)
        if token.aligned:
            entry.update(alignedWord=word.lower(), case="success", start=round(token.start / 1000, 3), end=round(token.end / 1000, 3))
        else:
            entry.update(case="not-found-in-audio")
        if found >= 0:
            entry.update(startOffset=found, endOffset=found + len(word))
            pos = found + len(word)
        words.append(entry)
    return {"transcript": transcript, "words": words}


def _s(ms: int | None) -> float | None:
    return None if ms is None else round(ms / 1000, 3)


def openai_verbose(result, *, words: bool) -> dict:
    """OpenAI's ``verbose_json`` from a :class:`~aligner_core.transcribe.TranscriptionResult`."""
    doc, s = result.document, result.summary
    segments, events, emotions = [], [], []
    for k, seg in enumerate(result.segments):
        text = doc.join(seg.first, seg.last).strip() if seg.first is not None and seg.last is not None else ""
        segments.append({"id": k, "start": _s(seg.start_ms), "end": _s(seg.end_ms), "text": text,
                         "language": seg.language, "emotion": seg.emotion, "event": seg.event})
        if seg.event:
            events.append({"event": seg.event, "start": _s(seg.start_ms), "end": _s(seg.end_ms), "segment": k})
        if seg.emotion:
            emotions.append({"emotion": seg.emotion, "start": _s(seg.start_ms), "end": _s(seg.end_ms), "segment": k})
    body = {
        "task": "transcribe",
        "language": s.language,
        "duration": round(s.audio_s, 3),
        "text": openai_text(result),
        "segments": segments,
        "events": events,
        "emotions": emotions,
        "recogniser": s.recogniser,
    }
    if words:
        body["words"] = [
            {"word": strip_markup(t.text), "start": _s(t.start), "end": _s(t.end), "confidence": t.confidence}
            for t in doc.tokens if is_speech(t) and t.aligned
        ]
    return body


def openai_text(result) -> str:
    doc = result.document
    parts = [doc.join(seg.first, seg.last).strip() for seg in result.segments if seg.first is not None and seg.last is not None]
    joiner = "" if doc.tokens and all(t.sep == "" for t in doc.tokens[1:]) else " "
    return joiner.join(p for p in parts if p)
