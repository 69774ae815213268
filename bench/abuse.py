"""What a careless or hostile class can do to one real server (issue 12), measured.

Sessions speak Streamlit's own websocket protocol (bench/stclient.py) against `streamlit run`, started with a
short reconnect grace period (--server.disconnectedSessionTTL) and a small server queue cap so each bound is
reached in seconds. Scenarios, in order:

- memory: N sessions (a class: 40) open the largest Explore link at once, each with its own seed; the server's
  peak RSS against the ceiling the README states.
- attack: four tabs open issue 12's link (LSTM, hidden 256, 4 layers, 100,000 steps, 5,000 characters) and
  press "Compare cells": each is refused with the session's bound.
- queue: a hostile session trains at its budget (three runs, the most steps that fit); a classmate's 100-step
  apple run: seconds until it starts training (queue_wait_s) and until it finishes.
- full: a second hostile session fills the server's queue; a third student is told, the others keep their runs.
- orphans: the hostile sessions close; the server's CPU share once the grace period has passed (and how soon it
  fell under 5%).
- shutdown: SIGTERM with runs training; the server exits cleanly (no `terminate called ...`).

    python bench/abuse.py [--json] [--short]
"""
from __future__ import annotations

import asyncio
import re
import signal
import tempfile
import time
from urllib.parse import urlencode

from common import emit, parser, table
from load import RssWatch
from stclient import Server, Session

from rnnviz.train.runner import REAP_SECONDS

TTL = 3                    # seconds a closed session may come back (Streamlit's default is 120)
SERVER_RUNS = 6            # the server's queue cap for this bench: two hostile sessions fill it
CEILING_MB = 1500          # README: 40 sessions of the largest link stay under this
LARGEST = dict(text="ab" * 975, cell="lstm", H="256", I="1", enc="embedding", panel="maps")
HOSTILE_TEXT = ("The quick brown fox jumps over the lazy dog; 안녕하세요! " * 100)[:5000]
HOSTILE = dict(view="train", tr_task="text", tr_cell="lstm", tr_hidden="256", tr_layers="4", tr_steps="100000",
               tr_text=HOSTILE_TEXT)
TIMEOUT = 180


class Failures(list):
    """Sessions that failed: an exception on the page, or an error where none belongs."""

    def check(self, name: str, s: Session) -> None:
        if s.exceptions:
            self.append(f"{name}: {s.exceptions[0][:200]}")


def cpu_share(server: Server, seconds: float) -> float:
    """The server's CPU use over the next `seconds`, in percent of one core."""
    c0, t0 = server.cpu_seconds(), time.monotonic()
    time.sleep(seconds)
    return 100 * (server.cpu_seconds() - c0) / (time.monotonic() - t0)


async def open_session(url: str, **query) -> Session:
    s = Session(url, query=urlencode(query))
    await s.open()
    return s


async def poll(s: Session) -> None:
    """One timed redraw of the live progress, as the page asks for it."""
    await asyncio.sleep(s.auto_rerun.get(s.progress_fragment, 0.2))
    await s.rerun(fragment_id=s.progress_fragment, auto=True)


def refusal(s: Session) -> str:
    return next((t for t in s.texts if "Not started" in t), "")


async def memory(url: str, server: Server, n: int, failures: Failures) -> dict:
    """N sessions of the largest Explore link, opened four at a time, all kept open until the last is drawn."""
    base = server.rss_mb()
    watch = RssWatch(server)
    sessions: list[Session] = []
    started = time.perf_counter()
    for first in range(0, n, 4):
        sessions += await asyncio.gather(*[open_session(url, **LARGEST, seed=str(i))
                                           for i in range(first, min(n, first + 4))])
    seconds = time.perf_counter() - started
    for i, s in enumerate(sessions):
        failures.check(f"memory {i}", s)
        await s.close()
    return {"sessions": n, "rss_base_mb": base, "rss_peak_mb": watch.stop(), "open_all_s": seconds}


async def attack(url: str, failures: Failures) -> dict:
    """Four tabs of issue 12's link press "Compare cells"; the budget turns each away."""
    tabs = await asyncio.gather(*[open_session(url, **HOSTILE) for _ in range(4)])
    for s in tabs:
        await s.click("Compare cells")
    told = [refusal(s) for s in tabs]
    for i, s in enumerate(tabs):
        failures.check(f"attack {i}", s)
        await s.close()
    fit = int(re.search(r"up to ([\d,]+) fit", told[0]).group(1).replace(",", "")) if told[0] else 0
    return {"attack_refused": sum(bool(t) for t in told), "attack_tabs": len(tabs), "budget_steps_fit": fit}


async def at_budget(url: str, steps: int) -> Session:
    """A hostile session training three runs of the largest model, as many steps as its budget allows."""
    s = await open_session(url, **{**HOSTILE, "tr_steps": str(steps)})
    await s.click("Compare cells")
    if refusal(s):
        raise RuntimeError(f"a run within the budget was refused: {refusal(s)}")
    return s


