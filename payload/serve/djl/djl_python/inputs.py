"""djl_python.Input as the engine hands it to `handle(inputs)`.

Sources (djl-serving, engines/python/setup/djl_python/inputs.py; v0.21.0 line, then master line):
- content values are `bytearray`: retrieve_buffer builds one (v0.21.0:30, master:31) and read()
  stores it as is (v0.21.0:229, master:234); get_as_bytes returns it unchanged (v0.21.0:164,
  master:169), content "data" first, else the first value.
- get_property is case-insensitive (v0.21.0:132, master:136); the frontend sends the request's
  Content-Type as the property "content-type", which get_data dispatches on (v0.21.0:147).
- batches: properties["batch_size"], content keys "batch_<i>.<key>" (v0.21.0:88-109, master:89-113).
- is_empty: no content at all (v0.21.0:212, master:217); the init request has none.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .pair_list import PairList

_BATCH_KEY = re.compile(r"batch_(\d+)\.(.*)")


class Input:
    def __init__(self) -> None:
        self.function_name: str | None = None
        self.properties: dict[str, Any] = {}
        self.content = PairList()

    def get_properties(self) -> dict[str, Any]:
        return self.properties

    def get_property(self, key: str) -> Any:
        return next((v for k, v in self.properties.items() if k.lower() == key.lower()), None)

    def get_content(self) -> PairList:
        return self.content

    def get_function_name(self) -> str | None:
        return self.function_name

    def is_empty(self) -> bool:
        return self.content.is_empty()

    def get_batch_size(self) -> int:
        return int(self.properties.get("batch_size", "1"))

    def is_batch(self) -> bool:
        return self.get_batch_size() > 1

    def get_batches(self) -> list[Input]:
        size = self.get_batch_size()
        if size == 1:
            return [self]
        batch = [Input() for _ in range(size)]
        for item in batch:
            item.properties = self.properties
        for i in range(self.content.size()):
            match = _BATCH_KEY.match(self.content.key_at(i) or "")
            if match is None:
                raise ValueError(f"Unexpected key in batch input: {self.content.key_at(i)}")
            batch[int(match.group(1))].content.add(match.group(2), self.content.value_at(i))
        return batch

    def get_as_bytes(self, key: str | None = None) -> bytearray | None:
        if self.content.is_empty():
            return None
        if key:
            value = self.content.get(key)
            if value is None:
                raise KeyError(f"requested data for key:{key} is not found!")
            return value
        value = self.content.get("data")
        return self.content.value_at(0) if value is None else value

    def get_as_string(self, key: str | None = None) -> str:
        data = self.get_as_bytes(key)
        return "" if data is None else data.decode("utf-8")

    def get_as_json(self, key: str | None = None) -> Any:
        return json.loads(self.get_as_string(key))

    def get_data(self, key: str | None = None) -> Any:
        content_type = self.get_property("content-type")
        if content_type == "application/json":
            return self.get_as_json(key)
        if content_type is not None and content_type.startswith("text/"):
            return self.get_as_string(key)
        return None if self.content.is_empty() else self.get_as_bytes(key)


def request(body: bytes | bytearray, properties: dict[str, Any], content_type: str | None = None) -> Input:
    """An Input as the socket delivers one request: the body as bytearray under "data"."""
    item = Input()
    item.properties = dict(properties)
    if content_type is not None:
        item.properties["content-type"] = content_type
    item.content.add("data", bytearray(body))
    return item
