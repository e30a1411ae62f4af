"""Rehearsal with the real payload: the tiny preset trained by two local nodes, then served.

As `npx zerostack up --preset tiny --rehearse` drives it: the source bundle (payload/train plus the
ds_config.json the TypeScript side writes) and the tiny dataset (prepare_data.py, uploaded with
s5cmd) are in the sandbox's S3; a 2-instance CreateTrainingJob with ZEROSTACK_REHEARSE=1 runs
`python start.py` twice (torchrun, gloo, CPU); its lines reach CloudWatch, MetricDefinitions see
the real loss, rank 0 uploads the model to MODEL_S3_PATH; an endpoint on that model is served by
payload/serve/local_server.py. Skipped only when the payload venv is missing.
"""

from __future__ import annotations

import ast
import io
import json
import math
import os
import re
import subprocess
import tarfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from conftest import ROOT, Sandbox, start_server, stop_server, wait_for

PAYLOAD_PYTHON = ROOT / ".toolchain" / "venv-payload" / "bin" / "python"
TRAIN = ROOT / "payload" / "train"
BUCKET = "zerostack-sandbox"
GROUP = "/aws/sagemaker/TrainingJobs"
JOB = "tiny-rehearsal"
MODEL_PREFIX = f"experiments/{JOB}/model/"
# What program/spec/hyperparameters.ts derives for the tiny preset (program/spec/presets.ts).
HYPERPARAMETERS = {
    "model_id": "zerostack/tiny-t5",
    "model_kind": "seq2seq",
    "model_source": "config",
    "dataset_name": "zerostack/tiny-summaries",
    "epochs": "1",
    "learning_rate": "0.001",
    "per_device_train_batch_size": "4",
    "per_device_eval_batch_size": "4",
    "gradient_accumulation_steps": "1",
    "max_source_length": "64",
    "max_target_length": "32",
    "generation_max_length": "32",
    "warmup_steps": "2",
    "weight_decay": "0",
    "max_grad_norm": "1",
    "eval_steps": "4",
    "logging_steps": "1",
    "seed": "42",
    "gradient_checkpointing": "true",
    "bf16": "true",
    "fp16": "false",
    "deepspeed": "ds_config.json",
    "save_on_each_node": "true",
    "load_best_model_at_end": "false",
    "output_dir": "/tmp/output/asset",
}
# ds_config.json as program/spec/deepspeed.ts derives it for the tiny preset, at each ZeRO setting
# (test/payload/ds_configs): the payload trains with it on DeepSpeed's CPU accelerator.
DS_CONFIGS = ROOT / "test" / "payload" / "ds_configs"
ZERO_SETTINGS = ("2", "3", "3-offload")
NUMBER = "([-+]?[0-9]*[.]?[0-9]+[eE]?[-+]?[0-9]*)"
METRIC_DEFINITIONS = [
    {"Name": name, "Regex": f"['\"]{name}['\"]: ['\"]?{NUMBER}"}
    for name in ("loss", "learning_rate", "epoch", "eval_loss")
]

pytestmark = pytest.mark.skipif(not PAYLOAD_PYTHON.is_file(), reason=f"payload venv missing: {PAYLOAD_PYTHON}")


def source_bundle(zero: str) -> bytes:
    """sourcedir.tar.gz as the training-job provider builds it: payload/train + ds_config.json."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for path in sorted(TRAIN.iterdir()):
            if path.is_file() and path.suffix in (".py", ".txt"):
                archive.add(path, arcname=path.name)
        archive.add(DS_CONFIGS / f"zero-{zero}.json", arcname="ds_config.json")
    return buffer.getvalue()


def bundle_key(zero: str) -> str:
    return f"zerostack/source/zero-{zero}/sourcedir.tar.gz"


def serving_code(model_uri: str) -> bytes:
    """The model's ModelDataUrl tarball: serving.properties naming the trained weights."""
    return properties_tarball(
        "engine=Python\noption.entryPoint=djl_python.huggingface\n"
        f"option.model_id={model_uri}\noption.tensor_parallel_degree=1\noption.dtype=fp32\n"
        "option.rolling_batch=disable\n"
    )