async def queue(url: str, hostile: Session, failures: Failures) -> dict:
    """A classmate's 100-step apple run while `hostile` is at its budget: seconds to start, and to finish."""
    s = await open_session(url, view="train")
    started = time.perf_counter()
    await s.click("▶ Start")
    waited = None
    while not any(p.startswith("finished") for p in s.progress):
        if waited is None and any(int(m.group(1)) > 0 for p in s.progress if (m := re.search(r"step (\d+)/", p))):
            waited = time.perf_counter() - started
        if time.perf_counter() - started > TIMEOUT:
            failures.append(f"queue: the apple run did not finish: {s.progress}")
            break
        await poll(s)
    done = time.perf_counter() - started
    failures.check("queue", s)
    await s.close()
    return {"queue_wait_s": done if waited is None else waited, "apple_done_s": done,
            "hostile_runs": len(hostile.progress)}


async def full(url: str, hostile: list[Session], failures: Failures) -> dict:
    """With the queue at its cap, one more student is told; the hostile sessions keep all their runs."""
    before = [await _active(h) for h in hostile]
    late = await open_session(url, view="train")
    await late.click("▶ Start")
    told = refusal(late)
    failures.check("full", late)
    await late.close()
    after = [await _active(h) for h in hostile]
    return {"full_refused": "queue is full" in told, "queue_kept": before == after == [3] * len(hostile)}


async def _active(s: Session) -> int:
    await s.rerun(fragment_id=s.progress_fragment, auto=True)
    return sum("waiting" in p or "training" in p for p in s.progress)


async def orphans(server: Server, hostile: list[Session]) -> dict:
    """Close the hostile sessions; watch the server's CPU until it rests, within the grace period + 30 s."""
    busy = cpu_share(server, 2)
    for s in hostile:
        await s.close()
    closed = time.monotonic()
    stopped_after = None
    while time.monotonic() - closed < TTL + 30:
        if cpu_share(server, 2) < 5:
            stopped_after = time.monotonic() - closed
            break
    after = cpu_share(server, 3)
    return {"cpu_busy_pct": busy, "orphan_cpu_after_s": after, "orphans_stopped_s": stopped_after,
            "orphans_stopped": stopped_after is not None and after < 5, "ttl_s": TTL}


def shutdown(server: Server, errors) -> dict:
    """SIGTERM while runs train; the server must exit by itself, with no C++ terminate on its way out."""
    started = time.monotonic()
    server.proc.send_signal(signal.SIGTERM)
    try:
        code = server.proc.wait(30)
    except Exception:
        code = None
    errors.seek(0)
    text = errors.read().decode(errors="replace")
    return {"exit_code": code, "exit_s": time.monotonic() - started,
            "clean_shutdown": code == 0 and "terminate called" not in text}


async def bench(short: bool) -> dict:
    failures = Failures()
    with tempfile.TemporaryFile() as errors:
        server = Server(env={"RNNVIZ_SERVER_RUNS": str(SERVER_RUNS), "RNNVIZ_TRAIN_WORKERS": "1"},
                        args=("--server.disconnectedSessionTTL", str(TTL)), stderr=errors)
        try:
            figures = await memory(server.url, server, 16 if short else 40, failures)
            figures |= await attack(server.url, failures)
            steps = figures["budget_steps_fit"]
            hostile = [await at_budget(server.url, steps)]
            await asyncio.sleep(1)
            figures |= await queue(server.url, hostile[0], failures)
            hostile.append(await at_budget(server.url, steps))
            figures |= await full(server.url, hostile, failures)
            figures |= await orphans(server, hostile)
            hostile = [await at_budget(server.url, steps)]        # training again, for the shutdown
            await asyncio.sleep(1)
            figures |= shutdown(server, errors)
        finally:
            server.stop()
    figures |= {"failed_sessions": len(failures), "failures": failures, "ceiling_mb": CEILING_MB,
                "reap_s": REAP_SECONDS}
    return figures


def main() -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--short", action="store_true", help="16 sessions for the memory scenario (CI), not 40")
    args = p.parse_args()
    f = asyncio.run(bench(args.short))
    rows = [{"figure": k, "value": v, "target": TARGETS.get(k, "")} for k, v in f.items() if k != "failures"]
    emit(args, f, table(rows, "abuse: one real server, a hostile class") +
         "".join(f"\nfailed: {x}" for x in f["failures"]))


TARGETS = {"orphan_cpu_after_s": "< 5 (% of a core)", "rss_peak_mb": f"< {CEILING_MB}", "queue_wait_s": "< 5",
           "failed_sessions": "0", "attack_refused": "4", "full_refused": "True", "queue_kept": "True",
           "orphans_stopped": "True", "clean_shutdown": "True"}


if __name__ == "__main__":
    main()
