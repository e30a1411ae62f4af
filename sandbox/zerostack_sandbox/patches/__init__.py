"""Every change the sandbox makes to moto 5.2.5, in one list.

Each patch is applied at import time to moto's own backend or response classes (never a fork): the
backend methods hold the new behaviour, the response methods only translate parameters. Both the
boto3 and the AWS SDK for JavaScript v3 clients reach the same backend methods. `why` names the
SageMaker behaviour copied and the AWS API reference page it comes from; `test` is the pytest that
shows it against the running server.

The lifecycle patches offer hooks and know nothing of what registers into them: rehearsal/ (the
two "Rehearsed" entries of the list) registers a JobRunner into training_jobs.register_runner and an
EndpointServer into endpoints.register_server when the server starts (rehearsal.install()).
The last two entries change no moto code: validation/ checks each request against AWS's model before
moto sees it, and answers what moto cannot (server.py calls it).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from . import artifacts, endpoints, invoke, logs, scheduler, training_jobs


@dataclass(frozen=True)
class Patch:
    name: str
    module: str
    why: str
    source: str
    test: str


PATCHES: tuple[Patch, ...] = (
    Patch(
        "CreateTrainingJob",
        "training_jobs",
        "Returns at once and starts a timeline from the scenario; keeps Environment and the given "
        "MetricDefinitions (moto drops the first and replaces the second); refuses a duplicate name "
        "with ResourceInUse; accepts today's instance types (ml.p4d/p4de/p5, ml.g5/g6).",
        "SageMaker API Reference: CreateTrainingJob, ResourceConfig, StoppingCondition",
        "test/sandbox/test_training_jobs.py::test_training_job_progresses_to_completed",
    ),
    Patch(
        "DescribeTrainingJob",
        "training_jobs",
        "Status from the sandbox clock: InProgress with SecondaryStatus Starting -> Downloading -> "
        "Training -> Uploading -> Completed, SecondaryStatusTransitions with Start/EndTime and "
        "StatusMessage, TrainingStartTime/EndTime, BillableTimeInSeconds = training wall-clock seconds "
        "(the bill is that x InstanceCount, per the DescribeTrainingJob reference); Failed with "
        "FailureReason at the scenario's phase; Stopped with SecondaryStatus MaxRuntimeExceeded once "
        "StoppingCondition.MaxRuntimeInSeconds (default 86400) has passed since TrainingStartTime. "
        "Messages, times and billing come from training_status.py, which rehearsals share.",
        "SageMaker API Reference: DescribeTrainingJob (TrainingJobStatus, SecondaryStatus), "
        "SecondaryStatusTransition, StoppingCondition",
        "test/sandbox/test_training_jobs.py (progresses, fails_at_phase, max_runtime_exceeded)",
    ),
    Patch(
        "StopTrainingJob",
        "training_jobs",
        "Missing from moto. InProgress -> Stopping -> Stopped (SecondaryStatus Stopping -> "
        "Stopped); refused with ValidationException for a job that is not InProgress.",
        "SageMaker API Reference: StopTrainingJob",
        "test/sandbox/test_training_jobs.py::test_stop_training_job",
    ),
    Patch(
        "ListTrainingJobs / Search / ListTags",
        "training_jobs",
        "Read through the clock, so StatusEquals and Search filters see the current status.",
        "SageMaker API Reference: ListTrainingJobs, Search, ListTags, AddTags",
        "test/sandbox/test_training_jobs.py::test_tags_list_and_search",
    ),
    Patch(
        "Training logs (GetLogEvents, FilterLogEvents, DescribeLogStreams)",
        "logs",
        "Log group /aws/sagemaker/TrainingJobs, stream <job>/algo-<n>-<epoch> per host; toolkit, "
        "torchrun, NCCL, DeepSpeed ZeRO and Trainer loss lines appear as the clock passes their "
        "timestamps; MetricDefinitions regexes give FinalMetricDataList.",
        "SageMaker Developer Guide: Amazon SageMaker metrics in Amazon CloudWatch (log group and "
        "stream names); SageMaker API Reference: MetricDefinition, DescribeTrainingJob FinalMetricDataList",
        "test/sandbox/test_training_logs.py",
    ),
    Patch(
        "Training artifacts",
        "artifacts",
        "When rank 0 would run s5cmd, the uncompressed model folder (config.json, "
        "generation_config.json, model.safetensors, tokenizer files) is written under "
        "Environment MODEL_S3_PATH, else <S3OutputPath>/<job>/output/model/; ModelArtifacts points "
        "there. A missing bucket fails the job like the real upload would.",
        "SageMaker API Reference: DescribeTrainingJob ModelArtifacts; SEED.md tips 1, 9, 10",
        "test/sandbox/test_training_jobs.py::test_artifacts_written_on_completion",
    ),
    Patch(
        "CreateModel / CreateEndpointConfig",
        "endpoints",
        "Duplicate names refused (ValidationException 'Cannot create already existing ...'); today's "
        "instance types accepted (ml.g5/g6/g6e/p4d/p5/inf2/trn1 ...); variant fields such as "
        "ContainerStartupHealthCheckTimeoutInSeconds kept.",
        "SageMaker API Reference: CreateEndpointConfig, ProductionVariant",
        "test/sandbox/test_endpoints.py::test_endpoint_config_accepts_todays_instances",
    ),
    Patch(
        "CreateEndpoint",
        "endpoints",
        "Creating -> InService after the scenario delay, or Failed with FailureReason.",
        "SageMaker API Reference: CreateEndpoint, DescribeEndpoint (EndpointStatus, FailureReason)",
        "test/sandbox/test_endpoints.py (creating_then_in_service, failed)",
    ),
    Patch(
        "Serving keys an LMI image does not document (CreateEndpoint / UpdateEndpoint)",
        "lmi_keys",
        "DJL Serving drops an option nothing reads, so on AWS such a key fails late or silently (option.s3url "
        "on an image that reads only model_id leaves the container without weights; it never passes its "
        "ping). The sandbox reads each variant's model as the container does (serving.properties in the "
        "ModelDataUrl tarball, then OPTION_* Environment; the family and DJL version from the djl-inference "
        "image tag) and holds `engine` and `option.*` to the keys that family documents at that version "
        "(lmi_keys.RULES, each with its djl-serving file:line). Another key fails the endpoint, simulated or "
        "rehearsed, as a container that cannot start: Creating -> Failed after the scenario delay with the "
        "ping health-check FailureReason naming the keys; an UpdateEndpoint rolls back (InService on the old "
        "config, FailureReason set). No server is started for such a model.",
        "SageMaker API Reference: DescribeEndpoint (FailureReason: 'If the status of the endpoint is Failed, "
        "or the status is InService but update operation fails'); djl-serving docs and source per "
        "<version>-dlc branch, cited in patches/lmi_keys.py",
        "test/sandbox/test_serving_keys.py, test/sandbox/test_rehearsal.py::"
        "test_a_rehearsed_endpoint_with_undocumented_serving_keys_fails_without_a_server",
    ),
    Patch(
        "UpdateEndpoint",
        "endpoints",
        "Missing from moto. Updating -> InService; the new EndpointConfigName (and "
        "PendingDeploymentSummary until then) takes effect only when InService; refused unless InService.",
        "SageMaker API Reference: UpdateEndpoint, DescribeEndpoint PendingDeploymentSummary",
        "test/sandbox/test_endpoints.py::test_update_endpoint",
    ),
    Patch(
        "DeleteEndpoint",
        "endpoints",
        "Deleting for the scenario delay, then DescribeEndpoint raises ValidationException "
        "'Could not find endpoint ...'.",
        "SageMaker API Reference: DeleteEndpoint, DescribeEndpoint",
        "test/sandbox/test_endpoints.py::test_delete_endpoint",
    ),
    Patch(
        "InvokeEndpoint",
        "invoke",
        "Forwarded to the handler registered through the control surface (body, ContentType, "
        "Accept); handler 4xx/5xx -> ModelError 424; no handler -> labelled JSON echo; endpoint "
        "not InService/Updating -> ValidationError.",
        "SageMaker Runtime API Reference: InvokeEndpoint (Errors: ModelError, ValidationError)",
        "test/sandbox/test_invoke.py",
    ),
    Patch(
        "Rehearsed training jobs (the real payload)",
        "rehearsal.training",
        "A JobRunner registered into training_jobs.register_runner. With Environment "
        "ZEROSTACK_REHEARSE=1 or scenario rehearse: true, CreateTrainingJob runs the "
        "job instead of its timeline: sourcedir.tar.gz (sagemaker_submit_directory) and every S3Prefix "
        "channel are copied out of the sandbox's S3 into one /opt/ml per host (an empty channel fails "
        "with SageMaker's ClientError 'No S3 objects found'), hyperparameters.json and SM_* env are "
        "written as the toolkit does, and one `sagemaker_program` process per host (the Python in "
        "ZEROSTACK_PAYLOAD_PYTHON) runs on this machine; its lines stream into <job>/algo-<n>-<epoch>; "
        "a non-zero exit fails the job with AlgorithmError: ExecuteUserScriptError and the last error "
        "lines; StopTrainingJob sends SIGTERM to every process group. Real time, not the sandbox clock.",
        "SageMaker Developer Guide: How SageMaker Provides Training Information (/opt/ml layout, "
        "hyperparameters.json, SM_* variables); sagemaker-training-toolkit (sagemaker_submit_directory, "
        "sagemaker_program, ExecuteUserScriptError); SageMaker API Reference: StopTrainingJob",
        "test/sandbox/test_rehearsal.py, test/sandbox/test_rehearsal_payload.py",
    ),
    Patch(
        "Rehearsed endpoints (payload/serve)",
        "rehearsal.serving",
        "An EndpointServer registered into endpoints.register_server. An endpoint whose model's "
        "weights (option.model_id / option.s3url in the ModelDataUrl's serving.properties, or an "
        "uncompressed ModelDataSource) are a rehearsed job's MODEL_S3_PATH, or whose scenario says "
        "rehearse: true, is Creating until payload/serve/local_server.py has "
        "loaded them from the sandbox's S3 (with --code-dir = the unpacked ModelDataUrl and --image = the "
        "Model's family:DJL version, so the entry point serving.properties names runs as on that image; a "
        "built-in one first passes payload/serve/djl/builtins.py's option checks of that image, whose "
        "refusal is the init call failing), "
        "then InService with that server as its invoke handler; a model whose init call fails gets the "
        "ping health-check FailureReason with the load error ('the model failed to load: Failed to "
        "initialize model: ...'), a server that never gets ready the same with its last lines; "
        "DeleteEndpoint stops the server.",
        "SageMaker API Reference: CreateEndpoint, DescribeEndpoint (FailureReason); LMI "
        "serving.properties option.model_id",
        "test/sandbox/test_rehearsal_payload.py, test/sandbox/test_rehearsal.py (served_updated_and_deleted, "
        "fails_to_load_fails_with_the_load_error; test_rehearsal_payload.py builtin_handler_refused); "
        "test/e2e/rehearsal.test.ts (trained weights cannot be loaded)",
    ),
    Patch(
        "EventBridge Scheduler one-time schedules",
        "scheduler",
        "at() schedules in their ScheduleExpressionTimezone fire when the sandbox clock passes them; "
        "universal targets aws-sdk:sagemaker:<action> (deleteEndpoint for TTLs) run with Input as "
        "parameters; ActionAfterCompletion DELETE removes the schedule; UpdateSchedule keeps it.",
        "EventBridge Scheduler API Reference: CreateSchedule, UpdateSchedule; User Guide: Using "
        "universal targets, Schedule types (one-time schedules)",
        "test/sandbox/test_scheduler.py",
    ),
    Patch(
        "Strict requests (every checked service, every operation)",
        "validation",
        "Before moto sees a request to SageMaker, SageMaker Runtime, S3, Scheduler, CloudWatch Logs, IAM, "
        "Secrets Manager or KMS, it is read in its wire protocol (json, query, rest-json, rest-xml) and held "
        "to that service's AWS model: required members, types, lengths, ranges, enums, patterns. An invalid "
        "request gets the service's answer, HTTP 400 in its protocol's error shape, naming the member as "
        "AWS does (\"1 validation error detected: Value 'x' at 'trainingJobName' failed to satisfy "
        'constraint: ..."): ValidationException (SageMaker, KMS, Secrets Manager, Scheduler), '
        "InvalidParameterException (Logs), ValidationError (IAM, SageMaker Runtime), InvalidArgument / "
        "MalformedXML (S3), SerializationException for a wrong JSON type. Hooked in server.py, not into "
        "moto; on by default, ZEROSTACK_SANDBOX_VALIDATION=off turns it off for diagnosis.",
        "botocore 1.44.8 data files (<service>/<version>/service-2.json.gz: the models the SDKs are built "
        "from); Smithy constraint traits; each service's API Reference, Common Errors",
        "test/sandbox/test_strict_requests.py::test_generated_invalid_requests_are_refused_as_aws_refuses_them",
    ),
    Patch(
        "Operations moto lacks",
        "validation.errors",
        "moto answers an operation it does not implement (iam:SimulatePrincipalPolicy, ...) with werkzeug's "
        "HTML 500 page, which AWS SDKs cannot parse. The sandbox answers 501 NotImplemented in the service's "
        "error shape: both botocore and the JS SDK v3 raise it as a normal service error and do not retry "
        "it; an action not in the model gets AWS's UnknownOperationException / InvalidAction; a crash inside "
        "moto gets InternalFailure (S3: InternalError), 500.",
        "S3 API Reference, Error responses (NotImplemented, 501); AWS Common Errors (InvalidAction); "
        "botocore retryhandler/standard retry and @smithy/util-retry (retried codes: 500, 502, 503, 504)",
        "test/sandbox/test_strict_requests.py::test_an_operation_the_sandbox_lacks_is_an_aws_error_that_is_not_retried",
    ),
    Patch(
        "Injected faults: throttling, bursts of 5xx, slow answers",
        "faults",
        "AWS throttles and has bad minutes; zerostack must ride them out with the SDK's own retries. Per "
        "service (SigV4 signing name), from a seeded generator: a share of requests answered with the "
        "service's throttling error (ThrottlingException 400; S3 SlowDown 503; Scheduler 429; IAM "
        "Throttling), the next N with 503 ServiceUnavailable, every answer delayed. Hooked in server.py "
        "before validation and moto, so a refused request changes nothing; POST /_zerostack/faults.",
        "AWS Common Errors (ThrottlingException, 400); S3 API Reference, Error responses (SlowDown, 503); "
        "EventBridge Scheduler API Reference (ThrottlingException, 429)",
        "test/sandbox/test_faults.py::test_sagemaker_throttling_is_a_throttling_exception_botocore_retries",
    ),
)

_applied = False


def apply_all() -> None:
    """Install every patch once (idempotent)."""
    global _applied
    if _applied:
        return
    for module in (training_jobs, logs, endpoints, invoke, scheduler):
        module.apply()
    _applied = True


def describe() -> list[dict[str, str]]:
    return [asdict(patch) for patch in PATCHES]


__all__ = ["PATCHES", "Patch", "apply_all", "artifacts", "describe"]
