"""One sandbox server per test session, started as a subprocess on a free port.

Every test starts from a reset sandbox (moto state, scenario, clock, handlers, stats). The server
runs in its own process group and is terminated (then killed) at teardown, so no process outlives
the run. Run with: .venv-sandbox/bin/python -m pytest test/sandbox
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config

ROOT = Path(__file__).resolve().parents[2]
READY = "zerostack-sandbox ready "
REGION = "us-east-1"

os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_DEFAULT_REGION=REGION)
os.environ.pop("AWS_PROFILE", None)


def start_server(
    extra_env: dict[str, str] | None = None, args: list[str] | None = None
) -> tuple[subprocess.Popen[str], str]:
    """Start `python -m zerostack_sandbox serve --port 0` and wait for its ready line."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "sandbox"), "PYTHONUNBUFFERED": "1", **(extra_env or {})}
    process = subprocess.Popen(
        [sys.executable, "-m", "zerostack_sandbox", "serve", "--host", "127.0.0.1", "--port", "0", *(args or [])],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.append(process.stdout.readline()), daemon=True)  # type: ignore[union-attr]
    reader.start()
    reader.join(timeout=30)
    if not lines or not lines[0].startswith(READY):
        stop_server(process)
        raise RuntimeError(f"sandbox did not print its ready line, got {lines!r}")
    return process, lines[0][len(READY) :].strip()


def stop_server(process: subprocess.Popen[str]) -> int:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
    return process.returncode


class Sandbox:
    """The running server: its URL, boto3 clients pointed at it, and its control surface."""

    def __init__(self, url: str) -> None:
        self.url = url

    def client(self, service: str) -> Any:
        config = Config(retries={"max_attempts": 1}, s3={"addressing_style": "path"})
        return boto3.client(service, endpoint_url=self.url, region_name=REGION, config=config)

    def control(self, method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            f"{self.url}/_zerostack/{path}", data=data, method=method, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def post(self, path: str, body: dict[str, Any] | None = None) -> Any:
        status, document = self.control("POST", path, body or {})
        assert status == 200, document
        return document

    def get(self, path: str) -> Any:
        status, document = self.control("GET", path)
        assert status == 200, document
        return document


@pytest.fixture(scope="session")
def server() -> Iterator[Sandbox]:
    process, url = start_server()
    try:
        yield Sandbox(url)
    finally:
        stop_server(process)


@pytest.fixture
def sandbox(server: Sandbox) -> Sandbox:
    server.post("reset")
    return server


def wait_for(check: Callable[[], Any], timeout_s: float = 15.0, interval_s: float = 0.05) -> Any:
    """Poll `check` until it returns something truthy; fail with its last value at the deadline."""
    deadline = time.monotonic() + timeout_s
    last: Any = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(interval_s)
    raise AssertionError(f"condition not met within {timeout_s}s; last value: {last!r}")


ROLE = "arn:aws:iam::123456789012:role/zerostack-sandbox"


def training_job_request(name: str, bucket: str = "zerostack-bucket", **overrides: Any) -> dict[str, Any]:
    """A CreateTrainingJob request like zerostack's: two p4d nodes, EFA env, MODEL_S3_PATH."""
    request: dict[str, Any] = {
        "TrainingJobName": name,
        "AlgorithmSpecification": {
            "TrainingImage": "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.3.0-gpu-py311",
            "TrainingInputMode": "File",
        },
        "RoleArn": ROLE,
        "HyperParameters": {"epochs": "2", "lr": "0.0001", "model_id": "google/flan-t5-xl"},
        "InputDataConfig": [
            {
                "ChannelName": "training",
                "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": f"s3://{bucket}/data/train/"}},
            }
        ],
        "OutputDataConfig": {"S3OutputPath": f"s3://{bucket}/output"},
        "ResourceConfig": {"InstanceType": "ml.p4d.24xlarge", "InstanceCount": 2, "VolumeSizeInGB": 200},
        "StoppingCondition": {"MaxRuntimeInSeconds": 86400},
        "Environment": {
            "NODE_NUMBER": "2",
            "MODEL_S3_PATH": f"s3://{bucket}/models/{name}/",
            "FI_PROVIDER": "efa",
            "NCCL_DEBUG": "INFO",
        },
        "Tags": [{"Key": "zerostack:experiment", "Value": name}],
    }
    request.update(overrides)
    return request
