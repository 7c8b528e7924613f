"""The project file (``.wordsync``): versioned JSON and atomic saves.

Format (version 2), UTF-8 JSON, never pickle or eval::

    {
     "format": "wordsync-project",
     "version": 2,
     "generator": "wordsync",
     "audio": {"path": "media/talk.wav", "absolute": "/home/ann/proj/media/talk.wav",
               "fingerprint": "fp1:48000044:5f0c..."},
     "transcript": {"text": "Hello, world.", "path": "talk.txt", "absolute": "/home/ann/proj/talk.txt"},
     "aligner": {"name": "sphinx", "version": "5.0.3", "settings": {...}},
     "view": {"zoom": 2.5, "scroll": 1200, "selection": [3, 7], "playhead": 950},
     "document": {
      "language": "en",
      "duration_ms": 61000,
      "tokens": {                       # one column per Token field, index i is token i
       "text": ["Hello,", "world."], "units": ["hello", "world"], "start": [120, 610],
       "end": [480, null], ...          # "units": a string for one unit, a list otherwise
      },
      "cues": {"first": [0], "last": [1], "start": [null], "end": [null], "line_starts": [[]]},
      "untranscribed": [[0, 20100]]     # optional: speech no word covers, [start_ms, end_ms]
     }
    }

Columns keep 30,000 words to a few MB that :mod:`json` reads and writes in tens of
milliseconds, and stay readable when someone repairs a file by hand.

Paths: ``path`` is relative to the project file's folder (POSIX separators) and ``absolute``
is where the file was when saved. Loading tries the relative one first (the project folder
was moved or copied with its media) and then the absolute one (only the project file moved).
A referenced file is only ever *read*, and only if it is a regular file (a FIFO or device
named by a hand-edited project can not make loading block). Nothing is ever written to a
path taken from a file: saves go where the caller says, autosaves to a location we derive.

Versions: a file of an older version is upgraded in memory by the chain in ``_MIGRATIONS``
(one function per step, ``n -> n + 1``); a newer one is refused with
:class:`ProjectTooNewError`. Version 1 (the first prototype's row format) was::

    {"format": "wordsync-project", "version": 1, "audio": "talk.wav" | "/abs/talk.wav" | null,
     "transcript": "text", "language": "en", "duration": 61.0 (seconds) | null,
     "words": [{"text": "Hello,", "start": 0.12, "end": 0.48, "confidence": 0.9,
                "flags": 0, "locked": false}, ...],          # times in seconds or null
     "cues": [{"first": 0, "last": 1, "start": null, "end": null}, ...],
     "aligner": {...}}                                         # optional

Optional columns need no new version: an older reader ignores them. ``document.cues`` may have
``language`` and ``emotion``, and the look overrides ``align`` (1..9 or null), ``pos`` ([x, y] or
null) and ``style`` (text or null); ``document.tiers`` holds the user's annotation tiers
(``[{"name": "gesture", "points": false, "items": [[start_ms, end_ms, "label"], ...]}]``); ``document.tokens`` has ``phones`` when some word has a phone tier
(per token ``null`` or ``[[label, start_ms, end_ms], ...]``, tiling the word).

To add version 3: bump ``FORMAT_VERSION``, write ``_v2_to_v3(data) -> data`` and register it;
the decoder only ever sees the current version.

Autosave and crash recovery live in :mod:`aligner_core.recovery`.
"""

from __future__ import annotations

import hashlib
import json
import math
import operator
import os
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath
from typing import Any, Callable, NoReturn, Union

from .document import CUE_LOOK, Annotation, Break, Cue, Document, Phone, Tier, Token
from .fileio import atomic_write_bytes
from .messages import Message, msg

__all__ = [
    "FORMAT_VERSION",
    "EXTENSION",
    "ProjectError",
    "ProjectTooNewError",
    "Project",
    "RelinkResult",
    "save_project",
    "load_project",
    "fingerprint",
    "relink",
]

FORMAT_NAME = "wordsync-project"
FORMAT_VERSION = 2
EXTENSION = ".wordsync"
# A 3-hour talk is ~30,000 words, ~3 MB; this only stops a wrong file eating all memory.
MAX_PROJECT_BYTES = 512 * 1024 * 1024

