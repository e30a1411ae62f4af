"""Which service and operation an HTTP request is, and its parameters as the model names them.

A server-side reading of the four wire protocols the checked services use, from botocore's models
(metadata.protocol) and the AWS protocol specs (https://smithy.io/2.0/aws/protocols/):
  json (1.1)   SageMaker, CloudWatch Logs, Secrets Manager, KMS: X-Amz-Target '<targetPrefix>.<Op>', JSON body
  query        IAM: form body Action=<Op>&Version=..., lists as Name.member.N, maps as Name.entry.N.key/value
  rest-json    Scheduler, SageMaker Runtime: method + requestUri template, querystring, headers, JSON body
  rest-xml     S3: method + requestUri template (path-style addressing), querystring, headers, XML payload
The body is read only when the operation has one to check (never an S3 object's bytes).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from botocore.model import OperationModel, ServiceModel, Shape, StructureShape

from .checks import INTEGERS, JAVA_TYPES, TypeMismatch, TypeMismatchError, camel, join, parse_json
from .models import model, targets

SIGNING_TO_SERVICE = {
    "s3": "s3",
    "s3express": "s3",
    "iam": "iam",
    "scheduler": "scheduler",
    "sagemaker": "sagemaker-runtime",
}


class MalformedBody(Exception):
    """The body is not JSON/XML/a form at all (SerializationException, MalformedXML)."""


@dataclass
class Call:
    service: str
    protocol: str
    operation: OperationModel | None  # None: the action is not in the service's model
    action: str  # the name the client asked for
    labels: dict[str, str] = field(default_factory=dict)  # rest: uri labels


def signing_name(environ: dict[str, Any]) -> str | None:
    auth = environ.get("HTTP_AUTHORIZATION", "")
    if "Credential=" in auth:
        scope = auth.split("Credential=", 1)[1].split(",", 1)[0].split("/")
        return scope[3] if len(scope) >= 5 else None
    query = environ.get("QUERY_STRING", "")
    if "X-Amz-Credential=" in query:  # a presigned URL
        for key, value in parse_qsl(query, keep_blank_values=True):
            if key == "X-Amz-Credential":
                scope = value.split("/")
                return scope[3] if len(scope) >= 5 else None
    return None


def identify(environ: dict[str, Any], body: bytes | None) -> Call | None:
    """The call, or None when the request is not to a checked service (moto answers it unchecked)."""
    target = environ.get("HTTP_X_AMZ_TARGET")
    if target:
        prefix, _, action = target.rpartition(".")
        service = targets().get(prefix)
        if service is None:
            return None
        service_model = model(service)
        return Call(service, "json", operation_named(service_model, action), action)
    signing = signing_name(environ)
    service = SIGNING_TO_SERVICE.get(signing or "")
    if service is None:
        return None
    path = wsgi_path(environ)
    if service == "s3" and (path.startswith("/v20180820/") or "s3-control" in environ.get("HTTP_HOST", "")):
        return None  # S3 Control: another model
    service_model = model(service)
    if service == "iam":
        action = dict(parse_qsl(environ.get("QUERY_STRING", ""))).get("Action", "")
        if not action and body is not None:
            action = dict(parse_qsl(body.decode("utf-8", "replace"))).get("Action", "")
        if not action:
            return None
        return Call(service, "query", operation_named(service_model, action), action)
    routed = route(service_model, environ, path, query_pairs(environ))
    if routed is None:
        return None
    operation, labels = routed
    return Call(service, service_model.protocol, operation, operation.name, labels)


_names: dict[str, frozenset[str]] = {}


def operation_named(service_model: ServiceModel, action: str) -> OperationModel | None:
    names = _names.get(service_model.service_name)
    if names is None:
        names = _names[service_model.service_name] = frozenset(service_model.operation_names)
    if action not in names:
        return None
    return service_model.operation_model(action)


def wsgi_path(environ: dict[str, Any]) -> str:
    path = environ.get("PATH_INFO", "") or "/"
    try:
        return path.encode("latin-1").decode("utf-8")  # PEP 3333: PATH_INFO holds the bytes as latin-1
    except UnicodeError:
        return path


def query_pairs(environ: dict[str, Any]) -> list[tuple[str, str]]:
    return parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True)


def needs_body(call: Call) -> bool:
    """Whether the request's body holds members to check (S3 objects and invocation payloads do not)."""
    if call.operation is None:
        return False
    if call.protocol in ("json", "query"):
        return True
    shape = call.operation.input_shape
    if shape is None:
        return False
    payload = shape.serialization.get("payload")
    if payload:
        return shape.members[payload].type_name == "structure"
    return any("location" not in member.serialization for member in shape.members.values())


