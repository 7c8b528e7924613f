"""Sound events and emotions as subtitles for the deaf and hard of hearing write them.

A sound event becomes a cue of its own holding one bracketed label, the very representation a
typed "(laughter)" gets when a transcript is read (:func:`aligner_core.text.is_sound_label`: a
token with no aligner units), so a drafted label and a typed one are the same thing in the
Document. Labels are in the document's language: Chinese gets full-width brackets (（笑声）, ［音乐］).
"""

from __future__ import annotations

from ..document import EMOTIONS, Cue, Document
from ..text import is_speech

__all__ = ["EVENTS", "EMOTIONS", "event_label", "normalise_event", "normalise_emotion", "is_sound_cue"]

#: event -> (English label, Chinese label). "Speech" is not an event worth a cue.
EVENTS: dict[str, tuple[str, str]] = {
    "BGM": ("[music]", "［音乐］"),
    "Laughter": ("(laughter)", "（笑声）"),
    "Applause": ("(applause)", "（掌声）"),
    "Cough": ("(coughing)", "（咳嗽）"),
    "Sneeze": ("[sneezing]", "［喷嚏］"),
    "Cry": ("(crying)", "（哭声）"),
    "Breath": ("(breathing)", "［呼吸声］"),
}

_EVENT_KEYS = {k.lower(): k for k in EVENTS}
_EVENT_KEYS.update({"music": "BGM", "laugh": "Laughter", "applaud": "Applause"})


def _bare(tag: str | None) -> str:
    return (tag or "").strip().strip("<|>").strip()


def normalise_event(tag: str | None) -> str | None:
    """"<|Laughter|>" -> "Laughter"; speech, unknown and empty tags -> None."""
    return _EVENT_KEYS.get(_bare(tag).lower())


def normalise_emotion(tag: str | None) -> str | None:
    """"<|HAPPY|>" -> "HAPPY"; "EMO_UNKNOWN" and anything else -> None."""
    bare = _bare(tag).upper()
    return bare if bare in EMOTIONS else None


def event_label(event: str, language: str | None) -> str:
    """The cue text of an event in a document of ``language``."""
    english, chinese = EVENTS[event]
    return chinese if (language or "").split("-")[0] in ("zh", "yue") else english


def is_sound_cue(doc: Document, cue: Cue) -> bool:
    """A non-speech cue ("[music]", "(applause)"): none of its tokens is spoken. Its times are its own
    (no word gives it any), so views draw and edit it as a cue with its own edges."""
    return not any(is_speech(doc.tokens[i]) for i in cue.token_range())
