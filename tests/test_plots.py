"""Figures are pure functions of engine data: their numbers are the trace's."""
import numpy as np
import pytest
from apptest_helpers import decode

from rnnviz.engine import CELLS
from rnnviz.engine.readout import pca_2d
from rnnviz.engine.registry import ONE_PER_CLASS
from rnnviz.pipeline import build
from rnnviz.plots import heatmaps, output, step
from rnnviz.state import Config


def z(trace_json):
    return decode(trace_json["z"]).astype(float)


@pytest.mark.parametrize("cell", CELLS)
def test_step_figure_columns_and_frames_are_the_trace(cell):
    ex = build(Config(text="hello world", cell=cell, H=5))
    lt = ex.trace.layers[0][0]
    fig = step.step_figure(lt, ex.network, ex.rows[0], 0, 4).to_plotly_json()
    cols = step.step_columns(lt, ex.network, 0)
    for k, (_, v) in enumerate(cols):
        np.testing.assert_allclose(z(fig["data"][k]).ravel(), v[4])
        np.testing.assert_allclose(z(fig["frames"][7]["data"][k]).ravel(), v[7])
    np.testing.assert_allclose(z(fig["data"][len(cols)]), lt.h[:, 0].T)
    assert len(fig["frames"]) == 11
    own = step.h_columns(cols) | {len(cols)}                         # h_{t-1}, h_t and the strip of every h_t
    ranges = {(d["zmin"], d["zmax"]) for k, d in enumerate(fig["data"]) if k not in own}
    assert len(ranges) == 1 and list(ranges)[0][0] == -list(ranges)[0][1]   # one range for the rest, centred at 0


@pytest.mark.parametrize("cell", ONE_PER_CLASS.values())
def test_h_t_and_its_strip_have_a_colour_range_of_their_own(cell):
    """With LSTM, h_t = o·tanh(c_t) is small beside x_t, the gates and c_t: on their one range the h_t strip looked
    white. h_{t-1}, h_t and the strip now span h's own values (±max|h|), with a colour bar of their own."""
    ex = build(Config(text="hello world", cell=cell, H=6))
    lt = ex.trace.layers[0][0]
    spec = step.step_spec(lt, ex.network, ex.rows[0], 0, 4)
    names = [d["x"][0] for d in spec["data"][:-1]]
    h_top = float(np.abs(lt.h[:, 0]).max())
    for k in [names.index(n) for n in names if n.startswith("h_")] + [len(names)]:   # h_{t-1}, h_t, the strip
        d = spec["data"][k]
        assert (d["zmin"], d["zmax"], d["zmid"]) == pytest.approx((-h_top, h_top, 0)), names[k] if k < len(names) else k
    rest = max(float(np.abs(v).max()) for n, v in step.step_columns(lt, ex.network, 0) if not n.startswith("h_"))
    assert spec["data"][0]["zmax"] == pytest.approx(rest) and rest > h_top     # the gates' range is wider
    assert [d["showscale"] for d in spec["data"]].count(True) == 2              # a colour bar for each range
    assert spec["data"][-1]["showscale"] and spec["data"][-1]["colorbar"]["title"]["text"] == "h"


def test_show_step_equals_a_fresh_figure():
    ex = build(Config(text="abcdefg", cell="lstm"))
    lt = ex.trace.layers[0][0]
    base = step.step_figure(lt, ex.network, ex.rows[0], 0, 0).to_plotly_json()
    moved = step.show_step(base, lt, ex.network, 0, 5)
    fresh = step.step_figure(lt, ex.network, ex.rows[0], 0, 5).to_plotly_json()
    for a, b in zip(moved["data"], fresh["data"]):
        np.testing.assert_array_equal(z(a), z(b))
    assert moved["layout"]["title"]["text"] == fresh["layout"]["title"]["text"]
    assert moved["layout"]["sliders"][0]["active"] == fresh["layout"]["sliders"][0]["active"] == 5
    assert moved["layout"]["shapes"] == fresh["layout"]["shapes"]
    assert base["layout"]["title"]["text"].startswith("the step at t = 0")     # the cached spec is untouched
    np.testing.assert_array_equal(z(base["data"][0]), z(step.step_figure(lt, ex.network, ex.rows[0], 0, 0)
                                                         .to_plotly_json()["data"][0]))


