"""What a batch already did, so a rerun skips it: ``OUT_DIR/.wordsync-batch.json``.

Each item that finished is recorded with the options it ran with and the size and change time
of its inputs and of its output. A rerun skips an item only when all of these still match: a
changed transcript, another ``--profile`` or ``--aligner``, or an output someone edited or
deleted, and it runs again. The file is rewritten atomically after every item, so a batch cut
off anywhere (Ctrl-C, a crashed node) resumes from what was written.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path

from ..fileio import atomic_write_bytes
from .work import BatchItem

STATE_NAME = ".wordsync-batch.json"
#: options that do not change an output (where it goes, how many workers, which engine)
_NOT_OUTPUT = {"batch", "out_dir", "jobs", "engine", "address", "redo", "target", "audio", "transcript", "output"}


def options_key(task: str, options: dict) -> str:
    kept = {k: v for k, v in sorted(options.items()) if k not in _NOT_OUTPUT}
    return hashlib.sha256(json.dumps([task, kept], default=str, sort_keys=True).encode()).hexdigest()[:16]


def _stamp(path: str | None) -> list[int] | None:
    if not path:
        return None
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


class ResumeState:
    def __init__(self, out_dir: Path, key: str):
        self.path = Path(out_dir) / STATE_NAME
        self.key = key
        self._lock = threading.Lock()
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            self.done: dict = data.get("done", {}) if isinstance(data, dict) else {}
        except (OSError, ValueError):
            self.done = {}  # none yet, or unreadable: every item runs

    def is_done(self, item: BatchItem) -> bool:
        record = self.done.get(item.name)
        output = _stamp(item.output)
        return (
            isinstance(record, dict)
            and output is not None
            and record.get("output") == output
            and record.get("key") == self.key
            and record.get("audio") == _stamp(item.audio)
            and record.get("transcript") == _stamp(item.transcript)
        )

    def record(self, item: BatchItem) -> None:
        with self._lock:
            self.done[item.name] = {"key": self.key, "audio": _stamp(item.audio), "transcript": _stamp(item.transcript), "output": _stamp(item.output)}
            try:
                atomic_write_bytes(self.path, json.dumps({"version": 1, "done": self.done}, indent=1).encode("utf-8"))
            except OSError:
                pass  # a read-only record only costs the skip next time; the output itself is written
