"""Waiting in tests: poll a condition until a deadline, and fail saying what was awaited (never sleep, then assert)."""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

import pytest

Value = TypeVar("Value")


def wait_for(what: str, condition: Callable[[], Value], seconds: float = 30.0, every: float = 0.02,
             seen: Callable[[], object] | None = None) -> Value:
    """Poll `condition` until it returns something true, and return that; after `seconds`, fail naming `what`
    (and what `seen()` reports then)."""
    deadline = time.monotonic() + seconds
    while not (value := condition()):
        if time.monotonic() > deadline:
            state = f"; {seen()!r}" if seen else ""
            pytest.fail(f"waited {seconds:g} s for {what}{state}", pytrace=False)
        time.sleep(every)
    return value


def rerun_until(at: Any, predicate: Callable[[Any], object], what: str, seconds: float = 60.0,
                seen: Callable[[], object] | None = None) -> Any:
    """Rerun an AppTest page until `predicate(at)` holds, and return the page; fail naming `what`."""
    wait_for(what, lambda: predicate(at.run()), seconds, every=0.1, seen=seen)
    return at
