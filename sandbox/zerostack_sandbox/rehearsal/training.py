"""A rehearsed training job: the real payload runs as N local processes, one per host.

The job's state on the moto object (`sandbox_rehearsal`, a plain picklable `RehearsalState`) is
what DescribeTrainingJob shows; a `Runner` thread, kept in this module's registry and never in the
snapshot, moves it on as things really happen:

  InProgress/Starting     the payload Python is checked, a temporary root is made
  InProgress/Downloading  sourcedir.tar.gz and the channels come from the sandbox's S3 (bundle.py)
  InProgress/Training     one `python <sagemaker_program>` per host (nodes.py); their lines go to
                          the host's stream <job>/algo-<n>-<epoch> as they come
  InProgress/Uploading    both exited 0; a non-empty /opt/ml/model of algo-1 goes to
                          <S3OutputPath>/<job>/output/model.tar.gz as SageMaker would
  Completed | Failed (AlgorithmError: ExecuteUserScriptError with the node's last error lines)
  | Stopping -> Stopped (StopTrainingJob: SIGTERM to every node's process group, SIGKILL after
  the grace) | Stopped/MaxRuntimeExceeded (StoppingCondition.MaxRuntimeInSeconds of wall time)

Phase times are sandbox-clock times taken when each phase really begins, so they agree with the
rest of the sandbox; but the rehearsal itself runs in real time: the clock's speed and advances do
not make it faster. TrainingTimeInSeconds and BillableTimeInSeconds (wall-clock, as AWS reports it) are real
wall seconds. Log lines are stamped with the sandbox clock when they arrive (= wall time at speed 1).

`RUNNER` is this module's hook into patches/training_jobs.py (registered by rehearsal.install()).
"""

from __future__ import annotations

import io
import re
import shutil
import tarfile
import tempfile
import threading
import time
import traceback
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from moto.s3.models import s3_backends
from moto.sagemaker.models import FakeTrainingJob

from ..clock import clock
from ..lifecycle import LOCK
from ..patches import logs
from ..patches.training_jobs import JobRunner, NewJob
from ..training_status import FINAL, Shown, show
from ..training_status import MESSAGES as TIMELINE_MESSAGES
from . import bundle, nodes, settings

ENV_FLAG = "ZEROSTACK_REHEARSE"  # in the job's Environment: rehearse it (what the TypeScript side sets)
# SageMaker's status messages, the one difference saying that local processes do the work
MESSAGES = {
    **TIMELINE_MESSAGES,
    "Starting": "Preparing the instances for training (sandbox rehearsal: local processes)",
}
ERROR_LINE = re.compile(r"^\s*([A-Za-z_][\w.]*(Error|Exception|Interrupt|Exit)\b.*)$")
# torchrun (torch >= 2.2) prefixes a failed worker's traceback lines with its rank
RANK_PREFIX = re.compile(r"^\[(?:default)?rank\d+\]: ?")
MAX_EVENT_CHARS = 256 * 1024 - 26  # PutLogEvents: 256 KB per event including 26 bytes overhead


@dataclass
class PhaseRecord:
    status: str  # SecondaryStatus
    job_status: str  # TrainingJobStatus
    start: float  # sandbox clock
    end: float | None = None
    wall_start: float = 0.0


@dataclass
class RehearsalState:
    """Everything DescribeTrainingJob and the log reads need; pickled with the sandbox state."""

    account_id: str
    region: str
    job_name: str
    instance_count: int
    max_runtime_s: float
    metric_definitions: list[dict[str, str]]
    model_uri: str
    phases: list[PhaseRecord] = field(default_factory=list)
    failure_reason: str | None = None
    stream_epoch: int | None = None
    metrics: dict[str, tuple[float, float]] = field(default_factory=dict)
    stop_requested: bool = False
    lines_written: int = 0

    @property
    def current(self) -> PhaseRecord:
        return self.phases[-1]

    @property
    def is_final(self) -> bool:
        return bool(self.phases) and self.current.job_status in FINAL

    def enter(self, status: str, job_status: str = "InProgress") -> None:
        now, wall = clock.timestamp(), time.time()
        if self.phases and self.current.end is None:
            self.current.end = now
        self.phases.append(PhaseRecord(status, job_status, now, now if job_status in FINAL else None, wall))


def stream_name(state: RehearsalState, host: int) -> str:
    return f"{state.job_name}/algo-{host}-{state.stream_epoch}"


# -- runtime (never pickled) -------------------------------------------------------------------


