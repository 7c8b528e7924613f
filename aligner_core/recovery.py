"""Autosave and crash recovery for the editor.

Each running editor holds an :class:`AutosaveSession`, which keeps an
OS lock (``flock`` / ``msvcrt.locking``) on ``<state>/recovery/<id>.lock`` for its lifetime.
The kernel drops the lock when the process dies, however it dies, so
:func:`find_recoverable` offers autosaves whose session lock it can take (crashed) and
never those of a running editor, and is not fooled by recycled process ids.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path, PurePath

from .fileio import atomic_write_bytes
from .messages import msg
from .project import (
    EXTENSION,
    PathArg,
    Project,
    ProjectError,
    _decode,
    _encode,
    _read_json,
)

__all__ = [
    "state_dir",
    "recovery_dir",
    "autosave_path",
    "AutosaveSession",
    "write_autosave",
    "discard_autosave",
    "RecoveryEntry",
    "find_recoverable",
    "load_recovery",
    "discard_recovery",
]

_SESSION_ID = re.compile(r"[A-Za-z0-9_-]{1,64}\Z")
_LOCK_SUFFIX = ".lock"
_STARTING_SUFFIX = ".starting"


def state_dir() -> Path:
    """The per-user folder for state that is not a user document (autosaves, recovery).

    ``WORDSYNC_STATE_DIR`` overrides it (tests, portable installs); otherwise
    ``$XDG_STATE_HOME/wordsync`` (``~/.local/state/wordsync``) on Linux and BSD,
    ``~/Library/Application Support/Wordsync`` on macOS, ``%LOCALAPPDATA%\\Wordsync\\State``
    on Windows, as platformdirs' ``user_state_dir`` would say.
    """
    override = os.environ.get("WORDSYNC_STATE_DIR")
    if override:
        return Path(os.path.abspath(override))
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "Wordsync" / "State"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "Wordsync"
    xdg = os.environ.get("XDG_STATE_HOME", "")
    # The XDG spec says relative values are invalid and must be ignored.
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".local" / "state"
    return base / "wordsync"


def recovery_dir() -> Path:
    return state_dir() / "recovery"


def _check_session_id(session_id: str) -> str:
    if not isinstance(session_id, str) or not _SESSION_ID.match(session_id):
        raise ValueError(f"invalid session id {session_id!r}: use 1-64 letters, digits, '-' or '_'")
    return session_id


def _autosave_name(project_path: PathArg | None) -> str:
    if project_path is None:
        return "untitled" + EXTENSION
    absolute = os.path.abspath(os.fspath(project_path))
    digest = hashlib.sha256(absolute.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    # The stem is only there for a person browsing the folder; the digest makes it unique.
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", PurePath(absolute).stem)[:40].strip("._") or "project"
    return f"{stem}-{digest}{EXTENSION}"


def autosave_path(project_path: PathArg | None, session_id: str) -> Path:
    """Where session ``session_id`` autosaves the project saved at ``project_path``
    (``None``: not saved yet). Derived from the arguments only, inside :func:`recovery_dir`."""
    return recovery_dir() / _check_session_id(session_id) / _autosave_name(project_path)


if os.name == "posix":
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

else:  # pragma: no cover - Windows
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True


_OPEN_FLAGS = os.O_RDWR | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


def _make_private_dir(path: Path) -> None:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)


class AutosaveSession:
    """One running editor's claim on its autosaves; hold it for the life of the process.

    ``close()`` is the clean exit: it deletes this session's autosaves and lock, so they are
    never offered for recovery. A session that never closes (crash, kill, power cut) leaves
    its autosaves behind with an unheld lock, and :func:`find_recoverable` offers them.
    """

    def __init__(self, session_id: str | None = None) -> None:
        self.id = _check_session_id(session_id or uuid.uuid4().hex)
        self.root = recovery_dir()
        _make_private_dir(self.root)
        lock_path = self.root / (self.id + _LOCK_SUFFIX)
        if os.name == "posix":
            # Lock a temporary file, then rename it into place: a lock file under the real
            # name is locked from its first moment, so no scan can see it unheld and take
            # this live session for a crashed one.
            tmp = self.root / f".{self.id}.{os.getpid()}{_STARTING_SUFFIX}"
            fd = os.open(tmp, _OPEN_FLAGS | os.O_CREAT | os.O_EXCL, 0o600)
            if not _try_lock(fd):  # pragma: no cover - a fresh file can not be locked already
                os.close(fd)
                raise OSError(msg("autosave_cannot_lock", path=str(tmp)))
            if lock_path.exists():
                os.close(fd)
                os.unlink(tmp)
                raise FileExistsError(msg("autosave_session_exists", session=self.id))
            os.rename(tmp, lock_path)
        else:  # pragma: no cover - Windows
            fd = os.open(lock_path, _OPEN_FLAGS | os.O_CREAT | os.O_EXCL, 0o600)
            if not _try_lock(fd):
                os.close(fd)
                raise OSError(msg("autosave_cannot_lock", path=str(lock_path)))
        os.write(fd, f"{os.getpid()}\n".encode())
        self._lock_fd: int | None = fd
        self._lock_path = lock_path
        self.directory = self.root / self.id
        _make_private_dir(self.directory)

    @property
    def closed(self) -> bool:
        return self._lock_fd is None

    def autosave_path(self, project_path: PathArg | None) -> Path:
        return self.directory / _autosave_name(project_path)

    def close(self) -> None:
        """Clean exit: remove this session's autosaves and release its lock."""
        if self._lock_fd is None:
            return
        _remove_session_files(self.directory)
        try:
            os.unlink(self._lock_path)
        except FileNotFoundError:
            pass
        os.close(self._lock_fd)
        self._lock_fd = None

    def __enter__(self) -> "AutosaveSession":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _remove_session_files(directory: Path) -> None:
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return
    for entry in entries:
        # Only what we write there: never follow or delete anything else a user put there.
        if entry.is_file(follow_symlinks=False) and (entry.name.endswith(EXTENSION) or entry.name.endswith(".tmp")):
            try:
                os.unlink(entry.path)
            except FileNotFoundError:
                pass
    try:
        os.rmdir(directory)
    except OSError:
        pass


