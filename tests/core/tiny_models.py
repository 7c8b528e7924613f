"""Tiny random models of the real classes, saved to disk and loaded back through ``from_pretrained``.

Model hubs are unreachable in tests, so these builders make the smallest checkpoints that run the
same transformers code paths as the real ones (see DESIGN.md, "Testing the neural backends without
their weights"). Every builder writes a folder that ``AutoProcessor``/``AutoModel*`` load exactly as
they would load a downloaded checkpoint, with safetensors weights only.

Builders are deterministic (seeded) and fast (well under a second each on a laptop CPU); tests
should still build them once per session (``scope="session"`` fixtures).
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

QWEN3_SPECIALS = [
    "<|endoftext|>",
    "<|im_start|>",
    "<|im_end|>",
    "<|audio_start|>",
    "<|audio_pad|>",
    "<|audio_end|>",
    "<timestamp>",
]

# The production checkpoint ships its own template; ours renders the same plain prompt the
# backend builds itself: the audio placeholder, then each word followed by two timestamp slots.
QWEN3_TINY_CHAT_TEMPLATE = (
    "{%- for message in messages -%}"
    "{%- for item in message['content'] -%}"
    "{%- if item['type'] == 'audio' -%}<|audio_start|><|audio_pad|><|audio_end|>"
    "{%- elif item['type'] == 'text' -%}{{ item['text'] }}<timestamp><timestamp>"
    "{%- endif -%}"
    "{%- endfor -%}"
    "{%- endfor -%}"
)

_BPE_CORPUS = [
    "hello world this is a tiny test of the forced aligner",
    "the quick brown fox jumps over the lazy dog 0123456789",
    "americans don't like numbers like 1984 or 42",
    "bonjour le monde guten tag hola mundo ciao mondo",
    "你好世界 我们 こんにちは 안녕하세요",
]

CTC_CHARS = list("abcdefghijklmnopqrstuvwxyz'")


def build_tiny_qwen3_aligner(
    folder: str | Path,
    *,
    num_labels: int = 64,
    timestamp_segment_time: float = 80,
    predict_class: int | None = None,
    seed: int = 0,
) -> Path:
    """A 2-layer Qwen3-ForcedAligner (audio encoder + text model) with a trained byte-level BPE.

    ``num_labels`` classes of ``timestamp_segment_time`` ms each: the default 64 x 80 ms covers
    5.12 s, so random weights readily predict times past the end of a few seconds of audio.
    ``predict_class`` gives the classifier head a bias that makes every slot predict that class
    (deterministic garbage: equal starts, zero durations, times past a short clip's end).
    """
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import (
        Qwen2TokenizerFast,
        Qwen3ASRConfig,
        Qwen3ASRFeatureExtractor,
        Qwen3ASRForTokenClassification,
        Qwen3ASRProcessor,
    )

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)

    bpe = Tokenizer(models.BPE())
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=400,
        special_tokens=QWEN3_SPECIALS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    bpe.train_from_iterator(_BPE_CORPUS, trainer=trainer)
    tokenizer = Qwen2TokenizerFast(
        tokenizer_object=bpe,
        eos_token="<|endoftext|>",
        pad_token="<|endoftext|>",
        unk_token=None,
        extra_special_tokens={
            "audio_token": "<|audio_pad|>",
            "audio_bos_token": "<|audio_start|>",
            "audio_eos_token": "<|audio_end|>",
        },
    )
    processor = Qwen3ASRProcessor(
        feature_extractor=Qwen3ASRFeatureExtractor(),
        tokenizer=tokenizer,
        chat_template=QWEN3_TINY_CHAT_TEMPLATE,
        timestamp_segment_time=timestamp_segment_time,
    )

    ids = {tok: tokenizer.convert_tokens_to_ids(tok) for tok in QWEN3_SPECIALS}
    config = Qwen3ASRConfig(
        audio_config={
            "encoder_layers": 2,
            "encoder_attention_heads": 2,
            "encoder_ffn_dim": 32,
            "d_model": 16,
            "downsample_hidden_size": 4,
            "output_dim": 32,
            "num_mel_bins": 128,
        },
        text_config={
            "vocab_size": len(tokenizer),
            "hidden_size": 32,
            "intermediate_size": 64,
            "num_hidden_layers": 2,
            "num_attention_heads": 2,
            "num_key_value_heads": 1,
            "head_dim": 16,
            "max_position_embeddings": 4096,
        },
        audio_token_id=ids["<|audio_pad|>"],
        timestamp_token_id=ids["<timestamp>"],
        pad_token_id=ids["<|endoftext|>"],
        eos_token_id=ids["<|endoftext|>"],
        num_labels=num_labels,
        token_classification_bias=predict_class is not None,
    )
    torch.manual_seed(seed)
    model = Qwen3ASRForTokenClassification(config).eval()
    if predict_class is not None:
        with torch.no_grad():
            model.score.bias.zero_()
            model.score.bias[predict_class] = 50.0
    model.save_pretrained(folder)
    processor.save_pretrained(folder)
    return folder


def build_tiny_ctc(
    folder: str | Path,
    *,
    num_hidden_layers: int = 2,
    leak_free: bool = False,
    uppercase: bool = False,
    conv_stride: tuple[int, ...] = (5, 2, 2, 2, 2, 2, 2),
    conv_kernel: tuple[int, ...] = (10, 3, 3, 3, 3, 2, 2),
    seed: int = 0,
) -> Path:
    """A tiny Wav2Vec2ForCTC with a character vocabulary (``|`` word delimiter, ``<pad>`` blank).

    ``leak_free`` makes a model whose output frame depends only on nearby audio (no transformer
    layers, per-frame layer norms, no per-utterance input normalisation), so emissions computed in
    overlapping windows must equal those of one pass exactly. ``conv_stride`` sets the frame
    length (the product of the strides: 320 samples = 20 ms by default).
    """
    import torch
    from transformers import (
        Wav2Vec2Config,
        Wav2Vec2CTCTokenizer,
        Wav2Vec2FeatureExtractor,
        Wav2Vec2ForCTC,
        Wav2Vec2Processor,
    )

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    chars = [c.upper() for c in CTC_CHARS] if uppercase else CTC_CHARS
    vocab = {"<pad>": 0, "<s>": 1, "</s>": 2, "<unk>": 3, "|": 4}
    for c in chars:
        vocab[c] = len(vocab)
    vocab_file = folder / "vocab.json"
    vocab_file.write_text(json.dumps(vocab), encoding="utf-8")
    tokenizer = Wav2Vec2CTCTokenizer(
        str(vocab_file), unk_token="<unk>", pad_token="<pad>", word_delimiter_token="|", do_lower_case=False
    )
    feature_extractor = Wav2Vec2FeatureExtractor(
        feature_size=1,
        sampling_rate=16000,
        padding_value=0.0,
        do_normalize=not leak_free,
        return_attention_mask=False,
    )
    config = Wav2Vec2Config(
        vocab_size=len(vocab),
        hidden_size=16,
        num_hidden_layers=0 if leak_free else num_hidden_layers,
        num_attention_heads=2,
        intermediate_size=32,
        conv_dim=(8,) * len(conv_stride),
        conv_stride=tuple(conv_stride),
        conv_kernel=tuple(conv_kernel),
        feat_extract_norm="layer" if leak_free else "group",
        num_conv_pos_embeddings=16,
        num_conv_pos_embedding_groups=2,
        do_stable_layer_norm=leak_free,
        pad_token_id=0,
        ctc_loss_reduction="mean",
        apply_spec_augment=False,
    )
    torch.manual_seed(seed)
    model = Wav2Vec2ForCTC(config).eval()
    model.save_pretrained(folder)
    Wav2Vec2Processor(feature_extractor=feature_extractor, tokenizer=tokenizer).save_pretrained(folder)
    return folder


@contextlib.contextmanager
def one_torch_thread():
    """Run torch on one thread: tiny models spend more on thread hand-offs than on maths, badly so
    on a shared 2-core machine. The previous setting comes back afterwards."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)
