"""Qwen3-ForcedAligner backend: one non-autoregressive pass predicts a time class per word edge.

The model reads the audio and the transcript as ``<|audio_start|><|audio_pad|>...<|audio_end|>``
followed by ``word<timestamp><timestamp>`` for every word, and classifies each ``<timestamp>``
position into ``num_labels`` classes of ``timestamp_segment_time`` ms (5000 x 80 ms for the
0.6B checkpoint). We build that plain prompt ourselves, exactly as the official qwen_asr package
does: wrapping it in the chat template (``<|im_start|>user ...``) shifts timestamps late by about
90 ms. transformers' ``decode_forced_alignment`` then makes the times monotonic (its
longest-increasing-subsequence repair), and we flag what it repaired.

Words are the caller's tokens. Each token's units are cleaned the way the processor cleans words
(letters, digits, apostrophes, CJK) and split like the processor splits (CJK per character);
digits stay digits because that is what the model was trained on. Japanese and Korean are
re-segmented with nagisa / soynlp (optional extras) to match training, and times of model words
that span several tokens are shared out by characters (flagged as interpolated).
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from ...document import Flag
from ...progress import CancelToken, ProgressCallback, SubProgress
from ..confidence import LOW_CONFIDENCE, RawTiming, duration_ms, finalize, geometric_mean, local_mass, not_found
from ..models import DEFAULT_ALTERNATIVE, QWEN3_ALIGNER, LayerTicks, pick_device, resolve_model
from ..oom import OutOfMemory, is_out_of_memory, model_to_cpu, release_memory
from ..types import AlignmentError, WordTiming

#: ISO 639 codes of the forced aligner's languages -> the names its processor expects.
QWEN3_LANGUAGES = {
    "zh": "Chinese",
    "yue": "Cantonese",
    "en": "English",
    "fr": "French",
    "de": "German",
    "it": "Italian",
    "ja": "Japanese",
    "ko": "Korean",
    "pt": "Portuguese",
    "ru": "Russian",
    "es": "Spanish",
}

_EXTRAS = {"Japanese": ("nagisa", "ja"), "Korean": ("soynlp", "ko")}


def language_name(language: str) -> str:
    """``en``/``en-US``/``English`` -> ``English``; an unsupported language is an AlignmentError."""
    text = (language or "").strip()
    code = text.replace("_", "-").split("-")[0].lower()
    if code in QWEN3_LANGUAGES:
        return QWEN3_LANGUAGES[code]
    for name in QWEN3_LANGUAGES.values():
        if name.lower() == text.lower():
            return name
    raise AlignmentError(
        f"Qwen3-ForcedAligner does not support the language {language!r} (it knows "
        f"{', '.join(sorted(QWEN3_LANGUAGES))}); use the CTC or the offline aligner."
    )


def _is_cjk(char: str) -> bool:
    cp = ord(char)
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0x20000 <= cp <= 0x2A6DF
        or 0x2A700 <= cp <= 0x2B73F
        or 0x2B740 <= cp <= 0x2B81F
        or 0x2B820 <= cp <= 0x2CEAF
        or 0xF900 <= cp <= 0xFAFF
        or 0x2F800 <= cp <= 0x2FA1F
    )


def _kept(char: str) -> bool:
    """Characters the processor keeps in aligner words: letters, numbers, apostrophes, CJK."""
    if char == "'":
        return True
    cat = unicodedata.category(char)
    return cat.startswith("L") or cat.startswith("N") or _is_cjk(char)


def _split_default(unit: str) -> list[str]:
    """The processor's default split of one unit: CJK characters alone, other kept runs whole."""
    out: list[str] = []
    buf: list[str] = []
    for ch in unit:
        if _is_cjk(ch):
            if buf:
                out.append("".join(buf))
                buf = []
            out.append(ch)
        elif _kept(ch):
            buf.append(ch)
        elif buf:
            out.append("".join(buf))
            buf = []
    if buf:
        out.append("".join(buf))
    return out


@dataclass(frozen=True)
class Piece:
    """Part of a model word that belongs to a token: ``[lo, hi]`` as fractions of the word's time."""

    word: int
    lo: float = 0.0
    hi: float = 1.0


