"""Slides: a figure's PNG is 1920×1080, and ▶ Play's GIF decodes to one frame per step t, each the slide's size,
frames that differ as the steps do."""
import io

import imageio.v3 as iio
import numpy as np
import plotly.graph_objects as go

from rnnviz import Network
from rnnviz.plots.step import step_figure
from rnnviz.slides import figure_png, frame_figures, play_gif


def test_a_figure_exports_as_a_1920_by_1080_png():
    png = figure_png(go.Figure(go.Heatmap(z=[[1, 2], [3, 4]])))
    assert png.startswith(b"\x89PNG") and iio.imread(png).shape[:2] == (1080, 1920)


def test_play_exports_one_gif_frame_per_step():
    T = 4
    net = Network.init("rnn_tanh", 3, 5, seed=1)
    lt = net.forward(np.random.default_rng(0).standard_normal((T, 1, 3))).layers[0][0]
    fig = step_figure(lt, net, [f"w{t}" for t in range(T)], 0, 0)
    assert len(frame_figures(fig)) == T
    gif = iio.imread(io.BytesIO(play_gif(fig, size=(480, 270))), extension=".gif", index=None)
    assert gif.shape[0] == T and gif.shape[1:3] == (270, 480)
    assert all(not np.array_equal(gif[t], gif[t + 1]) for t in range(T - 1))   # each step draws its own numbers


def test_exports_are_made_one_at_a_time_and_a_busy_server_is_not_remembered(monkeypatch):
    """While one export runs, a second waits WAIT_SECONDS and is refused (Busy), but a later press makes the file."""
    from rnnviz.ui import handout_button as hb
    monkeypatch.setattr(hb, "WAIT_SECONDS", 0.05)
    spec = go.Figure(go.Heatmap(z=[[1, 2], [3, 4]])).to_json()
    hb._made.clear()
    with hb.ONE_AT_A_TIME:                                  # another student's export holds the turn
        try:
            hb._made("png", spec)
            raise AssertionError("a second export ran while the first held the turn")
        except hb.Busy:
            pass
    png = hb._made("png", spec)                             # the refusal was not cached
    assert png is not None and iio.imread(png).shape[:2] == (1080, 1920)


def test_explores_step_tab_offers_the_slide_and_the_gif_in_the_pages_language():
    from apptest_helpers import new_app
    for lang, png in (("en", "Make a slide (PNG, 1920×1080)"), ("ko", "슬라이드 만들기 (PNG, 1920×1080)")):
        at = new_app(lang=lang)
        at.run()
        assert not at.exception
        labels = [b.label for b in at.button]
        assert png in labels and any("GIF" in label for label in labels), labels
