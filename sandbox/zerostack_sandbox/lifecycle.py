"""Bring every simulated object up to the sandbox clock, lazily.

Nothing in the sandbox runs on its own timer except the scheduler: a training job's status, its
log lines and its artifacts are worked out from the clock whenever someone looks (a Describe, a
List, a log read, the control surface). Patches register an observer here, and wrap the backend
methods that read state with `observes_time`, so the state a client sees is always current.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from typing import Any, ParamSpec, TypeVar

from .clock import clock

P = ParamSpec("P")
R = TypeVar("R")

# One lock for all simulated state: moto's backends are not thread-safe and the server is threaded.
LOCK = threading.RLock()

Observer = Callable[[float], None]  # receives clock.timestamp()
_observers: list[Observer] = []


def register_observer(observer: Observer) -> Observer:
    if observer not in _observers:
        _observers.append(observer)
    return observer


def observe_all() -> None:
    """Advance every simulated object to clock.now()."""
    with LOCK:
        now = clock.timestamp()
        for observer in _observers:
            observer(now)


def observes_time(method: Callable[P, R]) -> Callable[P, R]:
    """Wrap a backend method so that it sees the world as of clock.now()."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with LOCK:
            observe_all()
            return method(*args, **kwargs)

    return wrapper


def locked(method: Callable[P, R]) -> Callable[P, R]:
    """Wrap a backend method that changes simulated state."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with LOCK:
            return method(*args, **kwargs)

    return wrapper


def each_backend(backends: Any) -> Iterator[Any]:
    """Every backend (account x region) of a moto BackendDict that has been touched."""
    for _account, _region, backend in list(backends.iter_backends()):
        yield backend
