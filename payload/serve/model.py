"""DJL Serving entry point (serving.properties: engine=Python, option.entryPoint=model.py).

Only the seq2seq models on the Python engine (Hugging Face Accelerate) need it: the current LMI
backends (vLLM, LMI-Dist, TensorRT-LLM) serve from serving.properties alone. The logic lives in
handler.py, shipped next to this file (DJL puts the model folder on sys.path); this adapter only
translates djl_python's Input/Output, and imports djl_python lazily so the module loads without it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from handler import Service

# One per worker process, loaded on the first request (the shape of djl_python/huggingface.py).
_service = Service()


def model_location(properties: Mapping[str, str]) -> str:
    # With option.s3url / option.model_id on S3, DJL downloads the weights and names the folder
    # in model_id; otherwise the weights sit in the model folder itself.
    return properties.get("model_id") or properties["model_dir"]


def initialize(service: Service, properties: Mapping[str, str]) -> None:
    service.initialize(model_location(properties), properties.get("dtype"), properties.get("device_map"))


def handle(inputs: Any) -> Any | None:
    from djl_python import Output

    if _service.loaded is None:
        initialize(_service, inputs.get_properties())
    if inputs.is_empty():
        return None  # warm-up request sent by the server after loading
    response = _service.invoke(inputs.get_as_bytes())
    if response is None:
        return None
    output = Output()
    output.set_code(response.status)
    if response.status != 200:
        output.set_message(str(response.body.get("error", "")))
    return output.add_as_json(response.body)
