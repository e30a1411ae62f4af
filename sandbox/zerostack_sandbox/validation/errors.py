"""AWS's error answers, each in its service's protocol shape.

Shapes (AWS protocol specs, https://smithy.io/2.0/aws/protocols/, and botocore's parsers.py, which
reads them):
  json 1.1    HTTP 400, Content-Type application/x-amz-json-1.1, body {"__type": Code, "message": ...}
  rest-json   HTTP 400, header x-amzn-ErrorType: Code, body {"Message": ...}
  query       HTTP 400, text/xml <ErrorResponse><Error><Type>Sender</Type><Code/><Message/></Error><RequestId/>
  rest-xml    HTTP 400, application/xml <Error><Code/><Message/>...<RequestId/></Error> (S3)

Codes per service for a request that breaks a model constraint (the service's own answers):
  SageMaker, KMS, Secrets Manager, Scheduler: ValidationException
  SageMaker Runtime: ValidationError (SageMaker Runtime API Reference, InvokeEndpoint Errors)
  CloudWatch Logs: InvalidParameterException ("1 validation error detected: Value null at
    'logEvents.1.member.timestamp' ...", as the Logs service answers it)
  IAM: ValidationError (IAM API Reference, Common Errors; query protocol)
  S3: InvalidArgument with ArgumentName/ArgumentValue for a header/query/URI member, MalformedXML for a
    body that does not follow the schema (Amazon S3 API Reference, Error responses: list of error codes)
A value of the wrong type (JSON protocols): SerializationException (HTTP 400), as the JSON services
answer a body their deserializer cannot read; query protocol: InvalidParameterValue (AWS Common Errors).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from xml.sax.saxutils import escape

from .checks import Violation, java_value, summary

VALIDATION_CODES = {
    "sagemaker": "ValidationException",
    "sagemaker-runtime": "ValidationError",  # the runtime model's own error shape (InvokeEndpoint Errors)
    "kms": "ValidationException",
    "secretsmanager": "ValidationException",
    "scheduler": "ValidationException",
    "logs": "InvalidParameterException",
    "iam": "ValidationError",
}
JSON_CONTENT_TYPE = "application/x-amz-json-1.1"
IAM_NAMESPACE = "https://iam.amazonaws.com/doc/2010-05-08/"


@dataclass(frozen=True)
class Answer:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    @property
    def status_line(self) -> str:
        return f"{self.status} {REASONS.get(self.status, 'Error')}"


REASONS = {
    400: "Bad Request",
    429: "Too Many Requests",
    500: "Internal Server Error",
    501: "Not Implemented",
    503: "Service Unavailable",
}


def answer(protocol: str, status: int, code: str, message: str, extra: dict[str, str] | None = None) -> Answer:
    request_id = str(uuid.uuid4())
    if protocol == "json":
        body = json.dumps({"__type": code, "message": message}).encode()
        headers = [("Content-Type", JSON_CONTENT_TYPE), ("x-amzn-RequestId", request_id)]
    elif protocol == "rest-json":
        body = json.dumps({"Message": message}).encode()
        headers = [
            ("Content-Type", "application/json"),
            ("x-amzn-ErrorType", code),
            ("x-amzn-RequestId", request_id),
        ]
    elif protocol == "query":
        body = (
            f'<ErrorResponse xmlns="{IAM_NAMESPACE}"><Error><Type>Sender</Type><Code>{escape(code)}</Code>'
            f"<Message>{escape(message)}</Message></Error><RequestId>{request_id}</RequestId></ErrorResponse>"
        ).encode()
        headers = [("Content-Type", "text/xml"), ("x-amzn-RequestId", request_id)]
    else:  # rest-xml: S3
        fields = "".join(f"<{name}>{escape(value)}</{name}>" for name, value in (extra or {}).items())
        body = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{escape(code)}</Code>'
            f"<Message>{escape(message)}</Message>{fields}<RequestId>{request_id}</RequestId>"
            f"<HostId>zerostack-sandbox</HostId></Error>"
        ).encode()
        headers = [("Content-Type", "application/xml"), ("x-amz-request-id", request_id)]
    headers.append(("Content-Length", str(len(body))))
    return Answer(status, headers, body)


def invalid(service: str, protocol: str, violations: list[Violation], body_paths: set[str]) -> Answer:
    """`body_paths`: S3 only, the violations' paths that lie in the XML body (MalformedXML, unless a header,
    query or URI member is wrong too: that one is named as InvalidArgument)."""
    if service == "s3":
        located = [v for v in violations if v.path not in body_paths]
        if not located:
            return answer(
                protocol,
                400,
                "MalformedXML",
                "The XML you provided was not well-formed or did not validate against our published schema "
                f"({summary(violations)})",
            )
        first = located[0]
        value = "null" if first.value is None else java_value(first.value)
        return answer(
            protocol,
            400,
            "InvalidArgument",
            summary(located),
            {"ArgumentName": first.wire_name or first.path, "ArgumentValue": value},
        )
    return answer(protocol, 400, VALIDATION_CODES.get(service, "ValidationException"), summary(violations))


def wrong_type(service: str, protocol: str, message: str, in_body: bool) -> Answer:
    if protocol == "query":
        return answer(protocol, 400, "InvalidParameterValue", message)
    if protocol == "rest-xml":
        return answer(protocol, 400, "MalformedXML" if in_body else "InvalidArgument", message)
    return answer(protocol, 400, "SerializationException", message)


def malformed(protocol: str, detail: str) -> Answer:
    if protocol == "rest-xml":
        return answer(
            protocol,
            400,
            "MalformedXML",
            "The XML you provided was not well-formed or did not validate against our published schema",
        )
    if protocol == "query":
        return answer(protocol, 400, "MalformedQueryString", detail)
    return answer(protocol, 400, "SerializationException", f"Unable to parse the request body: {detail}")


def unknown_operation(protocol: str, action: str) -> Answer:
    """An action the model does not have: what AWS answers (JSON: UnknownOperationException; query: InvalidAction)."""
    if protocol == "query":
        return answer(protocol, 400, "InvalidAction", f"Could not find operation {action} for version 2010-05-08")
    return answer(protocol, 400, "UnknownOperationException", f"Unknown operation {action}")


def not_implemented(protocol: str, service: str, action: str) -> Answer:
    """An operation AWS has but the sandbox (moto 5.2.5) does not: 501 NotImplemented, a normal service error.

    Why this shape: botocore and the AWS SDK for JavaScript v3 parse it like any error of the service
    (ClientError / ServiceException with Code NotImplemented, HTTP 501), and neither retries it (botocore
    retries 500/502/503/504, @smithy/util-retry's transient codes are the same four), so a caller that
    treats a failed optional check as "cannot tell" goes on at once. NotImplemented/501 is S3's own code
    for "functionality not implemented" (S3 API Reference, Error responses). 400 InvalidAction would claim
    the action does not exist in AWS, which is false.
    """
    message = f"The zerostack sandbox (moto 5.2.5) does not implement {service}:{action}"
    return answer(protocol, 501, "NotImplemented", message)


def internal(protocol: str, detail: str) -> Answer:
    code = "InternalError" if protocol == "rest-xml" else "InternalFailure"
    return answer(protocol, 500, code, f"The sandbox failed on this request: {detail}")