class Runner:
    """The thread that drives one rehearsed job; holds the node processes and unread lines."""

    def __init__(
        self,
        job: FakeTrainingJob,
        state: RehearsalState,
        inputs: bundle.JobInputs,
        environment: dict[str, str],
        output_path: str,
    ) -> None:
        self.job, self.state, self.inputs = job, state, inputs
        self.environment = environment
        self.output_path = output_path
        self.pending: deque[tuple[float, int, str]] = deque()  # (sandbox time, host, line)
        self.processes: list[nodes.Process] = []
        self.stop_event = threading.Event()
        self.root: Path | None = None
        self.thread = threading.Thread(target=self._run, name=f"rehearsal-{state.job_name}", daemon=True)

    def start(self) -> None:
        self.thread.start()

    # the phases ---------------------------------------------------------------------------

    def _enter(self, status: str, job_status: str = "InProgress") -> None:
        with LOCK:
            self.state.enter(status, job_status)

    def _fail(self, reason: str) -> None:
        with LOCK:
            self.state.failure_reason = reason
            self.state.enter("Failed", "Failed")

    def note(self, host: int, text: str) -> None:
        """A line of the sandbox's own, in the host's stream (as the toolkit writes its own)."""
        self.pending.append((clock.timestamp(), host, f"zerostack-sandbox rehearsal: {text}"))

    def _run(self) -> None:
        try:
            self._rehearse()
        except Exception as error:  # a bug here must end the job, never leave it InProgress
            traceback.print_exc()
            self._terminate_all(grace_s=1.0)
            if not self.state.is_final:
                self._fail(f"InternalServerError: sandbox rehearsal failed: {error!r}")
        finally:
            if self.root is not None and not settings.keep_workdirs():
                shutil.rmtree(self.root, ignore_errors=True)

    def _stopped(self) -> bool:
        if not self.stop_event.is_set():
            return False
        self._enter("Stopped", "Stopped")
        return True

    def _rehearse(self) -> None:
        python = settings.payload_python()
        if python is None:
            self._fail(settings.missing_python_reason())
            return
        self.root = Path(tempfile.mkdtemp(prefix=f"job-{self.state.job_name[:40]}-", dir=settings.work_root()))
        if self._stopped():
            return
        self._enter("Downloading")
        try:
            source, program = bundle.source_bundle(self.inputs)
            data = bundle.channel_files(self.inputs)
            hosts = [nodes.host_name(index) for index in range(self.state.instance_count)]
            layouts = []
            edits: list[str] = []
            for host in hosts:
                opt_ml = self.root / host / "opt" / "ml"
                code = bundle.lay_out_node(opt_ml, self.inputs, source, data)
                edits = bundle.edit_ds_config(code, self.inputs)
                tmpdir = self.root / host / "tmp"
                tmpdir.mkdir(parents=True)
                layouts.append((opt_ml, code, tmpdir))
        except bundle.StageError as error:
            self._fail(str(error))
            return
        if not (layouts[0][1] / program).is_file():
            self._fail(
                f"AlgorithmError: ExecuteUserScriptError:\nExitCode 2\nErrorMessage \"python: can't open file "
                f"'/opt/ml/code/{program}': [Errno 2] No such file or directory\"\n"
                f'Command "{Path(python).name} {program}", exit code: 2'
            )
            return
        if self._stopped():
            return

        self._enter("Training")
        with LOCK:
            self.state.stream_epoch = int(clock.timestamp())
        for host in range(1, len(hosts) + 1):
            for edit in edits:
                self.note(host, edit)
        port = nodes.free_port()
        module_dir = bundle.unquote(self.inputs.hyper_parameters.get("sagemaker_submit_directory", ""))
        for rank, (opt_ml, code, tmpdir) in enumerate(layouts):
            env = nodes.node_env(
                self.inputs,
                self.environment,
                hosts,
                rank,
                opt_ml,
                tmpdir,
                port,
                settings.endpoint_url(),
                module_dir,
                program,
            )
            host = rank + 1
            self.note(
                host,
                f"{hosts[rank]} runs `{python} {program}` in {code} (the real payload, CPU, master 127.0.0.1:{port})",
            )
            sink = lambda at, line, host=host: self.pending.append((clock.timestamp(), host, line))  # noqa: E731
            self.processes.append(nodes.Process([python, program], code, env, sink))
        if self._wait_for_nodes() == "ok" and not self._stopped():
            self._upload(layouts[0][0])
            self._enter("Completed", "Completed")

    def _wait_for_nodes(self) -> str:
        """'ok' when every node exited 0; otherwise the job has already ended (Failed/Stopped)."""
        started = time.time()
        while True:
            if self.stop_event.is_set():  # before the exit codes: a stop's SIGTERM is no failure
                self._terminate_all(grace_s=settings.stop_grace_s())
                self._enter("Stopped", "Stopped")
                return "stopped"
            codes = [process.poll() for process in self.processes]
            failed = [(index, code) for index, code in enumerate(codes) if code not in (None, 0)]
            if failed:
                index, code = failed[0]
                # SageMaker ends the whole cluster when one host's script fails
                self._terminate_all(grace_s=settings.failure_grace_s())
                process = self.processes[index]
                for other, node in enumerate(self.processes):
                    self.note(other + 1, f"algo-{other + 1} exited with code {node.poll()}")
                self._fail(failure_reason(list(process.tail), int(code or 1), process.argv))
                return "failed"
            if all(code == 0 for code in codes):
                for process in self.processes:
                    process.wait_output()
                for index in range(len(self.processes)):
                    self.note(index + 1, f"algo-{index + 1} exited with code 0")
                return "ok"
            if time.time() - started > self.state.max_runtime_s:
                self._terminate_all(grace_s=settings.stop_grace_s())
                self._enter("MaxRuntimeExceeded", "Stopped")
                return "stopped"
            time.sleep(0.1)

    def _upload(self, opt_ml: Path) -> None:
        """SageMaker's own upload: /opt/ml/model of the first host, as model.tar.gz (usually empty here)."""
        self._enter("Uploading")
        model_dir = opt_ml / "model"
        files = [path for path in model_dir.rglob("*") if path.is_file()]
        if not files:
            return
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
            for path in files:
                archive.add(path, arcname=str(path.relative_to(model_dir)))
        uri = f"{self.output_path.rstrip('/')}/{self.state.job_name}/output/model.tar.gz"
        bucket_name, key = bundle.split_s3_uri(uri)
        with LOCK:
            s3_backends[self.state.account_id]["aws"].put_object(bucket_name, key, buffer.getvalue())

    def _terminate_all(self, grace_s: float) -> None:
        threads = [
            threading.Thread(target=process.terminate, args=(grace_s,), daemon=True) for process in self.processes
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=grace_s + 10)

    def request_stop(self) -> None:
        self.stop_event.set()

    def shutdown(self, grace_s: float = 2.0) -> None:
        """Server stop or reset: end the processes now and wait for the thread."""
        self.stop_event.set()
        self._terminate_all(grace_s)
        self.thread.join(timeout=grace_s + 10)