@dataclass(frozen=True)
class WordPlan:
    """The words the model sees, and which parts of them make up each token (empty: nothing to align)."""

    model_words: list[str]
    pieces: list[list[Piece]]


def plan_words(
    words: Sequence[Sequence[str]],
    language: str,
    segmenter: Callable[[str], list[str]] | None = None,
) -> WordPlan:
    """Map tokens (their units) to the model's words.

    Without a ``segmenter`` each token's units are split like the processor splits words, so
    every model word belongs to exactly one token. With one (Japanese, Korean), the tokens'
    cleaned text is re-segmented as a whole and model words may straddle tokens; each token then
    gets the share of a model word that its characters cover.
    """
    cleaned = ["".join(ch for unit in units for ch in unit if _kept(ch)) for units in words]
    if segmenter is not None and any(cleaned):
        sep = " " if language == "Korean" else ""
        text = sep.join(c for c in cleaned if c)
        model_words = [w for w in segmenter(text) if w]
        if "".join(model_words) == text.replace(" ", ""):
            return _plan_by_characters(cleaned, model_words)
        # The segmenter changed characters (normalisation): fall back to per-token words.
    model_words: list[str] = []
    pieces: list[list[Piece]] = []
    for units in words:
        mine: list[Piece] = []
        for unit in units:
            for w in _split_default(unit):
                mine.append(Piece(len(model_words)))
                model_words.append(w)
        pieces.append(mine)
    return WordPlan(model_words, pieces)


def _plan_by_characters(cleaned: list[str], model_words: list[str]) -> WordPlan:
    word_bounds = []
    pos = 0
    for w in model_words:
        word_bounds.append((pos, pos + len(w)))
        pos += len(w)
    pieces: list[list[Piece]] = []
    pos = 0
    for text in cleaned:
        a, b = pos, pos + len(text)
        pos = b
        mine = []
        if b > a:
            for idx, (c, d) in enumerate(word_bounds):
                if c < b and d > a:
                    mine.append(Piece(idx, (max(a, c) - c) / (d - c), (min(b, d) - c) / (d - c)))
        pieces.append(mine)
    return WordPlan(model_words, pieces)


