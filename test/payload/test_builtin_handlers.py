"""Every (image, backend, model kind) pair of the catalog, fed to the image's built-in handler stand-in.

test/payload/serving_configs.json is the serving.properties the TypeScript derivation generates for
each pair (written and checked against the code by test/spec/serving-configs.test.ts), or the guard
errors that refuse it. Each generated file goes through what DJL does with it (engine.py: option.X
-> init properties, the S3 weights -> the downloaded folder) into payload/serve/djl/builtins.py, which
validates the options as that image's handler does (djl-serving source lines there) and returns
what its engine gets. The stand-ins refuse what the real ones refuse (the last tests).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from djl import builtins, engine, families

HERE = Path(__file__).resolve().parent
PAIRS: list[dict[str, Any]] = json.loads((HERE / "serving_configs.json").read_text())
RESPONSES: list[dict[str, str]] = json.loads((HERE / "handler_responses.json").read_text())
DOWNLOADED = "/tmp/.djl.ai/download/3f1c0a"  # where DJL puts the S3 weights (any local folder)

SERVED = [p for p in PAIRS if p.get("servingProperties") is not None]
BUILTIN = [p for p in SERVED if p["handler"] == "builtin"]
REFUSED = [p for p in PAIRS if p["refused"]]

EXPECTED_ENTRY = {
    # (backend, family, DJL from) -> the handler DJL runs for the generated file
    "accelerate": lambda f, v: "djl_python.huggingface",
    "deepspeed": lambda f, v: "djl_python.deepspeed",
    "fastertransformer": lambda f, v: "djl_python.fastertransformer",
    "vllm": lambda f, v: "djl_python.lmi_vllm.vllm_async_service" if v >= (0, 33) else "djl_python.huggingface",
    "lmi-dist": lambda f, v: "djl_python.huggingface",
    "trtllm": lambda f, v: "djl_python.lmi_trtllm.trtllm_async_service" if v >= (0, 33) else "djl_python.tensorrt_llm",
}


def name(pair: dict[str, Any]) -> str:
    return f"{pair['image']}-{pair['backend']}-{pair['kind']}-{pair['handler']}-{pair['preset']}"


def loaded(pair: dict[str, Any]) -> builtins.Loaded:
    props = engine.parse_properties(pair["servingProperties"])
    init = engine.init_properties(props, DOWNLOADED)
    # DJL gives a Python worker tensor_parallel_degree GPUs of the instance; the generated TP must fit
    assert pair["tensorParallelDegree"] <= pair["gpus"]
    return builtins.load(pair["family"], pair["djl"], props, init, gpus=pair["tensorParallelDegree"])


def test_the_fixture_covers_every_family_and_backend() -> None:
    assert {(p["family"], p["backend"]) for p in PAIRS} == {
        ("deepspeed", "accelerate"),
        ("deepspeed", "deepspeed"),
        ("fastertransformer", "fastertransformer"),
        ("lmi", "accelerate"),
        ("lmi", "vllm"),
        ("lmi", "lmi-dist"),
        ("tensorrtllm", "trtllm"),
    }
    assert len(BUILTIN) > 60


@pytest.mark.parametrize("pair", BUILTIN, ids=name)
def test_the_built_in_handler_accepts_the_generated_file_and_gets_what_it_needs(pair: dict[str, Any]) -> None:
    props = engine.parse_properties(pair["servingProperties"])
    # the weights key names where training uploaded the model, as a prefix (DJL downloads it)
    weights_key = "option.s3url" if families.version_tuple(pair["djl"]) < (0, 22) else "option.model_id"
    assert props[weights_key] == pair["modelS3Uri"].rstrip("/") + "/"
    result = loaded(pair)
    v = families.version_tuple(pair["djl"])
    assert result.entry_point == EXPECTED_ENTRY[pair["backend"]](pair["family"], v)
    assert result.model == DOWNLOADED  # the weights DJL downloaded, not the S3 URI
    args = result.engine_args
    tp = pair["tensorParallelDegree"]
    assert tp == pair["gpus"]  # every preset's TP is its instance's GPU count
    dtype = pair["dtype"]
    if pair["backend"] == "accelerate":
        assert args["kwargs"]["torch_dtype"] == {"bf16": "bfloat16", "fp16": "float16", "fp32": "float32"}[dtype]
        # the weights spread over every GPU the TP degree asks for: DJL < 0.30 derives device_map
        # "auto" from TP; from 0.30, with rolling batch off, only the generated option.device_map does
        # (without it the model goes whole to cuda:0: the seed's T5-XXL on one of 8 A10Gs)
        assert args["devices"] == tp, (args["kwargs"], args["device"])
        if tp > 1:
            assert args["kwargs"]["device_map"] == "auto"
    elif pair["backend"] == "deepspeed":
        assert args["ds_config"]["tensor_parallel"]["tp_size"] == tp
        assert args["dtype"] == {"bf16": "bfloat16", "fp16": "float16", "fp32": "float32"}[dtype]
    elif pair["backend"] == "fastertransformer":
        assert args["tensor_parallel_degree"] == tp and args["dtype"] == dtype
    else:
        assert args["tensor_parallel_size"] == tp
        assert args.get("max_num_seqs", args.get("max_batch_size")) == 32
        assert args["dtype"] in (dtype, builtins.VLLM_DTYPES.get(dtype))
        if pair["backend"] == "trtllm" and v >= (0, 33):  # TensorRT-LLM's own names (builtins.trtllm)
            assert args["dtype"] in builtins.TRTLLM_DTYPES
        if pair["backend"] in ("vllm", "lmi-dist"):
            assert args["max_model_len"] > 0


@pytest.mark.parametrize("pair", [p for p in SERVED if p["handler"] == "custom"], ids=name)
def test_the_custom_handler_is_model_py_shipped_beside_handler_py(pair: dict[str, Any]) -> None:
    props = engine.parse_properties(pair["servingProperties"])
    assert builtins.entry_point(pair["family"], pair["djl"], props) == "model.py"
    assert {"model.py", "handler.py"} <= set(pair["codeFiles"])


@pytest.mark.parametrize("pair", REFUSED, ids=name)
def test_a_refused_pair_names_backend_and_image_and_the_image_could_not_load_it(pair: dict[str, Any]) -> None:
    assert pair.get("servingProperties") is None
    problem = next(p for p in pair["refused"] if p["field"] == "serving.backend")
    assert pair["image"] in problem["message"] or pair["djl"] in problem["message"]
    image = families.image(pair["family"], pair["djl"])
    v = families.version_tuple(pair["djl"])
    if pair["backend"] == "deepspeed" and v < (0, 22):
        assert "no support" in problem["message"]  # guards.ts: 0.21's deepspeed.py lists neither T5 nor Llama
    else:  # the built-in handler would look for pytorch_model.bin in a model.safetensors folder
        assert not image.reads_safetensors


def test_every_served_builtin_legacy_pair_reads_safetensors() -> None:
    for pair in BUILTIN:
        if pair["family"] in ("deepspeed", "fastertransformer"):
            assert families.image(pair["family"], pair["djl"]).reads_safetensors, name(pair)


@pytest.mark.parametrize("response", RESPONSES, ids=lambda r: r["handler"])
def test_each_handler_answers_generated_text(response: dict[str, str]) -> None:
    body = json.loads(response["body"])
    first = body[0] if isinstance(body, list) else body
    assert set(first) == {"generated_text"}


def test_the_accelerate_stand_in_answers_the_shape_of_the_recorded_response() -> None:
    from djl.djl_python import huggingface

    class Fake(huggingface.HuggingFaceService):
        def generate(self, data: Any, parameters: dict[str, Any]) -> list[dict[str, str]]:
            return [{"generated_text": "the summary"}]

    service = Fake()
    output = service.inference(engine.Input().__class__())
    assert json.loads(output.body()) == json.loads(RESPONSES[0]["body"])


# -- refusals copied from the images (a stand-in kinder than the image is a defect) ---------------------

OPTS = {"model_id": DOWNLOADED}


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: builtins.huggingface("0.31.0", {**OPTS, "dtype": "fp8"}, 1), "Invalid data type: fp8"),
        (lambda: builtins.huggingface("0.22.1", {**OPTS, "dtype": "float16"}, 1), "Invalid data type"),
        (
            lambda: builtins.huggingface("0.28.0", {**OPTS, "tensor_parallel_degree": "4"}, 2),
            "TP degree (4) doesn't match available GPUs (2)",
        ),
        (
            lambda: builtins.huggingface("0.31.0", {**OPTS, "tensor_parallel_degree": "4", "rolling_batch": "vllm"}, 2),
            "TP*PP degree (4) doesn't match",
        ),
        (lambda: builtins.properties("0.35.0", {**OPTS, "rolling_batch": "lmi-dist"}), "rolling_batch"),
        (lambda: builtins.properties("0.28.0", {**OPTS, "tensor_parallel_degree": "max"}), "valid integer"),
        (lambda: builtins.vllm("0.28.0", {**OPTS, "engine": "MPI"}), "Need python engine"),
        (lambda: builtins.vllm("0.38.0", {**OPTS, "dtype": "int8"}), "Invalid dtype=int8"),
        (lambda: builtins.lmi_dist("0.28.0", OPTS), "Need MPI engine"),
        (lambda: builtins.trtllm("0.25.0", {**OPTS, "rolling_batch": "disable"}), "cannot disable rolling batch"),
        (lambda: builtins.trtllm("0.28.0", {**OPTS, "rolling_batch": "vllm"}), "only supports"),
        (lambda: builtins.trtllm("0.33.0", {**OPTS, "dtype": "bf16"}), "Unsupported dtype: bf16"),
        (lambda: builtins.deepspeed("0.25.0", {**OPTS, "rolling_batch": "vllm"}), "deepspeed engine only supports"),
        (lambda: builtins.deepspeed("0.23.0", {**OPTS, "task": "summarization"}), "not currently supported"),
        (lambda: builtins.entry_point("deepspeed", "0.21.0", {"engine": "DeepSpeed"}), ".py file not found"),
    ],
)
def test_the_stand_ins_refuse_what_the_images_refuse(call: Any, message: str) -> None:
    with pytest.raises(builtins.Refused, match=None) as raised:
        call()
    assert message in str(raised.value)


def test_the_hf_handler_places_the_model_as_each_version_does() -> None:
    eight = {**OPTS, "tensor_parallel_degree": "8", "rolling_batch": "disable"}
    # 0.29: TP derives device_map "auto" (0.29.0-dlc hf_properties.py:125-129)
    assert builtins.huggingface("0.29.0", eight, 8)["devices"] == 8
    # 0.30 on, rolling batch off: no device_map, the whole model on cuda:0
    for djl in ("0.30.0", "0.31.0", "0.38.0"):
        placed = builtins.huggingface(djl, eight, 8)
        assert "device_map" not in placed["kwargs"] and placed["device"] == "cuda:0" and placed["devices"] == 1
        mapped = builtins.huggingface(djl, {**eight, "device_map": "auto"}, 8)
        assert mapped["kwargs"]["device_map"] == "auto" and mapped["devices"] == 8
    # no GPU (the sandbox): the CPU
    assert builtins.huggingface("0.38.0", eight, 0)["devices"] == 0


def test_lmi_dist_accepts_the_mpi_engine_of_the_generated_file() -> None:
    pair = next(p for p in BUILTIN if p["backend"] == "lmi-dist")
    assert "engine=MPI" in pair["servingProperties"]
    assert loaded(pair).engine_args["tensor_parallel_size"] == pair["tensorParallelDegree"]
