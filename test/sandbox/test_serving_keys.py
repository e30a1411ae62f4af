"""An endpoint whose model sets serving keys its LMI image does not document fails, simulated or not.

The keys per image family and DJL version, with their djl-serving sources, are in
zerostack_sandbox/patches/lmi_keys.py; the model's keys are read as the container reads them
(serving.properties in the ModelDataUrl tarball, then OPTION_* variables).
"""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest

from conftest import ROLE, Sandbox
from zerostack_sandbox.patches import lmi_keys
from zerostack_sandbox.patches.model_code import DjlImage, ServingCode, option_key, parse_properties

BUCKET = "zerostack-keys"
REGISTRY = "763104351884.dkr.ecr.us-east-1.amazonaws.com/djl-inference"
BASE = {"engine": "Python", "option.tensor_parallel_degree": "1", "option.dtype": "fp16"}
WEIGHTS = {"option.model_id": "s3://b/m/"}

# what program/spec/serving-properties.ts writes for each backend on each family it allows
GENERATED = [
    ("deepspeed", "0.21.0", {**BASE, "option.entryPoint": "model.py", "option.s3url": "s3://b/m/"}),
    ("deepspeed", "0.22.1", {**BASE, **WEIGHTS, "engine": "DeepSpeed", "option.entryPoint": "djl_python.deepspeed"}),
    ("fastertransformer", "0.21.0", {**BASE, "engine": "FasterTransformer", "option.s3url": "s3://b/m/"}),
    ("deepspeed", "0.27.0", {**BASE, **WEIGHTS, "option.entryPoint": "model.py"}),
    (
        "lmi",
        "0.31.0",
        {
            **BASE,
            **WEIGHTS,
            "option.rolling_batch": "vllm",
            "option.max_rolling_batch_size": "32",
            "option.max_model_len": "96",
        },
    ),
    (
        "lmi",
        "0.38.0",
        {
            **BASE,
            **WEIGHTS,
            "option.async_mode": "true",
            "option.rolling_batch": "disable",
            "option.max_rolling_batch_size": "32",
            "option.max_model_len": "96",
        },
    ),
    (
        "lmi",
        "0.38.0",
        {**BASE, **WEIGHTS, "option.entryPoint": "djl_python.huggingface", "option.rolling_batch": "disable"},
    ),
    ("tensorrtllm", "0.25.0", {**BASE, **WEIGHTS, "engine": "MPI", "option.rolling_batch": "trtllm"}),
    ("tensorrtllm", "0.33.0", {**BASE, **WEIGHTS, "engine": "MPI", "option.max_rolling_batch_size": "32"}),
]

REFUSED = [
    ("lmi", "0.38.0", "option.s3url"),  # no source of DJL >= 0.27 reads it: the model gets no weights
    ("deepspeed", "0.27.0", "option.s3url"),
    ("lmi", "0.31.0", "option.async_mode"),  # documented from 0.33.0
    ("deepspeed", "0.21.0", "option.rolling_batch"),  # documented from 0.23.0
    ("fastertransformer", "0.22.1", "option.max_rolling_batch_size"),
    ("tensorrtllm", "0.33.0", "option.max_model_len"),  # a vLLM / LMI-Dist option
    ("deepspeed", "0.26.0", "option.max_model_len"),
    ("lmi", "0.38.0", "option.no_such_option"),
]


@pytest.mark.parametrize(("family", "djl", "properties"), GENERATED)
def test_what_zerostack_generates_is_documented_for_its_image(family: str, djl: str, properties: dict) -> None:  # type: ignore[type-arg]
    assert lmi_keys.undocumented(DjlImage(family, djl), properties) == []


def test_every_file_the_derivation_generates_is_documented_for_its_image() -> None:
    # test/payload/serving_configs.json: what program/spec/serving-properties.ts writes for every
    # catalog pair (kept equal to the code by test/spec/serving-configs.test.ts)
    pairs = json.loads((Path(__file__).resolve().parents[1] / "payload" / "serving_configs.json").read_text())
    served = [p for p in pairs if p.get("servingProperties")]
    assert len(served) > 100
    for pair in served:
        properties = parse_properties(pair["servingProperties"])
        assert lmi_keys.undocumented(DjlImage(pair["family"], pair["djl"]), properties) == [], pair["image"]


VLLM_PASS_THROUGH = [
    ("lmi", "0.28.0", "option.gpu_memory_utilization", True),  # a field of 0.28's VllmRbProperties
    ("lmi", "0.31.0", "option.enable_prefix_caching", False),  # not read before pass-through (0.32)
    ("lmi", "0.32.0", "option.enable_prefix_caching", True),
    ("lmi", "0.38.0", "option.tokenizer_mode", True),
    ("lmi", "0.34.0", "option.speculative_config", False),
    ("lmi", "0.35.0", "option.speculative_config", True),
    ("deepspeed", "0.27.0", "option.gpu_memory_utilization", False),  # no vLLM on the image
]


@pytest.mark.parametrize(("family", "djl", "key", "granted"), VLLM_PASS_THROUGH)
def test_vllm_options_the_guide_names_are_granted_where_the_image_reads_them(
    family: str, djl: str, key: str, granted: bool
) -> None:
    found = lmi_keys.undocumented(DjlImage(family, djl), {**BASE, **WEIGHTS, key: "1"})
    assert found == ([] if granted else [key])


@pytest.mark.parametrize(("family", "djl", "key"), REFUSED)
def test_a_key_the_family_does_not_document_is_named(family: str, djl: str, key: str) -> None:
    properties = {**BASE, **WEIGHTS, key: "x", "minWorkers": "1"}  # server-level keys are not checked
    assert lmi_keys.undocumented(DjlImage(family, djl), properties) == [key]


