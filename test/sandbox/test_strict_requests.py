"""The strict sandbox: invalid requests generated from AWS's own models are refused as AWS refuses them.

For each checked service a fixed-seed generator reads botocore's model (the one the sandbox checks
against and the SDKs are built from), builds a request that is valid except for one member, and sends
it through boto3 with client-side validation off (Config(parameter_validation=False)), so the server
is the only judge. The mutations: a required member dropped, a value of the wrong type, a string too
long or too short, a number out of range, a value outside the enum, a string against the pattern. Each
answer must be HTTP 400 with the service's error code (validation/errors.py says where each comes
from) and must name the member as AWS does ('resourceConfig.instanceCount', 'tags.1.member.key').
With ZEROSTACK_SANDBOX_VALIDATION=off these requests reach moto and the test fails.
"""

from __future__ import annotations

import datetime
import json
import random
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
import regex
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from botocore.loaders import Loader
from botocore.model import OperationModel, ServiceModel, Shape

from conftest import REGION, Sandbox, start_server, stop_server

SEED = 20260512
PER_SERVICE = 45
SERVICES = ("sagemaker", "s3", "scheduler", "logs", "iam", "secretsmanager", "kms", "sagemaker-runtime")
VALIDATION_CODE = {
    "sagemaker": "ValidationException",
    "kms": "ValidationException",
    "secretsmanager": "ValidationException",
    "scheduler": "ValidationException",
    "logs": "InvalidParameterException",
    "iam": "ValidationError",
    "sagemaker-runtime": "ValidationError",
}
TYPE_CODE = {"json": "SerializationException", "rest-json": "SerializationException", "query": "InvalidParameterValue"}
STRICT = Config(parameter_validation=False, retries={"max_attempts": 1}, s3={"addressing_style": "path"})

# Strings tried, in order, when a valid value for a patterned member is needed.
VALID_GUESSES = (
    "a",
    "abc",
    "zerostack-1",
    "arn:aws:iam::123456789012:role/zerostack",
    "arn:aws:sagemaker:us-east-1:123456789012:training-job/zerostack-1",
    "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "s3://zerostack-bucket/key",
    "https://example.com/x",
    "123456789012",
    "1234abcd-12ab-34cd-56ef-1234567890ab",
    "ml.m5.large",
    "/",
    "1",
    "A",
    "x.y",
)
INVALID_GUESSES = ("bad value!", "!!", "~~", " ", "-", "\u00e9\u00e9", "a b", "A")


def java_pattern(source: str) -> Any:
    try:
        return regex.compile(source.replace("\\uD800\\uDC00-\\uDBFF\\uDFFF", "\\U00010000-\\U0010FFFF"))
    except regex.error:
        return None


def camel(name: str) -> str:
    return name[:1].lower() + name[1:]


@dataclass
class Case:
    service: str
    operation: str
    mutation: str
    path: str  # the member as AWS names it in the message
    params: dict[str, Any]
    location: str  # '' for body members, else uri/header/querystring (S3: InvalidArgument)

    @property
    def id(self) -> str:
        return f"{self.service}:{self.operation}:{self.mutation}:{self.path}"


