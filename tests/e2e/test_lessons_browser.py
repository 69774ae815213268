"""A student in Chromium follows every lesson from its first page to its last with the → key alone, in English and
in Korean; a shared link opens its page; a hostile link gets a note and a working page."""
import re
import time

import pytest
from conftest import no_exception, settle, shot
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from rnnviz import words
from rnnviz.lessons import LESSONS, page_count

SUBHEADER = "[data-testid=stMain] h3"
DOTTED = """() => [...document.querySelectorAll('[data-testid=stPlotlyChart] .shapelayer path')].some(
    p => (p.style.strokeDasharray || 'none') !== 'none')"""


def title_of(page) -> str:
    return page.locator(SUBHEADER).first.inner_text().strip()


def wait_for_title(page, expected: str, timeout_s: float = 30) -> None:
    """Wait (up to a deadline) until the page's heading is `expected`."""
    page.wait_for_function("([sel, want]) => { const h = document.querySelector(sel); "
                           "return h && h.innerText.trim() === want; }", arg=[SUBHEADER, expected],
                           timeout=timeout_s * 1000)


def press(page, key: str) -> None:
    """The key to the page (not a widget), once the button it stands for is on the page."""
    which = "lesson_next" if key == "ArrowRight" else "lesson_prev"
    page.wait_for_selector(f".st-key-{which} button", timeout=30_000)
    page.locator("h1").click()
    page.keyboard.press(key)


def said(lang: str, key: str, **params) -> str:
    with words.language(lang):
        return words.say(key, **params)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_lesson_first_to_last_page_with_the_keys(server, page, lang):
    for lesson, pages in LESSONS.items():
        page.goto(f"{server}/?view=lessons&lesson={lesson}&lang={lang}")
        settle(page)
        for n, p in enumerate(pages, 1):
            expected = said(lang, p.key(lesson, "title"))
            wait_for_title(page, expected)
            settle(page)
            no_exception(page)
            assert f"page={n}" in page.url or n == 1 and "page=" in page.url, page.url
            if p.panel in ("step", "maps", "weights", "output"):       # the figure is live: drawn by plotly
                page.wait_for_selector("[data-testid=stPlotlyChart] .main-svg", timeout=30_000)
            if p.outline:                   # the dotted outline (the step's mark is a solid line)
                page.wait_for_function(DOTTED, timeout=30_000)
            if n == 1:
                shot(page, f"lessons-{lesson}-{lang}-first", full_page=False)
            if n == len(pages):
                shot(page, f"lessons-{lesson}-{lang}-last", full_page=False)
                break
            press(page, "ArrowRight")
        assert page.get_by_role("button", name=re.compile(said(lang, "lesson.next"))).is_disabled()


def test_a_link_opens_its_page_and_the_left_key_goes_back(server, page):
    page.goto(f"{server}/?view=lessons&lesson=003&page=2")
    settle(page)
    wait_for_title(page, said("en", LESSONS["003"][1].key("003", "title")))
    # the note's printout, from the engine (a code block: drawn once its code has loaded, after the page settled)
    page.get_by_text("torch.Size([1, 10, 16])").first.wait_for(state="attached", timeout=60_000)
    press(page, "ArrowLeft")
    wait_for_title(page, said("en", LESSONS["003"][0].key("003", "title")))
    page.wait_for_function("() => location.search.includes('page=1')", timeout=10_000)


def test_a_hostile_link_gets_a_note_and_a_working_page(server, page):
    page.goto(f"{server}/?view=lessons&lesson=%3Cscript%3E&page=99")
    settle(page)
    no_exception(page)
    wait_for_title(page, said("en", LESSONS["000"][-1].key("000", "title")))   # page 99 of 000: its last page
    notes = page.locator("[data-testid=stAlert]").all_inner_texts()
    assert any("<script>" in n for n in notes), notes                        # shown as text, never as markup
    assert any(str(page_count("000")) in n for n in notes), notes
    assert page.locator("script:not([src])", has_text="<script>").count() == 0


def test_presentation_mode_and_the_keys_on_a_lesson_page(server, page):
    page.goto(f"{server}/?view=lessons&lesson=002&page=4&present=1&lang=ko")
    settle(page)
    wait_for_title(page, said("ko", LESSONS["002"][3].key("002", "title")))
    page.wait_for_function("() => parseFloat(getComputedStyle(document.documentElement).fontSize) >= 22",
                           timeout=30_000)                 # projector type, once the page's style is in
    page.wait_for_function(DOTTED, timeout=30_000)
    shot(page, "lessons-presentation-ko", full_page=False)
    press(page, "ArrowRight")
    wait_for_title(page, said("ko", LESSONS["002"][4].key("002", "title")))
    assert "present=1" in page.url and "lang=ko" in page.url
    ring = page.evaluate("""() => { const m = document.querySelector('[data-testid=stMain]');
        return [m.matches(':focus-visible'), getComputedStyle(m, '::before').boxShadow]; }""")
    assert ring == [True, "none"], ring                  # the keys' focus draws no frame round the page
    assert page.evaluate("() => getComputedStyle(document.querySelector('[data-testid=stMain] p')).wordBreak") \
        == "keep-all"                                    # Korean lines break between words


