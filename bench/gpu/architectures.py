"""The benchmark's models: the real architectures (config.json values from the Hub, as of 2025-06),
written as folders with config.json and a byte-level tokenizer, for train.py's
`--model_source config --model_id <folder>` (random weights: nothing can be downloaded there).

FLOPs per sample (model FLOPs, what MFU counts): 6 x parameters x tokens each parameter sees.
A T5's encoder blocks see the source tokens; its decoder blocks and LM head see the target tokens;
embedding lookups do no matrix work and are left out. A causal LM's blocks and head see every
token. Attention's score/context products (s^2 terms) are left out, as in the issue's reference
figures. Gradient checkpointing re-runs each forward once: hardware FLOPs are then 8 x, not 6 x;
MFU keeps 6 x (recompute is overhead, not model work).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

FLAN_T5_XL = {
    "model_type": "t5",
    "vocab_size": 32128,
    "d_model": 2048,
    "d_kv": 64,
    "d_ff": 5120,
    "num_layers": 24,
    "num_decoder_layers": 24,
    "num_heads": 32,
    "relative_attention_num_buckets": 32,
    "relative_attention_max_distance": 128,
    "feed_forward_proj": "gated-gelu",
    "dense_act_fn": "gelu_new",
    "is_gated_act": True,
    "tie_word_embeddings": False,
    "layer_norm_epsilon": 1e-6,
    "dropout_rate": 0.1,
    "pad_token_id": 0,
    "eos_token_id": 1,
    "decoder_start_token_id": 0,
    "use_cache": False,
}

LLAMA_31_8B = {
    "model_type": "llama",
    "vocab_size": 128256,
    "hidden_size": 4096,
    "intermediate_size": 14336,
    "num_hidden_layers": 32,
    "num_attention_heads": 32,
    "num_key_value_heads": 8,
    "max_position_embeddings": 131072,
    "rms_norm_eps": 1e-5,
    "rope_theta": 500000.0,
    "rope_scaling": {
        "rope_type": "llama3",
        "factor": 8.0,
        "low_freq_factor": 1.0,
        "high_freq_factor": 4.0,
        "original_max_position_embeddings": 8192,
    },
    "hidden_act": "silu",
    "tie_word_embeddings": False,
    "bos_token_id": 128000,
    "eos_token_id": 128001,
    "pad_token_id": 0,
    "use_cache": False,
}

# flan-t5-xl's shape shrunk to a few million parameters: a dry run of the stages on CPU.
T5_MINI = {
    **FLAN_T5_XL,
    "d_model": 128,
    "d_kv": 32,
    "d_ff": 256,
    "num_layers": 2,
    "num_decoder_layers": 2,
    "num_heads": 4,
}

ARCHITECTURES: dict[str, dict[str, Any]] = {"flan-t5-xl": FLAN_T5_XL, "llama-3.1-8b": LLAMA_31_8B, "t5-mini": T5_MINI}


def config(name: str):  # type: ignore[no-untyped-def]
    from transformers import AutoConfig

    values = dict(ARCHITECTURES[name])
    return AutoConfig.for_model(values.pop("model_type"), **values)


def write_folder(name: str, folder: Path) -> Path:
    """config.json + a ByT5 tokenizer (byte ids, inside every vocabulary here) in `folder`."""
    from transformers import ByT5Tokenizer

    folder.mkdir(parents=True, exist_ok=True)
    config(name).save_pretrained(folder)
    ByT5Tokenizer().save_pretrained(folder)
    return folder


def parameter_split(model) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Parameters by the tokens they see: {'source': ..., 'target': ..., 'embedding': ...}."""
    split = {"source": 0, "target": 0, "embedding": 0}
    for name, p in model.named_parameters():
        n = p.numel()
        if name.endswith(("shared.weight", "embed_tokens.weight")):
            split["embedding"] += n
        elif name.startswith("encoder."):
            split["source"] += n
        else:  # decoder blocks, lm_head; a causal LM's blocks and head
            split["target"] += n
    return split


def flops_per_sample(split: dict[str, int], kind: str, source_len: int, target_len: int) -> float:
    """Model FLOPs of one training sample (forward + backward = 6 x params x tokens)."""
    if kind == "seq2seq":
        return 6.0 * (split["source"] * source_len + split["target"] * target_len)
    return 6.0 * (split["source"] + split["target"]) * (source_len + target_len)
