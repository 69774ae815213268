"""The browser's side, shared by the browser tests and the benchmarks: Debian's Chromium and its flags, one
script-run counter in the page, and settling a page after an action (all waits with a deadline that names what)."""
from __future__ import annotations

import time

from .waiting import fail, scaled

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
# The page's one script-run counter: how many script runs have ended since the document started (a context adds
# it as an init script) or, in a page made without it, since `runs_ended` was first called. A page that has just
# loaded reads `notRunning` before its first run has even begun, so an end is a change away from `running`.
RUNS_COUNTER = """(() => {
  if (window.__runs) return;
  window.__runs = {ended: 0};
  new MutationObserver(records => records.forEach((r, i) => {
    const next = records.slice(i + 1).find(n => n.target === r.target);      // a batch can hold a whole quick run
    const now = next ? next.oldValue : r.target.getAttribute('data-test-script-state');
    if (r.oldValue === 'running' && now !== 'running') window.__runs.ended++;
  })).observe(document, {subtree: true, attributes: true, attributeOldValue: true,
                         attributeFilter: ['data-test-script-state']});
})()"""
NEXT_FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


def wait_in_page(page, what: str, script: str, arg=None, timeout=None):
    """page.wait_for_function, failing with what it waited for; returns the script's value. The timeout (ms) is
    30 s on an idle reference machine, stretched by how busy this one is (testkit.waiting.scaled)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    timeout = timeout or scaled(30) * 1000
    try:
        return page.wait_for_function(script, arg=arg, timeout=timeout).json_value()
    except PlaywrightTimeout:
        fail(f"waited {timeout / 1000:g} s in the browser for {what}")


def watch_messages(page) -> None:
    """Count the page's messages to its server and whether the server has answered the last one."""
    page.messages = {"sent": 0, "answered": 0}

    def on_socket(ws) -> None:
        ws.on("framesent", lambda _: page.messages.update(sent=page.messages["sent"] + 1))
        ws.on("framereceived", lambda _: page.messages.update(answered=page.messages["sent"]))
    page.on("websocket", on_socket)


def settle(page, timeout=None):
    """Wait until what the page asked for has run and is drawn: every message the page sent (a widget's change
    asks for a rerun) has an answer, then the app reads `notRunning` with no stale element left. The timeout (ms)
    is 60 s on an idle reference machine, stretched by how busy this one is."""
    timeout = timeout or scaled(60) * 1000
    page.evaluate(NEXT_FRAMES)                                   # the action's message, if any, has left
    deadline = time.monotonic() + timeout / 1000
    if not hasattr(page, "messages"):                            # a page a test made itself: count from now on
        watch_messages(page)
    while page.messages["answered"] < page.messages["sent"]:
        if time.monotonic() > deadline:
            fail(f"waited {timeout / 1000:g} s for the server to answer the page")
        page.wait_for_timeout(20)                                # Playwright takes the socket's events meanwhile
    page.evaluate(NEXT_FRAMES)                                   # the answer is drawn: `running`, if it started one
    wait_in_page(page, "the page's first script run to end", "() => window.__runs === undefined || "
                 "window.__runs.ended > 0", timeout=timeout)     # (a page a test made itself has no count)
    wait_in_page(page, "the script to finish its run", "() => document.querySelector("
                 "'[data-testid=stApp][data-test-script-state=notRunning]') && !document.querySelector('[data-stale=true]')",
                 timeout=timeout)
    wait_in_page(page, "the page's own styles in the document's head (they come by a component, after the first "
                 "paint)", "() => document.getElementById('rnnviz-page-style') !== null", timeout=timeout)
    page.evaluate(NEXT_FRAMES)


def runs_ended(page) -> int:
    """How many script runs the page has seen end (since it loaded, or since this was first called on it)."""
    return page.evaluate(f"() => {{ {RUNS_COUNTER}; return window.__runs.ended; }}")


def wait_for_rerun(page, ended: int, what: str, timeout=None) -> None:
    """Wait until a run after `ended` (from runs_ended) has ended, then until the page is settled."""
    timeout = timeout or scaled(30) * 1000
    wait_in_page(page, what, "n => window.__runs.ended > n", arg=ended, timeout=timeout)
    settle(page, timeout)


def no_exception(page) -> None:
    assert page.locator("[data-testid=stException]").count() == 0


CUT_TEXT = """() => [...document.querySelectorAll('[data-testid=stMain] *, [data-testid=stSidebar] *')].filter(e => {
    const s = getComputedStyle(e);
    return e.clientWidth > 0 && (s.textOverflow === 'ellipsis' || s.overflowX === 'hidden')
        && e.scrollWidth > e.clientWidth + 1 && e.textContent.trim() !== ''; }).map(e => e.textContent.slice(0, 80))"""


def cut_labels(page) -> list[str]:
    """The texts on the page that are cut short (an ellipsis, or hidden past their box's edge)."""
    return page.evaluate(CUT_TEXT)