class Generator:
    def __init__(self, service: str, rng: random.Random) -> None:
        self.service = service
        self.rng = rng
        self.model = ServiceModel(Loader().load_service_model(service, "service-2"), service)
        self.protocol = self.model.protocol

    # -- valid values -------------------------------------------------------------------------
    def valid(self, shape: Shape, depth: int = 0) -> Any:
        kind = shape.type_name
        meta = shape.metadata
        if kind == "structure":
            if depth > 5:
                return {}
            return {name: self.valid(shape.members[name], depth + 1) for name in shape.required_members}  # type: ignore[attr-defined]
        if kind == "list":
            count = max(meta.get("min", 0), 1 if depth <= 1 else 0)
            return [self.valid(shape.member, depth + 1) for _ in range(min(count, 2))]  # type: ignore[attr-defined]
        if kind == "map":
            return {}
        if kind == "string":
            if meta.get("enum"):
                return meta["enum"][0]
            low, high = meta.get("min", 0), meta.get("max", 10**6)
            compiled = java_pattern(meta["pattern"]) if meta.get("pattern") else None
            for guess in VALID_GUESSES:
                if low <= len(guess) <= high and (compiled is None or compiled.fullmatch(guess)):
                    return guess
            return "a" * max(low, 1)
        if kind in ("integer", "long"):
            return max(meta.get("min", 1), min(1, meta.get("max", 1)))
        if kind in ("float", "double"):
            return float(meta.get("min", 1))
        if kind == "boolean":
            return True
        if kind == "timestamp":
            return datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)
        return b"x"

    # -- mutations ----------------------------------------------------------------------------
    def targets(self, operation: OperationModel) -> Iterator[tuple[list[Any], Shape, str, bool, str]]:
        """(keys to the member, its shape, AWS path, required, location) down required structures."""
        shape = operation.input_shape
        if shape is None:
            return

        def walk(
            structure: Shape, keys: list[Any], path: str, depth: int
        ) -> Iterator[tuple[list[Any], Shape, str, bool, str]]:
            required = set(structure.required_members)  # type: ignore[attr-defined]
            for name, member in structure.members.items():  # type: ignore[attr-defined]
                location = member.serialization.get("location", "") if depth == 0 else ""
                member_path = f"{path}.{camel(name)}" if path else camel(name)
                yield keys + [name], member, member_path, name in required, location
                if depth >= 3 or (depth > 0 and name not in required):
                    continue
                if member.type_name == "structure" and not member.metadata.get("document"):
                    yield from walk(member, keys + [name], member_path, depth + 1)
                elif member.type_name == "list" and member.member.type_name == "structure":
                    yield from walk(member.member, keys + [name, 0], f"{member_path}.1.member", depth + 1)

        yield from walk(shape, [], "", 0)

    def mutations(self, shape: Shape, required: bool, location: str) -> list[tuple[str, Any]]:
        kind, meta = shape.type_name, shape.metadata
        found: list[tuple[str, Any]] = []
        # S3: without its required query member a request is another operation's (?intelligent-tiering&id),
        # and a CopyObject without x-amz-copy-source is a PutObject
        if required and location != "uri" and not (self.service == "s3" and location in ("querystring", "header")):
            found.append(("drop-required", None))
        if location == "uri" and self.service == "s3":
            return found  # botocore checks bucket names itself, and Key+ takes anything
        if kind == "string" and not meta.get("enum"):
            low, high = meta.get("min", 0), meta.get("max")
            if high is not None and high < 4096:
                found.append(("too-long", "a" * (high + 1)))
            if low >= 1 and location != "uri":
                found.append(("too-short", ""))
            if meta.get("pattern"):
                compiled = java_pattern(meta["pattern"])
                for guess in INVALID_GUESSES:
                    if location == "header" and guess != guess.strip():
                        continue  # HTTP drops a header value's outer whitespace
                    if compiled is not None and low <= len(guess) <= (high or 10**6) and not compiled.fullmatch(guess):
                        found.append(("pattern", guess))
                        break
        if kind == "string" and meta.get("enum"):
            found.append(("bad-enum", "NOT_AN_ENUM_VALUE"))
        if kind in ("integer", "long"):
            if meta.get("max") is not None and meta["max"] < 2**31:
                found.append(("out-of-range", meta["max"] + 1))
            elif meta.get("min") is not None and meta["min"] > -(2**31):
                found.append(("out-of-range", meta["min"] - 1))
            if self.protocol != "rest-xml":
                found.append(("wrong-type", "not-a-number"))
        if kind == "string" and self.protocol in ("json", "rest-json") and location == "":
            found.append(("wrong-type", 12345))
        if kind == "boolean" and self.protocol in ("json", "rest-json") and location == "":
            found.append(("wrong-type", "yes"))
        return found

    def cases(self) -> list[Case]:
        all_cases: list[Case] = []
        for name in sorted(self.model.operation_names):
            operation = self.model.operation_model(name)
            if operation.has_event_stream_input or operation.has_streaming_input and self.service == "s3":
                if name != "PutObject":
                    continue
            if (
                operation.endpoint
                or operation.endpoint_discovery
                or operation.http.get("requestUri", "").startswith("/v")
            ):
                continue
            if any(param.name == "UseS3ExpressControlEndpoint" for param in operation.static_context_parameters):
                continue  # AWS serves these at the S3 Express control endpoint; on one URL they match ListBuckets
            # (operation.endpoint: a host prefix such as logs' stream-, which no loopback name resolves)
            base = self.valid(operation.input_shape) if operation.input_shape is not None else {}
            checksum_member = operation.http_checksum.get("requestAlgorithmMember")
            for keys, shape, path, required, location in self.targets(operation):
                if keys[-1] == checksum_member:
                    continue  # botocore refuses an unknown checksum algorithm itself, before sending
                for mutation, value in self.mutations(shape, required, location):
                    params = _set(base, keys, value, drop=mutation == "drop-required")
                    if params is None:
                        continue
                    all_cases.append(Case(self.service, name, mutation, path, params, location))
        self.rng.shuffle(all_cases)
        # Spread over mutations: round-robin by kind, so every kind is represented.
        by_kind: dict[str, list[Case]] = {}
        for case in all_cases:
            by_kind.setdefault(case.mutation, []).append(case)
        chosen: list[Case] = []
        while len(chosen) < PER_SERVICE and any(by_kind.values()):
            for kind in sorted(by_kind):
                if by_kind[kind] and len(chosen) < PER_SERVICE:
                    chosen.append(by_kind[kind].pop())
        return chosen


