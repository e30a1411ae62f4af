"""Training logs appear in CloudWatch as the clock passes, one stream per host."""

from __future__ import annotations

import ast
import re

from conftest import Sandbox, training_job_request, wait_for

GROUP = "/aws/sagemaker/TrainingJobs"
LOSS = re.compile(r"^\{'loss': \d+\.\d+, 'learning_rate': [\d.e-]+, 'epoch': \d+(\.\d+)?\}$")


def all_messages(logs, stream: str) -> list[str]:
    """Read a stream from the head, following nextForwardToken until it stops moving."""
    messages, token = [], None
    while True:
        kwargs = {"nextToken": token} if token else {}
        page = logs.get_log_events(logGroupName=GROUP, logStreamName=stream, startFromHead=True, limit=25, **kwargs)
        messages += [event["message"] for event in page["events"]]
        if page["nextForwardToken"] == token or not page["events"]:
            return messages
        token = page["nextForwardToken"]


def test_logs_of_a_two_node_deepspeed_run(sandbox: Sandbox) -> None:
    sandbox.client("s3").create_bucket(Bucket="zerostack-bucket")
    sagemaker, logs = sandbox.client("sagemaker"), sandbox.client("logs")
    metric_definitions = [
        {"Name": "train:loss", "Regex": r"'loss': ([0-9.]+)"},
        {"Name": "train:final_loss", "Regex": r"'train_loss': ([0-9.]+)"},
    ]
    request = training_job_request("logged")
    request["AlgorithmSpecification"]["MetricDefinitions"] = metric_definitions
    sagemaker.create_training_job(**request)
    assert (
        sagemaker.describe_training_job(TrainingJobName="logged")["AlgorithmSpecification"]["MetricDefinitions"]
        == metric_definitions
    )

    sandbox.post("clock", {"advance": 7})  # Training started 1 s ago (2 s Starting + 2 s Downloading... +)
    streams = [s["logStreamName"] for s in logs.describe_log_streams(logGroupName=GROUP)["logStreams"]]
    assert len(streams) == 2
    assert all(re.fullmatch(r"logged/algo-[12]-\d{10}", name) for name in streams)
    early = sum(len(all_messages(logs, name)) for name in streams)

    sandbox.post("clock", {"advance": 30})
    job = sagemaker.describe_training_job(TrainingJobName="logged")
    assert job["TrainingJobStatus"] == "Completed"
    host1, host2 = (all_messages(logs, name) for name in sorted(streams))
    assert early < len(host1) + len(host2)

    text = "\n".join(host1)
    assert "sagemaker-training-toolkit INFO     Invoking user script" in text
    assert "torchrun --nnodes 2 --node_rank 0 --nproc_per_node 8" in text
    assert re.search(r"^algo-1:\d+:\d+ \[0\] NCCL INFO ", text, re.M)
    assert "NET/OFI Selected Provider is efa" in text
    assert "ZeRO stage 3" in text
    assert "Reporting training SUCCESS" in text
    assert any(line.startswith("algo-2:") and "NCCL INFO" in line for line in host2)
    assert not any(line.startswith("{'loss'") for line in host2)  # only rank 0 logs the Trainer

    losses = [ast.literal_eval(line) for line in host1 if line.startswith("{'loss'")]
    assert len(losses) >= 5
    assert all(LOSS.match(line) for line in host1 if line.startswith("{'loss'"))
    assert losses[-1]["loss"] < losses[0]["loss"]
    assert losses[-1]["epoch"] == 2.0
    final = ast.literal_eval(next(line for line in host1 if line.startswith("{'train_runtime'")))
    assert set(final) >= {"train_runtime", "train_loss"}

    metrics = {m["MetricName"]: m["Value"] for m in job["FinalMetricDataList"]}
    assert metrics["train:loss"] == losses[-1]["loss"]
    assert metrics["train:final_loss"] == final["train_loss"]


def test_event_timestamps_follow_the_clock_and_filter_pages(sandbox: Sandbox) -> None:
    sandbox.client("s3").create_bucket(Bucket="zerostack-bucket")
    sagemaker, logs = sandbox.client("sagemaker"), sandbox.client("logs")
    sagemaker.create_training_job(**training_job_request("paged"))
    sandbox.post("clock", {"advance": 30})
    job = sagemaker.describe_training_job(TrainingJobName="paged")
    start_ms = job["SecondaryStatusTransitions"][2]["StartTime"].timestamp() * 1000  # Training
    end_ms = job["SecondaryStatusTransitions"][2]["EndTime"].timestamp() * 1000

    events, token = [], None
    while True:
        kwargs = {"nextToken": token} if token else {}
        page = logs.filter_log_events(logGroupName=GROUP, logStreamNamePrefix="paged/", limit=20, **kwargs)
        events += page["events"]
        token = page.get("nextToken")
        if not token:
            break
    assert len(events) > 40
    assert len({event["eventId"] for event in events}) == len(events)
    assert all(start_ms - 1 <= event["timestamp"] <= end_ms + 1 for event in events)
    losses = logs.filter_log_events(logGroupName=GROUP, filterPattern='"loss"')["events"]
    assert losses and all("loss" in event["message"] for event in losses)


def test_loss_curve_is_deterministic_by_job_name(sandbox: Sandbox) -> None:
    sandbox.client("s3").create_bucket(Bucket="zerostack-bucket")

    def losses(name: str) -> list[str]:
        sandbox.client("sagemaker").create_training_job(**training_job_request(name))
        sandbox.post("clock", {"advance": 30})
        events = sandbox.client("logs").filter_log_events(logGroupName=GROUP, logStreamNamePrefix=f"{name}/")["events"]
        return [event["message"] for event in events if event["message"].startswith("{'loss'")]

    first = losses("same-name")
    sandbox.post("reset")
    sandbox.client("s3").create_bucket(Bucket="zerostack-bucket")
    assert losses("same-name") == first
    assert losses("other-name") != first


def test_failed_job_logs_end_with_the_error(sandbox: Sandbox) -> None:
    sandbox.post("scenario", {"training": {"fail_at": "Training", "fail_after_s": 5}})
    sandbox.client("sagemaker").create_training_job(**training_job_request("broken"))
    sandbox.post("clock", {"advance": 30})

    def tail() -> list[str]:
        events = sandbox.client("logs").filter_log_events(logGroupName=GROUP, logStreamNamePrefix="broken/algo-1")[
            "events"
        ]
        return [event["message"] for event in events]

    messages = wait_for(tail)
    assert "Reporting training FAILURE" in messages[-2]
    assert not any("Reporting training SUCCESS" in message for message in messages)
