"""Training jobs that take time: CreateTrainingJob, DescribeTrainingJob, StopTrainingJob.

moto creates every training job already `Completed`. Here a job follows SageMaker's documented
timeline (DescribeTrainingJob: TrainingJobStatus, SecondaryStatus, SecondaryStatusTransitions):
InProgress through Starting -> Downloading -> Training -> Uploading, then Completed; or Failed at
the scenario's phase; or Stopped with SecondaryStatus MaxRuntimeExceeded once
StoppingCondition.MaxRuntimeInSeconds has passed (StoppingCondition: "SageMaker ends the training
job"; DescribeTrainingJob lists MaxRuntimeExceeded under the Stopped status); or, after
StopTrainingJob, Stopping then Stopped. The state is worked out from the sandbox clock whenever the
job is looked at, so no thread drives it.

A `JobRunner` registered here (register_runner) may take a new job instead of the timeline:
rehearsal/ registers one that runs the real payload. This module knows nothing of what a runner does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from moto.core.responses import ActionResult, EmptyResult
from moto.sagemaker.exceptions import ResourceInUseException, ValidationError
from moto.sagemaker.models import FakeTrainingJob, SageMakerModelBackend, sagemaker_backends
from moto.sagemaker.responses import SageMakerResponse

from ..clock import clock, to_datetime
from ..lifecycle import each_backend, locked, observes_time, register_observer
from ..scenario import TRAINING_PHASES, TrainingScenario, scenarios
from ..training_status import FINAL, Shown, show
from . import artifacts, logs

DEFAULT_MAX_RUNTIME_S = 86400  # StoppingCondition.MaxRuntimeInSeconds: "The default value is 1 day"


@dataclass(frozen=True)
class Phase:
    status: str  # SecondaryStatus
    job_status: str  # TrainingJobStatus while in this phase
    start: float
    end: float

    @property
    def is_final(self) -> bool:
        return self.job_status in FINAL


@dataclass(frozen=True)
class Ending:
    """Why and when a run stops short of Completed."""

    kind: str  # Failed | MaxRuntimeExceeded | Stopped
    at: float
    reason: str = ""


@dataclass
class TrainingRun:
    """The sandbox's state for one job, kept on the moto object as `sandbox_run`."""

    account_id: str
    region: str
    created_at: float
    scenario: TrainingScenario
    instance_count: int
    max_runtime_s: float
    metric_definitions: list[dict[str, str]]
    shape: logs.RunShape
    stop_requested_at: float | None = None
    upload_error: Ending | None = None
    uploaded: bool = False
    cursor: logs.LogCursor = field(default_factory=logs.LogCursor)
    _script: list[logs.LogLine] | None = None

    def natural_phases(self) -> list[Phase]:
        phases, at = [], self.created_at
        for name in TRAINING_PHASES:
            duration = self.scenario.duration(name)
            phases.append(Phase(name, "InProgress", at, at + duration))
            at += duration
        return phases

    def ending(self) -> Ending | None:
        natural = self.natural_phases()
        candidates: list[Ending] = []
        if self.scenario.fail_at:
            phase = next(p for p in natural if p.status == self.scenario.fail_at)
            after = self.scenario.fail_after_s
            after = (phase.end - phase.start) / 2 if after is None else after
            candidates.append(Ending("Failed", min(phase.start + after, phase.end), self.scenario.reason()))
        if self.upload_error:
            candidates.append(self.upload_error)
        training_start = natural[1].start
        candidates.append(Ending("MaxRuntimeExceeded", training_start + self.max_runtime_s))
        if self.stop_requested_at is not None:
            candidates.append(Ending("Stopped", self.stop_requested_at))
        first = min(candidates, key=lambda ending: ending.at)
        return first if first.at < natural[-1].end else None

    def phases(self) -> list[Phase]:
        natural, ending = self.natural_phases(), self.ending()
        if ending is None:
            end = natural[-1].end
            return natural + [Phase("Completed", "Completed", end, end)]
        kept = [p for p in natural if p.start < ending.at or p is natural[0]]
        last = kept[-1]
        kept[-1] = Phase(last.status, last.job_status, last.start, ending.at)
        if ending.kind == "Failed":
            return kept + [Phase("Failed", "Failed", ending.at, ending.at)]
        if ending.kind == "MaxRuntimeExceeded":
            return kept + [Phase("MaxRuntimeExceeded", "Stopped", ending.at, ending.at)]
        stopped = ending.at + self.scenario.stopping_s
        return kept + [
            Phase("Stopping", "Stopping", ending.at, stopped),
            Phase("Stopped", "Stopped", stopped, stopped),
        ]

    def script(self) -> list[logs.LogLine]:
        """The log lines of this run as far as it goes; earlier lines never change."""
        if self._script is None:
            self._script = logs.full_script(self.shape)
        ending = self.ending()
        if ending is None:
            return self._script
        kept = [line for line in self._script if line.at <= ending.at]
        if self.shape.training_start <= ending.at < self.shape.training_end:
            kept += logs.ending_lines(self.shape, ending.at, ending.kind, ending.reason)
        return kept


