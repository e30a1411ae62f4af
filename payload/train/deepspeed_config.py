"""The DeepSpeed JSON from the source bundle: checked against the seed's lessons; what CPU forces.

The TypeScript side derives the file (program/spec/deepspeed.ts) and ships it next to this script
as ds_config.json; Python never writes its own. TrainingArguments turns `--deepspeed` on in its
__post_init__, so a CPU run (rehearsal, CI) adjusts the command line before parsing: DeepSpeed
then runs on its CPU accelerator with the file as it is, and only the precision flags the CPU
cannot honour change (each change logged).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

# fp16 mixed precision needs a GPU (DeepSpeed's CPU accelerator refuses it); bf16 is below.
CPU_REFUSED_FLAGS = {"--fp16": "false"}


def load(path: str | Path) -> dict[str, Any]:
    with open(path) as f:
        config = json.load(f)
    if not isinstance(config, dict):
        raise ValueError(f"{path}: a DeepSpeed config is a JSON object")
    return config


def zero_stage(config: dict[str, Any]) -> int:
    return int(config.get("zero_optimization", {}).get("stage", 0))


def config_problems(config: dict[str, Any], nnodes: int) -> tuple[list[str], list[str]]:
    """(errors, warnings) for a config about to train on `nnodes` nodes."""
    errors: list[str] = []
    warnings: list[str] = []
    stage = zero_stage(config)
    zero = config.get("zero_optimization", {})
    if stage == 3 and zero.get("stage3_gather_16bit_weights_on_model_save") is not True:
        # Without it save_model writes ZeRO shards, not a loadable model (seed tip 12), and with
        # save_on_each_node and no shared storage no single node holds all shards to convert them.
        errors.append(
            "ZeRO stage 3 needs zero_optimization.stage3_gather_16bit_weights_on_model_save=true, "
            "otherwise no loadable model file is written (seed tip 12)"
        )
    if stage == 2 and nnodes > 1:
        warnings.append(
            "ZeRO stage 2 across several nodes has hung until the NCCL timeout when GPU memory was "
            "nearly full (seed tip 2); switch to stage 3 if the job stalls"
        )
    return errors, warnings


def _flag_value(argv: list[str], flag: str) -> tuple[int, int] | None:
    """(start, length) of `flag value` or `flag=value` in argv, the last occurrence (argparse's winner)."""
    found = None
    for i, arg in enumerate(argv):
        if arg == flag and i + 1 < len(argv):
            found = (i, 2)
        elif arg.startswith(flag + "="):
            found = (i, 1)
    return found


def flag_value(argv: list[str], flag: str) -> str | None:
    found = _flag_value(argv, flag)
    if found is None:
        return None
    i, n = found
    return argv[i + 1] if n == 2 else argv[i].split("=", 1)[1]


def deepspeed_importable() -> bool:
    import importlib.util

    return importlib.util.find_spec("deepspeed") is not None


def without_gpu_options(
    argv: list[str], has_gpu: bool, has_deepspeed: bool | None = None
) -> tuple[list[str], list[str]]:
    """argv for this machine, and notes on what was changed. Unchanged when a GPU is present.

    On CPU, DeepSpeed runs on its CPU accelerator (DS_ACCELERATOR=cpu, gloo) with ds_config.json as
    derived; only what the CPU forces changes, and each change is a note for the job's log: fp16 and
    bf16 off, so DeepSpeed trains in fp32 (the config's "auto" precision follows the flags). gloo
    all-reduces bfloat16 since torch 2.5, but transformers 5 accepts bf16 without a GPU only with
    use_cpu, and use_cpu turns DeepSpeed off.
    Without DeepSpeed installed, --deepspeed is dropped and plain PyTorch DDP runs over gloo.
    """
    if has_gpu:
        return list(argv), []
    out = list(argv)
    notes: list[str] = []
    if has_deepspeed is None:
        has_deepspeed = deepspeed_importable()
    uses_deepspeed = flag_value(out, "--deepspeed") is not None
    if uses_deepspeed and has_deepspeed:
        notes.append(
            f"no GPU: DeepSpeed on its CPU accelerator (DS_ACCELERATOR=cpu, gloo) with {flag_value(out, '--deepspeed')}"
        )
    while not has_deepspeed and (found := _flag_value(out, "--deepspeed")) is not None:
        i, n = found
        notes.append(
            f"no GPU: DeepSpeed skipped (not installed; config {flag_value(out, '--deepspeed')} not used); "
            "plain PyTorch DDP over gloo"
        )
        del out[i : i + n]
    for flag, cpu_value in CPU_REFUSED_FLAGS.items():
        value = flag_value(out, flag)
        if value is not None and value.lower() in ("true", "1", "yes"):
            notes.append(f"no GPU: {flag} {value} -> {cpu_value} (fp16 needs a GPU)")
            out += [flag, cpu_value]
    value = flag_value(out, "--bf16")
    if value is not None and value.lower() in ("true", "1", "yes"):
        reason = (
            "transformers takes bf16 without a GPU only with use_cpu, which turns DeepSpeed off"
            if has_deepspeed and uses_deepspeed
            else "no bf16 autocast for this CPU run"
        )
        notes.append(f"no GPU: --bf16 {value} -> false ({reason}); training in fp32")
        out += ["--bf16", "false"]
    return out, notes


def optimizer_chain(optimizer: Any) -> list[str]:
    """Class names from the Trainer's optimizer inwards (accelerate's and DeepSpeed's wrappers,
    ZeRO's optimizer, the basic one: FusedAdam, or DeepSpeedCPUAdam under offload)."""
    names: list[str] = []
    seen: set[int] = set()
    while optimizer is not None and id(optimizer) not in seen and len(names) < 6:
        seen.add(id(optimizer))
        names.append(type(optimizer).__name__)
        optimizer = getattr(optimizer, "optimizer", None)
    return names


def engine_summary(config: dict[str, Any], optimizer: Any, bf16: bool, fp16: bool) -> str:
    """One log line saying that DeepSpeed's engine trains, with what (rank 0 logs it at train begin)."""
    import deepspeed

    precision = "bf16" if bf16 else "fp16" if fp16 else "fp32"
    zero = config.get("zero_optimization", {})
    offload = [part for part in ("optimizer", "param") if (zero.get(f"offload_{part}") or {}).get("device") == "cpu"]
    return (
        f"DeepSpeed {deepspeed.__version__} engine: ZeRO stage {zero_stage(config)}"
        f"{' (offload ' + ' and '.join(offload) + ' to CPU)' if offload else ''}, {precision}, "
        f"optimizer {' > '.join(optimizer_chain(optimizer))}"
    )
