"""payload/serve run as DJL Serving runs it (payload/serve/djl): the init call, bytearray bodies,
Output codes and headers, batches, load failures, and the images' transformers and accelerate."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import torch

import handler
import tiny_model
from djl import engine, families
from djl.djl_python import Input
from djl.djl_python.inputs import request

SERVE = Path(handler.__file__).resolve().parent


@pytest.fixture(scope="module")
def weights(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny T5 as train.py leaves it: model.safetensors, config, tokenizer."""
    folder = tmp_path_factory.mktemp("weights")
    tiny_model.model().save_pretrained(folder)
    tiny_model.tokenizer().save_pretrained(folder)
    assert (folder / "model.safetensors").is_file() and not list(folder.glob("*.bin"))
    return folder


@pytest.fixture()
def code(tmp_path: Path) -> Path:
    """The model's code folder as the custom handler's tarball holds it."""
    folder = tmp_path / "code"
    folder.mkdir()
    for name in ("model.py", "handler.py"):
        shutil.copy(SERVE / name, folder / name)
    return folder


def worker(code: Path, weights: Path, **extra: str) -> engine.PythonEngine:
    properties = {"engine": "Python", "option.entryPoint": "model.py", "option.s3url": "s3://b/model/", **extra}
    return engine.engine_for(code, properties, "model.py", downloaded=weights)


def ask(worker: engine.PythonEngine, body: Any) -> tuple[engine.HttpAnswer, Any]:
    answer = engine.answer(worker, json.dumps(body).encode())
    return answer, json.loads(answer.body) if answer.body else None


def test_the_stand_in_input_holds_a_bytearray_as_djl_does() -> None:
    item = request(b'{"inputs": "x"}', {})
    assert type(item.get_as_bytes()) is bytearray and item.get_as_json() == {"inputs": "x"}


def test_init_call_loads_then_a_bytearray_request_is_answered_with_json(code: Path, weights: Path) -> None:
    w = worker(code, weights, **{"option.dtype": "fp32"})
    init = w.initialize()
    assert init.code == 204  # the init call answers None
    answer, body = ask(w, {"inputs": "hello", "parameters": {"max_new_tokens": 3}})
    assert answer.status == 200 and isinstance(body["outputs"], str)
    assert answer.headers == {"content-type": "application/json"}


def test_init_properties_are_option_keys_without_the_prefix_and_model_id_is_the_download(weights: Path) -> None:
    props = engine.init_properties(
        {"engine": "Python", "option.s3url": "s3://b/m/", "option.dtype": "bf16", "option.tensor_parallel_degree": "8"},
        weights,
    )
    assert props == {"model_id": str(weights), "dtype": "bf16", "tensor_parallel_degree": "8"}
    env = engine.with_environment({"option.dtype": "bf16"}, {"OPTION_DTYPE": "fp16", "OPTION_ROLLING_BATCH": "disable"})
    assert env == {"option.dtype": "bf16", "option.rolling_batch": "disable"}


