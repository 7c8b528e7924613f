"""Resumable model downloads into a folder of the caller's choosing (the editor's first run).

:func:`models.resolve_model` downloads into the Hugging Face cache through ``snapshot_download``;
the installed huggingface_hub (2.x) writes each file to a fresh, process-unique temporary file
(huggingface_hub PR #4228), so a download stopped half-way starts that file again from zero.
A 1.8 GB aligner over a slow line needs better, so this module fetches the same files itself:

- :func:`plan_download` lists the repository's files with their sizes (``HfApi.model_info`` with
  ``files_metadata``), keeping only what the model's :class:`ModelKind` allows (a transformers
  model: safetensors, configs, tokenizer files, never pickles; a sherpa-onnx SenseVoice export:
  ``model.int8.onnx`` or ``model.onnx`` and ``tokens.txt``, never the other large files beside
  them) and pinning the commit so a resumed download cannot mix two revisions;
- :func:`download` streams each file into ``<name>.part`` and asks for the rest with an HTTP
  ``Range`` header next time, checking ``cancel`` between chunks; a finished file is renamed into
  place, so the folder is a loadable model only when everything arrived, and the kind's check
  then opens it as its runtime would.

No network (``HF_HUB_OFFLINE``, a connection error or a timeout) raises :class:`HubUnreachable`,
so a caller can say so and offer the offline aligner instead.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import quote

from ..progress import Cancelled, CancelToken, ProgressCallback, Stage
from .models import ALLOW_PATTERNS, check_model_folder, display_name, offline_mode
from .types import ModelUnavailable

CHUNK = 1 << 20
PART = ".part"


class HubUnreachable(ModelUnavailable):
    """The model hub cannot be reached (offline mode, no network, timeout)."""


@dataclass(frozen=True)
class ModelKind:
    """What a download of one kind of model fetches and how the arrived folder is checked.

    ``allow`` are glob patterns; with ``top_level`` they match the whole repository path, so a
    ``tokens.txt`` among test files is not taken for the model's. Each of ``required`` must match
    a planned file, or the plan is refused before a byte is fetched. ``check(folder, name)``
    returns the folder or raises :class:`ModelUnavailable` in one sentence."""

    name: str
    allow: tuple[str, ...]
    required: tuple[str, ...]
    check: Callable[[Path, str], Path]
    top_level: bool = False

    def wanted(self, name: str) -> bool:
        if self.top_level:
            return any(fnmatch.fnmatch(name, pattern) for pattern in self.allow)
        return any(fnmatch.fnmatch(name, pattern) or fnmatch.fnmatch(Path(name).name, pattern) for pattern in self.allow)

    def command(self, repo_id: str) -> str:
        """The ``hf`` command (huggingface_hub 2.x) that fetches the same files into the HF cache."""
        if self.top_level and all(not any(c in p for c in "*?[") for p in self.allow):
            return " ".join(("hf download", repo_id, *self.allow))
        return f"hf download {repo_id}"


def _check_transformers(folder: Path, name: str) -> Path:
    return check_model_folder(folder, name=name)


def _check_sensevoice(folder: Path, name: str) -> Path:  # noqa: ARG001 - the sentence names the file
    # the same check the recogniser makes before sherpa-onnx sees the files (a missing metadata
    # key would end the whole process there)
    from ..transcribe.sensevoice import find_model_files
    from ..transcribe.types import RecogniserUnavailable

    try:
        find_model_files(folder)
    except RecogniserUnavailable as exc:
        raise ModelUnavailable(exc.args[0]) from None
    return folder


TRANSFORMERS = ModelKind("transformers", tuple(ALLOW_PATTERNS), ("*.safetensors",), _check_transformers)
#: the int8 export (about 240 MB) is what users get; the float one (about 900 MB) only when asked
SENSEVOICE = ModelKind("sensevoice", ("model.int8.onnx", "tokens.txt"), ("model.int8.onnx", "tokens.txt"), _check_sensevoice, top_level=True)
SENSEVOICE_FULL = ModelKind("sensevoice-full", ("model.onnx", "tokens.txt"), ("model.onnx", "tokens.txt"), _check_sensevoice, top_level=True)
KINDS = {k.name: k for k in (TRANSFORMERS, SENSEVOICE, SENSEVOICE_FULL)}


def kind_for(repo_id: str, kind: str | ModelKind | None = None) -> ModelKind:
    """The kind asked for, else the one the repository's name says (sherpa-onnx SenseVoice exports
    are named so), else a transformers model."""
    if isinstance(kind, ModelKind):
        return kind
    if kind:
        try:
            return KINDS[kind]
        except KeyError:
            raise ModelUnavailable(f"Unknown model kind {kind!r}; choose one of: {', '.join(KINDS)}.") from None
    bare = repo_id.lower().replace("_", "-")
    return SENSEVOICE if "sense-voice" in bare or "sensevoice" in bare else TRANSFORMERS


@dataclass(frozen=True)
class RemoteFile:
    name: str  # path inside the repository
    size: int | None  # bytes, when the Hub says


@dataclass(frozen=True)
class DownloadPlan:
    repo_id: str
    revision: str  # the commit the files come from
    files: tuple[RemoteFile, ...]
    endpoint: str
    kind: str = TRANSFORMERS.name

    @property
    def total_bytes(self) -> int | None:
        if any(f.size is None for f in self.files):
            return None
        return sum(f.size or 0 for f in self.files)

    def missing_bytes(self, folder: str | os.PathLike) -> int | None:
        """What is still to fetch into ``folder`` (finished files and partial ``.part`` count)."""
        if self.total_bytes is None:
            return None
        return self.total_bytes - sum(_have(Path(folder), f) for f in self.files)


def wanted(name: str) -> bool:
    """What a transformers model's download keeps (see :data:`TRANSFORMERS`)."""
    return TRANSFORMERS.wanted(name)


