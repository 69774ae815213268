"""Waiting: poll a condition until a deadline, and fail saying what was awaited (never sleep, then assert).

A bound in seconds is a claim about this machine: `scaled` stretches it by how slow the machine is now (its CPU
against a reference core, and how many runnable processes share each core), so a busy CI box waits longer
instead of failing a correct test."""
from __future__ import annotations

import functools
import os
import sys
import time
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

Value = TypeVar("Value")
REFERENCE_SECONDS = 0.02      # CPU seconds of `_reference_work` on one core of the machine the bounds were set on


def fail(message: str) -> NoReturn:
    """Fail a test with just `message` (under pytest), or raise TimeoutError (a benchmark)."""
    if "pytest" in sys.modules:
        import pytest
        pytest.fail(message, pytrace=False)
    raise TimeoutError(message)


def _reference_work() -> int:
    return sum(i * i for i in range(200_000))


@functools.cache
def cpu_slowness() -> float:
    """How much slower this machine's core is than the reference core (at least 1): CPU time, so load aside."""
    best = float("inf")
    for _ in range(3):
        t0 = time.process_time()
        _reference_work()
        best = min(best, time.process_time() - t0)
    return max(1.0, best / REFERENCE_SECONDS)


def load_slowness() -> float:
    """How many runnable processes share each core over the last minute (at least 1)."""
    return max(1.0, os.getloadavg()[0] / (os.cpu_count() or 1))


def scaled(seconds: float) -> float:
    """`seconds` on the reference machine, idle, as a bound on this machine as busy as it is now."""
    return seconds * cpu_slowness() * load_slowness()


def wait_for(what: str, condition: Callable[[], Value], seconds: float = 30.0, every: float = 0.02,
             seen: Callable[[], object] | None = None, pause: Callable[[float], object] = time.sleep) -> Value:
    """Poll `condition` until it returns something true, and return that; after `seconds`, fail naming `what`
    (and what `seen()` reports then). `pause` waits between polls (a browser page's own wait keeps its events)."""
    deadline = time.monotonic() + seconds
    while not (value := condition()):
        if time.monotonic() > deadline:
            state = f"; {seen()!r}" if seen else ""
            fail(f"waited {seconds:g} s for {what}{state}")
        pause(every)
    return value


def rerun_until(at: Any, predicate: Callable[[Any], object], what: str, seconds: float = 60.0,
                seen: Callable[[], object] | None = None) -> Any:
    """Rerun an AppTest page (as its fragment timers would) until `predicate(at)` holds, and return the page.
    `seconds` is the bound on an idle reference machine (training runs share the machine's cores): scaled."""
    wait_for(what, lambda: predicate(at.run()), scaled(seconds), every=0.1, seen=seen)
    return at
