"""Model acquisition: a local folder, the Hugging Face cache, or a download with progress.

Rules that keep users safe and offline-friendly:

- only safetensors weights are ever loaded (a repo or folder with only ``.bin`` pickles is
  refused with a clear message) and ``trust_remote_code`` is never set;
- downloads fetch only weights, configs and tokenizer files (``allow_patterns``), into the
  standard HF cache, so they resume after an interruption and other tools can reuse them;
- ``HF_HUB_OFFLINE`` / ``TRANSFORMERS_OFFLINE`` (read at call time, not at import) and
  ``allow_download=False`` never touch the network;
- when a model cannot be had, :class:`ModelUnavailable` says so in one sentence that names the
  alternative (by default the offline aligner or ``--model PATH``).

Also here: :class:`LayerTicks`, which reports progress (and lets a cancel land) from inside one
long forward pass, layer by layer.
"""

from __future__ import annotations

import json
import os
import re
import threading
from pathlib import Path
from typing import Any, Callable

from ..progress import CancelToken, Cancelled, ProgressCallback, Stage
from .types import ModelUnavailable

QWEN3_ALIGNER = "Qwen/Qwen3-ForcedAligner-0.6B-hf"
DEFAULT_CTC_MODEL = "facebook/wav2vec2-base-960h"

DEFAULT_ALTERNATIVE = "use the offline aligner (--aligner sphinx) or pass --model PATH"

#: What a download fetches: weights as safetensors, configs, tokenizer and template files.
ALLOW_PATTERNS = [
    "*.safetensors",
    "*.safetensors.index.json",
    "*.json",
    "*.txt",
    "*.model",
    "*.tiktoken",
    "*.jinja",
    "tokenizer*",
]

_PICKLE_WEIGHTS = ("*.bin", "*.pt", "*.pth", "*.ckpt", "*.pkl")
_REPO_ID = re.compile(r"^[A-Za-z0-9][\w.\-]*(/[A-Za-z0-9][\w.\-]*)?$")


def offline_mode() -> bool:
    """True when the environment forbids network access to model hubs (checked at call time)."""
    for var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        if os.environ.get(var, "").strip().upper() in {"1", "ON", "YES", "TRUE"}:
            return True
    return False


