"""The payload's DeepSpeed path on one real GPU: one SageMaker "node" per run, through start.py.

    python3 bench/gpu/run_payload.py [--stages zero3,zero2,zero3-offload,bench] [--deadline 560]

Runs on the device machine (bench/gpu/run.sh installs the carried wheels first). For each tiny
stage it does what a SageMaker job does, on one host with one GPU:
  - an S3 stand-in: moto's server on a loopback port (the payload talks to it through
    AWS_ENDPOINT_URL, as in test/payload/test_two_nodes.py); s5cmd and boto3 both reach it;
  - data: payload/train/prepare_data.py tokenizes data/tiny.jsonl and uploads train/ and test/ to
    the plan's channel prefixes; each node's channels are downloaded from there (as SageMaker does);
  - the bundle: payload/train copied to <node>/code with the ds_config.json the TypeScript side
    derived (bench/gpu/plans/tiny-zero*.json, written by derive_plans.sh) next to start.py;
  - `python start.py` with SM_HOSTS=["algo-1"], SM_NUM_GPUS=1 and the plan's hyperparameters;
  - checks: exit 0, loss lines matched by the plan's metric regexes, the model uploaded under
    MODEL_S3_PATH, downloaded again, loaded by transformers with every tensor full-sized and
    finite, changed by training, and able to generate on the GPU.
The "bench" stage stages a ~57M-parameter T5 (built from a config) in S3 and trains it for 50
steps with ZeRO-2 and then ZeRO-3 through launcher.plan() and bench_train.py (train.main() plus a
timing callback), printing samples/s and peak GPU memory side by side.

Logs go to $OUT (at most 8 files come back): runner.log is this script's output (tee'd by run.sh),
<stage>.log each run's, summary.json the results.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TRAIN = ROOT / "payload" / "train"
PLANS = Path(__file__).resolve().parent / "plans"
BENCH_TRAIN = Path(__file__).resolve().parent / "bench_train.py"
OUT = Path(os.environ.get("OUT") or tempfile.mkdtemp(prefix="gpu-out-"))
WORK = Path(tempfile.mkdtemp(prefix="zerostack-gpu-"))
BUCKET = "zerostack-artifacts"
FAKE_AWS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
}
OFFLINE = {"HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
TINY_STAGES = {"zero3": "tiny-zero3.json", "zero2": "tiny-zero2.json", "zero3-offload": "tiny-zero3-offload.json"}

sys.path.insert(0, str(TRAIN))
for key, value in {**FAKE_AWS, **OFFLINE}.items():
    os.environ.setdefault(key, value)
# torch's JIT extension builds (DeepSpeed's fused_adam, cpu_adam) look for ninja on PATH.
os.environ["PATH"] = f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}"

summary: dict[str, object] = {"stages": {}}
T0 = time.monotonic()


def log(msg: str) -> None:
    print(f"[{time.monotonic() - T0:6.1f}s] {msg}", flush=True)


def save_summary() -> None:
    (OUT / "summary.json").write_text(json.dumps(summary, indent=1, default=str))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_s3() -> str:
    import logging

    import boto3
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per S3 request

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    boto3.client("s3", endpoint_url=endpoint).create_bucket(Bucket=BUCKET)
    os.environ["AWS_ENDPOINT_URL"] = endpoint
    log(f"moto S3 at {endpoint}, bucket {BUCKET}")
    return endpoint


def s3_keys(prefix_uri: str) -> list[str]:
    import boto3

    import transfer

    bucket, prefix = transfer.split_s3_uri(transfer.as_prefix(prefix_uri))
    client = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
    return sorted(o["Key"][len(prefix) :] for page in pages for o in page.get("Contents", []))


def run_logged(argv: list[str], log_path: Path, timeout: float, **kwargs) -> tuple[int, float]:
    t = time.monotonic()
    with open(log_path, "w") as f:
        proc = subprocess.Popen(argv, stdout=f, stderr=subprocess.STDOUT, start_new_session=True, **kwargs)
        try:
            code = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait()
            code = 124
            f.write(f"\n[run_payload] killed after {timeout:.0f}s\n")
    return code, time.monotonic() - t


def prepare_channels(name: str, jsonl: Path, max_source: int, max_target: int, s3_prefix: str) -> None:
    """prepare_data.py -> S3 <s3_prefix>/{train,test}/, as `zerostack data` would stage it."""
    out = WORK / f"prepared-{name}"
    argv = [
        sys.executable,
        "prepare_data.py",
        "--input",
        str(jsonl),
        "--output_dir",
        str(out),
        "--max_source_length",
        str(max_source),
        "--max_target_length",
        str(max_target),
        "--s3_uri",
        s3_prefix,
    ]
    res = subprocess.run(argv, cwd=TRAIN, capture_output=True, text=True, timeout=180)
    print(res.stdout[-2000:], res.stderr[-3000:] if res.returncode else "", flush=True)
    if res.returncode != 0:
        raise RuntimeError(f"prepare_data.py exited {res.returncode}")


def make_node(name: str, hps: dict[str, str], ds_config: dict | None, channels: dict[str, str]) -> tuple[Path, Path]:
    """<WORK>/<name>/: code/ (the bundle), opt/ml (config, channels from S3, model), tmp/."""
    import transfer

    node = WORK / name
    code = node / "code"
    shutil.copytree(TRAIN, code, ignore=shutil.ignore_patterns("__pycache__", "data"))
    if ds_config is not None:
        (code / "ds_config.json").write_text(json.dumps(ds_config, indent=1))
    opt_ml = node / "opt" / "ml"
    (opt_ml / "input" / "config").mkdir(parents=True)
    (opt_ml / "input" / "config" / "hyperparameters.json").write_text(json.dumps(hps))
    for channel, uri in channels.items():
        transfer.download_prefix(uri, opt_ml / "input" / "data" / channel)
    (opt_ml / "model").mkdir()
    (node / "tmp").mkdir()
    return node, code


def node_env(node: Path, environment: dict[str, str], model_s3_path: str) -> dict[str, str]:
    opt_ml = node / "opt" / "ml"
    env = dict(os.environ)
    env.update(environment)  # the plan's job environment (NCCL_DEBUG, ...), then the rehearsal's
    env.update(
        {
            "SM_HOSTS": json.dumps(["algo-1"]),
            "SM_CURRENT_HOST": "algo-1",
            "SM_TRAINING_ENV": json.dumps({"master_hostname": "algo-1", "hosts": ["algo-1"], "current_host": "algo-1"}),
            "SM_NUM_GPUS": "1",
            "SM_CHANNEL_TRAINING": str(opt_ml / "input" / "data" / "training"),
            "SM_CHANNEL_TEST": str(opt_ml / "input" / "data" / "test"),
            "SM_MODEL_DIR": str(opt_ml / "model"),
            "NODE_NUMBER": "1",
            "MODEL_S3_PATH": model_s3_path,
            # one host: NCCL's bootstrap on loopback (the plan's eth0 is SageMaker's interface)
            "NCCL_SOCKET_IFNAME": "lo",
            "ZEROSTACK_OPT_ML": str(opt_ml),
            "ZEROSTACK_MASTER_ADDR": "127.0.0.1",
            "ZEROSTACK_MASTER_PORT": str(free_port()),
            "TMPDIR": str(node / "tmp"),
            "PYTHONUNBUFFERED": "1",
            "TOKENIZERS_PARALLELISM": "false",
        }
    )
    return env


def metric_values(text: str, definitions: list[dict[str, str]]) -> dict[str, list[float]]:
    return {d["Name"]: [float(v) for v in re.findall(d["Regex"], text)] for d in definitions}


def lenient_values(text: str, names: list[str]) -> dict[str, list[float]]:
    """transformers 5 prints {'loss': '34', ...} (values as strings), which the plan's regexes miss."""
    return {
        n: [float(v) for v in re.findall(rf"""['"]{n}['"]: ['"]?([-+]?[0-9]*[.]?[0-9]+(?:[eE][-+]?[0-9]+)?)""", text)]
        for n in names
    }