def properties_tarball(text: str) -> bytes:
    """A model.tar.gz holding only serving.properties with `text`."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        info = tarfile.TarInfo("serving.properties")
        info.size = len(text)
        archive.addfile(info, io.BytesIO(text.encode()))
    return buffer.getvalue()


def settled_endpoint(  # type: ignore[no-untyped-def]
    sagemaker,
    name: str,
    image: str,
    model_data_url: str,
    instance_type: str,
    environment: dict[str, str] | None = None,
) -> dict:  # type: ignore[type-arg]
    """Model, endpoint config and endpoint, all named `name`; the endpoint once it left Creating."""
    container = {"Image": image, "ModelDataUrl": model_data_url}
    sagemaker.create_model(
        ModelName=name,
        ExecutionRoleArn="arn:aws:iam::123456789012:role/zerostack-sandbox",
        PrimaryContainer=container if environment is None else {**container, "Environment": environment},
    )
    sagemaker.create_endpoint_config(
        EndpointConfigName=name,
        ProductionVariants=[
            {"VariantName": "AllTraffic", "ModelName": name, "InstanceType": instance_type, "InitialInstanceCount": 1}
        ],
    )
    sagemaker.create_endpoint(EndpointName=name, EndpointConfigName=name)
    return wait_for(
        lambda: (e := sagemaker.describe_endpoint(EndpointName=name))["EndpointStatus"] != "Creating" and e,
        timeout_s=90,
        interval_s=0.3,
    )


@pytest.fixture(scope="module")
def rehearsal_sandbox() -> Iterator[Sandbox]:
    process, url = start_server({"ZEROSTACK_PAYLOAD_PYTHON": str(PAYLOAD_PYTHON)})
    try:
        yield Sandbox(url)
    finally:
        stop_server(process)


def messages(logs, stream: str) -> list[str]:  # type: ignore[no-untyped-def]
    out, token = [], None
    while True:
        page = logs.get_log_events(
            logGroupName=GROUP, logStreamName=stream, startFromHead=True, **({"nextToken": token} if token else {})
        )
        out += [event["message"] for event in page["events"]]
        if page["nextForwardToken"] == token or not page["events"]:
            return out
        token = page["nextForwardToken"]


@pytest.fixture(scope="module")
def staged(rehearsal_sandbox: Sandbox, tmp_path_factory: pytest.TempPathFactory) -> Sandbox:
    """The bucket, the source bundle and the tiny dataset (prepare_data.py, s5cmd) in the sandbox's S3."""
    sandbox = rehearsal_sandbox
    s3 = sandbox.client("s3")
    s3.create_bucket(Bucket=BUCKET)
    for zero in ZERO_SETTINGS:
        s3.put_object(Bucket=BUCKET, Key=bundle_key(zero), Body=source_bundle(zero))
    env = {key: os.environ[key] for key in ("PATH", "HOME") if key in os.environ}
    env.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_ENDPOINT_URL=sandbox.url,
        HF_HUB_OFFLINE="1",
        HF_DATASETS_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        CUDA_VISIBLE_DEVICES="",
    )
    subprocess.run(
        [
            str(PAYLOAD_PYTHON),
            "prepare_data.py",
            "--input",
            "data/tiny.jsonl",
            "--output_dir",
            str(tmp_path_factory.mktemp("prepared")),
            "--max_source_length",
            "64",
            "--max_target_length",
            "32",
            "--s3_uri",
            f"s3://{BUCKET}/datasets/tiny",
        ],
        cwd=TRAIN,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return sandbox


def job_request(name: str, zero: str = "3", **hyperparameters: str) -> dict:  # type: ignore[type-arg]
    return {
        "TrainingJobName": name,
        "RoleArn": "arn:aws:iam::123456789012:role/zerostack-sandbox",
        "AlgorithmSpecification": {
            "TrainingImage": "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.1.0-gpu-py310",
            "TrainingInputMode": "File",
            "MetricDefinitions": METRIC_DEFINITIONS,
        },
        "HyperParameters": {
            **HYPERPARAMETERS,
            **hyperparameters,
            "sagemaker_program": json.dumps("start.py"),
            "sagemaker_submit_directory": json.dumps(f"s3://{BUCKET}/{bundle_key(zero)}"),
        },
        "InputDataConfig": [
            {
                "ChannelName": channel,
                "DataSource": {
                    "S3DataSource": {
                        "S3DataType": "S3Prefix",
                        "S3Uri": f"s3://{BUCKET}/datasets/tiny/{split}/",
                        "S3DataDistributionType": "FullyReplicated",
                    }
                },
            }
            for channel, split in (("training", "train"), ("test", "test"))
        ],
        "OutputDataConfig": {"S3OutputPath": f"s3://{BUCKET}/output"},
        "ResourceConfig": {"InstanceType": "ml.g5.2xlarge", "InstanceCount": 2, "VolumeSizeInGB": 50},
        "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
        "Environment": {
            "ZEROSTACK_REHEARSE": "1",
            "MODEL_S3_PATH": f"s3://{BUCKET}/experiments/{name}/model/",
            "NODE_NUMBER": "2",
            "NCCL_DEBUG": "WARN",
        },
    }


def test_tiny_preset_rehearsed_end_to_end(staged: Sandbox) -> None:
    sandbox = staged
    s3, sagemaker, logs = sandbox.client("s3"), sandbox.client("sagemaker"), sandbox.client("logs")
    started = time.monotonic()
    sagemaker.create_training_job(**job_request(JOB))
    seen: list[str] = []

    def final() -> dict | None:  # type: ignore[type-arg]
        job = sagemaker.describe_training_job(TrainingJobName=JOB)
        if not seen or seen[-1] != job["SecondaryStatus"]:
            seen.append(job["SecondaryStatus"])
        return job if job["TrainingJobStatus"] in ("Completed", "Failed", "Stopped") else None

    job = wait_for(final, timeout_s=240, interval_s=0.5)
    wall = time.monotonic() - started
    if os.environ.get("ZEROSTACK_SHOW_REHEARSAL_LOGS"):
        for name in sorted(s["logStreamName"] for s in logs.describe_log_streams(logGroupName=GROUP)["logStreams"]):
            print(f"--- {name}", *messages(logs, name), sep="\n")
    print(f"\nrehearsal wall time (tiny preset, 2 nodes): {wall:.1f} s; statuses seen {seen}")
    streams = sorted(
        s["logStreamName"]
        for s in logs.describe_log_streams(logGroupName=GROUP, logStreamNamePrefix=f"{JOB}/")["logStreams"]
    )
    host_logs = [messages(logs, name) for name in streams]
    assert job["TrainingJobStatus"] == "Completed", (job.get("FailureReason"), [lines[-30:] for lines in host_logs])
    assert "Training" in seen
    assert [t["Status"] for t in job["SecondaryStatusTransitions"]] == [
        "Starting",
        "Downloading",
        "Training",
        "Uploading",
        "Completed",
    ]
    assert job["BillableTimeInSeconds"] == job["TrainingTimeInSeconds"] and job["TrainingTimeInSeconds"] <= wall + 1

    # one stream per host, the real payload's lines in each
    assert len(streams) == 2 and all(re.fullmatch(rf"{JOB}/algo-[12]-\d{{10}}", name) for name in streams)
    for rank, lines in enumerate(host_logs):
        text = "\n".join(lines)
        assert f"start.py: node {rank} of 2 (algo-{rank + 1}), master algo-1 at 127.0.0.1" in text
        losses = [ast.literal_eval(line) for line in lines if line.startswith("{'loss': ")]
        assert losses and all({"loss", "learning_rate", "epoch"} <= set(loss) for loss in losses), text[-3000:]
        assert_deepspeed_trained(text, "3", rank)
    assert "uploaded" in "\n".join(host_logs[0]) and "uploaded" not in "\n".join(host_logs[1])

    metrics = {m["MetricName"]: m["Value"] for m in job["FinalMetricDataList"]}
    last_losses = {
        float([ast.literal_eval(line) for line in lines if line.startswith("{'loss': ")][-1]["loss"])
        for lines in host_logs
    }
    assert metrics["loss"] in last_losses and {"learning_rate", "epoch"} <= set(metrics), metrics
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET, Prefix=MODEL_PREFIX).get("Contents", [])]
    assert f"{MODEL_PREFIX}model.safetensors" in keys and f"{MODEL_PREFIX}config.json" in keys, keys
    assert job["ModelArtifacts"]["S3ModelArtifacts"] == f"s3://{BUCKET}/{MODEL_PREFIX}"

    # the trained model served through payload/serve by the endpoint
    s3.put_object(
        Bucket=BUCKET, Key="zerostack/code/def456/code.tar.gz", Body=serving_code(f"s3://{BUCKET}/{MODEL_PREFIX}")
    )
    endpoint = settled_endpoint(
        sagemaker,
        "tiny-endpoint",
        # the tiny preset's image: the built-in handler runs as on it (its transformers reads safetensors)
        "763104351884.dkr.ecr.us-east-1.amazonaws.com/djl-inference:0.38.0-lmi29.0.0-cu130",
        f"s3://{BUCKET}/zerostack/code/def456/code.tar.gz",
        "ml.g5.xlarge",
        environment={},
    )
    assert endpoint["EndpointStatus"] == "InService", endpoint.get("FailureReason")
    url = sandbox.get("state")["handlers"]["tiny-endpoint"]
    assert url.startswith("http://127.0.0.1:") and url.endswith("/invocations")

    runtime = sandbox.client("sagemaker-runtime")
    article = "The Oakmere library reopened on Monday after a renovation that cost 12 million dollars."
    answer = runtime.invoke_endpoint(
        EndpointName="tiny-endpoint",
        ContentType="application/json",
        Body=json.dumps(
            {
                "inputs": f"Summarize the following news article:\n{article}\nSummary:\n",
                "parameters": {"max_new_tokens": 16},
            }
        ),
    )
    body = json.loads(answer["Body"].read())
    # djl_python.huggingface's answer (payload/serve/djl/djl_python/huggingface.py stands in for it)
    assert isinstance(body, list) and isinstance(body[0]["generated_text"], str), body

    sagemaker.delete_endpoint(EndpointName="tiny-endpoint")
    assert "tiny-endpoint" not in sandbox.get("state")["handlers"]

    def server_gone() -> bool:
        try:
            urllib.request.urlopen(url.replace("/invocations", "/ping"), timeout=1)
        except (urllib.error.URLError, OSError):
            return True
        return False

    wait_for(server_gone, timeout_s=15)
    wait_for(lambda: sandbox.get("state")["rehearsal_processes"] == 0, timeout_s=15)


