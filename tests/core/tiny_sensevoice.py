"""A tiny SenseVoice-shaped ONNX graph that sherpa-onnx's real recogniser loads and decodes.

The real SenseVoiceSmall export takes ``x[N, T, 560]`` (80 log-mel bins stacked over 7 frames,
every 6th frame), ``x_length[N]``, ``language[N]`` and ``text_norm[N]``, and gives CTC
``logits[N, T + 4, V]`` whose first four frames are the language, the emotion, the sound event and
the text-normalisation token. sherpa-onnx reads the metadata keys listed in :data:`META` (see
sherpa-onnx/csrc/offline-sense-voice-model.cc), greedy-decodes the logits and splits the first
three tokens off into ``.lang``, ``.emotion`` and ``.event``.

Instead of random weights, the body is one linear layer that tells low tones from high ones: a
burst of a low tone reads as "▁hello", a high one as "▁world", silence as the blank, so tests can
assert what comes out. The language frame follows the ``language`` input (a forced language is
what comes back), and the emotion and event frames are chosen when the graph is built.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

LANGS = ["zh", "en", "yue", "ja", "ko", "nospeech"]
EMOTIONS = ["HAPPY", "SAD", "ANGRY", "NEUTRAL", "FEARFUL", "DISGUSTED", "SURPRISED", "EMO_UNKNOWN"]
EVENTS = ["Speech", "BGM", "Laughter", "Applause", "Cry", "Sneeze", "Breath", "Cough", "Event_UNK"]
WORDS = ["▁hello", "▁world", "你", "好"]

TOKENS = ["<unk>", "<s>", "</s>"] + [f"<|{x}|>" for x in LANGS + EMOTIONS + EVENTS] + ["<|withitn|>", "<|woitn|>"] + WORDS
ID = {t: i for i, t in enumerate(TOKENS)}
#: the ``language`` input's values, as the real export numbers them
LANG_INPUT = {"auto": 0, "zh": 3, "en": 4, "yue": 7, "ja": 11, "ko": 12}
WITH_ITN, WITHOUT_ITN = 14, 15
FEAT = 560
#: a tone below this (Hz) says "hello", above it "world"
SPLIT_HZ = 1000.0


def _mel_bin(hz: float) -> float:
    """The 80-bin mel index (20 Hz .. 8 kHz, as kaldi's fbank with high_freq 0) a frequency falls in."""

    def mel(f: float) -> float:
        return 1127.0 * np.log(1.0 + f / 700.0)

    return (mel(hz) - mel(20.0)) / (mel(8000.0) - mel(20.0)) * 81 - 1


def build_tiny_sensevoice(
    folder: str | Path, *, emotion: str = "HAPPY", event: str = "Speech", auto_language: str = "en",
    weights: str = "model.onnx", pad_bytes: int = 0,
) -> Path:
    """Write ``weights`` (``model.onnx`` or ``model.int8.onnx``) and ``tokens.txt`` into ``folder``.

    ``pad_bytes`` adds a metadata entry that long, so a download of the file arrives in several
    chunks (the real export is 240 MB) and can be stopped half-way."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    v = len(TOKENS)
    split = int(round(_mel_bin(SPLIT_HZ)))
    w = np.zeros((FEAT, v), np.float32)
    low = np.zeros(80, np.float32)
    low[:split] = 1.0 / split
    high = np.zeros(80, np.float32)
    high[split:] = 1.0 / (80 - split)
    for k in range(7):  # every stacked frame votes
        w[k * 80 : (k + 1) * 80, ID["▁hello"]] = (low - high) / 7
        w[k * 80 : (k + 1) * 80, ID["▁world"]] = (high - low) / 7
    bias = np.full(v, -1e4, np.float32)
    bias[0] = 3.0  # the blank wins unless one side of the spectrum is clearly louder
    bias[ID["▁hello"]] = bias[ID["▁world"]] = 0.0

    def onehot_rows(n: int, pick: dict[int, str]) -> np.ndarray:
        t = np.full((n, v), -1e4, np.float32)
        for row, tok in pick.items():
            t[row] = -1e4
            t[row, ID[tok]] = 1e4
        return t

    lang_rows = {i: f"<|{auto_language}|>" for i in range(13)}
    for code, row in LANG_INPUT.items():
        if code != "auto":
            lang_rows[row] = f"<|{code}|>"
    inits = [
        numpy_helper.from_array(w, "W"),
        numpy_helper.from_array(bias, "B"),
        numpy_helper.from_array(onehot_rows(13, lang_rows), "LangTable"),
        numpy_helper.from_array(onehot_rows(1, {0: f"<|{emotion}|>"}), "EmoTable"),
        numpy_helper.from_array(onehot_rows(1, {0: f"<|{event}|>"}), "EventTable"),
        numpy_helper.from_array(onehot_rows(16, {WITH_ITN: "<|withitn|>", WITHOUT_ITN: "<|woitn|>"}), "ItnTable"),
        numpy_helper.from_array(np.array(0, np.int32), "Zero"),
        numpy_helper.from_array(np.array([1], np.int64), "Axis1"),
    ]
    nodes = [
        helper.make_node("MatMul", ["x", "W"], ["xw"]),
        helper.make_node("Add", ["xw", "B"], ["body"]),
        helper.make_node("Mul", ["language", "Zero"], ["zeros"]),
        helper.make_node("Gather", ["LangTable", "language"], ["lang2"], axis=0),
        helper.make_node("Gather", ["EmoTable", "zeros"], ["emo2"], axis=0),
        helper.make_node("Gather", ["EventTable", "zeros"], ["event2"], axis=0),
        helper.make_node("Gather", ["ItnTable", "text_norm"], ["itn2"], axis=0),
    ]
    for name in ("lang", "emo", "event", "itn"):
        nodes.append(helper.make_node("Unsqueeze", [f"{name}2", "Axis1"], [f"{name}3"]))
    nodes.append(helper.make_node("Concat", ["lang3", "emo3", "event3", "itn3", "body"], ["logits"], axis=1))
    graph = helper.make_graph(
        nodes,
        "tiny_sensevoice",
        [
            helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", "T", FEAT]),
            helper.make_tensor_value_info("x_length", TensorProto.INT32, ["N"]),
            helper.make_tensor_value_info("language", TensorProto.INT32, ["N"]),
            helper.make_tensor_value_info("text_norm", TensorProto.INT32, ["N"]),
        ],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", "T4", v])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    meta = {
        "model_type": "sense_voice_ctc",
        "vocab_size": str(v),
        "blank_id": "0",
        "lfr_window_size": "7",
        "lfr_window_shift": "6",
        "normalize_samples": "0",
        "with_itn": str(WITH_ITN),
        "without_itn": str(WITHOUT_ITN),
        **{f"lang_{k}": str(n) for k, n in LANG_INPUT.items()},
        "neg_mean": ",".join(["0"] * FEAT),
        "inv_stddev": ",".join(["1"] * FEAT),
    }
    if pad_bytes:
        meta["comment"] = "x" * pad_bytes
    helper.set_model_props(model, meta)
    onnx.checker.check_model(model)
    onnx.save(model, str(folder / weights))
    (folder / "tokens.txt").write_text("".join(f"{t} {i}\n" for i, t in enumerate(TOKENS)), encoding="utf-8")
    return folder


def tone_bursts(pattern: str, *, sr: int = 16000, burst_s: float = 0.4, gap_s: float = 0.3, amp: float = 0.3) -> np.ndarray:
    """Audio of tone bursts: "L" a 300 Hz burst ("hello"), "H" a 3 kHz one ("world"), "_" a pause."""
    parts = [np.zeros(int(gap_s * sr), np.float32)]
    t = np.arange(int(burst_s * sr)) / sr
    for ch in pattern:
        if ch == "_":
            parts.append(np.zeros(int(burst_s * sr), np.float32))
        else:
            hz = 300.0 if ch == "L" else 3000.0
            parts.append((amp * np.sin(2 * np.pi * hz * t)).astype(np.float32))
        parts.append(np.zeros(int(gap_s * sr), np.float32))
    return np.concatenate(parts)

