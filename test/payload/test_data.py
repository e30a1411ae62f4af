"""data.py: the seed's tokenization recipe on the tiny byte-level tokenizer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import tiny_model
from conftest import TRAIN
from data import IGNORE_INDEX, PROMPT_TEMPLATE, causal_features, percentile_length, prompt, seq2seq_features

ROWS = [json.loads(line) for line in (TRAIN / "data" / "tiny.jsonl").read_text().splitlines()]


def test_tiny_dataset_is_shipped_and_shaped_like_cnn_dailymail() -> None:
    assert len(ROWS) >= 24
    assert all(set(row) >= {"article", "highlights"} and len(row["article"]) > len(row["highlights"]) for row in ROWS)


def test_percentile_is_nearest_rank() -> None:
    assert percentile_length(list(range(1, 101))) == 95
    assert percentile_length([7]) == 7
    assert percentile_length([3, 1, 2], 100) == 3
    with pytest.raises(ValueError):
        percentile_length([])


def test_long_articles_keep_the_end_of_the_prompt() -> None:
    tok = tiny_model.tokenizer()
    text = prompt(tok, "x" * 5000, max_source_length=100)
    assert text.endswith("\nSummary:\n") and text.startswith("Summarize the following news article:\n")
    assert len(tok(text)["input_ids"]) <= 100
    with pytest.raises(ValueError, match="no room"):
        prompt(tok, "x", max_source_length=10)


def test_seq2seq_features_pad_to_fixed_lengths_and_mask_label_padding() -> None:
    tok = tiny_model.tokenizer()
    batch = {"article": [r["article"] for r in ROWS[:3]], "highlights": [r["highlights"] for r in ROWS[:3]]}
    out = seq2seq_features(batch, tok, "article", "highlights", max_source_length=128, max_target_length=200)
    assert all(len(ids) == 128 for ids in out["input_ids"])
    assert all(len(labels) == 200 for labels in out["labels"])
    assert tok.pad_token_id not in sum(out["labels"], [])
    assert IGNORE_INDEX in out["labels"][0]  # the highlights are shorter than 200 bytes
    assert (
        tok.decode([t for t in out["labels"][0] if t != IGNORE_INDEX], skip_special_tokens=True)
        == ROWS[0]["highlights"]
    )


def test_causal_features_train_only_on_the_summary() -> None:
    tok = tiny_model.tokenizer()
    batch = {"article": [ROWS[0]["article"]], "highlights": [ROWS[0]["highlights"]]}
    out = causal_features(batch, tok, "article", "highlights", max_source_length=128, max_target_length=160)
    ids, labels, mask = out["input_ids"][0], out["labels"][0], out["attention_mask"][0]
    assert len(ids) == len(labels) == len(mask) == 288
    seen = [t for t in labels if t != IGNORE_INDEX]
    assert tok.decode(seen, skip_special_tokens=True) == ROWS[0]["highlights"] and seen[-1] == tok.eos_token_id
    assert PROMPT_TEMPLATE.split("{input}")[0] in tok.decode(ids, skip_special_tokens=True)


def test_prepare_data_writes_train_and_test(prepared_data: Path) -> None:
    from datasets import load_from_disk

    train, test = load_from_disk(str(prepared_data / "train")), load_from_disk(str(prepared_data / "test"))
    assert len(train) + len(test) == len(ROWS) and len(test) >= 1
    assert set(train.column_names) == {"input_ids", "attention_mask", "labels"}
