"""python -m zerostack_sandbox serve --host 127.0.0.1 --port PORT [--state-dir DIR]"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from .scenario import ScenarioError, scenarios

# Dummy credentials and a default region, so nothing inside ever looks for real ones.
os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m zerostack_sandbox", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the sandbox cloud in the foreground")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=0, help="0 picks a free port")
    serve.add_argument(
        "--state-dir",
        type=Path,
        default=None,
        help="where server.json (pid, url) and state.pickle (AWS state kept across restarts) live",
    )
    return parser.parse_args(argv)


def serve(args: argparse.Namespace) -> int:
    # Here, not at the top: the server brings moto and werkzeug (about a second), which `--help` and
    # a bad argument do without, and they load after the AWS_* defaults above are set.
    from .server import SandboxServer  # noqa: PLC0415

    try:
        scenarios.reset()  # validates ZEROSTACK_SANDBOX_SCENARIO before anything starts
    except ScenarioError as error:
        print(f"zerostack-sandbox: {error}", file=sys.stderr)
        return 2
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    server = SandboxServer(args.host, args.port, args.state_dir)
    server.start()
    print(f"zerostack-sandbox ready {server.url}", flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.command == "serve":
        return serve(args)
    return 2


if __name__ == "__main__":
    sys.exit(main())
