"""Check a parsed request against its operation's input shape, as AWS's request validation does.

What is checked and how it is worded follows the messages AWS services return (the Coral validation
framework behind SageMaker, CloudWatch Logs, IAM, KMS, Secrets Manager and Scheduler), e.g.
  1 validation error detected: Value 'a b' at 'roleName' failed to satisfy constraint: Member must
  satisfy regular expression pattern: [\\w+=,.@-]+
  2 validation errors detected: Value null at 'logEvents.1.member.timestamp' failed to satisfy
  constraint: Member must not be null; ...
Members are named in lowerCamelCase, list items as `<list>.<1-based index>.member`, map entries under
the map's own name (AWS: "Map value must satisfy constraint: [...]"). Sources: the SageMaker, IAM and
CloudWatch Logs API references' "Common Errors"/ValidationException pages and those services' answers
as quoted in SDK issue trackers; constraints from botocore's models (models.py).

A value of the wrong JSON type is a deserialization failure, not a constraint: AWS answers it with
SerializationException ("STRING_VALUE can not be converted to an Integer"), see errors.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from botocore.model import ListShape, MapShape, Shape, StructureShape

from .models import matches

MISSING = object()

INTEGERS = frozenset({"integer", "long"})
FLOATS = frozenset({"float", "double"})
JAVA_TYPES = {"integer": "Integer", "long": "Long", "float": "Float", "double": "Double", "boolean": "Boolean"}
JAVA_TYPES.update({"string": "String", "timestamp": "Date", "blob": "ByteBuffer"})


@dataclass(frozen=True)
class Violation:
    path: str  # the member as AWS names it: 'resourceConfig.instanceCount', 'tags.1.member.key'
    value: Any  # the value sent, MISSING-free: None for a missing member
    constraint: str  # 'Member must not be null', ...
    wire_name: str = ""  # the name on the wire (header/query name) for S3's ArgumentName


@dataclass(frozen=True)
class TypeMismatch:
    path: str
    found: str  # 'STRING_VALUE', 'NUMBER_VALUE', 'START_OBJECT', ...
    expected: str  # 'Integer', 'structure', ...

    def message(self) -> str:
        if self.found == "START_OBJECT":
            text = "Start of structure or map found where not expected."
        elif self.found == "START_ARRAY":
            text = "Start of list found where not expected"
        elif self.expected in ("structure", "map"):
            text = f"{self.found} can not be converted to a structure or map"
        elif self.expected == "list":
            text = f"{self.found} can not be converted to a list"
        else:
            text = f"{self.found} can not be converted to {article(self.expected)}"
        # The member's name is the sandbox's addition: AWS's SerializationException names only the token.
        return f"{text} (member '{self.path}')"


def article(noun: str) -> str:
    return f"an {noun}" if noun[:1] in "AEIOU" else f"a {noun}"


def camel(name: str) -> str:
    return name[:1].lower() + name[1:]


def java_value(value: Any) -> str:
    """A value as AWS's messages print it (Java's toString: lists [a, b], maps {k=v})."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(java_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}={java_value(item)}" for key, item in value.items()) + "}"
    return str(value)


def describe(violation: Violation) -> str:
    value = "null" if violation.value is None else f"'{java_value(violation.value)}'"
    return f"Value {value} at '{violation.path}' failed to satisfy constraint: {violation.constraint}"


def summary(violations: list[Violation]) -> str:
    count = len(violations)
    noun = "error" if count == 1 else "errors"
    return f"{count} validation {noun} detected: " + "; ".join(describe(v) for v in violations)


def json_token(value: Any) -> str:
    if isinstance(value, bool):
        return "TRUE_VALUE" if value else "FALSE_VALUE"
    if isinstance(value, (int, float)):
        return "NUMBER_VALUE"
    if isinstance(value, str):
        return "STRING_VALUE"
    if isinstance(value, dict):
        return "START_OBJECT"
    if isinstance(value, list):
        return "START_ARRAY"
    return "VALUE_NULL"


