"""Tokenize a summarization set for training and put it where the training job reads it.

    python prepare_data.py --input data/tiny.jsonl --model_id zerostack/tiny-t5 \
        --output_dir /tmp/prepared --s3_uri s3://bucket/datasets/tiny

reads a JSONL file (one {"article": ..., "highlights": ...} per line) or a `save_to_disk` folder,
splits off a test set, tokenizes both with the model's tokenizer (see data.py for the seed's
recipe), saves them with save_to_disk under <output_dir>/train and <output_dir>/test, and uploads
those to <s3_uri>/train/ and <s3_uri>/test/, the prefixes the job's channels point at.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from datasets import Dataset, DatasetDict, load_from_disk
from transformers import HfArgumentParser

import data
import transfer
from arguments import TINY_MODEL_ID, ModelArguments
from models import load_tokenizer


@dataclass
class PrepareArguments:
    input: str = field(metadata={"help": "A .jsonl file or a save_to_disk folder (Dataset or DatasetDict)."})
    output_dir: str = field(metadata={"help": "Where train/ and test/ are saved."})
    model_id: str = field(default=TINY_MODEL_ID)
    model_kind: Literal["seq2seq", "causal"] = field(default="seq2seq")
    text_column: str = field(default="article")
    summary_column: str = field(default="highlights")
    max_source_length: int = field(
        default=500, metadata={"help": "Input tokens: padded/truncated to this (the seed used ~500)."}
    )
    max_target_length: int | None = field(
        default=None, metadata={"help": "Default: 95th percentile of target lengths."}
    )
    target_percentile: float = field(default=95.0)
    test_size: float = field(
        default=0.1, metadata={"help": "Fraction split off as test when the input has no test split."}
    )
    seed: int = field(default=42)
    s3_uri: str | None = field(default=None, metadata={"help": "s3:// prefix; train/ and test/ are uploaded under it."})


def read_input(path: str) -> DatasetDict:
    if Path(path).is_dir():
        loaded = load_from_disk(path)
        return loaded if isinstance(loaded, DatasetDict) else DatasetDict({"train": loaded})
    with open(path) as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return DatasetDict({"train": Dataset.from_list(rows)})


def main() -> None:
    (args,) = HfArgumentParser(PrepareArguments).parse_args_into_dataclasses(args=sys.argv[1:])
    splits = read_input(args.input)
    if "test" not in splits:
        split = splits["train"].train_test_split(test_size=args.test_size, seed=args.seed)
        splits = DatasetDict({"train": split["train"], "test": split["test"]})
    tokenizer = load_tokenizer(ModelArguments(model_id=args.model_id, model_kind=args.model_kind), args.model_id)

    max_target_length = args.max_target_length
    if max_target_length is None:
        lengths = data.target_lengths(splits["train"][args.summary_column], tokenizer)
        max_target_length = data.percentile_length(lengths, args.target_percentile)
    print(
        f"prepare_data: max_source_length {args.max_source_length}, max_target_length {max_target_length}", flush=True
    )

    features = data.seq2seq_features if args.model_kind == "seq2seq" else data.causal_features
    for name, split in splits.items():
        tokenized = split.map(
            features,
            batched=True,
            remove_columns=split.column_names,
            fn_kwargs={
                "tokenizer": tokenizer,
                "text_column": args.text_column,
                "summary_column": args.summary_column,
                "max_source_length": args.max_source_length,
                "max_target_length": max_target_length,
            },
        )
        target = Path(args.output_dir) / name
        tokenized.save_to_disk(str(target))
        print(f"prepare_data: {name}: {len(tokenized)} examples -> {target}", flush=True)
        if args.s3_uri:
            done = transfer.upload_folder(target, f"{transfer.as_prefix(args.s3_uri)}{name}/")
            print(f"prepare_data: {name}: uploaded {done.files} files with {done.tool}", flush=True)


if __name__ == "__main__":
    main()
