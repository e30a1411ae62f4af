"""One HTTP server on 127.0.0.1: the control surface under /_zerostack/, moto for everything else.

With a state directory it writes `server.json` (pid, url) while it runs and keeps the AWS state
in `state.pickle` across restarts (persistence.py).
"""

from __future__ import annotations

import json
import os
import re
import sys
import threading
import time
import traceback
import urllib.request
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import BaseWSGIServer, make_server

from . import __version__, control, patches, rehearsal, validation
from .faults import faults
from .patches.scheduler import Ticker
from .persistence import Snapshots
from .stats import stats


class SandboxApplication:
    """WSGI: /_zerostack/* goes to control.py; every AWS request is counted, checked against its service's
    AWS model (validation/, unless ZEROSTACK_SANDBOX_VALIDATION=off), then served by moto. What moto
    cannot answer (an operation it lacks, a crash) gets an AWS-shaped error instead of werkzeug's HTML page.
    """

    def __init__(self, snapshots: Snapshots | None = None, validate: bool | None = None) -> None:
        self.moto = DomainDispatcherApplication(create_backend_app)
        self.snapshots = snapshots
        self.validate = validation.enabled_by_env() if validate is None else validate

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        arrived_at = time.time()  # first, so the request log's time is the arrival, not after the checks
        if environ.get("PATH_INFO", "").startswith(control.PREFIX):
            answer = control.application(environ, start_response)
        else:
            stats.record(environ, arrived_at)
            fault = faults.decide(environ)  # injected throttling, 5xx, slowness (faults.py): before anything
            if fault is not None:
                return send(fault, start_response)
            refusal = validation.check_request(environ) if self.validate else None
            if refusal is not None:
                return send(refusal, start_response)
            answer = self.aws(environ, start_response)
        if self.snapshots is not None:
            self.snapshots.changed()  # after the change is made, so the next snapshot holds it
        return answer

    def aws(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        """moto's answer; its HTML error pages replaced by AWS-shaped errors (validation/errors.py)."""
        captured: list[tuple[str, list[tuple[str, str]], Any]] = []

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], Any]:
            captured.append((status, headers, exc_info))
            return lambda data: None  # moto (Flask) returns its body; it never calls write()

        try:
            body = self.moto(environ, capture)
        except NotImplementedError as error:  # moto's BaseResponse: "The <Action> action has not been implemented"
            named = NOT_IMPLEMENTED.search(str(error))
            action = "".join(part[:1].upper() + part[1:] for part in named.group(1).split("_")) if named else None
            return send(validation.unimplemented(environ, action), start_response)
        except Exception as error:
            traceback.print_exc(file=sys.stderr)
            return send(validation.failed(environ, f"{type(error).__name__}: {error}"), start_response)
        status, headers, exc_info = captured[-1]
        content_type = next((value for name, value in headers if name.lower() == "content-type"), "")
        if int(status.split()[0]) >= 400 and content_type.startswith("text/html"):
            # moto's own errors can carry Flask's default text/html type (an S3 HEAD's empty 404): only
            # werkzeug's HTML page, which no SDK can parse, is replaced
            content = b"".join(body)
            if hasattr(body, "close"):
                body.close()
            if content.lstrip()[:15].lower() == b"<!doctype html>":
                if status.startswith(("404", "405")):  # no moto route for this method and path
                    return send(validation.unimplemented(environ), start_response)
                return send(validation.failed(environ, status), start_response)
            body = [content]
        start_response(status, headers, exc_info)
        return body


NOT_IMPLEMENTED = re.compile(r"The (\w+) action has not been implemented")


def send(answer: validation.Answer, start_response: Callable[..., Any]) -> list[bytes]:
    start_response(answer.status_line, answer.headers)
    return [answer.body]


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