def project(job: FakeTrainingJob, run: TrainingRun, now: float) -> None:
    """Set the moto object's fields to what DescribeTrainingJob shows at `now`."""
    seen = [phase for phase in run.phases() if phase.start <= now] or run.phases()[:1]
    ending = run.ending()
    show(
        job,
        [Shown(p.status, p.job_status, p.start, p.end if p.end <= now else None, p.start) for p in seen],
        failure_reason=ending.reason if ending else None,
        metrics=run.cursor.metrics,
    )


def advance(job: FakeTrainingJob, run: TrainingRun, now: float) -> None:
    """Upload the model when rank 0 would, write due log lines, then show the status."""
    if not run.uploaded and run.ending() is None:
        upload_at = logs.upload_point(run.shape)
        if now >= upload_at:
            error = artifacts.upload_model(run.account_id, job.training_job_name, run.shape.model_uri)
            if error:
                reason = f'AlgorithmError: ExecuteUserScriptError:\nExitCode 1\nErrorMessage "{error}"'
                run.upload_error = Ending("Failed", upload_at - 0.0005, reason)
            run.uploaded = True
    logs.write_due_lines(run.account_id, run.region, run.shape, run.script(), run.cursor, run.metric_definitions, now)
    project(job, run, now)


def observe_training_jobs(now: float) -> None:
    for backend in each_backend(sagemaker_backends):
        for job in list(backend.training_jobs.values()):
            run: TrainingRun | None = getattr(job, "sandbox_run", None)
            if run is not None:
                advance(job, run, now)
                continue
            for runner in _runners:
                if runner.advance(job):
                    break


# -- the hook: another way to run a job --------------------------------------------------------


@dataclass(frozen=True)
class NewJob:
    """What CreateTrainingJob worked out for a job, beyond the moto object's own fields."""

    account_id: str
    region: str
    environment: dict[str, str]
    scenario: TrainingScenario
    instance_count: int
    metric_definitions: list[dict[str, str]]
    model_uri: str


@dataclass(frozen=True)
class JobRunner:
    """Runs a training job instead of its timeline; each is called with the LOCK held."""

    claims: Callable[[NewJob], bool]  # CreateTrainingJob: does this runner take the job?
    start: Callable[[FakeTrainingJob, NewJob], None]  # take it: keep its state on the job, set its status
    advance: Callable[[FakeTrainingJob], bool]  # bring it up to date; False if the job is not its own
    stop: Callable[[FakeTrainingJob], bool]  # StopTrainingJob on an InProgress job; False if not its own


_runners: list[JobRunner] = []


def register_runner(runner: JobRunner) -> JobRunner:
    if runner not in _runners:
        _runners.append(runner)
    return runner


# -- backend methods ---------------------------------------------------------------------------

_moto_create_training_job = SageMakerModelBackend.create_training_job


