"""A person in Chromium: type a word, move t, press Play, open a link, switch to LSTM."""
import re
import time

import pytest
from conftest import cut_labels, no_exception, runs_ended, settle, shot, wait_for_rerun, wait_in_page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from rnnviz.text import graphemes
from rnnviz.words import LANGS, language, say

STEP_TITLE = "[data-testid=stPlotlyChart] .gtitle"
SIDEBAR_WIDTH = "(() => document.querySelector('[data-testid=stSidebar]').getBoundingClientRect().width)()"


def step_title(page):
    return page.locator(STEP_TITLE).first.text_content()


def test_type_move_play_and_switch(server, page):
    page.goto(server)
    settle(page)
    no_exception(page)
    assert "t = 0 (token 'h')" in step_title(page)
    shot(page, "explore-hello")

    box = page.get_by_role("textbox", name="Text")
    box.fill("안녕 world")
    box.press("Control+Enter")
    settle(page)
    assert "token '안'" in step_title(page)

    slider = page.get_by_role("slider", name="time step t")
    slider.focus()
    slider.press("ArrowRight")
    slider.press("ArrowRight")
    settle(page)
    assert "t = 2" in step_title(page)
    assert page.locator("[data-testid=stSliderThumbValue]").filter(has_text="2").count() >= 1
    assert "H=" not in page.url and "text=" in page.url          # the view is in the link

    ended = runs_ended(page)
    page.locator("[data-testid=stPlotlyChart] .updatemenu-button").first.click()   # the chart's ▶ Play
    # no server round trip: the frames change in the browser alone (each animation frame looks at the title)
    wait_in_page(page, "Play to show three different steps' titles", f"""() => {{
        const seen = (window.__titles ||= new Set());
        seen.add(document.querySelector('{STEP_TITLE}').textContent);
        return seen.size >= 3; }}""", timeout=10_000)
    assert runs_ended(page) == ended                                   # ... and the script did not run
    shot(page, "explore-playing")
    page.locator("[data-testid=stPlotlyChart] .updatemenu-button").nth(1).click()   # ❚❚ Pause: t follows
    wait_for_rerun(page, ended, "the paused step to reach the server (a rerun at the new t)")

    page.get_by_role("combobox", name="Cell").first.click()
    page.get_by_role("option", name="LSTM").click()
    settle(page)
    no_exception(page)
    assert page.get_by_text("f= σ(·)").count() + page.get_by_text("= σ(·)").count() > 0
    assert "cell=lstm" in page.url
    shot(page, "explore-lstm")


# Counts the animation frames from now on, and those in which the step figure was not drawn.
WATCH_FRAMES = """() => { window.__look = {frames: 0, blank: 0}; const tick = () => { window.__look.frames++;
    if (!document.querySelector('[data-testid=stPlotlyChart] .main-svg .gtitle')) window.__look.blank++;
    requestAnimationFrame(tick); }; requestAnimationFrame(tick); }"""


def test_arrow_keys_step_through_time_but_not_while_typing(server, page):
    """A teacher at a projector (or a clicker sending arrow keys) steps with → and ←; typing in the text box does not."""
    page.goto(server + "/?text=hello")
    settle(page)
    assert "t = 0" in step_title(page)                  # drawn; from here on, watch every animation frame:
    page.evaluate(WATCH_FRAMES)
    page.locator("h1").click()                          # focus on the page, not in a field
    for key in ("ArrowRight", "ArrowRight", "ArrowRight", "ArrowLeft"):
        page.keyboard.press(key)
        settle(page)
    assert "t = 2 (token 'l')" in step_title(page)
    frames, blank = page.evaluate("() => [window.__look.frames, window.__look.blank]")
    assert frames > 10 and blank == 0, (frames, blank)    # the step figure never blanked between two steps
    box = page.get_by_role("textbox", name="Text")
    box.click()
    box.press("ArrowRight")
    box.press("ArrowLeft")
    settle(page)
    assert "t = 2 (token 'l')" in step_title(page)
    assert box.input_value() == "hello"
    no_exception(page)


