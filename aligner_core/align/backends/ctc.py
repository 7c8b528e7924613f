"""CTC backend: any ``AutoModelForCTC`` (wav2vec2, HuBERT, MMS, ...) with a character vocabulary.

A chain of plain steps, as in the torchaudio tutorial and ctc-forced-aligner:

1. :func:`compute_emissions`: frame log-probabilities in overlapping windows (30 s with 4 s of
   overlap by default), stitched by frame: each window hands over at the middle of its overlap,
   so every kept frame has at least half the overlap of real audio on both sides. Window starts
   are whole frames, so frames line up exactly with one pass over the audio.
2. :func:`build_targets`: each token's units become vocabulary ids (digits spelled out with
   num2words when the vocabulary has none, accents stripped when only the bare letter exists,
   other unknown characters dropped with a flag; a word with nothing left becomes a required
   wildcard). A ``<star>`` wildcard sits, optional, at both ends and between words so audio the
   transcript lacks does not drag the words next to it.
3. :func:`aligner_core.align.viterbi.forced_align` finds the best path (torch, GPU when present).
4. Frames become milliseconds (frame length from the model's conv strides); confidence is the
   geometric mean over a word's characters of their peak frame posterior on the path.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from ...document import Flag, Phone
from ...progress import CancelToken, ProgressCallback, Stage, SubProgress
from ..confidence import LOW_CONFIDENCE, duration_ms, finalize, geometric_mean, not_found
from ..models import DEFAULT_ALTERNATIVE, DEFAULT_CTC_MODEL, LayerTicks, pick_device, quiet_transformers, resolve_model
from ..oom import is_out_of_memory, model_to_cpu, release_memory
from ..types import SAMPLE_RATE, AlignmentError, WordTiming
from ..viterbi import DEFAULT_MAX_CELLS, add_wildcard, forced_align, item_spans

_APOSTROPHES = {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"}


# -- frames and emissions ---------------------------------------------------------------------
MIN_OOM_WINDOW_S = 4.0  # below this the windows' edges hold most of the words


def samples_per_frame(model: Any, feature_extractor: Any = None) -> int:
    """Input samples per output frame (320 = 20 ms for wav2vec2), from the conv strides.

    Models without conv metadata (feature-based encoders) are measured once on silence.
    """
    config = model.config
    ratio = getattr(config, "inputs_to_logits_ratio", None)
    if not ratio:
        strides = getattr(config, "conv_stride", None)
        ratio = int(np.prod(strides)) if strides else None
    if not ratio and feature_extractor is not None:
        ratio = _measure_ratio(model, feature_extractor)
    if not ratio:
        raise AlignmentError("This CTC model does not say how long its frames are (no conv strides).")
    return int(ratio)


def _measure_ratio(model: Any, feature_extractor: Any) -> int:
    import torch

    probe = np.zeros(SAMPLE_RATE * 4, dtype=np.float32)
    inputs = feature_extractor(probe, sampling_rate=SAMPLE_RATE, return_tensors="pt")
    with torch.inference_mode():
        frames = model(**_to_model(inputs, model)).logits.shape[1]
    return int(round(len(probe) / max(1, frames)))


def _to_model(inputs: Any, model: Any) -> dict[str, Any]:
    """Feature-extractor output moved to the model's device, floats in the model's dtype."""
    param = next(model.parameters())
    return {
        k: (v.to(param.device, param.dtype) if v.is_floating_point() else v.to(param.device))
        for k, v in inputs.items()
        if hasattr(v, "to")
    }


def output_frames(model: Any, num_samples: int, ratio: int | None = None) -> int:
    """How many frames the model emits for ``num_samples`` input samples."""
    import torch

    fn = getattr(model, "_get_feat_extract_output_lengths", None)
    kernels = getattr(model.config, "conv_kernel", None)
    if fn is not None and kernels:
        return int(fn(torch.tensor(int(num_samples))))
    if kernels:
        length = int(num_samples)
        for k, s in zip(kernels, getattr(model.config, "conv_stride", ())):
            length = (length - k) // s + 1
        return max(0, length)
    return int(num_samples) // int(ratio or samples_per_frame(model))


def plan_windows(num_samples: int, window: int, overlap: int, ratio: int) -> list[tuple[int, int]]:
    """``(start, end)`` sample ranges: starts on whole frames, ``window`` long, the last reaching the end."""
    window = max(ratio, window // ratio * ratio)
    overlap = min(max(0, overlap // ratio * ratio), window - ratio)
    if num_samples <= window:
        return [(0, num_samples)]
    hop = window - overlap
    starts = list(range(0, num_samples - window, hop))
    last = (num_samples - window) // ratio * ratio
    if starts and starts[-1] >= last:
        starts.pop()
    starts.append(last)
    return [(s, min(num_samples, s + window) if s != last else num_samples) for s in starts]


def compute_emissions(
    model: Any,
    feature_extractor: Any,
    audio: np.ndarray,
    *,
    window_s: float = 30.0,
    overlap_s: float = 4.0,
    batch_size: int = 1,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> "Any":
    """Log-probabilities ``(frames, vocab)`` (float32, on the model's device) for 16 kHz mono ``audio``."""
    import torch

    audio = np.asarray(audio, dtype=np.float32).reshape(-1)
    ratio = samples_per_frame(model, feature_extractor)
    total = output_frames(model, len(audio), ratio)
    if total <= 0:
        raise AlignmentError("This window is too short for the CTC model to hear anything.")
    windows = plan_windows(len(audio), int(window_s * SAMPLE_RATE), int(overlap_s * SAMPLE_RATE), ratio)
    # Frame g comes from window i when cuts[i] <= g < cuts[i + 1]: hand over mid-overlap.
    cuts = [0]
    for (_, e0), (s1, _) in zip(windows, windows[1:]):
        cuts.append(min(total, max(cuts[-1], ((s1 + e0) // 2) // ratio)))
    cuts.append(total)

    pieces: list[Any] = [None] * len(windows)
    order = list(range(len(windows)))  # consecutive windows of one length share a batch
    done_windows = 0
    layer_share = [0.0]

    def tick(done: int, count: int) -> None:
        if cancel is not None:
            cancel.raise_if_cancelled()
        if progress is not None:
            progress((done_windows + layer_share[0] * done / max(1, count)) / len(windows), Stage("stage_emissions"))

    with torch.inference_mode(), LayerTicks(model, tick):
        i = 0
        while i < len(order):
            if cancel is not None:
                cancel.raise_if_cancelled()
            length = windows[order[i]][1] - windows[order[i]][0]
            batch = [order[i]]
            while len(batch) < batch_size and i + len(batch) < len(order):
                nxt = order[i + len(batch)]
                if windows[nxt][1] - windows[nxt][0] != length:
                    break
                batch.append(nxt)
            layer_share[0] = len(batch)
            inputs = feature_extractor(
                [audio[windows[w][0] : windows[w][1]] for w in batch],
                sampling_rate=SAMPLE_RATE,
                return_tensors="pt",
            )
            logits = model(**_to_model(inputs, model)).logits.float()
            log_probs = torch.log_softmax(logits, dim=-1)
            for row, w in enumerate(batch):
                first = windows[w][0] // ratio
                lo, hi = cuts[w] - first, cuts[w + 1] - first
                if lo < 0 or (hi > lo and lo >= log_probs.shape[1]):
                    raise AlignmentError("The CTC windows do not cover the audio; use a longer overlap.")
                # Models without exact conv arithmetic may emit a frame less at the very end.
                pieces[w] = log_probs[row, lo : min(hi, log_probs.shape[1])]
            done_windows += len(batch)
            i += len(batch)
            if progress is not None:
                progress(done_windows / len(windows), Stage("stage_emissions"))
    return torch.cat(pieces, dim=0)


# -- transcript -> vocabulary ids ------------------------------------------------------------
@dataclass
class Vocabulary:
    """The parts of a CTC tokenizer's vocabulary that forced alignment needs."""

    chars: dict[str, int]
    blank: int
    delimiter: int | None
    specials: set[int] = field(default_factory=set)
    case: str | None = None  # "upper" / "lower" when the vocabulary has letters of one case only
    size: int = 0

    @classmethod
    def from_tokenizer(cls, tokenizer: Any, blank: int | None, size: int) -> "Vocabulary":
        vocab = tokenizer.get_vocab()
        if blank is None:
            blank = tokenizer.pad_token_id
        if blank is None:
            raise AlignmentError("This CTC model does not say which token is blank (pad_token_id).")
        specials = {int(i) for i in getattr(tokenizer, "all_special_ids", []) if i is not None}
        delim_tok = getattr(tokenizer, "word_delimiter_token", None)
        delimiter = vocab.get(delim_tok) if delim_tok else None
        chars = {
            k: int(v)
            for k, v in vocab.items()
            if len(k) == 1 and int(v) not in specials and int(v) != blank and int(v) != delimiter and int(v) < size
        }
        letters = [k for k in chars if k.isalpha()]
        if not letters:
            raise AlignmentError("This CTC model's vocabulary has no single letters; it cannot be used for alignment.")
        upper = sum(k.isupper() for k in letters)
        lower = sum(k.islower() for k in letters)
        case = "upper" if upper and not lower else "lower" if lower and not upper else None
        return cls(chars, int(blank), delimiter, specials - {int(blank)}, case, size)

    @property
    def has_digits(self) -> bool:
        return any(k.isdigit() for k in self.chars)

    def lookup(self, ch: str) -> int | None:
        ch = _APOSTROPHES.get(ch, ch)
        for cand in self._variants(ch):
            if cand in self.chars:
                return self.chars[cand]
        base = unicodedata.normalize("NFD", ch)[0]
        if base != ch:
            for cand in self._variants(base):
                if cand in self.chars:
                    return self.chars[cand]
        return None

    def _variants(self, ch: str) -> list[str]:
        if self.case == "upper":
            return [ch.upper(), ch]
        if self.case == "lower":
            return [ch.lower(), ch]
        return [ch, ch.lower(), ch.upper()]


def _spell_numbers(text: str, language: str) -> str:
    try:
        from num2words import num2words
    except ImportError:
        return text

    def spell(match: re.Match[str]) -> str:
        number = int(match.group())
        for lang in (language.replace("-", "_").split("_")[0].lower(), "en"):
            try:
                return f" {num2words(number, lang=lang)} "
            except (NotImplementedError, OverflowError, ValueError, KeyError, TypeError):
                continue
        return match.group()

    return re.sub(r"\d+", spell, text)


@dataclass
class WordTarget:
    """One token's vocabulary ids per sub-word, and what was lost on the way."""

    subwords: list[list[int]]
    chars: int = 0
    dropped: int = 0
    flags: int = 0

    @property
    def empty(self) -> bool:
        return self.chars == 0


def _spell_units(units: Sequence[str], language: str) -> list[str]:
    """Units with numbers read aloud (the core's number reader when present, else num2words)."""
    try:
        from ...numbers import spoken_units
    except ImportError:
        return [_spell_numbers(u, language) for u in units]
    return list(spoken_units(list(units), language))


def word_target(units: Sequence[str], vocab: Vocabulary, language: str) -> WordTarget:
    """A token's vocabulary ids; numbers are spelled out when the vocabulary has no digits."""
    target = WordTarget([])
    units = [unicodedata.normalize("NFC", u) for u in units]
    if not vocab.has_digits and any(ch.isdigit() for u in units for ch in u):
        spelled = _spell_units(units, language)
        if spelled != units:
            target.flags |= Flag.GUESSED_PRONUNCIATION
            units = spelled
    for text in units:
        for sub in re.split(r"[\s\-\u2010-\u2015_/]+", text):
            ids: list[int] = []
            for ch in sub:
                if unicodedata.category(ch)[0] in "PZSC":
                    if _APOSTROPHES.get(ch, ch) != "'" or vocab.lookup("'") is None:
                        continue  # punctuation is not pronounced (an apostrophe only if the model knows it)
                target.chars += 1
                idx = vocab.lookup(ch)
                if idx is None:
                    target.dropped += 1
                else:
                    ids.append(idx)
            if ids:
                target.subwords.append(ids)
    if target.dropped:
        target.flags |= Flag.GUESSED_PRONUNCIATION
    return target


@dataclass
class Targets:
    """The item sequence for Viterbi and where each token's items are."""

    items: list[int]
    optional: list[bool]
    kinds: list[str]  # "char", "delim", "star" per item
    ranges: list[tuple[int, int] | None]  # per token: first..last item (inclusive); None: nothing to align
    words: list[WordTarget]


def build_targets(
    words: Sequence[Sequence[str]],
    vocab: Vocabulary,
    language: str,
    star: int | None,
    *,
    star_between_words: bool = True,
) -> Targets:
    """Items: ``[*] w1 | [*] w2 | ... [*]`` (``[*]`` optional wildcards when ``star`` is given)."""
    items: list[int] = []
    optional: list[bool] = []
    kinds: list[str] = []
    ranges: list[tuple[int, int] | None] = []
    targets: list[WordTarget] = []

    def add(label: int, opt: bool, kind: str) -> None:
        items.append(int(label))
        optional.append(opt)
        kinds.append(kind)

    prev: str | None = None  # "word" / "wild" / None before the first aligned token
    for units in words:
        target = word_target(units, vocab, language)
        targets.append(target)
        if target.empty:
            ranges.append(None)
            continue
        wild = not target.subwords
        if wild and star is None:
            ranges.append(None)
            continue
        if prev is not None and vocab.delimiter is not None:
            add(vocab.delimiter, False, "delim")
        if star is not None and not wild and prev != "wild" and (prev is None or star_between_words):
            add(star, True, "star")
        first = len(items)
        if wild:
            add(star, False, "star")  # type: ignore[arg-type]
            target.flags |= Flag.INTERPOLATED
        for j, ids in enumerate(target.subwords):
            if j and vocab.delimiter is not None:
                add(vocab.delimiter, False, "delim")
            for idx in ids:
                add(idx, False, "char")
        ranges.append((first, len(items) - 1))
        prev = "wild" if wild else "word"
    if star is not None and prev == "word":
        add(star, True, "star")
    return Targets(items, optional, kinds, ranges, targets)


# -- the backend -------------------------------------------------------------------------------
class CTCBackend:
    """Aligns one window with a CTC acoustic model and Viterbi forced alignment.

    ``wildcard_penalty`` (nats per frame) sets how readily the ``<star>`` wildcard takes audio
    over the transcript's own characters; ``None`` turns the wildcard off.
    """

    name = "ctc"
    max_window_s = 300.0
    frame_ms = 20.0

    def __init__(
        self,
        model: str = DEFAULT_CTC_MODEL,
        *,
        device: str = "auto",
        window_s: float = 30.0,
        overlap_s: float = 4.0,
        wildcard_penalty: float | None = 1.5,
        wildcard_between_words: bool = True,
        batch_size: int | None = None,
        allow_download: bool = True,
        low_confidence: float = LOW_CONFIDENCE,
        max_cells: int = DEFAULT_MAX_CELLS,
        alternative: str = DEFAULT_ALTERNATIVE,
        phones: bool = False,
    ):
        self.model_id = str(model)
        #: each word's character units as its phones (WordTiming.phones): the path has them anyway
        self.phones = phones
        self.device_request = device
        self.window_s = window_s
        self.overlap_s = overlap_s
        self.wildcard_penalty = wildcard_penalty
        self.wildcard_between_words = wildcard_between_words
        self.batch_size = batch_size
        self.allow_download = allow_download
        self.low_confidence = low_confidence
        self.max_cells = max_cells
        self.alternative = alternative
        self._lock = threading.Lock()
        self._model: Any = None
        self._feature_extractor: Any = None
        self.vocab: Vocabulary | None = None
        self.device: str | None = None
        self.samples_per_frame = 320
        self.notes: list[str] = []  # what the out-of-memory ladder did, for the summary
        self._oom_batch: int | None = None
        self._oom_window_s: float | None = None

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
                from transformers import AutoFeatureExtractor, AutoModelForCTC, AutoTokenizer
            except ImportError as exc:
                raise AlignmentError(
                    "The CTC aligner needs torch and transformers (pip install 'wordsync[neural]')."
                ) from exc
            if progress is not None:
                progress(0.0, Stage("stage_loading_model"))
            device = pick_device(self.device_request)
            quiet_transformers()
            missing = _missing_parts(Path(folder))
            if missing:
                raise AlignmentError(f"{Path(folder).name} could not be loaded as a CTC model: {missing}.")
            try:
                feature_extractor = AutoFeatureExtractor.from_pretrained(str(folder))
                tokenizer = AutoTokenizer.from_pretrained(str(folder))
                model = AutoModelForCTC.from_pretrained(str(folder), use_safetensors=True, trust_remote_code=False)
            except Exception as exc:  # OSError, ValueError, SafetensorError of damaged weights...
                raise AlignmentError(f"{Path(folder).name} could not be loaded as a CTC model ({_first_sentence(exc)}).") from exc
            model = model.to(device).eval()
            size = int(model.config.vocab_size)
            self.vocab = Vocabulary.from_tokenizer(tokenizer, getattr(model.config, "pad_token_id", None), size)
            self.samples_per_frame = samples_per_frame(model, feature_extractor)
            self.frame_ms = 1000.0 * self.samples_per_frame / SAMPLE_RATE
            self.device = device
            self._feature_extractor = feature_extractor
            self._model = model

    def emissions(
        self, audio: np.ndarray, *, progress: ProgressCallback | None = None, cancel: CancelToken | None = None
    ) -> Any:
        """Stitched frame log-probabilities ``(frames, vocab)`` of ``audio`` (loads the model if needed)."""
        self.load(cancel=cancel)
        batch = self._oom_batch or self.batch_size or (4 if str(self.device).startswith("cuda") else 1)
        while True:
            window_s = self._oom_window_s or self.window_s
            try:
                return compute_emissions(
                    self._model,
                    self._feature_extractor,
                    audio,
                    window_s=window_s,
                    overlap_s=min(self.overlap_s, window_s / 4),
                    batch_size=batch,
                    progress=progress,
                    cancel=cancel,
                )
            except Exception as exc:  # only out-of-memory is retried
                if not is_out_of_memory(exc):
                    raise
            release_memory()
            # The ladder: one window at a time, then halved windows, then the CPU. What worked is
            # kept for the rest of this backend's life, so later chunks do not fail first again.
            if batch > 1:
                batch = self._oom_batch = 1
                self.notes.append("Out of GPU memory: retried one window at a time.")
            elif window_s / 2 >= MIN_OOM_WINDOW_S:
                self._oom_window_s = window_s / 2
                self.notes.append(f"Out of memory: retried with {window_s / 2:g} s windows.")
            elif not str(self.device).startswith("cpu"):
                self._model = model_to_cpu(self._model)
                self.device = "cpu"
                self.notes.append("Out of GPU memory even with small windows: aligned on the CPU (slower).")
            else:
                raise AlignmentError(
                    f"Out of memory even with {window_s:g} s windows on the CPU; close other programs "
                    "or choose the offline aligner (sphinx)."
                ) from None

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
        audio = np.ascontiguousarray(np.asarray(audio, dtype=np.float32).reshape(-1))
        duration = duration_ms(audio)
        self.load(progress=report.sub(0.0, 0.1), cancel=cancel)
        vocab = self.vocab
        assert vocab is not None
        use_star = self.wildcard_penalty is not None
        star_id = vocab.size if use_star else None
        targets = build_targets(words, vocab, language, star_id, star_between_words=self.wildcard_between_words)
        if all(r is None for r in targets.ranges):
            return not_found(len(words))

        log_probs = self.emissions(audio, progress=report.sub(0.1, 0.7), cancel=cancel)
        if use_star:
            exclude = sorted(vocab.specials | ({vocab.delimiter} if vocab.delimiter is not None else set()))
            log_probs, star_col = add_wildcard(log_probs, vocab.blank, float(self.wildcard_penalty), exclude)
            assert star_col == star_id
        path = forced_align(
            log_probs,
            targets.items,
            vocab.blank,
            optional=targets.optional,
            cancel=cancel,
            progress=report.sub(0.7, 0.98),
            max_cells=self.max_cells,
        )
        spans = item_spans(path, len(targets.items))
        result = self._timings(log_probs, path.states, targets, spans, duration, vocab.blank)
        report(1.0, Stage("stage_model_aligned"))
        return result

    def _timings(
        self,
        log_probs: Any,
        states: np.ndarray,
        targets: Targets,
        spans: list[tuple[int, int] | None],
        duration: int,
        blank: int,
    ) -> list[WordTiming]:
        import torch

        labels = np.full(2 * len(targets.items) + 1, blank, dtype=np.int64)
        labels[1::2] = targets.items
        frames = torch.arange(len(states), device=log_probs.device)
        on_path = log_probs[frames, torch.as_tensor(labels[states], device=log_probs.device)].float().cpu().numpy()
        ms = self.frame_ms
        raw: list[WordTiming] = []
        units: list[tuple[Phone, ...]] = []
        for rng, target in zip(targets.ranges, targets.words):
            units.append(self._units(targets, spans, rng) if self.phones and rng is not None else ())
            if rng is None:
                raw.append(WordTiming(None, None, 0.0, target.flags))
                continue
            first, last = rng
            a, b = spans[first], spans[last]
            if a is None or b is None:  # required items are never skipped; be safe anyway
                raw.append(WordTiming(None, None, 0.0, target.flags))
                continue
            peaks = [
                float(np.exp(on_path[spans[i][0] : spans[i][1]].max()))
                for i in range(first, last + 1)
                if targets.kinds[i] == "char" and spans[i] is not None
            ]
            if peaks:
                known = (target.chars - target.dropped) / max(1, target.chars)
                conf = geometric_mean(peaks) * known
            else:
                conf = 0.0
            raw.append(WordTiming(a[0] * ms, b[1] * ms, conf, target.flags))
        timings = finalize(raw, duration, low_confidence=self.low_confidence)
        # WordTiming fits them into the finalized (clamped, ordered) word: document.fit_phones
        return [replace(t, phones=p) if p and t.aligned else t for t, p in zip(timings, units)]

    def _units(self, targets: Targets, spans: list[tuple[int, int] | None], rng: tuple[int, int]) -> tuple[Phone, ...]:
        """A word's characters as the model heard them: each from its first frame on the path to
        the next one's (the blanks between belong to the character before), the last to the
        word's end. Labels are the vocabulary's own units ("H", "é")."""
        assert self.vocab is not None
        label = {i: ch for ch, i in self.vocab.chars.items()}
        first, last = rng
        marks = [(label[targets.items[i]], spans[i]) for i in range(first, last + 1)
                 if targets.kinds[i] == "char" and spans[i] is not None and targets.items[i] in label]
        if not marks or spans[last] is None:
            return ()
        ms = self.frame_ms
        starts = [int(round(span[0] * ms)) for _, span in marks]
        edges = [*starts, max(starts[-1], int(round(spans[last][1] * ms)))]  # type: ignore[index]
        return tuple(Phone(ch, a, b) for (ch, _), a, b in zip(marks, edges, edges[1:]))


def _missing_parts(folder: Path) -> str | None:
    """What a CTC model folder lacks, in a few words, before transformers says it in a paragraph."""
    import json

    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        config = {}
    kind = str(config.get("model_type") or "")
    architectures = [str(a) for a in config.get("architectures") or []]
    if architectures and not any(a.endswith("ForCTC") for a in architectures):
        return f"it is a {kind or architectures[0]} model ({architectures[0]}), not a CTC model"
    if not any((folder / name).is_file() for name in ("preprocessor_config.json", "processor_config.json")):
        return "preprocessor_config.json (the audio feature settings) is missing"
    if not any((folder / name).is_file() for name in ("vocab.json", "tokenizer.json", "tokenizer_config.json")):
        return "its tokenizer (vocab.json) is missing"
    return None


def _first_sentence(exc: BaseException, limit: int = 120) -> str:
    """The first sentence of a library's message, cut short: theirs run to several hundred characters."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    for stop in (". ", "; "):
        if stop in text[:limit]:
            text = text[: text.index(stop)]
            break
    return text if len(text) <= limit else text[: limit - 3] + "..."
