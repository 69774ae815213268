"""Keyboard only (issue 26): a lesson and an Explore session walked without the mouse in real Chromium. Tab always
moves on (no trap) down the page, each focused control shows a visible outline or ring, → and ← move t or turn
the lesson page, and Space plays and pauses the step figure."""
import pytest

from testkit.browser import no_exception, settle, wait_in_page

pytestmark = [pytest.mark.browser]

TITLE = ".st-key-step_chart .gtitle"
# The focused element: where it is, and whether it (or its box) draws a visible focus mark.
FOCUSED = """() => { const el = document.activeElement;
  if (!el || el === document.body) return null;
  const seen = e => { const s = getComputedStyle(e);
    return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || (s.boxShadow && s.boxShadow !== 'none'); };
  let shown = false;
  for (let e = el, i = 0; e && i < 4 && !shown; e = e.parentElement, i++) shown = seen(e);
  const r = el.getBoundingClientRect();
  if (!el.dataset.tabWalk) el.dataset.tabWalk = String(window.__tabWalk = (window.__tabWalk || 0) + 1);
  return {tag: el.tagName, name: (el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 40),
          shown, top: r.top + window.scrollY, id: el.dataset.tabWalk, path: el.outerHTML.slice(0, 80)}; }"""


def tab_walk(page, presses: int) -> list[dict]:
    """Press Tab `presses` times; the focused element after each."""
    seen = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(FOCUSED))
    return seen


def check_walk(seen: list[dict]) -> None:
    on = [s for s in seen if s]
    assert len(on) >= len(seen) - 2, f"Tab left the page's controls: {seen}"
    same = [a for a, b in zip(on, on[1:]) if a["id"] == b["id"]]
    assert not same, f"Tab did not move on from {same[0]}"
    hidden = [s for s in on if not s["shown"]]
    assert not hidden, f"focused without a visible outline or ring: {hidden[:3]}"


def step_t(page) -> int:
    import re
    m = re.search(r"t = (\d+) ", page.locator(TITLE).text_content())
    return int(m.group(1))


def test_explore_with_the_keyboard_only(page, server):
    page.goto(f"{server}/?lang=en&text=hello%20world%20again")
    settle(page)
    page.locator(TITLE).wait_for()
    page.keyboard.press("Tab")                       # from the page's start, as a keyboard user arrives
    check_walk(tab_walk(page, 40))
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    wait_in_page(page, "→ → to move the step figure to t = 2", f"() => document.querySelector('{TITLE}')"
                 ".textContent.includes(' t = 2 ')")
    page.keyboard.press("ArrowLeft")
    wait_in_page(page, "← to move it back to t = 1", f"() => document.querySelector('{TITLE}')"
                 ".textContent.includes(' t = 1 ')")
    settle(page)
    page.keyboard.press(" ")
    wait_in_page(page, "Space to play the step figure on from t = 1",
                 f"() => /t = ([3-9]|1\\d) /.test(document.querySelector('{TITLE}').textContent)")
    page.keyboard.press(" ")
    wait_in_page(page, "Space to pause it (two looks 0.6 s apart agree)", f"""async () => {{
      const at = () => document.querySelector('{TITLE}').textContent;
      const a = at(); await new Promise(r => setTimeout(r, 600)); return at() === a; }}""")
    assert page.evaluate("() => window.scrollY") == 0, "Space scrolled the page instead"
    no_exception(page)


def test_a_lesson_with_the_keyboard_only(page, server):
    page.goto(f"{server}/?lang=ko&view=lessons&lesson=001")
    settle(page)
    page.locator(".st-key-lesson_next button").wait_for()
    wait_in_page(page, "the page's styles (its focus ring)", "() => [...document.styleSheets].some(s => { try { "
                 "return [...s.cssRules].some(r => r.cssText.includes('#stMain:focus')); } catch (e) { return false; } })")
    first = page.locator("[data-testid=stMain] h3").first.text_content()
    page.keyboard.press("Tab")
    check_walk(tab_walk(page, 30))
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.keyboard.press("ArrowRight")
    settle(page)
    wait_in_page(page, "→ to turn to the next page", "t => document.querySelector('[data-testid=stMain] h3')"
                 ".textContent !== t", arg=first)
    page.keyboard.press("ArrowLeft")
    settle(page)
    wait_in_page(page, "← to turn back to the first page", "t => document.querySelector('[data-testid=stMain] h3')"
                 ".textContent === t", arg=first)
    no_exception(page)
