"""How one SageMaker node turns its environment into a torchrun command line.

Everything here is a pure function of an environment mapping (plus a hostname resolver), so the
command every node runs is unit-tested for 1, 2 and 4 nodes without a cluster. start.py only reads
os.environ, calls `plan()`, and execs the result.

SageMaker (through the sagemaker-training toolkit in the training images) gives each node:
  SM_HOSTS            JSON list of host names, the same order on every node ("algo-1", "algo-2")
  SM_CURRENT_HOST     this node's name; its index in SM_HOSTS is the node rank
  SM_TRAINING_ENV     JSON; its `master_hostname` is the host that runs rank 0
  SM_NUM_GPUS         GPUs on this node = processes per node
  SM_HPS              the hyperparameters as JSON (also in <opt/ml>/input/config/hyperparameters.json)
Overrides for local rehearsals (several "nodes" on one machine, no GPU, no /opt/ml):
  ZEROSTACK_MASTER_ADDR, ZEROSTACK_MASTER_PORT, ZEROSTACK_NPROC_PER_NODE, ZEROSTACK_OPT_ML,
  and TMPDIR, which stands in for the node-local /tmp.
"""

from __future__ import annotations

import json
import socket
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_OPT_ML = "/opt/ml"
DEFAULT_MASTER_PORT = "23456"  # the seed's port; any free port works as long as all nodes agree
# EFA with GPUDirect RDMA on p4d/p5 (the seed reports a very large speed-up). The TypeScript side
# sets them; we pass them through untouched and only name them in the log.
EFA_ENV_NAMES = ("FI_PROVIDER", "NCCL_PROTO", "FI_EFA_USE_DEVICE_RDMA")
# Hyperparameters that name a file of the source bundle; SageMaker's working directory is the
# bundle, but a rehearsal may start elsewhere, so they are made absolute against the bundle.
BUNDLE_PATH_HYPERPARAMETERS = ("deepspeed",)
# Hyperparameters that name a node-local path under /tmp (seed tips 5 and 9: never /opt/ml/model).
NODE_LOCAL_PATH_HYPERPARAMETERS = ("output_dir",)

Resolver = Callable[[str], str]


class LaunchError(ValueError):
    """The node's environment cannot describe a distributed run; the message says what to fix."""


@dataclass(frozen=True)
class Node:
    hosts: list[str]
    current_host: str
    rank: int
    master_host: str
    master_addr: str
    master_port: str
    nproc_per_node: int


@dataclass(frozen=True)
class LaunchPlan:
    node: Node
    argv: list[str]
    env: dict[str, str]
    notes: list[str] = field(default_factory=list)


def opt_ml(env: Mapping[str, str]) -> Path:
    return Path(env.get("ZEROSTACK_OPT_ML", DEFAULT_OPT_ML))


def _json(env: Mapping[str, str], name: str) -> object:
    try:
        return json.loads(env[name])
    except KeyError:
        raise LaunchError(
            f"{name} is not set; start.py must run inside a SageMaker training job (or set it for a rehearsal)"
        ) from None
    except json.JSONDecodeError as err:
        raise LaunchError(f"{name} is not valid JSON: {err}") from None


def node_from_env(env: Mapping[str, str], resolve: Resolver = socket.gethostbyname) -> Node:
    hosts = _json(env, "SM_HOSTS")
    if not isinstance(hosts, list) or not hosts or not all(isinstance(h, str) for h in hosts):
        raise LaunchError(f"SM_HOSTS must be a non-empty JSON list of host names, got {env['SM_HOSTS']!r}")
    current = env.get("SM_CURRENT_HOST", "")
    if current not in hosts:
        raise LaunchError(f"SM_CURRENT_HOST {current!r} is not one of SM_HOSTS {hosts}")
    training_env = _json(env, "SM_TRAINING_ENV") if "SM_TRAINING_ENV" in env else {}
    master_host = training_env.get("master_hostname") if isinstance(training_env, dict) else None
    # The toolkit sorts hosts and makes the first the master; fall back to that when it is absent.
    master_host = master_host or sorted(hosts)[0]
    master_addr = env.get("ZEROSTACK_MASTER_ADDR") or resolve(master_host)
    return Node(
        hosts=hosts,
        current_host=current,
        rank=hosts.index(current),
        master_host=master_host,
        master_addr=master_addr,
        master_port=env.get("ZEROSTACK_MASTER_PORT") or DEFAULT_MASTER_PORT,
        nproc_per_node=nproc_per_node(env),
    )