def check_model(model_dir: Path, expect_config_from: str) -> dict[str, object]:
    """Load what was uploaded; every tensor full-sized and finite, changed from the initial weights, generates."""
    import torch
    from transformers import AutoTokenizer, T5ForConditionalGeneration

    files = {p.name: p.stat().st_size for p in sorted(model_dir.rglob("*")) if p.is_file()}
    model = T5ForConditionalGeneration.from_pretrained(model_dir)
    state = model.state_dict()
    empty = [k for k, v in state.items() if v.numel() == 0]
    nonfinite = [k for k, v in state.items() if v.is_floating_point() and not torch.isfinite(v.float()).all()]
    result: dict[str, object] = {
        "files": files,
        "dtype": str(next(model.parameters()).dtype),
        "parameters": sum(p.numel() for p in model.parameters()),
        "empty_tensors": empty,
        "nonfinite_tensors": nonfinite,
    }
    if expect_config_from == "tiny":
        import tiny_model

        initial = tiny_model.model(42).state_dict()
        shape_mismatch = [k for k in initial if k not in state or tuple(state[k].shape) != tuple(initial[k].shape)]
        changed = sum(
            1
            for k in initial
            if k in state
            and state[k].shape == initial[k].shape
            and not torch.equal(state[k].float(), initial[k].float())
        )
        result.update(shape_mismatch=shape_mismatch, tensors_changed_by_training=f"{changed}/{len(initial)}")
    tok = AutoTokenizer.from_pretrained(model_dir)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    model = model.to(device, torch.bfloat16).eval()
    ids = tok(
        "Summarize the following news article:\nThe library reopened on Monday.\nSummary:\n", return_tensors="pt"
    ).to(device)
    with torch.no_grad():
        out = model.generate(**ids, max_new_tokens=16, do_sample=False)
    result["generated"] = tok.decode(out[0], skip_special_tokens=True)
    ok = not empty and not nonfinite and not result.get("shape_mismatch") and "model.safetensors" in files
    if expect_config_from == "tiny":
        ok = ok and not str(result["tensors_changed_by_training"]).startswith("0/")
    result["ok"] = ok
    return result


