"""Injected faults answer in each service's own throttling and 5xx shapes, which the SDKs retry."""

from __future__ import annotations

import time

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from conftest import REGION, Sandbox


def once(sandbox: Sandbox, service: str):  # type: ignore[no-untyped-def]
    """A client that sends each request exactly once: the fault itself comes back."""
    config = Config(retries={"total_max_attempts": 1}, s3={"addressing_style": "path"})
    return boto3.client(service, endpoint_url=sandbox.url, region_name=REGION, config=config)


def test_sagemaker_throttling_is_a_throttling_exception_botocore_retries(sandbox: Sandbox) -> None:
    sandbox.post("faults", {"seed": 1, "services": {"sagemaker": {"burst_5xx": 0, "throttle_rate": 0.99}}})
    sagemaker = once(sandbox, "sagemaker")
    with pytest.raises(ClientError) as raised:
        sagemaker.list_training_jobs()
    assert raised.value.response["Error"]["Code"] == "ThrottlingException"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    # with the SDK's own retries, a 30% rate is ridden out
    sandbox.post("faults", {"seed": 2, "services": {"sagemaker": {"throttle_rate": 0.3}}})
    retrying = boto3.client(
        "sagemaker",
        endpoint_url=sandbox.url,
        region_name=REGION,
        config=Config(retries={"mode": "standard", "max_attempts": 10}),
    )
    for _ in range(20):
        retrying.list_training_jobs()
    injected = sandbox.get("faults")["injected"]
    assert injected["sagemaker throttle"] > 0


def test_s3_slow_down_and_a_burst_of_5xx(sandbox: Sandbox) -> None:
    sandbox.post("faults", {"services": {"s3": {"burst_5xx": 2, "throttle_rate": 0.0}}})
    s3 = once(sandbox, "s3")
    for _ in range(2):
        with pytest.raises(ClientError) as raised:
            s3.list_buckets()
        assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 503
        assert raised.value.response["Error"]["Code"] == "ServiceUnavailable"
    s3.list_buckets()  # the burst is over
    sandbox.post("faults", {"seed": 3, "services": {"s3": {"throttle_rate": 0.99}}})
    with pytest.raises(ClientError) as raised:
        s3.list_buckets()
    assert raised.value.response["Error"]["Code"] == "SlowDown"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 503


def test_slow_answers_and_other_services_untouched(sandbox: Sandbox) -> None:
    sandbox.post("faults", {"services": {"logs": {"slow_ms": 300}}})
    started = time.monotonic()
    sandbox.client("logs").describe_log_groups()
    assert time.monotonic() - started >= 0.3
    sandbox.client("sagemaker").list_training_jobs()  # no fault planned for SageMaker


def test_the_same_seed_throttles_the_same_requests(sandbox: Sandbox) -> None:
    def pattern() -> list[bool]:
        sandbox.post("faults", {"seed": 42, "services": {"sagemaker": {"throttle_rate": 0.5}}})
        client = once(sandbox, "sagemaker")
        answers = []
        for _ in range(12):
            try:
                client.list_endpoints()
                answers.append(True)
            except ClientError:
                answers.append(False)
        return answers

    assert pattern() == pattern()


def test_a_bad_faults_document_names_the_field(sandbox: Sandbox) -> None:
    status, document = sandbox.control("POST", "faults", {"services": {"ec2": {"throttle_rate": 0.1}}})
    assert status == 400 and "faults.services.ec2" in document["error"]
    status, document = sandbox.control("POST", "faults", {"services": {"s3": {"throttle_rate": 2}}})
    assert status == 400 and "throttle_rate" in document["error"]
    sandbox.post("reset")
    assert sandbox.get("faults")["plan"]["services"] == {}
