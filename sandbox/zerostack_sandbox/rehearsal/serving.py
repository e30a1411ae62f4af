"""Rehearsed endpoints: the model a rehearsal trained, served by payload/serve/local_server.py.

An endpoint is served for real when its endpoint scenario says `rehearse: true` or when its
model's weights are the MODEL_S3_PATH of a rehearsed training job. The weights' prefix is found
the way the LMI container finds it: `option.model_id` (or the legacy `option.s3url`) in the
serving.properties of the model's ModelDataUrl tarball (what zerostack's model provider uploads),
else an uncompressed ModelDataSource / a ModelDataUrl ending in `/`, else the container's
OPTION_MODEL_ID / OPTION_S3URL / HF_MODEL_ID environment.

CreateEndpoint (and UpdateEndpoint) then stay Creating (Updating) in real time while the weights
are copied from the sandbox's S3 into a temporary folder and `local_server.py --model-dir DIR
--port 0` loads them; its ready line makes the endpoint InService with the server registered as
the endpoint's invoke handler (patches/invoke.py). A server that exits or never gets ready fails
the endpoint with the health-check FailureReason plus its last lines (an update rolls back to the
old server instead). DeleteEndpoint, a reset and the server's stop end the process group.

`SERVER` is this module's hook into patches/endpoints.py (registered by rehearsal.install()).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import tarfile
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from moto.sagemaker.models import FakeEndpoint, SageMakerModelBackend, sagemaker_backends

from ..clock import clock
from ..lifecycle import LOCK, each_backend
from ..patches import endpoints, invoke
from . import bundle, nodes, settings

READY_TIMEOUT_S = 180.0
RESTORE = "Restore"  # a served endpoint whose server is started again after a sandbox restart
MODEL_KEYS = ("option.model_id", "option.s3url")
ENV_KEYS = ("OPTION_MODEL_ID", "OPTION_S3URL", "HF_MODEL_ID")
HEALTH = (
    "The primary container for production variant AllTraffic did not pass the ping health check. "
    "Please check CloudWatch logs for this endpoint."
)


def _prefix(uri: str) -> str:
    return uri.rstrip("/") + "/"


def serving_properties_uri(text: str) -> str | None:
    for raw in text.splitlines():
        key, _, value = raw.partition("=")
        if key.strip() in MODEL_KEYS and value.strip().startswith("s3://"):
            return _prefix(value.strip())
    return None


def _from_tarball(account_id: str, url: str) -> str | None:
    body = bundle.read_object(account_id, url)
    if not body:
        return None
    try:
        with tarfile.open(fileobj=io.BytesIO(body), mode="r:*") as archive:
            for member in archive.getmembers():
                if member.isfile() and Path(member.name).name == "serving.properties":
                    handle = archive.extractfile(member)
                    if handle is not None:
                        return serving_properties_uri(handle.read().decode("utf-8", errors="replace"))
    except tarfile.TarError:
        return None
    return None


def model_weights_uri(account_id: str, model: Any) -> str | None:
    """The s3:// prefix the model's container would load its weights from, if it names one."""
    containers = [
        c for c in [getattr(model, "primary_container", None), *(getattr(model, "containers", None) or [])] if c
    ]
    for container in containers:
        url = container.get("ModelDataUrl")
        if isinstance(url, str) and url.startswith("s3://"):
            found = _prefix(url) if url.endswith("/") else _from_tarball(account_id, url)
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

    def __init__(self, backend: SageMakerModelBackend, endpoint: FakeEndpoint, weights_uri: str, kind: str) -> None:
        self.backend, self.endpoint, self.weights_uri, self.kind = backend, endpoint, weights_uri, kind
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

    def _run(self) -> None:
        try:
            reason = self._serve()
        except Exception as error:  # never leave the endpoint Creating
            reason = f"{HEALTH} (sandbox rehearsal: {error!r})"
        if reason is not None:
            self._failed(reason)
        self._cleanup()

    def _serve(self) -> str | None:
        python = settings.payload_python()
        if python is None:
            return f"{HEALTH} ({settings.missing_python_reason()})"
        script = settings.payload_dir() / "serve" / "local_server.py"
        if not script.is_file():
            return f"{HEALTH} (sandbox rehearsal: {script} not found; set {settings.PAYLOAD_DIR_VARIABLE})"
        files = bundle.read_prefix(self.backend.account_id, self.weights_uri)
        if not files:
            return f"{HEALTH} (sandbox rehearsal: no model files under {self.weights_uri})"
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
        self.process = nodes.Process(argv, script.parent, env, self._sink)
        deadline = time.monotonic() + READY_TIMEOUT_S
        while not self.ready.is_set():
            if self.stop_event.is_set():
                return None
            if self.process.poll() is not None:
                self.process.wait_output()
                if self.ready.is_set():
                    break
                tail = " | ".join(self.lines[-5:])
                return f"{HEALTH} (sandbox rehearsal: local_server.py exited {self.process.poll()}: {tail})"
            if time.monotonic() > deadline:
                return f"{HEALTH} (sandbox rehearsal: local_server.py not ready after {READY_TIMEOUT_S:.0f} s)"
            self.ready.wait(0.1)
        self._in_service()
        while not self.stop_event.wait(0.5):  # own the process (PR_SET_PDEATHSIG) until released
            if self.process.poll() is not None:
                break
        return None

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
                    server = ModelServer(backend, endpoint, endpoint.sandbox_rehearsed, RESTORE)
                    with _lock:
                        _servers.setdefault(endpoint.endpoint_name, []).append(server)
                    server.start()
                    started += 1
    return started


def _serve(backend: SageMakerModelBackend, endpoint: FakeEndpoint, config_name: str, kind: str) -> int:
    _model_name, model = _config_model(backend, config_name)
    weights = model_weights_uri(backend.account_id, model) if model is not None else None
    server = ModelServer(backend, endpoint, weights or "s3://(no model data)/", kind)
    with _lock:
        _servers.setdefault(endpoint.endpoint_name, []).append(server)
    if weights is None:
        server.thread = threading.Thread(
            target=server._failed,
            args=(
                f"{HEALTH} (sandbox rehearsal: the model names no s3:// weights: no option.model_id in "
                "serving.properties, no ModelDataSource, no OPTION_MODEL_ID)",
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
