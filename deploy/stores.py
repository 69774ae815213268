"""The class's tally store for `make class STORE=sqlite|redis|postgres`: a Redis or PostgreSQL server from Debian's
packages started here by Popen on a free loopback port, kept by its PID, its data in a folder of its own.

    with tally_store("redis", folder) as url:      # url goes to every app server as RNNVIZ_TALLY
        ...
"""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .processes import free_port, wait_ready

STORES = ("sqlite", "redis", "postgres")


def listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def wait_listening(port: int, proc: subprocess.Popen, name: str, seconds: float = 30) -> None:
    """Wait until `port` accepts a connection; RuntimeError if `proc` ends or the deadline passes first."""
    wait_ready(lambda: listening(port), proc, f"{name} ended with code {{code}} before it listened on port {port}",
               f"{name} did not listen on port {port} within {seconds:.0f} s", seconds, every=0.1)


def stop(proc: subprocess.Popen, seconds: float = 10) -> None:
    """SIGTERM the server by its PID, then SIGKILL."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(seconds)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def start_redis(folder: Path) -> tuple[subprocess.Popen, str]:
    """redis-server on a free loopback port, nothing saved to disk; (process, URL)."""
    server = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not os.path.exists(server):
        raise RuntimeError("redis-server is not installed: run `make redis` as root, or `apt-get install redis-server`")
    port = free_port()
    folder.mkdir(parents=True, exist_ok=True)
    log = open(folder / "redis.log", "ab")
    proc = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", str(folder)], stdout=log, stderr=subprocess.STDOUT)
    log.close()
    wait_listening(port, proc, "redis-server")
    return proc, f"redis://127.0.0.1:{port}/0"


def postgres_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise RuntimeError("PostgreSQL is not installed: run `make postgres` as root, or `apt-get install postgresql`")
    return found[-1]


def start_postgres(folder: Path) -> tuple[subprocess.Popen, str]:
    """A PostgreSQL cluster of its own (initdb in `folder`) on a free loopback port; (process,
    URL). As root it runs as the `postgres` user the Debian package made (the server refuses root): `folder` must be
    one that user can reach (tally_store makes one)."""
    user = "postgres" if os.geteuid() == 0 else None
    folder.mkdir(parents=True, exist_ok=True)
    if user:
        shutil.chown(folder, user)
    data = folder / "pgdata"
    subprocess.run([postgres_bin("initdb"), "-D", str(data), "-U", "rnnviz", "--auth=trust", "-E", "UTF8"],
                   check=True, capture_output=True, user=user)
    port = free_port()
    log = open(folder / "postgres.log", "ab")
    proc = subprocess.Popen([postgres_bin("postgres"), "-D", str(data), "-p", str(port), "-k", str(folder),
                             "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"],
                            stdout=log, stderr=subprocess.STDOUT, user=user)
    log.close()
    wait_listening(port, proc, "postgres")
    url = f"postgresql://rnnviz@127.0.0.1:{port}/postgres"
    deadline = time.time() + 30
    while True:                          # the port opens before the server accepts sessions
        try:
            import psycopg
            psycopg.connect(url, connect_timeout=2).close()
            return proc, url
        except Exception:
            if time.time() > deadline or proc.poll() is not None:
                stop(proc)
                raise
            time.sleep(0.2)


@contextmanager
def tally_store(kind: str, folder: Path) -> Iterator[str]:
    """The RNNVIZ_TALLY URL of a store of `kind`, its server started here and stopped after, by PID."""
    if kind not in STORES:
        raise ValueError(f"STORE must be one of {', '.join(STORES)}, got {kind!r}")
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'tally.db'}"
        return
    own = Path(tempfile.mkdtemp(prefix=f"rnnviz-{kind}-"))     # under /tmp: the postgres user reaches it
    proc, url = (start_redis if kind == "redis" else start_postgres)(own)
    try:
        yield url
    finally:
        stop(proc)
        shutil.rmtree(own, ignore_errors=True)
