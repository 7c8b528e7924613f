"""A chunk, the unit of work of a long-form alignment: some words and the pieces of the recording
they are aligned to. Joining the pieces into the aligner's audio and mapping its times back to
the recording are each other's inverse, so they live together."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Sequence

import numpy as np


@dataclass
class Chunk:
    """One unit of work: the words ``[first, last)`` and the audio they are aligned to.

    ``lo_ms``/``hi_ms`` is the span of the recording the chunk covers; ``pieces`` are the
    ``(start_ms, end_ms)`` parts of it that are joined into the aligner's audio (long pauses
    shortened); ``words`` are the word indices sent (long runs the placement found no audio for
    are held back).
    """

    lo_ms: int
    hi_ms: int
    first: int
    last: int
    pieces: list[tuple[int, int]]
    words: list[int]

    @property
    def audio_ms(self) -> int:
        return sum(b - a for a, b in self.pieces)



def chunk_audio(audio: np.ndarray, chunk: Chunk, sample_rate: int, fade_ms: float = 10.0) -> np.ndarray:
    """The chunk's pieces joined, each seam faded out and in (a step would sound like a click)."""
    per_ms = sample_rate / 1000.0
    parts = [np.asarray(audio[int(a * per_ms) : int(b * per_ms)], dtype=np.float32) for a, b in chunk.pieces]
    if len(parts) == 1:
        return np.ascontiguousarray(parts[0])
    out = np.concatenate(parts)
    fade = int(fade_ms * per_ms)
    if fade > 1:
        ramp = np.linspace(0.0, 1.0, fade, dtype=np.float32)
        pos = 0
        for k, part in enumerate(parts):
            m = min(fade, len(part) // 2)
            if k > 0 and m:
                out[pos : pos + m] *= ramp[:m]
            if k < len(parts) - 1 and m:
                out[pos + len(part) - m : pos + len(part)] *= ramp[:m][::-1]
            pos += len(part)
    return out


def map_back(chunk: Chunk, timings: Sequence, flag_interpolated: int) -> list:
    """Chunk-audio times -> recording times, piece by piece."""
    offsets = np.cumsum([0] + [b - a for a, b in chunk.pieces])
    starts = np.array([a for a, _ in chunk.pieces], dtype=np.int64)
    last = len(starts) - 1
    out = []
    for t in timings:
        if t.start is None or t.end is None:
            out.append(t)
            continue
        ks = int(np.clip(np.searchsorted(offsets, t.start, side="right") - 1, 0, last))
        ke = int(np.clip(np.searchsorted(offsets, t.end, side="left") - 1, 0, last))
        ke = max(ke, ks)
        s = int(starts[ks] + t.start - offsets[ks])
        e = int(starts[ke] + t.end - offsets[ke])
        flags = t.flags
        if ke != ks:  # the word straddles a cut-out pause: keep it in the piece holding most of it
            if offsets[ks + 1] - t.start >= t.end - offsets[ke]:
                e = int(starts[ks] + offsets[ks + 1] - offsets[ks])
            else:
                s = int(starts[ke])
            flags |= flag_interpolated
        out.append(replace(t, start=s, end=max(s, e), flags=int(flags)))
    return out
