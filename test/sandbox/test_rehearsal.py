"""Rehearsal machinery with a stand-in payload (no torch): what each node gets, logs, failures,
stops, resets, a killed server, and endpoints served by a stand-in local_server.py.

The stand-in start.py is run by the sandbox's own Python (ZEROSTACK_PAYLOAD_PYTHON=sys.executable)
and does what its `mode` hyperparameter says; test_rehearsal_payload.py runs the real payload.
"""

from __future__ import annotations

import io
import json
import os
import re
import signal
import sys
import tarfile
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import ROLE, Sandbox, start_server, stop_server, wait_for

GROUP = "/aws/sagemaker/TrainingJobs"
BUCKET = "rehearsal-bucket"
BUNDLE_KEY = "source/sourcedir.tar.gz"

START_PY = textwrap.dedent(
    """
    import json, os, signal, sys, time
    from pathlib import Path

    hps = json.loads(os.environ["SM_HPS"])
    host = os.environ["SM_CURRENT_HOST"]
    opt_ml = Path(os.environ["ZEROSTACK_OPT_ML"])
    print("pid=%d host=%s" % (os.getpid(), host), flush=True)
    print("env " + json.dumps({
        "hosts": json.loads(os.environ["SM_HOSTS"]),
        "master": json.loads(os.environ["SM_TRAINING_ENV"])["master_hostname"],
        "hps": hps,
        "hp_file": json.loads((opt_ml / "input/config/hyperparameters.json").read_text()),
        "channel": sorted(p.name for p in Path(os.environ["SM_CHANNEL_TRAINING"]).rglob("*") if p.is_file()),
        "cwd": os.getcwd(), "code": str(opt_ml / "code"), "helper": (Path.cwd() / "helper.py").is_file(),
        "model_dir": os.environ["SM_MODEL_DIR"], "tmpdir": os.environ["TMPDIR"],
        "master_addr": os.environ["ZEROSTACK_MASTER_ADDR"], "master_port": os.environ["ZEROSTACK_MASTER_PORT"],
        "nproc": os.environ["ZEROSTACK_NPROC_PER_NODE"], "gpus": os.environ["SM_NUM_GPUS"],
        "endpoint": os.environ["AWS_ENDPOINT_URL"], "model_s3": os.environ.get("MODEL_S3_PATH"),
        "key": os.environ["AWS_ACCESS_KEY_ID"],
    }), flush=True)
    mode = hps.get("mode", "ok")
    if mode == "ds_config":
        print("ds_config " + json.dumps(json.loads(Path(hps["deepspeed"]).read_text())), flush=True)
        sys.exit(0)
    if mode == "ok":
        for step in range(3):
            print("{'loss': %s, 'learning_rate': 0.001, 'epoch': %s}" % (2.0 - step * 0.5, (step + 1) / 3), flush=True)
        if host == "algo-1":
            (Path(os.environ["SM_MODEL_DIR"]) / "note.txt").write_text("from /opt/ml/model")
        sys.exit(0)
    if mode == "fail" and host == "algo-2":
        print("Traceback (most recent call last):", file=sys.stderr, flush=True)
        print('  File "train.py", line 1, in <module>', file=sys.stderr, flush=True)
        print("ValueError: per_device_train_batch_size must be > 0", file=sys.stderr, flush=True)
        sys.exit(1)
    def on_term(signum, frame):
        print("%s got SIGTERM" % host, flush=True)
        sys.exit(143)
    signal.signal(signal.SIGTERM, on_term)
    import subprocess  # a worker, as torchrun starts them: same process group
    worker = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    print("worker=%d" % worker.pid, flush=True)
    print("sleeping", flush=True)
    while True:
        time.sleep(0.1)
    """
)

