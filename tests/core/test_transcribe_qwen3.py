"""Qwen3-ASR through transformers: a tiny ``Qwen3ASRForConditionalGeneration`` saved with
``save_pretrained`` and loaded back with ``AutoProcessor``/``AutoModelForMultimodalLM``, run by the
real processor prompt, ``generate`` and ``decode(..., return_format="parsed")``."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")
if not hasattr(transformers, "Qwen3ASRForConditionalGeneration"):
    pytest.skip("this transformers has no Qwen3-ASR", allow_module_level=True)

from aligner_core.document import Flag  # noqa: E402
from aligner_core.messages import message_of  # noqa: E402
from aligner_core.transcribe import RecogniserUnavailable, TranscribeError, TranscribeRequest, transcribe  # noqa: E402
from aligner_core.transcribe.qwen3_asr import Qwen3AsrRecogniser  # noqa: E402

from .tiny_qwen3_asr import build_tiny_qwen3_asr  # noqa: E402


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return build_tiny_qwen3_asr(tmp_path_factory.mktemp("qwen3_asr"))


def _speechy(seconds: float = 2.0, seed: int = 0) -> np.ndarray:
    sr = 16000
    rng = np.random.default_rng(seed)
    env = (0.5 + 0.5 * np.sin(2 * np.pi * 4 * np.arange(int(seconds * sr)) / sr)) ** 2
    body = (0.2 * env * rng.standard_normal(len(env))).astype(np.float32)
    pad = np.zeros(sr // 2, np.float32)
    return np.concatenate([pad, body, pad])


def test_a_batch_is_decoded_and_parsed_with_the_forced_language(tiny):
    rec = Qwen3AsrRecogniser(str(tiny), language="en")
    heard = rec.decode([_speechy(1.0), _speechy(2.0, seed=1)])
    assert [[w.text for w in h.words] for h in heard] == [["hello", "world"]] * 2
    assert all(h.language == "en" and h.words[0].start_ms is None for h in heard)


def test_transcribe_drafts_words_without_times_into_one_cue_per_segment(tiny):
    result = transcribe(TranscribeRequest(_speechy(), asr="qwen3-asr", model=str(tiny), language="en", align=False))
    doc = result.document
    doc.check()
    assert [t.text for t in doc.tokens] == ["hello", "world"]
    assert all(t.flags & Flag.DRAFT and t.start is None for t in doc.tokens)
    (cue,) = doc.cues
    assert (cue.first, cue.last) == (0, 1) and cue.start is not None and cue.end > cue.start
    assert result.summary.recogniser == "qwen3-asr" and not result.summary.aligned


def test_a_language_qwen3_asr_lacks_is_one_sentence(tiny):
    with pytest.raises(TranscribeError) as exc:
        transcribe(TranscribeRequest(_speechy(), asr="qwen3-asr", model=str(tiny), language="tlh"))
    assert message_of(exc.value).code == "asr_language_unknown"


def test_a_damaged_checkpoint_is_one_sentence(tiny, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(tiny, broken)
    (broken / "config.json").write_text("{ not json", encoding="utf-8")
    with pytest.raises(RecogniserUnavailable) as exc:
        transcribe(TranscribeRequest(_speechy(), asr="qwen3-asr", model=str(broken), language="en"))
    assert message_of(exc.value).code == "asr_model_damaged"
    assert "\n" not in str(exc.value)
