"""Scenarios: how long each simulated phase takes and where things go wrong.

A scenario is snapshotted when a training job or endpoint is created, so changing it later only
affects what is created next. Durations are sandbox seconds (see clock.py), short by default so a
whole training run takes about 15 s at speed 1 and under a second at speed 20.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

TRAINING_PHASES = ("Starting", "Downloading", "Training", "Uploading")

# What SageMaker says when a job dies in each phase (DescribeTrainingJob FailureReason).
DEFAULT_TRAINING_FAILURE = {
    "Starting": "CapacityError: Unable to provision requested ML compute capacity. "
    "Please retry using a different ML instance type.",
    "Downloading": "ClientError: Data download failed:Failed to download data. "
    "NoSuchKey (404): The specified key does not exist.",
    "Training": 'AlgorithmError: ExecuteUserScriptError:\nExitCode 1\nErrorMessage "'
    "torch.distributed.DistBackendError: NCCL error in: ProcessGroupNCCL.cpp:1275, "
    'unhandled system error"\nCommand "torchrun --nnodes 2 run_seq2seq_deepspeed.py", exit code: 1',
    "Uploading": "InternalServerError: We encountered an internal error. Please try again.",
}

DEFAULT_ENDPOINT_FAILURE = (
    "The primary container for production variant AllTraffic did not pass the ping health check. "
    "Please check CloudWatch logs for this endpoint."
)


class ScenarioError(ValueError):
    """A scenario document with an unknown field or a bad value; the message names the field."""


@dataclass(frozen=True)
class TrainingScenario:
    starting_s: float = 2.0
    downloading_s: float = 2.0
    training_s: float = 8.0
    uploading_s: float = 2.0
    stopping_s: float = 2.0
    fail_at: str | None = None  # one of TRAINING_PHASES
    fail_after_s: float | None = None  # into the failing phase; default: half of it
    failure_reason: str | None = None  # default: DEFAULT_TRAINING_FAILURE[fail_at]
    log_interval_s: float = 0.5  # sandbox seconds between two Trainer loss lines
    initial_loss: float = 2.6
    final_loss: float = 0.9
    # Run the real payload locally instead of this timeline (rehearsal/): also set by the job's
    # Environment ZEROSTACK_REHEARSE=1. Durations above do not apply to a rehearsed job.
    rehearse: bool = False
    # A rehearsed job only: {"dotted.key": value} set in the bundle's DeepSpeed config (the file the
    # `deepspeed` hyperparameter names) before the nodes start, standing in for a derivation bug
    # (e.g. {"train_batch_size": 7}); the job's log says what was changed.
    ds_config_edit: dict[str, Any] | None = None

    def duration(self, phase: str) -> float:
        return float(getattr(self, f"{phase.lower()}_s"))

    def reason(self) -> str:
        return self.failure_reason or DEFAULT_TRAINING_FAILURE.get(self.fail_at or "", "")


@dataclass(frozen=True)
class EndpointScenario:
    creating_s: float = 3.0
    updating_s: float = 3.0
    deleting_s: float = 1.0
    fail: bool = False
    failure_reason: str = DEFAULT_ENDPOINT_FAILURE
    # Serve the model with payload/serve/local_server.py (rehearsal/serving.py); endpoints whose
    # model a rehearsed training job wrote are served that way without it.
    rehearse: bool = False


@dataclass
class Scenario:
    training: TrainingScenario = field(default_factory=TrainingScenario)
    endpoint: EndpointScenario = field(default_factory=EndpointScenario)
    training_jobs: dict[str, TrainingScenario] = field(default_factory=dict)
    endpoints: dict[str, EndpointScenario] = field(default_factory=dict)

    def for_training_job(self, name: str) -> TrainingScenario:
        return self.training_jobs.get(name, self.training)

    def for_endpoint(self, name: str) -> EndpointScenario:
        return self.endpoints.get(name, self.endpoint)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> Scenario:
        """Fields not given keep their defaults; per-name entries start from the given defaults."""
        _check_keys("scenario", doc, {"training", "endpoint", "training_jobs", "endpoints"})
        training = _build(TrainingScenario(), doc.get("training") or {}, "training")
        endpoint = _build(EndpointScenario(), doc.get("endpoint") or {}, "endpoint")
        return cls(
            training=training,
            endpoint=endpoint,
            training_jobs={
                name: _build(training, value, f"training_jobs.{name}")
                for name, value in (doc.get("training_jobs") or {}).items()
            },
            endpoints={
                name: _build(endpoint, value, f"endpoints.{name}")
                for name, value in (doc.get("endpoints") or {}).items()
            },
        )


def _check_keys(where: str, doc: Any, allowed: set[str]) -> None:
    if not isinstance(doc, dict):
        raise ScenarioError(f"{where}: expected a JSON object")
    unknown = sorted(set(doc) - allowed)
    if unknown:
        raise ScenarioError(f"{where}: unknown field(s) {unknown}; known: {sorted(allowed)}")


def _build(base: Any, doc: dict[str, Any], where: str) -> Any:
    _check_keys(where, doc, {f.name for f in fields(base)})
    for key, value in doc.items():
        if key.endswith("_s") and value is not None:
            if not isinstance(value, (int, float)) or value < 0:
                raise ScenarioError(f"{where}.{key}: expected a number of seconds >= 0")
    if doc.get("fail_at") not in (None, *TRAINING_PHASES):
        raise ScenarioError(f"{where}.fail_at: expected one of {list(TRAINING_PHASES)}")
    for key in ("rehearse", "fail"):
        if key in doc and not isinstance(doc[key], bool):
            raise ScenarioError(f"{where}.{key}: expected true or false")
    edit = doc.get("ds_config_edit")
    if edit is not None and (not isinstance(edit, dict) or not all(isinstance(k, str) and k for k in edit)):
        raise ScenarioError(f"{where}.ds_config_edit: expected an object of dotted keys")
    if "log_interval_s" in doc and not doc["log_interval_s"]:
        raise ScenarioError(f"{where}.log_interval_s: must be > 0")
    return replace(base, **doc)


def default_scenario() -> Scenario:
    """The built-in defaults, overridden by ZEROSTACK_SANDBOX_SCENARIO (JSON) when set."""
    raw = os.environ.get("ZEROSTACK_SANDBOX_SCENARIO")
    if not raw:
        return Scenario()
    try:
        doc = json.loads(raw)
    except json.JSONDecodeError as error:
        raise ScenarioError(f"ZEROSTACK_SANDBOX_SCENARIO is not JSON: {error}") from error
    return Scenario.from_json(doc)


class ScenarioBook:
    """The scenario in force; control.py replaces it, creations read it."""

    def __init__(self) -> None:
        self.current = default_scenario()

    def reset(self) -> None:
        self.current = default_scenario()


scenarios = ScenarioBook()