FAKE_LOCAL_SERVER = textwrap.dedent(
    """
    import argparse, json, os, signal, sys
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    parser = argparse.ArgumentParser()
    parser.add_argument("--model-dir"); parser.add_argument("--port", type=int); parser.add_argument("--dtype")
    parser.add_argument("--code-dir"); parser.add_argument("--image")
    args = parser.parse_args()
    files = sorted(os.listdir(args.model_dir))
    code = sorted(os.listdir(args.code_dir)) if args.code_dir else None
    if "broken" in files:
        print("OSError: model.safetensors is not a safetensors file", flush=True)
        sys.exit(1)
    if "unloadable" in files:  # as payload/serve/local_server.py reports a failed init call
        print("loading the model", flush=True)
        print(json.dumps({"event": "failed", "error": "Failed to initialize model: OSError: unloadable weights"}))
        print("some later line", flush=True)
        sys.exit(1)
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200); self.end_headers()
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            data = json.dumps({"outputs": "fake:" + body["inputs"], "files": files, "dtype": args.dtype,
                               "code": code, "image": args.image}).encode()
            self.send_response(200); self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data))); self.end_headers(); self.wfile.write(data)
        def log_message(self, *a):
            pass
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
    port = server.server_address[1]
    print(json.dumps({"event": "ready", "port": port, "url": "http://127.0.0.1:%d" % port}), flush=True)
    server.serve_forever()
    """
)


DS_CONFIG = json.dumps({"zero_optimization": {"stage": 2, "overlap_comm": True}, "train_batch_size": "auto"})


def bundle(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


@pytest.fixture(scope="module")
def payload_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("payload")
    (root / "serve").mkdir()
    (root / "serve" / "local_server.py").write_text(FAKE_LOCAL_SERVER)
    return root


@pytest.fixture(scope="module")
def rehearsal_server(payload_dir: Path) -> Iterator[Sandbox]:
    process, url = start_server(
        {
            "ZEROSTACK_PAYLOAD_PYTHON": sys.executable,
            "ZEROSTACK_PAYLOAD_DIR": str(payload_dir),
            "ZEROSTACK_REHEARSAL_STOP_GRACE_S": "3",
            "ZEROSTACK_REHEARSAL_FAILURE_GRACE_S": "1",
        }
    )
    try:
        yield Sandbox(url)
    finally:
        stop_server(process)


@pytest.fixture
def rehearsal(rehearsal_server: Sandbox) -> Sandbox:
    rehearsal_server.post("reset")
    s3 = rehearsal_server.client("s3")
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(
        Bucket=BUCKET,
        Key=BUNDLE_KEY,
        Body=bundle({"start.py": START_PY, "helper.py": "# part of the bundle\n", "ds_config.json": DS_CONFIG}),
    )
    s3.put_object(Bucket=BUCKET, Key="data/train/part-0.arrow", Body=b"rows")
    s3.put_object(Bucket=BUCKET, Key="data/train/sub/state.json", Body=b"{}")
    return rehearsal_server


def job_request(
    name: str, mode: str = "ok", rehearse_env: bool = True, channel: str = "data/train/", **overrides: Any
) -> dict[str, Any]:
    request: dict[str, Any] = {
        "TrainingJobName": name,
        "AlgorithmSpecification": {
            "TrainingImage": "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.1.0-gpu-py310",
            "TrainingInputMode": "File",
            "MetricDefinitions": [{"Name": "loss", "Regex": r"'loss': ([0-9.]+)"}],
        },
        "RoleArn": ROLE,
        "HyperParameters": {
            "mode": mode,
            "epochs": "1",
            "sagemaker_program": json.dumps("start.py"),
            "sagemaker_submit_directory": json.dumps(f"s3://{BUCKET}/{BUNDLE_KEY}"),
        },
        "InputDataConfig": [
            {
                "ChannelName": "training",
                "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": f"s3://{BUCKET}/{channel}"}},
            }
        ],
        "OutputDataConfig": {"S3OutputPath": f"s3://{BUCKET}/output"},
        "ResourceConfig": {"InstanceType": "ml.g5.2xlarge", "InstanceCount": 2, "VolumeSizeInGB": 50},
        "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
        "Environment": {
            "MODEL_S3_PATH": f"s3://{BUCKET}/models/{name}/",
            **({"ZEROSTACK_REHEARSE": "1"} if rehearse_env else {}),
        },
    }
    request.update(overrides)
    return request


def wait_final(sandbox: Sandbox, name: str, timeout_s: float = 30) -> dict[str, Any]:
    sagemaker = sandbox.client("sagemaker")
    return wait_for(
        lambda: (
            (job := sagemaker.describe_training_job(TrainingJobName=name))["TrainingJobStatus"]
            in ("Completed", "Failed", "Stopped")
            and job
        ),
        timeout_s=timeout_s,
        interval_s=0.1,
    )