def write_autosave(project: Project, session: AutosaveSession, project_path: PathArg | None = None) -> Path:
    """Atomically write the project to the session's autosave for ``project_path``.

    Call it from a worker thread with a snapshot (``replace(project,
    document=project.document.copy())``): tokens are immutable, so the copy is cheap and safe.
    """
    if session.closed:
        raise ValueError(msg("autosave_closed"))
    target = session.autosave_path(project_path)
    absolute = None if project_path is None else os.path.abspath(os.fspath(project_path))
    meta = {"project_path": absolute, "session": session.id, "pid": os.getpid(), "written_at": time.time()}
    base_dir = None if absolute is None else Path(absolute).parent
    atomic_write_bytes(target, _encode(project, base_dir, autosave=meta))
    return target


def discard_autosave(project_path: PathArg | None, session: AutosaveSession) -> None:
    """Delete the session's autosave for ``project_path`` (after a save, or on 'don't save')."""
    try:
        os.unlink(session.autosave_path(project_path))
    except FileNotFoundError:
        pass


@dataclass(frozen=True)
class RecoveryEntry:
    """An autosave left by a session that did not exit cleanly, newer than its saved project."""

    path: Path  # the autosave file
    session_id: str
    project_path: Path | None  # where the project was saved (None: never saved)
    saved_at: float  # when the autosave was written (seconds since the epoch)
    pid: int | None  # the crashed process (information only)
    #: the file name of the audio (else the transcript) the work was on, to name unsaved work
    source_name: str | None = None

    @property
    def title(self) -> str:
        if self.project_path is not None:
            return self.project_path.name
        return self.source_name or "Untitled"


def find_recoverable() -> list[RecoveryEntry]:
    """Autosaves of crashed sessions that hold work newer than their saved project, newest first.

    Autosaves of running editors (this process's included) are never listed. Sessions that
    left nothing to recover have their leftover lock file tidied away.
    """
    root = recovery_dir()
    try:
        names = os.listdir(root)
    except FileNotFoundError:
        return []
    for name in names:
        if name.startswith(".") and name.endswith(_STARTING_SUFFIX):
            _remove_if_unlocked(root / name)  # a session that died while starting
    session_ids = {n[: -len(_LOCK_SUFFIX)] if n.endswith(_LOCK_SUFFIX) else n for n in names}
    entries: list[RecoveryEntry] = []
    for session_id in sorted(i for i in session_ids if _SESSION_ID.match(i)):
        fd = _lock_dead_session(root, session_id)
        if fd is None:
            continue  # a running editor
        try:
            directory = root / session_id
            found = _recoverable_in(directory, session_id)
            entries += found
            if not found:
                _forget_session(root, session_id)
        finally:
            if fd >= 0:
                os.close(fd)
    entries.sort(key=lambda e: e.saved_at, reverse=True)
    return entries