def test_a_bad_request_has_a_one_line_reason_and_the_error_in_the_body(
    code: Path, weights: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = worker(code, weights)
    w.initialize()

    def multi_line(*args: Any, **kwargs: Any) -> Any:
        raise ValueError("The following `model_kwargs` are not used by the model: ['bogus']\n(note: typos)")

    monkeypatch.setattr(handler, "generate", multi_line)
    answer, body = ask(w, {"inputs": "x", "parameters": {"bogus": 1}})
    assert (answer.status, answer.reason) == (400, "Bad Request")
    assert "bogus" in body["error"] and answer.headers["content-type"] == "application/json"


def test_batches_are_answered_per_item(code: Path, weights: Path) -> None:
    w = worker(code, weights)
    w.initialize()
    batch = Input()
    batch.properties = {"batch_size": "2", "content-type": "application/json"}
    batch.content.add("batch_0.data", bytearray(b'{"inputs": "a", "parameters": {"max_new_tokens": 2}}'))
    batch.content.add("batch_1.data", bytearray(b"{"))
    out = w._call(batch)
    assert out.code == 200 and [out.content.key_at(i) for i in range(2)] == ["batch_0.", "batch_1."]
    assert json.loads(out.content.value_at(1))["code"] == 400


def test_a_model_that_does_not_load_fails_the_init_call(code: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "config.json").write_text('{"model_type": "t5", "d_model": "wide"}')
    with pytest.raises(engine.ModelLoadError, match="Failed to initialize model"):
        worker(code, broken).initialize()


def test_netty_refuses_a_reason_phrase_with_a_newline() -> None:
    from djl.djl_python import Output

    with pytest.raises(engine.ReasonPhraseError):
        engine.http_answer(Output().set_code(400).set_message("two\nlines"))


# -- the images the catalog offers --------------------------------------------------------------


@pytest.mark.parametrize(("family", "djl"), sorted(families.IMAGES))
def test_the_custom_handler_loads_and_answers_on_every_image(
    code: Path, weights: Path, tmp_path: Path, family: str, djl: str
) -> None:
    copy = tmp_path / "weights"
    shutil.copytree(weights, copy)
    w = worker(code, copy, **{"option.dtype": "fp32"})
    with families.simulated(families.image(family, djl), gpus=1):
        w.initialize()
        answer, body = ask(w, {"inputs": "hello", "parameters": {"max_new_tokens": 2}})
    assert answer.status == 200 and isinstance(body["outputs"], str)


def test_one_gpu_on_accelerate_0_16_gets_auto_not_balanced_low_0(code: Path, weights: Path, tmp_path: Path) -> None:
    seen: dict[str, Any] = {}
    real = handler.AutoModelForSeq2SeqLM.from_pretrained
    image = families.image("deepspeed", "0.21.0")
    copy = tmp_path / "weights"
    shutil.copytree(weights, copy)
    with families.simulated(image, gpus=1):
        simulated = handler.AutoModelForSeq2SeqLM.from_pretrained

        def spy(path: Any, **kwargs: Any) -> Any:
            seen.update(kwargs)
            return simulated(path, **kwargs)

        handler.AutoModelForSeq2SeqLM.from_pretrained = spy  # type: ignore[method-assign]
        try:
            worker(code, copy).initialize()
        finally:
            handler.AutoModelForSeq2SeqLM.from_pretrained = simulated  # type: ignore[method-assign]
    assert handler.AutoModelForSeq2SeqLM.from_pretrained == real
    assert seen["device_map"] == "auto"


def test_device_map_from_the_gpu_count_and_accelerate() -> None:
    assert handler.resolve_device_map(None, 0) is None
    assert handler.resolve_device_map(None, 8, "0.16.0") == "balanced_low_0"
    assert handler.resolve_device_map(None, 1, "0.16.0") == "auto"
    assert handler.resolve_device_map("balanced_low_0", 1, "0.19.0") == "auto"
    assert handler.resolve_device_map("balanced_low_0", 1, "0.21.0") == "balanced_low_0"


def test_safetensors_become_pytorch_model_bin_for_a_transformers_without_them(weights: Path, tmp_path: Path) -> None:
    copy = tmp_path / "weights"
    shutil.copytree(weights, copy)
    folder = handler.loadable_weights(copy, reads_safetensors_now=False)
    state = torch.load(folder / "pytorch_model.bin")
    reference = tiny_model.model().__class__.from_pretrained(copy).state_dict()
    assert set(reference) >= set(state) and all(torch.equal(state[k], reference[k]) for k in state)
    assert handler.loadable_weights(weights, reads_safetensors_now=True) == weights  # left alone


def test_a_read_only_folder_gets_a_writable_copy(
    weights: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "weights"
    shutil.copytree(weights, copy)

    def read_only(self: Path, *args: Any, **kwargs: Any) -> None:
        raise PermissionError(f"[Errno 30] Read-only file system: '{self}'")

    monkeypatch.setattr(Path, "touch", read_only)  # a chmod would not stop root
    folder = handler.loadable_weights(copy, reads_safetensors_now=False)
    assert folder != copy and (folder / "pytorch_model.bin").is_file() and (folder / "config.json").is_file()