class Checker:
    """One request's walk: collects constraint violations; raises TypeMismatch at the first type error."""

    def __init__(self) -> None:
        self.violations: list[Violation] = []

    def structure(self, shape: StructureShape, value: dict[str, Any], path: str) -> None:
        if shape.metadata.get("document"):
            return
        members = shape.members
        for name in shape.required_members:
            if value.get(name) is None:
                self.violations.append(Violation(join(path, camel(name)), None, "Member must not be null", name))
        for name, item in value.items():
            member = members.get(name)
            if member is None or item is None:
                continue  # AWS ignores members it does not know (older/newer clients)
            self.value(member, item, join(path, camel(name)), member.serialization.get("name", name))

    def value(self, shape: Shape, value: Any, path: str, wire_name: str = "") -> None:
        kind = shape.type_name
        if kind == "structure":
            if not isinstance(value, dict):
                raise TypeMismatchError(TypeMismatch(path, json_token(value), "structure"))
            self.structure(shape, value, path)  # type: ignore[arg-type]
        elif kind == "list":
            if not isinstance(value, list):
                raise TypeMismatchError(TypeMismatch(path, json_token(value), "list"))
            self.length(shape, value, len(value), path, wire_name)
            member = shape.member  # type: ignore[attr-defined]
            for index, item in enumerate(value, start=1):
                item_path = f"{path}.{index}.member"
                if item is None:
                    continue
                self.value(member, item, item_path, wire_name)
        elif kind == "map":
            if not isinstance(value, dict):
                raise TypeMismatchError(TypeMismatch(path, json_token(value), "map"))
            self.map(shape, value, path, wire_name)  # type: ignore[arg-type]
        else:
            self.scalar(shape, value, path, wire_name)

    def map(self, shape: MapShape, value: dict[str, Any], path: str, wire_name: str) -> None:
        self.length(shape, value, len(value), path, wire_name)
        key_shape, value_shape = shape.key, shape.value
        for key, item in value.items():
            inner = Checker()
            inner.scalar(key_shape, key, path, wire_name)
            if inner.violations:
                constraints = ", ".join(v.constraint for v in inner.violations)
                self.violations.append(
                    Violation(path, value, f"Map keys must satisfy constraint: [{constraints}]", wire_name)
                )
            if item is None:
                continue
            if value_shape.type_name in ("structure", "list", "map"):
                self.value(value_shape, item, f"{path}.{key}", wire_name)
                continue
            inner = Checker()
            inner.scalar(value_shape, item, path, wire_name)
            if inner.violations:
                constraints = ", ".join(v.constraint for v in inner.violations)
                self.violations.append(
                    Violation(path, value, f"Map value must satisfy constraint: [{constraints}]", wire_name)
                )

    def length(self, shape: Shape, value: Any, size: int, path: str, wire_name: str) -> None:
        metadata = shape.metadata
        low, high = metadata.get("min"), metadata.get("max")
        if low is not None and size < low:
            self.violations.append(
                Violation(path, value, f"Member must have length greater than or equal to {low}", wire_name)
            )
        if high is not None and size > high:
            self.violations.append(
                Violation(path, value, f"Member must have length less than or equal to {high}", wire_name)
            )

    def scalar(self, shape: Shape, value: Any, path: str, wire_name: str) -> None:
        kind = shape.type_name
        metadata = shape.metadata
        if kind == "string":
            if not isinstance(value, str):
                raise TypeMismatchError(TypeMismatch(path, json_token(value), "String"))
            self.length(shape, value, len(value), path, wire_name)
            enum = metadata.get("enum")
            if enum and value not in enum:
                self.violations.append(
                    Violation(path, value, f"Member must satisfy enum value set: [{', '.join(enum)}]", wire_name)
                )
            source = metadata.get("pattern")
            if source and not matches(source, value):
                self.violations.append(
                    Violation(path, value, f"Member must satisfy regular expression pattern: {source}", wire_name)
                )
        elif kind in INTEGERS or kind in FLOATS:
            number_ok = isinstance(value, (int, float)) and not isinstance(value, bool)
            if kind in INTEGERS and isinstance(value, float) and not value.is_integer():
                number_ok = False
            if not number_ok:
                raise TypeMismatchError(TypeMismatch(path, json_token(value), JAVA_TYPES[kind]))
            low, high = metadata.get("min"), metadata.get("max")
            if low is not None and value < low:
                self.violations.append(
                    Violation(path, value, f"Member must have value greater than or equal to {low}", wire_name)
                )
            if high is not None and value > high:
                self.violations.append(
                    Violation(path, value, f"Member must have value less than or equal to {high}", wire_name)
                )
        elif kind == "boolean":
            if not isinstance(value, bool):
                raise TypeMismatchError(TypeMismatch(path, json_token(value), "Boolean"))
        elif kind == "timestamp":
            if isinstance(value, bool) or not isinstance(value, (int, float, str)):
                raise TypeMismatchError(TypeMismatch(path, json_token(value), "Date"))
        elif kind == "blob":
            if not isinstance(value, (str, bytes)):
                raise TypeMismatchError(TypeMismatch(path, json_token(value), "ByteBuffer"))


class TypeMismatchError(Exception):
    def __init__(self, mismatch: TypeMismatch) -> None:
        super().__init__(mismatch.message())
        self.mismatch = mismatch


def join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def check(shape: StructureShape | None, params: dict[str, Any]) -> list[Violation]:
    """Violations of the input shape (empty: the request is valid); raises TypeMismatchError."""
    if shape is None:
        return []
    checker = Checker()
    checker.structure(shape, params, "")
    return checker.violations


def parse_json(body: bytes) -> Any:
    """The JSON body of a JSON-protocol request ({} when empty), or raises ValueError."""
    if not body.strip():
        return {}
    return json.loads(body)


__all__ = ["MISSING", "ListShape", "TypeMismatch", "TypeMismatchError", "Violation", "check", "summary"]
