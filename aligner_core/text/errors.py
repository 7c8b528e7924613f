"""The one error a transcript that cannot be read raises, and how it names the file.

Every module of the package that refuses a file (reading, decoding) raises it through
:func:`error`, so the message code and the way the file is shown stay the same everywhere.
"""

from __future__ import annotations

import os

from ..messages import Message, msg


class TranscriptError(ValueError):
    """A transcript that cannot be read as text; the message is one sentence naming the file.

    Raised with a :class:`~aligner_core.messages.Message` (``msg("transcript_folder", ...)``):
    ``str()`` is the English sentence, and ``code`` ("missing", "folder", "not_regular",
    "too_large", "no_words", "unreadable"...) and ``args_`` let a front end word it itself.
    """

    def __init__(self, message: "str | Message", *, code: str = "unreadable", **args: object) -> None:
        super().__init__(message)
        if isinstance(message, Message):
            code, args = message.code.removeprefix("transcript_"), dict(message.args)
        self.code = code
        self.args_ = args


def error(code: str, shown: str, **args: object) -> TranscriptError:
    """A TranscriptError about the file shown as ``shown`` ('"name"', or "The transcript")."""
    name = shown[1:-1] if shown.startswith('"') and shown.endswith('"') else ""
    return TranscriptError(msg("transcript_" + code, shown=shown, name=name, **args))


def display_name(name: str) -> str:
    """How messages name a file: its base name in quotes, or "The transcript" for text without one."""
    return f'"{os.path.basename(name) or name}"' if name else "The transcript"