def error_blocks(tail: list[str]) -> list[str]:
    """Each exception line of the output with the indented lines of its message that follow it."""
    blocks = []
    tail = [RANK_PREFIX.sub("", line) for line in tail]
    for index, line in enumerate(tail):
        match = ERROR_LINE.match(line)
        if not match:
            continue
        block = [match.group(1)]
        for follower in tail[index + 1 : index + 6]:
            if not follower.startswith((" ", "\t")) or follower.lstrip().startswith(("File ", "^", "~")):
                break
            block.append(follower.strip())
        blocks.append("\n".join(block))
    return blocks


def failure_reason(tail: list[str], code: int, argv: list[str]) -> str:
    """SageMaker's FailureReason for a user script that failed, with the node's last error lines."""
    errors = error_blocks(tail)
    preferred = [
        block
        for block in errors
        if "ChildFailedError" not in block and not block.startswith("torch.distributed.elastic")
    ]
    chosen = (preferred or errors)[-1:] or tail[-5:]
    message = "\n".join(chosen).replace('"', "'")
    command = f"{Path(argv[0]).name} {' '.join(argv[1:])}"
    return (
        f'AlgorithmError: ExecuteUserScriptError:\nExitCode {code}\nErrorMessage "{message}"\n'
        f'Command "{command}", exit code: {code}'
    )


_runners: dict[tuple[str, str, str], Runner] = {}
_runners_lock = threading.Lock()


def start(
    job: FakeTrainingJob, state: RehearsalState, inputs: bundle.JobInputs, environment: dict[str, str], output_path: str
) -> None:
    runner = Runner(job, state, inputs, environment, output_path)
    with _runners_lock:
        _runners[(state.account_id, state.region, state.job_name)] = runner
    runner.start()


def runner_for(state: RehearsalState) -> Runner | None:
    with _runners_lock:
        return _runners.get((state.account_id, state.region, state.job_name))


def shutdown_all() -> None:
    with _runners_lock:
        runners = list(_runners.values())
        _runners.clear()
    threads = [threading.Thread(target=runner.shutdown, daemon=True) for runner in runners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=15)


def running_pids() -> list[int]:
    with _runners_lock:
        return [p.pid for r in _runners.values() for p in r.processes if p.poll() is None]


# -- what DescribeTrainingJob and the log reads see (called under LOCK) -------------------------


