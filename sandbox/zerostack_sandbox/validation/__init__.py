"""A strict sandbox: every request to a checked service is held to that service's AWS model before moto sees it.

`check(environ)` answers an invalid request the way AWS does (errors.py) and returns None for a valid
one, which moto then serves. Checked: SageMaker, SageMaker Runtime, S3, EventBridge Scheduler,
CloudWatch Logs, IAM, Secrets Manager, KMS (models.SERVICES), every operation in their models: required
members, types, lengths, value ranges, enums, patterns (checks.py). `unimplemented()` and `failed()`
turn moto's HTML error pages (an operation moto lacks, a crash) into AWS-shaped errors.

On by default; ZEROSTACK_SANDBOX_VALIDATION=off (or 0/false) when the server starts turns the checks
off for diagnosis (the AWS-shaped answers for unimplemented operations stay).
"""

from __future__ import annotations

import io
import os
import threading
import time
from typing import Any

from . import errors
from .checks import TypeMismatchError, check
from .errors import Answer
from .models import SERVICES
from .requests import Call, MalformedBody, identify, needs_body, params, signing_name

ENV = "ZEROSTACK_SANDBOX_VALIDATION"
LOG_ENV = "ZEROSTACK_SANDBOX_VALIDATION_LOG"  # a file: one line per refused request (for diagnosis)
_log_lock = threading.Lock()


def log_refusal(call: Call, refusal: Answer) -> None:
    path = os.environ.get(LOG_ENV)
    if not path:
        return
    body = refusal.body.decode(errors="replace")
    line = f"{time.strftime('%H:%M:%S')} {call.service}:{call.action} {refusal.status} {body}"
    with _log_lock, open(path, "a", encoding="utf-8") as log:
        log.write(line.replace("\n", " ") + "\n")


def enabled_by_env() -> bool:
    return os.environ.get(ENV, "on").strip().lower() not in ("off", "0", "false", "no")


def read_body(environ: dict[str, Any]) -> bytes:
    """The request body, read once and put back for moto."""
    stream = environ.get("wsgi.input")
    if stream is None:
        return b""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > 0:
        body = stream.read(length)
    elif environ.get("wsgi.input_terminated"):
        body = stream.read()
    else:
        body = b""
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    return body


def body_first(environ: dict[str, Any]) -> bool:
    """JSON and query requests name their operation in headers or body; their bodies are small."""
    return bool(environ.get("HTTP_X_AMZ_TARGET")) or signing_name(environ) == "iam"


def check_request(environ: dict[str, Any]) -> Answer | None:
    """AWS's answer to an invalid request, or None when the request is valid (or not to a checked service)."""
    refusal, call = refuse(environ)
    if refusal is not None and call is not None:
        log_refusal(call, refusal)
    return refusal


def refuse(environ: dict[str, Any]) -> tuple[Answer | None, Call | None]:
    body = read_body(environ) if body_first(environ) else None
    call = identify(environ, body)
    if call is None:
        return None, None
    if call.operation is None:
        return errors.unknown_operation(call.protocol, call.action), call
    if body is None and needs_body(call):
        body = read_body(environ)
    try:
        values = params(call, environ, body)
        violations = check(call.operation.input_shape, values)
    except MalformedBody as error:
        return errors.malformed(call.protocol, str(error)), call
    except TypeMismatchError as error:
        in_body = call.protocol == "rest-xml" and error.mismatch.path.split(".")[0] not in located(call)
        return errors.wrong_type(call.service, call.protocol, str(error), in_body), call
    if not violations:
        return None, call
    body_paths = set()
    if call.protocol == "rest-xml":
        body_paths = {v.path for v in violations if v.path.split(".")[0] not in located(call)}
    return errors.invalid(call.service, call.protocol, violations, body_paths), call


def located(call: Call) -> set[str]:
    """S3: the lowerCamel names of the members that travel in the URI, query string or headers."""
    assert call.operation is not None and call.operation.input_shape is not None
    return {
        name[:1].lower() + name[1:]
        for name, member in call.operation.input_shape.members.items()
        if "location" in member.serialization
    }


def protocol_of(environ: dict[str, Any]) -> tuple[str, str]:
    """(protocol, service) of any AWS request, for the error shapes of answers moto could not give."""
    if environ.get("HTTP_X_AMZ_TARGET"):
        return "json", environ["HTTP_X_AMZ_TARGET"].rpartition(".")[0]
    signing = signing_name(environ) or "unknown"
    if signing == "s3":
        return "rest-xml", "s3"
    if environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded"):
        return "query", signing
    return "rest-json", signing


def action_of(environ: dict[str, Any]) -> str:
    try:
        call = identify(environ, read_body(environ) if body_first(environ) else None)
    except Exception:
        call = None
    if call is not None:
        return call.action
    return f"{environ.get('REQUEST_METHOD', '')} {environ.get('PATH_INFO', '')}"


def unimplemented(environ: dict[str, Any], action: str | None = None) -> Answer:
    protocol, service = protocol_of(environ)
    return errors.not_implemented(protocol, service, action or action_of(environ))


def failed(environ: dict[str, Any], detail: str) -> Answer:
    protocol, _ = protocol_of(environ)
    return errors.internal(protocol, detail)


__all__ = ["ENV", "SERVICES", "Answer", "check_request", "enabled_by_env", "failed", "unimplemented"]
