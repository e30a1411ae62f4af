"""The CPU proof: two `python start.py` processes acting as two SageMaker nodes train the tiny T5.

Each node gets what SageMaker gives it (SM_HOSTS, SM_CURRENT_HOST, SM_TRAINING_ENV, channels and
hyperparameters.json under its own /opt/ml, its own /tmp), plus the rehearsal overrides (master at
127.0.0.1 on a free port, one process per node, the S3 emulator). The run goes through the real
entry point, torchrun and train.py, and the real DeepSpeed engine on its CPU accelerator (gloo)
with ds_config.json exactly as program/spec/deepspeed.ts derives it, once per ZeRO setting: 2, 3,
and 3 with optimizer and parameters offloaded to the CPU (DeepSpeedCPUAdam). Then the uploaded
model (ZeRO-3's gathered 16-bit weights) is served by the handler through the DJL harness.
"""

from __future__ import annotations

import ast
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from safetensors import safe_open

import handler
import transfer
from conftest import BUCKET, FAKE_AWS, SERVE, TRAIN, derived_ds_config, free_port, keys_under, payload_env
from djl import engine

HOSTS = ["algo-1", "algo-2"]
ARTICLE = "The Oakmere library reopened on Monday after a renovation that cost 12 million dollars."
REQUEST = {
    "inputs": f"Summarize the following news article:\n{ARTICLE}\nSummary:\n",
    "parameters": {"max_new_tokens": 16},
}


def model_prefix(zero: str) -> str:
    return f"experiments/tiny-rehearsal-zero-{zero}/model/"


# The names and string values program/spec/hyperparameters.ts derives for the tiny preset, made
# small enough for two CPU processes: 16 examples, batch 2 per rank -> 4 optimizer steps.
HYPERPARAMETERS = {
    "model_id": "zerostack/tiny-t5",
    "model_kind": "seq2seq",
    "model_source": "config",
    "dataset_name": "zerostack/tiny-summaries",
    "epochs": "1",
    "learning_rate": "0.001",
    "per_device_train_batch_size": "2",
    "per_device_eval_batch_size": "2",
    "gradient_accumulation_steps": "1",
    "max_source_length": "128",
    "max_target_length": "116",
    "generation_max_length": "64",
    "warmup_steps": "2",
    "weight_decay": "0",
    "max_grad_norm": "1",
    "eval_steps": "2",
    "logging_steps": "1",
    "seed": "42",
    "gradient_checkpointing": "true",
    "bf16": "true",
    "fp16": "false",
    "deepspeed": "ds_config.json",
    "save_on_each_node": "true",
    "load_best_model_at_end": "false",
    "output_dir": "/tmp/output/asset",
    "max_train_samples": "16",
    "max_eval_samples": "2",
}


def node_env(
    tmp: Path, rank: int, master_port: int, s3_endpoint: str, prepared: Path, zero: str
) -> tuple[dict[str, str], Path]:
    node = tmp / HOSTS[rank]
    opt_ml = node / "opt" / "ml"
    (opt_ml / "input" / "config").mkdir(parents=True)
    (opt_ml / "input" / "config" / "hyperparameters.json").write_text(json.dumps(HYPERPARAMETERS))
    for channel, split in (("training", "train"), ("test", "test")):
        shutil.copytree(prepared / split, opt_ml / "input" / "data" / channel)
    (opt_ml / "model").mkdir()
    (node / "tmp").mkdir()
    env = payload_env(
        **FAKE_AWS,
        AWS_ENDPOINT_URL=s3_endpoint,
        SM_HOSTS=json.dumps(HOSTS),
        SM_CURRENT_HOST=HOSTS[rank],
        SM_TRAINING_ENV=json.dumps({"master_hostname": "algo-1", "hosts": HOSTS, "current_host": HOSTS[rank]}),
        SM_NUM_GPUS="0",
        SM_CHANNEL_TRAINING=str(opt_ml / "input" / "data" / "training"),
        SM_CHANNEL_TEST=str(opt_ml / "input" / "data" / "test"),
        SM_MODEL_DIR=str(opt_ml / "model"),
        NODE_NUMBER="2",
        MODEL_S3_PATH=f"s3://{BUCKET}/{model_prefix(zero)}",
        NCCL_DEBUG="INFO",
        ZEROSTACK_OPT_ML=str(opt_ml),
        ZEROSTACK_MASTER_ADDR="127.0.0.1",
        ZEROSTACK_MASTER_PORT=str(master_port),
        ZEROSTACK_NPROC_PER_NODE="1",
        TMPDIR=str(node / "tmp"),
    )
    return env, node


