"""Every figure's text alternative says what it shows at the current step, with the engine's numbers, in the page's
language (rnnviz/plots/describe.py)."""
import re

import numpy as np
import pytest

from rnnviz import panels
from rnnviz.panels import Look
from rnnviz.pipeline import build
from rnnviz.plots.describe import describe
from rnnviz.state import Config
from rnnviz.words import set_language


@pytest.fixture
def ex():
    return build(Config(text="hello world", cell="lstm", H=6))


def numbers(text: str) -> list[float]:
    return [float(v.replace("−", "-")) for v in re.findall(r"[−-]?\d+\.\d\d", text)]


@pytest.mark.parametrize("lang, at", [("en", "at t = 3"), ("ko", "t = 3의")])
def test_the_states_heatmap_says_its_largest_and_smallest_unit_at_t(ex, lang, at):
    set_language(lang)
    spec = panels.FIGURES["states"].mark(0)(panels.specs("states", ex, Look())[0], ex, 3)
    text = describe(spec)
    h = ex.trace.layers[0][0].h[3, 0]
    assert at in text, text
    assert f"{h.max():.2f}" in text.replace("−", "-") and f"{h.min():.2f}" in text.replace("−", "-"), (text, h)
    assert numbers(text)[:2] == [round(float(h.max()), 2), round(float(h.min()), 2)]


def test_moving_t_changes_what_the_figure_says(ex):
    set_language("en")
    base = panels.specs("states", ex, Look())[0]
    said = {describe(panels.FIGURES["states"].mark(0)(base, ex, t)) for t in range(ex.T)}
    assert len(said) == ex.T, "each step's description is its own"


def test_an_output_bar_chart_names_its_most_likely_token(ex):
    set_language("en")
    last = panels.specs("output", ex, Look(t=2))[-1]
    text = describe(last)
    assert "bars" in text and "highest" in text, text


def test_an_unmarked_grid_says_its_size_and_extremes(ex):
    set_language("en")
    spec = panels.specs("weights", ex, Look())[0]
    z = np.asarray([v for v in spec["data"] if v.get("type") == "heatmap"][0]["z"], dtype=float) \
        if isinstance([v for v in spec["data"] if v.get("type") == "heatmap"][0]["z"], list) else None
    text = describe(spec)
    assert "×" in text and "largest" in text, text
    if z is not None:
        assert f"{z.max():.2f}" in text.replace("−", "-")


def test_user_text_stays_plain_text():
    set_language("en")
    spec = {"layout": {"title": {"text": "<b>x</b>"}}, "data": [{"type": "bar", "x": ["<img src=x onerror=1>"],
                                                                   "y": [0.5], "name": "p"}]}
    text = describe(spec)
    assert "<img src=x onerror=1>" in text, "the label is an attribute's text, never parsed: kept as typed"


def test_plotly_markup_in_a_title_is_not_read_aloud():
    set_language("en")
    spec = {"layout": {"title": {"text": "<b>h_t</b> of layer 0<br><sup>t = 2 marked</sup>"}}, "data": []}
    text = describe(spec)
    assert "<" not in text and "h_t of layer 0. t = 2 marked" in text, text
