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

The lifecycle patches know nothing of rehearsals: `install()` registers them into the hooks that
patches/training_jobs.py (a JobRunner) and patches/endpoints.py (an EndpointServer) offer.
"""

from __future__ import annotations

from ..patches import endpoints, training_jobs
from . import serving, settings, training
from .training import ENV_FLAG, wanted


def install() -> None:
    """Register the rehearsals into the lifecycle patches (idempotent); after patches.apply_all()."""
    training_jobs.register_runner(training.RUNNER)
    endpoints.register_server(serving.SERVER)


def shutdown_all() -> None:
    """End every rehearsal process (training nodes, model servers); call without the LOCK held."""
    training.shutdown_all()
    serving.shutdown_all()


def running_pids() -> list[int]:
    return training.running_pids() + serving.running_pids()


__all__ = ["ENV_FLAG", "install", "running_pids", "serving", "settings", "shutdown_all", "training", "wanted"]