def create_training_job(
    self: SageMakerModelBackend, *, environment: dict[str, str] | None = None, **kwargs: Any
) -> FakeTrainingJob:
    """moto's CreateTrainingJob, plus: unique names, Environment, MetricDefinitions and a timeline."""
    name = kwargs["training_job_name"]
    if name in self.training_jobs:
        arn = FakeTrainingJob.arn_formatter(name, self.account_id, self.region_name)
        raise ResourceInUseException(
            "Training job names must be unique within an AWS account and region, and a training "
            f"job with this name already exists ({arn})"
        )
    algorithm = kwargs.get("algorithm_specification") or {}
    metric_definitions = list(algorithm.get("MetricDefinitions") or [])
    job = _moto_create_training_job(self, **kwargs)
    # moto replaces MetricDefinitions with a canned one; SageMaker echoes what it was given.
    if metric_definitions:
        job.algorithm_specification["MetricDefinitions"] = metric_definitions
    else:
        job.algorithm_specification.pop("MetricDefinitions", None)
    environment = dict(environment or {})
    job.environment = environment or None
    job.stopping_condition = {"MaxRuntimeInSeconds": DEFAULT_MAX_RUNTIME_S, **(job.stopping_condition or {})}

    now = clock.timestamp()
    scenario = scenarios.current.for_training_job(name)
    resources = job.resource_config or {}
    instance_count = int(resources.get("InstanceCount", 1))
    uri = artifacts.model_uri(name, environment, job.output_data_config)
    job.model_artifacts = {"S3ModelArtifacts": uri}
    job.creation_time = to_datetime(now)
    new = NewJob(self.account_id, self.region_name, environment, scenario, instance_count, metric_definitions, uri)
    runner = next((runner for runner in _runners if runner.claims(new)), None)
    if runner is not None:
        job.sandbox_run = None
        runner.start(job, new)
        return job
    training_start = now + scenario.starting_s + scenario.downloading_s
    shape = logs.RunShape(
        job_name=name,
        instance_count=instance_count,
        instance_type=str(resources.get("InstanceType", "ml.m5.xlarge")),
        hyper_parameters=dict(job.hyper_parameters or {}),
        environment=environment,
        scenario=scenario,
        training_start=training_start,
        training_end=training_start + scenario.training_s,
        model_uri=uri,
    )
    job.sandbox_run = TrainingRun(
        account_id=self.account_id,
        region=self.region_name,
        created_at=now,
        scenario=scenario,
        instance_count=instance_count,
        max_runtime_s=float(job.stopping_condition["MaxRuntimeInSeconds"]),
        metric_definitions=metric_definitions,
        shape=shape,
    )
    project(job, job.sandbox_run, now)
    return job


def stop_training_job(self: SageMakerModelBackend, training_job_name: str) -> None:
    """StopTrainingJob: InProgress -> Stopping -> Stopped; any other status is refused."""
    if training_job_name not in self.training_jobs:
        arn = FakeTrainingJob.arn_formatter(training_job_name, self.account_id, self.region_name)
        raise ValidationError(message=f"Could not find training job '{arn}'.")
    job = self.training_jobs[training_job_name]
    if job.training_job_status != "InProgress":
        raise ValidationError(
            message=f"The request was rejected because the training job is in status {job.training_job_status}."
        )
    if any(runner.stop(job) for runner in _runners):
        return
    run: TrainingRun = job.sandbox_run
    run.stop_requested_at = clock.timestamp()
    advance(job, run, run.stop_requested_at)


# -- responses (translation only) --------------------------------------------------------------


def create_training_job_response(self: SageMakerResponse) -> ActionResult:
    """moto's CreateTrainingJob response, which also passes Environment on."""
    job = self.sagemaker_backend.create_training_job(
        training_job_name=self._get_param("TrainingJobName"),
        hyper_parameters=self._get_param("HyperParameters"),
        algorithm_specification=self._get_param("AlgorithmSpecification"),
        role_arn=self._get_param("RoleArn"),
        input_data_config=self._get_param("InputDataConfig"),
        output_data_config=self._get_param("OutputDataConfig"),
        resource_config=self._get_param("ResourceConfig"),
        vpc_config=self._get_param("VpcConfig"),
        stopping_condition=self._get_param("StoppingCondition"),
        tags=self._get_param("Tags"),
        enable_network_isolation=self._get_param("EnableNetworkIsolation", False),
        enable_inter_container_traffic_encryption=self._get_param("EnableInterContainerTrafficEncryption", False),
        enable_managed_spot_training=self._get_param("EnableManagedSpotTraining", False),
        checkpoint_config=self._get_param("CheckpointConfig"),
        debug_hook_config=self._get_param("DebugHookConfig"),
        debug_rule_configurations=self._get_param("DebugRuleConfigurations"),
        tensor_board_output_config=self._get_param("TensorBoardOutputConfig"),
        experiment_config=self._get_param("ExperimentConfig"),
        environment=self._get_param("Environment"),
    )
    return ActionResult({"TrainingJobArn": job.arn})


def stop_training_job_response(self: SageMakerResponse) -> EmptyResult:
    self.sagemaker_backend.stop_training_job(self._get_param("TrainingJobName"))
    return EmptyResult()


def apply() -> None:
    SageMakerModelBackend.create_training_job = locked(create_training_job)  # type: ignore[method-assign]
    SageMakerModelBackend.stop_training_job = observes_time(stop_training_job)  # type: ignore[attr-defined]
    for name in ("describe_training_job", "list_training_jobs", "search", "list_tags"):
        setattr(SageMakerModelBackend, name, observes_time(getattr(SageMakerModelBackend, name)))
    SageMakerResponse.create_training_job = create_training_job_response  # type: ignore[method-assign]
    SageMakerResponse.stop_training_job = stop_training_job_response  # type: ignore[attr-defined]
    register_observer(observe_training_jobs)
