"""Where batch items run: ``local`` (this process, or a pool of worker processes, each loading its
model once) or ``ray`` (an existing Ray cluster, or a small local one started for the batch).

Ray: the offline aligner (PocketSphinx, one core per utterance) runs as plain tasks with
``num_cpus=1`` and retries; neural aligners and recognisers run in an actor pool through
``ray.data`` (``map_batches`` with a class that loads the model once per actor, one GPU per actor
where the cluster has GPUs), so a model is loaded once per actor, not once per item. Workers
decode the audio themselves from the paths in the manifest: samples never travel through the
object store, and the paths must be readable on every node (a shared filesystem). Each item's
output is written by the worker as it finishes, and the driver records it for resume.

Measured on a 2-core machine with Ray 2.60: a local ``ray.init`` needs ``num_cpus``, no dashboard
and a small object store to start at all; an actor pool whose actors ask for a whole CPU each can
starve ray.data's own read and write tasks and hang, so actors ask for half a CPU.
"""

from __future__ import annotations

import logging
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Callable, Iterable

from .work import ALIGN, BatchItem, Outcome, run_item, run_items

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
        for item in items:  # in this process, with the progress bar on a terminal
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


def _start_ray(address: str | None, workers: int):
    try:
        import ray
    except ImportError:
        raise EngineError("--engine ray needs Ray: pip install 'wordsync[ray]'") from None
    quiet = dict(include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR, configure_logging=True)
    try:
        if address:
            ray.init(address=address, **quiet)
        else:
            ray.init(num_cpus=max(1, workers), object_store_memory=LOCAL_OBJECT_STORE_BYTES, **quiet)
    except ConnectionError as exc:
        raise EngineError(f"cannot reach the Ray cluster at {address!r} ({str(exc).splitlines()[0] if str(exc) else 'no answer'})") from None
    return ray


def run_ray(task: str, items: list[BatchItem], options: dict, workers: int, address: str | None, done: Callable[[Outcome], None]) -> None:
    ray = _start_ray(address, workers)
    try:
        options = {**options, "jobs": 1}
        if uses_models(task, options):
            _ray_actor_pool(ray, task, items, options, workers, done)
        else:
            _ray_tasks(ray, task, items, options, done)
    finally:
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
    """A ray.data actor: the model is loaded by the first item and kept for the rest."""

    def __init__(self, task: str, options: dict):
        self.task, self.options = task, options

    def __call__(self, batch: dict) -> dict:
        items = [BatchItem(**{k: _plain(batch[k][i]) for k in batch}) for i in range(len(batch["name"]))]
        outcomes = run_items(self.task, items, self.options)
        return {
            "name": [o.name for o in outcomes],
            "index": [o.index for o in outcomes],
            "error": [o.error or "" for o in outcomes],
            "lines": ["\n".join(o.lines) for o in outcomes],
        }


def _plain(value):
    """A ray.data cell as Python: numpy scalars and None-as-NaN back to what BatchItem holds."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


def _ray_actor_pool(ray, task: str, items: list[BatchItem], options: dict, workers: int, done: Callable[[Outcome], None]) -> None:
    from dataclasses import asdict

    gpus = 1 if ray.cluster_resources().get("GPU", 0) >= 1 and options.get("device") != "cpu" else 0
    rows = [{k: ("" if v is None else v) for k, v in asdict(item).items()} for item in items]
    ds = ray.data.from_items(rows)
    ds = ds.map_batches(
        _ModelActor, fn_constructor_args=(task, options), batch_size=1, batch_format="numpy",
        compute=ray.data.ActorPoolStrategy(size=max(1, workers)), num_cpus=ACTOR_CPUS, num_gpus=gpus,
    )
    seen = set()
    for row in ds.iter_rows():
        seen.add(row["name"])
        done(Outcome(row["name"], int(row["index"]), row["error"] or None, tuple(row["lines"].splitlines())))
    for item in items:  # an item ray.data dropped (it should not) still gets a line
        if item.name not in seen:
            done(Outcome(item.name, item.index, "the Ray actor pool returned nothing for it"))


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
