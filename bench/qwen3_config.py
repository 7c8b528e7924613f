"""The full-size Qwen3-ForcedAligner-0.6B configuration, for benches that build it with random weights.

Model hubs are unreachable here, so the numbers are copied from the checkpoint's config.json
(``thinker_config``) as three independent public re-implementations pin it: a Rust port's
"pinned architecture" test (Qwen3-ForcedAligner-0.6B, 8-bit conversion), a Python MLX runtime's
test that "mirrors mlx-community/Qwen3-ForcedAligner-0.6B-4bit config.json", and a Swift port's
decoding test of the Hugging Face forced-aligner config; all three agree. The aligner's audio
encoder is the larger one (24 layers, d_model 1024), not the 18-layer/896 encoder of
Qwen3-ASR-0.6B, and its text model does not tie the embeddings (vocabulary 152064).
Token ids are the real tokenizer's; benches that bring their own tokenizer replace them.
"""

FULL_CONFIG = {
    "audio_config": {
        "num_mel_bins": 128,
        "encoder_layers": 24,
        "encoder_attention_heads": 16,
        "encoder_ffn_dim": 4096,
        "d_model": 1024,
        "output_dim": 1024,
        "max_source_positions": 1500,
        "n_window": 50,
        "n_window_infer": 800,
        "downsample_hidden_size": 480,
        "scale_embedding": False,
        "activation_function": "gelu",
    },
    "text_config": {
        "vocab_size": 152064,
        "hidden_size": 1024,
        "intermediate_size": 3072,
        "num_hidden_layers": 28,
        "num_attention_heads": 16,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "max_position_embeddings": 65536,
        "rope_theta": 1000000,
        "rms_norm_eps": 1e-6,
        "tie_word_embeddings": False,
    },
    "audio_token_id": 151676,
    "timestamp_token_id": 151705,
    "pad_token_id": 151645,
    "eos_token_id": 151645,
    "num_labels": 5000,  # classify_num: 5000 classes ...
    "timestamp_segment_time": 80,  # ... of 80 ms
    "tie_word_embeddings": False,
}
AUDIO_START, AUDIO_END = 151669, 151670
