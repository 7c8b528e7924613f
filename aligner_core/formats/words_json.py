"""Word-level JSON, the shape Qwen3-ForcedAligner users pass around::

    {"audio_duration": 12.3, "language": "en", "aligner": "sphinx",
     "aligner_version": "...", "aligner_settings": {...}, "untranscribed": [{"start": 0.0, "end": 20.1}],
     "words": [{"word": "Hello", "start": 0.12, "end": 0.5, "confidence": 0.93},
               {"word": "world", "start": null, "end": null, "confidence": 0.0, "flags": ["not_found"]}, ...],
     "cues": [{"start": 0.12, "end": 1.5, "text": "Hello\\nworld", "word_range": [0, 1]}]}

A word with a phone tier (:attr:`aligner_core.document.Token.phones`) also has
``"phones": [{"phone": "HH", "start": 0.12, "end": 0.2}, ...]``: Gentle's place and key (a
``phones`` list inside each word, ``"phone"``) with absolute times as MFA writes its intervals
(Gentle's ``duration`` alone cannot say where a phone starts without summing); the labels in order
are the pronunciation the aligner used. The reader also takes Gentle's ``duration`` form and
``label``/``text`` for the phone.

Times are seconds with millisecond precision; a word without times has ``null`` start/end. A word
carries ``flags`` (the aligner's warnings) and ``locked`` only when it has them; the aligner's
version, settings and the untranscribed spans it found are written when the exporter knows them.
``word_range`` (Wordsync's addition; other tools ignore it) names the first and last index of the
cue's words in ``words``, so the words come back in their cues exactly; files without it are
placed by matching the cue texts to the words.
One word per line, so diffs stay readable. The reader also takes what neighbouring tools
write: a bare list of words, ``text``/``start_time``/``end_time`` keys (qwen-asr's
ForcedAlignItem), ``score``/``probability`` for confidence, and WhisperX's ``segments``
(each with its ``words``) in place of ``cues``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

from ..document import Flag
from ..messages import msg
from .common import (
    ExportOptions,
    ExportPlan,
    FormatError,
    SubtitleCue,
    WordRecord,
    language_code,
    ms_to_seconds,
    normalize_newlines,
    phones_of_word,
    seconds_to_ms,
    without_bom,
)

__all__ = ["WordTimings", "render_words_json", "parse_words_json", "flag_names"]


def flag_names(flags: int) -> list[str]:
    """A token's warning flags as lower-case names ("low_confidence", "not_found", ...)."""
    return [f.name.lower() for f in Flag if f.value and flags & f.value and f.name]


@dataclass
class WordTimings:
    words: list[WordRecord]
    cues: list[SubtitleCue] = field(default_factory=list)
    duration_ms: int | None = None
    language: str | None = None
    aligner: str | None = None
    #: speech no word covers, ``[(start_ms, end_ms)]`` as written ("untranscribed")
    untranscribed: list[tuple[int, int]] = field(default_factory=list)


def _sec(ms: int | None) -> float | None:
    return None if ms is None else ms_to_seconds(ms)


