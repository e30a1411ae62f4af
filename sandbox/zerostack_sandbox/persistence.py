"""Keep the sandbox's AWS state across restarts, in `--state-dir`.

zerostack keeps the sandbox's Pulumi state next to it; if a restart emptied moto while Pulumi
still listed resources, the two would disagree. With a state directory the server loads
`state.pickle` at start, saves it (atomically) at most every few seconds after requests came in,
and on a clean stop. A snapshot that cannot be read is moved aside and the sandbox starts empty.
The file is a Python pickle: only load state directories you created.
"""

from __future__ import annotations

import pickle
import sys
import threading
import time
from pathlib import Path
from typing import Any

from moto.backends import get_backend
from moto.core.base_backend import BackendDict
from moto.logs.models import LogEvent

from . import __version__
from .clock import clock
from .lifecycle import LOCK
from .patches import invoke, scheduler
from .scenario import scenarios

FORMAT = 1


class Snapshots:
    def __init__(self, state_dir: Path, min_interval_s: float = 2.0) -> None:
        self.path = state_dir / "state.pickle"
        self.min_interval_s = min_interval_s
        self._changes = 0
        self._saved_changes = 0
        self._saved_at = 0.0
        self._lock = threading.Lock()

    def changed(self) -> None:
        """Called for every request; the next `maybe_save` writes a snapshot."""
        self._changes += 1

    def maybe_save(self) -> None:
        if self._changes != self._saved_changes and time.monotonic() - self._saved_at >= self.min_interval_s:
            self.save()

    def save(self) -> None:
        with self._lock, LOCK:
            changes = self._changes
            document: dict[str, Any] = {
                "format": FORMAT,
                "version": __version__,
                "backends": {b.service_name: dict(b) for b in BackendDict._instances},  # type: ignore[misc]
                "clock": {"timestamp": clock.timestamp(), "speed": clock.speed},
                "scenario": scenarios.current,
                "handlers": invoke.handlers.all(),
                "invocations": list(scheduler.invocations),
                "log_event_id": LogEvent._event_id,
            }
            data = pickle.dumps(document, protocol=pickle.HIGHEST_PROTOCOL)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_bytes(data)
        temporary.replace(self.path)
        self._saved_changes, self._saved_at = changes, time.monotonic()

    def load(self) -> bool:
        if not self.path.exists():
            return False
        try:
            document = pickle.loads(self.path.read_bytes())
            if document.get("format") != FORMAT:
                raise ValueError(f"snapshot format {document.get('format')}, expected {FORMAT}")
            with LOCK:
                for service_name, accounts in document["backends"].items():
                    try:
                        backends = get_backend(service_name)  # type: ignore[call-overload]
                    except (ImportError, AttributeError):
                        print(f"zerostack-sandbox: snapshot has unknown service {service_name}", file=sys.stderr)
                        continue
                    backends.update(accounts)
                    if backends not in BackendDict._instances:  # type: ignore[misc]
                        BackendDict._instances.append(backends)  # type: ignore[misc]
                clock.restore(document["clock"]["timestamp"], document["clock"]["speed"])
                scenarios.current = document["scenario"]
                for name, url in document["handlers"].items():
                    invoke.handlers.register(name, url)
                scheduler.invocations[:] = document["invocations"]
                LogEvent._event_id = max(LogEvent._event_id, document["log_event_id"])
            return True
        except Exception as error:  # a bad snapshot must not keep the sandbox from starting
            broken = self.path.with_suffix(".broken")
            self.path.replace(broken)
            print(f"zerostack-sandbox: could not load {self.path} ({error!r}); moved to {broken}", file=sys.stderr)
            return False