def write_pending(runner: Runner) -> None:
    """Put the lines that arrived into the hosts' streams; MetricDefinitions see each line."""
    state = runner.state
    if state.stream_epoch is None:
        return
    lines = []
    while runner.pending:
        lines.append(runner.pending.popleft())
    if not lines:
        return
    group = logs.log_group(state.account_id, state.region)
    for host in range(1, state.instance_count + 1):
        name = stream_name(state, host)
        if name not in group.streams:
            group.create_log_stream(name)
        events = [
            {"timestamp": int(at * 1000), "message": text[:MAX_EVENT_CHARS]}
            for at, line_host, text in lines
            if line_host == host
        ]
        if events:
            group.streams[name].put_log_events(events)
    for at, _host, text in lines:
        logs.record_metrics(state.metric_definitions, text, at, state.metrics)
    state.lines_written += len(lines)


def ensure_streams(state: RehearsalState) -> None:
    if state.stream_epoch is None:
        return
    group = logs.log_group(state.account_id, state.region)
    for host in range(1, state.instance_count + 1):
        if stream_name(state, host) not in group.streams:
            group.create_log_stream(stream_name(state, host))


def project(job: FakeTrainingJob, state: RehearsalState) -> None:
    """Set the moto object's fields from the recorded phases; billed in real (wall) seconds."""
    if not state.phases:
        return
    show(
        job,
        [Shown(p.status, p.job_status, p.start, p.end, p.wall_start) for p in state.phases],
        failure_reason=state.failure_reason,
        metrics=state.metrics,
        messages=MESSAGES,
    )


def advance(job: FakeTrainingJob, state: RehearsalState) -> None:
    """Observer step: write the lines that came in, then show the status."""
    runner = runner_for(state)
    if runner is not None:
        ensure_streams(state)
        write_pending(runner)
    elif not state.is_final:
        # the sandbox restarted (or was reset) while the job ran: its processes are gone
        state.failure_reason = "InternalServerError: the sandbox stopped while this rehearsal ran; start the job again"
        state.enter("Failed", "Failed")
    project(job, state)


def stop(job: FakeTrainingJob, state: RehearsalState) -> None:
    """StopTrainingJob on a rehearsed job: Stopping now, Stopped once every node has ended."""
    state.stop_requested = True
    state.enter("Stopping", "Stopping")
    runner = runner_for(state)
    if runner is not None:
        runner.request_stop()
    project(job, state)


# -- the hook into patches/training_jobs.py -----------------------------------------------------


def wanted(environment: dict[str, str], scenario_rehearse: bool) -> bool:
    return scenario_rehearse or settings.truthy(environment.get(ENV_FLAG))


def claims(new: NewJob) -> bool:
    return wanted(new.environment, new.scenario.rehearse)


def start_job(job: FakeTrainingJob, new: NewJob) -> None:
    """The real payload instead of the timeline; InProgress/Starting now."""
    state = RehearsalState(
        account_id=new.account_id,
        region=new.region,
        job_name=job.training_job_name,
        instance_count=new.instance_count,
        max_runtime_s=float(job.stopping_condition["MaxRuntimeInSeconds"]),
        metric_definitions=new.metric_definitions,
        model_uri=new.model_uri,
    )
    state.enter("Starting")
    job.sandbox_rehearsal = state
    channels = tuple(
        bundle.Channel(c["ChannelName"], c["DataSource"]["S3DataSource"]["S3Uri"])
        for c in (job.input_data_config or [])
        if (c.get("DataSource") or {}).get("S3DataSource", {}).get("S3Uri")
    )
    inputs = bundle.JobInputs(
        account_id=new.account_id,
        region=new.region,
        job_name=job.training_job_name,
        role_arn=job.role_arn,
        hyper_parameters={str(k): str(v) for k, v in (job.hyper_parameters or {}).items()},
        channels=channels,
        ds_config_edit=new.scenario.ds_config_edit,
    )
    output_path = (job.output_data_config or {}).get("S3OutputPath", "s3://sagemaker-sandbox")
    project(job, state)
    start(job, state, inputs, new.environment, output_path)


def advance_job(job: FakeTrainingJob) -> bool:
    state: RehearsalState | None = getattr(job, "sandbox_rehearsal", None)
    if state is None:
        return False
    advance(job, state)
    return True


def stop_job(job: FakeTrainingJob) -> bool:
    state: RehearsalState | None = getattr(job, "sandbox_rehearsal", None)
    if state is None:
        return False
    stop(job, state)
    return True


RUNNER = JobRunner(claims=claims, start=start_job, advance=advance_job, stop=stop_job)
