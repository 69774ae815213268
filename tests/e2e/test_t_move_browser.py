"""t moves in the page first (ui/follow.py): quick presses, a held key, prev / next clicks and a long text's next
window all end with the page, the figures and the link at the same t, and no painted frame goes back."""
import re

from conftest import no_exception, settle, wait_in_page

TITLE = ".st-key-step_chart .gtitle"
# Every painted frame from now on: the step t the step figure's title shows (after the frame's own callbacks, so
# what is painted), and the frames in which no step figure was drawn.
WATCH = """() => { const w = window.__seen = {ts: [], blank: 0};
  const tick = () => { setTimeout(() => { const e = document.querySelector('$TITLE');
    const m = e && / t = (\\d+) /.exec(e.textContent);
    if (!m) w.blank++; else if (w.ts[w.ts.length - 1] !== +m[1]) w.ts.push(+m[1]); }, 0);
    requestAnimationFrame(tick); };
  requestAnimationFrame(tick); }""".replace("$TITLE", TITLE)

# The same t everywhere: the server's t line and slider, the step figure, every mark of t, the link; and the
# page has no request the server has not answered.
AGREE = """t => {
  const app = document.querySelector('[data-testid=stApp]');
  const line = [...document.querySelectorAll('[data-testid=stMarkdown]')].find(e => / sequence of /.test(e.textContent));
  const thumb = document.querySelector('.st-key-t [data-testid=stSliderThumbValue]');
  const title = document.querySelector('$TITLE');
  const plots = [...document.querySelectorAll('[data-testid=stPlotlyChart] .js-plotly-plot')];
  const marks = plots.flatMap(p => (p.layout.shapes || []).filter(s => s.name === 'step t').map(s => s.x0 + 0.5));
  const link = new URL(location.href).searchParams.get('t') || '0';
  return app.dataset.testScriptState === 'notRunning' && window.__rnnvizT && window.__rnnvizT.asked === null
    && !!line && line.textContent.startsWith('t = ' + t + ',') && thumb && thumb.textContent === String(t)
    && (!title || title.textContent.includes(' t = ' + t + ' ')) && marks.every(x => x === t) && link === String(t);
}""".replace("$TITLE", TITLE)


def agree_at(page, t: int, timeout: int = 30_000) -> None:
    """Wait until the page, the figures and the link all show t, with the server done."""
    try:
        page.wait_for_function(AGREE, arg=t, timeout=timeout)
    except Exception as e:          # say what was waited for, and what the page showed instead
        shown = page.evaluate("""() => ({line: [...document.querySelectorAll('[data-testid=stMarkdown]')]
            .map(e => e.textContent).find(x => / sequence of /.test(x)), url: location.href,
            title: (document.querySelector('$TITLE') || {}).textContent,
            asked: (window.__rnnvizT || {}).asked})""".replace("$TITLE", TITLE))
        raise AssertionError(f"waited {timeout} ms for t = {t} on the page, its figures and its link; saw {shown}") from e


def painted(page) -> tuple[list[int], int]:
    return page.evaluate("() => [window.__seen.ts, window.__seen.blank]")


def test_ten_quick_presses_end_at_the_same_t_everywhere_without_going_back(server, page):
    page.goto(server + "/?text=hello%20world%20again")           # 17 steps
    settle(page)
    page.locator(TITLE).wait_for()
    page.evaluate(WATCH)
    page.locator("h1").click()                                    # the keys go to the page, not a field
    for _ in range(10):
        page.keyboard.press("ArrowRight")
    agree_at(page, 10)
    seen, blank = painted(page)
    assert seen[-1] == 10 and seen == sorted(seen), seen           # never a step back on screen
    assert blank == 0
    assert re.search(r"t = 10 \(token 'd'\)", page.locator(TITLE).text_content())
    no_exception(page)