def _set(base: dict[str, Any], keys: list[Any], value: Any, drop: bool) -> dict[str, Any] | None:
    """A deep copy of `base` with the member at `keys` set to `value` (or removed)."""
    params = _copy(base)
    node: Any = params
    for key in keys[:-1]:
        if isinstance(node, dict):
            if key not in node:
                return None
            node = node[key]
        elif isinstance(node, list):
            if not node:
                return None
            node = node[key]
    if not isinstance(node, dict):
        return None
    if drop:
        if keys[-1] not in node:
            return None
        del node[keys[-1]]
    else:
        node[keys[-1]] = value
    return params


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value


def generated_cases() -> list[Case]:
    rng = random.Random(SEED)
    cases: list[Case] = []
    for service in SERVICES:
        cases += Generator(service, rng).cases()
    return cases


CASES = generated_cases()


def expected_code(case: Case, protocol: str) -> str:
    if case.service == "s3":
        return "InvalidArgument" if case.location else "MalformedXML"
    if case.mutation == "wrong-type":
        return TYPE_CODE[protocol]
    return VALIDATION_CODE[case.service]


_clients: dict[tuple[str, str], Any] = {}


def send(url: str, case: Case) -> ClientError | None:
    client = _clients.get((url, case.service))
    if client is None:
        client = _clients[(url, case.service)] = boto3.client(
            case.service, endpoint_url=url, region_name=REGION, config=STRICT
        )
    method = getattr(client, _snake(client, case.operation))
    try:
        method(**case.params)
    except ClientError as error:
        return error
    except BotoCoreError as error:
        raise AssertionError(f"{case.id}: boto3 did not send it: {error}") from error
    return None


_snake_cache: dict[tuple[str, str], str] = {}


def _snake(client: Any, operation: str) -> str:
    key = (client.meta.service_model.service_name, operation)
    if key not in _snake_cache:
        _snake_cache.update({(key[0], api): method for method, api in client.meta.method_to_api_mapping.items()})
    return _snake_cache[key]


def test_at_least_200_generated_invalid_requests_cover_every_service_and_mutation() -> None:
    assert len(CASES) >= 200
    assert {case.service for case in CASES} == set(SERVICES)
    kinds = Counter(case.mutation for case in CASES)
    assert set(kinds) >= {"drop-required", "wrong-type", "too-long", "out-of-range", "bad-enum", "pattern"}, kinds


