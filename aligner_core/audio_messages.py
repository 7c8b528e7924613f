"""What decoding worked around, as data: a stable code and arguments, English only at the edge.

A decode that succeeds may still have changed what the file held (damage skipped, samples that
were not numbers, a wrong scale, channels that cancel). Each such note is an
:class:`AudioWarning`: a ``str`` (so it prints, and older callers that join or show warnings keep
working) that also carries ``code`` and ``args_dict``, so the editor can say it in the user's
language the way it does for :class:`aligner_core.outputs.OutputError`. The English templates
are in :data:`aligner_core.messages.CATALOG`.
"""

from __future__ import annotations

from .messages import CATALOG, Message

class AudioWarning(str):
    """One English sentence about ``path`` with its ``code`` and arguments kept for translation."""

    code: str
    args_dict: dict

    def __new__(cls, code: str, **args: object) -> "AudioWarning":
        self = super().__new__(cls, CATALOG[code].format(**args))
        self.code = code
        self.args_dict = args
        return self

    def __reduce__(self):
        # a str subclass with keyword arguments: rebuild through the code (worker processes pickle results)
        return (_rebuild, (self.code, self.args_dict))


def _rebuild(code: str, args: dict) -> AudioWarning:
    return AudioWarning(code, **args)


    @property
    def message(self) -> Message:
        return Message(self.code, self.args_dict)


#: the audio codes of :data:`aligner_core.messages.CATALOG` (the templates live there, with every other message)
MESSAGES = {code: CATALOG[code] for code in (
    "damaged_after", "ended_early", "stopped_at_damage", "bad_packets", "not_numbers", "absurd_spikes", "rescaled", "channels_cancel")}

__all__ = ["MESSAGES", "AudioWarning"]