def host_lines(sandbox: Sandbox, name: str) -> dict[str, list[str]]:
    logs = sandbox.client("logs")
    try:
        streams = logs.describe_log_streams(logGroupName=GROUP, logStreamNamePrefix=f"{name}/")["logStreams"]
    except logs.exceptions.ResourceNotFoundException:  # no host has started yet
        return {}
    out = {}
    for stream in sorted(s["logStreamName"] for s in streams):
        events = logs.get_log_events(logGroupName=GROUP, logStreamName=stream, startFromHead=True)["events"]
        out[stream] = [event["message"] for event in events]
    return out


def node_pids(lines: dict[str, list[str]]) -> list[int]:
    """The nodes' pids and their workers' (sleep mode)."""
    return [
        int(match.group(1))
        for messages in lines.values()
        for line in messages
        if (match := re.match(r"(?:pid|worker)=(\d+)", line))
    ]


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    # a zombie that its parent has not reaped yet counts as gone
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1].startswith("Z")
    except (OSError, IndexError):
        return True


def test_each_node_gets_what_sagemaker_gives_it(rehearsal: Sandbox) -> None:
    sagemaker = rehearsal.client("sagemaker")
    sagemaker.create_training_job(**job_request("env-job"))
    job = wait_final(rehearsal, "env-job")
    lines = host_lines(rehearsal, "env-job")
    assert job["TrainingJobStatus"] == "Completed", (job.get("FailureReason"), lines)
    assert [t["Status"] for t in job["SecondaryStatusTransitions"]] == [
        "Starting",
        "Downloading",
        "Training",
        "Uploading",
        "Completed",
    ]
    assert all(t.get("EndTime") for t in job["SecondaryStatusTransitions"])
    assert job["BillableTimeInSeconds"] == job["TrainingTimeInSeconds"] >= 1
    assert len(lines) == 2 and all(re.fullmatch(r"env-job/algo-[12]-\d{10}", name) for name in lines)

    envs = []
    for stream, messages in lines.items():
        env = json.loads(next(line for line in messages if line.startswith("env "))[4:])
        envs.append(env)
        host = stream.split("/")[1][:6]
        assert env["hosts"] == ["algo-1", "algo-2"] and env["master"] == "algo-1"
        assert env["hps"] == {"mode": "ok", "epochs": 1}  # decoded, sagemaker_* left out, as the toolkit does
        assert env["hp_file"]["sagemaker_program"] == '"start.py"' and env["hp_file"]["mode"] == "ok"
        assert env["channel"] == ["part-0.arrow", "state.json"]
        assert env["cwd"] == env["code"] and env["helper"] and f"/{host}/opt/ml/code" in env["cwd"]
        assert env["master_addr"] == "127.0.0.1" and env["nproc"] == "1" and env["gpus"] == "0"
        assert env["endpoint"] == rehearsal.url and env["key"] == "testing"
        assert env["model_s3"] == f"s3://{BUCKET}/models/env-job/"
        assert [line for line in messages if line.startswith("{'loss'")] == [
            "{'loss': 2.0, 'learning_rate': 0.001, 'epoch': 0.3333333333333333}",
            "{'loss': 1.5, 'learning_rate': 0.001, 'epoch': 0.6666666666666666}",
            "{'loss': 1.0, 'learning_rate': 0.001, 'epoch': 1.0}",
        ]
    assert envs[0]["master_port"] == envs[1]["master_port"]
    assert envs[0]["tmpdir"] != envs[1]["tmpdir"] and envs[0]["model_dir"] != envs[1]["model_dir"]
    assert {m["MetricName"]: m["Value"] for m in job["FinalMetricDataList"]} == {"loss": 1.0}
    # SageMaker's own upload of /opt/ml/model (algo-1's), beside the payload's MODEL_S3_PATH
    keys = [
        o["Key"] for o in rehearsal.client("s3").list_objects_v2(Bucket=BUCKET, Prefix="output/").get("Contents", [])
    ]
    assert keys == ["output/env-job/output/model.tar.gz"]
    assert job["ModelArtifacts"]["S3ModelArtifacts"] == f"s3://{BUCKET}/models/env-job/"
    assert not os.path.exists(envs[0]["code"])  # the temporary /opt/ml roots are removed