def tiny_stage(stage: str, timeout: float, hps_override: dict[str, str]) -> dict[str, object]:
    import transfer

    plan = json.loads((PLANS / TINY_STAGES[stage]).read_text())
    hps = {**plan["hyperparameters"], **hps_override}
    model_s3_path = plan["environment"]["MODEL_S3_PATH"]
    node, code = make_node(stage, hps, plan["deepspeedConfig"], plan["channels"])
    env = node_env(node, plan["environment"], model_s3_path)
    log(
        f"{stage}: python start.py (ZeRO {plan['deepspeedConfig']['zero_optimization']['stage']}, "
        f"offload {'offload_optimizer' in plan['deepspeedConfig']['zero_optimization']}) -> {model_s3_path}"
    )
    code_rc, seconds = run_logged([sys.executable, "start.py"], OUT / f"tiny-{stage}.log", timeout, cwd=code, env=env)
    text = (OUT / f"tiny-{stage}.log").read_text(errors="replace")
    res: dict[str, object] = {
        "exit": code_rc,
        "seconds": round(seconds, 1),
        "model_s3_path": model_s3_path,
        "metrics": metric_values(text, plan["metricDefinitions"]),
        "metrics_lenient": lenient_values(text, [d["Name"] for d in plan["metricDefinitions"]]),
        "loss_lines": [line for line in text.splitlines() if "'loss'" in line or "'eval_loss'" in line][:40],
        "train_metrics": [line.strip() for line in text.splitlines() if re.match(r"\s*(train_\w+|epoch)\s*=", line)],
        "ds_lines": [
            line.strip()[:300]
            for line in text.splitlines()
            if re.search(
                r"(DeepSpeed info|ZeRO Stage|Building extension|Loading extension|"
                r"Time to load|cpu_adam|fused_adam|Adam Optimizer|optimizer =|"
                r"Error|error:|Traceback)",
                line,
            )
        ][:40],
    }
    saved = node / "tmp" / "output" / "asset"
    res["saved_locally"] = sorted(p.name for p in saved.iterdir()) if saved.exists() else []
    res["opt_ml_model_empty"] = not any((node / "opt" / "ml" / "model").iterdir())
    res["uploaded_keys"] = s3_keys(model_s3_path)
    if code_rc == 0 and res["uploaded_keys"]:
        back = WORK / f"{stage}-downloaded"
        transfer.download_prefix(model_s3_path, back)
        try:
            res["model_check"] = check_model(back, "tiny")
        except Exception as err:  # report, don't stop the other stages
            res["model_check"] = {"ok": False, "error": repr(err)}
    # pass: trained, saved, uploaded, loadable; the plan's metric regexes are reported apart
    res["pass"] = bool(code_rc == 0 and res.get("model_check", {}).get("ok") and res["metrics_lenient"].get("loss"))
    res["plan_metric_regexes_match"] = bool(res["metrics"].get("loss"))
    log(
        f"{stage}: exit {code_rc} in {seconds:.0f}s, pass={res['pass']}, loss={res['metrics_lenient'].get('loss')}, "
        f"eval_loss={res['metrics_lenient'].get('eval_loss')}, plan regexes match: {res['plan_metric_regexes_match']}"
    )
    return res


