"""Screen readers (issue 26): what Chromium's accessibility tree holds, read through Playwright's aria snapshot, in
Korean and English. Every figure is a `figure` whose name says what it shows at the current t; a polite live
region (`status`) says the new t after → and the new lesson page after a page turn; the tables have column
headers."""
import re

import pytest

from testkit.browser import no_exception, settle, wait_in_page

pytestmark = [pytest.mark.browser]

TEXT = "hello%20world%20again"          # 17 steps
FIGURES = "() => [...document.querySelectorAll('[data-testid=stPlotlyChart] .js-plotly-plot')]"
# Every figure is a labelled figure; the ones that mark the step t (its outline) say t in their label.
MARKED = "p => (p.layout && p.layout.shapes || []).some(s => s.name === 'step t')"
LABELLED = """t => { const plots = ($FIGURES)();
  return plots.some($MARKED) && plots.every(p => p.getAttribute('role') === 'figure' && p.getAttribute('aria-label')
    && (!($MARKED)(p) || p.getAttribute('aria-label').includes('t = ' + t))); }"""
MARKED_LABELS = "() => ($FIGURES)().filter($MARKED).map(p => p.getAttribute('aria-label').split(/\\s+/).join(' '))"
LABELLED, MARKED_LABELS = (s.replace("$FIGURES", FIGURES).replace("$MARKED", MARKED) for s in (LABELLED, MARKED_LABELS))
LIVE = "() => (document.getElementById('rnnviz-live') || {}).textContent || ''"


def figures_in(tree: str) -> list[str]:
    """The names of the figures in an aria snapshot (spaces as the tree has them: runs made one)."""
    return [" ".join(n.split()) for n in re.findall(r'^\s*- \'?figure "([^"]*)"', tree, re.M)]


def live_in(tree: str) -> str:
    """The live region's sentence in an aria snapshot."""
    m = re.search(r"^\s*- status[^:\n]*:\s*(.+)$", tree, re.M)
    return m.group(1).strip().strip('"') if m else ""


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_explore_figures_say_the_current_t_and_the_live_region_says_the_new_one(page, server, lang):
    page.goto(f"{server}/?lang={lang}&text={TEXT}&panel=maps")
    settle(page)
    page.locator(".st-key-map_1 .js-plotly-plot").wait_for()
    wait_in_page(page, "every figure labelled role=figure at t = 0", LABELLED, arg=0)
    tree = page.locator("body").aria_snapshot()
    names = figures_in(tree)
    assert len(names) == page.evaluate(f"() => ({FIGURES})().length"), tree
    marked = page.evaluate(MARKED_LABELS)
    assert marked and all(m in names and "t = 0" in m for m in marked), (marked, names)
    assert any(re.search(r"\d+\.\d\d", n) for n in names), f"no figure says its numbers: {names}"

    page.locator("h1").click()                  # the keys go to the page
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    wait_in_page(page, "the live region to say t = 3", f"() => ({LIVE})().includes('t = 3 ')")
    wait_in_page(page, "every figure labelled at t = 3", LABELLED, arg=3)
    settle(page)
    tree = page.locator("body").aria_snapshot()
    assert "t = 3 " in live_in(tree) and "17" in live_in(tree), tree
    names, marked = figures_in(tree), page.evaluate(MARKED_LABELS)
    assert marked and all(m in names and "t = 3" in m for m in marked), (marked, names)
    no_exception(page)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_lesson_page_turn_is_said_in_the_live_region(page, server, lang):
    page.goto(f"{server}/?lang={lang}&view=lessons&lesson=001")
    settle(page)
    first = page.locator("[data-testid=stMain] h3").first.text_content().strip()
    wait_in_page(page, "the live region to say the first page", f"t => ({LIVE})().includes(t)", arg=first)
    page.locator(".st-key-lesson_next button").click()
    settle(page)
    wait_in_page(page, "the second page's title", "t => { const h = document.querySelector("
                 "'[data-testid=stMain] h3'); return h && h.textContent.trim() !== t; }", arg=first)
    second = page.locator("[data-testid=stMain] h3").first.text_content().strip()
    wait_in_page(page, "the live region to say the second page", f"t => ({LIVE})().includes(t)", arg=second)
    said = live_in(page.locator("body").aria_snapshot())
    assert second in said and "2" in said and "001" in said, said
    no_exception(page)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_tables_have_column_headers(page, server, lang):
    """st.dataframe draws into a canvas; the grid Streamlit (glide-data-grid) keeps beside it for assistive
    technology names each column (read from the page: Playwright's role queries do not list that grid, see
    docs/accessibility.md)."""
    page.goto(f"{server}/?lang={lang}&text={TEXT}&panel=code")
    settle(page)
    page.locator("[data-testid=stDataFrame]").first.wait_for(state="attached")
    headers = wait_in_page(page, "the table's header cells", """() => {
      const h = [...document.querySelectorAll('[data-testid=stDataFrame] [role=grid] [role=columnheader]')];
      return h.length > 1 && h.map(e => e.textContent.trim()); }""")
    assert len(headers) >= 3 and all(headers), headers
