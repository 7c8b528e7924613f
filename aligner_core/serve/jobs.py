"""The server's jobs: their state in memory, mirrored to one folder per job so they outlive a restart.

A job folder (``JOBS_DIR/<32 hex digits>/``) holds the uploads under names the server chose
(``audio<.ext>``, ``transcript<.ext>``; a client's file name only ever appears in messages),
``state.json`` (written atomically on every change of status, and at most once a second for
progress) and, once done, ``result.json`` (the aligned document as Wordsync's word JSON).

On start every folder is read back: a queued job is queued again (its uploads are on disk), a
job that was running when the server stopped is marked failed with that reason (half a decode
cannot be trusted), and finished jobs older than the expiry are deleted. A folder without
``state.json`` (an upload or a transcription a crash cut off) is deleted; one whose ``state.json``
cannot be read is left alone and listed in ``unreadable``.
"""

from __future__ import annotations

import json
import re
import shutil
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Iterator

from ..fileio import atomic_write_bytes
from ..progress import CancelToken

QUEUED, DECODING, ALIGNING, TRANSCRIBING = "queued", "decoding", "aligning", "transcribing"
DONE, FAILED, CANCELLED = "done", "failed", "cancelled"
RUNNING = (DECODING, ALIGNING, TRANSCRIBING)
FINISHED = (DONE, FAILED, CANCELLED)
STATE_FILE, RESULT_FILE = "state.json", "result.json"
_ID = re.compile(r"[0-9a-f]{32}")
PROGRESS_MIRROR_S = 1.0


@dataclass(frozen=True)
class JobState:
    """What a client may see of a job (``GET /v1/alignments/{id}``) and what is mirrored to disk."""

    id: str
    kind: str  # "alignment" | "transcription"
    status: str = QUEUED
    progress: float = 0.0
    stage: str = ""
    error: dict | None = None  # {"code": ..., "message": ...}
    options: dict = field(default_factory=dict)  # language, aligner, model, profile; file names shown
    files: dict = field(default_factory=dict)  # role -> the stored file name inside the job folder
    created: float = 0.0
    updated: float = 0.0
    started: float | None = None  # when a worker took it: started - created is the time it queued
    finished: float | None = None
    summary: dict = field(default_factory=dict)
    version: int = 0  # bumped on every change: event streams send only what is new

    def public(self) -> dict:
        data = asdict(self)
        for private in ("files", "version"):
            data.pop(private)
        return data


def valid_id(job_id: str) -> bool:
    """Ids come from URLs: only the server's own shape is ever joined to a path."""
    return bool(_ID.fullmatch(job_id))