PathArg = Union[str, "os.PathLike[str]"]


class ProjectError(ValueError):
    """The project file can not be used; ``str(exc)`` is one sentence for the user."""


class ProjectTooNewError(ProjectError):
    """The file was written by a newer Wordsync whose format this version does not know."""

    def __init__(self, version: int) -> None:
        self.version = version
        self.supported = FORMAT_VERSION
        super().__init__(msg("project_too_new", version=version, supported=FORMAT_VERSION))


@dataclass
class Project:
    """Everything a project file holds, with paths resolved for this machine.

    ``audio_missing``: the project names an audio file but none was found (offer to locate it,
    then :func:`relink`). ``audio_mismatch``: a file was found but its fingerprint differs
    from the saved one (a different cut, re-encode, or another file of the same name).
    Both are set by loading and ignored by saving.
    """

    document: Document
    audio_path: Path | None = None
    audio_fingerprint: str | None = None
    transcript_text: str = ""
    transcript_path: Path | None = None
    aligner: dict = field(default_factory=dict)
    view: dict = field(default_factory=dict)
    audio_missing: bool = False
    audio_mismatch: bool = False


# ------------------------------------------------------------------------------------------
# fingerprint / relink
# ------------------------------------------------------------------------------------------

_FP_CHUNK = 1 << 20
_FP_SCHEME = "fp1"


