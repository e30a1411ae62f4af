"""Rehearsed endpoints: the model a rehearsal trained, served by payload/serve/local_server.py.

An endpoint is served for real when its endpoint scenario says `rehearse: true` or when its
model's weights are the MODEL_S3_PATH of a rehearsed training job. The weights' prefix is found
the way the LMI container finds it: `option.model_id` (or the legacy `option.s3url`) in the
serving.properties of the model's ModelDataUrl tarball (what zerostack's model provider uploads)
or the container's OPTION_MODEL_ID / OPTION_S3URL (patches/model_code.py reads both), else an
uncompressed ModelDataSource / a ModelDataUrl ending in `/`, else HF_MODEL_ID.

CreateEndpoint (and UpdateEndpoint) then stay Creating (Updating) in real time while the weights
are copied from the sandbox's S3 into a temporary folder and `local_server.py --model-dir DIR
--code-dir CODE --image FAMILY:DJL --port 0` loads them: CODE holds the tarball's files (as
SageMaker unpacks ModelDataUrl), so the entry point serving.properties names runs as on the image
the Model's Image tag names (a built-in one after payload/serve/djl/builtins.py's option checks of
that image, whose refusal is a failed init call). Its ready line makes the endpoint InService with the server registered
as the endpoint's invoke handler (patches/invoke.py). A model that fails to load (local_server.py's
`failed` line: DJL's "Failed to initialize model: ...") fails the endpoint with the health-check
FailureReason plus that error; a server that exits otherwise or never gets ready, with its last
lines (an update rolls back to the old server instead). DeleteEndpoint, a reset and the server's
stop end the process group. Serving keys the image does not document never get here: patches/
endpoints.py fails such an endpoint before any server is asked.

`SERVER` is this module's hook into patches/endpoints.py (registered by rehearsal.install()).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from moto.sagemaker.models import FakeEndpoint, SageMakerModelBackend, sagemaker_backends

from ..clock import clock
from ..lifecycle import LOCK, each_backend
from ..patches import endpoints, invoke, model_code
from . import bundle, nodes, settings

READY_TIMEOUT_S = 180.0
RESTORE = "Restore"  # a served endpoint whose server is started again after a sandbox restart
MODEL_KEYS = ("option.model_id", "option.s3url")  # OPTION_MODEL_ID / OPTION_S3URL arrive as these
ENV_KEYS = ("HF_MODEL_ID",)


def _prefix(uri: str) -> str:
    return uri.rstrip("/") + "/"


def serving_properties_uri(properties: dict[str, str]) -> str | None:
    for key in MODEL_KEYS:
        if properties.get(key, "").startswith("s3://"):
            return _prefix(properties[key])
    return None


def model_weights_uri(account_id: str, model: Any) -> str | None:
    """The s3:// prefix the model's container would load its weights from, if it names one."""
    for container in model_code.containers(model):
        url = container.get("ModelDataUrl")
        if isinstance(url, str) and url.startswith("s3://") and url.endswith("/"):
            return _prefix(url)
        found = serving_properties_uri(model_code.serving_code(account_id, container).properties)
        if found:
            return found
        source = (container.get("ModelDataSource") or {}).get("S3DataSource") or {}
        if str(source.get("S3Uri", "")).startswith("s3://") and source.get("CompressionType", "None") == "None":
            return _prefix(source["S3Uri"])
        environment = container.get("Environment") or {}
        for key in ENV_KEYS:
            if str(environment.get(key, "")).startswith("s3://"):
                return _prefix(environment[key])
    return None


def model_serving_code(account_id: str, model: Any) -> model_code.ServingCode | None:
    """The primary container's serving code (serving.properties, model.py), for local_server.py."""
    found = model_code.containers(model) if model is not None else []
    return model_code.serving_code(account_id, found[0]) if found else None


def rehearsed_model_uris(backend: SageMakerModelBackend) -> set[str]:
    uris = set()
    for job in backend.training_jobs.values():
        state = getattr(job, "sandbox_rehearsal", None)
        if state is not None and state.phases and state.current.job_status == "Completed":
            uris.add(_prefix(state.model_uri))
    return uris


