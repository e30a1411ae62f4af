"""An endpoint's TTL: a one-time schedule whose universal target deletes it."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from botocore.exceptions import ClientError

from conftest import ROLE, Sandbox, wait_for
from test_endpoints import make_config

DELETE_ENDPOINT = "arn:aws:scheduler:::aws-sdk:sagemaker:deleteEndpoint"


def at_expression(sandbox: Sandbox, seconds_from_now: float, zone: str) -> str:
    now = sandbox.get("clock")["epoch_seconds"]
    local = datetime.fromtimestamp(now + seconds_from_now, tz=ZoneInfo(zone))
    return f"at({local.strftime('%Y-%m-%dT%H:%M:%S')})"


def create_ttl(sandbox: Sandbox, name: str, endpoint: str, after: str | None, seconds: float = 10) -> None:
    zone = "Europe/Paris"
    request = {
        "Name": name,
        "ScheduleExpression": at_expression(sandbox, seconds, zone),
        "ScheduleExpressionTimezone": zone,
        "FlexibleTimeWindow": {"Mode": "OFF"},
        "Target": {"Arn": DELETE_ENDPOINT, "RoleArn": ROLE, "Input": json.dumps({"EndpointName": endpoint})},
    }
    if after:
        request["ActionAfterCompletion"] = after
    sandbox.client("scheduler").create_schedule(**request)


def endpoint_gone(sandbox: Sandbox, name: str) -> bool:
    try:
        sandbox.client("sagemaker").describe_endpoint(EndpointName=name)
        return False
    except ClientError as error:
        return "Could not find endpoint" in error.response["Error"]["Message"]


def test_ttl_schedule_deletes_the_endpoint(sandbox: Sandbox) -> None:
    make_config(sandbox, "config")
    sagemaker, scheduler = sandbox.client("sagemaker"), sandbox.client("scheduler")
    sagemaker.create_endpoint(EndpointName="ep", EndpointConfigName="config")
    create_ttl(sandbox, "ep-ttl", "ep", "DELETE", seconds=10)
    sandbox.post("clock", {"advance": 5})
    assert sagemaker.describe_endpoint(EndpointName="ep")["EndpointStatus"] == "InService"
    assert scheduler.get_schedule(Name="ep-ttl")["ActionAfterCompletion"] == "DELETE"

    sandbox.post("clock", {"speed": 20})  # the ticker fires it, no client call needed
    wait_for(lambda: endpoint_gone(sandbox, "ep"))
    with pytest.raises(ClientError) as error:
        scheduler.get_schedule(Name="ep-ttl")
    assert error.value.response["Error"]["Code"] == "ResourceNotFoundException"
    fired = sandbox.get("state")["schedule_invocations"]
    assert [(i["target"], i["ok"]) for i in fired] == [(DELETE_ENDPOINT, True)]


def test_schedule_without_delete_stays_and_failures_are_recorded(sandbox: Sandbox) -> None:
    create_ttl(sandbox, "orphan-ttl", "never-created", None, seconds=2)
    sandbox.post("clock", {"advance": 3})
    wait_for(lambda: sandbox.get("state")["schedule_invocations"])
    invocation = sandbox.get("state")["schedule_invocations"][0]
    assert invocation["ok"] is False and "Could not find endpoint" in invocation["error"]
    assert sandbox.client("scheduler").get_schedule(Name="orphan-ttl")["Name"] == "orphan-ttl"
    sandbox.post("clock", {"advance": 3})
    assert len(sandbox.get("state")["schedule_invocations"]) == 1  # a one-time schedule fires once


def test_update_schedule_keeps_action_after_completion(sandbox: Sandbox) -> None:
    create_ttl(sandbox, "later", "ep", None, seconds=3600)
    scheduler = sandbox.client("scheduler")
    current = scheduler.get_schedule(Name="later")
    scheduler.update_schedule(
        Name="later",
        ScheduleExpression=current["ScheduleExpression"],
        ScheduleExpressionTimezone=current["ScheduleExpressionTimezone"],
        FlexibleTimeWindow={"Mode": "OFF"},
        Target=current["Target"],
        ActionAfterCompletion="DELETE",
    )
    assert scheduler.get_schedule(Name="later")["ActionAfterCompletion"] == "DELETE"
