"""Turning article/summary pairs into model inputs, the seed's way.

Inputs are the article behind the prompt below, padded/truncated to about 500 tokens; targets are
padded/truncated to the 95th percentile of target lengths (the longest 5% are cut rather than
padding every example to the longest); padding in the labels becomes -100 so the loss ignores it.
Fixed lengths keep every batch the same shape, which DeepSpeed and the GPU like.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

PROMPT_TEMPLATE = "Summarize the following news article:\n{input}\nSummary:\n"
IGNORE_INDEX = -100  # what the HF losses skip


def percentile_length(lengths: Sequence[int], percentile: float = 95.0) -> int:
    """Nearest-rank percentile: the smallest length that covers `percentile` % of the examples."""
    if not lengths:
        raise ValueError("no examples to measure")
    ordered = sorted(lengths)
    rank = math.ceil(percentile / 100.0 * len(ordered))
    return ordered[max(rank, 1) - 1]


def prompt(tokenizer: Any, article: str, max_source_length: int) -> str:
    """The prompt with the article shortened so that "Summary:" survives truncation.

    Truncating the whole prompt (as the seed did) cuts the instruction's tail off every long
    article; instead the article gets the tokens the template leaves.
    """
    overhead = len(tokenizer(PROMPT_TEMPLATE.format(input=""))["input_ids"])
    budget = max_source_length - overhead
    if budget <= 0:
        raise ValueError(
            f"max_source_length {max_source_length} leaves no room for the article (the prompt takes {overhead})"
        )
    ids = tokenizer(article, add_special_tokens=False, truncation=True, max_length=budget)["input_ids"]
    return PROMPT_TEMPLATE.format(input=tokenizer.decode(ids, skip_special_tokens=True))


def mask_padding(ids: list[int], pad_token_id: int) -> list[int]:
    return [IGNORE_INDEX if t == pad_token_id else t for t in ids]


def seq2seq_features(
    batch: dict[str, list[str]],
    tokenizer: Any,
    text_column: str,
    summary_column: str,
    max_source_length: int,
    max_target_length: int,
) -> dict[str, list[list[int]]]:
    prompts = [prompt(tokenizer, a, max_source_length) for a in batch[text_column]]
    model_inputs = tokenizer(prompts, max_length=max_source_length, padding="max_length", truncation=True)
    labels = tokenizer(
        text_target=batch[summary_column], max_length=max_target_length, padding="max_length", truncation=True
    )
    model_inputs["labels"] = [mask_padding(ids, tokenizer.pad_token_id) for ids in labels["input_ids"]]
    return dict(model_inputs)


def causal_features(
    batch: dict[str, list[str]],
    tokenizer: Any,
    text_column: str,
    summary_column: str,
    max_source_length: int,
    max_target_length: int,
) -> dict[str, list[list[int]]]:
    """Prompt and summary in one sequence; the loss only sees the summary (prompt and padding -100)."""
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
    out: dict[str, list[list[int]]] = {"input_ids": [], "attention_mask": [], "labels": []}
    total = max_source_length + max_target_length
    for article, summary in zip(batch[text_column], batch[summary_column], strict=True):
        source = tokenizer(prompt(tokenizer, article, max_source_length), add_special_tokens=False)["input_ids"][
            :max_source_length
        ]
        target = tokenizer(summary, add_special_tokens=False)["input_ids"][: max_target_length - 1] + [
            tokenizer.eos_token_id
        ]
        ids = source + target
        labels = [IGNORE_INDEX] * len(source) + target
        padding = total - len(ids)
        out["input_ids"].append(ids + [pad] * padding)
        out["attention_mask"].append([1] * len(ids) + [0] * padding)
        out["labels"].append(labels + [IGNORE_INDEX] * padding)
    return out


def target_lengths(summaries: Sequence[str], tokenizer: Any) -> list[int]:
    return [len(ids) for ids in tokenizer(text_target=list(summaries))["input_ids"]]