def test_shared_link_restores_the_view_and_notes_bad_values(server, page):
    page.goto(server + "/?text=%ED%95%9C%EA%B8%80%20abc&cell=gru&H=0&t=3&L=zz")
    settle(page)
    no_exception(page)
    assert "t = 3 (token 'a')" in step_title(page)
    body = page.locator("body").inner_text()
    assert "Hidden size must be between 1 and 256; 0 was changed to 1" in body
    assert "Ignored layers “zz” from the link" in body
    shot(page, "explore-link")


def test_hostile_text_is_shown_literally(server, page):
    page.goto(server)
    settle(page)
    box = page.get_by_role("textbox", name="Text")
    box.fill("<img src=x onerror=alert(1)><script>alert(2)</script>")
    box.press("Control+Enter")
    settle(page)
    no_exception(page)
    assert page.locator("img[src=x]").count() == 0 and page.locator("main script").count() == 0
    box.fill("   ")
    box.press("Control+Enter")
    settle(page)
    wait_in_page(page, "the message that the text is empty", "() => document.body.innerText.includes("
                 "'The text is empty')")                                # said, and the last good view stays:
    assert page.locator("[data-testid=stPlotlyChart]").count() > 0    # the last good view stays
    shot(page, "explore-empty-text")


def test_presentation_mode(server, page):
    page.goto(server)
    settle(page)
    size = page.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)")
    page.get_by_text("Presentation mode (projector)").click()
    settle(page)
    wait_in_page(page, "the projector's larger type", "s => parseFloat(getComputedStyle(document.documentElement)"
                 ".fontSize) > s", arg=size)
    assert "present=1" in page.url
    page.wait_for_function(SIDEBAR_WIDTH + " === 0")              # folded away for the charts
    shot(page, "explore-presentation")
    page.get_by_test_id("stExpandSidebarButton").click()          # » brings it back, and it stays
    page.wait_for_function(SIDEBAR_WIDTH + " > 200")
    page.get_by_role("slider", name="Hidden size H").focus()
    page.keyboard.press("ArrowRight")
    settle(page)
    assert page.evaluate(SIDEBAR_WIDTH) > 200 and "H=9" in page.url
    page.get_by_text("Presentation mode (projector)").click()    # off again: normal type, the sidebar stays
    settle(page)
    wait_in_page(page, "the normal type again", "s => parseFloat(getComputedStyle(document.documentElement)"
                 ".fontSize) === s", arg=size)
    assert page.evaluate(SIDEBAR_WIDTH) > 200 and "present" not in page.url


# The step figure's top row of plots (every column of the step) and the smallest type in it, from the drawn SVG.
FIRST_SCREEN = """() => {
  const fig = document.querySelector('.st-key-step_chart .js-plotly-plot');
  const cells = [...fig.querySelectorAll('.subplot .heatmaplayer')].map(e => e.getBoundingClientRect())
    .filter(r => r.height > 0);
  const top = Math.min(...cells.map(r => r.top)), low = Math.min(...cells.map(r => r.bottom));
  const sizes = [...fig.querySelectorAll('text')].filter(e => e.textContent.trim())
    .map(e => parseFloat(getComputedStyle(e).fontSize));
  return {figure: fig.getBoundingClientRect().top, top: top, bottom: low, smallest: Math.min(...sizes),
          scrolled: document.querySelector('[data-testid=stMain]').scrollTop + window.scrollY};
}"""


@pytest.mark.parametrize("lang", LANGS)
def test_presentation_mode_puts_the_step_figure_on_a_projectors_first_screen(server, page, lang):
    """At 1280 × 800 a presentation-mode link opens with every column of the step figure on the first screen (no
    scrolling), and the figure's type (token labels, unit numbers, cell values) is at least 16 px."""
    page.set_viewport_size({"width": 1280, "height": 800})
    for query in ("text=hello", "text=hello&cell=lstm"):
        page.goto(server + f"/?{query}&present=1&lang={lang}")
        settle(page)
        page.wait_for_selector(".st-key-step_chart .heatmaplayer", timeout=30_000)
        where = page.evaluate(FIRST_SCREEN)
        shot(page, f"explore-projector-first-screen-{lang}-{query.replace('&', '-').replace('=', '')}", full_page=False)
        assert where["scrolled"] == 0, where
        assert 0 < where["figure"] and where["bottom"] <= 800, (query, where)   # the step's columns, whole
        assert where["smallest"] >= 16, (query, where)
        no_exception(page)
    page.locator("h1").click()                  # the compact head is not under the toolbar's strip: it takes clicks
    with language(lang):
        box = say("present.text_box")
    page.get_by_text(box).click(position={"x": 5, "y": 5})           # its top edge: the text box opens
    page.get_by_role("textbox").first.wait_for(timeout=10_000)
    page.get_by_test_id("stExpandSidebarButton").click()                 # » still brings the sidebar: the views
    page.wait_for_function(SIDEBAR_WIDTH + " > 200")


