"""Qwen3-ForcedAligner backend: one non-autoregressive pass predicts a time class per word edge.

The model reads the audio and the transcript as ``<|audio_start|><|audio_pad|>...<|audio_end|>``
followed by ``word<timestamp><timestamp>`` for every word, and classifies each ``<timestamp>``
position into ``num_labels`` classes of ``timestamp_segment_time`` ms (5000 x 80 ms for the
0.6B checkpoint). We build that plain prompt ourselves, exactly as the official qwen_asr package
does: wrapping it in the chat template (``<|im_start|>user ...``) shifts timestamps late by about
90 ms. transformers' ``decode_forced_alignment`` then makes the times monotonic (its
longest-increasing-subsequence repair), and we flag what it repaired.

The words are the official package's (:mod:`.qwen3_words`): the window's tokens are joined back
into the text the user wrote and split as qwen-asr splits it; times of model words that span
several tokens are shared out by characters (flagged as interpolated).

What the model sees matches the official ``Qwen3ForcedAligner.align()`` in two more ways:

* Short windows are not padded. qwen-asr pads *recognition* chunks under 0.5 s with silence
  (and transformers' feature extractor copies that for every clip); its ``align()`` feeds the
  audio as it is, and so do we (``min_length`` is set to 0 on load).
* The audio encoder attends within blocks of ``n_window_infer`` mel frames (800 = 8 s):
  transformers 5 runs each block on its own, which equals the official flash-attention path
  (``cu_seqlens``). The official default (sdpa/eager) path passes no mask and attends across the
  whole window. Both exist in the wild; ours is the one that does not depend on the window's
  length, which is one more reason to keep windows short (the long-form planner's ~15 s chunks).

On a CPU the model runs in bfloat16 where the processor has native bf16 matmuls (AMX /
AVX-512 BF16), else in float32: see :func:`cpu_precision` and ``bench/qwen3_cpu.py``. Set
``WORDSYNC_QWEN3_PRECISION=fp32`` (or pass ``precision="fp32"``) to force full precision.
"""

from __future__ import annotations

import os
import threading
from typing import Any, Callable, Sequence

import numpy as np

from ...document import Flag
from ...progress import CancelToken, ProgressCallback, Stage, SubProgress
from ..confidence import LOW_CONFIDENCE, duration_ms, finalize, geometric_mean, local_mass, not_found
from ..models import DEFAULT_ALTERNATIVE, QWEN3_ALIGNER, LayerTicks, pick_device, resolve_model
from ..oom import OutOfMemory, is_out_of_memory, model_to_cpu, release_memory
from ..types import AlignmentError, WordTiming
from .qwen3_words import MissingSegmenter, Piece, WordPlan, official_segmenter, plan_words, surface

__all__ = ["Qwen3Backend", "Piece", "WordPlan", "build_prompt", "decode_slots", "language_name", "cpu_precision"]

#: ``precision`` values: ``auto`` picks per device (bf16 on CUDA, :func:`cpu_precision` on a CPU).
PRECISIONS = ("auto", "fp32", "bf16", "int8")
PRECISION_ENV = "WORDSYNC_QWEN3_PRECISION"

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


def cpu_precision() -> str:
    """The precision ``auto`` uses on a CPU: ``bf16`` where oneDNN has native bf16 matmuls, else ``fp32``.

    With AMX a bf16 matmul of the model's shapes runs about ten times faster than fp32 (1.1 vs
    0.1-0.2 TFLOPS on one core here), and bench/qwen3_cpu.py finds bf16 the fastest of fp32, bf16
    and dynamic int8 on the full-size model; tests/core/test_qwen3_precision.py checks that its
    timestamp classes agree with fp32's on the tiny model's windows. Without native bf16 a bf16
    matmul is emulated and slower than fp32, so those CPUs keep fp32.
    """
    import torch

    try:
        native = bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        native = False
    return "bf16" if native else "fp32"


def resolve_precision(request: str | None, device: str) -> str:
    """``auto``/None -> bf16 on CUDA, :func:`cpu_precision` on a CPU; fp32/bf16/int8 as asked.

    int8 (dynamic quantisation of the Linear layers) runs on the CPU only.
    """
    value = (request or os.environ.get(PRECISION_ENV) or "auto").strip().lower()
    if value not in PRECISIONS:
        raise AlignmentError(
            f"Unknown Qwen3 precision {value!r} (from {PRECISION_ENV} or the settings); use one of {', '.join(PRECISIONS)}."
        )
    on_gpu = str(device).startswith("cuda")
    if value == "auto":
        return "bf16" if on_gpu else cpu_precision()
    if value == "int8" and on_gpu:
        raise AlignmentError("int8 precision runs on the CPU only; use --device cpu or precision bf16/fp32.")
    return value


def _channels_last(model: Any) -> None:
    """The audio encoder's 2-D convolutions in channels-last layout: oneDNN's CPU kernels for it
    are about twice as fast (same arithmetic), and the convolutions are a fifth of a window's time."""
    import torch

    for module in model.modules():
        if isinstance(module, torch.nn.Conv2d):
            module.to(memory_format=torch.channels_last)


def quantize_int8(model: Any) -> Any:
    """Dynamic int8 quantisation of every Linear layer but the timestamp classifier, whose
    5000-way argmax is the answer itself and costs little."""
    import torch
    from torch.ao.quantization import default_dynamic_qconfig, quantize_dynamic

    spec = {
        name: default_dynamic_qconfig
        for name, module in model.named_modules()
        if isinstance(module, torch.nn.Linear) and name.split(".")[-1] != "score"
    }
    return quantize_dynamic(model, spec, dtype=torch.qint8)


