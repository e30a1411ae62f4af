"""zerostack/tiny-t5: a T5 built from a config with a byte-level tokenizer, so nothing is downloaded.

The sizes match the catalog entry on the TypeScript side (program/spec/models.ts: d_model 64,
2 encoder + 2 decoder layers, 4 heads, vocab 384, about 0.3M parameters). ByT5's tokenizer maps
UTF-8 bytes to ids and needs no vocabulary file, and 256 bytes + 3 specials + 125 sentinels = 384.

The output projection shares the input embedding (271,360 parameters): transformers 5's T5Config
ties them whatever tie_word_embeddings says, and reads tie_word_embeddings=False as "do not scale
the decoder output by d_model**-0.5". Unscaled, a tied 64-wide embedding of std 1 gives logits of
std ~8 and a first loss near 70 instead of ln(384) ~ 6, so the tiny model asks for the tie it gets,
with the scaling that goes with it (original T5's design).
"""

from __future__ import annotations

from transformers import ByT5Tokenizer, T5Config, T5ForConditionalGeneration


def tokenizer() -> ByT5Tokenizer:
    return ByT5Tokenizer()


def config() -> T5Config:
    tok = tokenizer()
    return T5Config(
        vocab_size=len(tok),
        d_model=64,
        d_kv=16,
        d_ff=192,
        num_layers=2,
        num_decoder_layers=2,
        num_heads=4,
        feed_forward_proj="gated-gelu",
        tie_word_embeddings=True,
        pad_token_id=tok.pad_token_id,
        eos_token_id=tok.eos_token_id,
        # T5 starts decoding from the pad id.
        decoder_start_token_id=tok.pad_token_id,
    )


def model(seed: int = 42) -> T5ForConditionalGeneration:
    import torch

    # Same initial weights on every rank, so DDP's first broadcast changes nothing.
    torch.manual_seed(seed)
    return T5ForConditionalGeneration(config())
