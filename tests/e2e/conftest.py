"""One real `streamlit run` server per test module, and a real Debian Chromium driven by Playwright. The browser's
helpers live in testkit.browser (the benchmarks use them too); the tests import them from here or from there."""
import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from testkit.browser import (
    ARGS,
    CHROMIUM,
    RUNS_COUNTER,
    cut_labels,
    no_exception,
    runs_ended,
    settle,
    wait_for_rerun,
    wait_in_page,
    watch_messages,
)
from testkit.stclient import Server
from testkit.waiting import scaled

__all__ = ["cut_labels", "no_exception", "runs_ended", "settle", "shot", "wait_for_rerun", "wait_in_page", "watch_messages"]
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


@pytest.fixture(scope="module")
def server():
    with Server(ROOT / "app.py") as s:
        yield s.url


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
    ctx.add_init_script(RUNS_COUNTER)
    ctx.set_default_timeout(scaled(30) * 1000)        # Playwright's own waits: 30 s on an idle machine, more on a busy one
    pg = ctx.new_page()
    watch_messages(pg)
    yield pg
    ctx.close()


def shot(page, name, full_page=True):
    """A screenshot for a person to look at. full_page=False while charts are live: a full-page capture resizes
    the viewport, and plotly redraws its charts for the new size, so they come out blank."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)
