"""Fine-tune a seq2seq (Seq2SeqTrainer) or causal LM (Trainer) on one rank of a multi-node job.

torchrun starts this once per GPU on every node (see start.py). It reads like the Hugging Face
example scripts: argument dataclasses parsed by HfArgumentParser, then one linear main().
The seed's lessons are defaults or guards here; payload/README.md lists where each one lives.
Nothing is created at module level: global CUDA-holding state fails jobs at exit (seed tip 8).
"""

from __future__ import annotations

import inspect
import logging
import os
import sys
from pathlib import Path
from typing import Any

import torch
from datasets import load_from_disk
from transformers import Seq2SeqTrainer, Trainer, TrainerCallback, default_data_collator, set_seed
from transformers.trainer_utils import IntervalStrategy

import cpu_ops
import deepspeed_config
import distributed
import hf_token
import models
import transfer
from arguments import EVAL_STRATEGY_FIELD, build_parser, seed_rule_problems
from throughput import ThroughputCallback

logger = logging.getLogger("zerostack.train")


def tokens_per_sample(dataset) -> int | None:  # type: ignore[no-untyped-def]
    """Token positions one example feeds the model, padding included (what the GPU computes on):
    source plus target for seq2seq, the one sequence for a causal LM (its labels are as long)."""
    if len(dataset) == 0:
        return None
    first = dataset[0]
    source, target = len(first["input_ids"]), len(first.get("labels") or [])
    return source if target == source else source + target


class DeepSpeedReport(TrainerCallback):
    """World rank 0 says, once the engine is up, that DeepSpeed trains and with what."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config

    def on_train_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if state.is_world_process_zero:
            logger.info(deepspeed_config.engine_summary(self.config, kwargs.get("optimizer"), args.bf16, args.fp16))


def main() -> None:
    has_gpu = torch.cuda.is_available()
    if not has_gpu:
        # DeepSpeed picks its accelerator when first imported (TrainingArguments' __post_init__):
        # on CPU that is its CPU accelerator, with gloo as the backend; the C++ ops it JIT-builds
        # there come from the venv's cache (built once, by scripts/bootstrap or the first run).
        cpu_ops.use_venv_cache()
    # A CPU run (rehearsal, CI) changes only what the CPU forces (fp16 off; bf16 off where gloo
    # refuses it), before TrainingArguments initialises DeepSpeed in its __post_init__.
    argv, cpu_notes = deepspeed_config.without_gpu_options(sys.argv[1:], has_gpu)
    model_args, data_args, job_args, training_args = build_parser(has_gpu).parse_args_into_dataclasses(args=argv)
    if job_args.epochs is not None:
        training_args.num_train_epochs = job_args.epochs

    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO, stream=sys.stdout)
    rank, nnodes = distributed.world_rank(), distributed.nnodes()
    logger.info(
        "rank %d of %d on %d node(s); model %s (%s, from %s); data %s",
        rank,
        distributed.world_size(),
        nnodes,
        model_args.model_id,
        model_args.model_kind,
        model_args.model_source,
        data_args.train_dir,
    )
    for note in cpu_notes:
        logger.info(note)

    # Guards: the seed's lessons that no hyperparameter may undo (tips 2-5, 9, 12).
    problems = seed_rule_problems(
        training_args.output_dir,
        training_args.load_best_model_at_end,
        training_args.save_on_each_node,
        nnodes,
        os.environ.get("SM_MODEL_DIR"),
    )
    ds_config = deepspeed_config.load(training_args.deepspeed) if training_args.deepspeed else None
    if ds_config is not None:
        errors, warnings = deepspeed_config.config_problems(ds_config, nnodes)
        problems += errors
        for warning in warnings:
            logger.warning(warning)
    if problems:
        raise ValueError("refusing to train:\n  " + "\n  ".join(problems))

    set_seed(training_args.seed)

    # The HF token (a gated model) from Secrets Manager, before any download: local rank 0 of each node.
    if hf_token.provide_hf_token():
        logger.info("Hugging Face token: read from the experiment's secret (%s)", hf_token.SECRET_ARN_ENV)
    # The base model: built from a config, or fetched by local rank 0 only, then a barrier (tips 7, 13).
    location = models.fetch(model_args)
    tokenizer = models.load_tokenizer(model_args, location)
    model = models.load_model(model_args, location, training_args.seed)
    if training_args.gradient_checkpointing:
        model.config.use_cache = False  # the KV cache is useless in training and conflicts with checkpointing

    # The data was tokenized and padded by prepare_data.py and arrives as SageMaker channels.
    train_dataset = load_from_disk(data_args.train_dir)
    eval_dataset = (
        load_from_disk(data_args.test_dir) if data_args.test_dir and Path(data_args.test_dir).exists() else None
    )
    if data_args.max_train_samples is not None:
        train_dataset = train_dataset.select(range(min(data_args.max_train_samples, len(train_dataset))))
    if eval_dataset is not None and data_args.max_eval_samples is not None:
        eval_dataset = eval_dataset.select(range(min(data_args.max_eval_samples, len(eval_dataset))))
    if eval_dataset is None:
        setattr(training_args, EVAL_STRATEGY_FIELD, IntervalStrategy.NO)
        training_args.do_eval = False
    logger.info(
        "train %d examples, eval %s", len(train_dataset), len(eval_dataset) if eval_dataset is not None else "none"
    )

    # No compute_metrics: generation-based metrics make evaluation very slow (tip 6); the eval
    # loss is the signal during the run.
    trainer_class = Seq2SeqTrainer if model_args.model_kind == "seq2seq" else Trainer
    # transformers 4.46 renamed the tokenizer argument processing_class (5.0 dropped the old name);
    # either way save_model writes the tokenizer next to the weights.
    tokenizer_kwarg = (
        "processing_class" if "processing_class" in inspect.signature(Trainer.__init__).parameters else "tokenizer"
    )
    trainer = trainer_class(
        model=model,
        args=training_args,
        train_dataset=train_dataset,
        eval_dataset=eval_dataset,
        data_collator=default_data_collator,  # examples are already padded to fixed lengths
        callbacks=[ThroughputCallback(tokens_per_sample(train_dataset))]
        + ([DeepSpeedReport(ds_config)] if ds_config is not None else []),
        **{tokenizer_kwarg: tokenizer},
    )
    result = trainer.train()
    trainer.log_metrics("train", result.metrics)

    # Every rank calls save_model: under ZeRO-3 it gathers the 16-bit weights collectively (tip 12);
    # local rank 0 of each node writes its node's copy under /tmp (save_on_each_node, tips 3, 5, 9).
    trainer.save_model(training_args.output_dir)

    # World rank 0 alone uploads, uncompressed, with s5cmd (tips 1, 10); everyone waits for it (tip 11).
    if rank == 0:
        if job_args.model_s3_path:
            done = transfer.upload_folder(training_args.output_dir, job_args.model_s3_path)
            logger.info(
                "uploaded %d files of %s to %s with %s",
                done.files,
                training_args.output_dir,
                job_args.model_s3_path,
                done.tool,
            )
        else:
            logger.warning(
                "MODEL_S3_PATH is not set: the model stays in %s and is lost with the node", training_args.output_dir
            )
    distributed.barrier()
    # A "CUDA error: driver shutting down" after this point is harmless: the model is in S3 (tip 11).
    distributed.close()


if __name__ == "__main__":
    main()
