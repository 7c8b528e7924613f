"""Opening transcript files: the one way a transcript or subtitle file is read, whoever reads it.

Its own module because the refusals (a folder, a device, a FIFO, a file far too large) are about
the file, not its text, and must happen before a single byte is decoded.
"""

from __future__ import annotations

import os
import stat

from .encoding import decode_transcript_bytes
from .errors import display_name, error

MAX_TRANSCRIPT_BYTES = 64 * 1024 * 1024  # far above any real transcript; guards against picking a video


def read_transcript(path: str | os.PathLike[str]) -> str:
    """The text of a transcript file, decoded (see :func:`decode_transcript_bytes`) and normalised.

    Raises :class:`TranscriptError` when the file cannot be read or is not text.
    """
    name = os.fspath(path)
    text, _encoding = decode_transcript_bytes(read_transcript_bytes(path), name)
    return text


# A device or FIFO reports st_size 0 and never ends (/dev/zero) or never starts (a FIFO with
# no writer): only a regular file is opened, and never more than the limit is read from it.
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # the open itself must not wait for a FIFO's writer
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOCTTY", 0) | _NONBLOCK


def _file_kind(mode: int) -> str:
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_transcript_bytes(path: str | os.PathLike[str], limit: int = MAX_TRANSCRIPT_BYTES) -> bytes:
    """The bytes of a transcript or subtitle file: the one way every reader opens such a file.

    Only regular files are read (a device, FIFO or socket is refused before it is opened, and
    again after opening in case the path was swapped meanwhile), and at most ``limit`` + 1
    bytes are read, so a file that grows while read, or lies about its size, stays bounded.
    Raises :class:`TranscriptError` with one sentence naming the file.
    """
    shown = display_name(os.fspath(path))
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise error("missing", shown) from None
    except OSError as exc:
        raise error("unreadable", shown, reason=exc.strerror or str(exc)) from None
    _refuse_irregular(st.st_mode, shown)
    _refuse_size(st.st_size, limit, shown)
    try:
        fd = os.open(path, _READ_FLAGS)
    except OSError as exc:
        raise error("unreadable", shown, reason=exc.strerror or str(exc)) from None
    try:
        _refuse_irregular(os.fstat(fd).st_mode, shown)
        if _NONBLOCK:  # a regular file never blocks; plain reads from here on
            os.set_blocking(fd, True)
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise error("unreadable", shown, reason=exc.strerror or str(exc)) from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    _refuse_size(len(data), limit, shown)
    return data


def _refuse_irregular(mode: int, shown: str) -> None:
    if stat.S_ISDIR(mode):
        raise error("folder", shown)
    if not stat.S_ISREG(mode):
        raise error("not_regular", shown, kind=_file_kind(mode))


def _refuse_size(size: int, limit: int, shown: str) -> None:
    if size > limit:
        mb = max(1, size // (1024 * 1024))
        raise error("too_large", shown, limit_mb=max(1, limit // (1024 * 1024)), size_mb=mb)