def _config_model(backend: SageMakerModelBackend, config_name: str) -> tuple[str | None, Any]:
    config = backend.endpoint_configs.get(config_name)
    variants = (config.production_variants if config else None) or []
    model_name = variants[0].get("ModelName") if variants else None
    return model_name, backend._models.get(model_name) if model_name else None


# -- the servers ---------------------------------------------------------------------------------


class ModelServer:
    """One local_server.py for one endpoint; its owner thread lives as long as the process."""

    def __init__(
        self,
        backend: SageMakerModelBackend,
        endpoint: FakeEndpoint,
        weights_uri: str,
        kind: str,
        code: model_code.ServingCode | None = None,
    ) -> None:
        self.backend, self.endpoint, self.weights_uri, self.kind = backend, endpoint, weights_uri, kind
        self.code = code
        self.load_error: str | None = None  # local_server.py's {"event": "failed"}: the init call failed
        self.name = endpoint.endpoint_name
        self.url: str | None = None
        self.process: nodes.Process | None = None
        self.folder: Path | None = None
        self.lines: list[str] = []
        self.ready = threading.Event()
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"rehearsal-serve-{self.name}", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def _sink(self, at: float, line: str) -> None:
        self.lines.append(line)
        if self.url is None and line.startswith("{"):
            try:
                event = json.loads(line)
            except json.JSONDecodeError:
                return
            if isinstance(event, dict) and event.get("event") == "ready":
                self.url = f"{event['url']}/invocations"
                self.ready.set()
            elif isinstance(event, dict) and event.get("event") == "failed":
                self.load_error = str(event.get("error"))

    def _run(self) -> None:
        try:
            reason = self._serve()
        except Exception as error:  # never leave the endpoint Creating
            reason = endpoints.failure_reason(f"sandbox rehearsal: {error!r}")
        if reason is not None:
            self._failed(reason)
        self._cleanup()

    def _serve(self) -> str | None:
        python = settings.payload_python()
        if python is None:
            return endpoints.failure_reason(settings.missing_python_reason())
        script = settings.payload_dir() / "serve" / "local_server.py"
        if not script.is_file():
            return endpoints.failure_reason(
                f"sandbox rehearsal: {script} not found; set {settings.PAYLOAD_DIR_VARIABLE}"
            )
        files = bundle.read_prefix(self.backend.account_id, self.weights_uri)
        if not files:
            return endpoints.failure_reason(f"sandbox rehearsal: no model files under {self.weights_uri}")
        self.folder = Path(tempfile.mkdtemp(prefix=f"endpoint-{self.name[:40]}-", dir=settings.work_root()))
        model_dir = self.folder / "model"
        for relative, body in files.items():
            path = model_dir / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(body)
        env = {
            **{name: value for name, value in os.environ.items() if name in nodes.INHERITED},
            **nodes.OFFLINE,
            "CUDA_VISIBLE_DEVICES": "",
            "OMP_NUM_THREADS": "1",
            "TOKENIZERS_PARALLELISM": "false",
            "PYTHONUNBUFFERED": "1",
        }
        argv = [python, str(script), "--model-dir", str(model_dir), "--port", "0", "--dtype", "fp32"]
        argv += self._code_arguments()
        self.process = nodes.Process(argv, script.parent, env, self._sink)
        deadline = time.monotonic() + READY_TIMEOUT_S
        while not self.ready.is_set():
            if self.stop_event.is_set():
                return None
            if self.process.poll() is not None:
                self.process.wait_output()
                if self.ready.is_set():
                    break
                if self.load_error is not None:  # DJL's "Failed to initialize model: ..." (djl/engine.py)
                    return endpoints.failure_reason(f"sandbox rehearsal: the model failed to load: {self.load_error}")
                tail = " | ".join(self.lines[-5:])
                return endpoints.failure_reason(
                    f"sandbox rehearsal: local_server.py exited {self.process.poll()}: {tail}"
                )
            if time.monotonic() > deadline:
                return endpoints.failure_reason(
                    f"sandbox rehearsal: local_server.py not ready after {READY_TIMEOUT_S:.0f} s"
                )
            self.ready.wait(0.1)
        self._in_service()
        while not self.stop_event.wait(0.5):  # own the process (PR_SET_PDEATHSIG) until released
            if self.process.poll() is not None:
                break
        return None

    def _code_arguments(self) -> list[str]:
        """The model's code folder (as SageMaker unpacks ModelDataUrl) and its image, for local_server.py:
        it runs the entry point serving.properties names, on the image's package versions."""
        if self.code is None or self.folder is None:
            return []
        code_dir = self.folder / "code"
        code_dir.mkdir(parents=True, exist_ok=True)
        for name, body in self.code.files.items():
            (code_dir / name).write_bytes(body)
        if self.code.from_env:  # OPTION_* variables fill what serving.properties leaves unset, as DJL does
            text = "".join(f"{key}={value}\n" for key, value in self.code.properties.items())
            (code_dir / "serving.properties").write_text(text)
        argv = ["--code-dir", str(code_dir)]
        image = self.code.djl_image
        return argv + (["--image", f"{image.family}:{image.djl}"] if image is not None else [])

    def _in_service(self) -> None:
        with LOCK:
            transition = getattr(self.endpoint, "sandbox_transition", None)
            if self.kind == RESTORE:  # served again after a restart: no status change
                if not self.stop_event.is_set() and self.url is not None:
                    _take_current(self.name, keep=self)
                    invoke.handlers.register(self.name, self.url)
                return
            if self.stop_event.is_set() or transition is None or transition.kind != self.kind:
                return
            previous = _take_current(self.name, keep=self)
            assert self.url is not None
            invoke.handlers.register(self.name, self.url)
            self.endpoint.sandbox_rehearsed = self.weights_uri  # so a restarted sandbox serves it again
            now = clock.timestamp()
            self.endpoint.sandbox_transition = replace(transition, end=now)
            self.endpoint.failure_reason = None
            endpoints.finish(self.backend, self.endpoint, now)
        if previous is not None:
            previous.release()

    def _failed(self, reason: str) -> None:
        with LOCK:
            _forget(self)
            transition = getattr(self.endpoint, "sandbox_transition", None)
            if self.kind == RESTORE:
                if not self.stop_event.is_set() and self.endpoint.endpoint_status in invoke.SERVING_STATUSES:
                    self.endpoint.endpoint_status = "Failed"
                    self.endpoint.failure_reason = reason
                return
            if self.stop_event.is_set() or transition is None or transition.kind != self.kind:
                return
            now = clock.timestamp()
            if self.kind == "Updating":  # the old variant keeps serving, as after a failed update
                self.endpoint.sandbox_transition = None
                self.endpoint.endpoint_status = "InService"
                self.endpoint.pending_deployment_summary = None
                self.endpoint.failure_reason = reason
                return
            failing = replace(transition.scenario, fail=True, failure_reason=reason)
            self.endpoint.sandbox_transition = replace(transition, end=now, scenario=failing)
            endpoints.finish(self.backend, self.endpoint, now)

    def release(self, grace_s: float = 5.0) -> None:
        self.stop_event.set()
        if self.process is not None:
            self.process.terminate(grace_s)
        self.thread.join(timeout=grace_s + 5)

    def _cleanup(self) -> None:
        if self.process is not None and self.process.poll() is None and self.stop_event.is_set():
            self.process.terminate(5.0)
        if self.folder is not None and not settings.keep_workdirs():
            shutil.rmtree(self.folder, ignore_errors=True)