# --- rest routing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    operation: str
    method: str
    path: re.Pattern[str]
    labels: tuple[str, ...]
    query: tuple[tuple[str, str | None], ...]  # literal query keys (and values) the URI requires
    literal_chars: int
    required_headers: tuple[str, ...]  # WSGI keys of required header members (CopyObject's x-amz-copy-source)
    required_query: tuple[str, ...]  # required querystring members (CompleteMultipartUpload's uploadId)
    x_id: str | None  # the SDKs' optional x-id=<Op>: must agree when sent (ListBuckets vs ListDirectoryBuckets)
    query_members: frozenset[str]  # every querystring member's name (max-buckets vs max-directory-buckets)


_routes: dict[str, list[Route]] = {}
_LABEL = re.compile(r"\{([^}]+)\}")


def routes(service_model: ServiceModel) -> list[Route]:
    found = _routes.get(service_model.service_name)
    if found is not None:
        return found
    built: list[Route] = []
    for name in service_model.operation_names:
        operation = service_model.operation_model(name)
        http = operation.http
        required_headers: list[str] = []
        required_query: list[str] = []
        query_members: set[str] = set()
        shape = operation.input_shape
        for member_name, member in shape.members.items() if shape is not None else ():  # type: ignore[attr-defined]
            if member.serialization.get("location") == "querystring":
                query_members.add(member.serialization.get("name", member_name))
        for member_name in shape.required_members if shape is not None else ():
            member = shape.members[member_name]  # type: ignore[union-attr]
            location = member.serialization.get("location")
            wire = member.serialization.get("name", member_name)
            if location == "header":
                required_headers.append(header_key(wire))
            elif location == "querystring":
                required_query.append(wire)
        uri = http.get("requestUri", "/")
        path, _, query = uri.partition("?")
        pattern, labels, position = "", [], 0
        for label in _LABEL.finditer(path):
            pattern += re.escape(path[position : label.start()])
            label_name = label.group(1)
            greedy = label_name.endswith("+")
            labels.append(label_name.rstrip("+"))
            pattern += "(.+)" if greedy else "([^/]+)"
            position = label.end()
        pattern += re.escape(path[position:])
        literals: list[tuple[str, str | None]] = []
        x_id = None
        for part in filter(None, query.split("&")):
            key, equals, value = part.partition("=")
            if key == "x-id":  # optional on the wire
                x_id = value
            else:
                literals.append((key, value if equals else None))
        literal_chars = len(_LABEL.sub("", path))
        compiled = re.compile(pattern.rstrip("/") + "/?" if pattern != "/" else "/")
        built.append(
            Route(
                name,
                http.get("method", "POST"),
                compiled,
                tuple(labels),
                tuple(literals),
                literal_chars,
                tuple(required_headers),
                tuple(required_query),
                x_id,
                frozenset(query_members),
            )
        )
    _routes[service_model.service_name] = built
    return built


