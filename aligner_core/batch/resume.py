"""What a batch already did, so a rerun skips it: ``OUT_DIR/.wordsync-batch.jsonl``.

Each item that finished is recorded with the options it ran with and the size and change time
of its inputs and of its output. A rerun skips an item only when all of these still match: a
changed transcript, another ``--profile`` or ``--aligner``, or an output someone edited or
deleted, and it runs again. One line is appended per finished item (rewriting the whole record
each time would cost a corpus of 100,000 items terabytes of writes); the last line for a name
wins, and a line cut short by a crash is ignored, so a batch cut off anywhere (Ctrl-C, a crashed
node) resumes from what was written.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path

from .work import BatchItem

STATE_NAME = ".wordsync-batch.jsonl"
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
        self.done: dict = {}
        self._torn = False  # the last line has no end: the next record starts a line of its own
        try:
            with open(self.path, encoding="utf-8") as fh:
                for line in fh:
                    self._torn = not line.endswith("\n")
                    try:
                        record = json.loads(line)
                    except ValueError:
                        continue  # the line a crash cut short
                    if isinstance(record, dict) and isinstance(record.get("name"), str):
                        self.done[record["name"]] = record
        except OSError:
            pass  # none yet, or unreadable: every item runs

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
        record = {"name": item.name, "key": self.key, "audio": _stamp(item.audio), "transcript": _stamp(item.transcript),
                  "output": _stamp(item.output)}
        with self._lock:
            self.done[item.name] = record
            try:
                with open(self.path, "a", encoding="utf-8") as fh:
                    fh.write(("\n" if self._torn else "") + json.dumps(record) + "\n")
                self._torn = False
            except OSError:
                pass  # an unwritable record only costs the skip next time; the output itself is written
