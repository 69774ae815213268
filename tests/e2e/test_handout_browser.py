"""The handout opens offline in a real Chromium: every figure draws from the plotly.js inside the file, no request
leaves the page, no script error, and the escaped hostile title shows as text."""
from rnnviz.ui.handout import handout_html
from testkit.handout_sample import HOSTILE, sections


def test_the_handout_draws_every_figure_offline(browser, tmp_path):
    path = tmp_path / "handout-page.html"
    path.write_text(handout_html(HOSTILE, sections()), encoding="utf-8")
    ctx = browser.new_context(offline=True)
    pg = ctx.new_page()
    requests, errors = [], []
    pg.on("request", lambda r: requests.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(path.as_uri())
    pg.wait_for_function("document.querySelectorAll('.figure .main-svg').length >= 2", timeout=30_000)  # both drawn
    assert pg.locator(".figure").count() == 2
    assert pg.locator("h1").inner_text() == HOSTILE                    # shown as text, not run
    assert requests == [] and errors == []
    ctx.close()
