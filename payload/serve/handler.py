"""The serving logic behind model.py (DJL Serving) and local_server.py, free of djl_python.

Requests are JSON `{"inputs": str | [str], "parameters": {...generate kwargs}}`; answers are
`{"outputs": str | [str]}` (a list when the inputs were a list). Failures come back as a
Response with a status code and `{"error": ...}`, never as an exception into the server, and an
empty request (the server's warm-up) is answered with None, as djl_python's huggingface.py does.
The seed's inference tips are defaults: the dtype is always given to from_pretrained (a model
trained in bf16/fp16 otherwise loads as fp32 and can run out of memory) and use_cache=True
(the KV cache makes generation much faster).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from transformers import AutoConfig, AutoModelForCausalLM, AutoModelForSeq2SeqLM, AutoTokenizer

DTYPES = {
    "fp32": torch.float32,
    "float32": torch.float32,
    "fp16": torch.float16,
    "float16": torch.float16,
    "bf16": torch.bfloat16,
    "bfloat16": torch.bfloat16,
}
# The seed's choice for one model over several GPUs: keep GPU 0 lighter, it also holds the inputs.
DEFAULT_GPU_DEVICE_MAP = "balanced_low_0"


@dataclass(frozen=True)
class Response:
    status: int
    body: dict[str, Any]


@dataclass
class Loaded:
    model: Any
    tokenizer: Any
    is_seq2seq: bool
    dtype: torch.dtype
    device: torch.device


class RequestError(ValueError):
    """A bad request: answered with 400 and the message."""


def resolve_dtype(dtype: str | None, model_dir: str | Path) -> torch.dtype:
    """The dtype to load with: the one asked for, else the one the model was saved in, else fp32."""
    if dtype and dtype != "auto":
        try:
            return DTYPES[dtype.lower()]
        except KeyError:
            raise ValueError(f"unknown dtype {dtype!r}; one of {sorted(DTYPES)}") from None
    saved = AutoConfig.from_pretrained(str(model_dir)).torch_dtype
    if isinstance(saved, str):
        saved = getattr(torch, saved, None)
    return saved if isinstance(saved, torch.dtype) else torch.float32


def resolve_device_map(device_map: str | None, has_gpu: bool) -> str | None:
    # accelerate's balanced maps spread over GPUs; without one everything stays on the CPU.
    if not has_gpu:
        return None
    return device_map or DEFAULT_GPU_DEVICE_MAP


def load(model_dir: str | Path, dtype: str | None = None, device_map: str | None = None) -> Loaded:
    has_gpu = torch.cuda.is_available()
    torch_dtype = resolve_dtype(dtype, model_dir)
    config = AutoConfig.from_pretrained(str(model_dir))
    is_seq2seq = bool(getattr(config, "is_encoder_decoder", False))
    auto = AutoModelForSeq2SeqLM if is_seq2seq else AutoModelForCausalLM
    model = auto.from_pretrained(
        str(model_dir), torch_dtype=torch_dtype, device_map=resolve_device_map(device_map, has_gpu)
    )
    model.eval()
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    if not is_seq2seq:
        # A decoder-only model continues from the last token, so padding goes on the left.
        tokenizer.padding_side = "left"
        if tokenizer.pad_token_id is None:
            tokenizer.pad_token = tokenizer.eos_token
    return Loaded(model=model, tokenizer=tokenizer, is_seq2seq=is_seq2seq, dtype=torch_dtype, device=model.device)


def parse_request(body: bytes | str | Mapping[str, Any]) -> tuple[list[str], bool, dict[str, Any]]:
    """(inputs, whether a single string came in, generate parameters) or RequestError."""
    if isinstance(body, (bytes, str)):
        try:
            body = json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError) as err:
            raise RequestError(f"the body is not JSON: {err}") from None
    if not isinstance(body, Mapping):
        raise RequestError('the body must be a JSON object {"inputs": ..., "parameters": {...}}')
    inputs = body.get("inputs")
    single = isinstance(inputs, str)
    batch = [inputs] if single else inputs
    if not isinstance(batch, list) or not batch or not all(isinstance(x, str) for x in batch):
        raise RequestError('"inputs" must be a string or a non-empty list of strings')
    parameters = body.get("parameters") or {}
    if not isinstance(parameters, Mapping):
        raise RequestError('"parameters" must be a JSON object of generation options')
    return batch, single, dict(parameters)


def generate(loaded: Loaded, inputs: list[str], parameters: Mapping[str, Any]) -> list[str]:
    options = {"use_cache": True, **parameters}
    encoded = loaded.tokenizer(inputs, return_tensors="pt", padding=True).to(loaded.device)
    with torch.inference_mode():
        output_ids = loaded.model.generate(**encoded, **options)
    if not loaded.is_seq2seq:
        output_ids = output_ids[:, encoded["input_ids"].shape[1] :]  # drop the echoed prompt
    return loaded.tokenizer.batch_decode(output_ids, skip_special_tokens=True)


def is_empty(body: bytes | str | Mapping[str, Any] | None) -> bool:
    return (
        body is None
        or (isinstance(body, (bytes, str)) and not body.strip())
        or (isinstance(body, Mapping) and not body)
    )


class Service:
    """Loads once, lazily, then answers requests; the one object a server process keeps."""

    def __init__(self) -> None:
        self.loaded: Loaded | None = None

    def initialize(self, model_dir: str | Path, dtype: str | None = None, device_map: str | None = None) -> None:
        self.loaded = load(model_dir, dtype, device_map)

    def invoke(self, body: bytes | str | Mapping[str, Any] | None) -> Response | None:
        if is_empty(body):
            return None  # warm-up
        if self.loaded is None:
            return Response(503, {"error": "the model is not loaded"})
        try:
            inputs, single, parameters = parse_request(body)  # type: ignore[arg-type]
        except RequestError as err:
            return Response(400, {"error": str(err)})
        try:
            outputs = generate(self.loaded, inputs, parameters)
        except (ValueError, TypeError) as err:
            # transformers rejects unknown or inconsistent generation options with these.
            return Response(400, {"error": f"generation rejected the parameters: {err}"})
        except Exception as err:  # the server must answer, whatever went wrong
            return Response(500, {"error": f"{type(err).__name__}: {err}"})
        return Response(200, {"outputs": outputs[0] if single else outputs})
