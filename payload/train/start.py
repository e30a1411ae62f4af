"""Entry point of every node of a zerostack training job (SageMaker runs `python start.py`).

It works out this node's place in the cluster from SageMaker's environment (see launcher.py for
every variable it reads) and replaces itself with torchrun, which starts one train.py process per
GPU. exec rather than a child process: SageMaker's SIGTERM on a stop then reaches torchrun, which
stops the workers, and the job's exit code is torchrun's.
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

from launcher import LaunchError, plan

TRAIN_SCRIPT = Path(__file__).resolve().parent / "train.py"


def main() -> None:
    try:
        launch = plan(os.environ, TRAIN_SCRIPT)
    except LaunchError as err:
        print(f"start.py: {err}", file=sys.stderr, flush=True)
        raise SystemExit(2) from None
    node = launch.node
    print(
        f"start.py: node {node.rank} of {len(node.hosts)} ({node.current_host}), master {node.master_host} at "
        f"{node.master_addr}:{node.master_port}, {node.nproc_per_node} process(es) per node",
        flush=True,
    )
    for note in launch.notes:
        print(f"start.py: {note}", flush=True)
    print(f"start.py: {shlex.join(launch.argv)}", flush=True)
    os.execve(launch.argv[0], launch.argv, launch.env)


if __name__ == "__main__":
    main()