def _remove_if_unlocked(path: Path) -> None:
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError:
        return
    try:
        if _try_lock(fd):
            os.unlink(path)
    except OSError:
        pass
    finally:
        os.close(fd)


def _forget_session(root: Path, session_id: str) -> None:
    """Remove a dead session's folder and lock if nothing is left in the folder."""
    try:
        os.rmdir(root / session_id)
    except FileNotFoundError:
        pass
    except OSError:
        return  # not empty (stale autosaves are kept), or not a folder of ours
    try:
        os.unlink(root / (session_id + _LOCK_SUFFIX))
    except FileNotFoundError:
        pass


def _lock_dead_session(root: Path, session_id: str) -> int | None:
    """The session's lock fd if we could take it (the session is gone), -1 if it has no lock
    file (it is gone too), None if a live process holds it."""
    try:
        fd = os.open(root / (session_id + _LOCK_SUFFIX), _OPEN_FLAGS)
    except FileNotFoundError:
        return -1
    except OSError:
        return None
    if _try_lock(fd):
        return fd
    os.close(fd)
    return None


def _recoverable_in(directory: Path, session_id: str) -> list[RecoveryEntry]:
    out: list[RecoveryEntry] = []
    try:
        listing = [e for e in os.scandir(directory) if e.is_file(follow_symlinks=False)]
    except (FileNotFoundError, NotADirectoryError):
        return out
    for entry in listing:
        if entry.name.startswith(".") and entry.name.endswith(".tmp"):
            try:  # an autosave the crash interrupted; the previous one is intact beside it
                os.unlink(entry.path)
            except OSError:
                pass
    files = [e for e in listing if e.name.endswith(EXTENSION)]
    for entry in files:
        path = Path(entry.path)
        try:
            data = _read_json(path)
            meta = data.get("autosave")
            mtime_ns = entry.stat(follow_symlinks=False).st_mtime_ns
        except (OSError, ProjectError, AttributeError):
            continue  # unreadable: leave it alone rather than guess
        if not isinstance(meta, dict):
            continue
        project = meta.get("project_path")
        if project is not None and (not isinstance(project, str) or not os.path.isabs(project) or "\x00" in project):
            continue
        # The file name was derived from the project path; a file that disagrees is not ours.
        if _autosave_name(project) != entry.name:
            continue
        project_path = None if project is None else Path(project)
        if project_path is not None:
            try:
                if os.stat(project_path).st_mtime_ns > mtime_ns:
                    continue  # saved after this autosave: nothing newer to recover
            except OSError:
                pass  # the saved project is gone: the autosave is all there is
        pid = meta.get("pid")
        out.append(RecoveryEntry(path, session_id, project_path, mtime_ns / 1e9, pid if type(pid) is int else None,
                                 _source_name(data)))
    return out


def _source_name(data: dict) -> str | None:
    """The audio's file name, else the transcript's, as the autosave records them (display only)."""
    for key in ("audio", "transcript"):
        member = data.get(key)
        if isinstance(member, dict):
            for field in ("path", "absolute"):
                value = member.get(field)
                if isinstance(value, str) and value.strip() and "\x00" not in value:
                    name = PurePath(value.replace("\\", "/")).name
                    if name:
                        return name[:200]
    return None


def load_recovery(entry: RecoveryEntry) -> Project:
    """Load a recovery entry; relative paths resolve against the project's folder.

    The GUI should show the result as modified and ask before writing it to
    ``entry.project_path``; then :func:`discard_recovery`.
    """
    base_dir = entry.project_path.parent if entry.project_path is not None else None
    return _decode(_read_json(entry.path), base_dir)


def discard_recovery(entry: RecoveryEntry) -> None:
    """Delete a recovered (or declined) autosave, and its dead session when it was the last."""
    root = entry.path.parent.parent
    if entry.path.parent != root / _check_session_id(entry.session_id) or root != recovery_dir():
        raise ValueError("not an entry of this recovery folder")
    try:
        os.unlink(entry.path)
    except FileNotFoundError:
        pass
    fd = _lock_dead_session(root, entry.session_id)
    if fd is None:
        return  # its session is running again? ids are unique, so only a racing scan
    try:
        _forget_session(root, entry.session_id)
    finally:
        if fd >= 0:
            os.close(fd)