def render_words_json(plan: ExportPlan, options: ExportOptions, karaoke: bool = False) -> str:  # noqa: ARG001
    ends = [w.end for w in plan.words if w.end is not None] + [c.end for c in plan.cues]
    duration = plan.duration_ms
    if ends and (duration is None or max(ends) > duration):
        duration = max(ends)
    dumps = lambda v: json.dumps(v, ensure_ascii=False)  # noqa: E731
    words = [
        dumps(
            {
                "word": w.text,
                "start": _sec(w.start),
                "end": _sec(w.end),
                "confidence": None if w.confidence is None else float(w.confidence),
                **({"flags": flag_names(w.flags)} if w.flags else {}),
                **({"locked": True} if w.locked else {}),
                **({"phones": [{"phone": p.label, "start": _sec(p.start), "end": _sec(p.end)} for p in w.phones]} if w.phones else {}),
            }
        )
        for w in plan.words
    ]
    position = {w.index: k for k, w in enumerate(plan.words)}

    def cue(c) -> str:
        obj = {"start": _sec(c.start), "end": _sec(c.end), "text": c.text, **c.attrs}
        ids = [position.get(w.index) for line in c.spans for w in line]
        if ids and None not in ids:
            obj["word_range"] = [ids[0], ids[-1]]  # Wordsync's addition: which words the cue holds
        return dumps(obj)

    cues = [cue(c) for c in plan.cues]

    def block(items: list[str]) -> str:
        return "[]" if not items else "[\n" + ",\n".join("    " + it for it in items) + "\n  ]"

    about = ""  # the aligner's version and settings, and what it found untranscribed, when known
    if options.aligner_version is not None:
        about += f'  "aligner_version": {dumps(options.aligner_version)},\n'
    if options.aligner_settings is not None:
        about += f'  "aligner_settings": {dumps(options.aligner_settings)},\n'
    if options.untranscribed:
        spans = [{"start": _sec(a), "end": _sec(b)} for a, b in options.untranscribed]
        about += f'  "untranscribed": {dumps(spans)},\n'
    return (
        "{\n"
        f'  "audio_duration": {dumps(_sec(duration))},\n'
        f'  "language": {dumps(plan.language)},\n'
        f'  "aligner": {dumps(options.aligner)},\n'
        f"{about}"
        f'  "words": {block(words)},\n'
        f'  "cues": {block(cues)}\n'
        "}\n"
    )


# -- reading ----------------------------------------------------------------------------------------


def _first(obj: dict, keys: tuple[str, ...]) -> tuple[str | None, object]:
    for k in keys:
        if k in obj:
            return k, obj[k]
    return None, None


def _finite(value: int | float) -> bool:
    try:
        return math.isfinite(value) and abs(value) < 1e12  # an int of 400 digits overflows a float
    except OverflowError:
        return False


