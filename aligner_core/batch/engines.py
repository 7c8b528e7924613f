"""Where batch items run: ``local`` (this process, or a pool of worker processes, each loading its
model once) or ``ray`` (an existing Ray cluster, or a small local one started for the batch).

Ray: the offline aligner (PocketSphinx, one core per utterance) runs as plain tasks with
``num_cpus=1`` and retries; neural aligners and recognisers run in an actor pool (actors that
keep their model, one GPU per actor where the cluster has GPUs, half a CPU each), so a model is
loaded once per actor, not once per item. Workers
decode the audio themselves from the paths in the manifest: samples never travel through the
object store, and the paths must be readable on every node (a shared filesystem). Each item's
output is written by the worker as it finishes, and the driver records it for resume.

Measured on a 2-core machine with Ray 2.60: a local ``ray.init`` needs ``num_cpus``, no dashboard
and a small object store to start at all; actors asking for a whole CPU each starved other work
and hung, so actors ask for half a CPU.
"""

from __future__ import annotations

import logging
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Callable, Iterable

from .work import ALIGN, BatchItem, Outcome, run_item

ENGINES = ("local", "ray")
LOCAL_OBJECT_STORE_BYTES = 256 * 1024 * 1024
ACTOR_CPUS = 0.5
TASK_RETRIES = 2


class EngineError(ValueError):
    """The engine cannot run here (Ray missing, a cluster that cannot be reached): one sentence."""


def uses_models(task: str, options: dict) -> bool:
    """Items that load a neural model: worth an actor that keeps it, rather than a task per item."""
    if task == ALIGN:
        return options.get("aligner") in ("qwen3", "ctc") or (options.get("aligner") == "auto" and bool(options.get("model")))
    return options.get("asr") != "sphinx"


def run_local(task: str, items: list[BatchItem], options: dict, workers: int, done: Callable[[Outcome], None], err, show: bool) -> None:
    if workers <= 1 or len(items) <= 1:
        for k, item in enumerate(items, 1):  # in this process, with the progress bar on a terminal
            if show:
                print(f"wordsync: [{k}/{len(items)}] {item.name}", file=err, flush=True)
            done(run_item(task, item, options, err if show else None, show_progress=show))
        return
    import multiprocessing

    # spawn, as the long-recording pool does: a forked copy of a process with model threads can hang
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = {pool.submit(run_item, task, item, {**options, "jobs": 1}): item for item in items}
        for future in as_completed(futures):
            item = futures[future]
            try:
                done(future.result())
            except Exception as exc:  # noqa: BLE001 - a worker that died fails its item only
                done(Outcome(item.name, item.index, f"the worker process failed ({type(exc).__name__}: {exc})"))


def check_engine(engine: str, address: str | None) -> None:
    """Refuse an engine that cannot run here before anything is printed or started."""
    if engine != "ray":
        return
    try:
        import ray
    except ImportError:
        raise EngineError("--engine ray needs Ray: pip install 'wordsync[ray]'") from None
    if not ray.is_initialized() and address and address != "auto" and not _answers(address):
        # ray.init would retry for minutes, its C++ core writing warnings to stderr all the while
        raise EngineError(f"cannot reach the Ray cluster at {address!r}: nothing answers there (start it with `ray start --head`)")


def _start_ray(address: str | None, workers: int):
    check_engine("ray", address)
    import ray

    if ray.is_initialized():  # a program (or a notebook) that already joined a cluster keeps it
        return ray, False
    quiet = dict(include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR, configure_logging=True)
    try:
        if address:
            ray.init(address=address, **quiet)
        else:
            ray.init(num_cpus=max(1, workers), object_store_memory=LOCAL_OBJECT_STORE_BYTES, **quiet)
    except ConnectionError as exc:
        raise EngineError(f"cannot reach the Ray cluster at {address!r} ({str(exc).splitlines()[0] if str(exc) else 'no answer'})") from None
    return ray, True


def _answers(address: str, timeout_s: float = 3.0) -> bool:
    """Whether a TCP connection to a Ray address ("host:port" or "ray://host:port") opens."""
    import socket

    hostport = address.split("://", 1)[-1].rstrip("/")
    host, _, port = hostport.rpartition(":")
    if not host or not port.isdigit():
        return True  # a form Ray may know and we do not: let it judge
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=timeout_s):
            return True
    except OSError:
        return False


def run_ray(task: str, items: list[BatchItem], options: dict, workers: int, address: str | None, done: Callable[[Outcome], None]) -> None:
    ray, started = _start_ray(address, workers)
    try:
        options = {**options, "jobs": 1}
        if uses_models(task, options):
            _ray_actor_pool(ray, task, items, options, workers, done)
        else:
            _ray_tasks(ray, task, items, options, done)
    finally:
        if started:
            ray.shutdown()


def _ray_tasks(ray, task: str, items: list[BatchItem], options: dict, done: Callable[[Outcome], None]) -> None:
    remote = ray.remote(num_cpus=1, max_retries=TASK_RETRIES, retry_exceptions=False)(run_item)
    pending = {remote.remote(task, item, options): item for item in items}
    while pending:
        ready, _ = ray.wait(list(pending), num_returns=1)
        item = pending.pop(ready[0])
        try:
            done(ray.get(ready[0]))
        except Exception as exc:  # noqa: BLE001 - a node lost for good: this item fails, the rest go on
            done(Outcome(item.name, item.index, f"the Ray task failed ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''})"))


class _ModelActor:
    """A Ray actor that keeps its model: the first item loads it (the core caches models per
    process), the rest reuse it."""

    def __init__(self, task: str, options: dict):
        self.task, self.options = task, options

    def run(self, item: BatchItem) -> Outcome:
        return run_item(self.task, item, self.options)


def _ray_actor_pool(ray, task: str, items: list[BatchItem], options: dict, workers: int, done: Callable[[Outcome], None]) -> None:
    """Neural items on ``workers`` actors (one GPU each where the cluster has GPUs), results taken
    as they finish. Plain actors, not ray.data's map_batches: the same one-model-per-actor pool
    without ray.data's pandas and pyarrow, and no read/write tasks to starve on a small machine."""
    gpus = 1 if ray.cluster_resources().get("GPU", 0) >= 1 and options.get("device") != "cpu" else 0
    actor = ray.remote(num_cpus=ACTOR_CPUS, num_gpus=gpus, max_restarts=1, max_task_retries=TASK_RETRIES)(_ModelActor)
    idle = [actor.remote(task, options) for _ in range(max(1, min(workers, len(items))))]
    queue = list(items)
    pending: dict = {}
    while queue or pending:
        while idle and queue:  # one item per actor at a time: the next goes to whichever ends first
            free, item = idle.pop(), queue.pop(0)
            pending[free.run.remote(item)] = (item, free)
        ready, _ = ray.wait(list(pending), num_returns=1)
        item, free = pending.pop(ready[0])
        idle.append(free)
        try:
            outcome = ray.get(ready[0])
        except Exception as exc:  # noqa: BLE001 - an actor lost for good: its item fails, the rest go on
            outcome = Outcome(item.name, item.index, f"the Ray actor failed ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''})")
        done(outcome)


def run(task: str, items: Iterable[BatchItem], options: dict, *, engine: str, workers: int, address: str | None,
        done: Callable[[Outcome], None], err, show: bool) -> None:
    items = list(items)
    if not items:
        return
    if engine == "ray":
        os.environ.setdefault("RAY_DEDUP_LOGS", "0")
        run_ray(task, items, options, workers, address, done)
    else:
        run_local(task, items, options, workers, done, err, show)
