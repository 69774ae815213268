"""A class's scripted lesson, as bench/load.py runs it and the class tests check it: each session opens the app,
types a word, steps through t, switches the cell to LSTM, opens the Train view and trains the apple preset to the
end; through Streamlit's websocket protocol (testkit.stclient) or in a real Chromium page at low CPU priority.

    python -m testkit.classroom '[url, browsers, timeout, think]'    (the browser lessons, in a process of their own)
"""
from __future__ import annotations

import asyncio
import json
import os
import random
import sys
import threading
import time

from .browser import ARGS, CHROMIUM
from .stclient import ROOT, Server, Session

STEPS = 100          # the apple preset's steps
TRAIN_VIEW = "📉 Train: watch it learn"


async def protocol_lesson(url: str, i: int, timeout: float, think: float = 0.0) -> dict:
    """The scripted lesson through the websocket protocol, timing each rerun; `think` seconds (on average,
    0.5-1.5x, seeded per student) pass between a student's actions, as in a class."""
    r = {"kind": "protocol", "t_move": [], "text": [], "steps_per_s": None, "failed": None}
    s = Session(url)
    rng = random.Random(i)

    async def pause():
        if think:
            await asyncio.sleep(think * rng.uniform(0.5, 1.5))

    try:
        await s.open()
        await pause()
        r["text"].append(await s.change("Text", string_value=f"hello {i}"))
        for t in (1, 2, 3, 4, 5):
            await pause()
            r["t_move"].append(await s.change("time step t", double_array_value=[t]))
        await pause()
        r["text"].append(await s.change("Text", string_value=f"student {i}"))
        await pause()
        await s.change("Cell", string_value="LSTM")
        for t in [*range(1, 9), *range(7, -1, -1)]:          # through every step of "student i" and back
            await pause()
            r["t_move"].append(await s.change("time step t", double_array_value=[t]))
        await pause()
        await s.change("View", string_value=TRAIN_VIEW)
        await pause()
        started = time.perf_counter()
        await s.click("▶ Start")
        while not any(p.startswith("finished") for p in s.progress):
            if time.perf_counter() - started > timeout:
                raise TimeoutError(f"training did not finish in {timeout:.0f} s: {s.progress}")
            if any("error" in p for p in s.progress):
                raise RuntimeError(f"training failed: {s.progress}")
            await asyncio.sleep(s.auto_rerun.get(s.progress_fragment, 0.2))   # as often as the server asks the page
            await s.rerun(fragment_id=s.progress_fragment, auto=True)
        r["steps_per_s"] = STEPS / (time.perf_counter() - started)
        if not any("accuracy 100%" in p for p in s.progress):
            raise RuntimeError(f"apple did not reach pple!: {s.progress}")
        if s.exceptions:
            raise RuntimeError(f"exception on the page: {s.exceptions[0][:200]}")
    except Exception as e:  # a failed session is a result, not a crash of the benchmark
        r["failed"] = f"{type(e).__name__}: {e}"
    finally:
        await s.close()
    return r


async def browser_lesson(browser, url: str, i: int, timeout: float, think: float = 0.0) -> dict:
    """The same lesson in a real Chromium page, with the same think time between actions."""
    r = {"kind": "browser", "t_move": [], "text": [], "steps_per_s": None, "failed": None}
    ctx = await browser.new_context(viewport={"width": 1300, "height": 900})
    page = await ctx.new_page()
    rng = random.Random(1000 + i)

    async def settle():
        await page.wait_for_timeout(300)
        await page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=timeout * 1000)
        if think:
            await asyncio.sleep(think * rng.uniform(0.5, 1.5))

    try:
        await page.goto(url, timeout=timeout * 1000)
        await settle()
        box = page.get_by_role("textbox", name="Text")
        await box.fill(f"browser {i}")
        await box.press("Control+Enter")
        await settle()
        slider = page.get_by_role("slider", name="time step t")
        await slider.focus()
        for _ in range(4):
            await slider.press("ArrowRight")
            await settle()
        await page.get_by_role("combobox", name="Cell").first.click()
        await page.get_by_role("option", name="LSTM").click()
        await settle()
        await page.get_by_text(TRAIN_VIEW).click()
        await settle()
        started = time.perf_counter()
        await page.get_by_role("button", name="▶ Start").click()
        await page.wait_for_function("() => document.body.innerText.includes('finished: step 100/100')",
                                     timeout=timeout * 1000)
        r["steps_per_s"] = STEPS / (time.perf_counter() - started)
        if await page.locator("[data-testid=stException]").count():
            raise RuntimeError("exception on the page")
    except Exception as e:
        r["failed"] = f"{type(e).__name__}: {str(e)[:300]}"
    finally:
        await ctx.close()
    return r


class RssWatch:
    """Samples the server's RSS in the background; `peak` is the highest seen."""

    def __init__(self, server: Server):
        self.server, self.peak, self._stop = server, server.rss_mb(), threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.wait(0.25):
            self.peak = max(self.peak, self.server.rss_mb())

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak


async def browser_lessons(url: str, browsers: int, timeout: float, think: float) -> list[dict]:
    from playwright.async_api import async_playwright
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for pid in descendants(os.getpid()):     # Chromium starts its own sessions (and autogroups): lower them too
            set_group_priority(pid)
        results = await asyncio.gather(*[browser_lesson(browser, url, i, timeout, think) for i in range(browsers)])
        await browser.close()
    return results


def set_group_priority(pid: int | str = "self", nice: int = 15) -> None:
    """Linux's autogroup scheduling shares the CPU fairly between sessions whatever a process's nice value,
    so a session's group is niced as a whole."""
    try:
        with open(f"/proc/{pid}/autogroup", "w") as f:
            f.write(str(nice))
    except OSError:
        pass                                   # no autogroups here: the plain nice value is what counts


def low_priority() -> None:
    """Low CPU priority for this process and what it starts."""
    os.nice(15)
    set_group_priority()


def descendants(root: int) -> list[int]:
    parent = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parent[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
    found, frontier = [], [root]
    while frontier:
        p = frontier.pop()
        children = [c for c, pp in parent.items() if pp == p]
        found += children
        frontier += children
    return found


async def browsers_aside(url: str, browsers: int, timeout: float, think: float) -> list[dict]:
    """The browser lessons in a process of their own at low CPU priority (Playwright's driver and Chromium
    inherit it): in a class each browser runs on its own laptop; here they share the server's two cores, so
    they get what the server leaves, and they do not slow the protocol clients' own timing in this process."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "testkit.classroom", json.dumps([url, browsers, timeout, think]), cwd=ROOT,
        stdout=asyncio.subprocess.PIPE, start_new_session=True, preexec_fn=low_priority)
    out, _ = await proc.communicate()
    try:
        return json.loads(out.decode().strip().splitlines()[-1])
    except (ValueError, IndexError):
        return [{"kind": "browser", "t_move": [], "text": [], "steps_per_s": None,
                 "failed": f"the browser process ended with code {proc.returncode}"}] * browsers


async def phase(url: str, n: int, browsers: int, timeout: float, think: float = 0.0) -> list[dict]:
    """n sessions at once, `browsers` of them real Chromium pages."""
    tasks = [protocol_lesson(url, i, timeout, think) for i in range(n - browsers)]
    if not browsers:
        return await asyncio.gather(*tasks)
    *protocol, in_browsers = await asyncio.gather(*tasks, browsers_aside(url, browsers, timeout, think))
    return protocol + in_browsers


if __name__ == "__main__":
    print(json.dumps(asyncio.run(browser_lessons(*json.loads(sys.argv[1])))))
