"""Endpoints take time to create, update and delete, and can fail."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from conftest import ROLE, Sandbox, wait_for

LMI_IMAGE = "763104351884.dkr.ecr.us-east-1.amazonaws.com/djl-inference:0.29.0-lmi11.0.0-cu124"


def make_config(sandbox: Sandbox, name: str, instance_type: str = "ml.g5.48xlarge") -> None:
    sagemaker = sandbox.client("sagemaker")
    try:
        sagemaker.describe_model(ModelName="lmi-model")
    except ClientError:
        sagemaker.create_model(
            ModelName="lmi-model",
            ExecutionRoleArn=ROLE,
            PrimaryContainer={"Image": LMI_IMAGE, "ModelDataUrl": "s3://zerostack-bucket/code/serving.tar.gz"},
            Tags=[{"Key": "zerostack:experiment", "Value": "exp"}],
        )
    sagemaker.create_endpoint_config(
        EndpointConfigName=name,
        ProductionVariants=[
            {
                "VariantName": "AllTraffic",
                "ModelName": "lmi-model",
                "InstanceType": instance_type,
                "InitialInstanceCount": 1,
                "ContainerStartupHealthCheckTimeoutInSeconds": 2400,
                "ModelDataDownloadTimeoutInSeconds": 2400,
            }
        ],
        Tags=[{"Key": "zerostack:experiment", "Value": "exp"}],
    )


def status(sandbox: Sandbox, name: str) -> str:
    return sandbox.client("sagemaker").describe_endpoint(EndpointName=name)["EndpointStatus"]


@pytest.mark.parametrize(
    "instance_type",
    [
        "ml.g5.2xlarge",
        "ml.g5.48xlarge",
        "ml.g6.12xlarge",
        "ml.g6e.48xlarge",
        "ml.p4d.24xlarge",
        "ml.p5.48xlarge",
        "ml.inf2.48xlarge",
    ],
)
def test_endpoint_config_accepts_todays_instances(sandbox: Sandbox, instance_type: str) -> None:
    make_config(sandbox, "config", instance_type)
    variant = sandbox.client("sagemaker").describe_endpoint_config(EndpointConfigName="config")["ProductionVariants"][0]
    assert variant["InstanceType"] == instance_type
    assert variant["ContainerStartupHealthCheckTimeoutInSeconds"] == 2400
    assert variant["ModelDataDownloadTimeoutInSeconds"] == 2400


def test_unknown_instance_type_is_refused(sandbox: Sandbox) -> None:
    with pytest.raises(ClientError) as error:
        make_config(sandbox, "config", "ml.banana.xlarge")
    assert error.value.response["Error"]["Code"] == "ValidationException"


def test_endpoint_creating_then_in_service(sandbox: Sandbox) -> None:
    make_config(sandbox, "config")
    sagemaker = sandbox.client("sagemaker")
    arn = sagemaker.create_endpoint(
        EndpointName="ep", EndpointConfigName="config", Tags=[{"Key": "zerostack:stack", "Value": "dev"}]
    )["EndpointArn"]
    assert status(sandbox, "ep") == "Creating"
    assert [e["EndpointStatus"] for e in sagemaker.list_endpoints()["Endpoints"]] == ["Creating"]
    sandbox.post("clock", {"speed": 20})
    wait_for(lambda: status(sandbox, "ep") == "InService")
    assert {t["Key"] for t in sagemaker.list_tags(ResourceArn=arn)["Tags"]} == {"zerostack:stack"}
    config_arn = sagemaker.describe_endpoint_config(EndpointConfigName="config")["EndpointConfigArn"]
    assert sagemaker.list_tags(ResourceArn=config_arn)["Tags"] == [{"Key": "zerostack:experiment", "Value": "exp"}]
    model_arn = sagemaker.describe_model(ModelName="lmi-model")["ModelArn"]
    assert sagemaker.list_tags(ResourceArn=model_arn)["Tags"] == [{"Key": "zerostack:experiment", "Value": "exp"}]
    with pytest.raises(ClientError) as error:
        sagemaker.create_endpoint(EndpointName="ep", EndpointConfigName="config")
    assert "Cannot create already existing endpoint" in error.value.response["Error"]["Message"]


def test_endpoint_failed_with_reason(sandbox: Sandbox) -> None:
    sandbox.post("scenario", {"endpoints": {"bad": {"fail": True, "creating_s": 2}}})
    make_config(sandbox, "config")
    sandbox.client("sagemaker").create_endpoint(EndpointName="bad", EndpointConfigName="config")
    sandbox.post("clock", {"advance": 3})
    endpoint = sandbox.client("sagemaker").describe_endpoint(EndpointName="bad")
    assert endpoint["EndpointStatus"] == "Failed"
    assert "did not pass the ping health check" in endpoint["FailureReason"]


def test_update_endpoint(sandbox: Sandbox) -> None:
    make_config(sandbox, "config-a")
    make_config(sandbox, "config-b", "ml.g6e.12xlarge")
    sagemaker = sandbox.client("sagemaker")
    sagemaker.create_endpoint(EndpointName="ep", EndpointConfigName="config-a")
    with pytest.raises(ClientError) as error:
        sagemaker.update_endpoint(EndpointName="ep", EndpointConfigName="config-b")
    assert error.value.response["Error"]["Code"] == "ValidationException"  # still Creating
    sandbox.post("clock", {"advance": 4})
    assert status(sandbox, "ep") == "InService"

    sagemaker.update_endpoint(EndpointName="ep", EndpointConfigName="config-b")
    updating = sagemaker.describe_endpoint(EndpointName="ep")
    assert updating["EndpointStatus"] == "Updating"
    assert updating["EndpointConfigName"] == "config-a"
    assert updating["PendingDeploymentSummary"]["EndpointConfigName"] == "config-b"
    sandbox.post("clock", {"advance": 4})
    done = sagemaker.describe_endpoint(EndpointName="ep")
    assert (done["EndpointStatus"], done["EndpointConfigName"]) == ("InService", "config-b")
    assert "PendingDeploymentSummary" not in done


def test_delete_endpoint(sandbox: Sandbox) -> None:
    make_config(sandbox, "config")
    sagemaker = sandbox.client("sagemaker")
    sagemaker.create_endpoint(EndpointName="ep", EndpointConfigName="config")
    sandbox.post("clock", {"advance": 4})
    sagemaker.delete_endpoint(EndpointName="ep")
    assert status(sandbox, "ep") == "Deleting"
    sandbox.post("clock", {"speed": 20})

    def gone() -> str | None:
        try:
            status(sandbox, "ep")
            return None
        except ClientError as error:
            return error.response["Error"]["Message"]

    message = wait_for(gone)
    assert message == "Could not find endpoint 'arn:aws:sagemaker:us-east-1:123456789012:endpoint/ep'."
    assert sandbox.get("state")["endpoints"]["total"] == 0
