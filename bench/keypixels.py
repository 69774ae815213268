"""Key press to pixels in a real Chromium: how long after `keydown` the page paints what the key changed.

A probe in the page remembers what the watched element shows, hears the key press (its event time), sees the
element change (a MutationObserver) and takes the next animation frame after that change as the frame that
paints it. Each press is measured from a quiet page: the next waits until the server has answered the last and
the browser is idle. The floor is measured between the figure kinds, so the machine's drift hits both alike.
"""
from __future__ import annotations

import statistics

import common  # noqa: F401  (puts the repository's root on the path: testkit below)
from playwright.sync_api import sync_playwright

from testkit.browser import ARGS, CHROMIUM

QUIET = "[data-testid=stApp][data-test-script-state=notRunning]"

# What each kind of figure shows of t, as a string that changes when t moves.
WATCH = {
    "floor": "[...document.querySelectorAll('[data-testid=stMarkdown]')].map(e => e.textContent).join('|')",
    "step figure": "document.querySelector('.st-key-step_chart .gtitle').textContent",
    "heatmap outline": "[...document.querySelectorAll('.st-key-map_1 .shapelayer path')].map(p => p.getAttribute('d')).join('|')",
    "output outline": "[...document.querySelectorAll('.st-key-probs_chart .shapelayer path')].map(p => p.getAttribute('d')).join('|')",
    "path ring": "[...document.querySelectorAll('.st-key-path_chart .scatterlayer .trace')].pop().innerHTML",
}
# The chart each kind moves (for its redraw alone) and the tab it lives in.
CHART = {"step figure": ("step_chart", "step"), "heatmap outline": ("map_1", "maps"),
         "output outline": ("probs_chart", "output"), "path ring": ("path_chart", "path")}

ARM = """watch => {
  const shows = new Function('return ' + watch);
  const r = window.__probe = {before: shows(), key: null, seen: null, painted: null};
  addEventListener('keydown', e => { if (r.key === null) r.key = e.timeStamp; }, {capture: true, once: true});
  const look = new MutationObserver(() => {
    let now; try { now = shows(); } catch (e) { return; }
    if (r.seen !== null || now === r.before) return;
    r.seen = performance.now();
    look.disconnect();
    requestAnimationFrame(() => { r.painted = performance.now(); });
  });
  look.observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true});
}"""

# A quiet page: the browser has time to spare (the last answer drawn), for the floor and the figures alike.
IDLE = "() => new Promise(done => requestIdleCallback(() => done(), {timeout: 2000}))"

# Redraw alone: the page's own move of one figure (ui/follow.py), timed in the page, t going back and forth.
REDRAW = """([key, n]) => {
  const plot = document.querySelector('.st-key-' + key + ' .js-plotly-plot'), times = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    window.__rnnvizT.move(plot, 1 + i % 2);
    times.push(performance.now() - t0);
  }
  window.__rnnvizT.move(plot, 0);
  return times;
}"""


def press_times(page, watch: str, expected: str, presses: int) -> list[float]:
    """Milliseconds from each → to the frame that paints its change; `expected(i)` is a JS condition for the
    server having answered press i."""
    times = []
    for i in range(presses):
        page.evaluate(IDLE)
        page.evaluate(ARM, watch)
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => window.__probe.painted !== null", timeout=30_000)
        times.append(page.evaluate("() => window.__probe.painted - window.__probe.key"))
        page.wait_for_function(expected.replace("N", str(i + 1)), timeout=60_000)
        page.wait_for_selector(QUIET, timeout=60_000)
    return times


def open_quiet(page, url: str, ready: str) -> None:
    page.goto(url)
    page.wait_for_selector(QUIET, timeout=120_000)
    page.wait_for_function(ready, timeout=120_000)
    page.locator("h1, [data-testid=stMarkdown]").first.click()     # the keys go to the page, not a field


def floor(browser, url: str, presses: int) -> list[float]:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    open_quiet(page, url, "() => document.body.innerText.includes('number 0')")
    times = press_times(page, WATCH["floor"], "() => document.body.innerText.includes('number N')", presses)
    page.close()
    return times


def figure(browser, url: str, query: str, kind: str, presses: int) -> tuple[list[float], list[float]]:
    """Key-to-pixels times of one figure kind, and its redraw alone (ms)."""
    key, panel = CHART[kind]
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    open_quiet(page, f"{url}/?{query}&panel={panel}",
               f"() => !!document.querySelector('.st-key-{key} .js-plotly-plot') && !!window.__rnnvizT")
    redraw = page.evaluate(REDRAW, [key, presses])
    page.wait_for_function("() => window.__rnnvizT.asked === null")
    answered = ("() => document.querySelector('.st-key-t [data-testid=stSliderThumbValue]').textContent === 'N'"
                " && window.__rnnvizT.asked === null")
    times = press_times(page, WATCH[kind], answered, presses)
    page.close()
    return times, redraw


def first_presses(browser, url: str, query: str, pages: int, presses: int = 3) -> tuple[list[float], list[float]]:
    """Key-to-pixels of the step figure on freshly opened pages, as a student meets them: the first → once the
    figure is drawn (nothing warmed up by the benchmark), and the presses after it on the same page (ms)."""
    first, later = [], []
    answered = ("() => document.querySelector('.st-key-t [data-testid=stSliderThumbValue]').textContent === 'N'"
                " && window.__rnnvizT.asked === null")
    for _ in range(pages):
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        open_quiet(page, f"{url}/?{query}", "() => !!document.querySelector('.st-key-step_chart .heatmaplayer')")
        times = press_times(page, WATCH["step figure"], answered, presses)
        first.append(times[0])
        later += times[1:]
        page.close()
    return first, later


def measure(app_url: str, floor_url: str, queries: dict[str, str], presses: int) -> dict:
    """Medians (ms) of key-to-pixels for the floor and each figure kind at each size, and each redraw alone."""
    out = {"floor": [], "press": {}, "redraw": {}}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            first, later = first_presses(browser, app_url, next(iter(queries.values())), max(presses // 2, 4))
            out["first"], out["later"] = statistics.median(first), statistics.median(later)
            for size, query in queries.items():
                for kind in CHART:          # the floor between the figures: drift of the machine hits both alike
                    out["floor"] += floor(browser, floor_url, max(presses // 2, 6))
                    times, redraw = figure(browser, app_url, query, kind, presses)
                    out["press"][size, kind] = statistics.median(times)
                    out["redraw"][size, kind] = statistics.median(redraw)
        finally:
            browser.close()
    out["floor"] = statistics.median(out["floor"])
    return out