def test_a_scenario_edits_the_bundles_ds_config_and_the_log_says_so(rehearsal: Sandbox) -> None:
    edit = {"train_batch_size": 7, "zero_optimization.offload_optimizer": {"device": "cpu", "ratio": 0.5}}
    rehearsal.post("scenario", {"training_jobs": {"ds-edit": {"ds_config_edit": edit}}})
    sagemaker = rehearsal.client("sagemaker")
    request = job_request("ds-edit", mode="ds_config")
    request["HyperParameters"]["deepspeed"] = "ds_config.json"
    sagemaker.create_training_job(**request)
    sagemaker.create_training_job(
        **job_request("ds-plain", mode="ds_config", HyperParameters={**request["HyperParameters"]})
    )
    assert wait_final(rehearsal, "ds-edit")["TrainingJobStatus"] == "Completed"
    assert wait_final(rehearsal, "ds-plain")["TrainingJobStatus"] == "Completed"
    for name, expected in (
        (
            "ds-edit",
            {
                "zero_optimization": {
                    "stage": 2,
                    "overlap_comm": True,
                    "offload_optimizer": edit["zero_optimization.offload_optimizer"],
                },
                "train_batch_size": 7,
            },
        ),
        ("ds-plain", json.loads(DS_CONFIG)),
    ):
        for messages in host_lines(rehearsal, name).values():
            seen = [json.loads(line[len("ds_config ") :]) for line in messages if line.startswith("ds_config ")]
            assert seen == [expected], messages
            notes = [line for line in messages if "scenario ds_config_edit" in line]
            assert len(notes) == (2 if name == "ds-edit" else 0), messages
    notes = [line for m in host_lines(rehearsal, "ds-edit").values() for line in m if "ds_config_edit" in line]
    assert 'ds_config.json train_batch_size: "auto" -> 7' in notes[0]
    status, body = rehearsal.control("POST", "scenario", {"training_jobs": {"x": {"ds_config_edit": [1]}}})
    assert status == 400 and "ds_config_edit" in body["error"]


def test_scenario_flag_rehearses_without_the_env_variable(rehearsal: Sandbox) -> None:
    rehearsal.post("scenario", {"training_jobs": {"by-scenario": {"rehearse": True}}})
    sagemaker = rehearsal.client("sagemaker")
    sagemaker.create_training_job(**job_request("by-scenario", rehearse_env=False))
    sagemaker.create_training_job(**job_request("simulated", rehearse_env=False))
    job = wait_final(rehearsal, "by-scenario")
    assert job["TrainingJobStatus"] == "Completed"
    assert any(
        line.startswith("env ") for messages in host_lines(rehearsal, "by-scenario").values() for line in messages
    )
    # the other job keeps the simulated timeline
    simulated = host_lines(rehearsal, "simulated")
    rehearsal.post("clock", {"advance": 60})
    assert sagemaker.describe_training_job(TrainingJobName="simulated")["TrainingJobStatus"] == "Completed"
    assert not any("zerostack-sandbox rehearsal" in line for messages in simulated.values() for line in messages)
    status, body = rehearsal.control("POST", "scenario", {"training_jobs": {"x": {"rehearse": "yes"}}})
    assert status == 400 and "rehearse" in body["error"]


def test_a_failing_node_fails_the_job_with_its_error(rehearsal: Sandbox) -> None:
    rehearsal.client("sagemaker").create_training_job(**job_request("failing", mode="fail"))
    job = wait_final(rehearsal, "failing")
    assert job["TrainingJobStatus"] == "Failed" and job["SecondaryStatus"] == "Failed"
    reason = job["FailureReason"]
    assert reason.startswith("AlgorithmError: ExecuteUserScriptError:\nExitCode 1\nErrorMessage ")
    assert "ValueError: per_device_train_batch_size must be > 0" in reason and 'start.py", exit code: 1' in reason
    lines = host_lines(rehearsal, "failing")
    pids = node_pids(lines)
    assert pids  # algo-2 failed at once; algo-1 (and its worker, if it got that far) was sleeping
    wait_for(lambda: all(gone(pid) for pid in pids), timeout_s=10)  # algo-1 was sleeping: torn down
    assert rehearsal.get("state")["rehearsal_processes"] == 0


