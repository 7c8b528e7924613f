"""Atomic file writes: a failed or interrupted write never leaves a half-written file.

Data goes to a temporary file in the target's folder, is flushed and fsynced, then renamed
over the target (atomic on POSIX and on Windows via ``os.replace``); the folder is fsynced
too so the rename itself survives a power cut.

Only a regular file is ever renamed over: a symlink is followed (the file is replaced at its
target and the link stays), and a device, FIFO, socket or folder, or a read-only file, is
refused (:class:`aligner_core.outputs.OutputError`). Callers that know their inputs check them
first with :func:`aligner_core.outputs.check_output`. The temporary name is short whatever the
target's (a legal 250-byte name must still work), and errors name the target, not the temporary.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path
from typing import Union

PathLike = Union[str, "os.PathLike[str]"]


TEMP_PREFIX = ".wordsync-"  # + 8 random characters + ".tmp": 22 bytes, whatever the target's name


def atomic_write_bytes(path: PathLike, data: bytes, *, shown: PathLike | None = None) -> None:
    """Replace ``path`` with ``data`` atomically; ``shown`` is the name errors give (default: ``path``)."""
    shown_name = os.fspath(shown if shown is not None else path)
    target = Path(path)
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, shown_name) from None
    if st is not None:
        _refuse_unreplaceable(st.st_mode, shown_name)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, shown_name) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if st is not None:
            mode = st.st_mode & 0o777
        else:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError) and exc.errno is not None:
            # "[Errno 27] File too large: '.out.srt.x1y2.tmp'" -> "File too large: 'out.srt'"
            raise OSError(exc.errno, exc.strerror, shown_name) from exc
        raise
    _fsync_dir(folder)


def _refuse_unreplaceable(mode: int, shown: str) -> None:
    from .outputs import OutputError, _kind_name

    if stat.S_ISDIR(mode):
        raise OutputError("is_folder", path=shown)
    if not stat.S_ISREG(mode):
        raise OutputError("not_writable_kind", path=shown, kind=_kind_name(mode))
    if not mode & 0o222:
        raise OutputError("read_only", path=shown)


def atomic_write_text(path: PathLike, text: str, encoding: str = "utf-8", newline: str = "\n") -> None:
    if newline != "\n":
        text = text.replace("\n", newline)
    atomic_write_bytes(path, text.encode(encoding))


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
