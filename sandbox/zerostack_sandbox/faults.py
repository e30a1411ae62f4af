"""Injected faults, per AWS service: throttling at a rate, bursts of 5xx, slow answers.

AWS throttles and has bad minutes; zerostack must ride them out with the AWS SDK's own retries
(program/aws/clients.ts), never a second retry loop. This module decides, request by request, from
a seeded generator (so a failing run can be replayed), whether the sandbox answers with the
service's own throttling error, a server error, or after a delay, before validation and moto see
the request. A refused request changes nothing, as on AWS.

The error shapes are each service's documented ones:
- SageMaker, CloudWatch Logs, Secrets Manager, KMS (JSON protocols): ThrottlingException, HTTP 400
  ("Rate exceeded"), the common error of the AWS API references ("Common Errors": ThrottlingException,
  400: "The request was denied due to request throttling").
- S3: SlowDown, HTTP 503 ("Please reduce your request rate."), S3 API Reference, Error responses.
- EventBridge Scheduler: ThrottlingException, HTTP 429 (Scheduler API Reference, CreateSchedule: Errors).
- IAM (query): Throttling, HTTP 400 (AWS Common Errors for query APIs).
- A burst of 5xx: ServiceUnavailable, HTTP 503 (the SDKs retry it as a transient error).

Control: POST /_zerostack/faults {"seed": 7, "services": {"sagemaker": {"throttle_rate": 0.1,
"burst_5xx": 0, "slow_ms": 0}}} (services by their SigV4 signing names: sagemaker, s3, logs,
scheduler, secretsmanager, kms, iam); GET returns the plan and how many of each were injected.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from .validation import errors
from .validation.requests import signing_name

# signing name -> (protocol, throttling code, HTTP status)
THROTTLING = {
    "sagemaker": ("json", "ThrottlingException", 400),
    "logs": ("json", "ThrottlingException", 400),
    "secretsmanager": ("json", "ThrottlingException", 400),
    "kms": ("json", "ThrottlingException", 400),
    "s3": ("rest-xml", "SlowDown", 503),
    "scheduler": ("rest-json", "ThrottlingException", 429),
    "iam": ("query", "Throttling", 400),
}
MESSAGES = {"SlowDown": "Please reduce your request rate.", "Throttling": "Rate exceeded"}


class FaultsError(ValueError):
    """A faults document with an unknown service or field, or a bad value; the message names it."""


@dataclass(frozen=True)
class ServiceFaults:
    throttle_rate: float = 0.0  # share of requests answered with the service's throttling error
    burst_5xx: int = 0  # the next N requests get 503 ServiceUnavailable
    slow_ms: int = 0  # every answer waits this long first


@dataclass
class FaultPlan:
    seed: int = 0
    services: dict[str, ServiceFaults] = field(default_factory=dict)

    @classmethod
    def from_json(cls, doc: Any) -> FaultPlan:
        if not isinstance(doc, dict) or set(doc) - {"seed", "services"}:
            raise FaultsError('faults: expected {"seed": int, "services": {name: {...}}}')
        services: dict[str, ServiceFaults] = {}
        for name, value in (doc.get("services") or {}).items():
            if name not in THROTTLING:
                raise FaultsError(f"faults.services.{name}: unknown service; known: {sorted(THROTTLING)}")
            if not isinstance(value, dict) or set(value) - {"throttle_rate", "burst_5xx", "slow_ms"}:
                raise FaultsError(f"faults.services.{name}: fields are throttle_rate, burst_5xx, slow_ms")
            rate = value.get("throttle_rate", 0.0)
            if not isinstance(rate, (int, float)) or not 0 <= rate < 1:
                raise FaultsError(f"faults.services.{name}.throttle_rate: expected a number in [0, 1)")
            for key in ("burst_5xx", "slow_ms"):
                if not isinstance(value.get(key, 0), int) or value.get(key, 0) < 0:
                    raise FaultsError(f"faults.services.{name}.{key}: expected a whole number >= 0")
            services[name] = ServiceFaults(**value)
        seed = doc.get("seed", 0)
        if not isinstance(seed, int):
            raise FaultsError("faults.seed: expected a whole number")
        return cls(seed=seed, services=services)


class Faults:
    """The plan in force and what it has injected; thread-safe (the server answers in threads)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.set(FaultPlan())

    def set(self, plan: FaultPlan) -> None:
        with self.lock:
            self.plan = plan
            self.random = random.Random(plan.seed)
            self.bursts = {name: f.burst_5xx for name, f in plan.services.items()}
            self.injected: Counter[str] = Counter()

    def describe(self) -> dict[str, Any]:
        with self.lock:
            return {"plan": asdict(self.plan), "injected": dict(self.injected)}

    def decide(self, environ: dict[str, Any]) -> errors.Answer | None:
        """A fault to answer instead of the request, or None; sleeps first when the service is slow."""
        service = signing_name(environ) or ""
        with self.lock:
            chosen = self.plan.services.get(service)
            if chosen is None:
                return None
            if self.bursts.get(service, 0) > 0:
                self.bursts[service] -= 1
                kind = "5xx"
            elif chosen.throttle_rate and self.random.random() < chosen.throttle_rate:
                kind = "throttle"
            else:
                kind = ""
            if kind:
                self.injected[f"{service} {kind}"] += 1
        if chosen.slow_ms:
            time.sleep(chosen.slow_ms / 1000)
        protocol, code, status = THROTTLING[service]
        if kind == "throttle":
            return errors.answer(protocol, status, code, MESSAGES.get(code, "Rate exceeded"))
        if kind == "5xx":
            return errors.answer(protocol, 503, "ServiceUnavailable", "Service is unavailable. Please try again.")
        return None


faults = Faults()