def test_generated_invalid_requests_are_refused_as_aws_refuses_them(sandbox: Sandbox) -> None:
    protocols = {service: Generator(service, random.Random(0)).protocol for service in SERVICES}
    failures: list[str] = []
    refused = 0
    for case in CASES:
        error = send(sandbox.url, case)
        if error is None:
            failures.append(f"{case.id}: accepted")
            continue
        response = error.response
        status = response["ResponseMetadata"]["HTTPStatusCode"]
        code = response["Error"].get("Code")
        text = response["Error"].get("Message", "") + " " + response["Error"].get("ArgumentName", "")
        want = expected_code(case, protocols[case.service])
        if status != 400 or code != want or f"'{case.path}'" not in text:
            failures.append(f"{case.id}: {status} {code} (want 400 {want}) {text[:300]}")
            continue
        refused += 1
    print(f"refused {refused} of {len(CASES)} generated invalid requests")
    assert failures == [], f"{len(failures)} of {len(CASES)} not refused as AWS does:\n" + "\n".join(failures)


def test_the_switch_turns_the_checks_off_for_diagnosis() -> None:
    """ZEROSTACK_SANDBOX_VALIDATION=off: the same invalid request reaches moto (and moto accepts it)."""
    case = Case("kms", "CreateKey", "too-long", "description", {"Description": "a" * 8193}, "")
    process, url = start_server({"ZEROSTACK_SANDBOX_VALIDATION": "off"})
    try:
        assert send(url, case) is None
    finally:
        stop_server(process)


def test_valid_requests_pass(sandbox: Sandbox) -> None:
    kms = sandbox.client("kms")
    assert kms.create_key(Description="a" * 8192)["KeyMetadata"]["Description"] == "a" * 8192
    logs = sandbox.client("logs")
    logs.create_log_group(logGroupName="/aws/sagemaker/TrainingJobs")
    iam = sandbox.client("iam")
    iam.create_role(RoleName="zerostack-strict", AssumeRolePolicyDocument="{}", MaxSessionDuration=3600)


@pytest.mark.parametrize("retry_mode", ["standard", "legacy"])
def test_an_operation_the_sandbox_lacks_is_an_aws_error_that_is_not_retried(sandbox: Sandbox, retry_mode: str) -> None:
    """iam:SimulatePrincipalPolicy (not in moto 5.2.5): 501 NotImplemented in IAM's XML shape, one attempt."""
    sandbox.post("stats/reset")
    config = Config(retries={"mode": retry_mode, "max_attempts": 3})
    iam = boto3.client("iam", endpoint_url=sandbox.url, region_name=REGION, config=config)
    with pytest.raises(ClientError) as raised:
        iam.simulate_principal_policy(PolicySourceArn="arn:aws:iam::123456789012:role/x", ActionNames=["s3:GetObject"])
    response = raised.value.response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 501
    assert response["Error"]["Code"] == "NotImplemented"
    assert "iam:SimulatePrincipalPolicy" in response["Error"]["Message"]
    assert response["ResponseMetadata"]["RetryAttempts"] == 0
    assert sum(sandbox.get("stats")["requests"].values()) == 1


def test_an_unknown_json_operation_is_aws_shaped(sandbox: Sandbox) -> None:
    """A JSON-protocol action outside the model: UnknownOperationException, as AWS answers it."""
    status, body = raw_json(sandbox.url, "SageMaker.NoSuchThing", b"{}")
    assert (status, body["__type"]) == (400, "UnknownOperationException")
    status, body = raw_json(sandbox.url, "SageMaker.CreateTrainingJob", b"{not json")
    assert (status, body["__type"]) == (400, "SerializationException")


def raw_json(url: str, target: str, data: bytes) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(
        url + "/",
        data=data,
        method="POST",
        headers={
            "X-Amz-Target": target,
            "Content-Type": "application/x-amz-json-1.1",
            "Authorization": "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/sagemaker/aws4_request, "
            "SignedHeaders=host, Signature=x",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_moto_errors_without_a_body_pass_through(sandbox: Sandbox) -> None:
    """moto's S3 HEAD 404 carries Flask's default text/html type and no body: it stays a 404, never a 501."""
    s3 = sandbox.client("s3")
    s3.create_bucket(Bucket="zerostack-strict")
    for call in (
        lambda: s3.head_object(Bucket="zerostack-strict", Key="missing"),
        lambda: s3.head_bucket(Bucket="zerostack-missing"),
    ):
        with pytest.raises(ClientError) as raised:
            call()
        assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
