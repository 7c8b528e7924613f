"""The long-form driver: :func:`align_long` runs the steps of :mod:`aligner_core.align.longform`
in order (plan, align, mend, repair, finish) on one :class:`~.job.LongformJob`."""

from __future__ import annotations

from typing import Sequence

import numpy as np

from ...document import Flag
from ...progress import SubProgress
from ..ordering import clamp_and_order
from ..types import WordTiming
from .checks import Expect
from .job import LongformJob, LongformParams, LongformStats
from .mending import bridge_cuts, redo_collapsed
from .mismatch import repair_mismatch
from .planning import plan_chunks
from .runners import Task, align_chunks
from .weights import word_weight


def align_long(
    runner,
    audio: np.ndarray,
    words: Sequence[Sequence[str]],
    language: str,
    *,
    pause_cost: np.ndarray | None = None,
    params: LongformParams | None = None,
    sample_rate: int = 16000,
    progress=None,
    cancel=None,
    stats: LongformStats | None = None,
    vad_params=None,
) -> list:
    """Align ``words`` to ``audio`` of any length; one timing per word (ms into ``audio``).

    Short audio goes to the runner as one window; longer audio is planned into chunks, aligned,
    checked at every cut and for collapse, and mended where needed (see the module notes).
    """
    p = params or LongformParams()
    st = stats if stats is not None else LongformStats()
    report = SubProgress(progress, interval=0.1)
    if len(words) == 0:
        return []
    units = [w if isinstance(w, tuple) else tuple(w) for w in words]  # a SpokenWord keeps its text
    weights = np.array([word_weight(w) for w in units])
    job = LongformJob(runner, audio, units, language, sample_rate, p, st, weights, pause_cost, cancel)
    if job.dur_ms <= min(p.single_max_s, runner.max_window_s) * 1000:
        return _align_short(job, report)
    return _align_chunked(job, vad_params, report)


def _align_short(job: LongformJob, report: SubProgress) -> list:
    """One window, no plan; only the mismatch repair may look again."""
    job.stats.chunks, job.stats.aligned_audio_s = 1, job.dur_ms / 1000.0
    window = np.asarray(job.audio, dtype=np.float32)
    ((_, result),) = job.runner.run([Task(0, window, job.units, len(window))], job.language, report.sub(0.0, 0.8), job.cancel)
    out: list = list(result)
    repair_mismatch(job, out, report.sub(0.8, 1.0))
    return _finish(job, out, np.zeros(job.n_words, np.int64))


def _align_chunked(job: LongformJob, vad_params, report: SubProgress) -> list:
    chunks = plan_chunks(job, vad_params, report)
    out: list[WordTiming | None] = [None] * job.n_words
    extra_flags = np.zeros(job.n_words, np.int64)
    work = report.sub(0.04, 1.0)
    align_chunks(job, chunks, out, work.sub(0.0, 0.85))
    chunks = redo_collapsed(job, chunks, out, extra_flags, work)
    bridge_cuts(job, chunks, out, work.sub(0.9, 1.0))
    job.stats.chunks = len(chunks)
    repair_mismatch(job, out, report.sub(0.97, 1.0))
    return _finish(job, out, extra_flags)


def _finish(job: LongformJob, out: list, extra_flags: np.ndarray) -> list:
    """One WordTiming per word: the flags the mending added, not-found words, and words
    stretched over audio the transcript does not explain."""
    p, expect = job.params, Expect(out, job.weights)
    final: list[WordTiming] = []
    for i, t in enumerate(out):
        flags = int(extra_flags[i])
        if t is None or t.start is None or t.end is None:
            final.append(WordTiming(None, None, 0.0, int((t.flags if t else 0) | flags | Flag.NOT_FOUND | Flag.LOW_CONFIDENCE)))
            continue
        if (t.end - t.start) > p.stretched * expect(i) + 500:
            flags |= int(Flag.LOW_CONFIDENCE)  # stretched over audio the transcript does not explain
        final.append(WordTiming(t.start, t.end, t.confidence, int(t.flags | flags), t.phones))
    return clamp_and_order(final, job.dur_ms)  # the chunk seams

