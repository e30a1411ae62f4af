"""Training jobs follow SageMaker's timeline, from the sandbox clock."""

from __future__ import annotations

import itertools

import pytest
from botocore.exceptions import ClientError

from conftest import Sandbox, training_job_request, wait_for

PHASES = ["Starting", "Downloading", "Training", "Uploading", "Completed"]


def describe_when(sandbox: Sandbox, name: str, status: str) -> dict:
    sagemaker = sandbox.client("sagemaker")

    def check() -> dict | None:
        job = sagemaker.describe_training_job(TrainingJobName=name)
        return job if job["TrainingJobStatus"] == status else None

    return wait_for(check)


def test_training_job_progresses_to_completed(sandbox: Sandbox) -> None:
    sandbox.client("s3").create_bucket(Bucket="zerostack-bucket")
    sagemaker = sandbox.client("sagemaker")
    arn = sagemaker.create_training_job(**training_job_request("flan-t5-run"))["TrainingJobArn"]
    assert arn.endswith(":training-job/flan-t5-run")

    first = sagemaker.describe_training_job(TrainingJobName="flan-t5-run")
    assert first["TrainingJobStatus"] == "InProgress"
    assert first["SecondaryStatus"] == "Starting"
    assert "EndTime" not in first["SecondaryStatusTransitions"][-1]
    assert first["Environment"]["MODEL_S3_PATH"] == "s3://zerostack-bucket/models/flan-t5-run/"

    sandbox.post("clock", {"speed": 10})
    seen = set()

    def completed() -> dict | None:
        job = sagemaker.describe_training_job(TrainingJobName="flan-t5-run")
        seen.add(job["SecondaryStatus"])
        return job if job["TrainingJobStatus"] == "Completed" else None

    job = wait_for(completed)
    assert {"Training", "Completed"} <= seen
    transitions = job["SecondaryStatusTransitions"]
    assert [t["Status"] for t in transitions] == PHASES
    for before, after in itertools.pairwise(transitions):
        assert before["EndTime"] == after["StartTime"]
        assert before["StatusMessage"]
    assert job["SecondaryStatus"] == "Completed"
    assert job["TrainingStartTime"] == transitions[1]["StartTime"]
    assert job["TrainingEndTime"] == transitions[-1]["StartTime"]
    seconds = job["TrainingTimeInSeconds"]
    assert 10 <= seconds <= 14  # Downloading + Training + Uploading of the default scenario
    assert job["BillableTimeInSeconds"] == seconds  # wall-clock; AWS bills it x InstanceCount
    assert "FailureReason" not in job


@pytest.mark.parametrize(
    "instance_type", ["ml.p4d.24xlarge", "ml.p4de.24xlarge", "ml.p5.48xlarge", "ml.g5.12xlarge", "ml.g6.48xlarge"]
)
def test_todays_instance_types_are_accepted(sandbox: Sandbox, instance_type: str) -> None:
    sagemaker = sandbox.client("sagemaker")
    request = training_job_request(
        "types", ResourceConfig={"InstanceType": instance_type, "InstanceCount": 1, "VolumeSizeInGB": 50}
    )
    sagemaker.create_training_job(**request)
    job = sagemaker.describe_training_job(TrainingJobName="types")
    assert job["ResourceConfig"]["InstanceType"] == instance_type


def test_duplicate_name_is_refused(sandbox: Sandbox) -> None:
    sagemaker = sandbox.client("sagemaker")
    sagemaker.create_training_job(**training_job_request("twice"))
    with pytest.raises(ClientError) as error:
        sagemaker.create_training_job(**training_job_request("twice"))
    assert error.value.response["Error"]["Code"] == "ResourceInUse"


