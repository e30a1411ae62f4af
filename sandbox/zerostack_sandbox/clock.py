"""The sandbox clock: wall time that tests can speed up or jump forward.

Every simulated lifecycle (training phases, log lines, endpoint delays, schedules) reads
`clock.now()` instead of the wall clock, so one `POST /_zerostack/clock {"speed": 20}` makes the
whole sandbox twenty times faster without any timeline having to know about it.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime


class SandboxClock:
    """now() = the wall clock at the last anchor + (real seconds since) x speed + manual advances."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._anchor_real = time.time()
            self._anchor_sandbox = self._anchor_real
            self._speed = 1.0

    def timestamp(self) -> float:
        """Sandbox time as POSIX seconds."""
        with self._lock:
            return self._anchor_sandbox + (time.time() - self._anchor_real) * self._speed

    def now(self) -> datetime:
        return to_datetime(self.timestamp())

    @property
    def speed(self) -> float:
        return self._speed

    def set_speed(self, speed: float) -> None:
        if speed <= 0:
            raise ValueError("speed must be > 0")
        with self._lock:
            real = time.time()
            self._anchor_sandbox += (real - self._anchor_real) * self._speed
            self._anchor_real = real
            self._speed = float(speed)

    def advance(self, seconds: float) -> None:
        """Jump forward; the sandbox clock never goes backwards."""
        if seconds < 0:
            raise ValueError("advance must be >= 0")
        with self._lock:
            self._anchor_sandbox += seconds

    def restore(self, timestamp: float, speed: float) -> None:
        """Continue from a saved sandbox time (never behind the wall clock) at a saved speed."""
        with self._lock:
            self._anchor_real = time.time()
            self._anchor_sandbox = max(timestamp, self._anchor_real)
            self._speed = float(speed)

    def describe(self) -> dict[str, object]:
        now = self.now()
        return {
            "now": now.isoformat() + "Z",
            "epoch_seconds": round(self.timestamp(), 3),
            "speed": self._speed,
            "offset_seconds": round(self.timestamp() - time.time(), 3),
        }


def to_datetime(seconds: float) -> datetime:
    """Naive UTC, the convention moto's models use for every timestamp they hold."""
    return datetime.fromtimestamp(seconds, tz=UTC).replace(tzinfo=None)


clock = SandboxClock()