def test_stop_training_job_sends_sigterm_to_every_node(rehearsal: Sandbox) -> None:
    sagemaker = rehearsal.client("sagemaker")
    sagemaker.create_training_job(**job_request("stopped", mode="sleep"))
    wait_for(
        lambda: sum("sleeping" in messages for messages in host_lines(rehearsal, "stopped").values()) == 2, timeout_s=15
    )
    sagemaker.stop_training_job(TrainingJobName="stopped")
    assert sagemaker.describe_training_job(TrainingJobName="stopped")["TrainingJobStatus"] in ("Stopping", "Stopped")
    job = wait_final(rehearsal, "stopped")
    assert job["TrainingJobStatus"] == "Stopped" and job["SecondaryStatus"] == "Stopped"
    assert [t["Status"] for t in job["SecondaryStatusTransitions"]][-2:] == ["Stopping", "Stopped"]
    lines = host_lines(rehearsal, "stopped")
    assert all(any(line.endswith("got SIGTERM") for line in messages) for messages in lines.values())
    pids = node_pids(lines)
    assert len(pids) == 4
    wait_for(lambda: all(gone(pid) for pid in pids), timeout_s=5)


def test_empty_channel_and_missing_bundle_fail_like_sagemaker(rehearsal: Sandbox) -> None:
    sagemaker = rehearsal.client("sagemaker")
    sagemaker.create_training_job(**job_request("no-data", channel="data/nothing/"))
    job = wait_final(rehearsal, "no-data")
    assert job["TrainingJobStatus"] == "Failed"
    assert job["FailureReason"].startswith(
        f'ClientError: No S3 objects found under S3 URL "s3://{BUCKET}/data/nothing/"'
    )
    request = job_request("no-bundle")
    request["HyperParameters"]["sagemaker_submit_directory"] = json.dumps(f"s3://{BUCKET}/source/missing.tar.gz")
    sagemaker.create_training_job(**request)
    job = wait_final(rehearsal, "no-bundle")
    assert job["TrainingJobStatus"] == "Failed" and "missing.tar.gz" in job["FailureReason"]


def test_reset_ends_running_nodes(rehearsal: Sandbox) -> None:
    rehearsal.client("sagemaker").create_training_job(**job_request("reset-me", mode="sleep"))
    wait_for(lambda: len(node_pids(host_lines(rehearsal, "reset-me"))) == 4, timeout_s=15)
    pids = node_pids(host_lines(rehearsal, "reset-me"))
    rehearsal.post("reset")
    wait_for(lambda: all(gone(pid) for pid in pids), timeout_s=10)
    assert rehearsal.get("state")["rehearsal_processes"] == 0


def test_without_payload_python_the_job_fails_naming_the_variable(tmp_path: Path) -> None:
    process, url = start_server({"ZEROSTACK_PAYLOAD_PYTHON": ""})
    try:
        sandbox = Sandbox(url)
        sandbox.client("s3").create_bucket(Bucket=BUCKET)
        sandbox.client("sagemaker").create_training_job(**job_request("no-python"))
        job = wait_final(sandbox, "no-python")
        assert job["TrainingJobStatus"] == "Failed" and "ZEROSTACK_PAYLOAD_PYTHON is not set" in job["FailureReason"]
    finally:
        stop_server(process)


@pytest.mark.parametrize("how", ["SIGTERM", "SIGKILL"])
def test_no_node_outlives_the_server(how: str, payload_dir: Path) -> None:
    process, url = start_server({"ZEROSTACK_PAYLOAD_PYTHON": sys.executable})
    try:
        sandbox = Sandbox(url)
        s3 = sandbox.client("s3")
        s3.create_bucket(Bucket=BUCKET)
        s3.put_object(Bucket=BUCKET, Key=BUNDLE_KEY, Body=bundle({"start.py": START_PY}))
        s3.put_object(Bucket=BUCKET, Key="data/train/part-0.arrow", Body=b"rows")
        sandbox.client("sagemaker").create_training_job(**job_request("orphan", mode="sleep"))
        wait_for(lambda: len(node_pids(host_lines(sandbox, "orphan"))) == 4, timeout_s=15)
        pids = node_pids(host_lines(sandbox, "orphan"))
    finally:
        if how == "SIGKILL":
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        else:
            stop_server(process)
    wait_for(lambda: all(gone(pid) for pid in pids), timeout_s=15)
    work = Path(tempfile.gettempdir()) / f"zerostack-sandbox-{process.pid}"
    if how == "SIGTERM":
        assert not work.exists()  # removed by the stopping server
    else:
        assert work.is_dir()  # a killed server cannot clean up: the next one does
        again, _url = start_server({})
        stop_server(again)
        assert not work.exists()


