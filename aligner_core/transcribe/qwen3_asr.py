"""Qwen3-ASR through transformers: text and language per window, no times (the aligner adds them).

``AutoProcessor`` + ``AutoModelForMultimodalLM`` load the checkpoint (safetensors only, never
remote code); ``apply_transcription_request`` writes the prompt (a forced language is prefilled,
so the model writes only the text), ``generate`` decodes greedily, and
``decode(..., return_format="parsed")`` splits "language English<asr_text>..." into the language
and the text.
"""

from __future__ import annotations

import threading
from typing import Sequence

import numpy as np

from ..messages import msg
from .types import Heard, HeardWord, RecogniserUnavailable

__all__ = ["Qwen3AsrRecogniser", "DEFAULT_MODEL", "languages"]

DEFAULT_MODEL = "Qwen/Qwen3-ASR-0.6B-hf"
NAME = "Qwen3-ASR"
#: tokens a window may produce: fast speech is ~4 tokens a second; 30 s windows stay well inside
MAX_NEW_TOKENS = 256


def languages() -> dict[str, str]:
    """ISO code -> the name the model writes ("en" -> "English")."""
    try:
        from transformers.models.qwen3_asr.processing_qwen3_asr import LANGUAGE_CODE_TO_NAME
    except ImportError:
        return {}
    return dict(LANGUAGE_CODE_TO_NAME)


class Qwen3AsrRecogniser:
    name = "qwen3-asr"
    label = NAME
    events = False
    max_window_s = 30.0
    batch = 4

    def __init__(self, folder: str, language: str = "auto", device: str = "cpu"):
        try:
            import torch
            from transformers import AutoModelForMultimodalLM, AutoProcessor
        except ImportError:
            raise RecogniserUnavailable(msg("asr_not_installed", recogniser=NAME, package="transformers>=5 torch")) from None
        from ..align.models import quiet_transformers

        quiet_transformers()
        self.languages = tuple(languages())
        self._names = languages()
        self._codes = {v.lower(): k for k, v in self._names.items()}
        self.language = language if language in self._names else "auto"
        self.device = device
        try:
            self._processor = AutoProcessor.from_pretrained(folder, trust_remote_code=False)
            self._model = AutoModelForMultimodalLM.from_pretrained(folder, trust_remote_code=False, use_safetensors=True)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise RecogniserUnavailable(msg("asr_model_damaged", recogniser=NAME, path=str(folder), reason=first[:160])) from None
        self._model.eval().to(device)
        self._torch = torch
        self._lock = threading.Lock()

    def decode(self, windows: Sequence[np.ndarray], cancel=None) -> list[Heard]:  # noqa: ARG002 - one generate per batch
        torch = self._torch
        lang = None if self.language == "auto" else self.language
        with self._lock, torch.inference_mode():
            inputs = self._processor.apply_transcription_request(
                audio=[np.asarray(w, dtype=np.float32) for w in windows], language=lang if lang is None else [lang] * len(windows)
            ).to(self.device)
            out = self._model.generate(**inputs, max_new_tokens=MAX_NEW_TOKENS, do_sample=False)
            new = out[:, inputs["input_ids"].shape[1] :]
            parsed = [self._processor.decode(row, return_format="parsed") for row in new]
        return [self._heard(p, lang) for p in parsed]

    def _heard(self, parsed: dict, forced: str | None) -> Heard:
        text = str(parsed.get("transcription") or "").strip()
        said = str(parsed.get("language") or "").strip().lower()
        code = forced or self._codes.get(said)
        spaceless = code in ("zh", "yue", "ja")
        # Chinese comes as runs without spaces: the tokenizer splits them (one token per character,
        # Latin words kept whole), as it splits a typed transcript
        words = tuple(HeardWord(w) for w in text.split())
        return Heard(words, language=code, spaceless=spaceless)

    def close(self) -> None:
        self._model = None
