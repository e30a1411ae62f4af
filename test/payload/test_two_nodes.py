"""The CPU proof: two `python start.py` processes acting as two SageMaker nodes train the tiny T5.

Each node gets what SageMaker gives it (SM_HOSTS, SM_CURRENT_HOST, SM_TRAINING_ENV, channels and
hyperparameters.json under its own /opt/ml, its own /tmp), plus the rehearsal overrides (master at
127.0.0.1 on a free port, one process per node, the S3 emulator). The run goes through the real
entry point, torchrun and train.py over gloo; then the uploaded model is served by the handler.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

import handler
import transfer
from conftest import BUCKET, FAKE_AWS, TRAIN, free_port, keys_under, payload_env

HOSTS = ["algo-1", "algo-2"]
MODEL_PREFIX = "experiments/tiny-rehearsal/model/"
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
    "warmup_steps": "0",
    "weight_decay": "0",
    "max_grad_norm": "1",
    "eval_steps": "2",
    "logging_steps": "1",
    "seed": "42",
    "gradient_checkpointing": "false",
    "bf16": "true",
    "fp16": "false",
    "deepspeed": "ds_config.json",
    "save_on_each_node": "true",
    "load_best_model_at_end": "false",
    "output_dir": "/tmp/output/asset",
    "max_train_samples": "16",
    "max_eval_samples": "2",
}
# What program/spec/deepspeed.ts writes for ZeRO-3 (shortened); unused on CPU, checked all the same.
DS_CONFIG = {
    "bf16": {"enabled": "auto"},
    "zero_optimization": {
        "stage": 3,
        "overlap_comm": True,
        "contiguous_gradients": True,
        "stage3_gather_16bit_weights_on_model_save": True,
    },
    "train_batch_size": "auto",
    "train_micro_batch_size_per_gpu": "auto",
}


def node_env(tmp: Path, rank: int, master_port: int, s3_endpoint: str, prepared: Path) -> tuple[dict[str, str], Path]:
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
        MODEL_S3_PATH=f"s3://{BUCKET}/{MODEL_PREFIX}",
        NCCL_DEBUG="INFO",
        ZEROSTACK_OPT_ML=str(opt_ml),
        ZEROSTACK_MASTER_ADDR="127.0.0.1",
        ZEROSTACK_MASTER_PORT=str(master_port),
        ZEROSTACK_NPROC_PER_NODE="1",
        TMPDIR=str(node / "tmp"),
    )
    return env, node


@pytest.fixture(scope="module")
def two_node_run(tmp_path_factory: pytest.TempPathFactory, s3_endpoint: str, prepared_data: Path) -> dict[str, object]:
    tmp = tmp_path_factory.mktemp("two-nodes")
    # The source bundle as SageMaker unpacks it into /opt/ml/code: payload/train plus the
    # ds_config.json the TypeScript side writes next to start.py.
    code = tmp / "code"
    shutil.copytree(TRAIN, code, ignore=shutil.ignore_patterns("__pycache__", "data"))
    (code / "ds_config.json").write_text(json.dumps(DS_CONFIG))
    port = free_port()
    procs, nodes = [], []
    for rank in range(2):
        env, node = node_env(tmp, rank, port, s3_endpoint, prepared_data)
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
    return {"nodes": nodes, "logs": logs}


def test_each_node_launched_torchrun_with_its_rank(two_node_run: dict) -> None:  # type: ignore[type-arg]
    for rank, log in enumerate(two_node_run["logs"]):
        assert f"start.py: node {rank} of 2 (algo-{rank + 1}), master algo-1 at 127.0.0.1" in log
        assert f"-m torch.distributed.run --nnodes 2 --node_rank {rank} --nproc_per_node 1" in log
        assert "no GPU: DeepSpeed skipped" in log


def test_loss_lines_as_the_hf_trainer_prints_them(two_node_run: dict) -> None:  # type: ignore[type-arg]
    # SageMaker's metric regexes and zerostack's log tailer read these (local rank 0 of each node prints).
    log = two_node_run["logs"][0]
    losses = [line for line in log.splitlines() if line.startswith("{'loss': ")]
    assert len(losses) == 4
    assert all("'learning_rate': " in line and "'epoch': " in line for line in losses)
    assert "{'eval_loss': " in log


def test_every_node_saved_under_its_own_tmp_and_not_in_opt_ml_model(two_node_run: dict) -> None:  # type: ignore[type-arg]
    for node in two_node_run["nodes"]:
        saved = node / "tmp" / "output" / "asset"
        assert (saved / "model.safetensors").is_file() and (saved / "config.json").is_file()
        assert list((node / "opt" / "ml" / "model").iterdir()) == []


def test_only_world_rank_0_uploaded(two_node_run: dict, s3) -> None:  # type: ignore[no-untyped-def, type-arg]
    node0, node1 = two_node_run["logs"]
    assert "uploaded" in node0 and "with s5cmd" in node0
    assert "uploaded" not in node1
    keys = keys_under(s3, MODEL_PREFIX)
    assert f"{MODEL_PREFIX}model.safetensors" in keys and f"{MODEL_PREFIX}tokenizer_config.json" in keys
    assert not any(k.endswith((".tar.gz", ".tar")) for k in keys)


def test_the_uploaded_model_serves(two_node_run: dict, tmp_path: Path, s3_env: dict[str, str]) -> None:  # type: ignore[type-arg]
    transfer.download_prefix(f"s3://{BUCKET}/{MODEL_PREFIX}", tmp_path / "model")
    service = handler.Service()
    service.initialize(tmp_path / "model", dtype="fp32")
    article = "The Oakmere library reopened on Monday after a renovation that cost 12 million dollars."
    response = service.invoke(
        json.dumps(
            {
                "inputs": f"Summarize the following news article:\n{article}\nSummary:\n",
                "parameters": {"max_new_tokens": 16},
            }
        )
    )
    assert response is not None and response.status == 200 and isinstance(response.body["outputs"], str)
