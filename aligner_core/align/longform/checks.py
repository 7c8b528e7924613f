"""How the engine judges its own output: a word's expected length at the local speaking rate,
and whether a word, a cut between chunks or a whole chunk looks wrong. The mending steps act
only where these say so; one definition keeps them judging alike.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from ...document import Flag
from ..confidence import DOUBTFUL
from .chunks import Chunk
from .job import LongformParams
from .planning import Plan


class Expect:
    """Expected length (ms) of each word at the speaking rate its window shows."""

    def __init__(self, out: Sequence, weights: np.ndarray):
        self.weights = weights
        ratios = [(t.end - t.start) / weights[i] for i, t in enumerate(out) if is_aligned(t) and t.end > t.start]
        self.ms_per_unit = float(np.median(ratios)) if len(ratios) >= 3 else 60.0

    def __call__(self, i: int) -> float:
        return self.ms_per_unit * float(self.weights[i])


def is_aligned(t) -> bool:
    return t is not None and t.start is not None and t.end is not None


def word_ok(i: int, t, expect, p: LongformParams) -> bool:
    if not is_aligned(t) or t.flags & (Flag.NOT_FOUND | Flag.ZERO_DURATION) or t.confidence < DOUBTFUL:
        return False
    dur = t.end - t.start
    expected = expect(i)
    return p.crammed * expected <= dur <= p.stretched * expected + 500


def misfit(i: int, t, expect, p: LongformParams) -> bool:
    """Not placed, piled up, zero length, crammed or stretched: worse than low confidence."""
    if not is_aligned(t) or t.flags & (Flag.NOT_FOUND | Flag.ZERO_DURATION | Flag.EQUAL_STARTS):
        return True
    dur = t.end - t.start
    return not (p.crammed * expect(i) <= dur <= p.stretched * expect(i) + 500)


def suspect_cut(left: Chunk, right: Chunk, out, plan: Plan, expect, p: LongformParams) -> bool:
    """Do the words next to the cut between two chunks look misplaced (or missing)?

    Either of the ``edge_words`` nearest the cut on each side is doubtful, or two of the
    ``edge_zone`` words on one side are: a word the placement put on the wrong side of the cut
    drags a few of its neighbours, not always the nearest one."""
    k, zone = p.edge_words, p.edge_zone
    near = list(range(max(left.first, left.last - k), left.last)) + list(range(right.first, min(right.last, right.first + k)))
    if any(not plan.held_back[i] and not word_ok(i, out[i], expect, p) for i in near):
        return True
    for side in (range(max(left.first, left.last - zone), left.last), range(right.first, min(right.last, right.first + zone))):
        if sum(1 for i in side if not plan.held_back[i] and not word_ok(i, out[i], expect, p)) >= 2:
            return True
    return False


def collapsed(chunk: Chunk, out, vad, p: LongformParams) -> bool:
    """Did the chunk's words come out collapsed (crammed, piled up, or not found)?"""
    own = [out[i] for i in chunk.words]
    if not own:
        return False
    bad_flags = int(Flag.NOT_FOUND | Flag.ZERO_DURATION | Flag.EQUAL_STARTS)
    bad = sum(1 for t in own if not is_aligned(t) or t.flags & bad_flags)
    speech_s = vad.speech_ms(chunk.lo_ms, chunk.hi_ms) / 1000.0
    crowded = len(own) > p.max_words_per_s * max(speech_s, 1.0) + 3
    return crowded or (bad >= p.min_bad_words and bad > p.max_bad_share * len(own))