def model_code(weights_uri: str, extra: str = "") -> bytes:
    return bundle({"serving.properties": f"engine=Python\noption.model_id={weights_uri}\noption.dtype=fp16\n{extra}"})


def make_endpoint_objects(sandbox: Sandbox, name: str, weights_uri: str, extra: str = "") -> None:
    s3, sagemaker = sandbox.client("s3"), sandbox.client("sagemaker")
    s3.put_object(Bucket=BUCKET, Key=f"code/{name}.tar.gz", Body=model_code(weights_uri, extra))
    sagemaker.create_model(
        ModelName=name,
        ExecutionRoleArn=ROLE,
        PrimaryContainer={
            "Image": "763104351884.dkr.ecr.us-east-1.amazonaws.com/djl-inference:0.22.1-deepspeed0.9.2-cu118",
            "ModelDataUrl": f"s3://{BUCKET}/code/{name}.tar.gz",
        },
    )
    sagemaker.create_endpoint_config(
        EndpointConfigName=name,
        ProductionVariants=[
            {"VariantName": "AllTraffic", "ModelName": name, "InstanceType": "ml.g5.xlarge", "InitialInstanceCount": 1}
        ],
    )


def wait_endpoint(sandbox: Sandbox, name: str, leaving: str) -> dict[str, Any]:
    sagemaker = sandbox.client("sagemaker")
    return wait_for(
        lambda: (e := sagemaker.describe_endpoint(EndpointName=name))["EndpointStatus"] != leaving and e, timeout_s=20
    )


def invoke(sandbox: Sandbox, name: str) -> dict[str, Any]:
    answer = sandbox.client("sagemaker-runtime").invoke_endpoint(
        EndpointName=name, ContentType="application/json", Body=json.dumps({"inputs": "hello"})
    )
    return json.loads(answer["Body"].read())


def test_endpoint_on_a_rehearsed_model_is_served_updated_and_deleted(rehearsal: Sandbox) -> None:
    sagemaker, s3 = rehearsal.client("sagemaker"), rehearsal.client("s3")
    sagemaker.create_training_job(**job_request("served"))
    assert wait_final(rehearsal, "served")["TrainingJobStatus"] == "Completed"
    weights = f"s3://{BUCKET}/models/served/"
    s3.put_object(Bucket=BUCKET, Key="models/served/config.json", Body=b"{}")  # the stand-in wrote none
    make_endpoint_objects(rehearsal, "served-v1", weights)
    sagemaker.create_endpoint(EndpointName="ep", EndpointConfigName="served-v1")
    assert sagemaker.describe_endpoint(EndpointName="ep")["EndpointStatus"] == "Creating"
    endpoint = wait_endpoint(rehearsal, "ep", "Creating")
    assert endpoint["EndpointStatus"] == "InService", endpoint.get("FailureReason")
    # local_server.py gets the unpacked ModelDataUrl as its code folder and the Model's image
    assert invoke(rehearsal, "ep") == {
        "outputs": "fake:hello",
        "files": ["config.json"],
        "dtype": "fp32",
        "code": ["serving.properties"],
        "image": "deepspeed:0.22.1",
    }
    first = rehearsal.get("state")["handlers"]["ep"]

    # an update to another (scenario-rehearsed) model: a new server, the old one stops
    s3.put_object(Bucket=BUCKET, Key="models/other/model.safetensors", Body=b"weights")
    make_endpoint_objects(rehearsal, "served-v2", f"s3://{BUCKET}/models/other/")
    rehearsal.post("scenario", {"endpoints": {"ep": {"rehearse": True}}})
    sagemaker.update_endpoint(EndpointName="ep", EndpointConfigName="served-v2")
    endpoint = wait_endpoint(rehearsal, "ep", "Updating")
    assert endpoint["EndpointStatus"] == "InService" and endpoint["EndpointConfigName"] == "served-v2"
    assert invoke(rehearsal, "ep")["files"] == ["model.safetensors"]
    assert rehearsal.get("state")["handlers"]["ep"] != first
    wait_for(lambda: rehearsal.get("state")["rehearsal_processes"] == 1, timeout_s=10)

    sagemaker.delete_endpoint(EndpointName="ep")
    assert "ep" not in rehearsal.get("state")["handlers"]
    wait_for(lambda: rehearsal.get("state")["rehearsal_processes"] == 0, timeout_s=10)