def test_long_sequences_animate_a_window_around_t():
    assert step.frame_window(50, 10) == range(50)
    w = step.frame_window(2000, 1000)
    assert 1000 in w and len(w) == step.MAX_FRAMES
    assert step.frame_window(2000, 1999)[-1] == 1999


def test_reverse_direction_reveals_from_the_end():
    ex = build(Config(text="abcde", bi=True, dir=1))
    lt = ex.trace.layers[0][1]
    fig = step.step_figure(lt, ex.network, ex.rows[0], 0, 3)
    curtain = fig.layout.shapes[0]
    assert curtain.x0 == -0.5 and curtain.x1 == 2.5   # steps 0..2 are not computed yet going backwards


def test_weights_figures_show_wx_wh_and_summed_bias():
    ex = build(Config(text="hello", cell="gru", H=3))
    figs = heatmaps.weights_figures(ex.network, 0, False, list(ex.vocab.tokens))
    Wx, Wh, b_ih, b_hh = ex.network.weights(0, False)
    np.testing.assert_allclose(z(figs[0].to_plotly_json()["data"][0]), Wx)
    np.testing.assert_allclose(z(figs[1].to_plotly_json()["data"][0]), Wh)
    np.testing.assert_allclose(z(figs[2].to_plotly_json()["data"][0]).ravel(), b_ih + b_hh)
    assert figs[0].layout.yaxis.ticktext[3] == "z0"                    # gate blocks are named


def test_probability_figure_columns_sum_to_one():
    ex = build(Config(text="abcab", out=True))
    fig = output.probs_figure(ex.probs[0], ex.rows[0], list(ex.vocab.tokens), 2).to_plotly_json()
    np.testing.assert_allclose(z(fig["data"][0]).sum(0), 1, atol=1e-6)


def test_pca_path_keeps_order_and_variance():
    h = np.random.default_rng(0).standard_normal((9, 6))
    coords, var = pca_2d(h)
    assert coords.shape == (9, 2) and 0 <= var[1] <= var[0] <= 1
    centred = h - h.mean(0)
    assert np.isclose((coords ** 2).sum(), (np.linalg.svd(centred, compute_uv=False)[:2] ** 2).sum())
    fig = output.path_figure(coords, var, list("abcdefghi"), 3)
    np.testing.assert_allclose(fig.data[0].x, coords[:, 0])
    assert pca_2d(np.ones((1, 4)))[0].shape == (1, 2)      # one step: no crash


