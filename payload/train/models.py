"""Where the base model and its tokenizer come from: a config (tiny), S3 (staged), or the Hub.

Seed tip 13: pulling a large model from the Hub inside the job can time out; staging it in S3 and
pulling it with s5cmd is the robust path. Either way only local rank 0 of each node downloads, and
the other ranks wait at a barrier and then read the node's copy (tip 7).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import torch
from transformers import AutoConfig, AutoModelForCausalLM, AutoModelForSeq2SeqLM, AutoTokenizer, PreTrainedModel

import tiny_model
import transfer
from arguments import TINY_MODEL_ID, ModelArguments
from distributed import local_main_only


def staged_model_dir() -> Path:
    # Node-local disk; tempfile honours TMPDIR, which a rehearsal sets per "node".
    return Path(tempfile.gettempdir()) / "base-model"


def fetch(args: ModelArguments) -> str:
    """What from_pretrained should read: a local folder for s3, the Hub id for hub (cached by rank 0)."""
    if args.model_source == "config":
        return args.model_id
    if args.model_source == "s3":
        target = staged_model_dir()
        with local_main_only() as mine:
            if mine:
                done = transfer.download_prefix(str(args.model_s3_uri), target)
                print(f"models: pulled {done.files} files of {args.model_s3_uri} with {done.tool}", flush=True)
        return str(target)
    with local_main_only() as mine:
        if mine:
            from huggingface_hub import snapshot_download

            # Weights for other frameworks are skipped: they can be as large as the PyTorch ones.
            snapshot_download(
                args.model_id, ignore_patterns=["*.msgpack", "*.h5", "*.ot", "tf_model*", "flax_model*", "rust_model*"]
            )
    return args.model_id


def load_tokenizer(args: ModelArguments, location: str) -> Any:
    if args.model_source == "config" and args.model_id == TINY_MODEL_ID:
        return tiny_model.tokenizer()
    tokenizer = AutoTokenizer.from_pretrained(location)
    if tokenizer.pad_token_id is None:  # most causal LMs ship without one
        tokenizer.pad_token = tokenizer.eos_token
    return tokenizer


def load_model(args: ModelArguments, location: str, seed: int) -> PreTrainedModel:
    auto = AutoModelForSeq2SeqLM if args.model_kind == "seq2seq" else AutoModelForCausalLM
    if args.model_source == "config":
        if args.model_id != TINY_MODEL_ID:
            # An architecture with random weights (a folder holding config.json and a tokenizer):
            # benchmarks at real size where weights cannot be downloaded. from_config builds it
            # under DeepSpeed's zero.Init when ZeRO-3 is on, so it is partitioned as it is made.
            torch.manual_seed(seed)
            return auto.from_config(AutoConfig.from_pretrained(location))
        if args.model_kind != "seq2seq":
            raise ValueError(f"{args.model_id} is a seq2seq model; --model_kind {args.model_kind} does not fit it")
        return tiny_model.model(seed)
    return auto.from_pretrained(location)