def nproc_per_node(env: Mapping[str, str]) -> int:
    raw = env.get("ZEROSTACK_NPROC_PER_NODE") or env.get("SM_NUM_GPUS") or "0"
    try:
        n = int(raw)
    except ValueError:
        raise LaunchError(f"processes per node must be an integer, got {raw!r}") from None
    # A CPU instance reports SM_NUM_GPUS=0; one process still has to run.
    return max(n, 1)


def hyperparameters(
    env: Mapping[str, str], read_file: Callable[[Path], str] = lambda p: p.read_text()
) -> dict[str, str]:
    """SM_HPS if set, else <opt/ml>/input/config/hyperparameters.json; every value as a string.

    CreateTrainingJob stores strings. The SageMaker Python SDK JSON-encodes each value ("\"t5\"",
    "true"), the toolkit decodes it; we accept both so a job built by either side runs the same.
    """
    if "SM_HPS" in env:
        raw = _json(env, "SM_HPS")
    else:
        path = opt_ml(env) / "input" / "config" / "hyperparameters.json"
        try:
            raw = json.loads(read_file(path))
        except FileNotFoundError:
            raw = {}
    if not isinstance(raw, dict):
        raise LaunchError("hyperparameters must be a JSON object")
    return {str(k): _as_argument(v) for k, v in raw.items()}


def _as_argument(value: object) -> str:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            return value
        if isinstance(value, (dict, list)):
            return json.dumps(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def node_local(path: str, env: Mapping[str, str]) -> str:
    """/tmp/... becomes $TMPDIR/... when TMPDIR is set: on SageMaker /tmp is the node's own disk,
    in a rehearsal several nodes share one machine and each gets its own TMPDIR."""
    tmpdir = env.get("TMPDIR")
    if not tmpdir or tmpdir.rstrip("/") == "/tmp":
        return path
    p = Path(path)
    if p == Path("/tmp") or Path("/tmp") in p.parents:
        return str(Path(tmpdir) / p.relative_to("/tmp"))
    return path


def training_arguments(hps: Mapping[str, str], env: Mapping[str, str], bundle: Path) -> list[str]:
    argv: list[str] = []
    for key, value in hps.items():
        if key in BUNDLE_PATH_HYPERPARAMETERS and value and not Path(value).is_absolute():
            value = str(bundle / value)
        if key in NODE_LOCAL_PATH_HYPERPARAMETERS:
            value = node_local(value, env)
        argv += [f"--{key}", value]
    return argv


def child_env(env: Mapping[str, str], node: Node) -> dict[str, str]:
    out = dict(env)
    # SageMaker nodes talk over eth0; NCCL may otherwise pick docker0 or lo and hang at init.
    out.setdefault("NCCL_SOCKET_IFNAME", "eth0")
    # What the seed's start.py exported, for scripts and logs that look for them.
    out["NODE_INDEX"] = str(node.rank)
    out["NODE_NUMBER"] = str(len(node.hosts))
    out["MASTER_HOST"] = node.master_host
    out["MASTER_ADDR"] = node.master_addr
    out["MASTER_PORT"] = node.master_port
    return out


def torchrun_argv(node: Node, script: Path, script_args: list[str], python: str = sys.executable) -> list[str]:
    # `python -m torch.distributed.run` is torchrun itself (its console script runs this module),
    # without depending on where the image put the script. torch.distributed.launch is deprecated.
    return [
        python,
        "-m",
        "torch.distributed.run",
        "--nnodes",
        str(len(node.hosts)),
        "--node_rank",
        str(node.rank),
        "--nproc_per_node",
        str(node.nproc_per_node),
        "--master_addr",
        node.master_addr,
        "--master_port",
        node.master_port,
        str(script),
        *script_args,
    ]


def plan(
    env: Mapping[str, str],
    script: Path,
    resolve: Resolver = socket.gethostbyname,
    python: str = sys.executable,
    read_file: Callable[[Path], str] = lambda p: p.read_text(),
) -> LaunchPlan:
    node = node_from_env(env, resolve)
    notes: list[str] = []
    declared = env.get("NODE_NUMBER")
    if declared and declared != str(len(node.hosts)):
        notes.append(f"NODE_NUMBER={declared} but SM_HOSTS lists {len(node.hosts)} hosts; using SM_HOSTS")
    efa = {name: env[name] for name in EFA_ENV_NAMES if name in env}
    notes.append(f"EFA: {efa}" if efa else "EFA: not set (fine on instances without EFA)")
    hps = hyperparameters(env, read_file)
    argv = torchrun_argv(node, script, training_arguments(hps, env, script.parent), python)
    return LaunchPlan(node=node, argv=argv, env=child_env(env, node), notes=notes)