def hub_cache_dir() -> Path:
    """The Hugging Face hub cache, following ``HF_HUB_CACHE`` / ``HF_HOME`` as they are now."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.path.expanduser(os.environ["HF_HUB_CACHE"]))
    home = os.environ.get("HF_HOME") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "huggingface"
    )
    return Path(os.path.expanduser(home)) / "hub"


def display_name(id_or_path: str | os.PathLike) -> str:
    """A short name for messages: "Qwen3-ForcedAligner" rather than a full repo id."""
    text = str(id_or_path)
    if "qwen3-forcedaligner" in text.lower():
        return "Qwen3-ForcedAligner"
    if "sense-voice" in text.lower():
        return "SenseVoiceSmall"
    return text


def looks_like_repo_id(id_or_path: str | os.PathLike) -> bool:
    """``org/name`` or ``name`` that is not an existing path: something the Hub could have."""
    text = str(id_or_path)
    if os.path.exists(text) or text.startswith(("~", ".")) or "\\" in text:
        return False
    return bool(_REPO_ID.match(text))


def check_model_folder(
    folder: str | os.PathLike, *, name: str | None = None, alternative: str = DEFAULT_ALTERNATIVE
) -> Path:
    """Make sure ``folder`` holds a loadable checkpoint with safetensors weights; return it."""
    folder = Path(folder)
    label = name or str(folder)
    if not folder.is_dir():
        raise ModelUnavailable(f"There is no model folder at {folder}; {alternative}.")
    if not (folder / "config.json").is_file():
        raise ModelUnavailable(f"{label} is not a model folder (it has no config.json); {alternative}.")
    index = folder / "model.safetensors.index.json"
    if index.is_file():
        try:
            shards = set(json.loads(index.read_text(encoding="utf-8"))["weight_map"].values())
        except (OSError, ValueError, KeyError) as exc:
            raise ModelUnavailable(f"{label} has an unreadable safetensors index ({exc}); {alternative}.") from exc
        missing = sorted(s for s in shards if not (folder / s).is_file())
        if missing:
            raise ModelUnavailable(
                f"{label} is incomplete ({len(missing)} weight file(s) missing, e.g. {missing[0]}); "
                f"download it again or {alternative}."
            )
        return folder
    if any(p.is_file() for p in folder.glob("*.safetensors")):
        return folder
    if any(any(folder.glob(pattern)) for pattern in _PICKLE_WEIGHTS):
        raise ModelUnavailable(
            f"{label} has only PyTorch .bin weights, which Wordsync does not load (safetensors only, "
            f"since pickles can run code); convert it to safetensors or {alternative}."
        )
    raise ModelUnavailable(f"{label} has no model weights; {alternative}.")


def _cached_snapshot(repo_id: str) -> Path | None:
    """The cached snapshot folder of ``repo_id`` (no network), or None."""
    try:
        from huggingface_hub import snapshot_download
    except ImportError:
        return _cached_snapshot_by_layout(repo_id)
    try:
        folder = snapshot_download(
            repo_id, cache_dir=str(hub_cache_dir()), local_files_only=True, allow_patterns=ALLOW_PATTERNS
        )
    except Exception:  # noqa: BLE001 - any hub error here means "not usable from the cache"
        return None
    return Path(folder)


def _cached_snapshot_by_layout(repo_id: str) -> Path | None:
    """Cache lookup by the documented layout, for when huggingface_hub is not installed."""
    repo = hub_cache_dir() / ("models--" + repo_id.replace("/", "--"))
    ref = repo / "refs" / "main"
    try:
        commit = ref.read_text(encoding="utf-8").strip()
    except OSError:
        return None
    folder = repo / "snapshots" / commit
    return folder if folder.is_dir() else None


def is_model_available(id_or_path: str | os.PathLike) -> bool:
    """True when the model is on disk (a folder or the HF cache) and loadable; never downloads."""
    try:
        _resolve_local(str(id_or_path), DEFAULT_ALTERNATIVE)
    except ModelUnavailable:
        return False
    return True


def _resolve_local(id_or_path: str, alternative: str) -> Path:
    """A local folder or a complete cached snapshot; raises ModelUnavailable otherwise."""
    path = Path(os.path.expanduser(id_or_path))
    if path.exists() or not looks_like_repo_id(id_or_path):
        return check_model_folder(path, alternative=alternative)
    snapshot = _cached_snapshot(id_or_path)
    if snapshot is None:
        raise ModelUnavailable(f"{display_name(id_or_path)} is not downloaded; {alternative}.")
    return check_model_folder(snapshot, name=f"The cached copy of {display_name(id_or_path)}", alternative=alternative)


def resolve_model(
    id_or_path: str | os.PathLike,
    *,
    allow_download: bool = True,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    alternative: str = DEFAULT_ALTERNATIVE,
) -> Path:
    """The folder of a model: a local path, a cached Hub snapshot, or a fresh download.

    Downloads only when ``allow_download`` and the environment is not offline, reporting
    ``progress(fraction, "downloading model")`` and checking ``cancel`` as bytes arrive (an
    interrupted download resumes next time). Raises :class:`ModelUnavailable` with a one-sentence
    reason naming ``alternative``.
    """
    text = str(id_or_path)
    name = display_name(text)
    if cancel is not None:
        cancel.raise_if_cancelled()
    try:
        return _resolve_local(text, alternative)
    except ModelUnavailable:
        if not looks_like_repo_id(text) or Path(os.path.expanduser(text)).exists():
            raise
        if _cached_snapshot(text) is not None:
            raise  # cached but broken (.bin only, incomplete): downloading again would not help silently
    if offline_mode():
        raise ModelUnavailable(f"{name} is not downloaded and the network is off; {alternative}.")
    if not allow_download:
        raise ModelUnavailable(f"{name} is not downloaded and downloads are turned off; {alternative}.")
    folder = _download(text, progress=progress, cancel=cancel, alternative=alternative)
    return check_model_folder(folder, name=name, alternative=alternative)


def _download(repo_id: str, *, progress: ProgressCallback | None, cancel: CancelToken | None, alternative: str) -> Path:
    name = display_name(repo_id)
    try:
        from huggingface_hub import snapshot_download
        from huggingface_hub.errors import GatedRepoError, RepositoryNotFoundError
    except ImportError as exc:
        raise ModelUnavailable(
            f"Downloading {name} needs the neural extras (pip install 'wordsync[neural]'); {alternative}."
        ) from exc
    cache_dir = str(hub_cache_dir())
    report = progress or (lambda fraction, stage: None)
    try:
        total: int | None = None
        try:
            plan = snapshot_download(repo_id, cache_dir=cache_dir, allow_patterns=ALLOW_PATTERNS, dry_run=True)
        except TypeError:  # an older huggingface_hub without dry runs
            plan = None
        if plan is not None:
            if not any(str(f.filename).endswith(".safetensors") for f in plan):
                raise ModelUnavailable(
                    f"{name} has no safetensors weights on the Hub (Wordsync never loads .bin pickles); {alternative}."
                )
            total = sum(int(f.file_size or 0) for f in plan if f.will_download) or None
        report(0.0, Stage("stage_downloading_model"))
        folder = snapshot_download(
            repo_id,
            cache_dir=cache_dir,
            allow_patterns=ALLOW_PATTERNS,
            tqdm_class=progress_bar_class(report, cancel, total),
        )
    except (Cancelled, ModelUnavailable):
        raise
    except (RepositoryNotFoundError, GatedRepoError) as exc:
        raise ModelUnavailable(
            f"{name} is not on the Hub or needs a login ({type(exc).__name__}); {alternative}."
        ) from exc
    except Exception as exc:  # noqa: BLE001 - network, disk, hub errors: one clear sentence
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ModelUnavailable(f"{name} could not be downloaded ({reason[:160]}); {alternative}.") from exc
    report(1.0, Stage("stage_downloading_model"))
    return Path(folder)


def progress_bar_class(
    report: ProgressCallback, cancel: CancelToken | None = None, total_bytes: int | None = None
) -> type:
    """A silent tqdm class for ``snapshot_download(tqdm_class=...)`` that forwards byte progress.

    Only byte-counting bars report (the per-file count bar does not); ``total_bytes`` (from a
    dry run) keeps the fraction from jumping back as files start. Setting ``cancel`` raises
    :class:`Cancelled` on the next chunk, which stops the download threads; the partial files
    stay in the cache and the next download resumes them.
    """
    from huggingface_hub.utils import tqdm as hf_tqdm

    state = {"done": 0.0, "best": 0.0}
    lock = threading.Lock()

    class _ReportingBar(hf_tqdm):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            bar_name = str(kwargs.get("name") or "")
            self._counts_bytes = kwargs.get("unit") == "B" and not bar_name.endswith("transfer")
            kwargs["disable"] = True
            super().__init__(*args, **kwargs)

        def update(self, n: float | None = 1) -> bool | None:
            if cancel is not None and cancel.cancelled:
                raise Cancelled("download cancelled")
            if self._counts_bytes and n:
                with lock:
                    state["done"] += float(n)
                    whole = total_bytes or (self.total or 0)
                    fraction = min(1.0, state["done"] / whole) if whole else 0.0
                    fraction = max(fraction, state["best"])
                    state["best"] = fraction
                report(fraction, Stage("stage_downloading_model"))
            return super().update(n)

    return _ReportingBar


class LayerTicks:
    """Calls ``tick(done, total)`` after each transformer layer runs, inside one forward pass.

    A long forward pass (minutes of audio on a CPU) otherwise reports nothing and cannot be
    cancelled; with this, progress arrives per layer and a :class:`Cancelled` raised by ``tick``
    aborts the pass (nothing is changed by an aborted inference). Layers are the members of every
    ``nn.ModuleList`` named ``layers`` (the convention of transformers' encoders and decoders).
    """

    def __init__(self, model: Any, tick: Callable[[int, int], None]):
        import torch

        self.tick = tick
        self.layers = [
            layer
            for name, module in model.named_modules()
            if isinstance(module, torch.nn.ModuleList) and name.rsplit(".", 1)[-1] == "layers"
            for layer in module
        ]
        self.total = len(self.layers)
        self.done = 0
        self._handles: list[Any] = []

    def _hook(self, *_: Any) -> None:
        self.done += 1
        self.tick(self.done, self.total)

    def __enter__(self) -> "LayerTicks":
        self.done = 0
        self._handles = [layer.register_forward_hook(self._hook) for layer in self.layers]
        return self

    def __exit__(self, *exc: Any) -> None:
        for handle in self._handles:
            handle.remove()
        self._handles = []


def pick_device(device: str = "auto") -> str:
    """``auto`` -> ``cuda`` when torch sees a GPU, else ``cpu``; ``cpu``/``cuda``/``cuda:N`` pass through."""
    import torch

    if device in (None, "", "auto"):
        return "cuda" if torch.cuda.is_available() else "cpu"
    if str(device).startswith("cuda") and not torch.cuda.is_available():
        raise ModelUnavailable("No CUDA GPU is available to torch; use --device cpu or --device auto.")
    return str(device)


def quiet_transformers() -> None:
    """Keep transformers' own progress bars ("Loading weights: 100%|...") and advice off the
    user's terminal: our progress callback reports loading, and errors are ours to word."""
    try:
        from transformers.utils import logging as hf_logging
    except ImportError:
        return
    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