def test_a_held_key_and_quick_clicks_on_prev_and_next(server, page):
    """A key held down repeats (a presentation clicker sends the same keys); prev / next clicks step alike."""
    page.goto(server + "/?text=hello%20world%20again&panel=maps")
    settle(page)
    page.locator(".st-key-map_1 .js-plotly-plot").wait_for()
    page.locator("h1").click()
    for _ in range(6):                                            # one keydown, then five repeats
        page.keyboard.down("ArrowRight")
    page.keyboard.up("ArrowRight")
    agree_at(page, 6)
    prev = page.get_by_role("button", name="◀ prev")
    for _ in range(4):
        prev.click()
    agree_at(page, 2)
    page.get_by_role("button", name="next ▶").click()
    agree_at(page, 3)
    assert page.locator("[data-testid=stPlotlyChart]").count() > 1   # the tab's figures, each with its mark at t
    no_exception(page)


def test_keys_typed_in_a_field_stay_there(server, page):
    page.goto(server + "/?text=hello&t=2")
    settle(page)
    agree_at(page, 2)
    box = page.get_by_role("textbox", name="Text")
    box.click()
    for key in ("ArrowRight", "ArrowRight", "ArrowLeft"):
        box.press(key)
    page.get_by_role("combobox", name="Cell").first.press("ArrowLeft")
    settle(page)
    agree_at(page, 2)
    assert box.input_value() == "hello"
    no_exception(page)


def test_quick_presses_across_a_window_of_a_long_texts_frames(server, page):
    """130 steps: the step figure animates 120 of them; pressing through t = 60 brings the next window's figure."""
    text = "abcdefghij" * 13
    page.goto(server + f"/?text={text}&t=55")
    settle(page)
    agree_at(page, 55)
    assert "Play covers t = 0…119" in page.locator(TITLE).text_content()
    page.evaluate(WATCH)
    page.locator("h1").click()
    for _ in range(10):
        page.keyboard.press("ArrowRight")
    agree_at(page, 65)
    page.wait_for_function(f"() => document.querySelector('{TITLE}').textContent.includes('Play covers t = 10…129')")
    seen, blank = painted(page)
    assert seen[-1] == 65 and seen == sorted(seen), seen
    assert blank == 0
    no_exception(page)


def test_a_request_past_the_end_stops_at_the_last_step(server, page):
    """The server's t is the truth: a page asking for a step the text does not have gets the last one, no error."""
    page.goto(server + "/?text=hello")
    settle(page)
    agree_at(page, 0)
    page.evaluate("() => { const S = window.__rnnvizT; S.sent += 1; S.live.send('t', {t: 999, n: S.sent}); }")
    agree_at(page, 4)
    no_exception(page)


# What each column of the step figure shows: its image and its numbers, the values hover reads, and the values of
# step t in the figure's own frame for t (sent by the server).
COLUMNS = """t => {
  const plot = document.querySelector('.st-key-step_chart .js-plotly-plot');
  const frame = plot._transitionData._frameHash[String(t)];
  const values = spec => { const b = atob(spec.bdata), u = new Uint8Array(b.length);
    for (let i = 0; i < b.length; i++) u[i] = b.charCodeAt(i);
    return JSON.stringify(Array.from(new Float32Array(u.buffer))); };
  return plot.data.slice(0, -1).map((d, k) => {
    const trace = plot._fullData[k], axes = plot._fullLayout._plots[trace.xaxis + trace.yaxis];
    const layer = axes.plot.select('g.heatmaplayer').node();
    return {image: layer.querySelector('image').getAttribute('href'),
            numbers: [...layer.querySelectorAll('text')].map(e => e.textContent).join(' '),
            hover: JSON.stringify(plot.calcdata[k][0].z.map(row => row[0])),
            step: values(frame.data[frame.traces.indexOf(k)].z)};
  });
}"""
# plotly's own drawing of every column from the figure's data (a restyle recalculates and redraws them all).
REDRAW_ALL = """() => {
  const plot = document.querySelector('.st-key-step_chart .js-plotly-plot');
  const k = plot.data.map((_, i) => i).slice(0, -1);
  return window.Plotly.restyle(plot, {z: k.map(i => plot.data[i].z)}, k).then(() => true);
}"""


