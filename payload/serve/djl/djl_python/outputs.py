"""djl_python.Output as the handler builds it and the frontend turns it into HTTP.

Sources (djl-serving engines/python/setup/djl_python/outputs.py; v0.21.0 line, then master line):
- Output(code=200, message='OK') (v0.21.0:49, master:49); set_code, set_message, add_property
  (v0.21.0:69-85, master:73-89): properties become HTTP headers (the frontend's sendOutput sets
  every property as a header: v0.21.0 serving/src/main/java/ai/djl/serving/http/
  InferenceRequestHandler.java:274, master :430).
- error(error, code=424, message=...) adds content-type application/json and a JSON body
  {"code", "message", "error"} (v0.21.0:77 "prediction failure", master:81 "invoke handler failure").
- add(): str -> utf-8, bytes -> bytearray, anything else -> JSON (v0.21.0:89-106, master:99);
  add_as_json: json.dumps(ensure_ascii=False, allow_nan=False, indent=2) (v0.21.0:119-132).
"""

from __future__ import annotations

import json
from typing import Any

from .pair_list import PairList


class Output:
    def __init__(self, code: int = 200, message: str = "OK") -> None:
        self.code = code
        self.message = message
        self.properties: dict[str, str] = {}
        self.content = PairList()

    def set_code(self, code: int) -> Output:
        self.code = code
        return self

    def set_message(self, message: str) -> Output:
        self.message = message
        return self

    def add_property(self, key: str, val: str) -> Output:
        self.properties[key] = val
        return self

    def error(self, error: str, code: int = 424, message: str = "prediction failure") -> Output:
        self.code, self.message = code, message
        self.add_property("content-type", "application/json")
        return self.add_as_json({"code": code, "message": message, "error": error})

    def add(self, value: Any, key: str | None = None, batch_index: int | None = None) -> Output:
        if batch_index is not None:
            key = f"batch_{batch_index}.{key or ''}"
        if isinstance(value, str):
            data = bytearray(value.encode("utf-8"))
        elif isinstance(value, (bytes, bytearray)):
            data = bytearray(value)
        else:
            data = self._encode_json(value)
        self.content.add(key=key, value=data)
        return self

    def add_as_json(self, val: Any, key: str | None = None, batch_index: int | None = None) -> Output:
        return self.add(self._encode_json(val), key=key, batch_index=batch_index)

    @staticmethod
    def _encode_json(val: Any) -> bytearray:
        text = json.dumps(val, ensure_ascii=False, allow_nan=False, indent=2, separators=(",", ":"))
        return bytearray(text.encode("utf-8"))

    def body(self) -> bytes:
        """What the frontend writes: the content (one value for a single request)."""
        return b"".join(bytes(self.content.value_at(i)) for i in range(self.content.size()))
