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