def fingerprint(path: PathArg) -> str:
    """``fp1:<size>:<hash>`` of a file's size, first and last MiB (whole file when small).

    Independent of mtime and name, so a file that was copied, moved or touched still matches;
    a re-encode or a different cut changes the size or the hashed ends. Raises ``OSError``
    when the file can not be read or is not a regular file (never blocks on a FIFO).
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(f"not a regular file: {os.fspath(path)!r}")
        size = st.st_size
        digest = hashlib.blake2b(digest_size=16)
        digest.update(size.to_bytes(8, "little"))
        if size <= 2 * _FP_CHUNK:
            digest.update(_read_at(fd, 0, size))
        else:
            digest.update(_read_at(fd, 0, _FP_CHUNK))
            digest.update(_read_at(fd, size - _FP_CHUNK, _FP_CHUNK))
        return f"{_FP_SCHEME}:{size}:{digest.hexdigest()}"
    finally:
        os.close(fd)


def _read_at(fd: int, offset: int, length: int) -> bytes:
    os.lseek(fd, offset, os.SEEK_SET)
    parts: list[bytes] = []
    while length > 0:
        chunk = os.read(fd, min(length, _FP_CHUNK))
        if not chunk:
            break  # the file shrank while we read: the hash just differs
        parts.append(chunk)
        length -= len(chunk)
    return b"".join(parts)


def _fingerprint_or_none(path: Path) -> str | None:
    try:
        return fingerprint(path)
    except OSError:
        return None


@dataclass(frozen=True)
class RelinkResult:
    """What :func:`relink` found. ``project`` always points at the new file (with its
    fingerprint); the caller keeps it, or asks the user first when ``mismatch`` is true."""

    project: Project
    expected: str | None  # the saved fingerprint (None: the project never had one)
    found: str

    @property
    def mismatch(self) -> bool:
        """True when the project knew its audio and this file is not it."""
        return self.expected is not None and self.expected != self.found

    @property
    def verified(self) -> bool:
        """True when the file is the one the project was saved with."""
        return self.expected is not None and self.expected == self.found


def relink(project: Project, new_path: PathArg) -> RelinkResult:
    """Point a project at an audio file the user located, checking it is the same audio.

    Raises ``OSError`` if the file can not be read. The given project is not changed.
    """
    path = Path(os.path.abspath(os.fspath(new_path)))
    found = fingerprint(path)
    relinked = replace(project, audio_path=path, audio_fingerprint=found, audio_missing=False, audio_mismatch=False)
    return RelinkResult(relinked, project.audio_fingerprint, found)


# ------------------------------------------------------------------------------------------
# save
# ------------------------------------------------------------------------------------------


def save_project(project: Project, path: PathArg) -> None:
    """Write the project atomically: on any failure the previous file at ``path`` is intact.

    Raises :class:`ProjectError` (nothing written) when the project can not be represented:
    a broken document invariant, or ``aligner``/``view`` holding values JSON can not keep.
    Raises :class:`aligner_core.outputs.OutputError` (nothing written) when ``path`` is the
    project's audio or transcript file, a folder, a device or read-only, and ``OSError`` when the
    write itself fails.
    """
    from .outputs import check_output

    target = Path(os.path.abspath(os.fspath(path)))
    checked = check_output(target, [project.audio_path, project.transcript_path])
    assert checked.write_path is not None
    atomic_write_bytes(checked.write_path, _encode(project, target.parent), shown=target)


def _encode(project: Project, base_dir: Path | None, autosave: dict | None = None) -> bytes:
    doc = project.document
    problems = doc.problems()
    if problems:
        more = f" and {len(problems) - 1} more problems" if len(problems) > 1 else ""
        raise ProjectError(_unsaveable(f"the document is inconsistent ({problems[0]}{more})"))
    audio = None
    if project.audio_path is not None:
        fp = project.audio_fingerprint
        if fp is None and not project.audio_missing:
            fp = _fingerprint_or_none(Path(project.audio_path))
        audio = {**_encode_path(project.audio_path, base_dir), "fingerprint": fp}
    data: dict[str, Any] = {"format": FORMAT_NAME, "version": FORMAT_VERSION, "generator": "wordsync"}
    if autosave is not None:
        data["autosave"] = autosave
    if not isinstance(project.transcript_text, str):
        raise ProjectError(_unsaveable("the transcript text is not a string"))
    data["audio"] = audio
    data["transcript"] = {"text": project.transcript_text, **_encode_path(project.transcript_path, base_dir)}
    data["aligner"] = _check_json_safe(project.aligner, "aligner settings")
    data["view"] = _check_json_safe(project.view, "view state")
    if not isinstance(doc.language, str):
        raise ProjectError(_unsaveable("the document language is not a string"))
    data["document"] = {
        "language": doc.language,
        "duration_ms": None if doc.duration_ms is None else _as_int(doc.duration_ms, "the duration"),
        "tokens": _encode_tokens(doc.tokens),
        "cues": _encode_cues(doc.cues),
    }
    if doc.tiers:  # optional like untranscribed: a file without tiers is what older versions wrote
        data["document"]["tiers"] = [
            {"name": t.name, "points": bool(t.points),
             "items": [[_as_int(a.start, "a tier item"), _as_int(a.end, "a tier item"), str(a.label)] for a in t.items]}
            for t in doc.tiers
        ]
    if doc.untranscribed:  # optional: older readers ignore it, older files load with none
        data["document"]["untranscribed"] = [[_as_int(a, "an untranscribed span"), _as_int(b, "an untranscribed span")] for a, b in doc.untranscribed]
    try:
        text = _dumps(data, ensure_ascii=False)
        try:
            return text.encode("utf-8")
        except UnicodeEncodeError:
            # Lone surrogates (bad UTF-16 from a clipboard): escaped JSON keeps them exactly.
            return _dumps(data, ensure_ascii=True).encode("ascii")
    except (TypeError, ValueError) as exc:
        raise ProjectError(_unsaveable(f"the project holds a value JSON can not represent ({exc})")) from exc


def _encode_path(path: PathArg | None, base_dir: Path | None) -> dict:
    if path is None:
        return {"path": None, "absolute": None}
    absolute = os.path.abspath(os.fspath(path))
    rel = None
    if base_dir is not None:
        try:
            rel = PurePath(os.path.relpath(absolute, base_dir)).as_posix()
        except ValueError:  # another drive on Windows: absolute only
            rel = None
    return {"path": rel, "absolute": absolute}


def _as_int(value: Any, what: str, index: int | None = None) -> int:
    if type(value) is int:
        return value
    try:
        return operator.index(value)  # numpy integers from an aligner are fine
    except TypeError:
        where = what if index is None else what.format(index)
        raise ProjectError(_unsaveable(f"{where} is not a whole number ({value!r})")) from None


def _as_opt_int(value: Any, what: str, index: int) -> int | None:
    return value if value is None or type(value) is int else _as_int(value, what, index)


def _as_opt_float(value: Any, what: str, index: int) -> float | None:
    if value is None or type(value) is float:
        return value
    if isinstance(value, (bool, str, bytes)) or not hasattr(value, "__float__"):
        raise ProjectError(_unsaveable(f"{what.format(index)} is not a number ({value!r})"))
    return float(value)


def _encode_tokens(tokens: list[Token]) -> dict:
    units_col: list[Any] = []
    for i, tok in enumerate(tokens):
        if type(tok.text) is not str or type(tok.sep) is not str:
            raise ProjectError(_unsaveable(f"token {i} has text that is not a string"))
        units = tok.units
        if not all(type(u) is str for u in units):
            raise ProjectError(_unsaveable(f"token {i} has aligner units that are not strings"))
        units_col.append(units[0] if len(units) == 1 else list(units))
    out = {
        "text": [t.text for t in tokens],
        "units": units_col,
        "start": [_as_opt_int(t.start, "the start of token {}", i) for i, t in enumerate(tokens)],
        "end": [_as_opt_int(t.end, "the end of token {}", i) for i, t in enumerate(tokens)],
        "confidence": [_as_opt_float(t.confidence, "the confidence of token {}", i) for i, t in enumerate(tokens)],
        "flags": [_as_int(t.flags, "the flags of token {}", i) for i, t in enumerate(tokens)],
        "locked": [1 if t.locked else 0 for t in tokens],
        "sep": [t.sep for t in tokens],
        "brk": [_as_int(t.brk, "the break before token {}", i) for i, t in enumerate(tokens)],
    }
    if any(t.phones for t in tokens):  # only then: older readers and smaller files otherwise
        out["phones"] = [[[p.label, _as_int(p.start, "a phone of token {}", i), _as_int(p.end, "a phone of token {}", i)] for p in t.phones] or None for i, t in enumerate(tokens)]
    return out


def _encode_cues(cues: list[Cue]) -> dict:
    out = {
        "first": [_as_int(c.first, "the first token of cue {}", i) for i, c in enumerate(cues)],
        "last": [_as_int(c.last, "the last token of cue {}", i) for i, c in enumerate(cues)],
        "start": [_as_opt_int(c.start, "the start of cue {}", i) for i, c in enumerate(cues)],
        "end": [_as_opt_int(c.end, "the end of cue {}", i) for i, c in enumerate(cues)],
        "line_starts": [[_as_int(o, "the line layout of cue {}", i) for o in c.line_starts] for i, c in enumerate(cues)],
    }
    for name in _CUE_ATTRIBUTES + CUE_LOOK:  # only when some cue has one: older readers never see them
        if any(getattr(c, name) is not None for c in cues):
            out[name] = [list(v) if isinstance(v := getattr(c, name), tuple) else v for c in cues]
    return out


def _check_json_safe(value: Any, what: str) -> dict:
    """Refuse what JSON would silently change or can not hold (tuples come back as lists)."""
    if not isinstance(value, dict):
        raise ProjectError(_unsaveable(f"the {what} is not a dictionary"))

    def walk(v: Any, where: str) -> None:
        if v is None or isinstance(v, (bool, int, str)):
            return
        if isinstance(v, float):
            if not math.isfinite(v):
                raise ProjectError(_unsaveable(f"the {what} hold a non-finite number at {where}"))
            return
        if isinstance(v, (list, tuple)):
            for i, item in enumerate(v):
                walk(item, f"{where}[{i}]")
            return
        if isinstance(v, dict):
            for k, item in v.items():
                if not isinstance(k, str):
                    raise ProjectError(_unsaveable(f"the {what} use a non-text key {k!r} at {where}"))
                walk(item, f"{where}.{k}")
            return
        raise ProjectError(_unsaveable(f"the {what} hold a {type(v).__name__} at {where}, which JSON can not represent"))

    walk(value, what.split()[0])
    return value


def _dumps(data: Any, ensure_ascii: bool, level: int = 0) -> str:
    """JSON with the outer objects indented and each column on one line."""
    if isinstance(data, dict) and data and level <= 2:
        pad = "\n" + " " * (level + 1)
        items = [
            pad + json.dumps(str(k), ensure_ascii=ensure_ascii) + ": " + _dumps(v, ensure_ascii, level + 1)
            for k, v in data.items()
        ]
        return "{" + ",".join(items) + "\n" + " " * level + "}"
    return json.dumps(data, ensure_ascii=ensure_ascii, allow_nan=False, separators=(",", ":"))


# ------------------------------------------------------------------------------------------
# load
# ------------------------------------------------------------------------------------------


def load_project(path: PathArg) -> Project:
    """Read a project file of this or an older format.

    Raises :class:`ProjectError` (one sentence) for anything that is not a sound project,
    :class:`ProjectTooNewError` for a newer format, ``OSError`` when the file can not be read.
    A missing audio file is not an error: see ``Project.audio_missing``.
    """
    source = Path(os.path.abspath(os.fspath(path)))
    return _decode(_read_json(source), source.parent)


def _unsaveable(detail: str) -> Message:
    # the document broke an invariant (a program error, not the user's): the detail is for a report
    return msg("project_unsaveable", detail=detail)


def _fail(code: str, **args: Any) -> NoReturn:
    raise ProjectError(msg("project_" + code, **args))


def _read_json(path: Path) -> Any:
    with open(path, "rb") as fh:
        raw = fh.read(MAX_PROJECT_BYTES + 1)
    if len(raw) > MAX_PROJECT_BYTES:
        _fail("too_large", limit_mib=MAX_PROJECT_BYTES // (1 << 20))
    if not raw.strip():
        _fail("empty")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        _fail("not_utf8")
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        # Cut files fail at their very end, or inside a last word ("tr", "nul"); an
        # unterminated string runs to the end of the file, so it is truncation too.
        near_end = exc.pos >= len(text.rstrip()) - 5 and exc.msg != "Extra data"
        if near_end or exc.msg.startswith("Unterminated string"):
            _fail("truncated")
        _fail("bad_json", reason=exc.msg, line=exc.lineno, column=exc.colno)
    except RecursionError:
        _fail("too_deep")
    except ValueError as exc:  # NaN/Infinity, integers with thousands of digits
        _fail("bad_value", reason=str(exc).splitlines()[0].rstrip("."))


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a number JSON allows")


def _decode(data: Any, base_dir: Path | None) -> Project:
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        _fail("not_wordsync")
    version = data.get("version")
    if type(version) is not int or version < 1:
        _fail("no_version")
    if version > FORMAT_VERSION:
        raise ProjectTooNewError(version)
    while version < FORMAT_VERSION:
        data = _MIGRATIONS[version](data)
        version += 1
    return _decode_current(data, base_dir)


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _bad(where: str, expected: str, value: Any) -> NoReturn:
    _fail("wrong_type", where=where, expected=expected, found=_describe(value))


def _member(obj: dict, key: str, where: str) -> Any:
    if key not in obj:
        _fail("missing", where=f"{where}.{key}")
    return obj[key]


def _obj(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        _bad(where, "an object", value)
    return value


def _opt_str(value: Any, where: str) -> str | None:
    if value is not None and not isinstance(value, str):
        _bad(where, "text or null", value)
    if value is not None and "\x00" in value:
        _fail("nul", where=where)
    return value


def _decode_current(data: dict, base_dir: Path | None) -> Project:
    audio_path, fp, missing, mismatch = _decode_audio(data.get("audio"), base_dir)
    transcript = _obj(_member(data, "transcript", "project"), "transcript")
    text = _member(transcript, "text", "transcript")
    if not isinstance(text, str):
        _bad("transcript.text", "text", text)
    transcript_paths = _decode_path(transcript, "transcript", base_dir)
    transcript_path = transcript_paths[0] if transcript_paths else None
    aligner = _obj(data.get("aligner", {}), "aligner")
    view = _obj(data.get("view", {}), "view")
    document = _decode_document(_obj(_member(data, "document", "project"), "document"))
    return Project(document, audio_path, fp, text, transcript_path, aligner, view, missing, mismatch)


def _decode_path(obj: dict, where: str, base_dir: Path | None) -> list[Path]:
    """Where a referenced file may be, best guess first (relative, then absolute)."""
    rel = _opt_str(obj.get("path"), f"{where}.path")
    absolute = _opt_str(obj.get("absolute"), f"{where}.absolute")
    candidates: list[Path] = []
    if rel is not None:
        if PurePosixPath(rel).is_absolute() or PureWindowsPath(rel).drive or PureWindowsPath(rel).root or not rel:
            _fail("absolute_path", where=f"{where}.path")
        if base_dir is not None:
            candidates.append(Path(os.path.normpath(os.path.join(base_dir, *PurePosixPath(rel).parts))))
    # An absolute path from another OS ("C:\\..." on Linux) is unusable here, not an error:
    # the relative path may still find the file.
    if absolute is not None and Path(absolute).is_absolute():
        candidate = Path(os.path.normpath(absolute))
        if candidate not in candidates:
            candidates.append(candidate)
    return candidates


def _decode_audio(audio: Any, base_dir: Path | None) -> tuple[Path | None, str | None, bool, bool]:
    if audio is None:
        return None, None, False, False
    audio = _obj(audio, "audio")
    fp = _opt_str(audio.get("fingerprint"), "audio.fingerprint")
    candidates = _decode_path(audio, "audio", base_dir)
    if not candidates:
        if audio.get("path") is None and audio.get("absolute") is None:
            return None, fp, False, False
        return None, fp, True, False
    existing = [p for p in candidates if _is_regular_file(p)]
    if not existing:
        return candidates[0], fp, True, False
    if fp is None:
        # Nothing vouches for a file outside the project's folder (a hand-edited "../../x" or
        # "/etc/x"): report it as a mismatch so the app asks before using it as audio. Without a
        # folder (an untitled session's autosave, in our private state dir) there is no outside.
        outside = base_dir is not None and not _is_inside(existing[0], base_dir)
        return existing[0], None, False, outside
    for p in existing:
        if _fingerprint_or_none(p) == fp:
            return p, fp, False, False
    return existing[0], fp, False, True


def _is_inside(path: Path, folder: Path) -> bool:
    try:
        return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(folder))
    except (OSError, ValueError):
        return False


def _is_regular_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


_TOKEN_COLUMNS = ("text", "units", "start", "end", "confidence", "flags", "locked", "sep", "brk")
_CUE_COLUMNS = ("first", "last", "start", "end", "line_starts")
#: optional cue columns (a recogniser's language and emotion), text or null
_CUE_ATTRIBUTES = ("language", "emotion")
#: optional cue columns saying how a cue is shown (document.CUE_LOOK): type and what is expected
_CUE_LOOK_COLUMNS = (
    ("align", (int, type(None)), "1..9 or null"),
    ("pos", (list, type(None)), "[x, y] or null"),
    ("style", (str, type(None)), "a style name or null"),
)
_BREAKS = {int(b): b for b in Break}
_BOOLS = {0: False, 1: True}


def _columns(obj: dict, names: tuple[str, ...], where: str) -> list[list]:
    cols = []
    for name in names:
        col = _member(obj, name, where)
        if not isinstance(col, list):
            _bad(f"{where}.{name}", "a list", col)
        cols.append(col)
    n = len(cols[0])
    for name, col in zip(names, cols):
        if len(col) != n:
            _fail("column_length", where=where, name=name, count=len(col), first=names[0], expected=n)
    return cols


_NoneType = type(None)


def _check_column(col: list, where: str, types: tuple[type, ...], expected: str, ok: Callable[[Any], bool] | None = None) -> None:
    # ``set(map(type, ...))`` runs in C: 30,000 entries cost well under a millisecond.
    if set(map(type, col)) <= set(types) and (ok is None or all(map(ok, col))):
        return
    for i, v in enumerate(col):
        if type(v) not in types or (ok is not None and not ok(v)):
            _bad(f"{where}[{i}]", expected, v)


def _is_small_flag_set(v: int) -> bool:
    return 0 <= v < 2**31


def _is_list_of_str(v: Any) -> bool:
    return type(v) is not list or all(type(u) is str for u in v)


def _is_phone_list(v: Any) -> bool:
    return v is None or all(
        type(p) is list and len(p) == 3 and type(p[0]) is str and p[0] and type(p[1]) is int and type(p[2]) is int and 0 <= p[1] <= p[2] for p in v
    )


def _is_list_of_int(v: list) -> bool:
    return all(type(o) is int for o in v)


def _decode_tiers(tiers: Any) -> list[Tier]:
    """The annotation tiers; their order and overlaps are checked with the document's invariants."""
    if not isinstance(tiers, list):
        _bad("document.tiers", "a list of tiers", tiers)
    out = []
    for k, t in enumerate(tiers):
        where = f"document.tiers[{k}]"
        t = _obj(t, where)
        name, points, items = _member(t, "name", where), t.get("points", False), _member(t, "items", where)
        if type(name) is not str:
            _bad(where + ".name", "text", name)
        if type(points) is not bool:
            _bad(where + ".points", "true or false", points)
        if not isinstance(items, list) or not all(
            type(i) is list and len(i) == 3 and type(i[0]) is int and type(i[1]) is int and type(i[2]) is str for i in items
        ):
            _bad(where + ".items", "a list of [start_ms, end_ms, label]", items)
        out.append(Tier(name, tuple(Annotation(a, b, lb) for a, b, lb in items), points))
    return out


