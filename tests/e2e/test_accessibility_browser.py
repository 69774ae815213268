"""Every student in the room: axe-core (npm, pinned in package.json) audits every view, every Explore tab, each
lesson's first page, the text lab, the teacher's view and presentation mode in real Chromium, in Korean and English:
no violation of impact serious or critical under the WCAG 2.x A/AA rules. What remains (minor or moderate, or
Streamlit's own) is listed with its reason in docs/accessibility.md."""
from pathlib import Path

import pytest

from rnnviz.settings import LESSON_IDS, PANELS
from testkit.browser import settle, wait_in_page

pytestmark = [pytest.mark.browser]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PAGES = ([f"panel={p}" for p in PANELS] + ["view=train", "view=lab", "view=class&lesson=000", "present=true"]
         + [f"view=lessons&lesson={lesson}" for lesson in LESSON_IDS])
AUDIT = """async rules => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: rules}});
  return r.violations.filter(v => ['serious', 'critical'].includes(v.impact)).map(v =>
    `${v.id} (${v.impact}, ${v.nodes.length}x): ${v.help} :: ` + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
}"""


def open_page(page, server: str, query: str) -> None:
    page.goto(f"{server}/?{query}")
    settle(page)
    wait_in_page(page, "the page's content to be drawn", "() => document.querySelectorAll("
                 "'[data-testid=stMain] [data-testid=stElementContainer]').length > 3")
    wait_in_page(page, "the page's own styles and scripts (rnnviz/ui/page_style.py, page_keys.js) to be in",
                 "() => document.getElementById('rnnviz-page-style') && window.__rnnvizKeys")


def audit(page) -> list[str]:
    assert AXE.exists(), f"axe-core is not installed at {AXE}: `make lint` (npm ci) installs it from package-lock.json"
    page.add_script_tag(path=str(AXE))
    return page.evaluate(AUDIT, RULES)


@pytest.mark.parametrize("query", PAGES)
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_no_serious_or_critical_violation(page, server, lang, query):
    open_page(page, server, f"lang={lang}&{query}")
    found = audit(page)
    assert not found, f"axe-core on ?lang={lang}&{query}:\n" + "\n".join(found)
