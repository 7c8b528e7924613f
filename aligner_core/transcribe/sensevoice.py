"""SenseVoiceSmall through sherpa-onnx: words, language, emotion and sound event per window.

The model is the ONNX export (``model.int8.onnx`` or ``model.onnx`` with ``tokens.txt``, for
example the Hugging Face repo :data:`DEFAULT_MODEL`). sherpa-onnx brings its own onnxruntime; no
torch. It decodes a batch of windows in one call (padded to the longest), and each result carries
the first three CTC tokens split off as ``lang``, ``emotion`` and ``event``, the text tokens
(a leading space starts a word) and each token's start in seconds.
"""

from __future__ import annotations

import os
import threading
import unicodedata
from pathlib import Path
from typing import Sequence

import numpy as np

from ..align.types import SAMPLE_RATE
from ..messages import msg
from ..text import is_spaceless_char
from .events import normalise_emotion, normalise_event
from .onnx_meta import OnnxFileError, read_metadata
from .types import Heard, HeardWord, RecogniserUnavailable

__all__ = ["SenseVoiceRecogniser", "DEFAULT_MODEL", "LANGUAGES", "find_model_files"]

DEFAULT_MODEL = "csukuangfj/sherpa-onnx-sense-voice-zh-en-ja-ko-yue-2024-07-17"
NAME = "SenseVoiceSmall"
LANGUAGES = ("zh", "en", "ja", "ko", "yue")
#: keys sherpa-onnx exits the process without (offline-sense-voice-model.cc)
REQUIRED_META = ("vocab_size", "lfr_window_size", "lfr_window_shift", "normalize_samples", "with_itn", "without_itn", "neg_mean", "inv_stddev") + tuple(
    f"lang_{x}" for x in ("auto", *LANGUAGES)
)
_WEIGHTS = ("model.int8.onnx", "model.onnx")


def download_command(repo_id: str = DEFAULT_MODEL) -> str:
    """The one command line that fetches just the export's files (not the 900 MB float model beside them)."""
    from ..align.download import SENSEVOICE

    return SENSEVOICE.command(repo_id)


def find_model_files(folder: str | os.PathLike[str]) -> tuple[Path, Path]:
    """(model, tokens) of a SenseVoice export folder, checked so sherpa-onnx can load them."""
    folder = Path(folder)
    shown = str(folder)
    if folder.is_file() and folder.suffix == ".onnx":
        folder, weights = folder.parent, folder
    else:
        if not folder.is_dir():
            raise RecogniserUnavailable(msg("asr_model_not_found", recogniser=NAME, path=shown, files="model.int8.onnx and tokens.txt"))
        weights = next((folder / w for w in _WEIGHTS if (folder / w).is_file()), None)
        if weights is None:
            raise RecogniserUnavailable(msg("asr_model_damaged", recogniser=NAME, path=shown, reason="it holds no model.int8.onnx or model.onnx"))
    tokens = folder / "tokens.txt"
    try:
        meta = read_metadata(weights)
    except (OnnxFileError, OSError, ValueError) as exc:
        raise RecogniserUnavailable(msg("asr_model_damaged", recogniser=NAME, path=str(weights), reason=f"not an ONNX model: {exc}")) from None
    missing = [k for k in REQUIRED_META if k not in meta]
    if missing:
        raise RecogniserUnavailable(msg("asr_model_damaged", recogniser=NAME, path=str(weights), reason=f"not a SenseVoice export: no {missing[0]!r} in its metadata"))
    try:
        vocab = int(meta["vocab_size"])
        lines = [ln for ln in tokens.read_text(encoding="utf-8").splitlines() if ln.strip()]
        ids = {int(ln.rsplit(None, 1)[1]) for ln in lines}
    except (OSError, ValueError, IndexError, UnicodeDecodeError):
        raise RecogniserUnavailable(msg("asr_model_damaged", recogniser=NAME, path=str(tokens), reason="tokens.txt is missing or unreadable")) from None
    if ids != set(range(vocab)):
        raise RecogniserUnavailable(
            msg("asr_model_damaged", recogniser=NAME, path=str(tokens), reason=f"tokens.txt has {len(ids)} tokens, the model {vocab}")
        )
    return weights, tokens


class SenseVoiceRecogniser:
    name = "sensevoice"
    label = NAME
    languages = LANGUAGES
    events = True
    max_window_s = 25.0  # the model was trained on utterances; longer windows cost quadratic memory
    batch = 4

    def __init__(self, folder: str | os.PathLike[str], language: str = "auto", device: str = "cpu", threads: int | None = None):
        try:
            import sherpa_onnx
        except ImportError:
            raise RecogniserUnavailable(msg("asr_not_installed", recogniser=NAME, package="sherpa-onnx")) from None
        weights, tokens = find_model_files(folder)
        self.model_path = str(weights)
        self.language = language if language in LANGUAGES else "auto"
        provider = "cuda" if device == "cuda" else "cpu"
        try:
            self._rec = sherpa_onnx.OfflineRecognizer.from_sense_voice(
                model=str(weights),
                tokens=str(tokens),
                num_threads=threads or max(1, min(4, os.cpu_count() or 1)),
                language="" if self.language == "auto" else self.language,
                use_itn=True,  # punctuation and case: a draft people read and correct
                provider=provider,
            )
        except RuntimeError as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise RecogniserUnavailable(msg("asr_model_damaged", recogniser=NAME, path=str(weights), reason=first[:160])) from None
        self._lock = threading.Lock()

    def decode(self, windows: Sequence[np.ndarray], cancel=None) -> list[Heard]:  # noqa: ARG002 - one call per batch
        with self._lock:
            streams = []
            for w in windows:
                s = self._rec.create_stream()
                s.accept_waveform(SAMPLE_RATE, np.ascontiguousarray(w, dtype=np.float32))
                streams.append(s)
            self._rec.decode_streams(streams)
            return [_heard(s.result, len(w) * 1000 // SAMPLE_RATE) for s, w in zip(streams, windows)]

    def close(self) -> None:
        self._rec = None


def _language(tag: str) -> str | None:
    bare = tag.strip().strip("<|>")
    return bare if bare in LANGUAGES else None


def _heard(result, duration_ms: int) -> Heard:
    words: list[list] = []  # [text, start_ms]
    for tok, t in zip(result.tokens, result.timestamps):
        tok = tok.replace("\u2581", " ")
        start = int(round(float(t) * 1000))
        bare = tok.strip()
        if not bare:
            continue
        glue = not tok[:1].isspace() and words and not is_spaceless_char(bare[0]) and not is_spaceless_char(words[-1][0][-1])
        if glue or (words and all(unicodedata.category(c)[0] == "P" for c in bare)):
            words[-1][0] += bare  # a word piece or punctuation goes on the word before it
        else:
            words.append([bare, start])
    out = []
    for k, (text, start) in enumerate(words):
        end = words[k + 1][1] if k + 1 < len(words) else duration_ms
        out.append(HeardWord(text, min(start, duration_ms), max(min(end, duration_ms), min(start, duration_ms))))
    lang = _language(result.lang)
    return Heard(
        tuple(out),
        language=lang,
        emotion=normalise_emotion(result.emotion),
        event=normalise_event(result.event),
        spaceless=lang in ("zh", "yue", "ja"),
    )
