"""DeepSpeed's CPU ops, built once per venv instead of on every CPU run (rehearsal, CI).

On its CPU accelerator DeepSpeed JIT-compiles C++ ops with g++ and ninja the first time they are
used: the shared-memory collectives (every engine, in TorchBackend), FusedAdam (the derived
config's AdamW) and DeepSpeedCPUAdam (ZeRO-Offload). torch.utils.cpp_extension builds them into
TORCH_EXTENSIONS_DIR. `extensions_dir()` puts that under the venv. The build files name the sources
by absolute path, so zerostack runs the venv's Python by the venv's real folder (scripts/test,
scripts/bootstrap, the sandbox's rehearsals): every clone then shares one build. A Python reached
through another path (a clone's .toolchain link) gets a folder of its own rather than rebuilding the
shared one. `python cpu_ops.py [--if-needed]` builds them ahead (scripts/bootstrap does, once per
venv); a GPU job never uses any of this.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from pathlib import Path

BUILDERS = ("ShareMemCommBuilder", "FusedAdamBuilder", "CPUAdamBuilder")


def extensions_dir() -> str:
    """<real venv>/torch-extensions, or .../<hash of the path> for a venv reached through a link."""
    reached = os.path.abspath(sys.prefix)
    real = Path(reached).resolve()
    if str(real) == reached:
        return str(real / "torch-extensions")
    return str(real / "torch-extensions" / hashlib.sha256(reached.encode()).hexdigest()[:12])


def use_venv_cache() -> str:
    """Point DS's JIT builds at the venv's cache unless TORCH_EXTENSIONS_DIR is set; returns it."""
    os.environ.setdefault("DS_ACCELERATOR", "cpu")
    return os.environ.setdefault("TORCH_EXTENSIONS_DIR", extensions_dir())


def build_all(if_needed: bool = False) -> int:
    where = use_venv_cache()
    stamp = Path(where) / ".built"
    if if_needed and stamp.is_file():
        return 0
    from deepspeed.accelerator import get_accelerator

    failed = 0
    for name in BUILDERS:
        started = time.monotonic()
        builder = get_accelerator().create_op_builder(name)
        if builder is None or not builder.is_compatible():
            print(f"cpu_ops: {name} is not available on this machine", flush=True)
            continue
        try:
            builder.load(verbose=False)
        except Exception as error:  # reported, not fatal: DeepSpeed tries again on first use
            failed += 1
            print(f"cpu_ops: {builder.NAME} did not build: {error}", flush=True)
            continue
        print(f"cpu_ops: {builder.NAME} ready in {time.monotonic() - started:.1f}s ({where})", flush=True)
    if failed:
        return 1
    stamp.touch()
    return 0


if __name__ == "__main__":
    sys.exit(build_all(if_needed="--if-needed" in sys.argv[1:]))
