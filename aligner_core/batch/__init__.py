"""Corpus batches: ``wordsync align|transcribe --batch MANIFEST --out-dir DIR [--engine local|ray]``.

:func:`run_batch` is what both commands call once they have read and checked the manifest and
every output (the CLI does that before any work): it skips what an earlier run finished
(:mod:`.resume`), hands the rest to an engine (:mod:`.engines`), prints each item's lines and a
progress line as items finish, and returns the failures. :mod:`.work` runs one item.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from .engines import ENGINES, EngineError
from .resume import ResumeState, options_key
from .work import ALIGN, TRANSCRIBE, BatchItem, Outcome

__all__ = ["ALIGN", "TRANSCRIBE", "ENGINES", "BatchItem", "EngineError", "Outcome", "run_batch", "run_manifest"]


def run_batch(task: str, items: list[BatchItem], options: dict, out_dir: Path, *, engine: str = "local", workers: int = 1,
              address: str | None = None, redo: bool = False, err: TextIO, prog: str = "wordsync",
              total: int | None = None) -> tuple[list[Outcome], int]:
    """Run the items; returns (the failed outcomes, how many were skipped as already done)."""
    from . import engines

    state = ResumeState(out_dir, options_key(task, options))
    todo = [item for item in items if redo or not state.is_done(item)]
    skipped = len(items) - len(todo)
    show = err.isatty()
    if skipped:
        print(f"{prog}: {skipped} of {total or len(items)} already done in an earlier run; skipped", file=err)
    failures: list[Outcome] = []
    finished = 0
    by_index = {item.index: item for item in todo}

    def done(outcome: Outcome) -> None:
        nonlocal finished
        finished += 1
        if not (engine == "local" and workers <= 1 and show):  # there the item printed as it went
            for line in outcome.lines:
                print(line, file=err)
        if outcome.error is None:
            state.record(by_index[outcome.index])
        else:
            failures.append(outcome)
            print(f"{prog}: {outcome.name}: failed: {outcome.error}", file=err)
        if show and (engine != "local" or workers > 1):
            print(f"{prog}: [{finished}/{len(todo)}] {outcome.name} {'failed' if outcome.error else 'done'}", file=err, flush=True)

    engines.run(task, todo, options, engine=engine, workers=workers, address=address, done=done, err=err, show=show)
    return sorted(failures, key=lambda o: o.index), skipped


def run_manifest(task: str, lines: list[tuple[int, str]], jobs: list, args, out_dir: Path, ext: str, err: TextIO, prog: str = "wordsync") -> int:
    """The CLIs' batch once the manifest and the outputs are checked: ``jobs`` holds, per manifest
    line, its parsed fields or the exception it fails with. Returns the exit status (0, or 1 when
    some items failed), after listing the failures in manifest order."""
    import json

    from ..cli import _reason

    from .engines import check_engine

    check_engine(getattr(args, "engine", "local") or "local", getattr(args, "address", None))
    verb = "aligned" if task == ALIGN else "transcribed"
    failures: list[tuple[int, str, str]] = []
    items: list[BatchItem] = []
    for k, ((lineno, _line), job) in enumerate(zip(lines, jobs)):
        if isinstance(job, Exception):
            reason = f"not valid JSON ({job.msg})" if isinstance(job, json.JSONDecodeError) else _reason(job)
            failures.append((k, f"line {lineno}", reason))
            print(f"{prog}: line {lineno}: failed: {reason}", file=err)
            continue
        name, audio, *rest = job
        transcript, language = (rest[0], rest[1]) if task == ALIGN else (None, rest[0])
        items.append(BatchItem(name, str(audio), None if transcript is None else str(transcript), language, str(out_dir / (name + ext)), k))
    options = {k: v for k, v in vars(args).items() if k != "target"}
    failed, skipped = run_batch(task, items, options, out_dir, engine=getattr(args, "engine", "local") or "local",
                                workers=getattr(args, "jobs", 1) or 1, address=getattr(args, "address", None),
                                redo=bool(getattr(args, "redo", False)), err=err, prog=prog, total=len(lines))
    failures += [(o.index, o.name, o.error or "") for o in failed]
    failures.sort()
    if failures:
        print(f"{prog}: {len(lines) - len(failures)} of {len(lines)} {verb}; {len(failures)} failed:", file=err)
        for _k, name, reason in failures:
            print(f"  {name}: {reason}", file=err)
        return 1
    print(f"{prog}: all {len(lines)} {verb} into {out_dir}", file=err)
    return 0
