"""A tiny Qwen3-ASR (``Qwen3ASRForConditionalGeneration``) saved and reloaded through ``from_pretrained``.

Random weights write random text, so the saved generation config carries a ``sequence_bias``
that makes greedy decoding say " hello world" and stop, whatever the audio: the test then proves
the real transformers path (processor prompt, audio encoder, ``generate``, ``decode(...,
return_format="parsed")``) end to end with an answer it can assert.
"""

from __future__ import annotations

from pathlib import Path

from .tiny_models import _BPE_CORPUS, QWEN3_SPECIALS

ASR_SPECIALS = [*QWEN3_SPECIALS]

# the production checkpoint ships its own template; this one renders the same turns
TINY_ASR_TEMPLATE = (
    "{%- for message in messages -%}"
    "<|im_start|>{{ message['role'] }}\n"
    "{%- for item in message['content'] -%}"
    "{%- if item['type'] == 'audio' -%}<|audio_start|><|audio_pad|><|audio_end|>"
    "{%- elif item['type'] == 'text' -%}{{ item['text'] }}"
    "{%- endif -%}"
    "{%- endfor -%}"
    "{%- if not loop.last -%}<|im_end|>\n{%- endif -%}"
    "{%- endfor -%}"
)


def build_tiny_qwen3_asr(folder: str | Path, *, seed: int = 0) -> Path:
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import (
        GenerationConfig,
        Qwen2TokenizerFast,
        Qwen3ASRConfig,
        Qwen3ASRFeatureExtractor,
        Qwen3ASRForConditionalGeneration,
        Qwen3ASRProcessor,
    )

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    bpe = Tokenizer(models.BPE())
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=400, special_tokens=ASR_SPECIALS, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    bpe.train_from_iterator([*_BPE_CORPUS, "language English language Chinese hello world"], trainer=trainer)
    tokenizer = Qwen2TokenizerFast(
        tokenizer_object=bpe,
        eos_token="<|im_end|>",
        pad_token="<|endoftext|>",
        unk_token=None,
        extra_special_tokens={"audio_token": "<|audio_pad|>", "audio_bos_token": "<|audio_start|>", "audio_eos_token": "<|audio_end|>"},
    )
    tokenizer.add_tokens(["<asr_text>"])  # a marker the parser reads, so not a special token
    processor = Qwen3ASRProcessor(feature_extractor=Qwen3ASRFeatureExtractor(), tokenizer=tokenizer, chat_template=TINY_ASR_TEMPLATE)
    ids = {tok: tokenizer.convert_tokens_to_ids(tok) for tok in ASR_SPECIALS}
    config = Qwen3ASRConfig(
        audio_config={"encoder_layers": 2, "encoder_attention_heads": 2, "encoder_ffn_dim": 32, "d_model": 16, "downsample_hidden_size": 4, "output_dim": 32, "num_mel_bins": 128},
        text_config={"vocab_size": len(tokenizer), "hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 2, "num_attention_heads": 2, "num_key_value_heads": 1, "head_dim": 16, "max_position_embeddings": 4096},
        audio_token_id=ids["<|audio_pad|>"],
        pad_token_id=ids["<|endoftext|>"],
        eos_token_id=ids["<|im_end|>"],
    )
    torch.manual_seed(seed)
    model = Qwen3ASRForConditionalGeneration(config).eval()
    hello = tokenizer.encode(" hello", add_special_tokens=False)
    world = tokenizer.encode(" world", add_special_tokens=False)
    eos = ids["<|im_end|>"]
    assert len(hello) == 1 and len(world) == 1, (hello, world)
    h, w = hello[0], world[0]
    model.generation_config = GenerationConfig(
        eos_token_id=eos,
        pad_token_id=ids["<|endoftext|>"],
        max_new_tokens=8,
        sequence_bias=[[[h], 100.0], [[h, h], -300.0], [[h, w], 200.0], [[w, eos], 400.0]],  # lists survive the JSON
    )
    model.save_pretrained(folder)
    processor.save_pretrained(folder)
    return folder
