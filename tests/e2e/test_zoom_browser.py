"""Zoom (issue 26, WCAG 1.4.10 reflow): a 1280 × 800 screen at 200% browser zoom is a 640 × 400 CSS viewport, and a
phone is 320 px wide; at both the page's words wrap inside the window, in Korean and English. Figures, tables and
code may scroll in their own boxes."""
import pytest

from testkit.browser import no_exception, settle, wait_in_page

pytestmark = [pytest.mark.browser]

# Text on the page past the window's right edge (not inside a figure, a table, code or the tab strip, which scroll in their own box),
# and whether the page itself scrolls sideways.
OVERFLOW = """() => {
  const w = document.documentElement.clientWidth;
  const own = e => e.closest('[data-testid=stPlotlyChart], [data-testid=stDataFrame], [data-testid=stCode], '
                              + '[data-testid=stTable], [role=tablist], .modebar, [data-testid=stSidebar][aria-expanded=false]');
  const wide = [...document.querySelectorAll('[data-testid=stMain] *')].filter(e => {
    if (own(e) || ![...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) return false;
    const r = e.getBoundingClientRect();
    return r.width > 0 && (r.right > w + 1 || r.left < -1);
  }).map(e => e.tagName + ': ' + e.textContent.trim().slice(0, 50));
  const main = document.querySelector('[data-testid=stMain]');
  return {wide, page: document.documentElement.scrollWidth - w, main: main ? main.scrollWidth - main.clientWidth : 0};
}"""
VIEWS = ["text=hello%20world%20again", "view=lessons&lesson=001", "view=train", "view=lab"]


@pytest.mark.parametrize("size", [(640, 400), (320, 640)], ids=["200pct", "320px"])
@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("query", VIEWS)
def test_text_wraps_inside_the_window(browser, server, lang, size, query):
    ctx = browser.new_context(viewport={"width": size[0], "height": size[1]})
    try:
        page = ctx.new_page()
        page.goto(f"{server}/?lang={lang}&{query}")
        settle(page)
        wait_in_page(page, "the page's content to be drawn", "() => document.querySelectorAll("
                     "'[data-testid=stMain] [data-testid=stElementContainer]').length > 3")
        got = page.evaluate(OVERFLOW)
        assert not got["wide"], f"text past the right edge at {size}: {got['wide'][:5]}"
        assert got["page"] <= 0 and got["main"] <= 0, f"the page scrolls sideways at {size}: {got}"
        no_exception(page)
    finally:
        ctx.close()
