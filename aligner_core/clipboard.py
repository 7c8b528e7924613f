"""Words and cues on the clipboard: a JSON payload (never pickle), checked before it is used.

The payload is what the editor puts under its private MIME type (:data:`MIME_TYPE`) next to the
plain text other programs read. Times are relative to the first time in the payload, so pasted
words can land anywhere. Only what still means something at a new place travels: text, spacing,
line hints, aligner units, relative times, and the cues whole (layout, language, emotion and look:
a clip's cue is a :class:`~aligner_core.document.Cue` whose indices and times are the clip's). Locks,
confidence, aligner flags and phones described the words where they were measured and are left
behind (see :mod:`aligner_core.word_insert` for what pasted words become).

:func:`parse_payload` accepts only a well-formed payload; anything else is a
:class:`ClipboardError` carrying one sentence.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields, replace

from .document import EMOTIONS, Break, Cue, Document, look_problem
from .messages import msg

__all__ = ["MIME_TYPE", "ClipWord", "Clip", "ClipboardError", "copy_clip", "to_json", "parse_payload", "plain_text", "clip_cues"]

MIME_TYPE = "application/x-wordsync-words+json"
KIND = "wordsync-words"
VERSION = 1
#: a clipboard this big is not words someone copied (and would stall the editor to check)
MAX_BYTES = 20_000_000
MAX_WORDS = 200_000
MAX_TEXT = 1_000


class ClipboardError(ValueError):
    """The clipboard's data cannot be pasted (carries a Message)."""


@dataclass(frozen=True)
class ClipWord:
    text: str
    sep: str = " "
    brk: int = 0
    units: tuple[str, ...] | None = None
    start: int | None = None  # ms relative to the clip's origin
    end: int | None = None


@dataclass(frozen=True)
class Clip:
    words: tuple[ClipWord, ...]
    #: word indices inside the clip, times relative to its origin; everything else as in the document
    cues: tuple[Cue, ...] = ()
    language: str = ""


def copy_clip(doc: Document, first: int, last: int, cues: range = range(0)) -> Clip:
    """Words ``first..last`` (and, when ``cues`` is given, those cues, which must hold exactly
    those words) as a clip with times relative to its earliest time."""
    tokens = doc.tokens[first : last + 1]
    times = [t.start for t in tokens if t.start is not None]
    times += [v for c in cues for v in (doc.cues[c].start,) if v is not None]
    origin = min(times) if times else 0

    def rel(v: int | None) -> int | None:
        return None if v is None else v - origin

    words = tuple(
        ClipWord(t.text, t.sep, int(t.brk) if k else 0, tuple(t.units), rel(t.start), rel(t.end)) for k, t in enumerate(tokens)
    )
    clip_cues = tuple(
        replace(c, first=c.first - first, last=c.last - first, start=rel(c.start), end=rel(c.end), line_starts=tuple(c.line_starts))
        for c in (doc.cues[i] for i in cues)
    )
    return Clip(words, clip_cues, doc.language)


def to_json(clip: Clip) -> str:
    return json.dumps(
        {
            "kind": KIND,
            "version": VERSION,
            "language": clip.language,
            "words": [
                {"text": w.text, "sep": w.sep, "brk": w.brk, "units": list(w.units) if w.units is not None else None,
                 "start": w.start, "end": w.end}
                for w in clip.words
            ],
            "cues": [{f.name: list(v) if isinstance(v := getattr(c, f.name), tuple) else v for f in fields(Cue)} for c in clip.cues],
        },
        ensure_ascii=False,
    )


def plain_text(doc: Document, first: int, last: int, cues: range = range(0)) -> str:
    """What other programs get: the cues' text (a blank line between cues), or the words."""
    if cues:
        return "\n\n".join(doc.cue_text(doc.cues[c]) for c in cues)
    return doc.join(first, last)


def _bad(reason: str) -> ClipboardError:
    return ClipboardError(msg("clipboard_bad_payload", reason=reason))


