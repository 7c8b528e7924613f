"""Mending a chunked alignment (the module notes of :mod:`aligner_core.align.longform`, step 5):
chunks whose words collapsed are merged with their neighbours and redone with all their speech,
and cuts whose nearest words look wrong are re-aligned by a bridge across the cut. Either redo
is a second opinion: the chunk plan stays as it was wherever it did no better.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from ...document import Flag
from .checks import Expect, collapsed, suspect_cut, word_ok
from .chunks import Chunk
from .job import LongformJob, LongformParams
from .planning import Plan
from .runners import align_chunks


def redo_collapsed(job: LongformJob, chunks: list[Chunk], out: list, extra_flags: np.ndarray, work) -> list[Chunk]:
    """Merge each collapsed chunk with its neighbours, keep all speech, and redo it; a redo is
    kept only where it is better than what it replaces. Returns the chunks as they now stand
    (chunks still collapsed after the last round are flagged in ``extra_flags``)."""
    p, st, plan = job.params, job.stats, job.plan
    assert plan is not None
    vad = plan.vad
    for round_ in range(p.collapse_rounds):
        bad = [k for k, c in enumerate(chunks) if collapsed(c, out, vad, p)]
        if not bad:
            break
        groups = _merge_groups(chunks, bad, p)
        fresh = [plan.chunk(chunks[a].lo_ms, chunks[b].hi_ms, chunks[a].first, chunks[b].last, all_speech=True) for a, b in groups]
        saved = [out[c.first : c.last] for c in fresh]
        expect = Expect(out, job.weights)
        before = [sum(1 for i in range(c.first, c.last) if not word_ok(i, out[i], expect, p)) for c in fresh]
        st.collapsed_redone += len(fresh)
        align_chunks(job, fresh, out, work.sub(0.85 + 0.05 * round_ / p.collapse_rounds, 0.85 + 0.05 * (round_ + 1) / p.collapse_rounds))
        new_chunks: list[Chunk] = []
        k = 0
        for (a, b), c, old, n_before in zip(groups, fresh, saved, before):
            new_chunks += chunks[k:a]
            n_after = sum(1 for i in range(c.first, c.last) if not word_ok(i, out[i], expect, p))
            if n_after < n_before:
                new_chunks.append(c)
                extra_flags[c.first : c.last] |= int(Flag.COLLAPSED)
            else:  # the redo did no better: keep the chunks as they were
                out[c.first : c.last] = old
                new_chunks += chunks[a : b + 1]
            k = b + 1
        new_chunks += chunks[k:]
        if len(new_chunks) == len(chunks):
            break
        chunks = new_chunks
    for c in chunks:
        if collapsed(c, out, vad, p):
            st.still_collapsed += 1
            extra_flags[c.first : c.last] |= int(Flag.COLLAPSED | Flag.LOW_CONFIDENCE)
    return chunks


def _merge_groups(chunks: Sequence[Chunk], bad: Sequence[int], p: LongformParams) -> list[list[int]]:
    """``[first, last]`` chunk ranges to redo: each collapsed chunk with a neighbour each side,
    at most ``max_merge_s`` long; overlapping ranges become one."""
    groups: list[list[int]] = []
    for k in bad:
        lo_k, hi_k = max(0, k - 1), min(len(chunks) - 1, k + 1)
        while hi_k > lo_k and chunks[hi_k].hi_ms - chunks[lo_k].lo_ms > p.max_merge_s * 1000:
            if hi_k > k:
                hi_k -= 1
            else:
                lo_k += 1
        if groups and lo_k <= groups[-1][1]:
            groups[-1][1] = max(groups[-1][1], hi_k)
        else:
            groups.append([lo_k, hi_k])
    return groups


def bridge_cuts(job: LongformJob, chunks: Sequence[Chunk], out: list, progress) -> None:
    """Re-align a bridge over every cut whose edge words look wrong."""
    p, plan = job.params, job.plan
    assert plan is not None
    bridges: list[Chunk] = []
    expect = Expect(out, job.weights)
    for k in range(len(chunks) - 1):
        if suspect_cut(chunks[k], chunks[k + 1], out, plan, expect, p):
            bridge = _bridge(chunks[k], chunks[k + 1], out, plan, expect, plan.vad, p)
            if bridges and bridge.lo_ms < bridges[-1].hi_ms:  # overlapping bridges: one bridge
                prev = bridges.pop()
                bridge = plan.chunk(prev.lo_ms, max(prev.hi_ms, bridge.hi_ms), prev.first, max(prev.last, bridge.last))
            bridges.append(bridge)
    if bridges:
        job.stats.bridges = len(bridges)
        align_chunks(job, bridges, out, progress)


def _bridge(left: Chunk, right: Chunk, out, plan: Plan, expect, vad, p: LongformParams) -> Chunk:
    """A window over the cut between two chunks, from a pause well inside the left chunk to one
    well inside the right chunk: there the two chunks' own words are trusted."""
    cut = left.hi_ms
    need = p.bridge_speech_s * 1000.0
    # walk back through the left chunk to a gap between two good words with enough speech after it
    i0, lo = left.first, left.lo_ms
    best_gap = None
    for i in range(left.last - 1, left.first, -1):
        a, b = out[i - 1], out[i]
        if not (word_ok(i - 1, a, expect, p) and word_ok(i, b, expect, p)):
            continue
        if vad.speech_ms(b.start, cut) < need:
            continue
        gap = b.start - a.end
        if gap >= 150 or (best_gap is not None and vad.speech_ms(b.start, cut) > 2.5 * need):
            i0, lo = i, (a.end + b.start) // 2
            break
        if best_gap is None:
            best_gap = (i, (a.end + b.start) // 2)
    else:
        if best_gap is not None:
            i0, lo = best_gap
    i1, hi = right.last, right.hi_ms
    best_gap = None
    for i in range(right.first, right.last - 1):
        a, b = out[i], out[i + 1]
        if not (word_ok(i, a, expect, p) and word_ok(i + 1, b, expect, p)):
            continue
        if vad.speech_ms(cut, a.end) < need:
            continue
        gap = b.start - a.end
        if gap >= 150 or (best_gap is not None and vad.speech_ms(cut, a.end) > 2.5 * need):
            i1, hi = i + 1, (a.end + b.start) // 2
            break
        if best_gap is None:
            best_gap = (i + 1, (a.end + b.start) // 2)
    else:
        if best_gap is not None:
            i1, hi = best_gap
    return plan.chunk(lo, hi, i0, i1)


