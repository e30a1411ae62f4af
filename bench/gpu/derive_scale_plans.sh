#!/usr/bin/env bash
# Writes plans/scale-*.json: what the TypeScript side derives for the flan-t5-xl preset (ZeRO 2, 3,
# 3-offload) and the llama-3.1-8b preset (ZeRO 3): ds_config.json and hyperparameters. The device
# machine has no Node, so bench_scale.py reads these copies. Derived for ml.p5.48xlarge (H100 80GB,
# the H200's class: the ZeRO-2 bucket size depends on the GPU memory). Re-run after program/spec changes:
#   bash bench/gpu/derive_scale_plans.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
. .toolchain/env.sh
derive() {  # derive NAME PRESET ZERO
  npx zerostack plan --preset "$2" --zero "$3" --train-instance ml.p5.48xlarge --json 2>/dev/null | python3 -c '
import json, sys
plan = json.loads(sys.stdin.readline())
t = plan["training"]
keep = {k: t[k] for k in ("hyperparameters", "deepspeedConfig", "deepspeedConfigFile", "batch")}
keep["model"] = plan["spec"]["model"]
keep["specHash"] = plan["specHash"]
json.dump(keep, sys.stdout, indent=1, sort_keys=True); print()
' > "bench/gpu/plans/scale-$1.json"
  echo "bench/gpu/plans/scale-$1.json"
}
derive t5xl-zero2 flan-t5-xl 2
derive t5xl-zero3 flan-t5-xl 3
derive t5xl-zero3-offload flan-t5-xl 3-offload
derive llama8b-zero3 llama-3.1-8b 3
