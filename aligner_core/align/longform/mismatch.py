"""Text the audio does not hold (the module notes of :mod:`aligner_core.align.longform`, step 6).

A forced aligner must put every word somewhere, so a sentence nobody said crams or stretches the
words around it. Around a cluster of doubtful words the text is re-aligned without each nearby
phrase in turn; a phrase whose absence heals the rest, while every stretch of speech stays
covered by some word, is taken to be missing from the audio.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

import numpy as np

from ...document import Flag
from ..types import WordTiming
from ..vad import Vad
from .checks import Expect, is_aligned, misfit, word_ok
from .chunks import Chunk, chunk_audio, map_back
from .job import LongformJob, LongformParams
from .runners import Task
from .weights import phrases, sentences


def repair_mismatch(job: LongformJob, out: list, report) -> None:
    """Where words came out bad in a cluster, try leaving out one phrase of the transcript.

    Around a cluster of doubtful words (and one sentence either side), the text is re-aligned
    without each phrase in turn. A phrase is taken to be missing from the audio when leaving it
    out heals the *other* words (at least halves their doubtful ones) while every stretch of
    speech stays covered by some word (leaving out a phrase that is really there would leave its
    speech uncovered). Its words then come back not aligned, and its neighbours get back the
    time it had taken from them.
    """
    p = job.params
    n = len(out)
    expect = Expect(out, job.weights)
    bad = [i for i in range(n) if not word_ok(i, out[i], expect, p)]
    clusters = _clusters(bad, out, expect, p)
    sents = sentences(n, job.pause_cost)
    candidates = phrases(n, job.pause_cost)
    sent_starts = [a for a, _ in sents]
    bad_set = set(bad)
    done_upto = 0
    for k, cluster in enumerate(clusters):
        job.check_cancel()
        if cluster[0] < done_upto:
            continue
        s0 = max(0, int(np.searchsorted(sent_starts, cluster[0], side="right")) - 2)
        s1 = max(s0, int(np.searchsorted(sent_starts, cluster[-1], side="right")) - 1)
        i0, i1 = sents[s0][0], sents[s1][1]
        if _drop_one_phrase(job, out, i0, i1, candidates, bad_set, expect, report.sub(k / len(clusters), (k + 1) / len(clusters))):
            job.stats.dropped_phrases += 1
            done_upto = i1


def _clusters(bad: Sequence[int], out: list, expect: Expect, p: LongformParams) -> list[list[int]]:
    """Runs of doubtful words close together that look like text the audio lacks."""
    clusters: list[list[int]] = []
    for i in bad:
        if clusters and i - clusters[-1][-1] <= p.cluster_gap_words:
            clusters[-1].append(i)
        else:
            clusters.append([i])
    # low confidence alone is common (a mumbled word, an unusual voice); text the audio lacks
    # also leaves words crammed, piled up or unplaceable, or a whole run of them doubtful
    clusters = [
        c
        for c in clusters
        if len(c) >= p.cluster_min_bad
        and (sum(1 for i in c if misfit(i, out[i], expect, p)) >= 2 or (len(c) >= 5 and len(c) >= 0.6 * (c[-1] - c[0] + 1)))
    ]
    return clusters[: p.max_repairs]


def _drop_one_phrase(job: LongformJob, out: list, i0: int, i1: int, candidates, bad_set: set, expect: Expect, report) -> bool:
    """Re-align words ``[i0, i1)`` without each candidate phrase in turn; where leaving one out
    fits clearly better, write that into ``out`` (the phrase not aligned) and say so."""
    p = job.params
    per_ms = job.sample_rate / 1000.0
    lo = _gap_time(out, i0, 0, job.dur_ms)
    hi = _gap_time(out, i1, 0, job.dur_ms)
    if hi - lo < 500 or (hi - lo) / 1000.0 > job.runner.max_window_s:
        return False
    window = list(range(i0, i1))
    # a word or two the aligner already leaves out itself; a phrase must be long enough that
    # leaving it out is not just a way to shed a badly fitting word
    near = [ph for ph in candidates if i0 <= ph[0] and ph[1] <= i1 and p.min_phrase_words <= ph[1] - ph[0] <= max(3, (i1 - i0) // 2)]
    # most doubtful phrases first: text the audio lacks fits nowhere, so most of its words are
    near.sort(key=lambda ph: -sum(1 for i in range(*ph) if i in bad_set) / (ph[1] - ph[0]))
    near = near[: p.repair_candidates]
    if not near:
        return False
    # the window as the chunks hear it (long pauses shortened) when there is a plan
    piece = job.plan.chunk(lo, hi, i0, i1) if job.plan is not None else Chunk(lo, hi, i0, i1, [(lo, hi)], window)
    clip = chunk_audio(job.audio, piece, job.sample_rate, p.fade_ms)
    vad = Vad(np.asarray(job.audio[int(lo * per_ms) : int(hi * per_ms)], dtype=np.float32), job.sample_rate)
    before = {i: _shift(out[i], -lo) for i in window}
    uncovered_before = _uncovered_ms(vad, before.values())
    tasks = []
    for a, b in near:
        kept = [i for i in window if not (a <= i < b)]
        if kept:
            tasks.append(Task((a, b), clip, [job.units[i] for i in kept], len(clip)))
    best = None
    for key, timings in job.runner.run(tasks, job.language, report, job.cancel):
        a, b = key
        kept = [i for i in window if not (a <= i < b)]
        after = {i: _shift(t, -lo) for i, t in zip(kept, map_back(piece, timings, int(Flag.INTERPOLATED)))}
        bad_before = sum(1 for i in kept if not word_ok(i, before[i], expect, p))
        bad_after = sum(1 for i in kept if not word_ok(i, after[i], expect, p))
        if bad_before - bad_after < p.min_healed or bad_after > bad_before * p.repair_gain:
            continue
        allowed = max(p.max_uncovered_ms, p.uncovered_share * sum(expect(i) for i in range(a, b)))
        if _uncovered_ms(vad, after.values()) > uncovered_before + allowed:
            continue  # its speech is there (now wordless): the phrase is too
        score = bad_after + 0.25 * (b - a)  # of two equal fits, leave out less text
        if best is None or score < best[0]:
            best = (score, key, after)
    if best is None:
        return False
    _, (a, b), after = best
    for i, t in after.items():
        out[i] = _shift(t, lo)
    for i in range(a, b):
        out[i] = WordTiming(None, None, 0.0, int(Flag.NOT_FOUND | Flag.LOW_CONFIDENCE))
    return True


def _gap_time(out, i: int, floor: int, ceil: int) -> int:
    """A time between word ``i - 1`` and word ``i`` (the middle of the pause between them)."""
    prev_end = next((out[j].end for j in range(i - 1, -1, -1) if is_aligned(out[j])), floor)
    next_start = next((out[j].start for j in range(i, len(out)) if is_aligned(out[j])), ceil)
    if next_start < prev_end:
        return int(prev_end)
    return int((prev_end + next_start) // 2)


def _uncovered_ms(vad, timings) -> float:
    """Speech (by the detector) that no aligned word covers, in ms."""
    covered = np.zeros(vad.n_frames, bool)
    for t in timings:
        if is_aligned(t):
            covered[vad.frame(t.start) : vad.frame(t.end)] = True
    return float(np.sum(vad.speech & ~covered)) * vad.params.hop_ms


def _shift(t, offset_ms: float):
    if t is None or t.start is None or t.end is None:
        return t
    return replace(t, start=int(t.start + offset_ms), end=int(t.end + offset_ms))
