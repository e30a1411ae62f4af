"""One HTTP server on 127.0.0.1: the control surface under /_zerostack/, moto for everything else.

With a state directory it writes `server.json` (pid, url) while it runs and keeps the AWS state
in `state.pickle` across restarts (persistence.py).
"""

from __future__ import annotations

import json
import os
import threading
import time
import urllib.request
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import BaseWSGIServer, make_server

from . import __version__, control, patches, rehearsal
from .patches.scheduler import Ticker
from .persistence import Snapshots
from .stats import stats


class SandboxApplication:
    """WSGI: /_zerostack/* goes to control.py; every AWS request is counted, then served by moto."""

    def __init__(self, snapshots: Snapshots | None = None) -> None:
        self.moto = DomainDispatcherApplication(create_backend_app)
        self.snapshots = snapshots

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO", "").startswith(control.PREFIX):
            answer = control.application(environ, start_response)
        else:
            stats.record(environ)
            answer = self.moto(environ, start_response)
        if self.snapshots is not None:
            self.snapshots.changed()  # after the change is made, so the next snapshot holds it
        return answer


class SandboxServer:
    def __init__(self, host: str = "127.0.0.1", port: int = 0, state_dir: Path | None = None) -> None:
        self.host, self.port, self.state_dir = host, port, state_dir
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None
        self.snapshots = Snapshots(state_dir) if state_dir else None
        self._ticker = Ticker(after_tick=self.snapshots.maybe_save if self.snapshots else None)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> None:
        patches.apply_all()
        rehearsal.install()  # rehearsed jobs and endpoints, through the patches' hooks
        rehearsal.settings.sweep_dead_work_roots()  # left by a sandbox that was killed mid-rehearsal
        if self.snapshots is not None:
            self.snapshots.load()
        self._server = make_server(
            self.host, self.port, SandboxApplication(self.snapshots), threaded=True, request_handler=MotoRequestHandler
        )
        self.port = int(self._server.server_address[1])
        rehearsal.settings.set_endpoint_url(self.url)  # the nodes' AWS_ENDPOINT_URL
        os.environ.setdefault("MOTO_PORT", str(self.port))  # moto builds some URLs from it
        self._thread = threading.Thread(target=self._server.serve_forever, name="zerostack-sandbox-http", daemon=True)
        self._thread.start()
        rehearsal.serving.restore_all()  # model servers of rehearsed endpoints kept in the snapshot
        self._ticker.start()
        self._wait_until_answering()
        self._write_server_file()

    def _wait_until_answering(self, timeout_s: float = 30.0) -> None:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}{control.PREFIX}health", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                if time.monotonic() > deadline:
                    raise
            time.sleep(0.05)

    def _server_file(self) -> Path | None:
        return self.state_dir / "server.json" if self.state_dir else None

    def _write_server_file(self) -> None:
        path = self._server_file()
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        document = {
            "pid": os.getpid(),
            "url": self.url,
            "port": self.port,
            "version": __version__,
            "started_at": time.time(),
        }
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(document, indent=1))
        temporary.replace(path)

    def stop(self) -> None:
        rehearsal.shutdown_all()  # no training node or model server outlives the sandbox
        rehearsal.settings.remove_work_root()
        self._ticker.stop()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self.snapshots is not None:
            self.snapshots.save()
        path = self._server_file()
        if path is not None and path.exists():
            path.unlink()
