"""payload/serve: handler functions, the DJL adapter (with a stand-in djl_python), dtype and KV cache."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import torch

import handler
import tiny_model
from handler import Response, Service


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The tiny T5 saved as fp32 and as bf16, with its tokenizer, as train.py leaves a model."""
    out = {}
    for name, dtype in (("fp32", torch.float32), ("bf16", torch.bfloat16)):
        folder = tmp_path_factory.mktemp(name)
        tiny_model.model().to(dtype).save_pretrained(folder)
        tiny_model.tokenizer().save_pretrained(folder)
        out[name] = folder
    return out


def test_a_bf16_model_stays_bf16(saved: dict[str, Path]) -> None:
    # The seed's OOM lesson: without torch_dtype a 16-bit checkpoint loads as fp32.
    assert handler.load(saved["bf16"]).model.dtype == torch.bfloat16
    assert handler.load(saved["bf16"], dtype="bf16").model.dtype == torch.bfloat16
    assert handler.load(saved["fp32"], dtype="bf16").model.dtype == torch.bfloat16
    assert handler.load(saved["fp32"]).model.dtype == torch.float32


def test_from_pretrained_always_gets_torch_dtype(saved: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}
    real = handler.AutoModelForSeq2SeqLM.from_pretrained

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.update(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(handler.AutoModelForSeq2SeqLM, "from_pretrained", spy)
    handler.load(saved["fp32"], dtype="fp16")
    assert seen["torch_dtype"] == torch.float16 and seen["device_map"] is None  # no GPU here


def test_unknown_dtype_is_named(saved: dict[str, Path]) -> None:
    with pytest.raises(ValueError, match="int3"):
        handler.resolve_dtype("int3", saved["fp32"])


def test_device_map_only_with_gpus() -> None:
    assert handler.resolve_device_map(None, gpus=8) == "balanced_low_0"
    assert handler.resolve_device_map("auto", gpus=8) == "auto"
    assert handler.resolve_device_map("balanced_low_0", gpus=0) is None


def test_generate_turns_the_kv_cache_on(saved: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = handler.load(saved["fp32"])
    seen: dict[str, Any] = {}
    real = loaded.model.generate

    def spy(**kwargs: Any) -> Any:
        seen.update(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(loaded.model, "generate", spy)
    texts = handler.generate(loaded, ["one article", "another, longer article"], {"max_new_tokens": 5})
    assert len(texts) == 2 and all(isinstance(t, str) for t in texts)
    assert seen["use_cache"] is True and seen["max_new_tokens"] == 5


@pytest.fixture(scope="module")
def service(saved: dict[str, Path]) -> Service:
    s = Service()
    s.initialize(saved["fp32"])
    return s


def test_answers(service: Service) -> None:
    one = service.invoke(json.dumps({"inputs": "hello", "parameters": {"max_new_tokens": 4}}).encode())
    assert one is not None and one.status == 200 and isinstance(one.body["outputs"], str)
    many = service.invoke({"inputs": ["a", "b"], "parameters": {"max_new_tokens": 3, "do_sample": False}})
    assert many is not None and many.status == 200 and len(many.body["outputs"]) == 2


@pytest.mark.parametrize("body", [b"", "  ", None, {}])
def test_warm_up_is_answered_with_none(service: Service, body: Any) -> None:
    assert service.invoke(body) is None


@pytest.mark.parametrize(
    ("body", "status", "text"),
    [
        (b"not json", 400, "not JSON"),
        (b"[1, 2]", 400, "JSON object"),
        (b'{"inputs": 5}', 400, '"inputs"'),
        (b'{"inputs": []}', 400, '"inputs"'),
        (b'{"inputs": "x", "parameters": [1]}', 400, '"parameters"'),
        (b'{"inputs": "x", "parameters": {"no_such_option": 1}}', 400, "no_such_option"),
    ],
)
def test_errors_come_back_with_a_status(service: Service, body: bytes, status: int, text: str) -> None:
    response = service.invoke(body)
    assert response is not None and response.status == status and text in response.body["error"]


def test_a_crash_in_generate_is_a_500_not_an_exception(service: Service, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("CUDA out of memory")

    monkeypatch.setattr(handler, "generate", boom)
    assert service.invoke(b'{"inputs": "x"}') == Response(500, {"error": "RuntimeError: CUDA out of memory"})


def test_not_loaded_is_503() -> None:
    response = Service().invoke(b'{"inputs": "x"}')
    assert response is not None and response.status == 503


def test_a_bytearray_body_is_a_request(service: Service) -> None:
    # DJL's Input.get_as_bytes returns a bytearray (djl_python/inputs.py); test_djl_harness runs model.py through it
    response = service.invoke(bytearray(b'{"inputs": "hi", "parameters": {"max_new_tokens": 2}}'))
    assert response is not None and response.status == 200
    assert service.invoke(bytearray(b"  ")) is None
