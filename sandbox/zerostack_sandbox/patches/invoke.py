"""InvokeEndpoint (sagemaker-runtime) answered by a local handler, or by a labelled echo.

moto answers every InvokeEndpoint with canned data, even for endpoints that do not exist. Here an
invocation reaches the HTTP handler registered for the endpoint through the control surface
(`POST /_zerostack/endpoints/<name>/handler`), the way SageMaker forwards it to the container's
/invocations (InvokeEndpoint: Body, ContentType, Accept). A handler answering 4xx/5xx becomes a
ModelError (HTTP 424, OriginalStatusCode), as the runtime reports container errors. Without a
handler the answer is an echo that says it is one. An endpoint that is missing or not serving
(Creating, Failed, Deleting) gives ValidationError "Endpoint <name> of account <id> not found.".
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from typing import Any

from moto.core.common_types import TYPE_RESPONSE
from moto.core.exceptions import ServiceException
from moto.sagemaker.models import sagemaker_backends
from moto.sagemakerruntime.models import SageMakerRuntimeBackend
from moto.sagemakerruntime.responses import SageMakerRuntimeResponse

from ..lifecycle import LOCK, observe_all

SERVING_STATUSES = ("InService", "Updating")  # an endpoint keeps serving while it is updated


class EndpointNotFound(ServiceException):
    code = "ValidationError"


class ModelError(ServiceException):
    code = "ModelError"

    def __init__(self, message: str, original_status: int, original_message: str) -> None:
        super().__init__(message)
        self.original_status_code = original_status
        self.original_message = original_message


class HandlerRegistry:
    """Endpoint name -> URL of a local HTTP handler that plays the model container."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._urls: dict[str, str] = {}

    def register(self, endpoint_name: str, url: str) -> None:
        with self._lock:
            self._urls[endpoint_name] = url

    def remove(self, endpoint_name: str) -> bool:
        with self._lock:
            return self._urls.pop(endpoint_name, None) is not None

    def get(self, endpoint_name: str) -> str | None:
        with self._lock:
            return self._urls.get(endpoint_name)

    def all(self) -> dict[str, str]:
        with self._lock:
            return dict(self._urls)

    def clear(self) -> None:
        with self._lock:
            self._urls.clear()


handlers = HandlerRegistry()


def _echo(endpoint_name: str, body: bytes, content_type: str) -> tuple[int, str, bytes]:
    text = body.decode("utf-8", errors="replace")
    try:
        received: Any = json.loads(text) if "json" in content_type or text[:1] in "{[" else text
    except json.JSONDecodeError:
        received = text
    document = {
        "sandbox_echo": True,
        "endpoint": endpoint_name,
        "note": "no handler registered; POST /_zerostack/endpoints/"
        f'{endpoint_name}/handler with {{"url": ...}} to answer with a local model',
        "received": received,
    }
    return 200, "application/json", json.dumps(document).encode()


def _forward(url: str, body: bytes, content_type: str, accept: str | None) -> tuple[int, str, bytes]:
    headers = {"Content-Type": content_type}
    if accept:
        headers["Accept"] = accept
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers.get("Content-Type", "application/octet-stream"), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", "text/plain"), error.read()
    except (urllib.error.URLError, OSError) as error:
        raise ModelError(
            f'Received server error (0) from primary with message "sandbox: handler {url} is unreachable: {error}".',
            0,
            str(error),
        ) from error


def invoke(
    self: SageMakerRuntimeBackend, endpoint_name: str, body: bytes, content_type: str, accept: str | None
) -> tuple[int, str, bytes]:
    """Return (status, content type, body) of the model's answer."""
    with LOCK:
        observe_all()
        endpoint = sagemaker_backends[self.account_id][self.region_name].endpoints.get(endpoint_name)
        status = endpoint.endpoint_status if endpoint is not None else None
    if status not in SERVING_STATUSES:
        raise EndpointNotFound(f"Endpoint {endpoint_name} of account {self.account_id} not found.")
    url = handlers.get(endpoint_name)
    if url is None:
        return _echo(endpoint_name, body, content_type)
    code, answer_type, answer = _forward(url, body, content_type, accept)
    if code >= 400:
        text = answer.decode("utf-8", errors="replace")
        side = "client" if code < 500 else "server"
        raise ModelError(
            f'Received {side} error ({code}) from primary with message "{text}". See '
            f"https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logEventViewer:"
            f"group=/aws/sagemaker/Endpoints/{endpoint_name} in account {self.account_id} for more information.",
            code,
            text,
        )
    return code, answer_type, answer


def invoke_endpoint_response(self: SageMakerRuntimeResponse) -> TYPE_RESPONSE:
    body = self.raw_body if isinstance(self.raw_body, bytes) else str(self.raw_body or "").encode()
    endpoint_name = self.path.split("/")[2]
    _status, content_type, answer = self.sagemakerruntime_backend.invoke(  # type: ignore[attr-defined]
        endpoint_name,
        body,
        self.headers.get("Content-Type", "application/octet-stream"),
        self.headers.get("Accept"),
    )
    headers = {"Content-Type": content_type, "x-Amzn-Invoked-Production-Variant": "AllTraffic"}
    return 200, headers, answer


def apply() -> None:
    SageMakerRuntimeBackend.invoke = invoke  # type: ignore[attr-defined]
    SageMakerRuntimeResponse.invoke_endpoint = invoke_endpoint_response  # type: ignore[method-assign]