def test_columns_drawn_ahead_are_what_plotly_draws_at_that_step(server, page):
    """A press puts columns drawn ahead (while the page was idle) in place: they are exactly what plotly itself
    draws from the step's values, numbers and hover values included, going on and going back."""
    for query, presses in (("text=hello", ["ArrowRight", "ArrowRight", "ArrowLeft"]),
                           ("text=hello%20world%20again%20and%20again&H=64", ["ArrowRight", "ArrowRight"])):
        page.goto(f"{server}/?{query}")
        settle(page)
        page.locator(TITLE).wait_for()
        t = 0
        for key in presses:
            t += 1 if key == "ArrowRight" else -1
            page.wait_for_function("t => { const p = document.querySelector('.st-key-step_chart .js-plotly-plot');"
                                   " return p.__rnnvizDrawn && p.__rnnvizDrawn.frames.has(t); }", arg=t,
                                   timeout=30_000)            # the step a press goes to, drawn ahead
            page.locator("h1").click()
            page.keyboard.press(key)
            agree_at(page, t)
            shown = page.evaluate(COLUMNS, t)
            assert all(c["hover"] == c["step"] for c in shown), (query, t)     # step t's own values
            assert page.evaluate(REDRAW_ALL)
            assert page.evaluate(COLUMNS, t) == shown, (query, t)
        no_exception(page)


def test_play_to_the_last_step_leaves_the_strip_uncovered(server, page):
    """▶ Play to the end: at the last step no curtain covers the strip, and the step's box is on its column
    (plotly's animation matches shapes by their place, so every frame has the same two)."""
    page.goto(server + "/?text=hello&t=2")
    settle(page)
    page.locator(TITLE).wait_for()
    page.locator(".st-key-step_chart .updatemenu-button").first.click()        # ▶ Play
    agree_at(page, 4)
    shapes = page.evaluate("""() => document.querySelector('.st-key-step_chart .js-plotly-plot')._fullLayout.shapes
        .map(s => [s.x0, s.x1, s.opacity])""")
    assert len(shapes) == 2, shapes
    (c0, c1, _), (b0, b1, _) = shapes
    assert c0 == c1 and (b0, b1) == (3.5, 4.5), shapes          # the curtain has no width; the box is on t = 4
    no_exception(page)


ADAPTER = "plotlyPrivate, the adapter at the top of rnnviz/ui/web/follow.js"
# Every figure of the page looked at by the adapter's check, and what the page says of them.
CHECKED = """() => { const plots = [...document.querySelectorAll('[data-testid=stPlotlyChart] .js-plotly-plot')];
  return plots.length > 0 && plots.every(p => p.__rnnvizCheck && p.__rnnvizCheck.done)
    && document.documentElement.dataset.rnnvizPlotly; }"""
# The step figure with its frames, the first column's plotly module and its input taken away: what the check says.
BROKEN = """() => { const plot = document.querySelector('.st-key-step_chart .js-plotly-plot'), trace = plot._fullData[0];
  const saved = [plot._transitionData, trace._module, trace._input];
  delete plot._transitionData; delete trace._module; delete trace._input;
  try { return window.__rnnvizT.plotly.check(plot); }
  finally { [plot._transitionData, trace._module, trace._input] = saved; } }"""


def test_streamlits_plotly_js_has_the_shape_the_pages_script_reads(server, page):
    """follow.js reads plotly.js's private state through one adapter; on every tab's figures its check finds each
    name where it reads it. A Streamlit upgrade whose plotly.js moved one fails here, naming the adapter."""
    for panel in ("step", "maps", "output", "path"):
        page.goto(f"{server}/?text=hello%20world&out=1&panel={panel}")
        settle(page)
        said = wait_in_page(page, f"the plotly adapter's check of every figure on the {panel} tab", CHECKED,
                            timeout=120_000)       # the figures' first drawing: ~36 s on 2 busy cores
        assert said == "ok", f"{ADAPTER} no longer matches Streamlit's plotly.js on the {panel} tab: {said}"
        no_exception(page)
        if panel == "step":                        # and the check sees a change of shape, naming what changed
            assert page.evaluate(BROKEN) == ["_fullData[0]._module", "_fullData[0]._input",
                                             "_transitionData._frameHash"]