def route(
    service_model: ServiceModel, environ: dict[str, Any], path: str, query: list[tuple[str, str]]
) -> tuple[OperationModel, dict[str, str]] | None:
    """The operation whose method, URI template and query literals fit best; among those that share a
    template (PutObject/CopyObject, UploadPart/UploadPartCopy) the one whose required headers and query
    members are there."""
    method = environ.get("REQUEST_METHOD", "GET")
    present = dict(query)
    best: tuple[tuple[int, ...], Route, dict[str, str]] | None = None
    for candidate in routes(service_model):
        if candidate.method != method:
            continue
        matched = candidate.path.fullmatch(path)
        if matched is None:
            continue
        if any(key not in present or (value is not None and present[key] != value) for key, value in candidate.query):
            continue
        sent_x_id = present.get("x-id")
        if sent_x_id is not None and candidate.x_id is not None and sent_x_id != candidate.x_id:
            continue
        missing = sum(key not in environ for key in candidate.required_headers)
        missing += sum(key not in present for key in candidate.required_query)
        agreed = int(sent_x_id is not None and sent_x_id == candidate.x_id)
        known = len(candidate.query_members.intersection(present))
        specific = len(candidate.required_headers) + len(candidate.required_query) - missing
        score = (len(candidate.query) + agreed, -missing, specific, known, candidate.literal_chars)
        if best is None or score > best[0]:
            best = (score, candidate, dict(zip(candidate.labels, matched.groups(), strict=True)))
    if best is None:
        return None
    return service_model.operation_model(best[1].operation), best[2]


# --- parameters -----------------------------------------------------------------------------------


