"""Ordered key/value pairs, as djl_python/pair_list.py keeps an Input's or Output's content."""

from __future__ import annotations

from typing import Any


class PairList:
    def __init__(self) -> None:
        self.keys: list[str | None] = []
        self.values: list[Any] = []

    def add(self, key: str | None = None, value: Any = None) -> None:
        self.keys.append(key)
        self.values.append(value)

    def get(self, key: str) -> Any:
        for k, v in zip(self.keys, self.values, strict=True):
            if k == key:
                return v
        return None

    def size(self) -> int:
        return len(self.keys)

    def is_empty(self) -> bool:
        return not self.keys

    def key_at(self, index: int) -> str | None:
        return self.keys[index]

    def value_at(self, index: int) -> Any:
        return self.values[index]

    def get_keys(self) -> list[str | None]:
        return list(self.keys)
