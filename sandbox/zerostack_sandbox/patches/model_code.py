"""What an LMI container reads of a SageMaker Model: its image, and its serving configuration.

The model's serving code is the ModelDataUrl tarball (serving.properties, model.py) that SageMaker
unpacks into /opt/ml/model, plus the container's Environment, where every `option.X` may be given
as `OPTION_X` and fills what serving.properties leaves unset (djl-serving master wlm/src/main/java/
ai/djl/serving/wlm/ModelInfo.java:893-912, putIfAbsent). Both the sandbox's simulated endpoints
(patches/endpoints.py, the serving-key check) and its rehearsed ones (rehearsal/serving.py, the
weights and code folder) read the model through here, from the sandbox's own S3.
"""

from __future__ import annotations

import io
import re
import tarfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlparse

from moto.s3.exceptions import MissingBucket
from moto.s3.models import FakeKey, s3_backends

from ..lifecycle import LOCK

# djl-inference:<DJL version>-<family><its version>-cu<CUDA>, e.g. 0.38.0-lmi29.0.0-cu130,
# 0.21.0-deepspeed0.8.0-cu117 (the tags of the SageMaker SDK's image_uri_config djl-*.json)
DJL_TAG = re.compile(r"/djl-inference:(?P<djl>\d+\.\d+\.\d+)-(?P<family>lmi|tensorrtllm|deepspeed|fastertransformer)")


@dataclass(frozen=True)
class DjlImage:
    family: str  # lmi | tensorrtllm | deepspeed | fastertransformer (the SDK's djl-<family>.json)
    djl: str

    @property
    def label(self) -> str:
        return f"djl-{self.family} {self.djl}"


@dataclass(frozen=True)
class ServingCode:
    """One container's serving configuration as DJL sees it."""

    image: str
    properties: dict[str, str] = field(default_factory=dict)  # serving.properties, then OPTION_* env
    from_env: frozenset[str] = frozenset()  # the keys that came from OPTION_* variables
    files: dict[str, bytes] = field(default_factory=dict)  # the tarball's top-level files

    @property
    def djl_image(self) -> DjlImage | None:
        found = DJL_TAG.search(self.image)
        return DjlImage(found["family"], found["djl"]) if found else None


def parse_properties(text: str) -> dict[str, str]:
    """serving.properties (java.util.Properties: key=value or key:value, # and ! comments)."""
    out: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line[0] in "#!":
            continue
        key, sep, value = line.partition("=")
        if not sep:
            key, _, value = line.partition(":")
        out[key.strip()] = value.strip()
    return out


def option_key(variable: str) -> str | None:
    """OPTION_ROLLING_BATCH -> option.rolling_batch, OPTION_ENGINE -> engine (ModelInfo.java:893-912)."""
    if not variable.startswith("OPTION_"):
        return None
    name = variable[len("OPTION_") :]
    name = name.lower() if name.upper() == name else name
    if name == "engine":
        return "engine"
    return "option.entryPoint" if name == "entrypoint" else f"option.{name}"


def read_object(account_id: str, uri: str) -> bytes | None:
    parsed = urlparse(uri)
    if parsed.scheme != "s3" or not parsed.netloc:
        return None
    with LOCK:
        try:
            found = s3_backends[account_id]["aws"].get_object(parsed.netloc, parsed.path.lstrip("/"))
        except MissingBucket:
            return None
        return found.value if isinstance(found, FakeKey) else None


def tarball_files(body: bytes) -> dict[str, bytes]:
    """The top-level files of a model.tar.gz (SageMaker unpacks it into /opt/ml/model)."""
    files: dict[str, bytes] = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(body), mode="r:*") as archive:
            for member in archive.getmembers():
                path = PurePosixPath(member.name)
                if member.isfile() and len([p for p in path.parts if p not in (".", "")]) == 1:
                    handle = archive.extractfile(member)
                    if handle is not None:
                        files[path.name] = handle.read()
    except tarfile.TarError:
        return {}
    return files


def containers(model: Any) -> list[dict[str, Any]]:
    return [c for c in [getattr(model, "primary_container", None), *(getattr(model, "containers", None) or [])] if c]


def serving_code(account_id: str, container: dict[str, Any]) -> ServingCode:
    files: dict[str, bytes] = {}
    url = container.get("ModelDataUrl")
    if isinstance(url, str) and url.startswith("s3://") and not url.endswith("/"):
        body = read_object(account_id, url)
        files = tarball_files(body) if body else {}
    properties = (
        parse_properties(files["serving.properties"].decode("utf-8", errors="replace"))
        if files.get("serving.properties")
        else {}
    )
    from_env = set()
    for variable, value in (container.get("Environment") or {}).items():
        key = option_key(variable)
        if key is not None and value and key not in properties:
            properties[key] = value
            from_env.add(key)
    return ServingCode(str(container.get("Image", "")), properties, frozenset(from_env), files)
