"""What decoding worked around, as data: a stable code and arguments, English only at the edge.

A decode that succeeds may still have changed what the file held (damage skipped, samples that
were not numbers, a wrong scale, channels that cancel). Each such note is an
:class:`AudioWarning`: a ``str`` (so it prints, and older callers that join or show warnings keep
working) that also carries ``code`` and ``args_dict``, so the editor can say it in the user's
language the way it does for :class:`aligner_core.outputs.OutputError`.
"""

from __future__ import annotations

# code -> English template; {path} is the file, quoted as the other audio messages quote it
MESSAGES = {
    "damaged_after": "{path} is damaged after {seconds:.1f} s; the rest was skipped.",
    "ended_early": "{path} ended after {seconds:.1f} s, before the {announced:.1f} s its header announces.",
    "stopped_at_damage": "{path} is damaged or cut off; decoding stopped there.",
    "bad_packets": "{path} has {count} damaged audio packet(s) that were skipped.",
    "not_numbers": "{path} has {count} sample(s) that are not numbers (NaN or infinite); they were replaced by silence.",
    "absurd_spikes": "{path} has {count} sample(s) of absurd size (up to {peak:.3g} times full scale); they were replaced by silence.",
    "rescaled": "{path} holds samples up to {peak:.3g} times full scale (a wrong scale); it was scaled down by {factor:.3g}.",
    "channels_cancel": "{path}: its {channels} channels cancel out when mixed to mono (one is phase-inverted), so channel {channel} alone was used.",
}


class AudioWarning(str):
    """One English sentence about ``path`` with its ``code`` and arguments kept for translation."""

    code: str
    args_dict: dict

    def __new__(cls, code: str, **args: object) -> "AudioWarning":
        self = super().__new__(cls, MESSAGES[code].format(**args))
        self.code = code
        self.args_dict = args
        return self

    def __reduce__(self):
        # a str subclass with keyword arguments: rebuild through the code (worker processes pickle results)
        return (_rebuild, (self.code, self.args_dict))


def _rebuild(code: str, args: dict) -> AudioWarning:
    return AudioWarning(code, **args)


__all__ = ["MESSAGES", "AudioWarning"]