class Qwen3Backend:
    """Aligns one window (at most ``max_window_s`` seconds) with Qwen3-ForcedAligner.

    ``model`` is a Hub id or a local folder (safetensors only). ``device``: ``auto``, ``cpu`` or
    ``cuda``. ``precision``: ``auto`` (bf16 on CUDA; on a CPU bf16 where it is native, else fp32),
    ``fp32``, ``bf16`` or ``int8`` (CPU only); None reads ``WORDSYNC_QWEN3_PRECISION``.
    The model loads on first use (or :meth:`load`).
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
        precision: str | None = None,
    ):
        self.model_id = str(model)
        self.device_request = device
        self.precision_request = precision
        self.precision: str | None = None
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
                progress(0.0, Stage("stage_loading_model"))
            device = pick_device(self.device_request)
            precision = resolve_precision(self.precision_request, device)
            dtype = torch.bfloat16 if precision == "bf16" else torch.float32
            try:
                processor = AutoProcessor.from_pretrained(str(folder))
                from ...learn.lora import is_adapter, load_token_classifier

                if is_adapter(folder):  # a LoRA adapter (wordsync finetune): its base + the adapter
                    model = load_token_classifier(folder, dtype, allow_download=self.allow_download)
                else:
                    model = AutoModelForTokenClassification.from_pretrained(
                        str(folder), dtype=dtype, use_safetensors=True, trust_remote_code=False
                    )
            except Exception as exc:  # OSError, ValueError, SafetensorError of damaged weights...
                raise AlignmentError(f"{folder} could not be loaded as a Qwen3 forced aligner ({exc}).") from exc
            model = model.to(device).eval()
            if not device.startswith("cuda"):
                _channels_last(model)
            if precision == "int8":
                model = quantize_int8(model)
            config = model.config
            if getattr(config, "timestamp_token_id", None) is None or not hasattr(processor, "audio_token"):
                raise AlignmentError(f"{folder} is not a Qwen3 forced aligner (no timestamp token or audio processor).")
            step = getattr(config, "timestamp_segment_time", None) or getattr(processor, "timestamp_segment_time", None)
            if not step:
                raise AlignmentError(f"{folder} does not say how long a timestamp class is (timestamp_segment_time).")
            self.frame_ms = float(step)
            # transformers' feature extractor pads clips under min_length (8000 samples, 0.5 s) with
            # silence, as qwen-asr's *recogniser* does; the official align() does not, and a short
            # window padded with silence has room for words to drift into.
            if getattr(processor.feature_extractor, "min_length", 0):
                processor.feature_extractor.min_length = 0
            self.num_labels = int(config.num_labels)
            self.device = device
            self.precision = precision
            self._processor = processor
            self._model = model

    def use_cpu(self) -> bool:
        """Move the model to the CPU after the GPU ran out of memory; False if it is there already."""
        with self._lock:
            if self._model is None or str(self.device).startswith("cpu"):
                return False
            model = model_to_cpu(self._model)  # float32
            _channels_last(model)
            precision = resolve_precision(self.precision_request, "cpu")
            if precision == "bf16":
                model = model.to(dtype=_bfloat16())
            elif precision == "int8":
                model = quantize_int8(model)
            self._model = model
            self.device = "cpu"
            self.precision = precision
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

        texts, seps = surface(words, lang)
        plan = plan_words(texts, seps, lang, self._segmenter(lang))
        if not plan.model_words:
            return not_found(len(words))
        # The mel front end reflects n_fft/2 samples at each edge: a few ms is no audio at all to it.
        if len(audio) <= getattr(self._processor.feature_extractor, "n_fft", 400) // 2:
            return not_found(len(words))
        if self.max_audio_ms is not None and duration > self.max_audio_ms:
            raise AlignmentError(
                f"This window is {duration / 1000:.0f} s long, past the {self.max_audio_ms / 1000:.0f} s the "
                f"aligner can time; cut it into windows of at most {min(self.max_window_s, self.max_audio_ms / 1000):.0f} s."
            )
        report(0.3, Stage("stage_model_aligning"))
        slots_ms, repaired, confidence = self._run(audio, plan.model_words, report.sub(0.3, 0.98), cancel)

        raw: list[WordTiming] = []
        for pieces in plan.pieces:
            if not pieces:
                raw.append(WordTiming(None, None))
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
            raw.append(WordTiming(start, end, conf, flags))
        result = finalize(raw, duration, low_confidence=self.low_confidence)
        report(1.0, Stage("stage_model_aligned"))
        return result

    @staticmethod
    def _segmenter(lang: str) -> Callable[[str], Sequence[str]] | None:
        try:
            return official_segmenter(lang)
        except MissingSegmenter as exc:
            raise AlignmentError(
                f"{lang} alignment with Qwen3-ForcedAligner needs the {exc.package} package "
                f"(pip install 'wordsync[{exc.extra}]')."
            ) from exc
        except OSError as exc:
            raise AlignmentError(f"The Korean word list of Qwen3-ForcedAligner could not be read ({exc}).") from exc

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
            progress(0.9 * done / max(1, total), Stage("stage_model_aligning"))

        model = self._model
        dtype = torch.bfloat16 if self.precision == "bf16" else torch.float32  # int8 keeps float activations
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
        progress(1.0, Stage("stage_model_aligning"))
        return result


def _bfloat16():
    import torch

    return torch.bfloat16


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