def _time(value: object, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not _finite(value):
        raise FormatError(msg("json_time", where=where, found=json.dumps(value)[:40]))
    return seconds_to_ms(float(value))


def _word(obj: object, where: str) -> WordRecord:
    if not isinstance(obj, dict):
        raise FormatError(msg("json_word_object", where=where, found=type(obj).__name__))
    key, text = _first(obj, ("word", "text", "token"))
    if key is None:
        raise FormatError(msg("json_no_word", where=where))
    if not isinstance(text, str):
        raise FormatError(msg("json_not_string", where=f"{where}.{key}"))
    skey, s = _first(obj, ("start", "start_time", "begin"))
    ekey, e = _first(obj, ("end", "end_time", "stop"))
    start = _time(s, f"{where}.{skey or 'start'}")
    end = _time(e, f"{where}.{ekey or 'end'}")
    ckey, c = _first(obj, ("confidence", "score", "probability"))
    if c is not None and (isinstance(c, bool) or not isinstance(c, (int, float)) or not _finite(c)):
        raise FormatError(msg("json_confidence", where=f"{where}.{ckey}"))
    phones = _phones(obj.get("phones"), start, end, f"{where}.phones") if "phones" in obj else ()
    return WordRecord(text.strip(), start, end, None if c is None else float(c), phones)


def _phones(value: object, start: int | None, end: int | None, where: str) -> tuple:
    """MFA-style ``start``/``end`` per phone, or Gentle's ``duration`` summed from the word's start."""
    items = []
    cursor = start
    for k, obj in enumerate(_list(value, where)):
        at = f"{where}[{k}]"
        if not isinstance(obj, dict):
            raise FormatError(msg("json_word_object", where=at, found=type(obj).__name__))
        key, label = _first(obj, ("phone", "label", "text"))
        if not isinstance(label, str):
            raise FormatError(msg("json_not_string", where=f"{at}.{key or 'phone'}"))
        if "start" in obj or "end" in obj:
            a, b = _time(obj.get("start"), f"{at}.start"), _time(obj.get("end"), f"{at}.end")
        else:
            d = _time(obj.get("duration"), f"{at}.duration")
            a, b = cursor, None if cursor is None or d is None else cursor + d
        if a is None or b is None:
            return ()  # a phone without times: the word keeps its times and has no phone tier
        items.append((label, a, b))
        cursor = b
    return phones_of_word(items, start, end)


def _cue(obj: object, where: str) -> SubtitleCue:
    if not isinstance(obj, dict):
        raise FormatError(msg("json_cue_object", where=where))
    text = obj.get("text", "")
    if not isinstance(text, str):
        raise FormatError(msg("json_not_string", where=f"{where}.text"))
    start = _time(obj.get("start"), f"{where}.start")
    end = _time(obj.get("end"), f"{where}.end")
    if start is None or end is None:
        raise FormatError(msg("json_cue_times", where=where))
    lines = [ln.strip() for ln in normalize_newlines(text).split("\n")]
    rng = obj.get("word_range")
    word_range = None
    if isinstance(rng, list) and len(rng) == 2 and all(type(v) is int and v >= 0 for v in rng) and rng[0] <= rng[1]:
        word_range = (rng[0], rng[1])  # anything else is ignored: the cue text still places it
    attrs = {k: obj[k] for k in ("language", "emotion") if isinstance(obj.get(k), str) and obj[k]}
    # the cue's look (Wordsync's addition); what is not sound is dropped when the document is built
    pos = obj.get("pos")
    attrs.update(align=obj.get("align"), pos=tuple(pos) if isinstance(pos, list) else None, style=obj.get("style"))
    return SubtitleCue(start, end, "\n".join(ln for ln in lines if ln), word_range=word_range, **attrs)


def _span(obj: object, where: str) -> tuple[int, int]:
    if not isinstance(obj, dict):
        raise FormatError(msg("json_cue_object", where=where))
    start = _time(obj.get("start"), f"{where}.start")
    end = _time(obj.get("end"), f"{where}.end")
    if start is None or end is None:
        raise FormatError(msg("json_cue_times", where=where))
    return start, end


def _list(value: object, where: str) -> list:
    if not isinstance(value, list):
        raise FormatError(msg("json_not_list", where=where))
    return value


def parse_words_json(text: str) -> WordTimings:
    try:
        data = json.loads(without_bom(text))
    except json.JSONDecodeError as exc:
        raise FormatError(msg("json_invalid", reason=exc.msg, column=exc.colno), exc.lineno) from None
    except RecursionError:  # "[[[[..." 100,000 deep: the parser gives up, and so do we, in one sentence
        raise FormatError(msg("json_too_deep")) from None
    if isinstance(data, list):
        return WordTimings([_word(w, f"[{i}]") for i, w in enumerate(data)])
    if not isinstance(data, dict):
        raise FormatError(msg("json_not_object"), 1)
    words: list[WordRecord] = []
    cues: list[SubtitleCue] = []
    if "words" in data or "word_segments" in data:
        key = "words" if "words" in data else "word_segments"
        words = [_word(w, f"{key}[{i}]") for i, w in enumerate(_list(data[key], key))]
    if "cues" in data:
        cues = [_cue(c, f"cues[{i}]") for i, c in enumerate(_list(data["cues"], "cues"))]
    elif "segments" in data:
        segs = _list(data["segments"], "segments")
        cues = [_cue(c, f"segments[{i}]") for i, c in enumerate(segs)]
        if "words" not in data and "word_segments" not in data:
            for i, seg in enumerate(segs):
                seg_words = seg.get("words", []) if isinstance(seg, dict) else []
                words += [_word(w, f"segments[{i}].words[{j}]") for j, w in enumerate(_list(seg_words, f"segments[{i}].words"))]
    if not words and not cues and "words" not in data:
        raise FormatError(msg("json_no_words"), 1)
    duration = _time(data.get("audio_duration", data.get("duration")), "audio_duration")
    aligner = data.get("aligner")
    spans = [_span(v, f"untranscribed[{i}]") for i, v in enumerate(_list(data.get("untranscribed", []), "untranscribed"))]
    return WordTimings(words, cues, duration, language_code(data.get("language")), aligner if isinstance(aligner, str) else None, spans)
