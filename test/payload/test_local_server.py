"""local_server.py as the sandbox runs it: a subprocess on a free port, ready line, /ping, /invocations."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

import tiny_model
from conftest import ROOT, payload_env


def request(url: str, body: bytes | None = None) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(
            urllib.request.Request(url, data=body, method="POST" if body is not None else "GET"), timeout=30
        ) as r:
            data = r.read()
            return r.status, json.loads(data) if data else None
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    folder = tmp_path_factory.mktemp("served")
    tiny_model.model().save_pretrained(folder)
    tiny_model.tokenizer().save_pretrained(folder)
    # `python -m` from the repository root, as the sandbox starts it
    proc = subprocess.Popen(
        [sys.executable, "-m", "serve.local_server", "--model-dir", str(folder), "--port", "0"],
        cwd=ROOT,
        env=payload_env(PYTHONPATH=str(ROOT / "payload")),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        ready = json.loads(proc.stdout.readline())
        assert ready["event"] == "ready" and ready["port"] > 0
        yield ready["url"], proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)


def test_ping(server: tuple[str, subprocess.Popen[str]]) -> None:
    assert request(server[0] + "/ping") == (200, {"status": "ok"})


def test_invocations(server: tuple[str, subprocess.Popen[str]]) -> None:
    status, body = request(
        server[0] + "/invocations",
        json.dumps({"inputs": "Summarize this", "parameters": {"max_new_tokens": 4}}).encode(),
    )
    assert status == 200 and isinstance(body["outputs"], str)


def test_bad_requests_and_warm_up(server: tuple[str, subprocess.Popen[str]]) -> None:
    url = server[0]
    assert request(url + "/invocations", b"{")[0] == 400
    assert request(url + "/invocations", b"") == (204, None)  # DJL: a None answer is 204 No content
    assert request(url + "/nope")[0] == 404


def test_sigterm_stops_it_cleanly(server: tuple[str, subprocess.Popen[str]]) -> None:
    proc = server[1]
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 0


def start(args: list[str]) -> tuple[dict[str, Any], subprocess.Popen[str]]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "serve.local_server", *args, "--port", "0"],
        cwd=ROOT,
        env=payload_env(PYTHONPATH=str(ROOT / "payload")),
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    return json.loads(proc.stdout.readline()), proc


def stop(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.kill()
    proc.wait(timeout=30)


def first_event(args: list[str]) -> dict[str, Any]:
    """The server's first line (ready, or failed with the load error); the server is then stopped."""
    ready, proc = start(args)
    stop(proc)
    return ready