def _decode_document(doc: dict) -> Document:
    language = _member(doc, "language", "document")
    if not isinstance(language, str) or not language:
        _bad("document.language", "a language code", language)
    duration = doc.get("duration_ms")
    if duration is not None and (type(duration) is not int or duration < 0):
        _bad("document.duration_ms", "a non-negative whole number of milliseconds or null", duration)

    t = _obj(_member(doc, "tokens", "document"), "document.tokens")
    text, units, start, end, conf, flags, locked, sep, brk = _columns(t, _TOKEN_COLUMNS, "document.tokens")
    w = "document.tokens."
    _check_column(text, w + "text", (str,), "text")
    _check_column(units, w + "units", (str, list), "text or a list of text", _is_list_of_str)
    _check_column(start, w + "start", (int, _NoneType), "a whole number of milliseconds or null")
    _check_column(end, w + "end", (int, _NoneType), "a whole number of milliseconds or null")
    _check_column(conf, w + "confidence", (float, int, _NoneType), "a number or null")
    _check_column(flags, w + "flags", (int,), "a flag set (a small non-negative integer)", _is_small_flag_set)
    _check_column(locked, w + "locked", (int, bool), "0 or 1", _BOOLS.__contains__)
    _check_column(sep, w + "sep", (str,), "text")
    _check_column(brk, w + "brk", (int,), "0, 1 or 2", _BREAKS.__contains__)
    tokens = [
        Token(
            tx,
            (un,) if type(un) is str else tuple(un),
            s,
            e,
            c if c is None or type(c) is float else float(c),
            f,
            _BOOLS[lk],
            sp,
            _BREAKS[b],
        )
        for tx, un, s, e, c, f, lk, sp, b in zip(text, units, start, end, conf, flags, locked, sep, brk)
    ]
    if "phones" in t:
        phones = _columns({"text": text, "phones": t["phones"]}, ("text", "phones"), "document.tokens")[1]
        _check_column(phones, w + "phones", (list, _NoneType), "null or a list of [phone, start, end]", _is_phone_list)
        tokens = [tok if not ph else replace(tok, phones=tuple(Phone(*p) for p in ph)) for tok, ph in zip(tokens, phones)]

    c = _obj(_member(doc, "cues", "document"), "document.cues")
    first, last, cstart, cend, line_starts = _columns(c, _CUE_COLUMNS, "document.cues")
    w = "document.cues."
    _check_column(first, w + "first", (int,), "a token index")
    _check_column(last, w + "last", (int,), "a token index")
    _check_column(cstart, w + "start", (int, _NoneType), "a whole number of milliseconds or null")
    _check_column(cend, w + "end", (int, _NoneType), "a whole number of milliseconds or null")
    _check_column(line_starts, w + "line_starts", (list,), "a list of token offsets", _is_list_of_int)
    cues = [Cue(a, b, s, e, tuple(ls)) for a, b, s, e, ls in zip(first, last, cstart, cend, line_starts)]
    for name in _CUE_ATTRIBUTES:
        if name in c:
            values = _columns({"first": first, name: c[name]}, ("first", name), "document.cues")[1]  # a list as long as the others
            _check_column(values, w + name, (str, _NoneType), "text or null")
            cues = [replace(cue, **{name: v}) for cue, v in zip(cues, values)]
    for name, types, expected in _CUE_LOOK_COLUMNS:
        if name in c:
            values = _columns({"first": first, name: c[name]}, ("first", name), "document.cues")[1]
            _check_column(values, w + name, types, expected)
            cues = [replace(cue, **{name: tuple(v) if type(v) is list else v}) for cue, v in zip(cues, values)]

    spans = doc.get("untranscribed", [])
    if not isinstance(spans, list) or not all(isinstance(p, list) and len(p) == 2 and _is_list_of_int(p) for p in spans):
        _bad("document.untranscribed", "a list of [start, end] pairs of whole milliseconds", spans)
    document = Document(tokens, cues, duration, language, untranscribed=[(a, b) for a, b in spans], tiers=_decode_tiers(doc.get("tiers", [])))
    problems = document.problems()
    if problems:
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        _fail("inconsistent", details=f"{problems[0]}{more}")
    return document


