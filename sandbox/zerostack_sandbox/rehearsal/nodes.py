"""The nodes of a rehearsal: one `python start.py` process per SageMaker host, on this machine.

Each node gets the environment SageMaker's toolkit gives a host (SM_HOSTS, SM_CURRENT_HOST,
SM_TRAINING_ENV with master_hostname algo-1, SM_HPS, SM_CHANNEL_*, SM_MODEL_DIR, SM_NUM_GPUS=0 on
CPU, the job's Environment) plus the payload's documented overrides for several nodes on one
machine (payload/README.md, test/payload/test_two_nodes.py): ZEROSTACK_OPT_ML (its own /opt/ml),
ZEROSTACK_MASTER_ADDR=127.0.0.1 on a free ZEROSTACK_MASTER_PORT, ZEROSTACK_NPROC_PER_NODE=1, its
own TMPDIR, AWS_ENDPOINT_URL = the sandbox with dummy credentials. Every node runs in its own
process group (torchrun and its workers share it), so a stop reaches all of them; the group is led
by guard.py, which ends it when the sandbox dies, even by SIGKILL (Linux PR_SET_PDEATHSIG).
stdout and stderr are read line by line, with the time each line arrived.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path

from .bundle import JobInputs, user_hyperparameters

FAKE_AWS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
}
# Nothing may leave the machine: the tiny model and its tokenizer are built from a config.
OFFLINE = {"HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
# Passed through from the sandbox's own environment when set (paths, locale, caches).
INHERITED = ("PATH", "HOME", "LANG", "LC_ALL", "HF_HOME", "XDG_CACHE_HOME")

GUARD = Path(__file__).resolve().parent / "guard.py"

Sink = Callable[[float, str], None]  # (wall time the line arrived, line)


def host_name(index: int) -> str:
    return f"algo-{index + 1}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def node_env(
    inputs: JobInputs,
    environment: dict[str, str],
    hosts: list[str],
    rank: int,
    opt_ml: Path,
    tmpdir: Path,
    master_port: int,
    endpoint_url: str,
    module_dir: str,
    program: str,
) -> dict[str, str]:
    current = hosts[rank]
    channels = {c.name: str(opt_ml / "input" / "data" / c.name) for c in inputs.channels}
    hps = user_hyperparameters(inputs.hyper_parameters)
    training_env = {
        "master_hostname": hosts[0],
        "hosts": hosts,
        "current_host": current,
        "num_gpus": 0,
        "channel_input_dirs": channels,
        "hyperparameters": hps,
        "job_name": inputs.job_name,
        "module_dir": module_dir,
        "module_name": Path(program).stem,
        "user_entry_point": program,
        "model_dir": str(opt_ml / "model"),
        "output_data_dir": str(opt_ml / "output" / "data"),
    }
    inherited = {name: os.environ[name] for name in INHERITED if name in os.environ}
    env = {
        **inherited,
        **OFFLINE,
        "CUDA_VISIBLE_DEVICES": "",
        "OMP_NUM_THREADS": "1",
        "TOKENIZERS_PARALLELISM": "false",
        "PYTHONUNBUFFERED": "1",
        "AWS_DEFAULT_REGION": inputs.region,
        "AWS_REGION": inputs.region,
        "NODE_NUMBER": str(len(hosts)),
        # the job's Environment, as SageMaker sets it in every container
        **environment,
        "SM_HOSTS": json.dumps(hosts),
        "SM_CURRENT_HOST": current,
        "SM_TRAINING_ENV": json.dumps(training_env),
        "SM_NUM_GPUS": "0",
        "SM_NUM_CPUS": str(os.cpu_count() or 1),
        "SM_HPS": json.dumps(hps),
        "SM_CHANNELS": json.dumps(sorted(channels)),
        **{f"SM_CHANNEL_{name.upper()}": path for name, path in channels.items()},
        "SM_MODEL_DIR": str(opt_ml / "model"),
        "SM_INPUT_DIR": str(opt_ml / "input"),
        "SM_INPUT_CONFIG_DIR": str(opt_ml / "input" / "config"),
        "SM_OUTPUT_DIR": str(opt_ml / "output"),
        "SM_OUTPUT_DATA_DIR": str(opt_ml / "output" / "data"),
        "SM_MODULE_DIR": module_dir,
        "SM_MODULE_NAME": Path(program).stem,
        "SM_USER_ENTRY_POINT": program,
        "TRAINING_JOB_NAME": inputs.job_name,
        # the local overrides the payload documents for several nodes on one machine
        "ZEROSTACK_OPT_ML": str(opt_ml),
        "ZEROSTACK_MASTER_ADDR": "127.0.0.1",
        "ZEROSTACK_MASTER_PORT": str(master_port),
        "ZEROSTACK_NPROC_PER_NODE": "1",
        "TMPDIR": str(tmpdir),
        "AWS_ENDPOINT_URL": endpoint_url,
        **FAKE_AWS,
    }
    env.pop("AWS_ENDPOINT_URL_S3", None)  # one endpoint for everything: the sandbox
    env.pop("AWS_PROFILE", None)
    return env


class Process:
    """A child in its own process group whose output lines go to `sink` as they come."""

    def __init__(self, argv: list[str], cwd: Path, env: dict[str, str], sink: Sink, tail_lines: int = 200) -> None:
        self.argv = argv
        self.tail: deque[str] = deque(maxlen=tail_lines)
        guarded = [sys.executable, str(GUARD), str(os.getpid()), "--", *argv]
        self.popen = subprocess.Popen(
            guarded,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            bufsize=1,
            start_new_session=True,
        )
        self._sink = sink
        self._reader = threading.Thread(target=self._read, name=f"rehearsal-reader-{self.popen.pid}", daemon=True)
        self._reader.start()

    @property
    def pid(self) -> int:
        return self.popen.pid

    def _read(self) -> None:
        assert self.popen.stdout is not None
        for raw in self.popen.stdout:
            line = raw.rstrip("\n")
            if not line.strip():
                continue
            self.tail.append(line)
            self._sink(time.time(), line)

    def poll(self) -> int | None:
        return self.popen.poll()

    def wait_output(self, timeout_s: float = 5.0) -> None:
        """After the process ended: wait until its last lines were read."""
        self._reader.join(timeout=timeout_s)

    def signal_group(self, signum: int) -> None:
        try:
            os.killpg(self.popen.pid, signum)
        except (ProcessLookupError, PermissionError):
            pass

    def terminate(self, grace_s: float) -> int:
        """SIGTERM to the group, SIGKILL after `grace_s`; returns the exit code."""
        if self.popen.poll() is None:
            self.signal_group(signal.SIGTERM)
            try:
                self.popen.wait(timeout=grace_s)
            except subprocess.TimeoutExpired:
                pass
        # torchrun's workers share the group and may outlive it: the group goes in any case
        self.signal_group(signal.SIGKILL)
        code = self.popen.wait()
        self.wait_output()
        return code
