"""Learning from corrections (issue 15): the user's verified word times -> a better aligner.

* :mod:`.dataset`: corrected projects -> training segments (JSON lines), split by recording;
* :mod:`.lora`: LoRA fine-tuning of Qwen3-ForcedAligner on those segments (peft);
* :mod:`.adapt`: learned boundary offsets for the offline aligner (PocketSphinx);
* :mod:`.evaluate`: word-boundary error against gold times, matched as the reference scorer matches.
"""


class LearnError(ValueError):
    """Input that cannot teach an aligner; carries one :class:`aligner_core.messages.Message`."""