@pytest.fixture(scope="module")
def weights(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("weights")
    tiny_model.model().save_pretrained(folder)
    tiny_model.tokenizer().save_pretrained(folder)
    return folder


def code_folder(root: Any, properties: str, custom: bool = False) -> Any:
    """The unpacked ModelDataUrl, as the sandbox lays it out: serving.properties (and model.py)."""
    root.mkdir()
    (root / "serving.properties").write_text(properties)
    if custom:
        for name in ("model.py", "handler.py"):
            (root / name).write_text((ROOT / "payload" / "serve" / name).read_text())
    return root


# what program/spec/serving-properties.ts writes for the tiny preset (accelerate, builtin, LMI 0.38)
BUILTIN = (
    "engine=Python\noption.entryPoint=djl_python.huggingface\noption.model_id=s3://b/m/\n"
    "option.tensor_parallel_degree=1\noption.dtype=fp32\noption.rolling_batch=disable\n"
)


def test_a_builtin_entry_point_answers_in_the_builtin_handlers_shape(weights: Any, tmp_path: Any) -> None:
    code = code_folder(tmp_path / "code", BUILTIN)
    ready, proc = start(["--model-dir", str(weights), "--code-dir", str(code), "--image", "lmi:0.38.0"])
    try:
        assert ready["event"] == "ready", ready
        status, body = request(
            ready["url"] + "/invocations",
            json.dumps({"inputs": "Summarize this", "parameters": {"max_new_tokens": 4}}).encode(),
        )
        # djl_python.huggingface: the pipeline's list, one {"generated_text"} per input
        assert status == 200 and isinstance(body, list) and set(body[0]) == {"generated_text"}, body
        status, body = request(ready["url"] + "/invocations", json.dumps({"inputs": ["a", "b"]}).encode())
        assert status == 200 and len(body) == 2
        status, body = request(ready["url"] + "/invocations", b"{")
        assert status == 424 and body["code"] == 424  # an exception in inference: Output().error(...)
    finally:
        stop(proc)


def test_a_custom_entry_point_runs_the_models_own_handler(weights: Any, tmp_path: Any) -> None:
    properties = "engine=Python\noption.entryPoint=model.py\noption.s3url=s3://b/m/\noption.dtype=fp32\n"
    code = code_folder(tmp_path / "code", properties, custom=True)
    ready, proc = start(["--model-dir", str(weights), "--code-dir", str(code), "--image", "deepspeed:0.23.0"])
    try:
        assert ready["event"] == "ready", ready
        status, body = request(ready["url"] + "/invocations", json.dumps({"inputs": "Summarize this"}).encode())
        assert status == 200 and isinstance(body["outputs"], str)
    finally:
        stop(proc)


def test_the_builtin_handler_reads_its_options(weights: Any, tmp_path: Any) -> None:
    code = code_folder(tmp_path / "code", BUILTIN.replace("option.dtype=fp32", "option.dtype=float42"))
    # --dtype is the sandbox's CPU override; without it the handler reads option.dtype as LMI's does
    ready = first_event(["--model-dir", str(weights), "--code-dir", str(code), "--image", "lmi:0.38.0"])
    assert ready["event"] == "failed" and "Invalid data type: float42" in ready["error"], ready


def test_an_image_without_a_default_handler_fails_the_load(weights: Any, tmp_path: Any) -> None:
    code = code_folder(tmp_path / "code", "engine=Python\noption.s3url=s3://b/m/\n")
    ready = first_event(["--model-dir", str(weights), "--code-dir", str(code), "--image", "deepspeed:0.21.0"])
    assert ready["event"] == "failed" and "no entry point" in ready["error"], ready


def test_corrupt_weights_fail_the_init_call(weights: Any, tmp_path: Any) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    for path in weights.iterdir():
        (broken / path.name).write_bytes(path.read_bytes())
    (broken / "model.safetensors").write_bytes(b"this is not a safetensors file")
    code = code_folder(tmp_path / "code", BUILTIN)
    ready = first_event(["--model-dir", str(broken), "--code-dir", str(code), "--image", "lmi:0.38.0"])
    assert ready["event"] == "failed" and ready["error"].startswith("Failed to initialize model"), ready


# The generated files of test/payload/serving_configs.json for TensorRT-LLM on DJL 0.33 (one GPU):
# the old generator's `bf16` and today's `bfloat16`.
TRTLLM_033 = (
    "engine=MPI\noption.model_id=s3://b/m/\noption.tensor_parallel_degree=1\noption.dtype={dtype}\n"
    "option.rolling_batch=trtllm\noption.max_rolling_batch_size=32\n"
)


def test_a_builtin_handler_runs_its_images_option_checks_before_the_model_loads(weights: Any, tmp_path: Any) -> None:
    # djl/builtins.py: TensorRT-LLM 0.33 passes dtype to TensorRT-LLM, which knows no "bf16"; the
    # check sees the model's own dtype, not the sandbox's CPU override (--dtype fp32)
    code = code_folder(tmp_path / "bf16", TRTLLM_033.format(dtype="bf16"))
    args = ["--model-dir", str(weights), "--code-dir", str(code), "--image", "tensorrtllm:0.33.0", "--dtype", "fp32"]
    ready = first_event(args)
    assert ready["event"] == "failed", ready
    # as DJL reports a handler's init exception: Output().error(str(e)), then the failed worker
    assert ready["error"].startswith("Failed to initialize model: prediction failure: "), ready
    assert json.loads(ready["error"].split(": ", 2)[2])["error"] == "AssertionError: Unsupported dtype: bf16"

    # LMI v15 (DJL 0.33) removed lmi-dist from RollingBatchEnum: refused by Properties, though the
    # huggingface stand-in alone would have served it
    code = code_folder(tmp_path / "lmi-dist", BUILTIN.replace("rolling_batch=disable", "rolling_batch=lmi-dist"))
    ready = first_event(["--model-dir", str(weights), "--code-dir", str(code), "--image", "lmi:0.35.0"])
    assert ready["event"] == "failed" and "rolling_batch: Input should be 'vllm', 'auto'" in ready["error"], ready


def test_what_the_images_checks_accept_is_served(weights: Any, tmp_path: Any) -> None:
    # today's TensorRT-LLM file passes the checks (djl-tensorrtllm has no transformers facts: this
    # machine's run the stand-in), and a TP 2 HF file on two GPUs with device_map
    code = code_folder(tmp_path / "bfloat16", TRTLLM_033.format(dtype="bfloat16"))
    args = ["--model-dir", str(weights), "--code-dir", str(code), "--image", "tensorrtllm:0.33.0", "--dtype", "fp32"]
    ready = first_event(args)
    assert ready["event"] == "ready", ready
    tp2 = BUILTIN.replace("tensor_parallel_degree=1", "tensor_parallel_degree=2") + "option.device_map=auto\n"
    code = code_folder(tmp_path / "tp2", tp2)
    ready = first_event(["--model-dir", str(weights), "--code-dir", str(code), "--image", "lmi:0.38.0"])
    assert ready["event"] == "ready", ready
