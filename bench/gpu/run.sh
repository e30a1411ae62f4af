#!/usr/bin/env bash
# Device entry: install the carried wheels (.whl/, see README.md), show the machine, run the stages.
#   device run: bash bench/gpu/run.sh [run_payload.py args]    (carry: .whl)
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT=${OUT:-/tmp/gpu-out}; mkdir -p "$OUT"; export OUT
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl || exit 3
export PYTHONPATH=/tmp/site PYTHONUNBUFFERED=1
export NCCL_NVLS_ENABLE=0 TORCH_SYMM_MEM_DISABLE_MULTICAST=1 NVSHMEM_DISABLE_NVLS=1
export MAX_JOBS=16
# The image sets TORCH_CUDA_ARCH_LIST with an arch suffix ("9.0a"); DeepSpeed 0.19.8's JIT builder
# (op_builder/builder.py compute_capability_args) does int("0a") and fails before fused_adam builds.
IMAGE_ARCH_LIST=${TORCH_CUDA_ARCH_LIST-<unset>}
export TORCH_CUDA_ARCH_LIST=${GPU_ARCH_LIST:-9.0}
{
  echo "image TORCH_CUDA_ARCH_LIST was ${IMAGE_ARCH_LIST-<unset>}, using $TORCH_CUDA_ARCH_LIST"
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
  python3 --version; which python3 nvcc ninja g++; nvcc --version | tail -2
  python3 -c "import torch, transformers, deepspeed, datasets; print('torch', torch.__version__, 'cuda', torch.version.cuda, 'transformers', transformers.__version__, 'deepspeed', deepspeed.__version__, 'datasets', datasets.__version__)"
  python3 bench/gpu/run_payload.py "$@"
} 2>&1 | tee "$OUT/runner.log"