def test_the_image_and_option_variables_are_read_as_djl_reads_them() -> None:
    assert ServingCode(f"{REGISTRY}:0.38.0-lmi29.0.0-cu130").djl_image == DjlImage("lmi", "0.38.0")
    assert ServingCode(f"{REGISTRY}:0.21.0-deepspeed0.8.0-cu117").djl_image == DjlImage("deepspeed", "0.21.0")
    assert ServingCode(f"{REGISTRY}:0.33.0-tensorrtllm0.21.0-cu128").djl_image == DjlImage("tensorrtllm", "0.33.0")
    assert ServingCode("123.dkr.ecr.us-east-1.amazonaws.com/my-own:latest").djl_image is None
    assert option_key("OPTION_ROLLING_BATCH") == "option.rolling_batch"
    assert option_key("OPTION_ENTRYPOINT") == "option.entryPoint"
    assert option_key("OPTION_ENGINE") == "engine"
    assert option_key("HF_MODEL_ID") is None


def code_tarball(properties: dict[str, str]) -> bytes:
    text = "".join(f"{key}={value}\n" for key, value in properties.items()).encode()
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        info = tarfile.TarInfo("serving.properties")
        info.size = len(text)
        archive.addfile(info, io.BytesIO(text))
    return buffer.getvalue()


def make_model_config(
    sandbox: Sandbox, name: str, tag: str, properties: dict[str, str], env: dict[str, str] | None = None
) -> None:
    s3, sagemaker = sandbox.client("s3"), sandbox.client("sagemaker")
    s3.put_object(Bucket=BUCKET, Key=f"code/{name}/code.tar.gz", Body=code_tarball(properties))
    sagemaker.create_model(
        ModelName=name,
        ExecutionRoleArn=ROLE,
        PrimaryContainer={
            "Image": f"{REGISTRY}:{tag}",
            "ModelDataUrl": f"s3://{BUCKET}/code/{name}/code.tar.gz",
            "Environment": env or {},
        },
    )
    sagemaker.create_endpoint_config(
        EndpointConfigName=name,
        ProductionVariants=[
            {"VariantName": "AllTraffic", "ModelName": name, "InstanceType": "ml.g5.2xlarge", "InitialInstanceCount": 1}
        ],
    )


@pytest.fixture
def keys_sandbox(sandbox: Sandbox) -> Sandbox:
    sandbox.client("s3").create_bucket(Bucket=BUCKET)
    return sandbox


def test_a_simulated_endpoint_with_undocumented_keys_fails_as_a_container_that_cannot_start(
    keys_sandbox: Sandbox,
) -> None:
    sagemaker = keys_sandbox.client("sagemaker")
    make_model_config(
        keys_sandbox,
        "old-keys",
        "0.31.0-lmi13.0.0-cu124",
        {**BASE, "option.s3url": "s3://b/m/"},
        env={"OPTION_ASYNC_MODE": "true", "HF_TOKEN_SECRET_ARN": "not an option"},
    )
    sagemaker.create_endpoint(EndpointName="old-keys", EndpointConfigName="old-keys")
    assert sagemaker.describe_endpoint(EndpointName="old-keys")["EndpointStatus"] == "Creating"
    keys_sandbox.post("clock", {"advance": 4})
    endpoint = sagemaker.describe_endpoint(EndpointName="old-keys")
    assert endpoint["EndpointStatus"] == "Failed"
    reason = endpoint["FailureReason"]
    assert reason.startswith("The primary container for production variant AllTraffic did not pass the ping")
    assert "option.async_mode (OPTION_ env), option.s3url not documented for djl-lmi 0.31.0 images" in reason, reason
    assert len(reason) <= 1024

    # the same keys on an image that documents them: InService as before
    make_model_config(keys_sandbox, "fine", "0.22.1-deepspeed0.9.2-cu118", {**BASE, "option.s3url": "s3://b/m/"})
    sagemaker.create_endpoint(EndpointName="fine", EndpointConfigName="fine")
    keys_sandbox.post("clock", {"advance": 4})
    endpoint = sagemaker.describe_endpoint(EndpointName="fine")
    assert endpoint["EndpointStatus"] == "InService" and "FailureReason" not in endpoint


def test_an_update_to_undocumented_keys_rolls_back_with_the_reason(keys_sandbox: Sandbox) -> None:
    sagemaker = keys_sandbox.client("sagemaker")
    make_model_config(keys_sandbox, "v1", "0.38.0-lmi29.0.0-cu130", {**BASE, **WEIGHTS})
    make_model_config(keys_sandbox, "v2", "0.38.0-lmi29.0.0-cu130", {**BASE, "option.s3url": "s3://b/m/"})
    sagemaker.create_endpoint(EndpointName="ep", EndpointConfigName="v1")
    keys_sandbox.post("clock", {"advance": 4})
    sagemaker.update_endpoint(EndpointName="ep", EndpointConfigName="v2")
    assert sagemaker.describe_endpoint(EndpointName="ep")["EndpointStatus"] == "Updating"
    keys_sandbox.post("clock", {"advance": 4})
    endpoint = sagemaker.describe_endpoint(EndpointName="ep")
    # DescribeEndpoint FailureReason: "the status is InService but update operation fails"
    assert (endpoint["EndpointStatus"], endpoint["EndpointConfigName"]) == ("InService", "v1")
    assert "option.s3url not documented for djl-lmi 0.38.0 images" in endpoint["FailureReason"]
    assert "PendingDeploymentSummary" not in endpoint