def _is_network_error(exc: BaseException) -> bool:
    """Connection refused, DNS failure, timeout, offline mode: anything that is not the Hub's answer."""
    seen: BaseException | None = exc
    while seen is not None:
        names = {cls.__name__ for cls in type(seen).__mro__}
        if names & {"TransportError", "TimeoutException", "ConnectionError", "OfflineModeIsEnabled", "gaierror"}:
            return True
        if isinstance(seen, (ConnectionError, TimeoutError)):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _endpoint(endpoint: str | None) -> str:
    if endpoint:
        return endpoint.rstrip("/")
    from huggingface_hub import constants

    return constants.ENDPOINT.rstrip("/")


def plan_download(
    repo_id: str, *, kind: str | ModelKind | None = None, endpoint: str | None = None, timeout: float = 15.0
) -> DownloadPlan:
    """The files a download of ``repo_id`` would fetch, with sizes; asks the Hub (one request).

    ``kind`` (see :func:`kind_for`) says which files a model of that kind needs."""
    name = display_name(repo_id)
    model_kind = kind_for(repo_id, kind)
    if offline_mode():
        raise HubUnreachable(f"{name} cannot be downloaded: the network is turned off (HF_HUB_OFFLINE).")
    try:
        from huggingface_hub import HfApi
        from huggingface_hub.errors import GatedRepoError, RepositoryNotFoundError
    except ImportError as exc:
        raise ModelUnavailable(f"Downloading {name} needs the neural extras (pip install 'wordsync[neural]').") from exc
    base = _endpoint(endpoint)
    try:
        info = HfApi(endpoint=base).model_info(repo_id, files_metadata=True, timeout=timeout)
    except (RepositoryNotFoundError, GatedRepoError) as exc:
        raise ModelUnavailable(f"{name} is not on the Hub or needs a login ({type(exc).__name__}).") from exc
    except Exception as exc:
        if _is_network_error(exc):
            raise HubUnreachable(f"The model hub cannot be reached ({_first_line(exc)}).") from exc
        raise ModelUnavailable(f"{name} could not be listed on the Hub ({_first_line(exc)}).") from exc
    files = tuple(RemoteFile(s.rfilename, s.size) for s in (info.siblings or []) if model_kind.wanted(s.rfilename))
    for pattern in model_kind.required:
        if any(fnmatch.fnmatch(f.name, pattern) for f in files):
            continue
        if model_kind is TRANSFORMERS:
            raise ModelUnavailable(f"{name} has no safetensors weights on the Hub (Wordsync never loads .bin pickles).")
        raise ModelUnavailable(f"{name} has no {pattern} on the Hub, so it is not a {model_kind.name} model.")
    return DownloadPlan(repo_id, info.sha or "main", files, base, model_kind.name)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return (text.splitlines()[0] if text else type(exc).__name__)[:160]


