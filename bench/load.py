"""A whole class at once: N sessions follow a scripted lesson against one real server.

Each session opens the app, types a word, steps through t, switches the cell to LSTM, opens the Train view
and trains the apple preset to the end. Most sessions speak Streamlit's own websocket protocol
(bench/stclient.py: thirty Chromium renderers on two cores would measure the client, not the server);
a few real Chromium pages (Playwright, Debian's /usr/bin/chromium, at low CPU priority: in a class each
browser runs on its own laptop) run the same lesson in every phase with more than one session. Reported
per N: p50/p95 server time of a t-move and of a text change, training steps per second per session, failed
sessions, peak server RSS, and RSS after the sessions closed.

    python bench/load.py [--json] [--n 1,10,30] [--browsers 3] [--settle 60]

With --proxy, the same lesson runs through HAProxy in front of --replicas servers (deploy/, as `make class`) at
N = 30 and 60, with each server's RSS; then a failover run kills one server at N = 30 and counts the sessions
back on their view (their text and t, from their link) within 10 s.

    python bench/load.py --proxy [--replicas 2] [--json]

A class answering a question at once (60 students within 10 s on `make class`'s servers, each answer counted exactly
once in the tally, the teacher's view's lag; bench/class_load.py):

    python bench/load.py --answers [--students 60] [--window 10] [--replicas 2] [--store sqlite|redis|postgres] [--json]
"""
from __future__ import annotations

import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from urllib.parse import urlencode

from common import emit, parser, table  # (puts the repository's root on the path: deploy and testkit below)

from deploy.supervise import Cluster
from testkit.classroom import RssWatch, browser_lessons, phase
from testkit.stclient import Server, Session


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def run(ns: list[int], browsers: int, settle: float, think: float, timeout: float = 300.0) -> dict:
    with Server() as server:
        asyncio.run(phase(server.url, 1, 0, timeout))             # warm-up: imports torch, fills the caches
        repeats = 3                                                 # N = 1 runs the lesson 3 times for enough samples
        time.sleep(settle)
        baseline = server.rss_mb()
        rows = []
        for n in ns:
            watch = RssWatch(server)
            started = time.perf_counter()
            results = [r for _ in range(repeats if n == 1 else 1)
                       for r in asyncio.run(phase(server.url, n, min(browsers, n - 1) if n > 1 else 0, timeout, think))]
            wall = time.perf_counter() - started
            peak = watch.stop()
            time.sleep(settle)
            moves = [x for r in results for x in r["t_move"]]
            texts = [x for r in results for x in r["text"]]
            rates = [r["steps_per_s"] for r in results if r["steps_per_s"]]
            failed = [r["failed"] for r in results if r["failed"]]
            rows.append({"N": n, "browsers": sum(r["kind"] == "browser" for r in results),
                         "t-move p50 ms": pct(moves, 0.5) * 1e3, "t-move p95 ms": pct(moves, 0.95) * 1e3,
                         "text p50 ms": pct(texts, 0.5) * 1e3, "text p95 ms": pct(texts, 0.95) * 1e3,
                         "train steps/s/session": statistics.median(rates) if rates else float("nan"),
                         "failed": len(failed), "wall s": wall, "peak RSS MB": peak,
                         "RSS after MB": server.rss_mb(), "errors": failed[:3]})
    return {"baseline_rss_mb": baseline, "rows": rows, "settle_s": settle}


def rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as f:
            return next(int(line.split()[1]) / 1024 for line in f if line.startswith("VmRSS:"))
    except (OSError, StopIteration):
        return float("nan")                     # a server that was killed


def cpu_s(pid: int) -> float:
    """CPU time (user + system) a process has used so far, in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class ServersWatch:
    """Each server's peak RSS, sampled in the background."""

    def __init__(self, pids: list[int]):
        self.pids, self.peak, self._stop = pids, [rss_mb(p) for p in pids], threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.wait(0.25):
            self.peak = [max(m, rss_mb(p)) for m, p in zip(self.peak, self.pids)]

    def stop(self) -> list[float]:
        self._stop.set()
        self._thread.join()
        return self.peak


class ViewSession(Session):
    """A Session that reads what its text box and t slider show: is the student on their view?"""

    def _read_delta(self, fwd) -> None:
        super()._read_delta(fwd)
        el = fwd.delta.new_element
        if fwd.delta.WhichOneof("type") == "new_element" and el.WhichOneof("type") in ("slider", "text_area"):
            w = getattr(el, el.WhichOneof("type"))
            self.shown = getattr(self, "shown", {}) | {w.label: list(w.value) if hasattr(w.value, "extend") else w.value}

    def on_view(self, text: str, t: int) -> bool:
        shown = getattr(self, "shown", {})
        return shown.get("Text") == text and shown.get("time step t") == [float(t)]