def test_figures_work_without_streamlit():
    import subprocess
    import sys
    code = ("import sys; from rnnviz.plots import step, heatmaps, output; "
            "assert 'streamlit' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_hand_written_specs_are_valid_plotly():
    """The UI hands these specs to Streamlit without validation (ui/charts.py), so plotly checks them here."""
    import plotly.graph_objects as go

    from rnnviz.plots import marks
    from rnnviz.plots import training as train_plots
    ex = build(Config(text="hello world", cell="lstm", out=True))
    lt = ex.trace.layers[0][0]
    spec = step.step_spec(lt, ex.network, ex.rows[0], 0, 3)
    specs = [spec, step.show_step(spec, lt, ex.network, 0, 5),
             marks.with_step(heatmaps.input_figure(ex.X[0], ex.rows[0], None).to_plotly_json(), 2),
             marks.with_path_point(output.path_figure(*pca_2d(lt.h[:, 0]), ex.rows[0], None).to_plotly_json(), 2),
             train_plots.curves_spec({"a": ([1, 2], [1.0, 0.5], [0.2, 0.4]), "b": ([1], [2.0], [0.0])}),
             train_plots.grad_heatmap_spec({"a": ([1, 6], np.random.rand(2, 5), list("apple")),
                                             "b": ([1, 6], np.random.rand(2, 5), None)}),
             train_plots.grad_profile_spec({"a": np.random.rand(5)})]
    for s in specs:
        fig = go.Figure(s)                 # raises on any invalid property
        assert fig.data
    assert len(go.Figure(spec).frames) == 11


def test_training_curves_show_a_run_of_one_step():
    from rnnviz.plots import training as train_plots
    short = train_plots.curves_spec({"a": ([1], [1.6], [0.2])})
    assert all("markers" in trace["mode"] for trace in short["data"])      # one point is drawn as a dot
    long = train_plots.curves_spec({"a": (list(range(500)), [1.0] * 500, [0.5] * 500)})
    assert all(trace["mode"] == "lines" for trace in long["data"])
    for axis in ("xaxis", "xaxis2"):                                      # no tick at "step 0.5" for a short run
        assert (short["layout"][axis]["tick0"], short["layout"][axis]["dtick"]) == (0, 1)
        assert "dtick" not in long["layout"][axis]


def test_gradient_maps_of_several_runs_share_one_colour_scale():
    """RNN, LSTM and GRU side by side: one colour means one ‖dL/dh_t‖ in every panel (each had its own scale, so
    a faded RNN and a healthy LSTM could look alike), one colour bar, panels apart, the engine's norms on hover."""
    from rnnviz.plots import training as train_plots
    rnn = np.geomspace(1e-9, 1e-2, 5)[None].repeat(3, 0)            # fades towards t = 0
    lstm = np.full((3, 5), 1e-1)
    spec = train_plots.grad_heatmap_spec({"RNN": ([1, 2, 3], rnn, list("apple")), "LSTM": ([1, 2, 3], lstm, None)})
    import plotly.graph_objects as go
    fig = go.Figure(spec)
    assert [t.name for t in fig.data] == ["RNN", "LSTM"]
    assert {(t.zmin, t.zmax) for t in fig.data} == {(-9.0, -1.0)}
    assert [t.showscale for t in fig.data] == [True, False]
    np.testing.assert_allclose(fig.data[0].z, np.log10(rnn))
    np.testing.assert_allclose(fig.data[1].customdata, lstm)
    (a0, a1), (b0, b1) = fig.layout.xaxis.domain, fig.layout.xaxis2.domain
    assert a0 < a1 < b0 < b1 and fig.data[1].xaxis == "x2" and fig.data[1].yaxis == "y2"
    assert fig.layout.yaxis2.matches == "y"                            # the same training steps, read on the left
    assert [a.text for a in fig.layout.annotations] == ["<b>RNN</b>", "<b>LSTM</b>"]
    far = train_plots.grad_heatmap_spec({"RNN": ([1], np.array([[1e-30, 1.0]]), None)})
    assert far["data"][0]["zmin"] == -train_plots.GRAD_DECADES        # a vanished gradient does not flatten the rest


def test_gradient_profile_ticks_whole_timesteps_and_powers_of_ten():
    """"apple" has 5 timesteps: ticks at 0…4, not 0.5; norms read 10⁻⁴, not plotly's "100μ"."""
    from rnnviz.plots import training as train_plots
    short = train_plots.grad_profile_spec({"RNN": np.geomspace(1e-5, 1e-2, 5), "LSTM": np.full(5, 1e-3)})
    assert (short["layout"]["xaxis"]["tick0"], short["layout"]["xaxis"]["dtick"]) == (0, 1)
    assert short["layout"]["yaxis"]["type"] == "log" and short["layout"]["yaxis"]["exponentformat"] == "power"
    long = train_plots.grad_profile_spec({"RNN": np.full(61, 1e-3)})            # the memory task: plotly's ticks
    assert "dtick" not in long["layout"]["xaxis"]


@pytest.mark.parametrize("H, I, present", [(8, 4, False), (8, 14, False), (20, 16, False), (10, 3, True)])
def test_step_figure_is_tall_enough_for_the_numbers_in_its_cells(H, I, present):
    from rnnviz.plots.theme import look
    ex = build(Config(text="abcdefghijklmnopqrstuvwxyz"[:I], H=H))
    lt = ex.trace.layers[0][0]
    spec = step.step_spec(lt, ex.network, ex.rows[0], 0, 0, present)
    layout = spec["layout"]
    top = layout["yaxis"]["domain"]
    top_px = (layout["height"] - layout["margin"]["t"] - layout["margin"]["b"]) * (top[1] - top[0])
    rows = max(H, I)
    assert spec["data"][0]["texttemplate"]                       # the numbers are shown ...
    assert top_px / rows >= look(present).cell_text_size + 4    # ... in rows tall enough to hold them


@pytest.mark.parametrize("cell, H, text", [("rnn_tanh", 8, "hello"), ("lstm", 8, "hello"), ("gru", 20, "hello"),
                                           ("lstm", 20, "We are Avengers going to End Game"), ("lstm", 64, "a" * 300)])
def test_the_projectors_step_figure_fits_the_screen_with_play_and_its_slider(cell, H, text):
    """Presentation mode: the whole figure (columns, strip, ▶ Play, slider) in FIT_HEIGHT px, whatever the sizes
    (the Explore figure ran to y = 1137 at 1280 × 800, the LSTM lesson's to 1,250 px); the cells keep their numbers
    while rows of them fit, the strip keeps its rows, and ▶ Play sits under the strip's labels, inside the figure."""
    from rnnviz.plots.theme import look
    ex = build(Config(text=text, cell=cell, H=H, tok="word" if " " in text else "char"))
    lt = ex.trace.layers[0][0]
    spec = step.step_spec(lt, ex.network, ex.rows[0], 0, 0, present=True)
    layout, low = spec["layout"], len(step.step_columns(lt, ex.network, 0)) + 1      # the strip's axes
    m = layout["margin"]
    plot = layout["height"] - m["t"] - m["b"]
    assert layout["height"] == step.FIT_HEIGHT
    rows = max(H, ex.network.input_size)
    top, strip = layout["yaxis"]["domain"], layout[f"yaxis{low}"]["domain"]
    if rows <= 10:
        assert spec["data"][0]["texttemplate"] and (top[1] - top[0]) * plot / rows >= look(True).cell_text_size + 4
    else:
        assert not spec["data"][0]["texttemplate"]          # on hover only: the numbers would not fit their rows
    assert (strip[1] - strip[0]) * plot >= step.FIT_STRIP[0] and top[0] > strip[1]
    below = -layout["updatemenus"][0]["y"] * plot                       # px from the strip's bottom to ▶ Play
    assert below >= step.FIT_BUTTONS - 1 and below + 100 <= m["b"]     # the buttons and the slider in the figure
    assert len(layout[f"xaxis{low}"].get("tickvals", ex.rows[0])) <= step.FIT_TICKS     # token labels apart


@pytest.mark.parametrize("cell", ONE_PER_CLASS.values())
def test_step_columns_have_no_tick_marks_and_room_for_the_unit_numbers(cell):
    """Between the columns of the equation a tick mark reads as a minus sign; the unit numbers beside h_{t-1}
    stand in a wider gap after x_t, clear of its cells."""
    ex = build(Config(text="hello", cell=cell, H=20))
    layout = step.step_spec(ex.trace.layers[0][0], ex.network, ex.rows[0], 0, 0)["layout"]
    k = len(step.step_columns(ex.trace.layers[0][0], ex.network, 0))
    names = ["xaxis"] + [f"xaxis{c}" for c in range(2, k + 1)]
    assert all(layout[n]["ticks"] == "" and layout["y" + n[1:]]["ticks"] == "" for n in names)
    domains = [layout[n]["domain"] for n in names]
    gaps = [b[0] - a[1] for a, b in zip(domains, domains[1:])]
    assert gaps[0] > 1.5 * max(gaps[1:]) and domains[-1][1] == pytest.approx(1.0)
    assert all(d[1] - d[0] == pytest.approx(domains[0][1] - domains[0][0]) for d in domains)   # equal widths


def _row_px(fig) -> float:
    """Pixels per row of a one-plot heatmap figure."""
    layout, z = fig.layout, np.asarray(fig.data[0].z)
    return (layout.height - layout.margin.t - layout.margin.b) / z.shape[0]


@pytest.mark.parametrize("cell, H, present", [("gru", 8, False), ("lstm", 10, False), ("rnn_tanh", 20, False),
                                              ("lstm", 5, True), ("gru", 16, True)])
def test_heatmaps_with_numbers_are_tall_enough_to_hold_them(cell, H, present):
    from rnnviz.plots.theme import look
    ex = build(Config(text="hello", cell=cell, H=H))
    lt = ex.trace.layers[0][0]
    figs = heatmaps.weights_figures(ex.network, 0, False, None, present) + \
        heatmaps.layer_figures(lt, ex.rows[0], 0, 0, present)
    with_numbers = [f for f in figs if f.data[0].texttemplate]
    assert with_numbers                                            # the gated cells' Wx (e.g. 24 × 4) among them
    assert all(_row_px(f) >= look(present).cell_text_size + 4 for f in with_numbers)


@pytest.mark.parametrize("cell, H, present", [("lstm", 64, False), ("rnn_tanh", 256, False), ("gru", 100, True),
                                              ("lstm", 7, True)])
def test_weight_row_labels_never_overlap_and_start_each_gate_block(cell, H, present):
    from rnnviz.plots.theme import look
    ex = build(Config(text="hello", cell=cell, H=H))
    for fig in heatmaps.weights_figures(ex.network, 0, False, None, present):
        rows = [int(v.split()[1]) for v in fig.layout.yaxis.tickvals]
        assert min(np.diff(rows)) * _row_px(fig) >= look(present).font_size      # labels a font size apart
        G = np.asarray(fig.data[0].z).shape[0] // H
        assert {g * H for g in range(G)} <= set(rows)                           # i0, f0, g0, o0 all named
        assert fig.layout.height <= 1200


def test_a_long_texts_output_title_and_height_stay_on_the_page():
    words = " ".join(f"w{i}" for i in range(300))                 # T = 300 words, vocabulary 300
    ex = build(Config(text=words, tok="word", out=True))
    fig = output.probs_figure(ex.probs[0], ex.rows[0], list(ex.vocab.tokens), 0)
    reading = fig.layout.title.text.split("argmax reads “")[1].split("”")[0]
    assert len(reading) == output.MAX_READ and reading.endswith("…")
    assert fig.layout.height <= 1200
    short = build(Config(text="apple", out=True))
    title = output.probs_figure(short.probs[0], short.rows[0], list(short.vocab.tokens), 0).layout.title.text
    assert "…" not in title and len(title.split("argmax reads “")[1]) == 5 + len("”</sup>")


def test_step_figure_drops_cell_numbers_when_rows_are_many():
    ex = build(Config(text="hello", H=22))
    spec = step.step_spec(ex.trace.layers[0][0], ex.network, ex.rows[0], 0, 0)
    assert not spec["data"][0]["texttemplate"] and spec["data"][0]["hovertemplate"]


@pytest.mark.parametrize("T", [1, 50, 120, 121, 200, 539, 2000])
def test_every_step_shares_its_window_with_the_anchor_of_that_window(T):
    for t in range(T):
        anchor = step.frame_anchor(T, t)
        assert step.frame_window(T, anchor) == step.frame_window(T, t)
        assert t in step.frame_window(T, t)


def test_a_long_text_shows_every_step_from_the_cached_animation():
    """Steps past the first window (t >= 60 of a text longer than the animation) come out of the shared figure."""
    ex = build(Config(text="the cat sat on the mat. " * 12))          # T = 288
    lt = ex.trace.layers[0][0]
    for t in (0, 59, 60, 61, 119, 120, 130, 200, 227, 228, ex.T - 1):
        spec = step.step_spec(lt, ex.network, ex.rows[0], 0, step.frame_anchor(ex.T, t))
        shown = step.show_step(spec, lt, ex.network, 0, t)
        assert shown["layout"]["title"]["text"].startswith(f"the step at t = {t} ")
        np.testing.assert_allclose(decode(shown["data"][-2]["z"]).ravel(), lt.h[t, 0], atol=1e-6)


def test_a_projector_reads_hover_labels_and_the_labs_passage_in_projector_type():
    """On a projector the hover labels were ~10 px and the lab's passage characters ~6 px: both at least 16 px."""
    from rnnviz.plots import lab
    from rnnviz.plots import training as train_plots
    from rnnviz.plots.theme import look
    ex = build(Config(text="hello", cell="lstm"))
    lt = ex.trace.layers[0][0]
    specs = [step.step_spec(lt, ex.network, ex.rows[0], 0, 0, True),
             heatmaps.layer_figures(lt, ex.rows[0], 0, 0, True)[0].to_plotly_json(),
             train_plots.curves_spec({"a": ([1], [1.0], [0.5])}, True)]
    assert all(s["layout"]["hoverlabel"]["font"]["size"] >= look(True).font_size for s in specs)   # 16.5 px before
    assert look(False).hover_size < 16                               # the laptop's stay as they were
    text = "A long passage, 한국어와 English, that wraps over several rows of the grid." * 2
    passage = lab.passage_spec(list(text), np.linspace(-1, 1, len(text)), "unit 3", present=True)
    heat = passage["data"][0]
    assert heat["textfont"]["size"] >= 16 and len(heat["z"][0]) <= lab.PRESENT_WRAP
    rows_px = (passage["layout"]["height"] - 60) / len(heat["z"])
    assert rows_px >= heat["textfont"]["size"] + 4                   # each row holds its characters
    laptop = lab.passage_spec(list(text), np.linspace(-1, 1, len(text)), "unit 3")
    assert len(laptop["data"][0]["z"][0]) == lab.WRAP


def test_korean_y_axis_titles_are_written_across_the_page():
    """Plotly turns a y-axis title sideways: in Korean the page writes it across, over the axis's top end (an
    annotation), the figure's title keeping its line; English titles stay as plotly draws them."""
    from rnnviz.plots.theme import upright
    from rnnviz.words import language
    ex = build(Config(text="hello"))
    lt = ex.trace.layers[0][0]
    for lang in ("ko", "en"):
        with language(lang):
            fig = heatmaps.layer_figures(lt, ex.rows[0], 0, 0)[0].to_plotly_json()
            spec = step.step_spec(lt, ex.network, ex.rows[0], 0, 0, True)
        title = fig["layout"]["yaxis"]["title"]["text"]
        drawn, step_drawn = upright(fig), upright(spec)
        notes = [a["text"] for a in drawn["layout"].get("annotations", ())]
        if lang == "ko":
            assert title == "유닛" and drawn["layout"]["yaxis"]["title"]["text"] == "" and notes == ["유닛"]
            assert drawn["layout"]["margin"]["t"] > fig["layout"]["margin"]["t"]     # room under the title
            low = [k for k in step_drawn["layout"] if k.startswith("yaxis") and step_drawn["layout"][k].get("title")]
            assert all(step_drawn["layout"][k]["title"]["text"] == "" for k in low)
            assert "유닛" in [a["text"] for a in step_drawn["layout"]["annotations"]]
            assert fig["layout"]["yaxis"]["title"]["text"] == "유닛"                  # the cached spec is untouched
        else:
            assert drawn is fig and notes == []


def test_long_time_labels_of_typed_numbers_are_written_on_lines_of_their_own():
    """Lesson 001's typed rows ("0:0.1, 0.2, 0.3, 0.4") side by side ran into each other at 1024 px."""
    ex = build(Config(text="0.1, 0.2, 0.3, 0.4\n0.2, 0.3, 0.4, 0.5\n0.3, 0.4, 0.5, 0.6", enc="numbers", out=True))
    fig = output.sigmoid_figures(ex.probs[0], ex.rows[0], 1)[0]
    ticks = list(fig.layout.xaxis.ticktext)
    assert ticks[0] == "0:<br>0.1, 0.2,<br>0.3, 0.4" and list(fig.layout.xaxis.tickvals) == heatmaps.time_labels(ex.rows[0])
    assert max(len(line) for s in ticks for line in s.split("<br>")) <= 10
    assert fig.layout.margin.b >= 50 + 2 * 17                        # room for the labels' two more lines


@pytest.mark.parametrize("cell", list(ONE_PER_CLASS.values()))
def test_the_step_figures_column_names_are_in_the_registrys_head_size(cell):
    """The names' type is the cell registry's head_size (a projector adds 4), not a second table by torch class."""
    from rnnviz.engine.registry import CELL_TABLE
    ex = build(Config(cell=cell))
    lt = ex.trace.layers[0][0]
    names = {n for n, _ in step.step_columns(lt, ex.network, 0)}
    for present, extra in ((False, 0), (True, 4)):
        fig = step.step_figure(lt, ex.network, ex.rows[0], 0, 0, present=present)
        heads = {a.font.size for a in fig.layout.annotations if a.text in names}
        assert heads == {CELL_TABLE[cell].head_size + extra}, (present, heads)