_servers: dict[str, list[ModelServer]] = {}  # endpoint name -> [serving, starting]
_lock = threading.Lock()


def _take_current(name: str, keep: ModelServer) -> ModelServer | None:
    """Make `keep` the endpoint's server; return the one it replaces."""
    with _lock:
        servers = _servers.get(name, [])
        others = [server for server in servers if server is not keep]
        _servers[name] = [keep]
        return others[0] if others else None


def _forget(server: ModelServer) -> None:
    with _lock:
        servers = _servers.get(server.name, [])
        if server in servers:
            servers.remove(server)


def maybe_serve(backend: SageMakerModelBackend, endpoint: FakeEndpoint, config_name: str) -> bool:
    """Called under LOCK right after CreateEndpoint/UpdateEndpoint began its transition."""
    transition = getattr(endpoint, "sandbox_transition", None)
    if transition is None:
        return False
    _model_name, model = _config_model(backend, config_name)
    weights = model_weights_uri(backend.account_id, model) if model is not None else None
    wanted = transition.scenario.rehearse or (weights is not None and weights in rehearsed_model_uris(backend))
    if not wanted:
        return False
    # the transition now ends when the server is ready (or fails), not after a scenario delay
    endpoint.sandbox_transition = replace(transition, end=float("inf"))
    _serve(backend, endpoint, config_name, transition.kind)
    return True


