"""DJL Serving's Python engine around a handler: load, the init call, requests, the HTTP answer.

Sources (djl-serving; `tag:path:line`):
- serving.properties `option.X` reach the handler as property `X` (v0.21.0 engines/python/src/main/
  java/ai/djl/python/engine/PyModel.java:78-86, pyEnv.addParameter); OPTION_X environment
  variables fill what serving.properties leaves unset (master wlm/src/main/java/ai/djl/serving/wlm/
  ModelInfo.java:893-912, putIfAbsent).
- option.s3url / option.model_id on S3 are downloaded and `model_id` then names the local folder
  (v0.21.0 PyModel.java:298-309 for s3url only; master ModelInfo.java:276 for model_id).
- the entry point: option.entryPoint, else DJL_ENTRY_POINT, else model.py in the folder, else a
  default that depends on the version (families.default_entry_point); the model folder is on
  PYTHONPATH (v0.21.0 PyEnv.java:346-352); a name ending in .py is a file of the folder, anything
  else a module (v0.21.0 djl_python/service_loader.py:31-45).
- the init call: an empty Input carrying the init properties (v0.21.0 PyProcess.java:146-149,
  master :298-301); every call gets properties["model_dir"] (service_loader.py:27) and
  "device_id" (djl_python_engine.py:113); an exception becomes Output().error(str(e)), code 424
  (djl_python_engine.py:119-121; master python_sync_engine.py:168-176); an init answer with code
  >= 300 fails the worker, "Failed to initialize model: <message>" (v0.21.0 PyProcess.java:91-95,
  master :205-209), so the model never loads and SageMaker's ping health check fails.
- a None answer becomes Output(code=204, message="No content") (djl_python_engine.py:117-118).
- HTTP: code 200 is "200 OK"; any other code becomes `new HttpResponseStatus(code,
  output.getMessage())` and every Output property a header (v0.21.0 serving/src/main/java/ai/djl/
  serving/http/InferenceRequestHandler.java:256-276, master :389-431). Netty's HttpResponseStatus
  refuses a reason phrase holding CR or LF (IllegalArgumentException), so such a message never
  reaches the client as given.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from . import install_djl_python

install_djl_python()

from djl_python import Input, Output  # noqa: E402  (the stand-in, found through STANDIN)
from djl_python.inputs import request  # noqa: E402


class ModelLoadError(RuntimeError):
    """The worker failed its init call: DJL does not load the model, the endpoint fails its ping."""


class ReasonPhraseError(ValueError):
    """Netty refuses the status line the handler's message would make."""


def parse_properties(text: str) -> dict[str, str]:
    """serving.properties (java.util.Properties: key=value, # and ! comments)."""
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


def with_environment(properties: Mapping[str, str], environ: Mapping[str, str]) -> dict[str, str]:
    """OPTION_X -> option.x where serving.properties has no value (ModelInfo.java:893-912)."""
    merged = dict(properties)
    for key, value in environ.items():
        if not key.startswith("OPTION_") or not value:
            continue
        name = key[len("OPTION_") :]
        if name.upper() == name:
            name = name.lower()
        if name == "entrypoint":
            name = "entryPoint"
        if name == "engine":
            merged.setdefault("engine", value)
        else:
            merged.setdefault(f"option.{name}", value)
    return merged


def init_properties(properties: Mapping[str, str], downloaded: str | Path | None) -> dict[str, str]:
    """What the init Input carries: option.X as X; model_id = the folder the S3 weights went to."""
    out = {key[len("option.") :]: value for key, value in properties.items() if key.startswith("option.")}
    source = out.pop("s3url", None) or out.get("model_id")
    if downloaded is not None and source is not None and source.startswith("s3://"):
        out["model_id"] = str(downloaded)
    return out


@dataclass
class PythonEngine:
    """One worker: the handler module loaded from the model folder, called as DJL calls it."""

    model_dir: Path
    entry_point: str
    properties: dict[str, str] = field(default_factory=dict)
    device_id: str = "-1"
    module: ModuleType | None = None

    def load_module(self) -> ModuleType:
        if str(self.model_dir) not in sys.path:
            sys.path.insert(0, str(self.model_dir))  # PyEnv.java:346-352: the folder is on PYTHONPATH
        if self.entry_point.endswith(".py"):
            path = self.model_dir / self.entry_point
            if not path.is_file():
                raise ModelLoadError(f"entry-point file not found {path}.")
            name = self.entry_point[:-3]
            sys.modules.pop(name, None)
            spec = importlib.util.spec_from_file_location(name, path)
            assert spec is not None and spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            spec.loader.exec_module(module)
        else:
            module = importlib.import_module(self.entry_point)
        self.module = module
        return module

    def _call(self, inputs: Input) -> Output:
        if self.module is None:
            self.load_module()
        inputs.properties["model_dir"] = str(self.model_dir)  # service_loader.py:27
        inputs.properties["device_id"] = self.device_id  # djl_python_engine.py:113
        try:
            outputs = self.module.handle(inputs)  # type: ignore[union-attr]
        except Exception as error:  # djl_python_engine.py:119-121
            return Output().error(str(error))
        return Output(code=204, message="No content") if outputs is None else outputs

    def initialize(self) -> Output:
        """The init call; a failure is the model load failing (PyProcess.java:91-95)."""
        init = Input()
        init.properties = dict(self.properties)
        try:
            output = self._call(init)
        except ModelLoadError:
            raise
        if output.code >= 300:
            raise load_failed(output)
        return output

    def invoke(self, body: bytes | bytearray, content_type: str | None = "application/json") -> Output:
        return self._call(request(body, {}, content_type))


def load_failed(output: Output) -> ModelLoadError:
    """An init answer with code >= 300 fails the worker (PyProcess.java:91-95)."""
    detail = output.body().decode("utf-8", errors="replace")
    return ModelLoadError(f"Failed to initialize model: {output.message}: {detail}")


def init_raised(error: Exception) -> ModelLoadError:
    """What an exception the handler raises in its init call becomes: Output().error(str(e)), code
    424 (djl_python_engine.py:119-121), then the failed worker."""
    return load_failed(Output().error(str(error)))


@dataclass(frozen=True)
class HttpAnswer:
    status: int
    reason: str
    headers: dict[str, str]
    body: bytes


def http_answer(output: Output) -> HttpAnswer:
    """The status line and headers the frontend makes of an Output (InferenceRequestHandler.java)."""
    reason = "OK" if output.code == 200 else output.message
    if "\r" in reason or "\n" in reason:
        raise ReasonPhraseError(f"reasonPhrase contains one of the following prohibited characters: \\r\\n: {reason}")
    return HttpAnswer(output.code, reason, dict(output.properties), output.body())


def engine_for(
    code_dir: Path, properties: Mapping[str, str], entry_point: str, downloaded: Path | None
) -> PythonEngine:
    return PythonEngine(code_dir, entry_point, init_properties(properties, downloaded))


def answer(engine: PythonEngine, body: bytes | bytearray, content_type: str | None = "application/json") -> HttpAnswer:
    return http_answer(engine.invoke(body, content_type))


__all__ = [
    "HttpAnswer",
    "Input",
    "ModelLoadError",
    "Output",
    "PythonEngine",
    "ReasonPhraseError",
    "answer",
    "engine_for",
    "http_answer",
    "init_properties",
    "init_raised",
    "load_failed",
    "parse_properties",
    "with_environment",
]
