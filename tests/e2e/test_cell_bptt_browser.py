"""A person in Chromium, in Korean and English: Explore's step tab draws the LSTM and GRU cells as diagrams whose
numbers follow t; the backward tab shows dL/dh_t split into the part from the output and from the next step; the
LSTM and GRU lesson pages show the diagram. Every number read from the page is compared with the engine's."""
import numpy as np
import pytest
from conftest import no_exception, settle, shot, wait_in_page

from rnnviz import words
from rnnviz.engine.registry import CELL_TABLE
from rnnviz.pipeline import build
from rnnviz.plots.bptt import explored_backward
from rnnviz.state import Config

# The figures are told apart by what their layout.meta holds (cell_at's and backward_at's keys), in any language.
FIND = """(kind) => [...document.querySelectorAll('[data-testid=stPlotlyChart] .js-plotly-plot')].find(gd =>
    gd.layout && gd.layout.meta && (kind in gd.layout.meta) && gd._fullData)"""
CELL = f"""() => {{ const gd = ({FIND})('direction'); if (!gd) return null;
    const strip = name => {{ const d = gd._fullData.find(d => d.name === name); return d ? Array.from(d.z[0]) : null; }};
    return {{title: gd.layout.title.text, h: strip('h_t'), words: gd.layout.annotations.map(a => a.text).join(' ')}}; }}"""
BACKWARD = f"""() => {{ const gd = ({FIND})('whole'); if (!gd) return null;
    return {{title: gd.layout.title.text, names: gd.data.map(d => d.name),
             y: gd.data.slice(0, 3).map(d => Array.from(d.y, v => v === null || v === undefined ? null : v))}}; }}"""


def said(lang: str, key: str, **params) -> str:
    with words.language(lang):
        return words.say(key, **params)


def diagram(page, what: str, test: str = "true") -> dict:
    """The cell diagram's title, h_t strip and words, once it is drawn and `test` (JS over `c`) holds."""
    wait_in_page(page, what, f"() => {{ const c = ({CELL})(); return !!c && ({test}); }}", timeout=60_000)
    return page.evaluate(CELL)


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_the_step_tab_draws_the_cell_and_its_numbers_follow_t(server, page, cell, lang):
    page.goto(f"{server}/?text=hello&cell={cell}&lang={lang}")
    settle(page)
    no_exception(page)
    ex = build(Config(text="hello", cell=cell))
    h = ex.trace.layers[0][0].h[:, 0]
    page.locator("[data-testid=stExpander] summary").filter(has_text=said(lang, "label.step_numbers")).click()   # the step's numbers box
    settle(page)
    first = diagram(page, f"the {cell} diagram at t = 0, in the opened box of the step's numbers")
    title = said(lang, "cell.title", cell=CELL_TABLE[cell].label, t=0, token="'h'", layer=0, row=0)
    assert title in first["title"], (title, first["title"])
    gate = "f" if cell == "lstm" else "z"
    assert said(lang, f"gate.{cell}.{gate}") in first["words"]
    np.testing.assert_allclose(first["h"], h[0], atol=1e-5)
    shot(page, f"cell-diagram-{cell}-{lang}", full_page=False)

    slider = page.get_by_role("slider", name=said(lang, "label.t"))
    slider.focus()
    slider.press("ArrowRight")
    settle(page)
    moved = diagram(page, "the diagram at t = 1 (after →)", "c.title.includes('t = 1 ')")
    np.testing.assert_allclose(moved["h"], h[1], atol=1e-5)
    assert not np.allclose(moved["h"], first["h"]), "the numbers on the wires changed with t"
    no_exception(page)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_backward_tab_splits_the_gradient(server, page, lang):
    for loss in ("last", "every"):
        page.goto(f"{server}/?text=hello%20world&cell=lstm&panel=backward&bptt_loss={loss}&lang={lang}")
        settle(page)
        no_exception(page)
        wait_in_page(page, f"the backward figure ({loss})", f"() => !!({BACKWARD})()", timeout=60_000)
        got = page.evaluate(BACKWARD)
        assert got["names"][:2] == [said(lang, "bptt.from_out"), said(lang, "bptt.from_next", name="h<sub>t+1</sub>")]
        assert said(lang, f"bptt.loss.{loss}", target="'h'") in got["title"]
        bw = explored_backward(build(Config(text="hello world", cell="lstm")), loss)
        whole = np.sqrt((bw.dh[:, 0].astype(np.float64) ** 2).sum(-1))
        np.testing.assert_allclose(got["y"][2], whole, rtol=1e-4)
        out = got["y"][0]
        if loss == "last":          # the loss sits at the last step: only there does the output send a part
            assert all(v is None for v in out[:-1]) and out[-1] > 0
        else:
            assert all(v is not None and v > 0 for v in out)
        shot(page, f"backward-{loss}-{lang}", full_page=False)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_lstm_and_gru_lesson_pages_show_the_diagram(server, page, lang):
    for n, cell in ((4, "lstm"), (5, "gru")):
        page.goto(f"{server}/?view=lessons&lesson=002&page={n}&lang={lang}")
        settle(page)
        no_exception(page)
        got = diagram(page, f"the {cell} diagram on lesson 002's page {n}")
        assert CELL_TABLE[cell].label in got["title"] and "t = 2 " in got["title"], got["title"]
        shot(page, f"lesson-002-{cell}-diagram-{lang}", full_page=False)
