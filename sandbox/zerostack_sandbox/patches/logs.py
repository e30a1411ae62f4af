"""Training logs in CloudWatch Logs, shaped like a multi-node DeepSpeed run on SageMaker.

SageMaker writes each host's stdout/stderr to the log group /aws/sagemaker/TrainingJobs, one
stream per host named `<job>/algo-<n>-<epoch seconds>` (CreateTrainingJob, "Monitor and Analyze
Training Jobs Using Amazon CloudWatch Metrics"). The sandbox writes a deterministic script of such
lines (toolkit start, torchrun, NCCL init, DeepSpeed ZeRO init, Trainer loss dicts) and puts each
line into moto's logs backend once the sandbox clock has passed its timestamp. MetricDefinitions
regexes are applied to every line, as SageMaker does, to give FinalMetricDataList.
"""

from __future__ import annotations

import hashlib
import math
import random
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from moto.logs.models import LogGroup, LogsBackend, logs_backends

from ..lifecycle import observes_time
from ..scenario import TrainingScenario

LOG_GROUP = "/aws/sagemaker/TrainingJobs"

GPUS_PER_INSTANCE = {
    "ml.p4d.24xlarge": 8,
    "ml.p4de.24xlarge": 8,
    "ml.p5.48xlarge": 8,
    "ml.p5e.48xlarge": 8,
    "ml.p5en.48xlarge": 8,
    "ml.p3.16xlarge": 8,
    "ml.p3.8xlarge": 4,
    "ml.p3dn.24xlarge": 8,
}
GPUS_BY_SIZE = {"12xlarge": 4, "24xlarge": 4, "48xlarge": 8}  # g5 / g6 / g6e families


def gpus_for(instance_type: str) -> int:
    if instance_type in GPUS_PER_INSTANCE:
        return GPUS_PER_INSTANCE[instance_type]
    return GPUS_BY_SIZE.get(instance_type.rsplit(".", 1)[-1], 1)


@dataclass(frozen=True)
class LogLine:
    at: float  # POSIX seconds, sandbox clock
    host: int  # 1-based, as in algo-<n>
    message: str


@dataclass(frozen=True)
class RunShape:
    """What the log script depends on; everything comes from the job and its scenario."""

    job_name: str
    instance_count: int
    instance_type: str
    hyper_parameters: dict[str, str]
    environment: dict[str, str]
    scenario: TrainingScenario
    training_start: float  # when the Training phase (the container) starts
    training_end: float  # when it would end if nothing went wrong
    model_uri: str


