"""Shared fixtures of the payload tests: import paths, an S3 emulator, a prepared tiny dataset.

payload/train and payload/serve are each the root of what runs in AWS (SageMaker's /opt/ml/code,
DJL's model folder), so their modules import each other by top-level name; the tests do the same.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TRAIN = ROOT / "payload" / "train"
SERVE = ROOT / "payload" / "serve"
for path in (TRAIN, SERVE):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

BUCKET = "zerostack-test"
# The ds_config.json program/spec/deepspeed.ts derives for the tiny preset (bf16, 2 warm-up steps:
# WarmupLR) at each ZeRO setting, written by the derivation itself (deepspeedConfig of
# PRESETS.tiny.spec with training.zero = 2 | 3 | 3-offload, from dist/ after the bootstrap).
DS_CONFIGS = Path(__file__).resolve().parent / "ds_configs"
FAKE_AWS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
}
# Nothing may come from the Hugging Face Hub: the tiny model and data are local.
OFFLINE = {"HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}


def derived_ds_config(zero: str) -> dict[str, object]:
    """The derived DeepSpeed config for `zero` in "2", "3", "3-offload"."""
    return json.loads((DS_CONFIGS / f"zero-{zero}.json").read_text())  # type: ignore[no-any-return]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """A moto S3 on a free loopback port, with the test bucket; stopped at teardown."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    import boto3

    boto3.client("s3", endpoint_url=endpoint, **_boto_kwargs()).create_bucket(Bucket=BUCKET)
    try:
        yield endpoint
    finally:
        server.stop()


def _boto_kwargs() -> dict[str, str]:
    return {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "region_name": "us-east-1"}


@pytest.fixture()
def s3_env(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The process environment pointed at the emulator, for code that reads os.environ."""
    env = {**FAKE_AWS, "AWS_ENDPOINT_URL": s3_endpoint}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env


@pytest.fixture()
def s3(s3_endpoint: str):  # type: ignore[no-untyped-def]
    import boto3

    return boto3.client("s3", endpoint_url=s3_endpoint, **_boto_kwargs())


def keys_under(s3, prefix: str) -> list[str]:  # type: ignore[no-untyped-def]
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix)
    return sorted(obj["Key"] for page in pages for obj in page.get("Contents", []))


def payload_env(**extra: str) -> dict[str, str]:
    """A clean environment for payload subprocesses: no GPU, one thread per process (2 cores)."""
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "LC_ALL")}
    return {
        **keep,
        **OFFLINE,
        "CUDA_VISIBLE_DEVICES": "",
        "OMP_NUM_THREADS": "1",
        "TOKENIZERS_PARALLELISM": "false",
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


@pytest.fixture(scope="session")
def prepared_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """payload/train/data/tiny.jsonl through prepare_data.py (no upload): <dir>/train, <dir>/test."""
    out = tmp_path_factory.mktemp("prepared")
    subprocess.run(
        [
            sys.executable,
            str(TRAIN / "prepare_data.py"),
            "--input",
            str(TRAIN / "data" / "tiny.jsonl"),
            "--output_dir",
            str(out),
            "--max_source_length",
            "128",
        ],
        check=True,
        cwd=TRAIN,
        env=payload_env(),
        capture_output=True,
        timeout=120,
    )
    return out
