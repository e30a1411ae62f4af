"""The seed's lessons as train.py applies them: parser defaults, guards, DeepSpeed checks, CPU fallback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from arguments import build_parser, seed_defaults, seed_rule_problems
from conftest import derived_ds_config
from deepspeed_config import config_problems, flag_value, load, without_gpu_options


def parse(argv: list[str]) -> tuple:  # type: ignore[type-arg]
    return tuple(build_parser(has_gpu=False).parse_args_into_dataclasses(args=argv))


def test_defaults_carry_the_tips() -> None:
    model, data, job, training = parse([])
    assert training.save_on_each_node is True  # tip 3
    assert training.load_best_model_at_end is False  # tip 4
    assert training.save_strategy == "no"  # tip 5 (a str enum: IntervalStrategy, SaveStrategy in transformers 5)
    assert training.output_dir == "/tmp/output/asset"  # tips 5, 9
    assert training.disable_tqdm is True and training.report_to == []  # one loss dict per log step on stdout
    # gloo on CPU, NCCL on GPUs, for a torchrun-started process; a lone process names none (accelerate
    # would otherwise initialise the named backend's process group without a torchrun env, and fail)
    assert seed_defaults(has_gpu=False)["ddp_backend"] == "gloo"
    assert seed_defaults(has_gpu=True)["ddp_backend"] == "nccl"
    assert training.ddp_backend is None
    assert (model.model_id, model.model_source) == ("zerostack/tiny-t5", "config")


def test_typescript_hyperparameter_names_all_parse() -> None:
    # The names program/spec/hyperparameters.ts derives, with string values as SageMaker passes them.
    hps = {
        "model_id": "google/flan-t5-xl",
        "model_kind": "seq2seq",
        "model_source": "hub",
        "dataset_name": "cnn_dailymail:3.0.0",
        "epochs": "3",
        "learning_rate": "0.0001",
        "per_device_train_batch_size": "8",
        "per_device_eval_batch_size": "8",
        "gradient_accumulation_steps": "2",
        "max_source_length": "500",
        "max_target_length": "129",
        "generation_max_length": "129",
        "warmup_steps": "10",
        "weight_decay": "0.01",
        "max_grad_norm": "1",
        "eval_steps": "50",
        "logging_steps": "10",
        "seed": "42",
        "gradient_checkpointing": "true",
        "bf16": "false",
        "fp16": "false",
        "save_on_each_node": "true",
        "load_best_model_at_end": "false",
        "output_dir": "/tmp/output/asset",
    }
    argv = [arg for key, value in hps.items() for arg in (f"--{key}", value)]
    model, data, job, training = parse(argv)
    assert model.model_source == "hub" and data.max_source_length == 500 and job.epochs == 3.0
    assert training.gradient_accumulation_steps == 2 and training.generation_max_length == 129
    assert training.gradient_checkpointing is True and training.max_grad_norm == 1.0


def test_s3_source_needs_a_uri() -> None:
    with pytest.raises(ValueError, match="model_s3_uri"):
        parse(["--model_id", "google/flan-t5-xl", "--model_source", "s3"])


@pytest.mark.parametrize("output_dir", ["/opt/ml/model", "/opt/ml/model/asset", "/opt/ml/checkpoints/x"])
def test_output_dir_never_under_opt_ml_model_or_checkpoints(output_dir: str) -> None:
    problems = seed_rule_problems(output_dir, False, True, nnodes=1)
    assert problems and "node-local" in problems[0]


def test_output_dir_under_the_jobs_model_dir_is_refused(tmp_path: Path) -> None:
    assert seed_rule_problems(str(tmp_path / "model" / "x"), False, True, 1, sm_model_dir=str(tmp_path / "model"))


def test_multi_node_rules() -> None:
    assert seed_rule_problems("/tmp/output/asset", False, True, nnodes=2) == []
    assert "tip 4" in seed_rule_problems("/tmp/output/asset", True, True, nnodes=2)[0]
    assert "tip 3" in seed_rule_problems("/tmp/output/asset", False, False, nnodes=2)[0]
    # one node: both are harmless
    assert seed_rule_problems("/tmp/output/asset", True, False, nnodes=1) == []


def zero(stage: int, **extra: object) -> dict:  # type: ignore[type-arg]
    return {"zero_optimization": {"stage": stage, **extra}}


def test_stage3_without_gathered_16bit_weights_is_refused() -> None:
    errors, _ = config_problems(zero(3), nnodes=1)
    assert errors and "tip 12" in errors[0]
    assert config_problems(zero(3, stage3_gather_16bit_weights_on_model_save=True), nnodes=4) == ([], [])


def test_stage2_on_several_nodes_warns() -> None:
    errors, warnings = config_problems(zero(2), nnodes=2)
    assert errors == [] and "tip 2" in warnings[0]
    assert config_problems(zero(2), nnodes=1) == ([], [])


def test_load_reads_the_bundle_file(tmp_path: Path) -> None:
    path = tmp_path / "ds_config.json"
    path.write_text(json.dumps(zero(3, stage3_gather_16bit_weights_on_model_save=True)))
    assert load(path)["zero_optimization"]["stage"] == 3
    path.write_text("[]")
    with pytest.raises(ValueError, match="JSON object"):
        load(path)


def test_cpu_run_drops_deepspeed_and_16_bit_without_deepspeed() -> None:
    argv = ["--deepspeed", "/code/ds_config.json", "--bf16", "true", "--fp16", "false", "--epochs", "1"]
    out, notes = without_gpu_options(argv, has_gpu=False, has_deepspeed=False)
    model, data, job, training = parse(out)
    assert training.deepspeed is None and training.bf16 is False and training.fp16 is False and job.epochs == 1
    assert any("DeepSpeed skipped" in n for n in notes) and any("--bf16" in n for n in notes)
    assert without_gpu_options(["--deepspeed=/x.json"], has_gpu=False, has_deepspeed=False)[0] == []


def test_cpu_run_keeps_deepspeed_and_its_config_and_turns_16_bit_off(tmp_path: Path) -> None:
    config = tmp_path / "ds_config.json"
    config.write_text(json.dumps(derived_ds_config("3")))
    argv = ["--deepspeed", str(config), "--bf16", "true", "--fp16", "true"]
    out, notes = without_gpu_options(argv, has_gpu=False, has_deepspeed=True)
    assert out[:2] == ["--deepspeed", str(config)] and flag_value(out, "--bf16") == "false"
    assert flag_value(out, "--fp16") == "false"
    assert notes[0] == f"no GPU: DeepSpeed on its CPU accelerator (DS_ACCELERATOR=cpu, gloo) with {config}"
    assert "--fp16 true -> false (fp16 needs a GPU)" in notes[1]
    assert notes[2] == (
        "no GPU: --bf16 true -> false (transformers takes bf16 without a GPU only with use_cpu, which turns "
        "DeepSpeed off); training in fp32"
    )
    assert json.loads(config.read_text()) == derived_ds_config("3")  # the file itself is never changed


def test_gpu_run_keeps_everything() -> None:
    argv = ["--deepspeed", "ds_config.json", "--bf16", "true"]
    assert without_gpu_options(argv, has_gpu=True) == (argv, [])
