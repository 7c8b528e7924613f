"""Chunk planning (the module notes of :mod:`aligner_core.align.longform`, step 3): where to cut a
long recording, which words each chunk gets, and which of its audio the aligner hears.

The cuts come from the pauses; the words from the placement; long stretches with nothing to align
(silence, noise, speech the transcript lacks) are shortened in a chunk's audio.
"""

from __future__ import annotations

import time
from typing import Sequence

import numpy as np

from ...progress import Stage
from ..vad import Region, Vad
from .chunks import Chunk
from .job import LongformJob, LongformParams
from .placement import Placement, place_words


def plan_cuts(regions: Sequence[Region], start_ms: int, end_ms: int, params: LongformParams, max_window_s: float, quietest) -> list[int]:
    """Inner cut times (ms) splitting ``[start_ms, end_ms]`` into chunks.

    Every long pause is a cut; a stretch still longer than about 1.5 x ``target_s`` is cut again
    in its longest pauses. ``quietest(a, b)`` gives the quietest time in a span (where to cut
    inside a pause, or in speech that has none).
    """
    p = params
    gaps = [(regions[j].end_ms, regions[j + 1].start_ms) for j in range(len(regions) - 1) if regions[j + 1].start_ms > regions[j].end_ms]
    if regions:
        gaps = [(start_ms, regions[0].start_ms)] + gaps + [(regions[-1].end_ms, end_ms)]
    hard = [int(quietest(g0, g1)) for g0, g1 in gaps if g1 - g0 >= p.hard_cut_s * 1000 and start_ms + 1000 < (g0 + g1) / 2 < end_ms - 1000]
    cuts: list[int] = []
    bounds = [start_ms] + hard + [end_ms]
    for a, b in zip(bounds, bounds[1:]):
        cuts += _cut_stretch(gaps, a, b, p, max_window_s, quietest)
        if b != end_ms:
            cuts.append(b)
    out: list[int] = []
    for c in cuts:  # strictly increasing, at least a second apart
        if (not out and c > start_ms + 500) or (out and c > out[-1] + 1000):
            out.append(c)
    return out


def _cut_stretch(gaps, pos: float, end_ms: float, p: LongformParams, max_window_s: float, quietest) -> list[int]:
    target = min(p.target_s, 0.5 * max_window_s) * 1000.0
    lo_len = min(p.min_chunk_s * 1000.0, 0.5 * target)
    hi_len = min(p.max_chunk_s * 1000.0, 0.8 * max_window_s * 1000.0)
    gap_ends = np.array([g[1] for g in gaps], dtype=np.float64)
    cuts: list[int] = []
    while end_ms - pos > 1.5 * target:
        a = int(np.searchsorted(gap_ends, pos + lo_len))
        best, best_score = None, -np.inf
        for g0, g1 in gaps[a:]:
            if g0 > pos + hi_len:
                break
            mid = 0.5 * (g0 + g1)
            if not (pos + lo_len <= mid <= min(pos + hi_len, end_ms - lo_len)):
                continue
            # a long pause is the safest cut; among similar ones, the one nearest the target
            score = min(g1 - g0, 2000.0) - 0.05 * abs(mid - (pos + target))
            if score > best_score:
                best, best_score = (g0, g1), score
        if best is None:  # no pause at all: the quietest moment near the target
            cut = int(quietest(pos + 0.8 * target, pos + 1.2 * target))
        else:
            cut = int(quietest(best[0], best[1]))
        cut = int(min(max(cut, pos + 1000), end_ms - 1000))
        if cut <= pos:
            break
        cuts.append(cut)
        pos = float(cut)
    return cuts



