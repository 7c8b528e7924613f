"""The settings, the counters and the one object a long-form alignment carries through its steps.

:class:`LongformJob` holds what every step reads (the runner, the recording, the words and their
expected lengths, the settings, the cancel token, the plan once there is one) and the stats they
write, so planning, running and mending take one argument instead of a dozen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Sequence

import numpy as np

from ...progress import CancelToken
from .placement import PlaceParams

if TYPE_CHECKING:  # planning imports this module
    from .planning import Plan
    from .runners import Runner


@dataclass(frozen=True)
class LongformParams:
    hard_cut_s: float = 2.0  # every pause this long is a cut (the safest place for one) ...
    target_s: float = 15.0  # ... and longer stretches are cut to chunks of about this much audio,
    min_chunk_s: float = 6.0  # in the longest pause between these bounds
    max_chunk_s: float = 40.0
    single_max_s: float = 30.0  # up to this long: one window, no planning
    max_pause_s: float = 0.8  # pauses longer than this are shortened in a chunk's audio ...
    keep_pause_s: float = 0.3  # ... to this much next to the speech on each side
    fade_ms: float = 10.0  # where pieces are joined, each side fades (no click at the seam)
    cut_untranscribed_s: float = 2.5  # speech the placement left wordless, longer than this, is cut out
    max_skip_run: int = 6  # runs of words the placement found no audio for, this long, are not sent
    edge_words: int = 2  # words each side of a cut that must look right ...
    edge_zone: int = 8  # ... and of these, at most one may look doubtful
    bridge_speech_s: float = 3.0  # ... else the cut is re-aligned with this much speech each side
    max_words_per_s: float = 6.0  # more words per second of speech: the chunk collapsed
    max_bad_share: float = 0.34  # more than this share of equal/zero/not-found words: collapsed
    min_bad_words: int = 4
    cluster_gap_words: int = 4  # doubtful words this close together form one cluster ...
    cluster_min_bad: int = 3  # ... and a cluster this big is checked for text the audio lacks
    repair_candidates: int = 4  # phrases tried (the ones nearest the doubtful words)
    max_uncovered_ms: float = 400.0  # leaving a phrase out may leave this much more speech wordless,
    uncovered_share: float = 0.5  # or this share of the phrase's expected length
    repair_gain: float = 0.5  # dropping a phrase must at least halve the other doubtful words ...
    min_healed: int = 3  # ... and heal at least this many
    min_phrase_words: int = 3
    max_repairs: int = 50
    max_merge_s: float = 60.0  # a collapsed chunk is merged with its neighbours up to this length
    collapse_rounds: int = 2
    crammed: float = 0.4  # a word shorter than this share of its expected length is crammed ...
    stretched: float = 4.0  # ... and one longer than this many times (plus 0.5 s) is stretched
    place: PlaceParams = field(default_factory=PlaceParams)



@dataclass
class LongformStats:
    chunks: int = 0
    aligned_audio_s: float = 0.0
    bridges: int = 0
    collapsed_redone: int = 0
    still_collapsed: int = 0
    held_back_words: int = 0
    dropped_phrases: int = 0
    plan_s: float = 0.0
    anchors: int = 0  # runs of the transcript the recogniser heard (see .anchored)
    untranscribed: list = field(default_factory=list)  # (start_ms, end_ms) of audio no word covers

    def add(self, other: "LongformStats") -> None:
        """Count another piece's work in (the pieces of one anchored alignment)."""
        for name in ("chunks", "aligned_audio_s", "bridges", "collapsed_redone", "still_collapsed", "held_back_words", "dropped_phrases", "plan_s"):
            setattr(self, name, getattr(self, name) + getattr(other, name))



@dataclass
class LongformJob:
    """One call of :func:`~aligner_core.align.longform.align_long`: its inputs, and its plan once made."""

    runner: "Runner"
    audio: np.ndarray
    units: Sequence[tuple]  # each word's aligner units (a SpokenWord keeps its text)
    language: str
    sample_rate: int
    params: LongformParams
    stats: LongformStats
    weights: np.ndarray  # each word's expected length in letter units (.weights.word_weight)
    pause_cost: np.ndarray | None  # the cost of a pause before each word (.weights.pause_costs)
    cancel: CancelToken | None = None
    plan: "Plan | None" = None  # None: short audio, aligned as one window

    @property
    def n_words(self) -> int:
        return len(self.units)

    @property
    def dur_ms(self) -> int:
        return int(len(self.audio) * 1000 // self.sample_rate)

    def check_cancel(self) -> None:
        if self.cancel is not None:
            self.cancel.raise_if_cancelled()