def test_endpoint_whose_server_cannot_load_fails_the_health_check(rehearsal: Sandbox) -> None:
    sagemaker, s3 = rehearsal.client("sagemaker"), rehearsal.client("s3")
    s3.put_object(Bucket=BUCKET, Key="models/broken/broken", Body=b"x")
    make_endpoint_objects(rehearsal, "broken", f"s3://{BUCKET}/models/broken/")
    make_endpoint_objects(rehearsal, "empty", f"s3://{BUCKET}/models/empty/")
    rehearsal.post("scenario", {"endpoints": {"broken-ep": {"rehearse": True}, "empty-ep": {"rehearse": True}}})
    sagemaker.create_endpoint(EndpointName="broken-ep", EndpointConfigName="broken")
    sagemaker.create_endpoint(EndpointName="empty-ep", EndpointConfigName="empty")
    broken, empty = wait_endpoint(rehearsal, "broken-ep", "Creating"), wait_endpoint(rehearsal, "empty-ep", "Creating")
    assert broken["EndpointStatus"] == "Failed" and "did not pass the ping health check" in broken["FailureReason"]
    assert "not a safetensors file" in broken["FailureReason"]
    assert (
        empty["EndpointStatus"] == "Failed"
        and f"no model files under s3://{BUCKET}/models/empty/" in empty["FailureReason"]
    )
    # a model that no rehearsal wrote, without the scenario flag: the usual simulated endpoint
    make_endpoint_objects(rehearsal, "plain", f"s3://{BUCKET}/models/plain/")
    sagemaker.create_endpoint(EndpointName="plain-ep", EndpointConfigName="plain")
    rehearsal.post("clock", {"advance": 10})
    assert sagemaker.describe_endpoint(EndpointName="plain-ep")["EndpointStatus"] == "InService"
    assert invoke(rehearsal, "plain-ep")["sandbox_echo"] is True


def test_a_rehearsed_endpoint_whose_model_fails_to_load_fails_with_the_load_error(rehearsal: Sandbox) -> None:
    sagemaker, s3 = rehearsal.client("sagemaker"), rehearsal.client("s3")
    s3.put_object(Bucket=BUCKET, Key="models/unloadable/unloadable", Body=b"x")
    make_endpoint_objects(rehearsal, "unloadable", f"s3://{BUCKET}/models/unloadable/")
    rehearsal.post("scenario", {"endpoints": {"unloadable-ep": {"rehearse": True}}})
    sagemaker.create_endpoint(EndpointName="unloadable-ep", EndpointConfigName="unloadable")
    endpoint = wait_endpoint(rehearsal, "unloadable-ep", "Creating")
    assert endpoint["EndpointStatus"] == "Failed"
    reason = endpoint["FailureReason"]
    assert reason.startswith("The primary container for production variant AllTraffic did not pass the ping")
    # the init call's error, as local_server.py's `failed` line gives it, not the process's last lines
    assert "the model failed to load: Failed to initialize model: OSError: unloadable weights" in reason, reason
    assert "exited" not in reason


