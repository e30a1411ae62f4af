"""Rehearsals: a sandbox training job that runs the real payload, and an endpoint that serves it.

`npx zerostack up --preset tiny --rehearse` asks the sandbox to execute the job instead of playing
its simulated timeline: the source bundle and channels come out of the sandbox's S3 into one
temporary /opt/ml per host (bundle.py), one `python start.py` process per host runs the payload on
CPU over gloo (nodes.py, training.py), its real lines go to CloudWatch, rank 0 uploads the model
to MODEL_S3_PATH through the sandbox's own S3 endpoint, and an endpoint on that model is served by
payload/serve/local_server.py (serving.py).

A job is rehearsed when its Environment has ZEROSTACK_REHEARSE=1 (what the TypeScript side sets)
or its training scenario says `rehearse: true` (POST /_zerostack/scenario
{"training_jobs": {"<name>": {"rehearse": true}}}, for tests). The server needs
ZEROSTACK_PAYLOAD_PYTHON (settings.py). A rehearsal runs in real time: the sandbox clock's speed
and advances do not shorten it. No rehearsal process outlives the server: stop and reset end them.
"""

from __future__ import annotations

from . import serving, settings, training

ENV_FLAG = "ZEROSTACK_REHEARSE"


def wanted(environment: dict[str, str], scenario_rehearse: bool) -> bool:
    return scenario_rehearse or settings.truthy(environment.get(ENV_FLAG))


def shutdown_all() -> None:
    """End every rehearsal process (training nodes, model servers); call without the LOCK held."""
    training.shutdown_all()
    serving.shutdown_all()


def running_pids() -> list[int]:
    return training.running_pids() + serving.running_pids()


__all__ = ["ENV_FLAG", "serving", "settings", "shutdown_all", "training", "wanted", "running_pids"]
