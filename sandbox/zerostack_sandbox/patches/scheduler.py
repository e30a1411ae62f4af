"""EventBridge Scheduler one-time schedules that fire, with universal targets on SageMaker.

moto stores schedules but never runs them. zerostack gives every endpoint a TTL: a one-time
schedule `at(yyyy-mm-ddThh:mm:ss)` in ScheduleExpressionTimezone whose universal target
`arn:aws:scheduler:::aws-sdk:sagemaker:deleteEndpoint` gets Input `{"EndpointName": ...}`
(EventBridge Scheduler User Guide, "Using universal targets"; CreateSchedule, ScheduleExpression).
A ticker thread runs due schedules against moto's SageMaker backend when the sandbox clock passes
their time, and deletes those with ActionAfterCompletion DELETE (CreateSchedule,
ActionAfterCompletion). moto's UpdateSchedule drops ActionAfterCompletion; it is kept here.
Recurring rate()/cron() schedules are stored but not run.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from moto.core.utils import camelcase_to_underscores
from moto.sagemaker.models import sagemaker_backends
from moto.scheduler.models import EventBridgeSchedulerBackend, Schedule, scheduler_backends
from moto.scheduler.responses import EventBridgeSchedulerResponse

from ..lifecycle import each_backend, observe_all, observes_time, register_observer

AT_EXPRESSION = re.compile(r"^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$")
UNIVERSAL_TARGET = re.compile(r"^arn:aws[a-z-]*:scheduler:::aws-sdk:(?P<service>[a-z0-9-]+):(?P<action>\w+)$")


@dataclass(frozen=True)
class Invocation:
    schedule_arn: str
    target_arn: str
    at: float
    ok: bool
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "schedule": self.schedule_arn,
            "target": self.target_arn,
            "at": self.at,
            "ok": self.ok,
            "error": self.error,
        }


invocations: list[Invocation] = []


def due_time(schedule: Schedule) -> float | None:
    """POSIX seconds of a one-time schedule; None for rate()/cron() ones."""
    match = AT_EXPRESSION.match(schedule.schedule_expression or "")
    if not match:
        return None
    local = datetime.fromisoformat(match.group(1))
    return local.replace(tzinfo=ZoneInfo(schedule.schedule_expression_timezone or "UTC")).timestamp()


def run_target(account_id: str, region: str, target: dict[str, Any]) -> None:
    """Call the universal target's SDK action with the target's Input as parameters."""
    match = UNIVERSAL_TARGET.match(target.get("Arn", ""))
    if not match or match.group("service") != "sagemaker":
        raise ValueError(f"sandbox runs only aws-sdk:sagemaker:* universal targets, not {target.get('Arn')}")
    backend = sagemaker_backends[account_id][region]
    method = getattr(backend, camelcase_to_underscores(match.group("action")), None)
    if method is None:
        raise ValueError(f"sagemaker action {match.group('action')} is not available in the sandbox")
    parameters = json.loads(target.get("Input") or "{}")
    method(**{camelcase_to_underscores(key): value for key, value in parameters.items()})


def fire_due_schedules(now: float) -> None:
    for backend in each_backend(scheduler_backends):
        for group in list(backend.schedule_groups.values()):
            for schedule in list(group.schedules.values()):
                at = due_time(schedule)
                if at is None or at > now or schedule.state != "ENABLED":
                    continue
                if getattr(schedule, "sandbox_fired_at", None) is not None:
                    continue
                schedule.sandbox_fired_at = now
                try:
                    run_target(backend.account_id, backend.region_name, schedule.target)
                    invocations.append(Invocation(schedule.arn, schedule.target["Arn"], now, True))
                except Exception as error:  # a failed target is recorded, as Scheduler would log it
                    invocations.append(Invocation(schedule.arn, schedule.target["Arn"], now, False, repr(error)))
                if schedule.action_after_completion == "DELETE":
                    group.delete_schedule(schedule.name)


class Ticker:
    """The one background thread of the sandbox: fires schedules, completes transitions."""

    def __init__(self, interval_s: float = 0.5, after_tick: Callable[[], None] | None = None) -> None:
        self.interval_s = interval_s
        self.after_tick = after_tick
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="zerostack-sandbox-ticker", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def tick(self) -> None:
        observe_all()  # fire_due_schedules is one of the observers
        if self.after_tick is not None:
            self.after_tick()

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            try:
                self.tick()
            except Exception as error:  # keep ticking; the next tick may well succeed
                print(f"zerostack-sandbox: ticker error: {error!r}", flush=True)


_moto_update_schedule = EventBridgeSchedulerResponse.update_schedule


def update_schedule_response(self: EventBridgeSchedulerResponse) -> str:
    """moto's UpdateSchedule, keeping ActionAfterCompletion (UpdateSchedule replaces every field)."""
    result = _moto_update_schedule(self)
    name = self.uri.split("?")[0].split("/")[-1]
    schedule = self.scheduler_backend.get_schedule(self._get_param("GroupName"), name)
    schedule.action_after_completion = self._get_param("ActionAfterCompletion")
    return result


def reset() -> None:
    invocations.clear()


def apply() -> None:
    register_observer(fire_due_schedules)
    for name in ("get_schedule", "list_schedules"):
        setattr(EventBridgeSchedulerBackend, name, observes_time(getattr(EventBridgeSchedulerBackend, name)))
    EventBridgeSchedulerResponse.update_schedule = update_schedule_response  # type: ignore[method-assign]