# ~57M parameters: t5-small's body (d_model 512, 6+6 layers, 8 heads, d_ff 2048) with gated-GELU
# and the byte tokenizer's 384-token vocabulary.
BENCH_MODEL = {"d_model": 512, "d_kv": 64, "d_ff": 2048, "num_layers": 6, "num_decoder_layers": 6, "num_heads": 8}
BENCH_HPS = {
    "model_id": "bench/t5-57m",
    "model_kind": "seq2seq",
    "model_source": "s3",
    "learning_rate": "0.0003",
    "per_device_train_batch_size": "32",
    "gradient_accumulation_steps": "1",
    "max_steps": "50",
    "max_source_length": "512",
    "max_target_length": "128",
    "warmup_steps": "1",
    "weight_decay": "0",
    "max_grad_norm": "1",
    "logging_steps": "10",
    "seed": "42",
    "gradient_checkpointing": "false",
    "bf16": "true",
    "fp16": "false",
    "save_on_each_node": "true",
    "load_best_model_at_end": "false",
    "output_dir": "/tmp/output/asset",
    "dataloader_drop_last": "true",
}


def bench_stages(timeout_each: float, deadline: float, overrides: dict[str, str]) -> dict[str, object]:
    from transformers import T5Config, T5ForConditionalGeneration

    import tiny_model
    import transfer
    from launcher import plan as launch_plan

    tok = tiny_model.tokenizer()
    cfg = T5Config(
        vocab_size=len(tok),
        feed_forward_proj="gated-gelu",
        tie_word_embeddings=False,
        pad_token_id=tok.pad_token_id,
        eos_token_id=tok.eos_token_id,
        decoder_start_token_id=tok.pad_token_id,
        **BENCH_MODEL,
    )
    base = WORK / "t5-57m"
    model = T5ForConditionalGeneration(cfg)
    n_params = sum(p.numel() for p in model.parameters())
    model.save_pretrained(base)
    tok.save_pretrained(base)
    base_uri = f"s3://{BUCKET}/zerostack/base-models/t5-57m/"
    transfer.upload_folder(base, base_uri)
    # 40 pairs x 20 = 800 examples (720 train), byte-level, 512/128 tokens: 22 steps of 32 per epoch
    jsonl = WORK / "tiny-x20.jsonl"
    lines = (TRAIN / "data" / "tiny.jsonl").read_text().strip().splitlines()
    jsonl.write_text("\n".join(lines * 20) + "\n")
    data_uri = f"s3://{BUCKET}/zerostack/datasets/bench-x20/"
    prepare_channels("bench", jsonl, 512, 128, data_uri)
    results: dict[str, object] = {"model_parameters": n_params, "config": BENCH_MODEL, "hyperparameters": BENCH_HPS}
    tiny3 = json.loads((PLANS / "tiny-zero3.json").read_text())["deepspeedConfig"]
    tiny2 = json.loads((PLANS / "tiny-zero2.json").read_text())["deepspeedConfig"]
    for stage, ds in (("zero2", tiny2), ("zero3", tiny3)):
        if time.monotonic() - T0 + timeout_each > deadline:
            results[stage] = {"skipped": "deadline"}
            continue
        hps = {**BENCH_HPS, **overrides, "model_s3_uri": base_uri, "deepspeed": "ds_config.json"}
        node, code = make_node(f"bench-{stage}", hps, ds, {"training": data_uri + "train/"})
        model_s3_path = f"s3://{BUCKET}/zerostack/bench/t5-57m-{stage}/model/"
        env = node_env(node, {"NCCL_DEBUG": "WARN"}, model_s3_path)
        env["ZEROSTACK_BUNDLE"] = str(code)
        shutil.copy(BENCH_TRAIN, code / "bench_train.py")
        launch = launch_plan(env, code / "bench_train.py", python=sys.executable)
        log(f"bench {stage}: {' '.join(launch.argv[:12])} ...")
        rc, seconds = run_logged(launch.argv, OUT / f"bench-{stage}.log", timeout_each, cwd=code, env=launch.env)
        text = (OUT / f"bench-{stage}.log").read_text(errors="replace")
        found = [json.loads(line[len("BENCH ") :]) for line in text.splitlines() if line.startswith("BENCH ")]
        res = {
            "exit": rc,
            "seconds": round(seconds, 1),
            **(found[-1] if found else {}),
            "loss": [float(v) for v in re.findall(r"'loss': '?([0-9.eE+-]+)", text)],
            "uploaded_keys": s3_keys(model_s3_path),
        }
        results[stage] = res
        log(f"bench {stage}: exit {rc}, {json.dumps({k: v for k, v in res.items() if k != 'uploaded_keys'})}")
    return results


