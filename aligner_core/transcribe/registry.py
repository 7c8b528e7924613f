"""Recogniser names -> recognisers, and the ``auto`` choice.

``auto`` takes the best recogniser installed for the language: SenseVoiceSmall for its own
languages (Chinese, Cantonese, English, Japanese, Korean), Qwen3-ASR for the others (and for
those when SenseVoice is not downloaded), and the offline English recogniser (sphinx, a rough
draft) for English when nothing is downloaded. A recogniser asked for by name must know the
language; a model given with ``--model`` must be a folder of the recogniser's kind.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from ..align.registry import base_language
from ..messages import msg
from . import qwen3_asr, sensevoice
from .types import RecogniserUnavailable, TranscribeError

__all__ = ["RECOGNISERS", "Choice", "choose", "create"]

RECOGNISERS = ("auto", "sensevoice", "qwen3-asr", "sphinx")


@dataclass(frozen=True)
class Choice:
    asr: str
    model: str | None  # a local folder, or None (sphinx)
    language: str  # an ISO code or "auto"
    reason: str


def _cached_snapshot(repo_id: str) -> Path | None:
    from ..align.models import hub_cache_dir

    repo = hub_cache_dir() / ("models--" + repo_id.replace("/", "--"))
    try:
        commit = (repo / "refs" / "main").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    folder = repo / "snapshots" / commit
    return folder if folder.is_dir() else None


def _sensevoice_folder(model: str | None, installed: Mapping[str, str] | None = None) -> str | None:
    if model:
        return os.path.expanduser(model)
    env = os.environ.get("WORDSYNC_SENSEVOICE")
    if env:
        return env
    mine = (installed or {}).get("sensevoice")
    if mine and Path(mine).is_dir():
        return mine
    found = _cached_snapshot(sensevoice.DEFAULT_MODEL)
    return str(found) if found is not None else None


def _qwen3_folder(model: str | None, installed: Mapping[str, str] | None = None) -> str | None:
    from ..align.models import _resolve_local, DEFAULT_ALTERNATIVE
    from ..align.types import ModelUnavailable

    mine = (installed or {}).get("qwen3-asr")
    wanted = model or (mine if mine and Path(mine).is_dir() else qwen3_asr.DEFAULT_MODEL)
    try:
        return str(_resolve_local(wanted, DEFAULT_ALTERNATIVE))
    except ModelUnavailable:
        return None


def _qwen3_installed() -> bool:
    return bool(qwen3_asr.languages())


def choose(asr: str, language: str, model: str | None = None, installed: Mapping[str, str] | None = None) -> Choice:
    """``installed`` maps recogniser names to model folders the caller downloaded itself (the
    editor's own models folder); they are used where no ``model`` is given."""
    name = (asr or "auto").lower()
    if name not in RECOGNISERS:
        raise TranscribeError(msg("asr_unknown", asr=asr, choices=", ".join(RECOGNISERS)))
    lang = base_language(language) or "auto"
    if name == "sphinx":
        if lang not in ("auto", "en"):
            raise TranscribeError(msg("asr_language_unknown", recogniser="sphinx", language=language, known="en"))
        return Choice("sphinx", None, "en", "asked for")
    if name == "sensevoice":
        if lang not in ("auto", *sensevoice.LANGUAGES):
            raise TranscribeError(msg("asr_language_unknown", recogniser="SenseVoiceSmall", language=language, known=", ".join(sensevoice.LANGUAGES)))
        folder = _sensevoice_folder(model, installed)
        if folder is None:
            raise RecogniserUnavailable(
                msg("asr_model_missing", recogniser="SenseVoiceSmall", model=sensevoice.DEFAULT_MODEL, command=sensevoice.download_command()),
                asr="sensevoice", model=sensevoice.DEFAULT_MODEL,
            )
        return Choice("sensevoice", folder, lang, "asked for")
    if name == "qwen3-asr":
        known = qwen3_asr.languages()
        if not known:
            raise RecogniserUnavailable(msg("asr_not_installed", recogniser="Qwen3-ASR", package="transformers>=5"))
        if lang != "auto" and lang not in known:
            raise TranscribeError(msg("asr_language_unknown", recogniser="Qwen3-ASR", language=language, known=", ".join(sorted(known))))
        folder = _qwen3_folder(model, installed)
        if folder is None:
            wanted = model or qwen3_asr.DEFAULT_MODEL
            raise RecogniserUnavailable(msg("asr_model_missing", recogniser="Qwen3-ASR", model=wanted, command=f"hf download {wanted}"), asr="qwen3-asr", model=wanted)
        return Choice("qwen3-asr", folder, lang, "asked for")
    # auto
    if model:
        kind = "sensevoice" if _looks_like_sensevoice(model) else "qwen3-asr"
        return choose(kind, language, model)
    sv = _sensevoice_folder(None, installed)
    if sv is not None and lang in ("auto", *sensevoice.LANGUAGES):
        return Choice("sensevoice", sv, lang, f"SenseVoiceSmall is installed and knows {lang!r}")
    qw = _qwen3_folder(None, installed) if _qwen3_installed() else None
    if qw is not None and (lang == "auto" or lang in qwen3_asr.languages()):
        return Choice("qwen3-asr", qw, lang, f"Qwen3-ASR is installed and knows {lang!r}")
    if lang in ("auto", "en"):
        return Choice("sphinx", None, "en", "nothing downloaded: the offline English recogniser (a rough draft)")
    # the download to offer: SenseVoiceSmall for its languages, Qwen3-ASR for the rest
    if lang in sensevoice.LANGUAGES:
        raise RecogniserUnavailable(msg("asr_none_for_language", language=language), asr="sensevoice", model=sensevoice.DEFAULT_MODEL)
    raise RecogniserUnavailable(msg("asr_none_for_language", language=language), asr="qwen3-asr", model=qwen3_asr.DEFAULT_MODEL)


def _looks_like_sensevoice(model: str) -> bool:
    path = Path(os.path.expanduser(model))
    return path.suffix == ".onnx" or (path / "tokens.txt").is_file() or any((path / w).is_file() for w in ("model.int8.onnx", "model.onnx"))


def create(choice: Choice, device: str = "auto"):
    """Build the chosen recogniser (loading its model)."""
    if choice.asr == "sensevoice":
        # the PyPI wheel runs on the CPU; a CUDA build of sherpa-onnx is asked for by name
        dev = "cuda" if str(device).startswith("cuda") else "cpu"
        return sensevoice.SenseVoiceRecogniser(choice.model or "", choice.language, dev)
    if choice.asr == "qwen3-asr":
        from ..align.models import pick_device

        return qwen3_asr.Qwen3AsrRecogniser(choice.model or "", choice.language, pick_device(device))
    from .sphinx import SphinxRecogniser

    return SphinxRecogniser()
