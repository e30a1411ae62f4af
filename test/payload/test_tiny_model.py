"""zerostack/tiny-t5 matches the TypeScript catalog and builds with nothing downloaded."""

from __future__ import annotations

import tiny_model


def test_tiny_t5_matches_the_catalog_entry() -> None:
    # program/spec/models.ts: hidden 64, 4 layers (2 decoder), 4 heads, head dim 16, vocab 384, ~0.3M params
    config = tiny_model.config()
    assert (config.d_model, config.num_layers + config.num_decoder_layers, config.num_decoder_layers) == (64, 4, 2)
    assert (config.num_heads, config.d_kv, config.vocab_size) == (4, 16, 384)
    params = sum(p.numel() for p in tiny_model.model().parameters())
    assert 250_000 < params < 350_000


def test_same_seed_same_weights() -> None:
    a, b = tiny_model.model(seed=3), tiny_model.model(seed=3)
    assert all((x == y).all() for x, y in zip(a.parameters(), b.parameters(), strict=True))
