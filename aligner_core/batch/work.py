"""One batch item, run wherever an engine puts it: this process, a pool worker, a Ray task or actor.

The item is aligned (or transcribed) by the CLI's own one-file path, so every engine writes the
same bytes for the same item; what it would have printed comes back as lines for the driver to
print, since a worker's stderr is not the user's terminal. Nothing here raises: a failure is an
:class:`Outcome` with one sentence.
"""

from __future__ import annotations

import argparse
import io
import os
from dataclasses import dataclass, field
from typing import TextIO

ALIGN, TRANSCRIBE = "align", "transcribe"


@dataclass(frozen=True)
class BatchItem:
    """A manifest line the CLI has checked: paths as strings, so it travels to any worker."""

    name: str
    audio: str
    transcript: str | None  # None for transcription
    language: str | None
    output: str
    index: int = 0  # its place in the manifest: failures are listed in that order


@dataclass(frozen=True)
class Outcome:
    name: str
    index: int
    error: str | None = None  # one sentence; None when the output was written
    lines: tuple[str, ...] = field(default_factory=tuple)  # what the item printed (summary, warnings)


def run_item(task: str, item: BatchItem, options: dict, err: TextIO | None = None, show_progress: bool = False) -> Outcome:
    """Align or transcribe one item into its output; ``err`` is where its lines go (None: kept)."""
    from .. import cli

    stream = err if err is not None else io.StringIO()
    args = argparse.Namespace(**options)
    inputs = [p for p in (item.audio, item.transcript) if p]
    try:
        target = cli._check_output(item.output, inputs)
        if task == ALIGN:
            cli._align_one(item.audio, item.transcript, target, args, stream, show_progress=show_progress, language=item.language)
        else:
            from .. import transcribe_cli

            transcribe_cli._transcribe_one(item.audio, target, args, stream, show_progress=show_progress, language=item.language)
    except KeyboardInterrupt:
        raise
    except Exception as exc:  # noqa: BLE001 - one failing item never stops the batch
        if os.environ.get("WORDSYNC_DEBUG") == "1" and err is not None:
            raise
        return Outcome(item.name, item.index, cli._reason(exc), _lines(stream))
    return Outcome(item.name, item.index, None, _lines(stream))


def _lines(stream: TextIO) -> tuple[str, ...]:
    return tuple(stream.getvalue().splitlines()) if isinstance(stream, io.StringIO) else ()