# -- migrations: each takes a parsed file of version n and returns one of version n + 1 -------


def _seconds_to_ms(value: Any, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        _bad(where, "a number of seconds or null", value)
    if abs(value) > 1e9:
        _fail("out_of_range", where=where)
    return int(round(value * 1000))


def _v1_units(text: str) -> list[str]:
    """Version 1 kept no aligner units: rebuild the plain ones (letters and digits, lower case)."""
    unit = "".join(ch for ch in text.lower() if ch.isalnum())
    return [unit] if unit else []


def _v1_to_v2(data: dict) -> dict:
    audio = _opt_str(data.get("audio"), "audio")
    if audio is None:
        audio_v2 = None
    elif PurePosixPath(audio).is_absolute() or PureWindowsPath(audio).drive:
        audio_v2 = {"path": None, "absolute": audio, "fingerprint": None}
    else:
        audio_v2 = {"path": PureWindowsPath(audio).as_posix() if "\\" in audio else audio, "absolute": None, "fingerprint": None}
    transcript = data.get("transcript", "")
    if not isinstance(transcript, str):
        _bad("transcript", "text", transcript)
    words = _member(data, "words", "project")
    if not isinstance(words, list):
        _bad("words", "a list", words)
    cols: dict[str, list] = {name: [] for name in _TOKEN_COLUMNS}
    for i, word in enumerate(words):
        word = _obj(word, f"words[{i}]")
        text = _member(word, "text", f"words[{i}]")
        if not isinstance(text, str):
            _bad(f"words[{i}].text", "text", text)
        cols["text"].append(text)
        cols["units"].append(_v1_units(text))
        cols["start"].append(_seconds_to_ms(word.get("start"), f"words[{i}].start"))
        cols["end"].append(_seconds_to_ms(word.get("end"), f"words[{i}].end"))
        cols["confidence"].append(word.get("confidence"))
        cols["flags"].append(word.get("flags", 0))
        cols["locked"].append(1 if word.get("locked") is True else word.get("locked", 0))
        cols["sep"].append(" ")
        cols["brk"].append(0)
    cues = data.get("cues", [])
    if not isinstance(cues, list):
        _bad("cues", "a list", cues)
    cue_cols: dict[str, list] = {name: [] for name in _CUE_COLUMNS}
    for i, cue in enumerate(cues):
        cue = _obj(cue, f"cues[{i}]")
        cue_cols["first"].append(_member(cue, "first", f"cues[{i}]"))
        cue_cols["last"].append(_member(cue, "last", f"cues[{i}]"))
        cue_cols["start"].append(_seconds_to_ms(cue.get("start"), f"cues[{i}].start"))
        cue_cols["end"].append(_seconds_to_ms(cue.get("end"), f"cues[{i}].end"))
        cue_cols["line_starts"].append([])
    return {
        "format": FORMAT_NAME,
        "version": 2,
        "audio": audio_v2,
        "transcript": {"text": transcript, "path": None, "absolute": None},
        "aligner": data.get("aligner", {}),
        "view": {},
        "document": {
            "language": data.get("language", "en"),
            "duration_ms": _seconds_to_ms(data.get("duration"), "duration"),
            "tokens": cols,
            "cues": cue_cols,
        },
    }


_MIGRATIONS: dict[int, Callable[[dict], dict]] = {1: _v1_to_v2}
