"""DJL Serving entry point (serving.properties: engine=Python, option.entryPoint=model.py).

Only the seq2seq models on the Python engine (Hugging Face Accelerate) need it: the current LMI
backends (vLLM, TensorRT-LLM) serve from serving.properties alone. The logic lives in handler.py,
shipped next to this file (DJL puts the model folder on PYTHONPATH); this adapter only translates
djl_python's Input/Output, and imports djl_python lazily so the module loads without it.

What DJL does around it (payload/serve/djl/engine.py runs it the same way, with sources):
- the first call is the init call, an empty Input carrying the serving properties; the model loads
  there, and an exception fails the model load (the endpoint then fails its ping health check);
- a request body arrives as a bytearray; the answer's properties become HTTP headers and its
  message the HTTP reason phrase, which must be one line (Netty refuses CR/LF in it);
- with batching (batch_size > 1) one Input holds several requests, keys "batch_<i>.data".
"""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from handler import Response, Service

# One per worker process, loaded on the init call (the shape of djl_python/huggingface.py).
_service = Service()
JSON = "application/json"


def model_location(properties: Mapping[str, str]) -> str:
    # With option.s3url / option.model_id on S3, DJL downloads the weights and names the folder
    # in model_id; otherwise the weights sit in the model folder itself.
    return properties.get("model_id") or properties["model_dir"]


def initialize(service: Service, properties: Mapping[str, str]) -> None:
    service.initialize(model_location(properties), properties.get("dtype"), properties.get("device_map"))


def reason_phrase(status: int) -> str:
    """A one-line HTTP reason phrase for the status; the error text goes in the JSON body."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _answer(output: Any, response: Response | None, batch_index: int | None = None) -> None:
    if response is None:  # the warm-up: an empty JSON answer
        output.add_as_json({}, batch_index=batch_index)
        return
    if batch_index is None:
        output.set_code(response.status)
        if response.status != 200:
            output.set_message(reason_phrase(response.status))
    output.add_as_json(
        response.body if batch_index is None else {"code": response.status, **response.body}, batch_index=batch_index
    )


def handle(inputs: Any) -> Any | None:
    from djl_python import Output

    if _service.loaded is None:
        initialize(_service, inputs.get_properties())  # an exception here fails the model load
    if inputs.is_empty():
        return None  # the init call and the server's warm-up
    batches = inputs.get_batches() if inputs.is_batch() else [inputs]
    responses = [_service.invoke(item.get_as_bytes()) for item in batches]
    if len(responses) == 1 and responses[0] is None:
        return None  # an empty request: DJL answers 204 No content
    output = Output().add_property("content-type", JSON)
    for index, response in enumerate(responses):
        _answer(output, response, index if len(responses) > 1 else None)
    return output
