"""What every process `make class` starts needs: a free loopback port, and a wait until it is ready that fails at once
when the process ends first (deploy/supervise.py's app servers, deploy/stores.py's Redis and PostgreSQL)."""
from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Callable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(ready: Callable[[], bool], proc: subprocess.Popen, ended: str, late: str, seconds: float,
               every: float) -> None:
    """Poll `ready` every `every` s until it is true; RuntimeError(`ended`, its {code} filled in) if `proc` ends
    first, RuntimeError(`late`) if `seconds` pass."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(ended.format(code=proc.returncode))
        if ready():
            return
        time.sleep(every)
    raise RuntimeError(late)
