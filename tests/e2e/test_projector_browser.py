"""A class's projector in Chromium: the step figure and ▶ Play on one screen, type readable from the back row, and
nothing at 1024 × 768 that runs into something else."""
import time

import pytest
from conftest import no_exception, settle, shot, wait_in_page

from rnnviz.plots.theme import look
from rnnviz.words import LANGS, language, say

SIZES = [(1280, 800), (1024, 768)]

# Where the step figure and its ▶ Play button are, against the window, and how far the page has scrolled.
ON_SCREEN = """() => {
  const fig = document.querySelector('.st-key-step_chart .js-plotly-plot');
  const play = fig && fig.querySelector('.updatemenu-button');
  if (!fig || !play || !fig.querySelector('.heatmaplayer')) return null;
  const f = fig.getBoundingClientRect(), p = play.getBoundingClientRect();
  return {figure: [f.top, f.bottom], play: [p.top, p.bottom], label: play.textContent, height: window.innerHeight,
          scrolled: document.querySelector('[data-testid=stMain]').scrollTop + window.scrollY};
}"""


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width, height", SIZES)
def test_presentation_mode_fits_the_whole_step_figure_and_play_on_one_screen(server, page, width, height, lang):
    """At 1280 × 800 the figure ran to y = 1137 (▶ Play and the h_t strip below the fold): now the whole figure,
    its ▶ Play and slider included, is inside the window as the page opens, for an RNN and an LSTM."""
    page.set_viewport_size({"width": width, "height": height})
    with language(lang):
        play = say("step.play")
    for query in ("text=hello", "text=hello&cell=lstm", "text=We%20are%20Avengers%20going%20to%20End%20Game&tok=word"
                  "&cell=lstm&H=20"):
        page.goto(server + f"/?{query}&present=1&lang={lang}")
        settle(page)
        where = wait_in_page(page, "the step figure and its ▶ Play drawn", f"() => ({ON_SCREEN})()", timeout=90_000)
        shot(page, f"projector-fit-{width}-{lang}-{query[-8:].replace('=', '')}", full_page=False)
        assert where["scrolled"] == 0 and where["label"] == play, where
        assert 0 < where["figure"][0] and where["figure"][1] <= height, (query, where)    # the whole figure
        assert where["play"][1] <= height, (query, where)
        no_exception(page)


LESSON_ON_SCREEN = ON_SCREEN.replace(".st-key-step_chart", ".st-key-lesson_step")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width, height", SIZES)
def test_a_lesson_page_on_a_projector_shows_its_whole_figure_play_and_page_turns_on_one_screen(server, page, width,
                                                                                               height, lang):
    """The LSTM lesson page's figure began at y = 367 (the lesson boxes, the buttons and the words above it) and
    its ▶ Play sat at y = 852 at 1280 × 800: now its title, the whole figure, ▶ Play and ◂ ▸ fit the screen."""
    page.set_viewport_size({"width": width, "height": height})
    with language(lang):
        play, turn = say("step.play"), say("lesson.next")
    for lesson, n in (("002", 4), ("000", 3)):          # LSTM (avengers), and the note's NumPy RNN
        page.goto(server + f"/?view=lessons&lesson={lesson}&page={n}&present=1&lang={lang}")
        settle(page)
        where = wait_in_page(page, "the lesson's step figure and its ▶ Play drawn", f"() => ({LESSON_ON_SCREEN})()",
                             timeout=90_000)
        deadline = time.monotonic() + 30          # ... and where it stays (the page's scripts mount after the figure)
        while time.monotonic() < deadline:
            page.wait_for_timeout(300)
            again = page.evaluate(f"() => ({LESSON_ON_SCREEN})()")
            if again and again["figure"] == where["figure"]:
                break
            where = again or where
        else:
            raise AssertionError(f"the lesson's figure kept moving for 30 s: {where}")
        shot(page, f"projector-lesson-{lesson}-{width}-{lang}", full_page=False)
        assert where["scrolled"] == 0 and where["label"] == play, where
        assert 0 < where["figure"][0] and where["figure"][1] <= height, (lesson, where)
        button = page.locator(".st-key-lesson_next button").bounding_box()
        assert button is not None and button["y"] + button["height"] <= height, (lesson, button)
        assert turn.split()[0] in page.locator(".st-key-lesson_next button").inner_text()
        no_exception(page)


HOVER = """() => { const h = document.querySelector('.st-key-step_chart .hoverlayer .hovertext text');
  return h ? parseFloat(getComputedStyle(h).fontSize) : null; }"""