def test_link_opens_its_tab_in_presentation_mode_and_the_url_follows_the_tabs(server, page):
    page.goto(server + "/?text=apple&cell=lstm&panel=maps&present=1")
    settle(page)
    no_exception(page)
    assert page.evaluate(SIDEBAR_WIDTH) == 0                       # a projector link opens with the sidebar folded
    assert page.get_by_role("tab", name="Heatmaps").get_attribute("aria-selected") == "true"
    page.locator(".gtitle", has_text="cell states c_t").first.wait_for()     # the LSTM's c_t heatmap is drawn
    wait_in_page(page, "the projector's type (22 px or more)", "() => parseFloat(getComputedStyle("
                 "document.documentElement).fontSize) >= 22")
    page.get_by_role("tab", name="Hidden-state path").click()
    settle(page)
    assert "panel=path" in page.url and "present=1" in page.url and "cell=lstm" in page.url


def test_long_mixed_script_text_is_capped_and_drawn(server, page):
    """10,000 characters of Hangul, emoji, right-to-left and invisible characters: a cap message, a working view."""
    page.goto(server)
    settle(page)
    piece = "안녕 👩‍👩‍👧 שלום مرحبا e\u0301\u200b\u0007 "
    text = (piece * (10_000 // len(piece) + 1))[:10_000]
    box = page.get_by_role("textbox", name="Text")
    box.fill(text)
    box.press("Control+Enter")
    settle(page)
    no_exception(page)
    n = len(graphemes(text))                          # characters as a reader counts them, not code points
    message = f"The text was {n:,} characters long; only the first 2,000 are used."
    wait_in_page(page, "the message that the text was cut", "m => document.body.innerText.includes(m)", message)
    body = page.locator("body").inner_text()
    assert message in body
    assert page.locator("[data-testid=stPlotlyChart]").count() > 0
    page.get_by_role("button", name="next ▶").click()
    settle(page)
    no_exception(page)
    wait_in_page(page, "the step line at t = 1", "() => document.body.innerText.includes('t = 1, token: 녕')")
    assert "t = 1, token: 녕" in page.locator("body").inner_text()
    shot(page, "explore-long-mixed-text")


def test_lesson_001_numbers_typed_in_the_browser(server, page):
    """Lesson 001's sequence pasted as the notebook prints it, read as numbers, with its σ(W_y·h_t) output."""
    page.goto(server + "/?enc=numbers&out=1&H=6")
    settle(page)
    box = page.get_by_role("textbox", name="Text")
    box.fill("tensor([[0.1000, 0.2000, 0.3000, 0.4000],\n        [0.2000, 0.3000, 0.4000, 0.5000],\n"
             "        [0.3000, 0.4000, 0.5000, 0.6000]])")
    box.press("Control+Enter")
    settle(page)
    no_exception(page)
    page.keyboard.press("Escape")
    page.locator("h1").click()
    page.keyboard.press("ArrowRight")
    settle(page)
    assert "t = 1 (token '0.2, 0.3, 0.4, 0.5')" in step_title(page)
    assert "sequence of 3 timesteps, input size 4" in page.locator("body").inner_text()
    page.get_by_role("tab", name="Output layer").click()
    settle(page)
    page.locator(".gtitle", has_text="many-to-one: y = σ(W_y·h_T)").first.wait_for()
    box.fill("0.1, 0.2\n0.3")
    box.press("Control+Enter")
    settle(page)
    message = "Every line needs the same number of values (the input size): the first has 2, line 2 has 1"
    wait_in_page(page, "the message that the lines differ in length",
                 "m => document.body.innerText.includes(m)", message)
    body = page.locator("body").inner_text()
    assert message in body
    assert "Showing the last text that worked" in body
    no_exception(page)
    shot(page, "explore-lesson-001-numbers")


CUT = """area => [...document.querySelectorAll(`[data-testid=${area}] [data-testid=stSelectbox] input`)]
            .filter(e => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1).map(e => e.value)"""


def choose(page, name: str, option: str, seconds: float = 60) -> None:
    """Choose `option` in the select box `name` as a person does: open its list, click the option. A click while
    the box above is still unfolding, or a rerun that draws the box again, closes the list before the option is
    clicked: open it again until the box shows the option, within the deadline."""
    box = page.get_by_role("combobox", name=name)
    deadline = time.monotonic() + seconds
    while True:
        try:
            box.click(timeout=5_000)
            page.get_by_role("option", name=option, exact=True).click(timeout=3_000)
            settle(page)
            if box.input_value() == option:
                return
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds} s to choose {option!r} in {name!r}")


@pytest.mark.parametrize("lang", LANGS)
def test_every_preset_name_fits_its_box_on_a_projector(server, page, lang):
    """At 1280 px in presentation mode (the largest type) every closed select box shows its choice whole: the
    preset's name with the sidebar folded (as the mode opens), and the model settings each preset makes (weights
    from U[0, 1), typed numbers, ...) in the sidebar brought back; in each language."""
    from rnnviz.presets import EXPLORE_PRESETS
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(server + f"/?present=1&lang={lang}")
    settle(page)
    with language(lang):
        page.get_by_text(say("present.text_box")).click()        # folded on a projector: opened, it stays open
        for area in ("stMain", "stSidebar"):
            if area == "stSidebar":
                page.get_by_test_id("stExpandSidebarButton").click()
                page.wait_for_function(SIDEBAR_WIDTH + " > 200")
            for key in EXPLORE_PRESETS:
                name = say(f"preset.{key}")
                choose(page, say("label.preset"), name)
                assert page.get_by_role("combobox", name=say("label.preset")).input_value() == name
                cut = page.evaluate(CUT, area)
                if cut:
                    shot(page, f"cut-{lang}-projector-{area}-preset-{key}", full_page=False)
                assert cut == [], (lang, area, name)
    no_exception(page)


def test_play_buttons_never_cover_the_animation_slider(server, page):
    """A narrow step figure (1024 px with the sidebar open) and projector type: ▶ Play and ❚❚ Pause used to slide
    over the start of the animation slider."""
    page.set_viewport_size({"width": 1024, "height": 768})
    for query in ("text=hello&cell=lstm", "text=hello&cell=lstm&present=1"):
        page.goto(server + "/?" + query)
        settle(page)
        chart = page.locator("[data-testid=stPlotlyChart]").first
        chart.locator(".slider-rail-rect").first.wait_for()
        buttons = chart.locator(".updatemenu-button").all()
        rail = chart.locator(".slider-rail-rect").first.bounding_box()
        assert len(buttons) == 2
        for button in buttons:
            box = button.bounding_box()
            assert box["y"] + box["height"] <= rail["y"] or box["x"] + box["width"] <= rail["x"], (query, box, rail)


COLUMN_NAMES = """() => [...document.querySelectorAll('[data-testid=stPlotlyChart] .infolayer g.annotation')].map(a => {
    const r = a.getBoundingClientRect(); return [a.textContent, r.left, r.right, r.bottom]; })"""


def test_step_column_names_stand_apart_on_a_laptop(server, page):
    """At 1024 px with the sidebar open, LSTM's nine column names (and GRU's h_t formula) ran into each other."""
    page.set_viewport_size({"width": 1024, "height": 768})
    for query in ("cell=lstm", "cell=gru", "cell=rnn_tanh", "cell=lstm&bi=1", "cell=lstm&present=1", "cell=gru&present=1"):
        page.goto(server + "/?text=hello&" + query)
        settle(page)
        page.locator("[data-testid=stPlotlyChart] .infolayer g.annotation").first.wait_for()
        names = page.evaluate(COLUMN_NAMES)
        line = min(n[3] for n in names)                         # the column names stand on one line (bottom-aligned);
        names = [n for n in names if n[3] < line + 8]           # the strip's title sits lower, over its own plot
        assert len(names) >= 6, (query, names)
        touching = [(a[0], b[0]) for a, b in zip(names, names[1:]) if a[2] > b[1]]
        assert touching == [], (query, touching)
    no_exception(page)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width", [800, 1024])
def test_no_label_is_cut_in_a_narrow_window(server, page, width, lang):
    """A laptop, or a browser beside a notebook: the batch switch read "Batch: one sequence pe…", the weights
    uploader's size limit and the trace downloads were cut; every label shows whole, in both views and languages."""
    page.set_viewport_size({"width": width, "height": 900})
    for query in ("text=hello", "text=hello&cell=lstm&L=2&bi=1", "view=train", "present=1&text=hello"):
        page.goto(server + f"/?{query}&lang={lang}")
        settle(page)
        page.locator("[data-testid=stMain] [data-testid=stButton]:visible").first.wait_for()   # main has hidden ones too
        cut = cut_labels(page)
        if cut:
            shot(page, f"cut-{lang}-{width}-{query.replace('&', '_').replace('=', '-')}")
        assert cut == [], (lang, width, query)
    no_exception(page)


def test_t_follows_play_when_it_is_paused_or_ends(server, page):
    """▶ Play runs in the browser; when ❚❚ Pause stops it, or it reaches the last step, the step on show becomes
    t for the whole page: the t line, the slider above, the link (and so the other tabs)."""
    page.goto(server + "/?text=hello%20world")            # 11 steps
    settle(page)
    chart = page.locator("[data-testid=stPlotlyChart]").first
    chart.locator(".updatemenu-button").first.click()     # ▶ Play
    page.wait_for_function(f"() => / t = [3-8] /.test(document.querySelector('{STEP_TITLE}').textContent)",
                           timeout=20_000)
    page.evaluate(WATCH_FRAMES)
    ended = runs_ended(page)
    chart.locator(".updatemenu-button").nth(1).click()    # ❚❚ Pause
    wait_for_rerun(page, ended, "the still animation's step to reach the server (a rerun at the new t)")
    frames, blank = page.evaluate("() => [window.__look.frames, window.__look.blank]")
    assert frames > 10 and blank == 0, (frames, blank)    # the page's rerun redrew the figure without a gap
    shown = int(re.search(r" t = (\d+) ", step_title(page)).group(1))
    t_line = page.locator("[data-testid=stMarkdown]").filter(has_text="sequence of 11 tokens").first
    assert 3 <= shown <= 9 and t_line.text_content().startswith(f"t = {shown},")
    assert page.locator(".st-key-t [data-testid=stSliderThumbValue]").text_content() == str(shown)
    assert f"t={shown}" in page.url

    chart.locator(".updatemenu-button").first.click()     # ▶ Play on, to the end
    page.wait_for_function("() => [...document.querySelectorAll('[data-testid=stMarkdown]')]"
                           ".some(e => e.textContent.startsWith('t = 10,'))", timeout=30_000)
    settle(page)
    assert "t = 10 " in step_title(page) and "t=10" in page.url
    page.keyboard.press("ArrowLeft")                      # and the keys go on from there
    settle(page)
    assert "t = 9 " in step_title(page)
    no_exception(page)


# The plotly charts on the page: for each, its key, whether it is the node the probe marked, the x of its marks of
# the current step, and the ring's point (the hidden-state path).
CHARTS = """() => [...document.querySelectorAll('[data-testid=stPlotlyChart] .js-plotly-plot')].map(p => {
    const box = p.closest('[class*=st-key-]'); const key = box ? box.className.match(/st-key-(\\S+)/)[1] : '';
    const marks = (p.layout.shapes || []).filter(s => s.name === 'step t').map(s => s.x0 + 0.5);
    const ring = p.data.find(d => d.name === 'step t');
    return {key, probed: p.__probe === 1, marks, ring: ring ? [ring.x[0], ring.y[0]] : null,
            path: ring ? [p._fullData[0].x[2], p._fullData[0].y[2]] : null}; })"""
PROBE = "() => document.querySelectorAll('[data-testid=stPlotlyChart] .js-plotly-plot').forEach(p => p.__probe = 1)"


@pytest.mark.parametrize("panel", ["maps", "output", "path"])
def test_the_figures_follow_t_in_the_browser_without_being_sent_again(server, page, panel):
    """Moving t reruns only the stepper: the figures stay the same plotly plots, and their marks of the current
    step (the outlined column, the ring on the path) move to the new t in the browser."""
    page.goto(server + f"/?text=hello&cell=lstm&out=1&panel={panel}")
    settle(page)
    page.wait_for_function("() => document.querySelectorAll('[data-testid=stPlotlyChart] .js-plotly-plot').length > 0")
    page.evaluate(PROBE)
    page.locator("h1").click()
    page.keyboard.press("ArrowRight")
    settle(page)
    page.keyboard.press("ArrowRight")
    settle(page)
    assert "t=2" in page.url
    # not one of the tab's figures was drawn again (the small "output after step t" is the stepper's own, drawn at t)
    charts = [c for c in page.evaluate(CHARTS) if c["key"] != "output_at_t"]
    assert charts and all(c["probed"] for c in charts), charts
    marked = [c for c in charts if c["marks"] or c["ring"]]
    assert marked, charts
    for c in marked:
        assert all(x == 2 for x in c["marks"]), c
        if c["ring"]:
            assert c["ring"] == c["path"], c                             # ringed: the path's point t = 2
    no_exception(page)


def test_the_step_figure_follows_t_in_the_browser_and_a_long_text_gets_its_next_window(server, page):
    """The step figure moves to t's animation frame without being sent again; past the steps its animation holds
    (a long text), the page sends the figure of the next window."""
    text = "abcdefghij" * 13                                               # 130 steps: windows of 120
    page.goto(server + f"/?text={text}&t=58")
    settle(page)
    assert "t = 58 " in step_title(page)
    page.evaluate(PROBE)
    page.locator("h1").click()
    page.keyboard.press("ArrowRight")
    settle(page)
    assert "t = 59 " in step_title(page)
    assert all(c["probed"] for c in page.evaluate(CHARTS))              # the same figure, at its frame for t
    page.keyboard.press("ArrowRight")                                   # t = 60: the next window of frames
    settle(page)
    page.wait_for_function(f"() => document.querySelector('{STEP_TITLE}').textContent.includes('t = 60 ')")
    assert "Play covers t = 10…129" in step_title(page)
    no_exception(page)


def test_the_link_follows_t_and_opens_there(server, page):
    """t moves without a rerun of the page, and the address bar follows: a copied link opens at the same step,
    Hangul text and all; back at t = 0 the link leaves t out, as the server writes it."""
    page.goto(server + "/?text=%ED%95%9C%EA%B8%80%20ok&panel=maps")
    settle(page)
    page.wait_for_function("() => window.__rnnvizT && window.__rnnvizT.asked === null")   # the page's t script is in
    for _ in range(3):
        page.locator("h1").click()                       # the page has the focus, as after reading it
        page.keyboard.press("ArrowRight")
        settle(page)
    page.wait_for_function("() => new URL(location.href).searchParams.get('t') === '3'", timeout=15_000)
    assert "panel=maps" in page.url
    link = page.url
    for _ in range(3):
        page.locator("h1").click()
        page.keyboard.press("ArrowLeft")
        settle(page)
    page.wait_for_function("() => !new URL(location.href).searchParams.has('t')")
    page.goto(link)                                       # the copied link, in a new session
    settle(page)
    assert "t = 3" in page.locator("[data-testid=stMarkdown]").filter(has_text="sequence of 5 tokens").first.text_content()
    page.wait_for_function("() => document.querySelectorAll('[data-testid=stPlotlyChart] .js-plotly-plot').length > 1")
    charts = page.evaluate(CHARTS)
    assert any(c["marks"] == [3] for c in charts), charts
    no_exception(page)


def test_the_keys_are_the_pages_after_presentation_mode_is_switched_on(server, page):
    """The switch folds away with the sidebar but kept the focus: → still steps t, and Space does not flip the
    hidden switch back off."""
    page.goto(server + "/?text=hello+world&t=2")
    settle(page)
    page.get_by_text("Presentation mode (projector)").click()
    settle(page)
    page.wait_for_function(SIDEBAR_WIDTH + " === 0")
    page.keyboard.press("ArrowRight")
    wait_in_page(page, "t = 3 after → (the focus was on the hidden switch)",
                 "() => document.querySelector('.st-key-t [data-testid=stSliderThumbValue]')?.textContent === '3'"
                 " && new URL(location.href).searchParams.get('t') === '3'")
    page.keyboard.press("Space")
    settle(page)
    assert "present=1" in page.url and page.evaluate(SIDEBAR_WIDTH) == 0
    no_exception(page)
