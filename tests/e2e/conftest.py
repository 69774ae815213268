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
    pg = ctx.new_page()
    yield pg
    ctx.close()


def settle(page, timeout=60_000):
    """Wait until the script has finished its run."""
    page.wait_for_timeout(300)
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=timeout)
    page.wait_for_timeout(300)


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