class Plan:
    """What the chunks are built from: regions, the word placement, and the spans worth aligning."""

    def __init__(self, vad, placement: Placement, weights: np.ndarray, params: LongformParams):
        self.vad = vad
        self.regions = vad.regions
        self.placement = placement
        self.weights = weights
        self.params = params
        self.n_words = len(weights)
        used = placement.last > placement.first
        # speech spans the aligner must hear: every region given words, and speech regions the
        # placement left empty unless they are long (speech the transcript lacks)
        self.spans = [
            (r.start_ms, r.end_ms)
            for r, u in zip(self.regions, used)
            if u or (not r.noise and r.duration_s < params.cut_untranscribed_s)
        ]
        self.span_starts = np.array([s[0] for s in self.spans], dtype=np.float64)
        # for redoing a collapsed chunk: the placement may be what went wrong, so keep all speech
        self.all_spans = [(r.start_ms, r.end_ms) for r in self.regions if not r.noise]
        self.all_starts = np.array([s[0] for s in self.all_spans], dtype=np.float64)
        # long runs of words without audio are not sent to any aligner
        self.held_back = np.zeros(self.n_words, bool)
        skipped = placement.skipped
        i = 0
        while i < self.n_words:
            if skipped[i]:
                j = i
                while j < self.n_words and skipped[j]:
                    j += 1
                if j - i >= params.max_skip_run:
                    self.held_back[i:j] = True
                i = j
            else:
                i += 1

    def word_bounds(self, cuts: Sequence[int]) -> list[int]:
        """Word index where each chunk starts (and ``n`` at the end): the placement's split."""
        bounds = [0]
        running = 0
        j = 0
        regions = self.regions
        for cut in list(cuts) + [None]:
            while j < len(regions) and (cut is None or regions[j].start_ms < cut):
                if self.placement.last[j] > self.placement.first[j]:
                    running = max(running, int(self.placement.last[j]))
                j += 1
            bounds.append(running if cut is not None else self.n_words)
        for k in range(1, len(bounds)):
            bounds[k] = max(bounds[k], bounds[k - 1])
        return bounds

    def pieces(self, a: float, b: float, all_speech: bool = False) -> list[tuple[int, int]]:
        """``[a, b)`` with long stretches that hold no speech to align shortened.

        A stretch longer than ``max_pause_s`` (silence, noise, long speech the transcript lacks)
        keeps ``keep_pause_s`` next to the speech on each side; the rest is cut out. With
        ``all_speech`` every speech region stays, whatever the placement said."""
        p = self.params
        keep = p.keep_pause_s * 1000.0
        longest = p.max_pause_s * 1000.0
        all_spans, starts = (self.all_spans, self.all_starts) if all_speech else (self.spans, self.span_starts)
        j0 = max(0, int(np.searchsorted(starts, a, side="left")) - 1)
        spans = []
        for s0, s1 in all_spans[j0:]:
            if s0 >= b:
                break
            if s1 > a:
                spans.append((max(a, s0), min(b, s1)))
        if not spans:
            return [(int(a), int(b))]
        start = a if spans[0][0] - a <= longest else spans[0][0] - keep
        end = b if b - spans[-1][1] <= longest else spans[-1][1] + keep
        out: list[tuple[int, int]] = []
        cur = start
        for (_, s1), (t0, _) in zip(spans, spans[1:]):
            if t0 - s1 > longest:
                out.append((int(cur), int(s1 + keep)))
                cur = t0 - keep
        out.append((int(cur), int(end)))
        return [(x, y) for x, y in out if y > x] or [(int(a), int(b))]

    def chunk(self, lo: float, hi: float, first: int, last: int, all_speech: bool = False) -> Chunk:
        pieces = self.pieces(lo, hi, all_speech)
        words = [i for i in range(first, last) if not self.held_back[i]]
        return Chunk(int(lo), int(hi), first, last, pieces, words)



def plan_chunks(job: LongformJob, vad_params, report) -> list[Chunk]:
    """Find the pauses, place the words and cut the recording into chunks (sets ``job.plan``)."""
    p = job.params
    dur_ms = job.dur_ms
    t0 = time.perf_counter()
    report(0.0, Stage("stage_finding_pauses"))
    job.check_cancel()
    vad = Vad(job.audio, job.sample_rate, vad_params)
    job.check_cancel()
    report(0.02, Stage("stage_placing_words"))
    placement = place_words(vad.regions, job.weights, job.pause_cost, p.place)
    plan = job.plan = Plan(vad, placement, job.weights, p)
    job.stats.held_back_words = int(plan.held_back.sum())
    cuts = plan_cuts(vad.regions, 0, dur_ms, p, job.runner.max_window_s, vad.quietest)
    wb = plan.word_bounds(cuts)
    bounds = [0] + cuts + [dur_ms]
    chunks = [plan.chunk(bounds[k], bounds[k + 1], wb[k], wb[k + 1]) for k in range(len(bounds) - 1)]
    job.stats.plan_s = time.perf_counter() - t0
    return chunks
