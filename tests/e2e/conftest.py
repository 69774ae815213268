"""One real `streamlit run` server per test module, and a real Debian Chromium driven by Playwright."""
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
                             "--server.address", "127.0.0.1"], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=1).read() == b"ok":
                break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        raise RuntimeError("the streamlit server did not start")
    yield url
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(10)


@pytest.fixture(scope="module")
def browser():
    assert os.path.exists(CHROMIUM), "browser tests need Debian's chromium: run `make test` as root, or apt-get install chromium"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    ctx.add_init_script(RUNS_SEEN)
    pg = ctx.new_page()
    watch_messages(pg)
    yield pg
    ctx.close()


# In every page of a test's context, from the document's start: how many script runs have ended since it loaded (a
# page that has just loaded reads `notRunning` before its first run has even begun).
RUNS_SEEN = """(() => {
  window.__runsSeen = 0;
  let was = null;
  new MutationObserver(records => records.forEach(r => {
    const now = r.target.getAttribute('data-test-script-state');
    if (was === 'running' && now !== 'running') window.__runsSeen++;
    was = now;
  })).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-test-script-state']});
})()"""
NEXT_FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
# Counts the script runs the page has seen end, from the first call on (a rerun can be too quick to catch by polling).
RUNS_ENDED = """() => {
  if (!window.__runs) {
    const app = document.querySelector('[data-testid=stApp]');
    window.__runs = {ended: 0};
    new MutationObserver(() => { if (app.dataset.testScriptState === 'notRunning') window.__runs.ended++; })
      .observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
  }
  return window.__runs.ended;
}"""


def wait_in_page(page, what: str, script: str, arg=None, timeout=30_000):
    """page.wait_for_function, failing with what it waited for; returns the script's value."""
    try:
        return page.wait_for_function(script, arg=arg, timeout=timeout).json_value()
    except PlaywrightTimeout:
        pytest.fail(f"waited {timeout / 1000:g} s in the browser for {what}", pytrace=False)


def watch_messages(page) -> None:
    """Count the page's messages to its server and whether the server has answered the last one."""
    page.messages = {"sent": 0, "answered": 0}

    def on_socket(ws) -> None:
        ws.on("framesent", lambda _: page.messages.update(sent=page.messages["sent"] + 1))
        ws.on("framereceived", lambda _: page.messages.update(answered=page.messages["sent"]))
    page.on("websocket", on_socket)


def settle(page, timeout=60_000):
    """Wait until what the page asked for has run and is drawn: every message the page sent (a widget's change
    asks for a rerun) has an answer, then the app reads `notRunning` with no stale element left."""
    page.evaluate(NEXT_FRAMES)                                   # the action's message, if any, has left
    deadline = time.monotonic() + timeout / 1000
    if not hasattr(page, "messages"):                            # a page a test made itself: count from now on
        watch_messages(page)
    while page.messages["answered"] < page.messages["sent"]:
        if time.monotonic() > deadline:
            pytest.fail(f"waited {timeout / 1000:g} s for the server to answer the page", pytrace=False)
        page.wait_for_timeout(20)                                # Playwright takes the socket's events meanwhile
    page.evaluate(NEXT_FRAMES)                                   # the answer is drawn: `running`, if it started one
    wait_in_page(page, "the page's first script run to end", "() => window.__runsSeen === undefined || "
                 "window.__runsSeen > 0", timeout=timeout)       # (a page a test made itself has no count)
    wait_in_page(page, "the script to finish its run", "() => document.querySelector("
                 "'[data-testid=stApp][data-test-script-state=notRunning]') && !document.querySelector('[data-stale=true]')",
                 timeout=timeout)
    page.evaluate(NEXT_FRAMES)


def runs_ended(page) -> int:
    """How many script runs the page has seen end since this was first called on it."""
    return page.evaluate(RUNS_ENDED)


def wait_for_rerun(page, ended: int, what: str, timeout=30_000) -> None:
    """Wait until a run after `ended` (from runs_ended) has ended, then until the page is settled."""
    wait_in_page(page, what, "n => window.__runs.ended > n", arg=ended, timeout=timeout)
    settle(page, timeout)


def shot(page, name, full_page=True):
    """A screenshot for a person to look at. full_page=False while charts are live: a full-page capture resizes
    the viewport, and plotly redraws its charts for the new size, so they come out blank."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


def no_exception(page):
    assert page.locator("[data-testid=stException]").count() == 0


CUT_TEXT = """() => [...document.querySelectorAll('[data-testid=stMain] *, [data-testid=stSidebar] *')].filter(e => {
    const s = getComputedStyle(e);
    return e.clientWidth > 0 && (s.textOverflow === 'ellipsis' || s.overflowX === 'hidden')
        && e.scrollWidth > e.clientWidth + 1 && e.textContent.trim() !== ''; }).map(e => e.textContent.slice(0, 80))"""


def cut_labels(page) -> list[str]:
    """The texts on the page that are cut short (an ellipsis, or hidden past their box's edge)."""
    return page.evaluate(CUT_TEXT)