class Qwen3Backend:
    """Aligns one window (at most ``max_window_s`` seconds) with Qwen3-ForcedAligner.

    ``model`` is a Hub id or a local folder (safetensors only). ``device``: ``auto``, ``cpu`` or
    ``cuda``; bf16 on CUDA, fp32 on CPU. The model loads on first use (or :meth:`load`).
    """

    name = "qwen3"
    max_window_s = 180.0
    frame_ms = 80.0

    def __init__(
        self,
        model: str = QWEN3_ALIGNER,
        *,
        device: str = "auto",
        allow_download: bool = True,
        low_confidence: float = LOW_CONFIDENCE,
        tolerance_classes: int = 1,
        alternative: str = DEFAULT_ALTERNATIVE,
    ):
        self.model_id = str(model)
        self.device_request = device
        self.allow_download = allow_download
        self.low_confidence = low_confidence
        self.tolerance_classes = tolerance_classes
        self.alternative = alternative
        self._lock = threading.Lock()
        self._model: Any = None
        self._processor: Any = None
        self.device: str | None = None
        self.num_labels: int | None = None
        self.notes: list[str] = []  # what the out-of-memory ladder did, for the summary

    # -- loading ---------------------------------------------------------------------------------
    def load(self, progress: ProgressCallback | None = None, cancel: CancelToken | None = None) -> None:
        """Find (or download) and load the model; later calls return at once."""
        with self._lock:
            if self._model is not None:
                return
            folder = resolve_model(
                self.model_id,
                allow_download=self.allow_download,
                progress=progress,
                cancel=cancel,
                alternative=self.alternative,
            )
            try:
                import torch
                from transformers import AutoModelForTokenClassification, AutoProcessor
            except ImportError as exc:
                raise AlignmentError(
                    "The Qwen3 aligner needs torch and transformers (pip install 'wordsync[neural]')."
                ) from exc
            if progress is not None:
                progress(0.0, "loading model")
            device = pick_device(self.device_request)
            dtype = torch.bfloat16 if device.startswith("cuda") else torch.float32
            try:
                processor = AutoProcessor.from_pretrained(str(folder))
                model = AutoModelForTokenClassification.from_pretrained(
                    str(folder), dtype=dtype, use_safetensors=True, trust_remote_code=False
                )
            except Exception as exc:  # OSError, ValueError, SafetensorError of damaged weights...
                raise AlignmentError(f"{folder} could not be loaded as a Qwen3 forced aligner ({exc}).") from exc
            model = model.to(device).eval()
            config = model.config
            if getattr(config, "timestamp_token_id", None) is None or not hasattr(processor, "audio_token"):
                raise AlignmentError(f"{folder} is not a Qwen3 forced aligner (no timestamp token or audio processor).")
            step = getattr(config, "timestamp_segment_time", None) or getattr(processor, "timestamp_segment_time", None)
            if not step:
                raise AlignmentError(f"{folder} does not say how long a timestamp class is (timestamp_segment_time).")
            self.frame_ms = float(step)
            self.num_labels = int(config.num_labels)
            self.device = device
            self._processor = processor
            self._model = model

    def use_cpu(self) -> bool:
        """Move the model to the CPU after the GPU ran out of memory; False if it is there already."""
        with self._lock:
            if self._model is None or str(self.device).startswith("cpu"):
                return False
            self._model = model_to_cpu(self._model)
            self.device = "cpu"
            self.notes.append("Out of GPU memory: aligned on the CPU (slower).")
            return True

    @property
    def max_audio_ms(self) -> float | None:
        """The longest time the classifier can express (``num_labels`` x step), once loaded."""
        return None if self.num_labels is None else self.num_labels * self.frame_ms

    # -- aligning --------------------------------------------------------------------------------
    def align_window(
        self,
        audio: np.ndarray,
        words: Sequence[Sequence[str]],
        language: str,
        *,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> list[WordTiming]:
        report = SubProgress(progress, interval=0.1)
        if cancel is not None:
            cancel.raise_if_cancelled()
        lang = language_name(language)
        audio = np.ascontiguousarray(np.asarray(audio, dtype=np.float32).reshape(-1))
        duration = duration_ms(audio)
        self.load(progress=report.sub(0.0, 0.3), cancel=cancel)
        if cancel is not None:
            cancel.raise_if_cancelled()

        plan = plan_words(words, lang, self._segmenter(lang))
        if not plan.model_words:
            return not_found(len(words))
        if self.max_audio_ms is not None and duration > self.max_audio_ms:
            raise AlignmentError(
                f"This window is {duration / 1000:.0f} s long, past the {self.max_audio_ms / 1000:.0f} s the "
                f"aligner can time; cut it into windows of at most {min(self.max_window_s, self.max_audio_ms / 1000):.0f} s."
            )
        report(0.3, "aligning")
        slots_ms, repaired, confidence = self._run(audio, plan.model_words, report.sub(0.3, 0.98), cancel)

        raw: list[RawTiming] = []
        for pieces in plan.pieces:
            if not pieces:
                raw.append(RawTiming(None, None))
                continue
            first, last = pieces[0], pieces[-1]
            s0, e0 = slots_ms[2 * first.word], slots_ms[2 * first.word + 1]
            s1, e1 = slots_ms[2 * last.word], slots_ms[2 * last.word + 1]
            start = s0 + first.lo * (e0 - s0)
            end = s1 + last.hi * (e1 - s1)
            slots = [slot for p in pieces for slot in (2 * p.word, 2 * p.word + 1)]
            flags = 0
            if any(repaired[slot] for slot in slots):
                flags |= Flag.INTERPOLATED
            if first.lo > 0 or last.hi < 1:
                flags |= Flag.INTERPOLATED
            conf = geometric_mean(confidence[slot] for slot in slots)
            raw.append(RawTiming(start, end, conf, flags))
        result = finalize(raw, duration, low_confidence=self.low_confidence)
        report(1.0, "aligned")
        return result

    def _segmenter(self, lang: str) -> Callable[[str], list[str]] | None:
        if lang not in _EXTRAS:
            return None
        package, extra = _EXTRAS[lang]
        processor = self._processor

        def segment(text: str) -> list[str]:
            try:
                return list(processor.split_words_for_alignment(text, lang))
            except ImportError as exc:
                raise AlignmentError(
                    f"{lang} alignment with Qwen3-ForcedAligner needs the {package} package "
                    f"(pip install 'wordsync[{extra}]')."
                ) from exc

        return segment

    def _run(
        self,
        audio: np.ndarray,
        model_words: list[str],
        progress: SubProgress,
        cancel: CancelToken | None,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Times (ms) of the 2N timestamp slots after repair, which were repaired, and confidences."""
        import torch

        processor = self._processor
        ts_id = int(self._model.config.timestamp_token_id)
        inputs = processor(text=[build_prompt(processor, ts_id, model_words)], audio=[audio], return_tensors="pt")

        def tick(done: int, total: int) -> None:
            if cancel is not None:
                cancel.raise_if_cancelled()
            progress(0.9 * done / max(1, total), "aligning")

        model = self._model
        dtype = next(model.parameters()).dtype
        batch = {
            k: (v.to(self.device, dtype) if k == "input_features" else v.to(self.device))
            for k, v in inputs.items()
            if k in ("input_ids", "attention_mask", "input_features", "input_features_mask")
        }
        try:
            with torch.inference_mode(), LayerTicks(model, tick):
                logits = model(**batch).logits
        except Exception as exc:  # out of memory becomes OutOfMemory, the rest goes on
            if not is_out_of_memory(exc):
                raise
            del batch
            release_memory()
            # The window's words and audio belong together, so shorter windows are planned by the
            # caller (api re-plans the chunks on OutOfMemory); when they can get no shorter, it
            # calls use_cpu() and tries again.
            raise OutOfMemory(
                f"Out of memory aligning a {len(audio) / 16000:.0f} s window on the "
                f"{'CPU' if str(self.device).startswith('cpu') else 'GPU'}; close other programs "
                "or choose the offline aligner (sphinx)."
            ) from None
        if cancel is not None:
            cancel.raise_if_cancelled()

        result = decode_slots(
            processor, logits, batch["input_ids"], model_words, ts_id, self.frame_ms, self.tolerance_classes
        )
        progress(1.0, "aligning")
        return result


def build_prompt(processor: Any, timestamp_token_id: int, model_words: Sequence[str]) -> str:
    """The official plain prompt: audio placeholder, then ``word<timestamp><timestamp>`` per word.

    No chat-template wrapping (it shifts timestamps late); the processor expands the single
    audio placeholder into one token per audio frame.
    """
    ts = processor.tokenizer.convert_ids_to_tokens(int(timestamp_token_id))
    prompt = processor.audio_bos_token + processor.audio_token + processor.audio_eos_token
    return prompt + "".join(f"{w}{ts}{ts}" for w in model_words)


def decode_slots(
    processor: Any,
    logits: Any,
    input_ids: Any,
    model_words: Sequence[str],
    timestamp_token_id: int,
    step_ms: float,
    tolerance_classes: int = 1,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Times (ms) of the 2N timestamp slots after the monotonic repair, which slots it changed,
    and each slot's confidence: the probability within ``tolerance_classes`` of the final class.

    ``logits`` (1, L, num_labels) and ``input_ids`` (1, L) are one forward pass's.
    """
    import torch

    mask = input_ids[0] == int(timestamp_token_id)
    slot_logits = logits[0][mask].float()
    if slot_logits.shape[0] != 2 * len(model_words):
        raise AlignmentError(
            f"The prompt has {slot_logits.shape[0]} timestamp slots for {len(model_words)} words; "
            "the tokenizer does not keep <timestamp> whole."
        )
    decoded = processor.decode_forced_alignment(
        logits.float(), input_ids, [list(model_words)], int(timestamp_token_id), timestamp_segment_time=step_ms
    )[0]
    fixed = np.array([v for item in decoded for v in (item["start_time"], item["end_time"])], dtype=np.float64)
    fixed *= 1000.0
    probs = torch.softmax(slot_logits, dim=-1).cpu().numpy()
    raw_ms = probs.argmax(axis=1).astype(np.float64) * step_ms
    repaired = np.abs(fixed - raw_ms) > 0.5
    classes = np.rint(fixed / step_ms).astype(np.int64)
    confidence = local_mass(probs, classes, tolerance_classes)
    return fixed, repaired, confidence
