#!/usr/bin/env bash
# Device entry for the real-size benchmark: install the carried wheels (.whl/, README.md), show the
# machine, run bench_scale.py's stages.   device run: bash bench/gpu/run_scale.sh --stages ...  (carry: .whl)
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT=${OUT:-/tmp/gpu-out}; mkdir -p "$OUT"; export OUT
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl || exit 3
export PYTHONPATH=/tmp/site PYTHONUNBUFFERED=1
export NCCL_NVLS_ENABLE=0 TORCH_SYMM_MEM_DISABLE_MULTICAST=1 NVSHMEM_DISABLE_NVLS=1
export MAX_JOBS=16 HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 TRANSFORMERS_OFFLINE=1
# the image's "9.0a" breaks DeepSpeed 0.19.8's JIT builder (int("0a")); see README.md
export TORCH_CUDA_ARCH_LIST=${GPU_ARCH_LIST:-9.0}
{
  nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.sm,clocks.max.sm --format=csv,noheader
  nproc; free -g | head -2; df -h /dev/shm /tmp | tail -2
  python3 bench/gpu/bench_scale.py "$@"
} 2>&1 | tee "$OUT/runner.log"