def test_job_fails_at_the_scenario_phase(sandbox: Sandbox) -> None:
    sandbox.post(
        "scenario",
        {"training_jobs": {"doomed": {"fail_at": "Training", "failure_reason": "AlgorithmError: NCCL timeout"}}},
    )
    sandbox.post("clock", {"speed": 20})
    sagemaker = sandbox.client("sagemaker")
    sagemaker.create_training_job(**training_job_request("doomed"))
    sagemaker.create_training_job(**training_job_request("fine"))
    job = describe_when(sandbox, "doomed", "Failed")
    assert job["FailureReason"] == "AlgorithmError: NCCL timeout"
    assert job["SecondaryStatus"] == "Failed"
    assert [t["Status"] for t in job["SecondaryStatusTransitions"]] == ["Starting", "Downloading", "Training", "Failed"]
    assert job["BillableTimeInSeconds"] == job["TrainingTimeInSeconds"]
    assert sagemaker.describe_training_job(TrainingJobName="fine")["TrainingJobStatus"] in ("InProgress", "Completed")


def test_capacity_failure_while_starting_bills_nothing(sandbox: Sandbox) -> None:
    sandbox.post("scenario", {"training": {"fail_at": "Starting", "fail_after_s": 1}})
    sandbox.post("clock", {"speed": 20})
    sandbox.client("sagemaker").create_training_job(**training_job_request("no-capacity"))
    job = describe_when(sandbox, "no-capacity", "Failed")
    assert job["FailureReason"].startswith("CapacityError")
    assert "TrainingStartTime" not in job and "BillableTimeInSeconds" not in job


def test_max_runtime_exceeded_stops_the_job(sandbox: Sandbox) -> None:
    sandbox.post("scenario", {"training": {"training_s": 60}})
    sandbox.post("clock", {"speed": 20})
    sagemaker = sandbox.client("sagemaker")
    sagemaker.create_training_job(**training_job_request("too-long", StoppingCondition={"MaxRuntimeInSeconds": 5}))
    job = describe_when(sandbox, "too-long", "Stopped")
    assert job["SecondaryStatus"] == "MaxRuntimeExceeded"
    assert job["SecondaryStatusTransitions"][-1]["Status"] == "MaxRuntimeExceeded"
    assert job["TrainingTimeInSeconds"] == 5
    assert job["BillableTimeInSeconds"] == 5


def test_default_max_runtime_is_one_day(sandbox: Sandbox) -> None:
    sagemaker = sandbox.client("sagemaker")
    request = training_job_request("defaults")
    del request["StoppingCondition"]
    sagemaker.create_training_job(**request)
    job = sagemaker.describe_training_job(TrainingJobName="defaults")
    assert job["StoppingCondition"]["MaxRuntimeInSeconds"] == 86400


def test_stop_training_job(sandbox: Sandbox) -> None:
    sandbox.post("scenario", {"training": {"training_s": 60, "stopping_s": 2}})
    sagemaker = sandbox.client("sagemaker")
    sagemaker.create_training_job(**training_job_request("to-stop"))
    sandbox.post("clock", {"advance": 6})  # into Training
    assert sagemaker.describe_training_job(TrainingJobName="to-stop")["SecondaryStatus"] == "Training"
    sagemaker.stop_training_job(TrainingJobName="to-stop")
    stopping = sagemaker.describe_training_job(TrainingJobName="to-stop")
    assert (stopping["TrainingJobStatus"], stopping["SecondaryStatus"]) == ("Stopping", "Stopping")
    sandbox.post("clock", {"speed": 20})
    job = describe_when(sandbox, "to-stop", "Stopped")
    assert job["SecondaryStatus"] == "Stopped"
    assert [t["Status"] for t in job["SecondaryStatusTransitions"]][-2:] == ["Stopping", "Stopped"]
    with pytest.raises(ClientError) as error:
        sagemaker.stop_training_job(TrainingJobName="to-stop")
    assert error.value.response["Error"]["Code"] == "ValidationException"
    assert "Stopped" in error.value.response["Error"]["Message"]