@pytest.fixture(scope="module", params=["2", "3", "3-offload"], ids=lambda zero: f"zero-{zero}")
def two_node_run(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, s3_endpoint: str, prepared_data: Path
) -> dict[str, object]:
    zero = request.param
    tmp = tmp_path_factory.mktemp(f"two-nodes-zero-{zero}")
    # The source bundle as SageMaker unpacks it into /opt/ml/code: payload/train plus the
    # ds_config.json the TypeScript side writes next to start.py.
    code = tmp / "code"
    shutil.copytree(TRAIN, code, ignore=shutil.ignore_patterns("__pycache__", "data"))
    (code / "ds_config.json").write_text(json.dumps(derived_ds_config(zero), indent=2))
    port = free_port()
    procs, nodes = [], []
    for rank in range(2):
        env, node = node_env(tmp, rank, port, s3_endpoint, prepared_data, zero)
        log = open(node / "log.txt", "w")
        procs.append(
            subprocess.Popen(
                [sys.executable, "start.py"],
                cwd=code,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
        nodes.append(node)
    try:
        codes = [p.wait(timeout=240) for p in procs]
    finally:
        for p in procs:  # a hung run: stop both nodes' process groups (torchrun and its workers)
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
    logs = [(node / "log.txt").read_text() for node in nodes]
    assert codes == [0, 0], "\n\n".join(f"--- {HOSTS[i]} exit {codes[i]}\n{logs[i][-4000:]}" for i in range(2))
    return {"nodes": nodes, "logs": logs, "zero": zero, "prefix": model_prefix(zero)}


def logged(log: str, prefix: str) -> list[dict[str, float]]:
    """The Trainer's dict lines starting with `prefix` (transformers 5 quotes the numbers)."""
    return [
        {key: float(value) for key, value in ast.literal_eval(line).items()}
        for line in log.splitlines()
        if line.startswith(prefix)
    ]


def test_each_node_launched_torchrun_with_its_rank(two_node_run: dict) -> None:  # type: ignore[type-arg]
    for rank, log in enumerate(two_node_run["logs"]):
        assert f"start.py: node {rank} of 2 (algo-{rank + 1}), master algo-1 at 127.0.0.1" in log
        assert f"-m torch.distributed.run --nnodes 2 --node_rank {rank} --nproc_per_node 1" in log


def test_the_deepspeed_engine_trained_with_the_derived_config(two_node_run: dict) -> None:  # type: ignore[type-arg]
    zero = two_node_run["zero"]
    for log in two_node_run["logs"]:
        assert re.search(
            r"no GPU: DeepSpeed on its CPU accelerator \(DS_ACCELERATOR=cpu, gloo\) with \S+/ds_config.json", log
        )
        # the one change the CPU forces, in the job's log
        assert "no GPU: --bf16 true -> false (transformers takes bf16 without a GPU only with use_cpu" in log
    summary = {
        "2": "ZeRO stage 2, fp32, optimizer ",
        "3": "ZeRO stage 3, fp32, optimizer ",
        "3-offload": "ZeRO stage 3 (offload optimizer and param to CPU), fp32, optimizer ",
    }[zero]
    lines = [line for line in two_node_run["logs"][0].splitlines() if "DeepSpeed 0.19.8 engine: " in line]
    assert len(lines) == 1 and summary in lines[0], lines or two_node_run["logs"][0][-3000:]
    assert lines[0].endswith("DeepSpeedCPUAdam" if zero == "3-offload" else "FusedAdam"), lines[0]
    assert not any("DeepSpeed 0.19.8 engine: " in line for line in two_node_run["logs"][1].splitlines())


def test_the_loss_is_finite_and_falls(two_node_run: dict) -> None:  # type: ignore[type-arg]
    # SageMaker's metric regexes and zerostack's log tailer read these (local rank 0 of each node prints).
    log = two_node_run["logs"][0]
    steps = logged(log, "{'loss': ")
    assert len(steps) == 4, log[-3000:]
    assert all({"loss", "grad_norm", "learning_rate", "epoch"} <= set(step) for step in steps)
    losses = [step["loss"] for step in steps]
    norms = [step["grad_norm"] for step in steps]
    assert all(math.isfinite(x) and x > 0 for x in losses + norms), steps
    # the tiny T5 over its 384-token vocabulary starts near ln(384) = 5.95 and learns at lr 1e-3
    assert 4 < losses[0] < 9 and losses[-1] < losses[0], losses
    evals = logged(log, "{'eval_loss': ")
    assert evals and all(math.isfinite(e["eval_loss"]) for e in evals), evals


def test_every_node_saved_under_its_own_tmp_and_not_in_opt_ml_model(two_node_run: dict) -> None:  # type: ignore[type-arg]
    for node in two_node_run["nodes"]:
        saved = node / "tmp" / "output" / "asset"
        assert (saved / "model.safetensors").is_file() and (saved / "config.json").is_file()
        assert list((node / "opt" / "ml" / "model").iterdir()) == []


def test_only_world_rank_0_uploaded(two_node_run: dict, s3) -> None:  # type: ignore[no-untyped-def, type-arg]
    node0, node1 = two_node_run["logs"]
    prefix = two_node_run["prefix"]
    assert "uploaded" in node0 and "with s5cmd" in node0
    assert "uploaded" not in node1
    keys = keys_under(s3, prefix)
    assert f"{prefix}model.safetensors" in keys and f"{prefix}tokenizer_config.json" in keys
    assert not any(k.endswith((".tar.gz", ".tar")) for k in keys)


def test_the_uploaded_model_serves(two_node_run: dict, tmp_path: Path, s3_env: dict[str, str]) -> None:  # type: ignore[type-arg]
    # The whole model, not ZeRO shards: under ZeRO-3 save_model gathered the 16-bit weights (tip 12).
    model = tmp_path / "model"
    transfer.download_prefix(f"s3://{BUCKET}/{two_node_run['prefix']}", model)
    with safe_open(str(model / "model.safetensors"), "pt") as weights:
        shapes = {name: weights.get_slice(name).get_shape() for name in weights.keys()}
    assert shapes and all(0 not in shape for shape in shapes.values()), shapes
    service = handler.Service()
    service.initialize(model, dtype="fp32")
    response = service.invoke(json.dumps(REQUEST))
    assert response is not None and response.status == 200 and isinstance(response.body["outputs"], str)


def test_the_zero_3_model_serves_through_the_djl_harness(
    two_node_run: dict, tmp_path: Path, s3_env: dict[str, str]
) -> None:  # type: ignore[type-arg]
    if two_node_run["zero"] != "3":
        pytest.skip("the ZeRO-3 run's model")
    model, code = tmp_path / "model", tmp_path / "code"
    transfer.download_prefix(f"s3://{BUCKET}/{two_node_run['prefix']}", model)
    code.mkdir()
    for name in ("model.py", "handler.py"):
        shutil.copy(SERVE / name, code / name)
    properties = {
        "engine": "Python",
        "option.entryPoint": "model.py",
        "option.model_id": f"s3://{BUCKET}/{two_node_run['prefix']}",
        "option.dtype": "fp32",
    }
    worker = engine.engine_for(code, properties, "model.py", downloaded=model)
    init = worker.initialize()
    assert init.code == 204, init  # the init call answers None
    answer = engine.answer(worker, json.dumps(REQUEST).encode())
    assert answer.status == 200 and isinstance(json.loads(answer.body)["outputs"], str), answer
