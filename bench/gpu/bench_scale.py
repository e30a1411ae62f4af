"""The presets' models at real size on one GPU, through the real entry point (issue 14).

    python3 bench/gpu/bench_scale.py --stages t5xl-zero2,t5xl-zero3,ref-t5xl-bf16,... [--deadline 560]

Each DeepSpeed stage is one SageMaker "node" (SM_HOSTS=["algo-1"], SM_NUM_GPUS=1): payload/train
copied to <node>/code with the ds_config.json the TypeScript side derived (plans/scale-*.json,
written by derive_scale_plans.sh) next to start.py, the plan's hyperparameters with the stage's
overrides (batch size for one H200, max_steps, the architecture folder as a config-built model),
then `python start.py` -> torchrun -> train.py. train.py's ThroughputCallback prints
`throughput {json}` (steady samples/s after 5 warm-up steps, peak GPU memory); this script adds
tokens/s, model TFLOP/s and MFU (architectures.py says how FLOPs are counted). No S3: MODEL_S3_PATH
is unset, so the model is saved under the node's /tmp (on /dev/shm when it is large enough) and not
uploaded. ref-* stages run reference.py (plain PyTorch) on the same shapes.

Results: $OUT/scale.json (updated after every stage), $OUT/<stage>.log, $OUT/runner.log.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import shutil
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import architectures  # noqa: E402
from run_payload import OUT, T0, TRAIN, log, node_env, run_logged  # noqa: E402

PEAK_TFLOPS = 989.0  # H100/H200 SXM dense bf16, the datasheet figure MFU is quoted against


def merge(base: dict[str, Any], edit: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in edit.items():
        out[key] = merge(out.get(key, {}), value) if isinstance(value, dict) else value
    return out


# name: (plan, architecture, hyperparameter overrides, ds_config edit, max_steps, timeout s)
T5 = {"per_device_train_batch_size": "16", "gradient_accumulation_steps": "1"}
NOCKPT = {"gradient_checkpointing": "false"}
TORCH_ADAM = {"optimizer": {"params": {"torch_adam": True, "fused": True}}}
# DeepSpeed's buckets at their "auto" sizes are hidden^2 (4.2M elements for flan-t5-xl): hundreds of
# small reduce/gather launches per step. Large buckets, plus its own per-step timers.
BIG_BUCKETS_2 = {"zero_optimization": {"reduce_bucket_size": 5e8, "allgather_bucket_size": 5e8}}
BIG_BUCKETS_3 = {
    "zero_optimization": {
        "reduce_bucket_size": 5e8,
        "stage3_prefetch_bucket_size": 5e8,
        "stage3_param_persistence_threshold": 1e6,
    }
}
TIMERS = {"wall_clock_breakdown": True, "steps_per_print": 5}
# ZeRO-3 hooks every submodule (gather before forward, release after). DeepSpeed >= 0.16 makes a
# module whose params / (1 + descendant layers) is under this threshold a leaf with one hook
# (runtime/zero/parameter_offload.py _get_granularity_recursively): 5e6 turns each T5 block
# (about 3.2M per layer) into one leaf, so a step runs 48 gathers instead of several hundred.
GRANULAR_3 = {"zero_optimization": {"stage3_module_granularity_threshold": 5_000_000}}
# HF Trainer's torch_compile: accelerate calls DeepSpeed's engine.compile() after initialize
# (accelerate/accelerator.py, "engine.compile(backend=...)").
COMPILE = {"torch_compile": "true"}
STAGES: dict[str, tuple[str, str, dict[str, str], dict[str, Any], int, int]] = {
    "t5xl-zero2": ("scale-t5xl-zero2", "flan-t5-xl", T5, {}, 25, 150),
    "t5xl-zero3": ("scale-t5xl-zero3", "flan-t5-xl", T5, {}, 25, 150),
    "t5xl-zero2-nockpt": ("scale-t5xl-zero2", "flan-t5-xl", {**T5, **NOCKPT}, {}, 25, 120),
    "t5xl-zero3-nockpt": ("scale-t5xl-zero3", "flan-t5-xl", {**T5, **NOCKPT}, {}, 25, 120),
    "t5xl-zero2-nockpt-b32": (
        "scale-t5xl-zero2",
        "flan-t5-xl",
        {**T5, **NOCKPT, "per_device_train_batch_size": "32"},
        {},
        20,
        120,
    ),
    "t5xl-zero2-nockpt-torchadam": ("scale-t5xl-zero2", "flan-t5-xl", {**T5, **NOCKPT}, TORCH_ADAM, 25, 120),
    "t5xl-zero3-nockpt-torchadam": ("scale-t5xl-zero3", "flan-t5-xl", {**T5, **NOCKPT}, TORCH_ADAM, 25, 120),
    "t5xl-zero2-nockpt-workers": (
        "scale-t5xl-zero2",
        "flan-t5-xl",
        {**T5, **NOCKPT, "dataloader_num_workers": "2", "dataloader_pin_memory": "true"},
        {},
        25,
        120,
    ),
    "t5xl-zero2-nockpt-buckets": (
        "scale-t5xl-zero2",
        "flan-t5-xl",
        {**T5, **NOCKPT},
        {**BIG_BUCKETS_2, **TIMERS},
        25,
        120,
    ),
    "t5xl-zero3-nockpt-buckets": (
        "scale-t5xl-zero3",
        "flan-t5-xl",
        {**T5, **NOCKPT},
        {**BIG_BUCKETS_3, **TIMERS},
        25,
        120,
    ),
    "t5xl-zero3-granular": (
        "scale-t5xl-zero3",
        "flan-t5-xl",
        {**T5, **NOCKPT},
        merge(BIG_BUCKETS_3, {**GRANULAR_3, **TIMERS}),
        25,
        120,
    ),
    "t5xl-zero2-compile": ("scale-t5xl-zero2", "flan-t5-xl", {**T5, **NOCKPT, **COMPILE}, BIG_BUCKETS_2, 30, 300),
    "t5xl-zero3-granular-compile": (
        "scale-t5xl-zero3",
        "flan-t5-xl",
        {**T5, **NOCKPT, **COMPILE},
        merge(BIG_BUCKETS_3, GRANULAR_3),
        30,
        300,
    ),
    "t5xl-zero3-offload": ("scale-t5xl-zero3-offload", "flan-t5-xl", T5, {}, 9, 240),
    "llama8b-zero3": ("scale-llama8b-zero3", "llama-3.1-8b", {"gradient_accumulation_steps": "1"}, {}, 14, 200),
    "llama8b-zero3-nockpt": (
        "scale-llama8b-zero3",
        "llama-3.1-8b",
        {"gradient_accumulation_steps": "1", **NOCKPT},
        {},
        14,
        200,
    ),
}
MINI = {"per_device_train_batch_size": "2", "max_source_length": "64", "max_target_length": "32"}
STAGES["mini-zero2"] = ("scale-t5xl-zero2", "t5-mini", MINI, {}, 8, 120)  # CPU dry runs
STAGES["mini-zero3"] = ("scale-t5xl-zero3", "t5-mini", MINI, TORCH_ADAM, 8, 120)
STAGES["mini-zero3-granular"] = ("scale-t5xl-zero3", "t5-mini", MINI, merge(TORCH_ADAM, GRANULAR_3), 8, 120)
STAGES["mini-zero2-compile"] = ("scale-t5xl-zero2", "t5-mini", {**MINI, **COMPILE}, TORCH_ADAM, 8, 300)
REFERENCES = {
    "ref-t5xl-bf16": ["--arch", "flan-t5-xl", "--batch", "16", "--precision", "bf16"],
    "ref-t5xl-fp32master": ["--arch", "flan-t5-xl", "--batch", "16", "--precision", "fp32-master"],
    "ref-t5xl-bf16-ckpt": ["--arch", "flan-t5-xl", "--batch", "16", "--precision", "bf16", "--checkpointing"],
    "ref-t5xl-bf16-compile": ["--arch", "flan-t5-xl", "--batch", "16", "--precision", "bf16", "--compile"],
    "ref-t5xl-fp32master-compile": [
        "--arch",
        "flan-t5-xl",
        "--batch",
        "16",
        "--precision",
        "fp32-master",
        "--compile",
    ],
    "ref-llama8b-bf16-ckpt": [
        "--arch",
        "llama-3.1-8b",
        "--batch",
        "4",
        "--source",
        "1024",
        "--target",
        "256",
        "--precision",
        "bf16",
        "--checkpointing",
        "--steps",
        "10",
        "--warmup",
        "3",
    ],
}

results: dict[str, Any] = {"stages": {}}


def save() -> None:
    (OUT / "scale.json").write_text(json.dumps(results, indent=1, default=str))


def scratch_root(need_gib: float) -> Path:
    """/dev/shm when it can hold the saved model (fast writes), else the disk."""
    shm = Path("/dev/shm")
    if shm.is_dir() and shutil.disk_usage(shm).free / 2**30 > need_gib + 8:
        return shm
    return Path("/tmp")


def prepare_data(arch: str, kind: str, source: int, target: int, n: int, where: Path) -> Path:
    """Random token ids at the prepared data's fixed lengths, saved as train.py's channel reads it."""
    import numpy as np
    from datasets import Dataset

    rng = np.random.default_rng(0)
    vocab = architectures.ARCHITECTURES[arch]["vocab_size"]
    if kind == "seq2seq":
        data = {
            "input_ids": rng.integers(2, vocab, (n, source)).tolist(),
            "attention_mask": np.ones((n, source), dtype=np.int64).tolist(),
            "labels": rng.integers(2, vocab, (n, target)).tolist(),
        }
    else:
        ids = rng.integers(2, vocab, (n, source + target))
        labels = ids.copy()
        labels[:, :source] = -100
        data = {
            "input_ids": ids.tolist(),
            "attention_mask": np.ones_like(ids).tolist(),
            "labels": labels.tolist(),
        }
    out = where / f"data-{arch}-{source}-{target}-{n}"
    Dataset.from_dict(data).save_to_disk(str(out))
    return out


def ds_stage(name: str, timeout: float) -> dict[str, Any]:
    plan_name, arch, overrides, ds_edit, steps, _ = STAGES[name]
    plan = json.loads((HERE / "plans" / f"{plan_name}.json").read_text())
    model = plan["model"]
    hps = {**plan["hyperparameters"], **overrides}
    source, target = int(hps["max_source_length"]), int(hps["max_target_length"])
    batch = int(hps["per_device_train_batch_size"])
    params_gib = model["sizes"]["parameters"] * 2 / 2**30
    root = scratch_root(params_gib)
    arch_dir = architectures.write_folder(arch, root / f"arch-{arch}")
    data = prepare_data(arch, model["kind"], source, target, batch * steps, root)
    hps.update(
        {
            "model_id": str(arch_dir),
            "model_source": "config",
            "max_steps": str(steps),
            "logging_steps": "5",
            "train_dir": str(data),
        }
    )
    hps.pop("epochs", None)
    ds = merge(plan["deepspeedConfig"], ds_edit)
    node = root / f"node-{name}"
    shutil.rmtree(node, ignore_errors=True)
    code = node / "code"
    shutil.copytree(TRAIN, code, ignore=shutil.ignore_patterns("__pycache__", "data"))
    (code / "ds_config.json").write_text(json.dumps(ds, indent=1))
    opt_ml = node / "opt" / "ml"
    (opt_ml / "input" / "config").mkdir(parents=True)
    (opt_ml / "input" / "config" / "hyperparameters.json").write_text(json.dumps(hps))
    (opt_ml / "model").mkdir()
    (node / "tmp").mkdir()
    env = node_env(node, {"NCCL_DEBUG": "WARN"}, "")
    env.pop("MODEL_S3_PATH", None)
    env["SM_CHANNEL_TRAINING"] = str(data)
    env["SM_CHANNEL_TEST"] = str(node / "no-test")
    log(f"{name}: start.py, ZeRO {ds['zero_optimization']['stage']}, batch {batch}, {steps} steps, {source}/{target}")
    rc, seconds = run_logged([sys.executable, "start.py"], OUT / f"{name}.log", timeout, cwd=code, env=env)
    text = (OUT / f"{name}.log").read_text(errors="replace")
    found = [json.loads(m) for m in re.findall(r"zerostack\.train: throughput (\{.*\})", text)]
    res: dict[str, Any] = {
        "exit": rc,
        "wall_s": round(seconds, 1),
        "hyperparameters": {k: hps[k] for k in ("per_device_train_batch_size", "gradient_checkpointing", "max_steps")},
        "ds_edit": ds_edit,
        **(found[-1] if found else {}),
        "errors": [ln.strip()[:300] for ln in text.splitlines() if re.search(r"Error|error:|OOM|out of memory", ln)][
            -6:
        ],
        "ds_lines": [
            ln.strip()[:200]
            for ln in text.splitlines()
            if re.search(r"(Time to load|Building extension|optimizer =|Using (fused|torch)|DeepSpeed info)", ln)
        ][:10],
    }
    if found and found[-1].get("samples_per_s_per_gpu"):
        from transformers import AutoModelForCausalLM, AutoModelForSeq2SeqLM

        with __import__("torch").device("meta"):
            auto = AutoModelForSeq2SeqLM if model["kind"] == "seq2seq" else AutoModelForCausalLM
            split = architectures.parameter_split(auto.from_config(architectures.config(arch)))
        flops = architectures.flops_per_sample(split, model["kind"], source, target)
        sps = found[-1]["samples_per_s_per_gpu"]
        res.update(
            parameter_split=split,
            model_flops_per_sample=flops,
            model_tflops_per_s=round(sps * flops / 1e12, 1),
            mfu_vs_989=round(sps * flops / (PEAK_TFLOPS * 1e12), 4),
        )
    shutil.rmtree(node, ignore_errors=True)
    log(f"{name}: exit {rc} in {seconds:.0f}s {json.dumps({k: v for k, v in res.items() if k != 'ds_lines'})}")
    return res


def ref_stage(name: str, timeout: float) -> dict[str, Any]:
    argv = [sys.executable, str(HERE / "reference.py"), *REFERENCES[name]]
    log(f"{name}: {' '.join(argv[1:])}")
    rc, seconds = run_logged(argv, OUT / f"{name}.log", timeout, cwd=HERE)
    text = (OUT / f"{name}.log").read_text(errors="replace")
    found = [json.loads(m) for m in re.findall(r"REFERENCE (\{.*\})", text)]
    res = {"exit": rc, "wall_s": round(seconds, 1), **(found[-1] if found else {})}
    if not found:
        res["tail"] = text.splitlines()[-8:]
    log(f"{name}: exit {rc} in {seconds:.0f}s {json.dumps(res)}")
    return res


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stages", default="t5xl-zero2,t5xl-zero3,ref-t5xl-bf16")
    ap.add_argument("--deadline", type=float, default=560.0)
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    import torch

    results["device"] = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "cpu"
    for name in ("torch", "transformers", "deepspeed", "accelerate", "datasets"):
        try:
            results.setdefault("versions", {})[name] = __import__(name).__version__
        except Exception as err:  # report, keep going
            results.setdefault("versions", {})[name] = repr(err)
    log(f"{results['device']} {results['versions']}")
    for name in args.stages.split(","):
        left = args.deadline - (time.monotonic() - T0)
        budget = STAGES[name][5] if name in STAGES else (330 if "compile" in name else 150)
        if left < min(budget, 90):
            results["stages"][name] = {"skipped": f"deadline ({left:.0f}s left)"}
            log(f"{name}: skipped, {left:.0f}s left")
            continue
        try:
            run = ref_stage if name in REFERENCES else ds_stage
            results["stages"][name] = run(name, min(budget, left - 5))
        except Exception as err:
            results["stages"][name] = {"error": repr(err)}
            log(f"{name}: {err!r}")
        save()
    save()
    log("TABLE")
    for name, r in results["stages"].items():
        log(
            f"{name:32s} exit {r.get('exit')} samples/s/gpu {r.get('samples_per_s_per_gpu', r.get('samples_per_s'))} "
            f"TFLOP/s {r.get('model_tflops_per_s')} MFU {r.get('mfu_vs_989')} "
            f"peak alloc {r.get('peak_allocated_gib')} reserved {r.get('peak_reserved_gib')} wall {r.get('wall_s')}"
        )


if __name__ == "__main__":
    main()