def test_artifacts_written_on_completion(sandbox: Sandbox) -> None:
    s3 = sandbox.client("s3")
    s3.create_bucket(Bucket="zerostack-bucket")
    sagemaker = sandbox.client("sagemaker")
    sagemaker.create_training_job(**training_job_request("with-model"))
    without = training_job_request("no-model-path")
    del without["Environment"]["MODEL_S3_PATH"]
    sagemaker.create_training_job(**without)
    assert s3.list_objects_v2(Bucket="zerostack-bucket", Prefix="models/").get("KeyCount") == 0

    sandbox.post("clock", {"advance": 30})
    job = sagemaker.describe_training_job(TrainingJobName="with-model")
    assert job["TrainingJobStatus"] == "Completed"
    assert job["ModelArtifacts"]["S3ModelArtifacts"] == "s3://zerostack-bucket/models/with-model/"
    keys = {
        item["Key"] for item in s3.list_objects_v2(Bucket="zerostack-bucket", Prefix="models/with-model/")["Contents"]
    }
    assert {
        f"models/with-model/{name}"
        for name in (
            "config.json",
            "generation_config.json",
            "model.safetensors",
            "tokenizer.json",
            "tokenizer_config.json",
        )
    } <= keys
    weights = s3.get_object(Bucket="zerostack-bucket", Key="models/with-model/model.safetensors")["Body"].read()
    header_size = int.from_bytes(weights[:8], "little")
    assert weights[8 : 8 + header_size].startswith(b"{")

    # Seen again: written once, not twice.
    sagemaker.describe_training_job(TrainingJobName="with-model")
    assert sandbox.get("stats")["s3"]["put_object_count"] == 0  # sandbox writes are not client uploads

    fallback = sagemaker.describe_training_job(TrainingJobName="no-model-path")
    assert fallback["ModelArtifacts"]["S3ModelArtifacts"] == "s3://zerostack-bucket/output/no-model-path/output/model/"
    listed = s3.list_objects_v2(Bucket="zerostack-bucket", Prefix="output/no-model-path/output/model/")
    assert listed["KeyCount"] == 6


def test_missing_bucket_fails_the_upload(sandbox: Sandbox) -> None:
    sagemaker = sandbox.client("sagemaker")
    sagemaker.create_training_job(**training_job_request("nowhere", bucket="no-such-bucket"))
    sandbox.post("clock", {"advance": 30})
    job = sagemaker.describe_training_job(TrainingJobName="nowhere")
    assert job["TrainingJobStatus"] == "Failed"
    assert "NoSuchBucket" in job["FailureReason"]


def test_tags_list_and_search(sandbox: Sandbox) -> None:
    sandbox.client("s3").create_bucket(Bucket="zerostack-bucket")
    sagemaker = sandbox.client("sagemaker")
    arn = sagemaker.create_training_job(**training_job_request("tagged"))["TrainingJobArn"]
    sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": "zerostack:stack", "Value": "dev"}])
    tags = {tag["Key"]: tag["Value"] for tag in sagemaker.list_tags(ResourceArn=arn)["Tags"]}
    assert tags == {"zerostack:experiment": "tagged", "zerostack:stack": "dev"}

    names = [
        job["TrainingJobName"]
        for job in sagemaker.list_training_jobs(StatusEquals="InProgress")["TrainingJobSummaries"]
    ]
    assert names == ["tagged"]
    sandbox.post("clock", {"advance": 30})
    assert sagemaker.list_training_jobs(StatusEquals="InProgress")["TrainingJobSummaries"] == []
    assert [j["TrainingJobStatus"] for j in sagemaker.list_training_jobs()["TrainingJobSummaries"]] == ["Completed"]

    found = sagemaker.search(
        Resource="TrainingJob",
        SearchExpression={"Filters": [{"Name": "Tags.zerostack:experiment", "Operator": "Equals", "Value": "tagged"}]},
    )["Results"]
    assert [result["TrainingJob"]["TrainingJobName"] for result in found] == ["tagged"]
    assert found[0]["TrainingJob"]["TrainingJobStatus"] == "Completed"