def assert_deepspeed_trained(text: str, zero: str, rank: int = 0) -> None:
    """One node's log: the DeepSpeed engine on its CPU accelerator with the derived config, the bf16
    note; on rank 0 the engine's summary and finite losses that fall (transformers 5 quotes them)."""
    assert re.search(
        r"no GPU: DeepSpeed on its CPU accelerator \(DS_ACCELERATOR=cpu, gloo\) with \S+/ds_config.json", text
    )
    assert "no GPU: --bf16 true -> false (transformers takes bf16 without a GPU only with use_cpu" in text
    if rank != 0:
        return
    stage = "ZeRO stage 3 (offload optimizer and param to CPU)" if zero == "3-offload" else f"ZeRO stage {zero}"
    engine = [line for line in text.splitlines() if "DeepSpeed 0.19.8 engine: " in line]
    assert engine and f"{stage}, fp32, optimizer " in engine[0], engine or text[-3000:]
    assert engine[0].endswith("DeepSpeedCPUAdam" if zero == "3-offload" else "FusedAdam"), engine
    steps = [ast.literal_eval(line) for line in text.splitlines() if line.startswith("{'loss': ")]
    losses = [float(step["loss"]) for step in steps]
    norms = [float(step["grad_norm"]) for step in steps]
    assert losses and all(math.isfinite(x) and x > 0 for x in losses + norms), steps
    assert losses[-1] < losses[0], losses