def restore_all() -> int:
    """After a restart from a snapshot: start the servers again (their processes died with the
    old sandbox) for endpoints that were being created/updated by a rehearsal or served by one."""
    started = 0
    with LOCK:
        for backend in each_backend(sagemaker_backends):
            for endpoint in list(backend.endpoints.values()):
                transition = getattr(endpoint, "sandbox_transition", None)
                if transition is not None and transition.end == float("inf"):
                    config = (
                        transition.new_config_name if transition.kind == "Updating" else endpoint.endpoint_config_name
                    )
                    started += _serve(backend, endpoint, config, transition.kind)
                elif endpoint.endpoint_status in invoke.SERVING_STATUSES and getattr(
                    endpoint, "sandbox_rehearsed", None
                ):
                    invoke.handlers.remove(endpoint.endpoint_name)  # the old server's port is gone
                    _name, model = _config_model(backend, endpoint.endpoint_config_name)
                    code = model_serving_code(backend.account_id, model)
                    server = ModelServer(backend, endpoint, endpoint.sandbox_rehearsed, RESTORE, code)
                    with _lock:
                        _servers.setdefault(endpoint.endpoint_name, []).append(server)
                    server.start()
                    started += 1
    return started


def _serve(backend: SageMakerModelBackend, endpoint: FakeEndpoint, config_name: str, kind: str) -> int:
    _model_name, model = _config_model(backend, config_name)
    weights = model_weights_uri(backend.account_id, model) if model is not None else None
    code = model_serving_code(backend.account_id, model)
    server = ModelServer(backend, endpoint, weights or "s3://(no model data)/", kind, code)
    with _lock:
        _servers.setdefault(endpoint.endpoint_name, []).append(server)
    if weights is None:
        server.thread = threading.Thread(
            target=server._failed,
            args=(
                endpoints.failure_reason(
                    "sandbox rehearsal: the model names no s3:// weights: no option.model_id in "
                    "serving.properties, no ModelDataSource, no OPTION_MODEL_ID"
                ),
            ),
            daemon=True,
        )
    server.start()
    return 1


def release(endpoint_name: str) -> bool:
    """DeleteEndpoint: stop the endpoint's servers (in the background) and drop its handler."""
    with _lock:
        servers = _servers.pop(endpoint_name, [])
    if not servers:
        return False
    invoke.handlers.remove(endpoint_name)
    for server in servers:
        threading.Thread(target=server.release, daemon=True).start()
    return True


def shutdown_all() -> None:
    with _lock:
        servers = [server for group in _servers.values() for server in group]
        _servers.clear()
    threads = [threading.Thread(target=server.release, args=(2.0,), daemon=True) for server in servers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=15)


def serving() -> dict[str, str | None]:
    with _lock:
        return {name: group[0].url for name, group in _servers.items() if group}


def running_pids() -> list[int]:
    with _lock:
        return [s.process.pid for group in _servers.values() for s in group if s.process and s.process.poll() is None]


SERVER = endpoints.EndpointServer(serve=maybe_serve, release=release)
