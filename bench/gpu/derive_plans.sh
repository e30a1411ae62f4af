#!/usr/bin/env bash
# Writes plans/tiny-zero{3,2,3-offload}.json: what the TypeScript side derives for the tiny preset
# (hyperparameters, environment, ds_config.json, metric regexes, channels). The device machine has
# no Node, so run_payload.py reads these copies. Re-run after program/spec changes:
#   bash bench/gpu/derive_plans.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
. .toolchain/env.sh
for zero in 3 2 3-offload; do
  # the first line of --json is the plan; later lines are events
  npx zerostack plan --preset tiny --zero "$zero" --json 2>/dev/null | python3 -c '
import json, sys
plan = json.loads(sys.stdin.readline())
t = plan["training"]
keep = {k: t[k] for k in ("hyperparameters", "environment", "deepspeedConfig", "deepspeedConfigFile",
                          "metricDefinitions", "channels", "modelS3Uri", "batch")}
keep["specHash"] = plan["specHash"]
json.dump(keep, sys.stdout, indent=1, sort_keys=True); print()
' > "bench/gpu/plans/tiny-zero$zero.json"
  echo "bench/gpu/plans/tiny-zero$zero.json"
done