def parse_payload(data: bytes | str) -> Clip:
    """The clip in ``data``, or :class:`ClipboardError` when it is not a valid payload."""
    if len(data) > MAX_BYTES:
        raise _bad("it is too large")
    try:
        raw = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise _bad(f"not JSON: {exc}") from None
    if not isinstance(raw, dict) or raw.get("kind") != KIND:
        raise _bad("not a Wordsync payload")
    if raw.get("version") != VERSION:
        raise _bad(f"version {raw.get('version')!r} is not {VERSION}")
    language = raw.get("language", "")
    words_raw, cues_raw = raw.get("words"), raw.get("cues", [])
    if not isinstance(language, str) or not isinstance(words_raw, list) or not isinstance(cues_raw, list):
        raise _bad("'language' must be text, 'words' and 'cues' lists")
    if not words_raw:
        raise _bad("it has no words")
    if len(words_raw) > MAX_WORDS:
        raise _bad("it has too many words")
    words = tuple(_word(k, w) for k, w in enumerate(words_raw))
    prev_end = None
    for k, w in enumerate(words):
        if w.start is not None:
            if prev_end is not None and w.start < prev_end:
                raise _bad(f"word {k + 1} overlaps the word before it")
            prev_end = w.end
    cues = tuple(_cue(k, c, len(words)) for k, c in enumerate(cues_raw))
    for k in range(1, len(cues)):
        a, b = cues[k - 1], cues[k]
        if b.first <= a.last:
            raise _bad(f"cue {k + 1} shares words with the cue before it")
        if a.end is not None and b.start is not None and b.start < a.end:
            raise _bad(f"cue {k + 1} overlaps the cue before it in time")
    if cues and (cues[0].first != 0 or cues[-1].last != len(words) - 1 or any(b.first != a.last + 1 for a, b in zip(cues, cues[1:]))):
        raise _bad("its cues do not hold exactly its words")
    return Clip(words, cues, language)


def _int_or_none(v: object, what: str) -> int | None:
    if v is None:
        return None
    if type(v) is not int or not 0 <= v <= 10**10:
        raise _bad(f"{what} must be a whole number of milliseconds")
    return v


def _times(start: object, end: object, what: str) -> tuple[int | None, int | None]:
    s, e = _int_or_none(start, f"{what}'s start"), _int_or_none(end, f"{what}'s end")
    if (s is None) != (e is None):
        raise _bad(f"{what} has only one of start and end")
    if s is not None and e is not None and s > e:
        raise _bad(f"{what} ends before it starts")
    return s, e


def _word(k: int, w: object) -> ClipWord:
    what = f"word {k + 1}"
    if not isinstance(w, dict):
        raise _bad(f"{what} is not an object")
    text, sep, brk, units = w.get("text"), w.get("sep", " "), w.get("brk", 0), w.get("units")
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT or "\n" in text or "\r" in text:
        raise _bad(f"{what} has no usable text")
    if not isinstance(sep, str) or len(sep) > 8 or sep.strip(" \u3000"):
        raise _bad(f"{what}'s separator is not white space")
    if type(brk) is not int or brk not in tuple(Break):
        raise _bad(f"{what}'s break is not one of {[int(b) for b in Break]}")
    if units is not None:
        if not isinstance(units, list) or not all(isinstance(u, str) and u and len(u) <= MAX_TEXT for u in units):
            raise _bad(f"{what}'s units are not a list of text")
        units = tuple(units)
    start, end = _times(w.get("start"), w.get("end"), what)
    return ClipWord(text, sep, brk, units, start, end)


def _cue(k: int, c: object, n_words: int) -> Cue:
    what = f"cue {k + 1}"
    if not isinstance(c, dict):
        raise _bad(f"{what} is not an object")
    first, last = c.get("first"), c.get("last")
    if type(first) is not int or type(last) is not int or not 0 <= first <= last < n_words:
        raise _bad(f"{what}'s words are not among the clip's")
    starts = c.get("line_starts", [])
    if not isinstance(starts, list) or any(type(o) is not int for o in starts) or starts != sorted(set(starts)) or any(
        not 0 < o <= last - first for o in starts
    ):
        raise _bad(f"{what}'s line layout is not valid")
    language, emotion = c.get("language"), c.get("emotion")
    if language is not None and (not isinstance(language, str) or len(language) > 35):
        raise _bad(f"{what}'s language is not a language code")
    if emotion is not None and emotion not in EMOTIONS:
        raise _bad(f"{what}'s emotion is not one of {', '.join(EMOTIONS)}")
    align, pos, style = c.get("align"), c.get("pos"), c.get("style")
    pos = tuple(pos) if type(pos) is list else pos
    problem = look_problem(align, pos, style)
    if problem:
        raise _bad(f"{what}'s {problem}")
    start, end = _times(c.get("start"), c.get("end"), what)
    return Cue(first, last, start, end, tuple(starts), language=language, emotion=emotion, align=align, pos=pos, style=style)


def clip_cues(clip: Clip, first_token: int, shift: int | None) -> list[Cue]:
    """The clip's cues placed at token ``first_token`` with times moved by ``shift`` (``None``:
    the cues follow their words' times)."""
    def moved(v: int | None) -> int | None:
        return v + shift if shift is not None and v is not None else None

    return [replace(c.shifted(first_token), start=moved(c.start), end=moved(c.end)) for c in clip.cues]