def two_node_stage(timeout: float, hps_override: dict[str, str]) -> dict[str, object]:
    """The tiny preset as SageMaker runs it on 2 instances: two `python start.py`, one per "host"
    (algo-1, algo-2), each with its own GPU, /opt/ml and TMPDIR; torchrun + NCCL across them (ZeRO-3
    then really shards); only world rank 0 uploads."""
    import transfer

    plan = json.loads((PLANS / "tiny-zero3.json").read_text())
    hps = {**plan["hyperparameters"], **hps_override}
    model_s3_path = plan["environment"]["MODEL_S3_PATH"].rstrip("/") + "-two-nodes/"
    hosts = ["algo-1", "algo-2"]
    port = str(free_port())
    procs: list[tuple[str, subprocess.Popen[bytes], Path]] = []
    started = time.monotonic()
    for gpu, host in enumerate(hosts):
        node, code = make_node(f"two-{host}", hps, plan["deepspeedConfig"], plan["channels"])
        env = node_env(node, plan["environment"], model_s3_path)
        env.update(
            {
                "SM_HOSTS": json.dumps(hosts),
                "SM_CURRENT_HOST": host,
                "NODE_NUMBER": "2",
                "SM_TRAINING_ENV": json.dumps({"master_hostname": "algo-1", "hosts": hosts, "current_host": host}),
                "ZEROSTACK_MASTER_PORT": port,
                "CUDA_VISIBLE_DEVICES": str(gpu),
                "NCCL_DEBUG": "INFO",
            }
        )
        log_path = OUT / f"two-nodes-{host}.log"
        procs.append(
            (
                host,
                subprocess.Popen(
                    [sys.executable, "start.py"],
                    cwd=code,
                    env=env,
                    stdout=log_path.open("wb"),
                    stderr=subprocess.STDOUT,
                ),
                log_path,
            )
        )
    exits: dict[str, int] = {}
    for host, proc, _ in procs:
        try:
            exits[host] = proc.wait(timeout=max(1.0, timeout - (time.monotonic() - started)))
        except subprocess.TimeoutExpired:
            proc.kill()
            exits[host] = -9
    seconds = round(time.monotonic() - started, 1)
    texts = {host: path.read_text(errors="replace") for host, _, path in procs}
    res: dict[str, object] = {
        "exits": exits,
        "seconds": seconds,
        "model_s3_path": model_s3_path,
        "metrics": metric_values(texts["algo-1"], plan["metricDefinitions"]),
        "nccl_init": {h: len(re.findall(r"NCCL INFO (?:Init COMPLETE|comm 0x)", t)) for h, t in texts.items()},
        "world": {h: re.findall(r"rank \d+ of \d+ on \d+ node\(s\)", t)[:1] for h, t in texts.items()},
        "uploaded_by": [h for h, t in texts.items() if re.search(r"zerostack\.train: uploaded \d+ files", t)],
        "uploaded_keys": s3_keys(model_s3_path),
    }
    if all(rc == 0 for rc in exits.values()) and res["uploaded_keys"]:
        back = WORK / "two-nodes-back"
        transfer.download_prefix(model_s3_path, back)
        res["model_check"] = check_model(back, "tiny")
    check = res.get("model_check")
    res["pass"] = (
        all(rc == 0 for rc in exits.values())
        and res["uploaded_by"] == ["algo-1"]
        and isinstance(check, dict)
        and bool(check.get("ok"))
        and all(n > 0 for n in res["nccl_init"].values())
    )  # type: ignore[union-attr]
    log(f"two-nodes: {json.dumps({k: v for k, v in res.items() if k not in ('uploaded_keys', 'model_check')})}")
    return res


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stages", default="zero3,zero2,zero3-offload,bench")
    ap.add_argument("--deadline", type=float, default=560.0, help="seconds; stages that would end later are skipped")
    ap.add_argument(
        "--tiny-hps-override",
        default="{}",
        help='JSON merged over the plan\'s hyperparameters, e.g. {"warmup_steps": "1"}: DeepSpeed >= 0.18 '
        "refuses WarmupLR with warmup_num_steps 0, which the tiny preset's warmup_steps 0 gives",
    )
    ap.add_argument("--bench-overrides", default="{}", help="JSON of bench hyperparameters to override (a CPU dry run)")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    import torch

    summary["device"] = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "cpu"
    summary["versions"] = {}
    for name in (
        "torch",
        "transformers",
        "deepspeed",
        "datasets",
        "accelerate",
        "moto",
        "s5cmd",
        "pydantic",
        "pyarrow",
        "fsspec",
    ):
        try:
            mod = __import__(name)
            summary["versions"][name] = getattr(mod, "__version__", "?")
        except Exception as err:
            summary["versions"][name] = f"import failed: {err!r}"
    log(
        f"device {summary['device']}, versions {summary['versions']}, "
        f"cuda {torch.version.cuda}, nvcc {shutil.which('nvcc')}"
    )
    summary["tiny_hps_override"] = json.loads(args.tiny_hps_override)
    summary["TORCH_CUDA_ARCH_LIST"] = os.environ.get("TORCH_CUDA_ARCH_LIST")
    start_s3()
    tiny = json.loads((PLANS / "tiny-zero3.json").read_text())
    hps = tiny["hyperparameters"]
    data_prefix = tiny["channels"]["training"].rsplit("train/", 1)[0]
    prepare_channels(
        "tiny", TRAIN / "data" / "tiny.jsonl", int(hps["max_source_length"]), int(hps["max_target_length"]), data_prefix
    )
    timeouts = {"zero3": 200, "zero2": 120, "zero3-offload": 200}
    for stage in args.stages.split(","):
        if stage == "two-nodes":
            try:
                summary["stages"][stage] = two_node_stage(
                    min(240, args.deadline - (time.monotonic() - T0)), json.loads(args.tiny_hps_override)
                )
            except Exception as err:
                summary["stages"][stage] = {"pass": False, "error": repr(err)}
                log(f"two-nodes: {err!r}")
            save_summary()
            continue
        if stage == "bench":
            try:
                summary["bench"] = bench_stages(120, args.deadline, json.loads(args.bench_overrides))
            except Exception as err:
                summary["bench"] = {"error": repr(err)}
                log(f"bench: {err!r}")
        else:
            left = args.deadline - (time.monotonic() - T0)
            if left < 60:
                summary["stages"][stage] = {"skipped": f"deadline ({left:.0f}s left)"}
                continue
            try:
                summary["stages"][stage] = tiny_stage(
                    stage, min(timeouts[stage], left), json.loads(args.tiny_hps_override)
                )
            except Exception as err:
                summary["stages"][stage] = {"pass": False, "error": repr(err)}
                log(f"{stage}: {err!r}")
        save_summary()
    save_summary()
    log("SUMMARY " + json.dumps({s: r.get("pass", r.get("skipped")) for s, r in summary["stages"].items()}))
    if "bench" in summary:
        b = summary["bench"]
        for s in ("zero2", "zero3"):
            r = b.get(s, {}) if isinstance(b, dict) else {}
            log(
                f"BENCH {s}: samples/s {r.get('samples_per_s')}, step ms {r.get('median_step_ms')}, "
                f"peak alloc GiB {r.get('peak_alloc_gib')}, peak reserved GiB {r.get('peak_reserved_gib')}, "
                f"exit {r.get('exit')}"
            )


if __name__ == "__main__":
    main()