def _seed(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big")


def _stamp(at: float) -> str:
    """The toolkit's logging format: 2024-05-01 12:00:00,123."""
    moment = datetime.fromtimestamp(at, tz=UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S,") + f"{moment.microsecond // 1000:03d}"


def _ip(shape: RunShape, host: int) -> str:
    seed = _seed(f"{shape.job_name}/{host}")
    return f"10.0.{seed % 200 + 10}.{seed // 200 % 250 + 2}"


def _hyper(shape: RunShape, *names: str, default: str) -> str:
    for name in names:
        if name in shape.hyper_parameters:
            return str(shape.hyper_parameters[name]).strip('"')
    return default


def startup_lines(shape: RunShape, host: int) -> list[str]:
    """sagemaker-training-toolkit, torchrun, NCCL and DeepSpeed lines of one host."""
    nodes, gpus = shape.instance_count, gpus_for(shape.instance_type)
    master = _ip(shape, 1)
    zero = _hyper(shape, "zero_stage", default="3")
    model_id = _hyper(shape, "model_id", "model_name_or_path", default="google/flan-t5-xl")
    pid = 90 + host
    lines = [
        "bash: cannot set terminal process group (-1): Inappropriate ioctl for device",
        "bash: no job control in this shell",
        "{t} sagemaker-training-toolkit INFO     Imported framework sagemaker_pytorch_container.training",
        "{t} sagemaker-training-toolkit INFO     No Neurons detected (normal if no neurons installed)",
        "{t} sagemaker_pytorch_container.training INFO     Block until all host DNS lookups succeed.",
        "{t} sagemaker_pytorch_container.training INFO     Finished waiting for all host DNS lookups.",
        "{t} sagemaker-training-toolkit INFO     Invoking user script",
        "Invoking script with the following command:",
        "/opt/conda/bin/python3.10 start.py",
        f"node {host - 1} of {nodes}: master algo-1 ({master}), NCCL_SOCKET_IFNAME=eth0",
        f"torchrun --nnodes {nodes} --node_rank {host - 1} --nproc_per_node {gpus} "
        f"--master_addr {master} --master_port 23456 run_seq2seq_deepspeed.py "
        f"--model_id {model_id} --deepspeed configs/ds_zero{zero}.json",
        "[{t}] torch.distributed.run: [WARNING] Setting OMP_NUM_THREADS environment variable for "
        "each process to be 1 in default, to avoid your system being overloaded.",
        "[{t}] [INFO] [real_accelerator.py:191:get_accelerator] Setting ds_accelerator to cuda (auto detect)",
    ]
    efa = shape.environment.get("FI_PROVIDER") == "efa"
    for rank in range(gpus):
        prefix = f"algo-{host}:{pid + rank}:{pid + rank} [{rank}] NCCL INFO"
        lines.append(f"{prefix} Bootstrap : Using eth0:{_ip(shape, host)}<0>")
        if host == 1 and rank == 0:
            lines.append(f"{prefix} cudaDriverVersion 12020")
            lines.append(f"algo-1:{pid}:{pid} [0] NCCL INFO NCCL version 2.21.5+cuda12.4")
        lines.append(f"{prefix} NET/OFI Using aws-ofi-nccl 1.9.1aws")
        lines.append(f"{prefix} NET/OFI Selected Provider is {'efa' if efa else 'tcp'}")
    world = nodes * gpus
    for rank in range(gpus):
        global_rank = (host - 1) * gpus + rank
        tid = pid + rank + 1000
        lines.append(
            f"algo-{host}:{pid + rank}:{tid} [{rank}] NCCL INFO comm 0x55d{global_rank:04x} "
            f"rank {global_rank} nranks {world} cudaDev {rank} nvmlDev {rank} busId "
            f"{rank + 1}01c0 commId 0x{_seed(shape.job_name) % 16**12:012x} - Init COMPLETE"
        )
    first = (host - 1) * gpus  # the host's first global rank (in an f-string, {{t}} is the {t} stamped later)
    lines += [
        f"[{{t}}] [INFO] [logging.py:96:log_dist] [Rank {first}] DeepSpeed info: version=0.14.4, "
        "git-hash=unknown, git-branch=unknown",
        f"[{{t}}] [INFO] [logging.py:96:log_dist] [Rank {first}] Creating torch.bfloat16 ZeRO stage {zero} optimizer",
        "[{t}] [INFO] [stage3.py:130:__init__] Reduce bucket size 16777216",
        "[{t}] [INFO] [stage3.py:131:__init__] Prefetch bucket size 15099494",
        f"[{{t}}] [INFO] [logging.py:96:log_dist] [Rank {first}] DeepSpeed Final Optimizer = AdamW",
    ]
    if host == 1:
        epochs = _hyper(shape, "epochs", "num_train_epochs", default="1")
        lines += [
            "***** Running training *****",
            "  Num examples = 287,113",
            f"  Num Epochs = {epochs}",
            "  Instantaneous batch size per device = 8",
            f"  Total train batch size (w. parallel, distributed & accumulation) = {8 * world}",
            f"  Total optimization steps = {len(_loss_times(shape)) * 10:,}",
        ]
    return lines


def _loss_times(shape: RunShape) -> list[float]:
    """Trainer logging points: after the start-up block, one every log_interval_s."""
    duration = shape.training_end - shape.training_start
    begin = shape.training_start + min(duration * 0.2, 3.0)
    finish = shape.training_end - min(duration * 0.1, 1.0)
    step = shape.scenario.log_interval_s
    count = max(1, int((finish - begin) / step))
    return [begin + step * (index + 1) for index in range(count) if begin + step * (index + 1) <= finish] or [finish]


def loss_lines(shape: RunShape) -> list[LogLine]:
    """Hugging Face Trainer log dicts: loss falls from initial to final with seeded noise."""
    rng = random.Random(_seed(shape.job_name))
    times = _loss_times(shape)
    epochs = float(_hyper(shape, "epochs", "num_train_epochs", default="1"))
    learning_rate = float(_hyper(shape, "lr", "learning_rate", default="0.0001"))
    first, last = shape.scenario.initial_loss, shape.scenario.final_loss
    lines, losses = [], []
    for index, at in enumerate(times):
        progress = (index + 1) / len(times)
        loss = last + (first - last) * math.exp(-4 * progress) + rng.gauss(0, 0.02 * (first - last))
        loss = round(max(loss, 0.0001), 4)
        losses.append(loss)
        rate = learning_rate * (1 - index / len(times))
        lines.append(
            LogLine(
                at, 1, str({"loss": loss, "learning_rate": float(f"{rate:.4g}"), "epoch": round(epochs * progress, 2)})
            )
        )
    runtime = round(times[-1] - shape.training_start, 4)
    steps = len(times) * 10
    summary = {
        "train_runtime": runtime,
        "train_samples_per_second": round(steps * 8 / max(runtime, 0.001), 3),
        "train_steps_per_second": round(steps / max(runtime, 0.001), 3),
        "train_loss": round(sum(losses) / len(losses), 4),
        "epoch": epochs,
    }
    lines.append(LogLine(times[-1] + 0.001, 1, str(summary)))
    return lines


MODEL_FILES = (
    "config.json",
    "generation_config.json",
    "model.safetensors",
    "special_tokens_map.json",
    "tokenizer.json",
    "tokenizer_config.json",
)


def full_script(shape: RunShape) -> list[LogLine]:
    """The whole log of a run that goes well, every host, in time order."""
    lines: list[LogLine] = []
    startup_end = shape.training_start + min((shape.training_end - shape.training_start) * 0.2, 3.0)
    for host in range(1, shape.instance_count + 1):
        block = startup_lines(shape, host)
        gap = (startup_end - shape.training_start) / (len(block) + 1)
        for index, text in enumerate(block):
            at = shape.training_start + gap * index
            lines.append(LogLine(at, host, text.replace("{t}", _stamp(at))))
    lines += loss_lines(shape)
    done = lines[-1].at + 0.001
    prefix = shape.model_uri.rstrip("/")
    for index, name in enumerate(MODEL_FILES):
        lines.append(LogLine(done + index * 0.001, 1, f"cp /tmp/output/asset/{name} {prefix}/{name}"))
    end = shape.training_end
    for host in range(1, shape.instance_count + 1):
        for offset, text in (
            (0.002, "Waiting for the process to finish and give a return code."),
            (0.001, "Reporting training SUCCESS"),
        ):
            lines.append(
                LogLine(end - offset, host, f"{_stamp(end - offset)} sagemaker-training-toolkit INFO     {text}")
            )
    return sorted(lines, key=lambda line: (line.at, line.host))


def upload_point(shape: RunShape) -> float:
    """When rank 0 runs s5cmd: the first `cp` line."""
    return next(line.at for line in full_script(shape) if line.message.startswith("cp /tmp/output/asset/"))


def ending_lines(shape: RunShape, at: float, kind: str, reason: str) -> list[LogLine]:
    """What each host prints when the run is cut short: SIGTERM (stop, max runtime) or an error."""
    lines: list[LogLine] = []
    for host in range(1, shape.instance_count + 1):
        if kind == "Failed":
            texts = [
                "Traceback (most recent call last):",
                '  File "/opt/ml/code/run_seq2seq_deepspeed.py", line 186, in <module>',
                f"{reason.splitlines()[-1] if reason else 'RuntimeError'}",
                f"{_stamp(at)} sagemaker-training-toolkit ERROR    Reporting training FAILURE",
                f"{_stamp(at)} sagemaker-training-toolkit ERROR    ExecuteUserScriptError:",
            ]
        else:
            texts = [
                f"[{_stamp(at)}] torch.distributed.elastic.agent.server.api: [WARNING] Received "
                "Signals.SIGTERM death signal, shutting down workers",
            ]
        lines += [LogLine(at + index * 0.001, host, text) for index, text in enumerate(texts)]
    return lines


@dataclass
class LogCursor:
    """How far a job's script has been written into CloudWatch, and the metrics seen so far."""

    written: int = 0
    streams_created: bool = False
    metrics: dict[str, tuple[float, float]] = field(default_factory=dict)  # name -> (value, at)


def stream_name(shape: RunShape, host: int) -> str:
    return f"{shape.job_name}/algo-{host}-{int(shape.training_start)}"


def write_due_lines(
    account_id: str,
    region: str,
    shape: RunShape,
    script: list[LogLine],
    cursor: LogCursor,
    metric_definitions: list[dict[str, str]],
    now: float,
) -> None:
    """Append every line of `script` whose time has come, with its own timestamp."""
    if now < shape.training_start:
        return
    group = log_group(account_id, region)
    if not cursor.streams_created:
        for host in range(1, shape.instance_count + 1):
            name = stream_name(shape, host)
            if name not in group.streams:
                group.create_log_stream(name)
        cursor.streams_created = True
    due = [line for line in script[cursor.written :] if line.at <= now]
    for host in range(1, shape.instance_count + 1):
        events = [{"timestamp": int(line.at * 1000), "message": line.message} for line in due if line.host == host]
        if events:
            # The stream, not the backend: the sandbox clock may run hours ahead of the wall
            # clock, and moto's PutLogEvents rejects events more than 2 h in the future.
            group.streams[stream_name(shape, host)].put_log_events(events)
    for line in due:
        record_metrics(metric_definitions, line.message, line.at, cursor.metrics)
    cursor.written += len(due)


def record_metrics(
    metric_definitions: list[dict[str, str]], text: str, at: float, metrics: dict[str, tuple[float, float]]
) -> None:
    """Each MetricDefinitions regex that matches a log line sets its metric to the first group."""
    for definition in metric_definitions:
        match = re.search(definition["Regex"], text)
        if match:
            try:
                metrics[definition["Name"]] = (float(match.group(1)), at)
            except (IndexError, ValueError):
                pass


def log_group(account_id: str, region: str) -> LogGroup:
    """/aws/sagemaker/TrainingJobs in the account and region, created on first use."""
    backend = logs_backends[account_id][region]
    if LOG_GROUP not in backend.groups:
        backend.create_log_group(LOG_GROUP, tags={})
    return backend.groups[LOG_GROUP]


def apply() -> None:
    """Log reads first bring training jobs up to the clock, so their lines are there to read."""
    for name in ("get_log_events", "filter_log_events", "describe_log_streams", "start_live_tail"):
        setattr(LogsBackend, name, observes_time(getattr(LogsBackend, name)))
