"""What DescribeTrainingJob shows of a job's phases: status messages, times, billing, metrics.

Two things move a sandbox training job through its phases: the simulated timeline
(patches/training_jobs.py, worked out from the sandbox clock) and a rehearsal (rehearsal/training.py,
the real payload in real time). Both hand their phases to `show`, so the statuses, the
SecondaryStatusTransitions and BillableTimeInSeconds follow one set of rules.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from moto.sagemaker.models import FakeTrainingJob

from .clock import to_datetime

# SecondaryStatusTransition.StatusMessage per SecondaryStatus (DescribeTrainingJob).
MESSAGES = {
    "Starting": "Preparing the instances for training",
    "Downloading": "Downloading input data",
    "Training": "Training image download completed. Training in progress.",
    "Uploading": "Uploading generated training model",
    "Completed": "Training job completed",
    "Failed": "Training job failed",
    "Stopping": "Stopping the training job",
    "Stopped": "Training job stopped",
    "MaxRuntimeExceeded": "Training job exceeded the MaxRuntimeInSeconds provided",
}
FINAL = ("Completed", "Failed", "Stopped")  # TrainingJobStatus values that never change again

Metrics = Mapping[str, tuple[float, float]]  # MetricDefinitions name -> (last value, when)


@dataclass(frozen=True)
class Shown:
    """One phase as DescribeTrainingJob shows it."""

    status: str  # SecondaryStatus
    job_status: str  # TrainingJobStatus while in this phase
    start: float  # sandbox clock
    end: float | None  # sandbox clock; None while the phase lasts
    billed_from: float  # when it began on the clock that bills: sandbox clock, or real time for a rehearsal


def billable_seconds(training_s: float) -> int:
    """BillableTimeInSeconds: wall-clock seconds of training, at least 1; the bill is this x
    InstanceCount (DescribeTrainingJob API reference)."""
    return max(1, math.ceil(round(training_s, 3)))  # round first: no float fuzz


def final_metric_data(metrics: Metrics) -> list[dict[str, Any]]:
    """FinalMetricDataList: the last value each MetricDefinitions regex found in the logs."""
    return [
        {
            "MetricName": name,
            "Value": value,
            "Timestamp": datetime.fromtimestamp(at, tz=UTC).replace(tzinfo=None),
        }
        for name, (value, at) in metrics.items()
    ]


def show(
    job: FakeTrainingJob,
    phases: Sequence[Shown],
    *,
    failure_reason: str | None,
    metrics: Metrics,
    messages: Mapping[str, str] = MESSAGES,
) -> None:
    """Set the moto object's DescribeTrainingJob fields from the phases seen so far (oldest first)."""
    current = phases[-1]
    job.training_job_status = current.job_status
    job.secondary_status = current.status
    job.last_modified_time = to_datetime(current.start)
    job.secondary_status_transitions = [
        {
            "Status": phase.status,
            "StartTime": to_datetime(phase.start),
            **({"EndTime": to_datetime(phase.end)} if phase.end is not None else {}),
            "StatusMessage": messages[phase.status],
        }
        for phase in phases
    ]
    # TrainingStartTime is when Downloading began: the instances are up and billed from then on
    downloading = next((phase for phase in phases if phase.status == "Downloading"), None)
    job.training_start_time = to_datetime(downloading.start) if downloading is not None else None
    job.training_end_time = job.training_time_in_seconds = job.billable_time_in_seconds = None
    if current.job_status in FINAL and downloading is not None:
        seconds = billable_seconds(current.billed_from - downloading.billed_from)
        job.training_end_time = to_datetime(current.start)
        job.training_time_in_seconds = seconds
        job.billable_time_in_seconds = seconds
    job.failure_reason = failure_reason if current.job_status == "Failed" else None
    job.final_metric_data_list = final_metric_data(metrics)
