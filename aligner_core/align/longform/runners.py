"""Running chunks (the module notes of :mod:`aligner_core.align.longform`, step 4): the same tasks
in this process (:class:`SerialRunner`) or in worker processes (:class:`PoolRunner`), and
:func:`align_chunks`, which turns chunks into tasks and writes their words' times back.

A chunk is aligned independently of every other, so where it runs cannot change its result.
"""

from __future__ import annotations

import functools
import multiprocessing
from typing import Callable, Iterator, NamedTuple, Protocol, Sequence

import numpy as np

from ...document import Flag
from ...progress import Stage
from ..registry import create_backend
from .chunks import Chunk, chunk_audio, map_back
from .job import LongformJob


class Task(NamedTuple):
    """One window to align. ``audio`` may be a function that makes the samples when the task
    runs, so a long recording's chunks are never all copied out at once."""

    key: object
    audio: "np.ndarray | Callable[[], np.ndarray]"
    words: list
    samples: int  # length of the audio, for progress

    def load(self) -> np.ndarray:
        return self.audio() if callable(self.audio) else self.audio


class Runner(Protocol):
    """What the long-form steps need of a runner (:class:`SerialRunner`, :class:`PoolRunner`)."""

    max_window_s: float

    def run(self, tasks: Sequence[Task], language: str, progress, cancel) -> Iterator[tuple[object, list]]: ...

    def close(self) -> None: ...


class SerialRunner:
    """Runs chunk tasks one after another in this process with one backend."""

    def __init__(self, backend):
        self.backend = backend
        self.max_window_s = float(getattr(backend, "max_window_s", 300.0) or 300.0)

    def run(self, tasks: Sequence[Task], language: str, progress, cancel) -> Iterator[tuple[object, list]]:
        total = sum(t.samples for t in tasks) or 1
        done = 0
        for task in tasks:
            if cancel is not None:
                cancel.raise_if_cancelled()
            lo, hi = done / total, (done + task.samples) / total
            sub = (lambda f, s, lo=lo, hi=hi: progress(lo + (hi - lo) * f, s)) if progress else None
            result = self.backend.align_window(task.load(), task.words, language, progress=sub, cancel=cancel)
            done += task.samples
            if progress:
                progress(done / total, Stage("stage_aligning_words"))
            yield task.key, result

    def close(self) -> None:
        pass


_WORKER_BACKEND = None


def _pool_init(spec: dict) -> None:
    global _WORKER_BACKEND
    _WORKER_BACKEND = create_backend(**spec)


def _pool_align(args):
    key, audio, words, language = args
    return key, _WORKER_BACKEND.align_window(audio, words, language)  # type: ignore[union-attr]


class PoolRunner:
    """Runs chunk tasks in ``jobs`` worker processes, each with its own backend.

    Workers are started with ``spawn`` (safe next to threads and torch) and build their backend
    from ``spec`` (keyword arguments of :func:`aligner_core.align.registry.create_backend`). At
    most two tasks per worker are in flight (memory stays bounded); results come back in any
    order. Cancel terminates the pool at once: chunks in flight are dropped.
    """

    def __init__(self, spec: dict, jobs: int, max_window_s: float):
        self.spec = dict(spec)
        self.jobs = max(1, int(jobs))
        self.max_window_s = float(max_window_s)
        self._pool = None

    def _get_pool(self):
        if self._pool is None:
            ctx = multiprocessing.get_context("spawn")
            self._pool = ctx.Pool(self.jobs, initializer=_pool_init, initargs=(self.spec,))
        return self._pool

    def run(self, tasks: Sequence[Task], language: str, progress, cancel) -> Iterator[tuple[object, list]]:
        if not tasks:
            return
        pool = self._get_pool()
        total = sum(t.samples for t in tasks) or 1
        sizes = {t.key: t.samples for t in tasks}
        queue = list(tasks)
        pending: list = []
        done = 0
        try:
            while queue or pending:
                while queue and len(pending) < 2 * self.jobs:
                    t = queue.pop(0)
                    pending.append(pool.apply_async(_pool_align, ((t.key, t.load(), t.words, language),)))
                ready = next((r for r in pending if r.ready()), None)
                if ready is None:
                    if cancel is not None and cancel.cancelled:
                        self.close()
                        cancel.raise_if_cancelled()
                    try:
                        pending[0].wait(0.05)
                    except multiprocessing.TimeoutError:  # pragma: no cover - wait() does not raise
                        pass
                    continue
                pending.remove(ready)
                key, result = ready.get()
                done += sizes[key]
                if progress:
                    progress(done / total, Stage("stage_aligning_words"))
                yield key, result
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None


def align_chunks(job: LongformJob, batch: Sequence[Chunk], out: list, progress) -> None:
    """Align every chunk of ``batch`` that has words to send; its words' times in ``out`` are
    replaced by the new ones (in recording ms; a word held back comes out ``None``)."""
    p, st = job.params, job.stats
    tasks = []
    for c in batch:
        job.check_cancel()
        if not c.words:
            continue
        clip = functools.partial(chunk_audio, job.audio, c, job.sample_rate, p.fade_ms)
        tasks.append(Task(len(tasks), clip, [job.units[i] for i in c.words], int(c.audio_ms * job.sample_rate / 1000)))
        st.aligned_audio_s += c.audio_ms / 1000.0
    live = [c for c in batch if c.words]
    for key, timings in job.runner.run(tasks, job.language, progress, job.cancel):
        c = live[key]
        for i in range(c.first, c.last):
            out[i] = None
        for i, t in zip(c.words, map_back(c, timings, int(Flag.INTERPOLATED))):
            out[i] = t
