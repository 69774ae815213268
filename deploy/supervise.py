"""`make class`: N Streamlit servers on free loopback ports and HAProxy in front of them on one address.

Every process is started with Popen and kept by its PID; health is polled through /_stcore/health; a server that
dies is started again on its port (the proxy sends its students elsewhere meanwhile); Ctrl+C stops everything
this started, by PID, and removes the run folder with the generated configuration.

    python -m deploy.supervise --replicas 2 --port 8501 [--address 0.0.0.0] [--store sqlite|redis|postgres]

--store names the class's tally (deploy/stores.py): SQLite beside the shared runs (default), or a Redis or PostgreSQL
server started here by PID for the servers to count into (RNNVIZ_TALLY), stopped with them.
"""
from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from .processes import free_port, wait_ready
from .proxy import COOKIE, config, server_name
from .stores import STORES, tally_store

ROOT = Path(__file__).resolve().parent.parent
HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"


def healthy(url: str) -> bool:
    try:
        return urllib.request.urlopen(url + "/_stcore/health", timeout=1).read() == b"ok"
    except OSError:
        return False


def wait_healthy(url: str, proc: subprocess.Popen, seconds: float = 60) -> None:
    """Wait until `url` answers its health check; RuntimeError if `proc` ends or the deadline passes first."""
    wait_ready(lambda: healthy(url), proc, f"{proc.args[0]} ended with code {{code}} before {url} was healthy",
               f"{url} was not healthy within {seconds:.0f} s", seconds, every=0.2)


def stop_pid(proc: subprocess.Popen, seconds: float = 10) -> None:
    """SIGTERM the process group this process leads (it was started in a session of its own), then SIGKILL."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(seconds)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


class Cluster:
    """N app servers sharing one run store and cookie secret, behind HAProxy; a context manager."""

    def __init__(self, replicas: int = 2, port: int | None = None, address: str = "127.0.0.1", env: dict | None = None):
        if not 1 <= replicas <= 64:
            raise ValueError(f"replicas must be between 1 and 64, got {replicas}")
        if not os.path.exists(HAPROXY):
            raise RuntimeError("HAProxy is not installed: run `make haproxy` as root, or `apt-get install haproxy`")
        self.port, self.address = port or free_port(), address
        self.run_dir = Path(tempfile.mkdtemp(prefix="rnnviz-class-"))
        # One cookie secret for all: a browser's cookies stay valid when the proxy moves it to another server.
        self.env = {**os.environ, "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32), **(env or {})}
        self.ports = [free_port() for _ in range(replicas)]
        self.servers: list[subprocess.Popen | None] = [None] * replicas
        self.proxy: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.address in ("0.0.0.0", "::") else self.address
        return f"http://{host}:{self.port}"

    def server_url(self, i: int) -> str:
        return f"http://127.0.0.1:{self.ports[i]}"

    def start_server(self, i: int) -> subprocess.Popen:
        """Streamlit server i on its loopback port; waits until it is healthy."""
        log = open(self.run_dir / f"server-{i + 1}.log", "ab")
        self.servers[i] = proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(self.ports[i]),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env=self.env)
        log.close()
        return proc

    def start(self) -> Cluster:
        try:
            for i in range(len(self.ports)):
                self.start_server(i)
            for i, proc in enumerate(self.servers):
                wait_healthy(self.server_url(i), proc)
            cfg = self.run_dir / "haproxy.cfg"
            cfg.write_text(config(self.ports, self.port, self.address))
            log = open(self.run_dir / "haproxy.log", "ab")
            self.proxy = subprocess.Popen([HAPROXY, "-db", "-f", str(cfg)], stdout=log, stderr=subprocess.STDOUT,
                                          start_new_session=True)
            log.close()
            wait_healthy(self.url, self.proxy, 20)
        except BaseException:
            self.stop()
            raise
        return self

    def restart_server(self, i: int) -> None:
        """Start server i again after it ended; wait until it and the proxy's route to it are up."""
        wait_healthy(self.server_url(i), self.start_server(i))
        deadline = time.time() + 20
        while not self.routes_to(i):
            if time.time() > deadline:
                raise RuntimeError(f"the proxy did not mark server {i + 1} up within 20 s")
            time.sleep(0.2)

    def routes_to(self, i: int) -> bool:
        """A browser whose cookie names server i is served by it (the proxy would set another cookie if not)."""
        request = urllib.request.Request(self.url + "/_stcore/health", headers={"Cookie": f"{COOKIE}={server_name(i)}"})
        try:
            with urllib.request.urlopen(request, timeout=2) as r:
                return r.read() == b"ok" and not any(c.startswith(COOKIE) for c in r.headers.get_all("Set-Cookie") or [])
        except OSError:
            return False

    def kill_server(self, i: int) -> None:
        """End server i at once (SIGKILL), as a crash would."""
        os.killpg(self.servers[i].pid, signal.SIGKILL)
        self.servers[i].wait()

    def pids(self) -> list[int]:
        return [p.pid for p in [*self.servers, self.proxy] if p is not None]

    def stop(self) -> None:
        """Stop the proxy first (no new requests), then every server; by PID."""
        for proc in [self.proxy, *self.servers]:
            if proc is not None:
                stop_pid(proc)
        shutil.rmtree(self.run_dir, ignore_errors=True)

    def watch(self, every: float = 1.0) -> None:
        """Until stopped: start again any server that died; give up if the proxy itself died."""
        while True:
            if self.proxy.poll() is not None:
                raise RuntimeError(f"HAProxy ended with code {self.proxy.returncode}; see {self.run_dir}/haproxy.log")
            for i, proc in enumerate(self.servers):
                if proc.poll() is not None:
                    print(f"server {i + 1} (pid {proc.pid}) ended with code {proc.returncode}: starting it again; "
                          "the proxy sends its students to the others meanwhile", flush=True)
                    self.start_server(i)
            time.sleep(every)

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--replicas", type=int, default=2, help="Streamlit servers behind the proxy")
    p.add_argument("--port", type=int, default=8501, help="the proxy's port")
    p.add_argument("--address", default="127.0.0.1", help="the proxy's address (0.0.0.0: the whole network)")
    p.add_argument("--store", default="sqlite", choices=STORES, help="the class's tally: where answers are counted")
    args = p.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))       # `kill PID` stops cleanly, as Ctrl+C does
    if args.store == "sqlite" or os.environ.get("RNNVIZ_TALLY"):    # SQLite beside the runs, or a store given
        serve(args, {})
        return
    with tempfile.TemporaryDirectory(prefix="rnnviz-tally-") as folder, tally_store(args.store, Path(folder)) as url:
        print(f"rnnviz: the class's tally is {args.store} at {url}", flush=True)
        serve(args, {"RNNVIZ_TALLY": url})


def serve(args: argparse.Namespace, env: dict) -> None:
    """The servers and the proxy until Ctrl+C or SIGTERM."""
    cluster = Cluster(args.replicas, args.port, args.address, env=env)
    try:
        cluster.start()
        print(f"rnnviz: {args.replicas} servers (pids {', '.join(map(str, cluster.pids()[:-1]))}) behind HAProxy "
              f"(pid {cluster.proxy.pid}) at http://{args.address}:{args.port} — Ctrl+C stops them all", flush=True)
        cluster.watch()
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()
        print("rnnviz: stopped every process this started", flush=True)


if __name__ == "__main__":
    main()
