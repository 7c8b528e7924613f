"""The CPU's default Qwen3 precision predicts the same timestamp classes as fp32 on the tiny model.

What this can prove with random weights: the mode's whole path runs (weights converted, features
cast, every layer and the classifier in the mode's arithmetic) and its rounding does not move the
argmax on windows where fp32's top class leads by more than rounding noise; a broken conversion
(features left in the wrong dtype, a layer skipped, garbage logits) changes classes at once.
Measured here: bf16 changes logits by at most 0.003 and int8 by 0.005; each flips 3-5 of the
224 slots, all nearly tied in fp32 (lead under 0.0021). What it cannot prove: that a trained
checkpoint keeps its accuracy. Trained logits are sharper
than random ones (which helps) but trained activations have outliers that bf16 and int8 round
differently (which may hurt); only the real weights can show that, on a machine that has them.
bench/qwen3_cpu.py times the modes on the full-size configuration.
"""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")

from aligner_core.align.backends.qwen3 import Qwen3Backend, cpu_precision  # noqa: E402
from aligner_core.align.backends.qwen3_words import SpokenWord  # noqa: E402

from .tiny_models import build_tiny_qwen3_aligner, one_torch_thread  # noqa: E402

SENTENCES = [
    "Hello, world! This is the U.S. economy in 2024.",
    "the quick brown fox jumps over the lazy dog",
    "Don’t stop — it’s rock’n’roll, isn't it?",
    "你好，世界！我用AI和GPT-4写了3.14个程序。",
    "bonjour le monde guten tag hola mundo ciao mondo",
    "americans don't like numbers like 1984 or 42",
]
# (seconds of audio, sentence, seed): the tiny model's windows, short to the full 64 x 80 ms.
WINDOWS = [(s, k % len(SENTENCES), k) for k, s in enumerate([0.6, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 1.2, 2.8])]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return build_tiny_qwen3_aligner(tmp_path_factory.mktemp("qwen3_precision"))


# Random weights give flat logits (spread about 0.12, median lead of the top class about 0.01), so
# a slot whose top two classes are nearly tied flips under any rounding. A slot whose top class
# leads by more than this is decided, and must keep its class.
DECIDED = 0.005


def _slot_logits(backend: Qwen3Backend):
    """The logits of every timestamp slot of every window, from the model's own forward pass."""
    import torch

    model = backend._model
    ts_id = int(model.config.timestamp_token_id)
    seen: list = []
    pre = model.register_forward_pre_hook(lambda m, a, kw: seen.append(kw["input_ids"]), with_kwargs=True)
    post = model.register_forward_hook(lambda m, a, out: seen.append(out.logits.float()))
    out = []
    try:
        for seconds, sentence, seed in WINDOWS:
            rng = np.random.default_rng(seed)
            audio = (rng.standard_normal(int(16000 * seconds)) * 0.1).astype(np.float32)
            words = [SpokenWord((w.lower(),), w) for w in SENTENCES[sentence].split()]
            seen.clear()
            backend.align_window(audio, words, "zh" if sentence == 3 else "en")
            ids, logits = seen
            out.append(logits[0][ids[0] == ts_id])
    finally:
        pre.remove()
        post.remove()
    return torch.cat(out)


def _loaded(folder, mode: str) -> Qwen3Backend:
    backend = Qwen3Backend(str(folder), device="cpu", allow_download=False, precision=mode)
    backend.load()
    assert backend.precision == mode
    return backend


@pytest.fixture(scope="module")
def fp32_logits(folder):
    with one_torch_thread():
        return _slot_logits(_loaded(folder, "fp32"))


def _check(folder, fp32_logits, mode: str) -> None:
    with one_torch_thread():
        got = _slot_logits(_loaded(folder, mode))
    assert got.shape == fp32_logits.shape and got.shape[0] > 200
    top2 = fp32_logits.topk(2, dim=-1).values
    decided = (top2[:, 0] - top2[:, 1]) > DECIDED
    same = fp32_logits.argmax(-1) == got.argmax(-1)
    assert int(decided.sum()) > 0.6 * len(decided)  # the check is about most slots, not a few
    assert bool(same[decided].all()), f"{mode} moved {int((~same[decided]).sum())} decided timestamp classes"
    assert float(same.float().mean()) >= 0.95, f"{mode}: {float(same.float().mean()):.1%} of classes equal fp32's"


def test_cpu_default_precision_agrees_with_fp32(folder, fp32_logits):
    _check(folder, fp32_logits, cpu_precision())


@pytest.mark.parametrize("mode", ["bf16", "int8"])
def test_every_cpu_mode_agrees_with_fp32(folder, fp32_logits, mode):
    _check(folder, fp32_logits, mode)
