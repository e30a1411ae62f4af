"""python guard.py PARENT_PID -- COMMAND...: run COMMAND so that it cannot outlive the sandbox.

The guard leads the node's process group (the sandbox starts it in a new session) and runs
COMMAND in that group, so torchrun's workers are there too. On Linux it asks for SIGTERM when the
sandbox dies (PR_SET_PDEATHSIG), even by SIGKILL; it then sends SIGTERM to the whole group and
SIGKILL after a grace. A SIGTERM from a living sandbox (StopTrainingJob) reaches the whole group
directly, so the guard only waits for COMMAND then. The exit code is COMMAND's (128 + signal
when a signal ended it), as a shell would report it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import subprocess
import sys
import time

GRACE_S = 5.0


def main(argv: list[str]) -> int:
    parent, command = int(argv[0]), argv[argv.index("--") + 1 :]
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except OSError:
            pass

    def orphaned() -> bool:
        return os.getppid() != parent

    children: list[subprocess.Popen[bytes]] = []

    def end_group(*_: object) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        os.killpg(0, signal.SIGTERM)
        deadline = time.monotonic() + GRACE_S
        while time.monotonic() < deadline and any(c.poll() is None for c in children):
            time.sleep(0.05)
        os.killpg(0, signal.SIGKILL)  # the guard goes with its group

    def on_term(signum: int, frame: object) -> None:
        if orphaned():
            end_group()

    signal.signal(signal.SIGTERM, on_term)
    child = subprocess.Popen(command)
    children.append(child)
    if orphaned():  # the sandbox died before PR_SET_PDEATHSIG was in place
        end_group()
    while True:
        try:
            code = child.wait()
            break
        except KeyboardInterrupt:
            continue
    return code if code >= 0 else 128 - code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