# Hangul in a y-axis title that plotly turned sideways, and the Korean titles written across instead.
SIDEWAYS = """() => [...document.querySelectorAll('.js-plotly-plot .g-ytitle text, .js-plotly-plot .g-y2title text')]
  .filter(e => /[\\uac00-\\ud7a3]/.test(e.textContent) && /rotate/.test(e.getAttribute('transform') || ''))
  .map(e => e.textContent)"""
ACROSS = """() => [...document.querySelectorAll('.js-plotly-plot .annotation-text')].filter(e =>
  e.textContent === '유닛' && !/rotate\\(-?90/.test(e.closest('.annotation').getAttribute('transform') || '')).length"""


def test_hover_labels_are_projector_type_and_korean_axis_titles_read_across(server, page):
    """Hover labels were smaller than the figures' own projector type (16.5 px beside 20 px; ~10 px as a class saw
    them), and Korean y-axis titles were turned sideways."""
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(server + "/?text=hello&present=1&lang=ko")
    settle(page)
    wait_in_page(page, "the step figure", f"() => ({ON_SCREEN})()", timeout=90_000)
    cell = page.locator(".st-key-step_chart .heatmaplayer").first.bounding_box()
    page.mouse.move(cell["x"] + cell["width"] / 2, cell["y"] + cell["height"] / 2)
    size = wait_in_page(page, "a hover label over a cell of the step figure", HOVER)
    assert size >= look(True).font_size, size
    assert page.evaluate(SIDEWAYS) == [] and page.evaluate(ACROSS) >= 1      # the strip's 유닛, across
    page.goto(server + "/?text=hello&present=1&lang=ko&panel=maps")
    settle(page)
    wait_in_page(page, "the heatmaps' Korean y titles written across", f"() => ({ACROSS})() >= 2")
    assert page.evaluate(SIDEWAYS) == []
    no_exception(page)


# Every pair of tick labels of a figure's x axis that overlap (their drawn boxes intersect).
OVERLAPS = """key => {
  const ticks = [...document.querySelectorAll(`.st-key-${key} .xtick text`)].map(e => [e.textContent,
    e.getBoundingClientRect()]).filter(([, r]) => r.width > 0);
  const out = [];
  ticks.forEach(([a, r], i) => ticks.slice(i + 1).forEach(([b, s]) => {
    if (r.left < s.right && s.left < r.right && r.top < s.bottom && s.top < r.bottom) out.push([a, b]); }));
  return ticks.length ? out : null;
}"""
CUT_BOXES = """() => [...document.querySelectorAll('[data-testid=stMain] [data-testid=stSelectbox] input')]
  .filter(e => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1).map(e => e.value)"""


@pytest.mark.parametrize("lang", LANGS)
def test_lesson_001_page_2_at_1024_has_whole_boxes_and_tick_labels_apart(server, page, lang):
    """At 1024 × 768 (sidebar open) lesson 001's page 2 had its typed rows' time labels running into each other
    and the lesson's name cut in its box."""
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(server + f"/?view=lessons&lesson=001&page=2&lang={lang}")
    settle(page)
    overlaps = wait_in_page(page, "the many-to-many figure's time labels", OVERLAPS, "lesson_probs")
    page.locator(".st-key-lesson_probs").scroll_into_view_if_needed()
    shot(page, f"projector-1024-lesson-001-2-{lang}", full_page=False)
    assert overlaps == []
    wait_in_page(page, "the lesson and page boxes showing their names whole", f"() => ({CUT_BOXES})().length === 0")
    no_exception(page)


TITLE_AND_NAME = """name => {
  const fig = document.querySelector('.st-key-grad_map .js-plotly-plot');
  const note = fig && [...fig.querySelectorAll('.annotation')].find(a => a.textContent === name);
  if (!note || !fig.querySelector('.gtitle')) return null;
  const t = fig.querySelector('.gtitle').getBoundingClientRect(), n = note.getBoundingClientRect();
  return {title: [t.top, t.bottom], name: [n.top, n.bottom]};
}"""


@pytest.mark.parametrize("lang", LANGS)
def test_the_runs_name_stands_under_the_gradient_maps_title_at_1024(server, page, lang):
    """At 1024 × 768 in projector type, "이번 실행" (this run) stood on the gradient heatmap's title."""
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(server + f"/?view=train&present=1&lang={lang}")
    settle(page)
    with language(lang):
        start, name = say("button.start"), say("run.this")
    page.get_by_role("button", name=start).click()
    where = wait_in_page(page, "the gradient heatmap with the run's name", TITLE_AND_NAME, name, timeout=90_000)
    page.evaluate("() => document.querySelector('.st-key-grad_map').scrollIntoView()")   # redrawn live: no locator
    shot(page, f"projector-1024-grad-map-{lang}", full_page=False)
    assert where["title"][1] <= where["name"][0], where
    no_exception(page)
