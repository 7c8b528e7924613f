"""Where an output may be written: checked before any work starts, so no input is ever lost.

One policy for the CLI, the batch, the editor's export and its project save:

- an output that is the same file as any input (however spelled: ``..``, symlinks, hard links,
  another case on a case-insensitive disk: compared by device and inode) is refused;
- ``-`` means standard output (the CLI only);
- a symlink is followed: the file is written atomically at its target and the link stays;
- a character device or a FIFO (``/dev/null``, ``/dev/stdout``, a pipe) is written through, as
  ``cat > /dev/null`` would, where the caller allows it (the CLI); never renamed over; a block
  device, socket or folder is refused;
- an existing regular file without write permission is refused, not replaced (even for root,
  who could replace it: the read-only bit is the user's "do not touch");
- the folder must exist and be writable, and the name short enough for it, before the aligner
  runs for minutes.

Errors are :class:`OutputError`: one sentence naming the user's path, with a stable ``code`` and
arguments so the editor can say it in the user's language.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Union

from .fileio import atomic_write_bytes
from .messages import msg

PathLike = Union[str, "os.PathLike[str]"]

STDOUT = "-"

class OutputError(ValueError):
    """An output that must not or cannot be written; ``str()`` is one English sentence, and the
    :class:`~aligner_core.messages.Message` it carries is what the editor translates."""

    def __init__(self, code: str, **args: object):
        self.code = code
        self.args_dict = args
        super().__init__(msg(code, **args))


@dataclass(frozen=True)
class OutputTarget:
    """A checked output: ``kind`` is "file" (atomic write at ``write_path``), "special" (written
    through at ``path``: a character device or FIFO) or "stdout"."""

    path: str
    kind: str
    write_path: Path | None = None

    def write(self, data: bytes) -> None:
        write_output(self, data)


def _kind_name(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISCHR(mode):
        return "character device"
    if stat.S_ISBLK(mode):
        return "block device"
    if stat.S_ISFIFO(mode):
        return "named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "special file"


def _identity(path: PathLike) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_dev, st.st_ino


def same_file(a: PathLike, b: PathLike) -> bool:
    """Whether two spellings name one existing file (or, if neither exists yet, one path)."""
    ia, ib = _identity(a), _identity(b)
    if ia is not None and ib is not None:
        return ia == ib
    try:
        return os.path.realpath(a) == os.path.realpath(b)
    except (OSError, ValueError):
        return False


def check_output(
    path: PathLike,
    inputs: Iterable[PathLike | None] = (),
    *,
    allow_special: bool = False,
    allow_stdout: bool = False,
) -> OutputTarget:
    """Check ``path`` as an output for a job that reads ``inputs``; raises :class:`OutputError`."""
    shown = os.fspath(path)
    if allow_stdout and shown == STDOUT:
        return OutputTarget(shown, "stdout")
    for source in inputs:
        if source is not None and os.fspath(source) != STDOUT and same_file(path, source):
            raise OutputError("same_as_input", path=shown, input=os.fspath(source))
    try:
        st = os.stat(path)  # follows symlinks: what a write would reach
    except FileNotFoundError:
        st = None
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            _check_name(Path(shown))
        raise OSError(exc.errno, exc.strerror, shown) from None
    if st is not None and not stat.S_ISREG(st.st_mode):
        kind = _kind_name(st.st_mode)
        if stat.S_ISDIR(st.st_mode):
            raise OutputError("is_folder", path=shown)
        if not (stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode)):
            raise OutputError("not_writable_kind", path=shown, kind=kind)
        if not allow_special:
            raise OutputError("special_not_allowed", path=shown, kind=kind)
        return OutputTarget(shown, "special")
    real = Path(os.path.realpath(path))
    if st is not None and (not st.st_mode & 0o222 or not os.access(real, os.W_OK)):
        raise OutputError("read_only", path=shown)
    folder = real.parent
    if not folder.exists():
        raise OutputError("no_folder", folder=os.fspath(Path(shown).parent) or ".")
    if not folder.is_dir():
        raise OutputError("folder_not_folder", folder=os.fspath(Path(shown).parent))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError("folder_not_writable", folder=os.fspath(Path(shown).parent) or ".")
    _check_name(real)
    return OutputTarget(shown, "file", real)


def _check_name(path: Path) -> None:
    size = len(os.fsencode(path.name))
    try:
        limit = os.pathconf(path.parent if path.parent.exists() else ".", "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):
        limit = 255
    if size > limit:
        name = path.name if len(path.name) <= 40 else path.name[:37] + "..."
        raise OutputError("name_too_long", name=name, size=size, limit=limit)


def write_output(target: OutputTarget, data: bytes) -> None:
    """Write ``data`` where ``target`` says; errors name the user's path, not a temporary file."""
    if target.kind == "stdout":
        stream = sys.stdout
        buffer = getattr(stream, "buffer", None)
        if buffer is not None:
            stream.flush()
            buffer.write(data)
            buffer.flush()
        else:  # a replaced sys.stdout (tests, IDEs) may only take text
            stream.write(data.decode("utf-8"))
            stream.flush()
        return
    if target.kind == "special":
        try:
            with open(target.path, "wb") as fh:  # O_TRUNC is harmless on devices and FIFOs
                fh.write(data)
        except OSError as exc:
            raise OSError(exc.errno, exc.strerror, target.path) from None
        return
    assert target.write_path is not None
    atomic_write_bytes(target.write_path, data, shown=target.path)


__all__ = ["OutputError", "OutputTarget", "STDOUT", "check_output", "same_file", "write_output"]
