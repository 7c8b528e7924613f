"""Aligner names -> backends, and the ``auto`` choice.

``auto`` picks the best aligner that is actually available for the language:

* English: the offline PocketSphinx aligner, unless another aligner has a *measured* better
  accuracy on English (:data:`MEASURED`) and is installed (its model is on disk);
* Qwen3-ForcedAligner's languages: Qwen3-ForcedAligner when its model is on disk;
* otherwise an :class:`AlignmentError` that says what to install or download.

``--model`` with ``auto`` picks the backend the model folder is made for (its config).
Backends are built by :func:`create_backend` from plain, picklable arguments, so worker
processes can build their own; :func:`get_backend` keeps one instance per setting (models are
expensive to load).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..messages import msg
from ..progress import CancelToken, ProgressCallback
from .types import AlignmentError, ModelNeeded, WordTiming

ALIGNERS = ("auto", "sphinx", "qwen3", "ctc")
OFFLINE = "sphinx"

#: Mean word-boundary error (ms) on timit_dev measured with bench/accuracy.py, per language and aligner.
#: ``auto`` prefers a lower number among the aligners that are installed. Only measured
#: aligners belong here (Qwen3 reports 32-43 ms on its own sets; unmeasured on TIMIT here).
MEASURED: dict[str, dict[str, float]] = {
    "en": {"sphinx": 17.4},
}


@dataclass(frozen=True)
class Choice:
    """A resolved aligner: what to build, and why ``auto`` chose it."""

    aligner: str
    model: str | None
    reason: str


def base_language(language: str | None) -> str:
    return (language or "").strip().replace("_", "-").split("-")[0].lower()


def _qwen3_languages() -> dict[str, str]:
    from .backends.qwen3 import QWEN3_LANGUAGES

    return QWEN3_LANGUAGES


def _model_available(model: str) -> bool:
    from .models import is_model_available

    try:
        return bool(is_model_available(model))
    except Exception:  # a broken cache entry is "not available", never a crash
        return False


def default_model(aligner: str) -> str | None:
    from .models import DEFAULT_CTC_MODEL, QWEN3_ALIGNER

    return {"qwen3": QWEN3_ALIGNER, "ctc": DEFAULT_CTC_MODEL}.get(aligner)


def model_kind(path: str) -> str | None:
    """``qwen3`` / ``ctc`` for a local model folder, from its config; None when unknown."""
    if (Path(path).expanduser() / "adaptation.json").is_file():  # the offline aligner + learned offsets (aligner_core.learn.adapt)
        return OFFLINE
    if (Path(path).expanduser() / "adapter_config.json").is_file():  # a LoRA adapter of Qwen3-ForcedAligner (aligner_core.learn.lora)
        return "qwen3"
    config = Path(path).expanduser() / "config.json"
    try:
        data = json.loads(config.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    names = " ".join([str(data.get("model_type", ""))] + [str(a) for a in data.get("architectures", []) or []]).lower()
    if "qwen3" in names or "forcedaligner" in names or "timestamp_token_id" in data:
        return "qwen3"
    if "ctc" in names or "wav2vec2" in names or "hubert" in names or "wavlm" in names:
        return "ctc"
    return None


def choose(aligner: str, language: str, model: str | None = None) -> Choice:
    """Resolve ``aligner`` (``auto`` or a name) for ``language``; raises AlignmentError
    (:class:`ModelNeeded` when a model that would do is simply not downloaded yet)."""
    name = (aligner or "auto").lower()
    if name not in ALIGNERS:
        raise AlignmentError(msg("unknown_aligner", aligner=aligner, choices=", ".join(ALIGNERS)))
    lang = base_language(language)
    if name != "auto":
        if name == OFFLINE and not offline_knows(lang):
            raise AlignmentError(msg("sphinx_english_only", language=language))
        if name == "qwen3" and lang not in _qwen3_languages() and lang:
            raise AlignmentError(msg("qwen3_language_unknown", language=language, known=", ".join(sorted(_qwen3_languages()))))
        keep = name != OFFLINE or (model is not None and model_kind(model) == OFFLINE)
        return Choice(name, model if keep else None, "asked for")
    if model:
        kind = model_kind(model)
        if kind is None:
            raise AlignmentError(msg("model_kind_unknown", model=model))
        return choose(kind, language, model)
    if offline_knows(lang):
        ranked = sorted(MEASURED.get("en", {}).items(), key=lambda kv: kv[1])
        for candidate, _err in ranked:
            if candidate == OFFLINE:
                return Choice(OFFLINE, None, "the offline English aligner (best measured)")
            wanted = default_model(candidate)
            if wanted and _model_available(wanted):
                return Choice(candidate, wanted, f"{candidate} is installed and measured best for English")
        return Choice(OFFLINE, None, "the offline English aligner")
    qwen3_model = default_model("qwen3") or ""
    if lang in _qwen3_languages():
        if _model_available(qwen3_model):
            return Choice("qwen3", qwen3_model, f"Qwen3-ForcedAligner is installed and knows '{lang}'")
        raise ModelNeeded(
            msg("model_needed", language=language, name="Qwen3-ForcedAligner", model=qwen3_model),
            aligner="qwen3", model=qwen3_model, language=lang,
        )
    raise AlignmentError(msg("no_aligner_for_language", language=language))


def offline_knows(language: str | None) -> bool:
    """Whether the offline aligner (PocketSphinx's bundled model) can align ``language``."""
    return base_language(language) in ("", "en")


# -- building backends ----------------------------------------------------------------------------


class RefinedBackend:
    """A backend whose times are sharpened on the audio after each window.

    For aligners that do not refine themselves: CTC frames (20 ms) get pause-edge refinement,
    Qwen3's 80 ms classes are refined within their bin first.
    """

    def __init__(self, inner: Any):
        self.inner = inner
        self.name = inner.name

    @property
    def max_window_s(self) -> float:
        return self.inner.max_window_s

    @property
    def frame_ms(self) -> float:
        return self.inner.frame_ms

    def __getattr__(self, item: str) -> Any:
        if item == "inner":  # not set yet (copy/pickle): no recursion
            raise AttributeError(item)
        return getattr(self.inner, item)

    def align_window(self, audio, words, language, *, progress: ProgressCallback | None = None, cancel: CancelToken | None = None) -> list[WordTiming]:
        from . import refine

        timings = self.inner.align_window(audio, words, language, progress=progress, cancel=cancel)
        if cancel is not None:
            cancel.raise_if_cancelled()
        env = refine.Envelope(audio)
        if float(self.inner.frame_ms) >= 40.0:
            timings = refine.refine_within_bins(audio, timings, bin_ms=float(self.inner.frame_ms), envelope=env)
        return refine.refine_pause_edges(audio, timings, envelope=env)


def create_backend(aligner: str, model: str | None = None, device: str = "auto", refine: bool = True, phones: bool = False) -> Any:
    """A new backend for a resolved aligner name (``sphinx``, ``qwen3`` or ``ctc``).

    ``phones``: each word's phones too (sphinx: an extra pass that doubles its time; ctc: the
    model's character units, free); Qwen3 has none to give and ignores it."""
    if aligner == "sphinx":
        from .backends.sphinx import SphinxBackend, SphinxParams

        sphinx = SphinxBackend(replace(SphinxParams(), refine=bool(refine), phones=bool(phones)))
        if model:
            from ..learn.adapted import AdaptedBackend

            return AdaptedBackend(sphinx, model)
        return sphinx
    if aligner == "qwen3":
        from .backends.qwen3 import Qwen3Backend

        backend: Any = Qwen3Backend(model or default_model("qwen3") or "", device=device or "auto")
    elif aligner == "ctc":
        from .backends.ctc import CTCBackend

        backend = CTCBackend(model or default_model("ctc") or "", device=device or "auto", phones=bool(phones))
    else:
        raise AlignmentError(msg("unknown_aligner", aligner=aligner, choices=", ".join(ALIGNERS[1:])))
    return RefinedBackend(backend) if refine else backend


_CACHE: dict[tuple, Any] = {}
_CACHE_LOCK = threading.Lock()


def get_backend(aligner: str, model: str | None = None, device: str = "auto", refine: bool = True, phones: bool = False) -> Any:
    """A shared backend per setting (loading a model once per process)."""
    key = (aligner, model, device, bool(refine), bool(phones))
    with _CACHE_LOCK:
        backend = _CACHE.get(key)
        if backend is None:
            backend = _CACHE[key] = create_backend(aligner, model, device, refine, phones)
        return backend


def aligner_version(aligner: str) -> str:
    """A version string for the summary: the engine package's version."""
    from importlib import metadata

    package = {"sphinx": "pocketsphinx", "qwen3": "transformers", "ctc": "transformers"}.get(aligner)
    if package is None:
        return ""
    try:
        return f"{package} {metadata.version(package)}"
    except metadata.PackageNotFoundError:
        return ""
