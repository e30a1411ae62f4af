"""InvokeEndpoint reaches a registered local handler, or a labelled echo."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from botocore.exceptions import ClientError

from conftest import Sandbox
from test_endpoints import make_config


class FakeModel(BaseHTTPRequestHandler):
    """Plays an LMI container: answers {"inputs": ...} with {"outputs": ...}, or 400 on bad input."""

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if "inputs" not in body:
            self._answer(400, {"error": "missing inputs"})
            return
        self._answer(200, {"outputs": body["inputs"].upper(), "content_type_seen": self.headers["Content-Type"]})

    def _answer(self, status: int, document: dict) -> None:
        data = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def model_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeModel)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/invocations"
    server.shutdown()
    server.server_close()


@pytest.fixture
def endpoint(sandbox: Sandbox) -> str:
    make_config(sandbox, "config")
    sandbox.client("sagemaker").create_endpoint(EndpointName="ep", EndpointConfigName="config")
    return "ep"


def invoke(sandbox: Sandbox, name: str, body: dict) -> dict:
    runtime = sandbox.client("sagemaker-runtime")
    return runtime.invoke_endpoint(EndpointName=name, ContentType="application/json", Body=json.dumps(body))


def test_endpoint_not_in_service_cannot_be_invoked(sandbox: Sandbox, endpoint: str) -> None:
    for name in (endpoint, "missing"):
        with pytest.raises(ClientError) as error:
            invoke(sandbox, name, {"inputs": "hi"})
        assert error.value.response["Error"]["Code"] == "ValidationError"
        assert f"Endpoint {name} of account 123456789012 not found." == error.value.response["Error"]["Message"]


def test_echo_without_handler(sandbox: Sandbox, endpoint: str) -> None:
    sandbox.post("clock", {"advance": 4})
    answer = invoke(sandbox, endpoint, {"inputs": "hi", "parameters": {"max_new_tokens": 8}})
    assert answer["ContentType"] == "application/json"
    document = json.loads(answer["Body"].read())
    assert document["sandbox_echo"] is True
    assert document["endpoint"] == "ep"
    assert "no handler registered" in document["note"]
    assert document["received"] == {"inputs": "hi", "parameters": {"max_new_tokens": 8}}


def test_forwarded_to_registered_handler(sandbox: Sandbox, endpoint: str, model_url: str) -> None:
    sandbox.post("clock", {"advance": 4})
    sandbox.post(f"endpoints/{endpoint}/handler", {"url": model_url})
    assert sandbox.get("state")["handlers"] == {"ep": model_url}
    answer = invoke(sandbox, endpoint, {"inputs": "summarize this"})
    assert json.loads(answer["Body"].read()) == {"outputs": "SUMMARIZE THIS", "content_type_seen": "application/json"}

    with pytest.raises(ClientError) as error:
        invoke(sandbox, endpoint, {"prompt": "wrong field"})
    assert error.value.response["Error"]["Code"] == "ModelError"
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 424
    assert "missing inputs" in error.value.response["Error"]["Message"]

    status, removed = sandbox.control("DELETE", f"endpoints/{endpoint}/handler")
    assert status == 200 and removed["ok"] is True
    assert json.loads(invoke(sandbox, endpoint, {"inputs": "x"})["Body"].read())["sandbox_echo"] is True