def final_job(sandbox: Sandbox, name: str, timeout_s: float = 120) -> dict:  # type: ignore[type-arg]
    sagemaker = sandbox.client("sagemaker")
    return wait_for(
        lambda: (
            (j := sagemaker.describe_training_job(TrainingJobName=name))["TrainingJobStatus"]
            in ("Completed", "Failed", "Stopped")
            and j
        ),
        timeout_s=timeout_s,
        interval_s=0.5,
    )


def test_a_payload_refusal_fails_the_job_with_its_message(staged: Sandbox) -> None:
    # seed tip 3, refused by train.py on several nodes before any training
    staged.client("sagemaker").create_training_job(**job_request("tiny-refused", save_on_each_node="false"))
    job = final_job(staged, "tiny-refused")
    assert job["TrainingJobStatus"] == "Failed"
    reason = job["FailureReason"]
    assert reason.startswith("AlgorithmError: ExecuteUserScriptError:\nExitCode 1\nErrorMessage ")
    assert "ValueError: refusing to train:" in reason and "save_on_each_node=false leaves nodes" in reason, reason
    wait_for(lambda: staged.get("state")["rehearsal_processes"] == 0, timeout_s=15)


def test_zero_2_and_zero_3_offload_rehearse(staged: Sandbox) -> None:
    sagemaker, logs = staged.client("sagemaker"), staged.client("logs")
    for zero in ("2", "3-offload"):
        sagemaker.create_training_job(**job_request(f"tiny-zero-{zero}", zero=zero))
    for zero in ("2", "3-offload"):
        name = f"tiny-zero-{zero}"
        job = final_job(staged, name, timeout_s=300)
        streams = sorted(
            s["logStreamName"]
            for s in logs.describe_log_streams(logGroupName=GROUP, logStreamNamePrefix=f"{name}/")["logStreams"]
        )
        texts = ["\n".join(messages(logs, stream)) for stream in streams]
        assert job["TrainingJobStatus"] == "Completed", (job.get("FailureReason"), [t[-3000:] for t in texts])
        assert_deepspeed_trained(texts[0], zero)
    wait_for(lambda: staged.get("state")["rehearsal_processes"] == 0, timeout_s=15)


