"""Argument groups of train.py, in the shape of the Hugging Face example scripts.

The hyperparameter names are the ones the TypeScript side derives (program/spec/hyperparameters.ts);
HfArgumentParser maps each `--name value` onto the dataclass that owns it. The seed's lessons that
are TrainingArguments values are set as parser defaults here (SEED_DEFAULTS) and the ones that must
never be overridden are checked after parsing (seed_rule_problems).
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from transformers import HfArgumentParser, Seq2SeqTrainingArguments

TINY_MODEL_ID = "zerostack/tiny-t5"
DEFAULT_OUTPUT_DIR = "/tmp/output/asset"


def _channel(name: str) -> str:
    # SageMaker puts channel <name> at /opt/ml/input/data/<name> and names it in SM_CHANNEL_<NAME>.
    root = os.environ.get("ZEROSTACK_OPT_ML", "/opt/ml")
    return os.environ.get(f"SM_CHANNEL_{name.upper()}", f"{root}/input/data/{name}")


@dataclass
class ModelArguments:
    model_id: str = field(
        default=TINY_MODEL_ID, metadata={"help": "Hub id, local path, or zerostack/tiny-t5 (built from a config)."}
    )
    model_kind: Literal["seq2seq", "causal"] = field(default="seq2seq")
    model_source: Literal["hub", "config", "s3"] | None = field(
        default=None,
        metadata={
            "help": "config: build from a config (tiny); s3: pull model_s3_uri with s5cmd (seed tip 13); "
            "hub: from_pretrained. Default: config for zerostack/tiny-t5, else hub."
        },
    )
    model_s3_uri: str | None = field(
        default=None, metadata={"help": "s3:// prefix of the staged base model (model_source=s3)."}
    )

    def __post_init__(self) -> None:
        if self.model_source is None:
            self.model_source = "config" if self.model_id == TINY_MODEL_ID else "hub"
        if self.model_source == "s3" and not self.model_s3_uri:
            raise ValueError("--model_source s3 needs --model_s3_uri s3://bucket/prefix/ (the staged base model)")


@dataclass
class DataArguments:
    dataset_name: str | None = field(
        default=None, metadata={"help": "For the log only: the data is the prepared channels."}
    )
    train_dir: str = field(
        default_factory=lambda: _channel("training"), metadata={"help": "save_to_disk folder of the train split."}
    )
    test_dir: str | None = field(
        default_factory=lambda: _channel("test"), metadata={"help": "save_to_disk folder of the test split."}
    )
    # prepare_data.py tokenized the data to these lengths; the job carries them so its
    # hyperparameters describe the whole run, and train.py checks the data agrees.
    max_source_length: int | None = field(default=None)
    max_target_length: int | None = field(default=None)
    max_train_samples: int | None = field(default=None, metadata={"help": "Truncate the train split (quick runs)."})
    max_eval_samples: int | None = field(default=None, metadata={"help": "Truncate the test split (quick runs)."})


@dataclass
class JobArguments:
    model_s3_path: str | None = field(
        default_factory=lambda: os.environ.get("MODEL_S3_PATH"),
        metadata={"help": "Where world rank 0 uploads the trained model, uncompressed (env MODEL_S3_PATH)."},
    )
    # The TypeScript side calls it `epochs`; it becomes TrainingArguments.num_train_epochs.
    epochs: float | None = field(default=None)


# transformers renamed evaluation_strategy to eval_strategy in 4.41 (the image carries 5.3).
TRAINING_FIELDS = {f.name for f in dataclasses.fields(Seq2SeqTrainingArguments)}
EVAL_STRATEGY_FIELD = next(name for name in ("eval_strategy", "evaluation_strategy") if name in TRAINING_FIELDS)
# transformers >= 4.46 averages tokens across devices by default: it hands the model the token
# count of the whole world's batch (num_items_in_batch) and multiplies the loss by the number of
# processes. Models whose loss ignores that count (T5: a plain mean cross-entropy, though its
# forward takes **kwargs) then report, and backpropagate, N x their loss: 13.2 instead of 6.6 on
# two processes, 16x on 16 GPUs. Per-device means, as the seed had them, are right for every model.
TOKEN_AVERAGING = {"average_tokens_across_devices": False} if "average_tokens_across_devices" in TRAINING_FIELDS else {}


def build_parser(has_gpu: bool, distributed: bool | None = None) -> HfArgumentParser:
    """train.py's parser: Seq2SeqTrainingArguments serves both model kinds (a causal run ignores
    the generation options), with the seed's defaults in place. `distributed`: started by torchrun
    (LOCAL_RANK set), the default."""
    if distributed is None:
        distributed = "LOCAL_RANK" in os.environ
    parser = HfArgumentParser((ModelArguments, DataArguments, JobArguments, Seq2SeqTrainingArguments))
    parser.set_defaults(**seed_defaults(has_gpu, EVAL_STRATEGY_FIELD, distributed))
    for action in parser._actions:
        if action.dest == "output_dir":
            action.required = False  # it has a default now: the node-local /tmp path
    return parser


def seed_defaults(
    has_gpu: bool, eval_strategy_field: str = EVAL_STRATEGY_FIELD, distributed: bool = True
) -> dict[str, Any]:
    """TrainingArguments defaults that carry the seed's lessons (numbers = tips in payload/README.md).

    The DDP backend is named only for a torchrun-started process: accelerate >= 1.x initialises a
    named backend's process group in __post_init__ and fails in a lone process (no torchrun env).
    """
    return {
        "output_dir": DEFAULT_OUTPUT_DIR,  # 5, 9: node-local /tmp, never /opt/ml/model or checkpoints
        "save_on_each_node": True,  # 3: no shared storage between nodes
        "save_strategy": "no",  # 5: no checkpoints streaming to S3 mid-run; one save at the end
        "load_best_model_at_end": False,  # 4: breaks multi-node DeepSpeed runs at the end
        eval_strategy_field: "steps",  # evaluation loss every eval_steps; no compute_metrics (6)
        "disable_tqdm": True,  # one `{'loss': ...}` line per log step for metric regexes
        "report_to": ["none"],  # stdout is the log SageMaker and zerostack read
        "ddp_backend": ("nccl" if has_gpu else "gloo") if distributed else None,
        # Every parameter takes part in a fine-tuning step; the search for unused ones costs an
        # extra autograd traversal per step (HF turns it on whenever checkpointing is off).
        "ddp_find_unused_parameters": False,
        **TOKEN_AVERAGING,
    }


def seed_rule_problems(
    output_dir: str,
    load_best_model_at_end: bool,
    save_on_each_node: bool,
    nnodes: int,
    sm_model_dir: str | None = None,
) -> list[str]:
    """The lessons that must hold whatever the hyperparameters say; each problem names its fix."""
    problems: list[str] = []
    out = Path(output_dir).resolve()
    forbidden = {Path("/opt/ml/model"), Path("/opt/ml/checkpoints")}
    if sm_model_dir:
        forbidden.add(Path(sm_model_dir).resolve())
    for bad in forbidden:
        if out == bad or bad in out.parents:
            problems.append(
                f"output_dir {output_dir} is under {bad}, which SageMaker tars or uploads continuously "
                f"(seed tips 5, 9): use a node-local path such as {DEFAULT_OUTPUT_DIR}"
            )
    if nnodes > 1 and load_best_model_at_end:
        problems.append(
            "load_best_model_at_end=true fails at the end of multi-node DeepSpeed runs (seed tip 4): set it false"
        )
    if nnodes > 1 and not save_on_each_node:
        problems.append(
            "save_on_each_node=false leaves nodes without shared storage unable to save (seed tip 3): set it true"
        )
    return problems
