"""start.py's pure part: a SageMaker node's environment -> the torchrun command it runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from launcher import LaunchError, hyperparameters, node_local, plan

SCRIPT = Path("/opt/ml/code/train.py")
ADDRESSES = {"algo-1": "10.0.0.11", "algo-2": "10.0.0.12", "algo-3": "10.0.0.13", "algo-4": "10.0.0.14"}


def sagemaker_env(nodes: int, current: int, **extra: str) -> dict[str, str]:
    hosts = [f"algo-{i + 1}" for i in range(nodes)]
    return {
        "SM_HOSTS": json.dumps(hosts),
        "SM_CURRENT_HOST": hosts[current],
        "SM_TRAINING_ENV": json.dumps({"master_hostname": "algo-1", "hosts": hosts, "current_host": hosts[current]}),
        "SM_NUM_GPUS": "8",
        "SM_HPS": json.dumps(
            {
                "model_id": "google/flan-t5-xxl",
                "learning_rate": "0.0001",
                "deepspeed": "ds_config.json",
                "output_dir": "/tmp/output/asset",
            }
        ),
        **extra,
    }


def launch(env: dict[str, str]) -> list[str]:
    return plan(env, SCRIPT, resolve=ADDRESSES.__getitem__, python="python").argv


@pytest.mark.parametrize("nodes", [1, 2, 4])
def test_every_node_gets_its_rank_and_the_same_master(nodes: int) -> None:
    for rank in range(nodes):
        assert launch(sagemaker_env(nodes, rank)) == [
            "python",
            "-m",
            "torch.distributed.run",
            "--nnodes",
            str(nodes),
            "--node_rank",
            str(rank),
            "--nproc_per_node",
            "8",
            "--master_addr",
            "10.0.0.11",
            "--master_port",
            "23456",
            "/opt/ml/code/train.py",
            "--model_id",
            "google/flan-t5-xxl",
            "--learning_rate",
            "0.0001",
            "--deepspeed",
            "/opt/ml/code/ds_config.json",  # bundle-relative, whatever the cwd
            "--output_dir",
            "/tmp/output/asset",
        ]


def test_rank_is_the_index_in_sm_hosts_not_the_name() -> None:
    env = sagemaker_env(2, 0)
    env["SM_HOSTS"] = json.dumps(["algo-2", "algo-1"])  # SageMaker's order is the order that counts
    argv = launch(env)
    assert argv[argv.index("--node_rank") + 1] == "1"


def test_local_rehearsal_overrides() -> None:
    env = sagemaker_env(
        2,
        1,
        ZEROSTACK_MASTER_ADDR="127.0.0.1",
        ZEROSTACK_MASTER_PORT="29999",
        ZEROSTACK_NPROC_PER_NODE="1",
        TMPDIR="/work/node-2/tmp",
    )
    launched = plan(
        env, SCRIPT, resolve=lambda host: pytest.fail(f"resolved {host} despite the override"), python="python"
    )
    argv = launched.argv
    assert argv[argv.index("--master_addr") + 1] == "127.0.0.1"
    assert argv[argv.index("--master_port") + 1] == "29999"
    assert argv[argv.index("--nproc_per_node") + 1] == "1"
    # each "node" on one machine keeps its own copy, as each SageMaker node has its own /tmp
    assert argv[argv.index("--output_dir") + 1] == "/work/node-2/tmp/output/asset"


def test_cpu_instance_still_runs_one_process() -> None:
    argv = launch(sagemaker_env(1, 0, SM_NUM_GPUS="0"))
    assert argv[argv.index("--nproc_per_node") + 1] == "1"


def test_child_env_exports_what_the_seed_exported_and_keeps_efa() -> None:
    efa = {"FI_PROVIDER": "efa", "NCCL_PROTO": "simple", "FI_EFA_USE_DEVICE_RDMA": "1"}
    launched = plan(sagemaker_env(4, 2, **efa), SCRIPT, resolve=ADDRESSES.__getitem__, python="python")
    env = launched.env
    assert env["NCCL_SOCKET_IFNAME"] == "eth0"
    assert (env["NODE_INDEX"], env["NODE_NUMBER"], env["MASTER_ADDR"], env["MASTER_HOST"]) == (
        "2",
        "4",
        "10.0.0.11",
        "algo-1",
    )
    assert {k: env[k] for k in efa} == efa
    assert any("EFA" in note and "efa" in note for note in launched.notes)


def test_socket_interface_can_be_overridden() -> None:
    launched = plan(sagemaker_env(2, 0, NCCL_SOCKET_IFNAME="ens5"), SCRIPT, resolve=ADDRESSES.__getitem__)
    assert launched.env["NCCL_SOCKET_IFNAME"] == "ens5"


def test_node_number_disagreeing_with_hosts_is_noted() -> None:
    launched = plan(sagemaker_env(2, 0, NODE_NUMBER="4"), SCRIPT, resolve=ADDRESSES.__getitem__)
    assert any("NODE_NUMBER=4" in note for note in launched.notes)


def test_master_defaults_to_first_sorted_host_without_training_env() -> None:
    env = sagemaker_env(2, 1)
    del env["SM_TRAINING_ENV"]
    argv = launch(env)
    assert argv[argv.index("--master_addr") + 1] == "10.0.0.11"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"SM_HOSTS": None}, "SM_HOSTS is not set"),
        ({"SM_HOSTS": "algo-1"}, "not valid JSON"),
        ({"SM_HOSTS": "[]"}, "non-empty JSON list"),
        ({"SM_CURRENT_HOST": "algo-9"}, "not one of SM_HOSTS"),
        ({"ZEROSTACK_NPROC_PER_NODE": "two"}, "must be an integer"),
    ],
)
def test_bad_environment_names_the_variable(change: dict[str, str | None], message: str) -> None:
    env = sagemaker_env(2, 0)
    for key, value in change.items():
        if value is None:
            env.pop(key)
        else:
            env[key] = value
    with pytest.raises(LaunchError, match=message):
        launch(env)


def test_hyperparameters_from_file_when_sm_hps_is_absent(tmp_path: Path) -> None:
    config = tmp_path / "input" / "config"
    config.mkdir(parents=True)
    # CreateTrainingJob stores strings; the SageMaker Python SDK JSON-encodes them on top.
    (config / "hyperparameters.json").write_text(
        json.dumps(
            {
                "model_id": '"google/flan-t5-xl"',
                "epochs": "3",
                "bf16": "true",
                "plain": "zerostack/tiny-t5",
                "lr": "1e-4",
            }
        )
    )
    hps = hyperparameters({"ZEROSTACK_OPT_ML": str(tmp_path)})
    assert hps == {
        "model_id": "google/flan-t5-xl",
        "epochs": "3",
        "bf16": "true",
        "plain": "zerostack/tiny-t5",
        "lr": "0.0001",
    }


def test_sm_hps_wins_and_booleans_are_lowercase() -> None:
    hps = hyperparameters(
        {"SM_HPS": json.dumps({"save_on_each_node": True, "epochs": 1}), "ZEROSTACK_OPT_ML": "/nonexistent"}
    )
    assert hps == {"save_on_each_node": "true", "epochs": "1"}


def test_no_hyperparameters_is_an_empty_run_config() -> None:
    assert hyperparameters({"ZEROSTACK_OPT_ML": "/nonexistent"}) == {}


@pytest.mark.parametrize(
    ("path", "tmpdir", "expected"),
    [
        ("/tmp/output/asset", "/x/node-1", "/x/node-1/output/asset"),
        ("/tmp/output/asset", None, "/tmp/output/asset"),
        ("/tmp/output/asset", "/tmp", "/tmp/output/asset"),
        ("/data/out", "/x/node-1", "/data/out"),
        ("/tmpfoo/out", "/x/node-1", "/tmpfoo/out"),
    ],
)
def test_node_local(path: str, tmpdir: str | None, expected: str) -> None:
    assert node_local(path, {"TMPDIR": tmpdir} if tmpdir else {}) == expected
