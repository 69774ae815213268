"""A class answering at once: N students answer a lesson's question within a window of seconds, on `make class`.

REPLICAS servers behind HAProxy (deploy.supervise's Cluster) count into one tally (--store, as `make class STORE=`).
Most students speak Streamlit's websocket protocol (testkit.stclient: each a session of its own, no cookie, so a
student of their own); a few are real Chromium pages. Each student opens lesson 000's page 6 with the class code,
and within the window chooses an answer to its question (every third one wrong) and presses Check. The teacher's view
(a real Chromium page) watches. Reported: answers acknowledged, p50/p95 seconds from Check to the page's answer,
whether the tally holds every answer exactly once (its counts equal what was sent), and the seconds from the last
answer to the teacher's view showing the full count.

    python bench/class_load.py [--students 60] [--browsers 3] [--window 10] [--replicas 2] [--store sqlite] [--json]
"""
from __future__ import annotations

import asyncio
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

from common import emit, parser, table  # (puts the repository's root on the path: deploy and testkit below)

from deploy.stores import STORES, tally_store
from deploy.supervise import Cluster
from rnnviz import words
from rnnviz.lessons import LESSONS
from rnnviz.lessons import questions as qs
from rnnviz.pipeline import build
from rnnviz.tally import open_tally
from testkit.browser import ARGS, CHROMIUM
from testkit.stclient import Session

CODE = "bench-class"
QUERY = f"view=lessons&lesson=000&page=6&code={CODE}"
RIGHT, WRONG = "(10, 8)", "(8, 10)"          # lesson 000's loop: the stack of every h_t is (T, H) = (10, 8)
LOOP = next(p for p in LESSONS["000"] if p.id == "loop")
OPTIONS = list(qs.on_page("000", "loop").options(LOOP.facts(build(LOOP.config()))))      # as the page offers them
BOX = ".st-key-q_page_000_loop"
TEACHER_BOX = ".st-key-class_q_loop"


def typed(i: int) -> str:
    return WRONG if i % 3 == 0 else RIGHT


async def protocol_student(url: str, i: int, ready: asyncio.Barrier, window: float) -> dict:
    """Open the page; once every student's page is open, wait for this student's moment in the window, type and
    Check; seconds to the answer."""
    s = Session(url, QUERY)
    await s.open()
    await ready.wait()
    await asyncio.sleep(random.uniform(0, window))
    assert typed(i) in OPTIONS, (typed(i), OPTIONS)
    s.set(words.say("question.yours"), string_value=typed(i))        # a radio sends its option as written
    seconds = await s.click(words.say("question.check"))
    await s.close()
    return dict(kind="protocol", seconds=seconds, failed="; ".join(s.exceptions) or None)


async def browser_student(browser, url: str, i: int, ready: asyncio.Barrier, window: float) -> dict:
    page = await (await browser.new_context()).new_page()
    await page.goto(f"{url}/?{QUERY}", timeout=300_000)
    box = page.locator(BOX)
    await box.get_by_text(RIGHT, exact=True).wait_for(timeout=300_000)
    await ready.wait()
    await asyncio.sleep(random.uniform(0, window))
    await box.get_by_text(typed(i), exact=True).click()
    t0 = time.monotonic()
    await box.get_by_role("button", name=words.say("question.check")).click()
    key = "question.wrong" if typed(i) == WRONG else "question.right"
    await box.get_by_text(words.say(key, answer=typed(i), right=RIGHT)).wait_for(timeout=120_000)
    return dict(kind="browser", seconds=time.monotonic() - t0, failed=None)


async def teacher_sees(page, n: int, right: int, timeout: float) -> float:
    """Seconds until the teacher's view shows `n answered, right right` for the question."""
    expected = words.say("class_view.answered", n=n, right=right)
    t0 = time.monotonic()
    while expected not in await page.locator(TEACHER_BOX).inner_text():
        if time.monotonic() - t0 > timeout:
            return float("inf")
        await asyncio.sleep(0.05)
    return time.monotonic() - t0


async def lesson(cluster: Cluster, students: int, browsers: int, window: float) -> dict:
    from playwright.async_api import async_playwright
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        teacher = await (await browser.new_context(viewport={"width": 1400, "height": 1000})).new_page()
        await teacher.goto(f"{cluster.url}/?view=class&lesson=000&code={CODE}", timeout=120_000)   # the teacher's link
        await teacher.locator(TEACHER_BOX).wait_for(timeout=120_000)
        ready = asyncio.Barrier(students + 1)      # the window starts when every student's page is open
        runs = [protocol_student(cluster.url, i, ready, window) for i in range(students - browsers)]
        runs += [browser_student(browser, cluster.server_url(i % len(cluster.ports)), students - browsers + i,
                                 ready, window) for i in range(browsers)]
        tasks = [asyncio.ensure_future(r) for r in runs]
        await asyncio.wait_for(ready.wait(), 600)
        start = time.monotonic()
        results = await asyncio.gather(*tasks, return_exceptions=True)
        answered_at = time.monotonic()
        right = sum(typed(i) == RIGHT for i in range(students))
        lag = await teacher_sees(teacher, students, right, 30)
        await browser.close()
    failed = [str(r) if isinstance(r, BaseException) else r["failed"] for r in results
              if isinstance(r, BaseException) or r["failed"]]
    seconds = sorted(r["seconds"] for r in results if isinstance(r, dict))
    return dict(results=results, failed=failed, seconds=seconds, right=right, lag=lag,
                wall=answered_at - start)


def main() -> None:
    p = parser(__doc__)
    p.add_argument("--students", type=int, default=60)
    p.add_argument("--browsers", type=int, default=3)
    p.add_argument("--window", type=float, default=10.0, help="seconds in which every student answers")
    p.add_argument("--replicas", type=int, default=2)
    p.add_argument("--store", default="sqlite", choices=STORES)
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="rnnviz-class-load-") as folder, \
            tally_store(args.store, Path(folder)) as url:
        env = {"RNNVIZ_TALLY": url}
        open_tally(url).reset(CODE, "000")
        with Cluster(args.replicas, env=env) as cluster:
            run = asyncio.run(lesson(cluster, args.students, args.browsers, args.window))
        counts = open_tally(url).counts(CODE, "000")
    n, right = args.students, run["right"]
    expected = {"loop": {RIGHT: (right, True), WRONG: (n - right, False)}}
    seconds = run["seconds"] or [float("nan")]
    figures = dict(store=args.store, replicas=args.replicas, students=n, browsers=args.browsers,
                   answered=len(seconds) if run["seconds"] else 0, failed=len(run["failed"]),
                   window_s=args.window, answered_within_s=round(run["wall"], 2),
                   p50_s=statistics.median(seconds), p95_s=seconds[int(0.95 * (len(seconds) - 1))],
                   counted_exactly_once=counts == expected, teacher_lag_s=run["lag"],
                   load_per_core=round(os.getloadavg()[0] / (os.cpu_count() or 1), 1))   # others' work slows all
    text = table([figures], f"{n} students answering within {args.window:g} s on {args.replicas} servers "
                            f"({args.store} tally)")
    if run["failed"]:
        text += "\nfailed: " + "; ".join(map(str, run["failed"][:5]))
    if counts != expected:
        text += f"\ntally {counts} != expected {expected}"
    emit(args, figures, text)


if __name__ == "__main__":
    main()