async def reconnect(url: str, query: str) -> ViewSession:
    """A new session through the proxy with the page's link, tried again every 0.25 s as the page pings."""
    while True:
        s = ViewSession(url, query=query)
        try:
            await s.open()
            return s
        except Exception:
            await asyncio.sleep(0.25)


async def failover_lesson(url: str, i: int, killed: asyncio.Event, think: float, after: float = 15.0) -> dict:
    """A student stepping t from a link; when the server under them dies, they reconnect through the proxy with
    their link, as the page does, and time from the kill until their view (text, t) is back."""
    rng, text, t = random.Random(i), f"student {i}", 3
    r = {"dropped": False, "back_s": None, "failed": None}

    def link() -> str:
        return urlencode({"text": text, "cell": "lstm", "t": t})

    s = ViewSession(url, query=link())
    try:
        await s.open()
        ended = None
        while ended is None or time.perf_counter() < ended:
            await asyncio.sleep(think * rng.uniform(0.5, 1.5))
            if killed.is_set() and ended is None:
                ended = time.perf_counter() + after
            t = 4 if t == 3 else 3
            try:
                await s.change("time step t", double_array_value=[t])
                s.query = link()                                    # the page writes t into its link
                continue
            except Exception as e:                                  # the websocket closed under us
                if not killed.is_set() or r["dropped"]:
                    raise RuntimeError(f"lost the server without a failover: {e}") from e
            r["dropped"] = True
            t = 4 if t == 3 else 3                                  # the move that was lost: the link has the last
            s = await reconnect(url, link())
            if not s.on_view(text, t):
                raise RuntimeError(f"reconnected but not on the view: {getattr(s, 'shown', {})}")
            r["back_s"] = time.perf_counter() - killed.at
    except Exception as e:
        r["failed"] = f"{type(e).__name__}: {e}"
    finally:
        await s.close()
    return r


async def failover_phase(cluster: Cluster, n: int, think: float, kill_after: float = 8.0) -> list[dict]:
    killed = asyncio.Event()

    async def kill():
        await asyncio.sleep(kill_after)
        killed.at = time.perf_counter()
        cluster.kill_server(0)
        killed.set()

    *results, _ = await asyncio.gather(*[failover_lesson(cluster.url, i, killed, think) for i in range(n)], kill())
    return results


def run_proxy(ns: list[int], browsers: int, settle: float, think: float, replicas: int, failover_n: int = 30,
              timeout: float = 300.0) -> dict:
    """The lesson through HAProxy in front of `replicas` servers, then a failover run."""
    with tempfile.TemporaryDirectory() as runs, Cluster(replicas, env={"RNNVIZ_STORE": runs}) as cluster:
        for i in range(replicas):                                     # warm each server up, as one server is
            asyncio.run(phase(cluster.server_url(i), 1, 0, timeout))
        time.sleep(settle)
        servers = [p.pid for p in cluster.servers]
        baseline = [rss_mb(p) for p in servers]
        rows = []
        # The baseline, in the same run: the N = 30 lesson straight to one server, then every N through the proxy.
        for via, url, n in [("1 server, direct", cluster.server_url(0), ns[0])] + [
                (f"proxy, {replicas} servers", cluster.url, n) for n in ns]:
            watch, cpu = ServersWatch(servers), sum(cpu_s(p) for p in servers)
            started = time.perf_counter()
            results = asyncio.run(phase(url, n, min(browsers, n - 1), timeout, think))
            wall = time.perf_counter() - started
            peak, cpu = watch.stop(), sum(cpu_s(p) for p in servers) - cpu
            time.sleep(settle)
            moves = [x for r in results for x in r["t_move"]]
            texts = [x for r in results for x in r["text"]]
            rates = [r["steps_per_s"] for r in results if r["steps_per_s"]]
            failed = [r["failed"] for r in results if r["failed"]]
            rows.append({"via": via, "N": n, "browsers": sum(r["kind"] == "browser" for r in results),
                         "t-move p50 ms": pct(moves, 0.5) * 1e3, "t-move p95 ms": pct(moves, 0.95) * 1e3,
                         "text p50 ms": pct(texts, 0.5) * 1e3, "text p95 ms": pct(texts, 0.95) * 1e3,
                         "train steps/s/session": statistics.median(rates) if rates else float("nan"),
                         "failed": len(failed), "wall s": wall, "server CPU s per session": cpu / n,
                         "peak RSS MB per server": " / ".join(f"{m:.0f}" for m in peak),
                         "RSS after MB per server": " / ".join(f"{rss_mb(p):.0f}" for p in servers),
                         "errors": failed[:3]})
        results = asyncio.run(failover_phase(cluster, failover_n, think))
    dropped = [r for r in results if r["dropped"]]
    back = sorted(r["back_s"] for r in dropped if r["back_s"] is not None)
    failover = {"N": failover_n, "on the killed server": len(dropped),
                "back within 10 s": sum(b <= 10 for b in back), "back p50 s": pct(back, 0.5),
                "back max s": back[-1] if back else float("nan"),
                "failed": sum(1 for r in results if r["failed"]),
                "errors": [r["failed"] for r in results if r["failed"]][:3]}
    return {"baseline_rss_mb": baseline, "rows": rows, "failover": failover, "settle_s": settle}