def test_a_rehearsed_endpoint_with_undocumented_serving_keys_fails_without_a_server(rehearsal: Sandbox) -> None:
    sagemaker = rehearsal.client("sagemaker")
    sagemaker.create_training_job(**job_request("keys"))
    assert wait_final(rehearsal, "keys")["TrainingJobStatus"] == "Completed"
    rehearsal.client("s3").put_object(Bucket=BUCKET, Key="models/keys/config.json", Body=b"{}")
    # option.async_mode arrives with DJL 0.33; this model's image is 0.22.1
    make_endpoint_objects(rehearsal, "keys", f"s3://{BUCKET}/models/keys/", "option.async_mode=true\n")
    sagemaker.create_endpoint(EndpointName="keys-ep", EndpointConfigName="keys")
    assert rehearsal.get("state")["rehearsal_processes"] == 0  # no local_server.py was started
    rehearsal.post("clock", {"advance": 10})
    endpoint = sagemaker.describe_endpoint(EndpointName="keys-ep")
    assert endpoint["EndpointStatus"] == "Failed"
    assert "option.async_mode not documented for djl-deepspeed 0.22.1 images" in endpoint["FailureReason"]


def test_a_restarted_sandbox_serves_its_rehearsed_endpoints_again(tmp_path: Path, payload_dir: Path) -> None:
    env = {"ZEROSTACK_PAYLOAD_PYTHON": sys.executable, "ZEROSTACK_PAYLOAD_DIR": str(payload_dir)}
    process, url = start_server(env, ["--state-dir", str(tmp_path)])
    try:
        sandbox = Sandbox(url)
        s3 = sandbox.client("s3")
        s3.create_bucket(Bucket=BUCKET)
        s3.put_object(Bucket=BUCKET, Key=BUNDLE_KEY, Body=bundle({"start.py": START_PY}))
        s3.put_object(Bucket=BUCKET, Key="data/train/part-0.arrow", Body=b"rows")
        s3.put_object(Bucket=BUCKET, Key="models/kept/config.json", Body=b"{}")
        make_endpoint_objects(sandbox, "kept", f"s3://{BUCKET}/models/kept/")
        sandbox.post("scenario", {"endpoints": {"kept-ep": {"rehearse": True}}})
        sandbox.client("sagemaker").create_endpoint(EndpointName="kept-ep", EndpointConfigName="kept")
        assert wait_endpoint(sandbox, "kept-ep", "Creating")["EndpointStatus"] == "InService"
        sandbox.client("sagemaker").create_training_job(**job_request("cut-short", mode="sleep"))
        wait_for(lambda: len(node_pids(host_lines(sandbox, "cut-short"))) == 4, timeout_s=15)
        pids = node_pids(host_lines(sandbox, "cut-short"))
        before = sandbox.get("state")["handlers"]["kept-ep"]
    finally:
        stop_server(process)
    assert all(gone(pid) for pid in pids)
    process, url = start_server(env, ["--state-dir", str(tmp_path)])
    try:
        sandbox = Sandbox(url)
        job = sandbox.client("sagemaker").describe_training_job(TrainingJobName="cut-short")
        assert job["TrainingJobStatus"] == "Stopped"  # the stopping sandbox stopped it
        after = wait_for(lambda: sandbox.get("state")["handlers"].get("kept-ep"), timeout_s=15)
        assert after != before
        assert invoke(sandbox, "kept-ep")["outputs"] == "fake:hello"
        assert sandbox.client("sagemaker").describe_endpoint(EndpointName="kept-ep")["EndpointStatus"] == "InService"
    finally:
        stop_server(process)


def test_the_failure_reason_reads_a_worker_traceback_that_torchrun_prefixed_with_its_rank() -> None:
    from zerostack_sandbox.rehearsal.training import failure_reason

    tail = [
        "[rank0]: Traceback (most recent call last):",
        '[rank0]:   File "train.py", line 100, in main',
        "[rank0]: ValueError: refusing to train:",
        "[rank0]:   save_on_each_node=false leaves nodes without shared storage unable to save",
        "Traceback (most recent call last):",
        '  File "run.py", line 293, in launch_agent',
        "torch.distributed.elastic.multiprocessing.errors.ChildFailedError: ",
        "============================================================",
    ]
    reason = failure_reason(tail, 1, ["/venv/bin/python", "start.py"])
    assert reason == (
        'AlgorithmError: ExecuteUserScriptError:\nExitCode 1\nErrorMessage "ValueError: refusing to train:\n'
        'save_on_each_node=false leaves nodes without shared storage unable to save"\n'
        'Command "python start.py", exit code: 1'
    )