class JobStore:
    """Thread-safe jobs, each with its folder; workers report through :meth:`update`."""

    def __init__(self, root: Path, expire_s: float):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.expire_s = expire_s
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._jobs: dict[str, JobState] = {}
        self._cancels: dict[str, CancelToken] = {}
        self._mirrored: dict[str, float] = {}
        self.unreadable: list[str] = []
        self.shutting_down = False  # set by the server: a job cancelled now is queued again, not cancelled

    # -- lifecycle ---------------------------------------------------------------------------------

    def new(self, kind: str, options: dict) -> tuple[JobState, Path]:
        """A job id and its empty folder; the job is not visible until :meth:`add`."""
        job_id = uuid.uuid4().hex
        folder = self.root / job_id
        folder.mkdir()
        now = time.time()
        return JobState(job_id, kind, options=dict(options), created=now, updated=now), folder

    def add(self, job: JobState) -> None:
        with self._lock:
            self._jobs[job.id] = job
            self._cancels[job.id] = CancelToken()
            self._mirror(job)
            self._changed.notify_all()

    def folder(self, job_id: str) -> Path:
        if not valid_id(job_id):
            raise KeyError(job_id)
        return self.root / job_id

    def get(self, job_id: str) -> JobState | None:
        with self._lock:
            return self._jobs.get(job_id) if valid_id(job_id) else None

    def cancel_token(self, job_id: str) -> CancelToken:
        with self._lock:
            return self._cancels[job_id]

    def update(self, job_id: str, **changes: Any) -> JobState:
        """Change a job; a finished job never changes again (a late progress report is dropped)."""
        with self._lock:
            job = self._jobs[job_id]
            if job.status in FINISHED:
                return job
            now = time.time()
            if changes.get("status") in FINISHED:
                changes.setdefault("finished", now)
            job = replace(job, **changes, updated=now, version=job.version + 1)
            self._jobs[job_id] = job
            status_changed = "status" in changes
            if status_changed or now - self._mirrored.get(job_id, 0.0) >= PROGRESS_MIRROR_S:
                self._mirror(job)
            self._changed.notify_all()
            return job

    def cancel(self, job_id: str) -> JobState:
        """Ask a job to stop: a queued job is cancelled at once, a running one at its next check."""
        with self._lock:
            job = self._jobs[job_id]
            self._cancels[job_id].cancel()
        if job.status == QUEUED:
            job = self.update(job_id, status=CANCELLED, stage="")
        return job

    def delete(self, job_id: str) -> None:
        with self._lock:
            self._jobs.pop(job_id, None)
            self._cancels.pop(job_id, None)
            self._mirrored.pop(job_id, None)
        shutil.rmtree(self.root / job_id, ignore_errors=True)

    def wait_change(self, job_id: str, version: int, timeout: float) -> JobState | None:
        """The job once its version passes ``version`` (or after ``timeout``); None once deleted."""
        with self._lock:
            self._changed.wait_for(lambda: (j := self._jobs.get(job_id)) is None or j.version > version, timeout)
            return self._jobs.get(job_id)

    def all(self) -> list[JobState]:
        with self._lock:
            return list(self._jobs.values())

    # -- disk --------------------------------------------------------------------------------------

    def _mirror(self, job: JobState) -> None:
        self._mirrored[job.id] = time.time()
        try:
            atomic_write_bytes(self.root / job.id / STATE_FILE, json.dumps(asdict(job), ensure_ascii=False).encode("utf-8"))
        except OSError:
            pass  # the folder was deleted meanwhile (an expired or deleted job): nothing left to mirror

    def restore(self) -> list[str]:
        """Read the jobs a previous server left; returns the ids to queue again."""
        requeue: list[str] = []
        for folder in sorted(self.root.iterdir()):
            if not valid_id(folder.name) or not folder.is_dir():
                continue
            if not (folder / STATE_FILE).exists():
                # an upload or a transcription cut off by a crash: never a job, nothing to keep
                shutil.rmtree(folder, ignore_errors=True)
                continue
            try:
                data = json.loads((folder / STATE_FILE).read_text(encoding="utf-8"))
                job = JobState(**data)
                if job.id != folder.name:
                    raise ValueError("the id does not match the folder")
            except (OSError, ValueError, TypeError):
                self.unreadable.append(folder.name)
                continue
            if job.status in RUNNING:
                job = replace(job, status=FAILED, stage="", finished=time.time(), error={
                    "code": "serve_interrupted", "message": "The server stopped while this job was running; submit it again.",
                })
            with self._lock:
                self._jobs[job.id] = job
                self._cancels[job.id] = CancelToken()
                self._mirror(job)
            if job.status == QUEUED:
                requeue.append(job.id)
        self.expire()
        return requeue

    def expire(self, now: float | None = None) -> int:
        """Delete finished jobs older than the expiry; returns how many went."""
        now = time.time() if now is None else now
        old = [j.id for j in self.all() if j.status in FINISHED and j.finished is not None and now - j.finished > self.expire_s]
        for job_id in old:
            self.delete(job_id)
        return len(old)

    def __iter__(self) -> Iterator[JobState]:
        return iter(self.all())