def test_the_first_visit_tip_leads_to_the_lessons_and_does_not_come_back(server, page, browser):
    page.goto(server)
    settle(page)
    tip = page.get_by_role("button", name=said("en", "tip.open_lessons"))
    tip.wait_for(timeout=30_000)
    shot(page, "lessons-first-visit-tip", full_page=False)
    tip.click()
    wait_for_title(page, said("en", LESSONS["000"][0].key("000", "title")))
    assert page.get_by_role("button", name=said("en", "tip.open_lessons")).count() == 0
    page.wait_for_function("() => location.search.includes('view=lessons')", timeout=10_000)
    page.wait_for_function("() => document.cookie.includes('rnnviz_tip=dismissed')", timeout=10_000)
    page.goto(server)                   # a new visit of this browser, with no link: the tip stays dismissed
    settle(page)
    page.get_by_role("radiogroup").first.wait_for(timeout=30_000)          # the page is drawn (the views' switch)
    assert page.get_by_role("button", name=said("en", "tip.open_lessons")).count() == 0
    other = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()   # another browser: it shows
    try:
        other.goto(server)
        other.get_by_role("button", name=said("en", "tip.open_lessons")).wait_for(timeout=30_000)
        other.get_by_role("button", name=said("en", "button.dismiss")).first.click()
        other.wait_for_function("() => document.cookie.includes('rnnviz_tip=dismissed')", timeout=10_000)
        other.reload()
        settle(other)
        other.get_by_role("radiogroup").first.wait_for(timeout=30_000)
        assert other.get_by_role("button", name=said("en", "tip.open_lessons")).count() == 0
    finally:
        other.context.close()


SELECT_CUT = """() => [...document.querySelectorAll('[data-testid=stMain] [data-testid=stSelectbox] input')]
    .filter(e => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1).map(e => e.value)"""


def widest(titles: list[str]) -> int:
    """The index of the title that takes the most room (a Hangul syllable about twice a Latin letter)."""
    return max(range(len(titles)), key=lambda i: sum(2 if ord(c) > 0x1100 else 1 for c in titles[i]))


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_lesson_and_page_names_fit_their_boxes_on_a_projector(server, page, lang):
    """At 1280 × 800 in presentation mode every lesson's name, and its widest page title, shows whole."""
    page.set_viewport_size({"width": 1280, "height": 800})
    for lesson, pages in LESSONS.items():
        n = widest([said(lang, p.key(lesson, "title")) for p in pages]) + 1
        page.goto(f"{server}/?view=lessons&lesson={lesson}&page={n}&present=1&lang={lang}")
        settle(page)
        wait_for_title(page, said(lang, pages[n - 1].key(lesson, "title")))
        cut = page.evaluate(SELECT_CUT)
        if cut:
            shot(page, f"cut-lesson-{lesson}-{lang}", full_page=False)
        assert cut == [], (lesson, n, cut)


def test_after_choosing_the_lessons_view_the_keys_turn_pages(server, page):
    """The view switch (a radio) lets go of the focus once used: → turns the lesson's page, not the view."""
    page.goto(f"{server}/?text=hello")
    settle(page)
    page.get_by_text(said("en", "choice.view.lessons")).click()
    settle(page)
    wait_for_title(page, said("en", LESSONS["000"][0].key("000", "title")))
    page.wait_for_selector(".st-key-lesson_next button", timeout=30_000)
    page.keyboard.press("ArrowRight")
    wait_for_title(page, said("en", LESSONS["000"][1].key("000", "title")))
    assert "view=lessons" in page.url


STEP_SHOWN = """([pattern]) => { const p = document.querySelector('[data-testid=stProgress]');
    const m = p && p.innerText.match(new RegExp(pattern)); return m ? parseInt(m[1]) : null; }"""


def choose(page, box: str, option: str, deadline_s: float = 60) -> None:
    """Open a select box and pick `option`. A box clicked while the page's first scripts still mount can close again
    at once: open it again until the option shows, up to a deadline that says what was awaited."""
    end = time.monotonic() + deadline_s
    while True:
        page.locator(box).click()
        try:
            page.get_by_role("option", name=option).wait_for(timeout=5_000)
            break
        except PlaywrightTimeout:
            if time.monotonic() > end:
                raise AssertionError(f"the option {option!r} of {box} did not show within {deadline_s} s") from None
    page.get_by_role("option", name=option).click()


@pytest.mark.parametrize("lang", ["ko"])
def test_a_lesson_page_trains_at_the_chosen_pace_so_the_class_sees_it_turn(server, page, lang):
    """On the apple training page, 5 steps a second: the page shows the run step by step (the step count climbs
    while the run is still under way), not only its end; then ■ stops it."""
    page.goto(f"{server}/?view=lessons&lesson=003&page=5&lang={lang}")
    settle(page)
    wait_for_title(page, said(lang, LESSONS["003"][4].key("003", "title")))
    choose(page, ".st-key-tr_pace", said(lang, "choice.tr_pace.5"))
    settle(page)
    page.get_by_role("button", name=said(lang, "lesson.train_live")).click()
    steps = LESSONS["003"][4].facts(None)["steps"]
    pattern = re.escape(said(lang, "status.step", step=999, steps=steps)).replace("999", r"(\d+)")
    first = page.wait_for_function(f"() => {{ const n = ({STEP_SHOWN})([{pattern!r}]); "
                                   f"return n !== null && n >= 2 && n < {steps // 2} ? n : null; }}",
                                   timeout=60_000).json_value()
    later = page.wait_for_function(f"() => {{ const n = ({STEP_SHOWN})([{pattern!r}]); "
                                   f"return n !== null && n >= {first + 3} && n < {steps} ? n : null; }}",
                                   timeout=60_000).json_value()
    assert first + 3 <= later < steps                     # seen mid-run, twice: the page follows the run as it goes
    shot(page, f"lessons-apple-paced-{lang}", full_page=False)
    page.get_by_role("button", name=said(lang, "lesson.stop_live")).click()
    page.get_by_text(said(lang, "status.stopped"), exact=False).first.wait_for(timeout=30_000)
    no_exception(page)
