"""The control surface: JSON over HTTP under /_zerostack/ on the sandbox's own port.

Routes (all JSON):
  GET    /_zerostack/health                    {"ok": true, "version": ..., "moto": ...}
  GET    /_zerostack/scenario                  the scenario in force
  POST   /_zerostack/scenario                  {"training": {...}, "endpoint": {...},
                                                "training_jobs": {name: {...}}, "endpoints": {name: {...}}}
  GET    /_zerostack/clock                     {"now", "epoch_seconds", "speed", "offset_seconds"}
  POST   /_zerostack/clock                     {"speed": 20} and/or {"advance": seconds}
  POST   /_zerostack/reset                     moto state, scenario, clock, handlers, stats;
                                               ends every rehearsal process
  POST   /_zerostack/endpoints/<name>/handler  {"url": "http://127.0.0.1:PORT/invocations"}
  DELETE /_zerostack/endpoints/<name>/handler
  GET    /_zerostack/state                     counts for `zerostack sandbox status`
  GET    /_zerostack/stats                     request counters; S3 PutObject count and bytes
  POST   /_zerostack/stats/reset
  GET    /_zerostack/requests                  {"requests": [{"at", "service", "operation", "method", "target"?}]}
                                               each AWS request's arrival (epoch seconds, oldest first, the last
                                               10 000); ?operation=CreateTrainingJob&service=sagemaker&since=EPOCH
  GET    /_zerostack/patches                   what the sandbox changes in moto, and why
  GET    /_zerostack/faults                    injected faults in force, and how many were injected
  POST   /_zerostack/faults                    {"seed": 7, "services": {"sagemaker": {"throttle_rate": 0.1}}}
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

import moto
from moto.logs.models import logs_backends
from moto.moto_api._internal.models import moto_api_backend
from moto.s3.models import s3_backends
from moto.sagemaker.models import sagemaker_backends
from moto.scheduler.models import scheduler_backends
from werkzeug.wrappers import Request, Response

from . import __version__, patches, rehearsal
from .clock import clock
from .faults import FaultPlan, FaultsError, faults
from .lifecycle import LOCK, each_backend, observe_all
from .patches import invoke, scheduler
from .scenario import Scenario, ScenarioError, scenarios
from .stats import stats

PREFIX = "/_zerostack/"


class ControlError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _json(value: Any, status: int = 200) -> Response:
    return Response(json.dumps(value, indent=1, default=str), status=status, mimetype="application/json")


def _body(request: Request) -> dict[str, Any]:
    if not request.data:
        return {}
    try:
        body = json.loads(request.data)
    except json.JSONDecodeError as error:
        raise ControlError(400, f"body is not JSON: {error}") from error
    if not isinstance(body, dict):
        raise ControlError(400, "body must be a JSON object")
    return body


def health(request: Request) -> Response:
    return _json({"ok": True, "version": __version__, "moto": moto.__version__})


def scenario(request: Request) -> Response:
    if request.method == "POST":
        try:
            scenarios.current = Scenario.from_json(_body(request))
        except ScenarioError as error:
            raise ControlError(400, str(error)) from error
    return _json(scenarios.current.to_json())


def faults_route(request: Request) -> Response:
    if request.method == "POST":
        try:
            faults.set(FaultPlan.from_json(_body(request)))
        except FaultsError as error:
            raise ControlError(400, str(error)) from error
    return _json(faults.describe())


def clock_route(request: Request) -> Response:
    if request.method == "POST":
        body = _body(request)
        unknown = set(body) - {"speed", "advance"}
        if unknown:
            raise ControlError(400, f"unknown field(s) {sorted(unknown)}; known: ['advance', 'speed']")
        with LOCK:
            observe_all()  # settle what happened at the old speed before changing it
            try:
                if "speed" in body:
                    clock.set_speed(float(body["speed"]))
                if "advance" in body:
                    clock.advance(float(body["advance"]))
            except (TypeError, ValueError) as error:
                raise ControlError(400, f"clock: {error}") from error
            observe_all()
    return _json(clock.describe())


def reset(request: Request) -> Response:
    rehearsal.shutdown_all()  # outside the LOCK: the rehearsal threads take it to finish
    with LOCK:
        moto_api_backend.reset()
        scenarios.reset()
        clock.reset()
        invoke.handlers.clear()
        scheduler.reset()
        stats.reset()
        faults.set(FaultPlan())
    return _json({"ok": True})


def handler(request: Request, endpoint_name: str) -> Response:
    if request.method == "DELETE":
        return _json({"ok": invoke.handlers.remove(endpoint_name), "endpoint": endpoint_name})
    url = _body(request).get("url")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise ControlError(400, 'handler: expected {"url": "http://127.0.0.1:PORT/invocations"}')
    invoke.handlers.register(endpoint_name, url)
    return _json({"ok": True, "endpoint": endpoint_name, "url": url})


def _count(items: Iterable[str]) -> dict[str, int]:
    return dict(sorted(Counter(items).items()))


def state(request: Request) -> Response:
    with LOCK:
        observe_all()
        sagemaker = list(each_backend(sagemaker_backends))
        jobs = [job for backend in sagemaker for job in backend.training_jobs.values()]
        endpoints = [endpoint for backend in sagemaker for endpoint in backend.endpoints.values()]
        buckets = [name for backend in each_backend(s3_backends) for name in backend.buckets]
        schedules = [
            schedule
            for backend in each_backend(scheduler_backends)
            for group in backend.schedule_groups.values()
            for schedule in group.schedules.values()
        ]
        log_groups = [name for backend in each_backend(logs_backends) for name in backend.groups]
        summary = {
            "clock": clock.describe(),
            "buckets": len(buckets),
            "training_jobs": {"total": len(jobs), "by_status": _count(j.training_job_status for j in jobs)},
            "endpoints": {"total": len(endpoints), "by_status": _count(e.endpoint_status for e in endpoints)},
            "endpoint_configs": sum(len(backend.endpoint_configs) for backend in sagemaker),
            "models": sum(len(backend._models) for backend in sagemaker),
            "schedules": {"total": len(schedules), "by_state": _count(s.state for s in schedules)},
            "schedule_invocations": [invocation.to_json() for invocation in scheduler.invocations],
            "log_groups": len(log_groups),
            "handlers": invoke.handlers.all(),
            "rehearsal_processes": len(rehearsal.running_pids()),
        }
    return _json(summary)


def stats_route(request: Request) -> Response:
    if request.method == "POST":
        stats.reset()
    return _json(stats.to_json())


def requests_route(request: Request) -> Response:
    since = request.args.get("since")
    try:
        after = float(since) if since is not None else None
    except ValueError as error:
        raise ControlError(400, f"since: expected epoch seconds, e.g. 1764600000.5, got {since!r}") from error
    arrivals = stats.arrivals(request.args.get("operation"), request.args.get("service"), after)
    return _json({"requests": arrivals})


ROUTES: dict[tuple[str, str], Callable[[Request], Response]] = {
    ("GET", "health"): health,
    ("GET", "scenario"): scenario,
    ("POST", "scenario"): scenario,
    ("GET", "clock"): clock_route,
    ("POST", "clock"): clock_route,
    ("POST", "reset"): reset,
    ("GET", "state"): state,
    ("GET", "stats"): stats_route,
    ("POST", "stats/reset"): stats_route,
    ("GET", "requests"): requests_route,
    ("GET", "patches"): lambda request: _json(patches.describe()),
    ("GET", "faults"): faults_route,
    ("POST", "faults"): faults_route,
}


def dispatch(request: Request) -> Response:
    route = request.path[len(PREFIX) :].strip("/")
    try:
        parts = route.split("/")
        if len(parts) == 3 and parts[0] == "endpoints" and parts[2] == "handler":
            if request.method not in ("POST", "DELETE"):
                raise ControlError(405, "use POST or DELETE")
            return handler(request, parts[1])
        view = ROUTES.get((request.method, route))
        if view is None:
            known = sorted({f"{method} {PREFIX}{path}" for method, path in ROUTES})
            raise ControlError(404, f"no route {request.method} {request.path}; known: {known}")
        return view(request)
    except ControlError as error:
        return _json({"ok": False, "error": str(error)}, status=error.status)


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    return dispatch(Request(environ))(environ, start_response)