def params(call: Call, environ: dict[str, Any], body: bytes | None) -> dict[str, Any]:
    """The request's input members (typed as the model says); raises MalformedBody or TypeMismatchError."""
    assert call.operation is not None
    shape = call.operation.input_shape
    if shape is None:
        return {}
    if call.protocol == "json":
        try:
            document = parse_json(body or b"")
        except ValueError as error:
            raise MalformedBody(str(error)) from error
        if not isinstance(document, dict):
            raise TypeMismatchError(TypeMismatch("", "START_ARRAY", "structure"))
        return document
    if call.protocol == "query":
        flat = dict(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True))
        if body:
            flat.update(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
        value = query_structure(shape, flat, "")
        return value if isinstance(value, dict) else {}
    return rest_params(call, shape, environ, body)


def convert(shape: Shape, text: str, path: str) -> Any:
    """A string from a form, URI, query string or header, as the member's type."""
    kind = shape.type_name
    if kind in INTEGERS:
        try:
            return int(text)
        except ValueError:
            raise TypeMismatchError(TypeMismatch(path, "STRING_VALUE", JAVA_TYPES[kind])) from None
    if kind in ("float", "double"):
        try:
            return float(text)
        except ValueError:
            raise TypeMismatchError(TypeMismatch(path, "STRING_VALUE", JAVA_TYPES[kind])) from None
    if kind == "boolean":
        if text.lower() not in ("true", "false"):
            raise TypeMismatchError(TypeMismatch(path, "STRING_VALUE", "Boolean"))
        return text.lower() == "true"
    return text


_ABSENT = object()


def query_structure(shape: Shape, flat: dict[str, str], key: str) -> Any:
    """The query protocol's flattened names (Tags.member.1.Key) read back into the shape's value."""
    kind = shape.type_name
    if kind == "structure":
        value: dict[str, Any] = {}
        for name, member in shape.members.items():  # type: ignore[attr-defined]
            wire = member.serialization.get("name", name)
            item = query_structure(member, flat, f"{key}.{wire}" if key else wire)
            if item is not _ABSENT:
                value[name] = item
        if key and not value and not any(k.startswith(key + ".") for k in flat):
            return _ABSENT
        return value
    if kind == "list":
        if key in flat and flat[key] == "":
            return []
        member = shape.member  # type: ignore[attr-defined]
        flattened = shape.serialization.get("flattened")
        items = []
        index = 1
        while True:
            item_key = f"{key}.{index}" if flattened else f"{key}.member.{index}"
            item = query_structure(member, flat, item_key)
            if item is _ABSENT:
                break
            items.append(item)
            index += 1
        return items if items or any(k.startswith(key + ".") for k in flat) else _ABSENT
    if kind == "map":
        entries: dict[str, Any] = {}
        index = 1
        while f"{key}.entry.{index}.key" in flat:
            item = query_structure(shape.value, flat, f"{key}.entry.{index}.value")  # type: ignore[attr-defined]
            entries[flat[f"{key}.entry.{index}.key"]] = None if item is _ABSENT else item
            index += 1
        return entries if entries else _ABSENT
    if key not in flat:
        return _ABSENT
    return convert(shape, flat[key], aws_path(key))


def aws_path(wire_key: str) -> str:
    """A query-protocol name as AWS's messages name the member: Tags.member.1.Key -> tags.1.member.key."""
    parts = wire_key.split(".")
    named: list[str] = []
    index = 0
    while index < len(parts):
        part = parts[index]
        if part in ("member", "entry") and index + 1 < len(parts) and parts[index + 1].isdigit():
            named += [parts[index + 1], part]
            index += 2
            continue
        named.append(part[:1].lower() + part[1:])
        index += 1
    return ".".join(named)


def header_key(name: str) -> str:
    """The WSGI environ key of an HTTP header (PEP 3333)."""
    key = name.upper().replace("-", "_")
    return key if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else f"HTTP_{key}"


def header(environ: dict[str, Any], name: str) -> str | None:
    return environ.get(header_key(name))


def rest_params(call: Call, shape: StructureShape, environ: dict[str, Any], body: bytes | None) -> dict[str, Any]:
    value: dict[str, Any] = {}
    query = query_pairs(environ)
    located: set[str] = set()
    for name, member in shape.members.items():
        location = member.serialization.get("location")
        wire = member.serialization.get("name", name)
        if location is None:
            continue
        located.add(name)
        if location == "uri":
            if wire in call.labels:
                value[name] = convert(member, call.labels[wire], camel(name))
        elif location == "querystring":
            if member.type_name == "map":
                continue  # "every other query parameter": nothing to check
            found = [item for key, item in query if key == wire]
            if not found:
                continue
            if member.type_name == "list":
                value[name] = [convert(member.member, item, camel(name)) for item in found]  # type: ignore[attr-defined]
            else:
                value[name] = convert(member, found[0], camel(name))
        elif location == "header" and member.type_name not in ("list", "map", "timestamp"):
            if member.serialization.get("jsonvalue"):
                continue
            text = header(environ, wire)
            if text is not None:
                value[name] = convert(member, text, camel(name))
    payload = shape.serialization.get("payload")
    if payload and shape.members[payload].type_name != "structure":
        if has_body(environ):
            value[payload] = b""  # a blob or string payload (an S3 object, an invocation): present, not read
        return value
    if not body or not body.strip():
        return value
    if payload:
        member = shape.members[payload]
        value[payload] = read_document(call.protocol, member, body, payload)
        return value
    document = read_document(call.protocol, shape, body)  # rest-json: the object; rest-xml: the root element
    if isinstance(document, dict):
        for name, item in document.items():
            if name not in located:
                value[name] = item
    return value


def has_body(environ: dict[str, Any]) -> bool:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    return length > 0 or "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()


def read_document(protocol: str, shape: Shape, body: bytes, payload_name: str = "") -> Any:
    if protocol == "rest-json":
        try:
            return parse_json(body)
        except ValueError as error:
            raise MalformedBody(str(error)) from error
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError as error:
        raise MalformedBody(str(error)) from error
    return xml_value(shape, root, camel(payload_name) if payload_name else "")


def local(tag: str) -> str:
    return tag.rpartition("}")[2]


def xml_value(shape: Shape, element: ElementTree.Element, path: str) -> Any:
    kind = shape.type_name
    if kind == "structure":
        value: dict[str, Any] = {}
        children = list(element)
        for name, member in shape.members.items():  # type: ignore[attr-defined]
            wire = member.serialization.get("name", name)
            if member.type_name == "list" and member.serialization.get("flattened"):
                item_shape = member.member  # type: ignore[attr-defined]
                found = [child for child in children if local(child.tag) == wire]
                if found:
                    value[name] = [
                        xml_value(item_shape, child, f"{join(path, camel(name))}.{index}.member")
                        for index, child in enumerate(found, start=1)
                    ]
                continue
            for child in children:
                if local(child.tag) == wire:
                    value[name] = xml_value(member, child, join(path, camel(name)))
                    break
        return value
    if kind == "list":
        item_shape = shape.member  # type: ignore[attr-defined]
        wire = item_shape.serialization.get("name", "member")
        items = [child for child in element if local(child.tag) == wire]
        return [xml_value(item_shape, child, f"{path}.{index}.member") for index, child in enumerate(items, start=1)]
    if kind == "map":
        return {}
    return convert(shape, element.text or "", path)