def test_a_broken_deepspeed_config_fails_the_job_with_deepspeeds_message(staged: Sandbox) -> None:
    # The scenario edits the bundle's ds_config.json (standing in for a derivation bug): an option
    # of ZeRO-3 only under ZeRO-2, which DeepSpeed's config model refuses when the engine starts.
    staged.post(
        "scenario",
        {
            "training_jobs": {
                "tiny-broken": {
                    "ds_config_edit": {"zero_optimization.offload_optimizer": {"device": "cpu", "ratio": 0.5}}
                }
            }
        },
    )
    staged.client("sagemaker").create_training_job(**job_request("tiny-broken", zero="2"))
    job = final_job(staged, "tiny-broken", timeout_s=180)
    assert job["TrainingJobStatus"] == "Failed"
    reason = job["FailureReason"]
    assert reason.startswith("AlgorithmError: ExecuteUserScriptError:\nExitCode 1\nErrorMessage "), reason
    assert "Partial offloading only supported for ZeRO Stage 3." in reason, reason
    wait_for(lambda: staged.get("state")["rehearsal_processes"] == 0, timeout_s=15)


def test_stop_ends_a_real_run(staged: Sandbox) -> None:
    sagemaker, logs = staged.client("sagemaker"), staged.client("logs")
    sagemaker.create_training_job(**job_request("tiny-stopped", epochs="200"))

    def training_logged() -> bool:
        try:
            streams = logs.describe_log_streams(logGroupName=GROUP, logStreamNamePrefix="tiny-stopped/")["logStreams"]
        except logs.exceptions.ResourceNotFoundException:
            return False
        return any(line.startswith("{'loss': ") for s in streams for line in messages(logs, s["logStreamName"]))

    wait_for(training_logged, timeout_s=60, interval_s=0.5)
    sagemaker.stop_training_job(TrainingJobName="tiny-stopped")
    job = final_job(staged, "tiny-stopped", timeout_s=30)
    assert job["TrainingJobStatus"] == "Stopped" and job["SecondaryStatus"] == "Stopped"
    wait_for(lambda: staged.get("state")["rehearsal_processes"] == 0, timeout_s=15)


def test_a_rehearsed_builtin_handler_refused_by_its_images_checks_fails_with_the_handlers_error(
    rehearsal_sandbox: Sandbox,
) -> None:
    """local_server.py runs payload/serve/djl/builtins.py's checks for the Model's image before the
    model loads: the TensorRT-LLM 0.33 file the old generator wrote (dtype bf16, which TensorRT-LLM's
    LLM refuses) fails the endpoint with the handler's error, as the image's worker would."""
    sandbox = rehearsal_sandbox
    s3, sagemaker = sandbox.client("s3"), sandbox.client("sagemaker")
    bucket = "builtin-checks"
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="model/config.json", Body=b"{}")  # never read: refused first
    text = (
        f"engine=MPI\noption.model_id=s3://{bucket}/model/\noption.tensor_parallel_degree=1\n"
        "option.dtype=bf16\noption.rolling_batch=trtllm\noption.max_rolling_batch_size=32\n"
    )
    s3.put_object(Bucket=bucket, Key="code/model.tar.gz", Body=properties_tarball(text))
    sandbox.post("scenario", {"endpoints": {"trt-bf16": {"rehearse": True}}})
    endpoint = settled_endpoint(
        sagemaker,
        "trt-bf16",
        "763104351884.dkr.ecr.us-east-1.amazonaws.com/djl-inference:0.33.0-tensorrtllm0.21.0-cu128",
        f"s3://{bucket}/code/model.tar.gz",
        "ml.g5.2xlarge",
    )
    assert endpoint["EndpointStatus"] == "Failed"
    reason = endpoint["FailureReason"]
    assert reason.startswith("The primary container for production variant AllTraffic did not pass the ping"), reason
    assert "the model failed to load: Failed to initialize model: prediction failure: " in reason, reason
    assert "AssertionError: Unsupported dtype: bf16" in reason, reason
    assert "trt-bf16" not in sandbox.get("state")["handlers"]
    sagemaker.delete_endpoint(EndpointName="trt-bf16")