def _have(folder: Path, f: RemoteFile) -> int:
    final = folder / f.name
    if final.is_file():
        return final.stat().st_size
    part = folder / (f.name + PART)
    return part.stat().st_size if part.is_file() else 0


def download(
    plan: DownloadPlan,
    folder: str | os.PathLike,
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    timeout: float = 30.0,
) -> Path:
    """Fetch ``plan`` into ``folder``, resuming partial files; return the checked model folder.

    ``progress(fraction, "downloading model")`` follows the bytes (resumed bytes count as done).
    ``cancel`` stops it between chunks (raising :class:`Cancelled`) and keeps the partial file.
    """
    from huggingface_hub.utils import build_hf_headers, get_session

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    total = plan.total_bytes
    done = sum(_have(folder, f) for f in plan.files)
    report = progress or (lambda fraction, stage: None)
    stage = Stage("stage_downloading_model")
    report(min(1.0, done / total) if total else 0.0, stage)
    session = get_session()
    headers = build_hf_headers()
    try:
        for f in plan.files:
            final = folder / f.name
            if final.is_file() and (f.size is None or final.stat().st_size == f.size):
                continue
            done -= _have(folder, f)  # counted at the start; counted again below as it arrives
            if final.is_file():
                final.unlink()  # the wrong size: a different revision or a broken copy
            part = folder / (f.name + PART)
            part.parent.mkdir(parents=True, exist_ok=True)
            have = part.stat().st_size if part.is_file() else 0
            url = f"{plan.endpoint}/{plan.repo_id}/resolve/{plan.revision}/{quote(f.name)}"
            ask = dict(headers)
            if have:
                ask["Range"] = f"bytes={have}-"
            with session.stream("GET", url, headers=ask, follow_redirects=True, timeout=timeout) as response:
                if response.status_code == 416:  # nothing left to send: the part is whole
                    done += have
                else:
                    response.raise_for_status()
                    if have and response.status_code != 206:  # the server ignored the range
                        have = 0
                    done += have
                    with part.open("ab" if have else "wb") as out:
                        for chunk in response.iter_bytes(CHUNK):
                            if cancel is not None and cancel.cancelled:
                                raise Cancelled("download cancelled")
                            out.write(chunk)
                            done += len(chunk)
                            report(min(1.0, done / total) if total else 0.0, stage)
            got = part.stat().st_size
            if f.size is not None and got != f.size:
                raise ModelUnavailable(
                    f"{f.name} arrived with {got} of {f.size} bytes; download again to resume."
                )
            os.replace(part, final)
    except (Cancelled, ModelUnavailable):
        raise
    except Exception as exc:
        if _is_network_error(exc):
            raise HubUnreachable(
                f"The connection to the model hub was lost ({_first_line(exc)}); download again to resume."
            ) from exc
        raise ModelUnavailable(f"{display_name(plan.repo_id)} could not be downloaded ({_first_line(exc)}).") from exc
    report(1.0, stage)
    return KINDS[plan.kind].check(folder, display_name(plan.repo_id))


def default_folder(base: str | os.PathLike, repo_id: str) -> Path:
    """Where a download of ``repo_id`` goes under ``base`` (one folder per repository)."""
    return Path(base) / repo_id.replace("/", "--")