def main_proxy(args, ns: list[int]) -> None:
    out = run_proxy(ns, args.browsers, args.settle, args.think, args.replicas)
    rows, fo = out["rows"], out["failover"]
    direct, proxied = rows[0], rows[1]
    figures = {"replicas": args.replicas, "failed_sessions": sum(r["failed"] for r in rows),
               "t_move_p95_ratio_proxy_vs_direct": proxied["t-move p95 ms"] / direct["t-move p95 ms"],
               "text_p95_ratio_proxy_vs_direct": proxied["text p95 ms"] / direct["text p95 ms"],
               "failover_back_within_10s": fo["back within 10 s"], "failover_dropped": fo["on the killed server"],
               "baseline_rss_mb": out["baseline_rss_mb"], "rows": rows, "failover": fo}
    shown = [{k: v for k, v in r.items() if k != "errors"} for r in rows]
    text = table(shown, f"a class through HAProxy in front of {args.replicas} servers: students pause {args.think:g} s "
                        "on average; baseline RSS per server "
                        f"{' / '.join(f'{m:.0f}' for m in out['baseline_rss_mb'])} MB after a warm-up session each")
    text += (f"\nthrough the proxy / straight to one server at N = {direct['N']}: t-move p95 "
             f"{figures['t_move_p95_ratio_proxy_vs_direct']:.2f}x, text p95 {figures['text_p95_ratio_proxy_vs_direct']:.2f}x")
    text += "\n\n" + table([{k: v for k, v in fo.items() if k != "errors"}],
                            "failover: server 1 killed (SIGKILL) mid-lesson; its students reconnect through the proxy "
                            "with their link; seconds from the kill until their text and t are back")
    errors = [e for r in rows for e in r["errors"]] + fo["errors"]
    if errors:
        text += "\nfailures:\n" + "\n".join(f"  {e}" for e in errors)
    emit(args, figures, text)


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--browser-worker":
        print(json.dumps(asyncio.run(browser_lessons(*json.loads(sys.argv[2])))))
        return
    if "--answers" in sys.argv:        # a class answering a lesson's question at once (bench/class_load.py's options)
        sys.argv.remove("--answers")
        import class_load
        class_load.main()
        return
    p = parser(__doc__)
    p.add_argument("--n", default="1,10,30", help="comma-separated session counts")
    p.add_argument("--browsers", type=int, default=3, help="real Chromium pages in each phase with N > 1")
    p.add_argument("--settle", type=float, default=60.0, help="seconds to wait after the sessions close")
    p.add_argument("--think", type=float, default=1.0, help="mean seconds a student pauses between actions")
    p.add_argument("--proxy", action="store_true", help="through HAProxy in front of --replicas servers, + failover")
    p.add_argument("--replicas", type=int, default=2, help="servers behind the proxy (with --proxy)")
    args = p.parse_args()
    if args.proxy:
        main_proxy(args, [int(x) for x in (args.n if args.n != "1,10,30" else "30,60").split(",")])
        return
    ns = [int(x) for x in args.n.split(",")]
    out = run(ns, args.browsers, args.settle, args.think)
    rows = out["rows"]
    first, last = rows[0], rows[-1]
    figures = {"p95_ratio_30_vs_1": last["t-move p95 ms"] / first["t-move p95 ms"],
               "failed_sessions": sum(r["failed"] for r in rows),
               "rss_after_ratio": last["RSS after MB"] / out["baseline_rss_mb"],
               "baseline_rss_mb": out["baseline_rss_mb"], "rows": rows}
    shown = [{k: v for k, v in r.items() if k != "errors"} for r in rows]
    text = table(shown, f"a class at once: students pause {args.think:g} s on average between actions; baseline RSS "
                        f"{out['baseline_rss_mb']:.0f} MB after a warm-up session; RSS after = {args.settle:.0f} s "
                        "after the sessions closed")
    errors = [e for r in rows for e in r["errors"]]
    if errors:
        text += "\nfailures:\n" + "\n".join(f"  {e}" for e in errors)
    emit(args, figures, text)


if __name__ == "__main__":
    main()
