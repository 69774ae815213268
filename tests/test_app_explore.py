"""The Explore view in AppTest: controls, presets, links and bad input; the charts' numbers are the engine's."""
import numpy as np
import pytest
from apptest_helpers import decode, figure_titled, figures, new_app, no_exception, open_tab, step_columns, texts

from rnnviz.pipeline import build
from rnnviz.plots.theme import PRESENT_INK
from rnnviz.presets import EXPLORE_PRESETS
from rnnviz.state import Config


def engine(**kw):
    return build(Config(**kw))


def test_default_page_shows_the_engines_step():
    at = new_app()
    no_exception(at)
    ex = engine()
    cols = step_columns(figure_titled(at, "the step at t = 0"))
    lt = ex.trace.layers[0][0]
    np.testing.assert_allclose(cols["h_t<br>= tanh(a_t)"], lt.h[0, 0], atol=1e-6)
    np.testing.assert_allclose(cols["Wx·x_t"], lt.Wx_x[0, 0], atol=1e-6)
    np.testing.assert_allclose(cols["x_t"], ex.X[0, 0], atol=1e-6)


def test_moving_t_shows_that_step():
    at = new_app()
    at.slider(key="t").set_value(3).run()
    no_exception(at)
    lt = engine(t=3).trace.layers[0][0]
    cols = step_columns(figure_titled(at, "the step at t = 3"))
    np.testing.assert_allclose(cols["h_t<br>= tanh(a_t)"], lt.h[3, 0], atol=1e-6)
    np.testing.assert_allclose(cols["+ Wh·<br>h_{t−1}"], lt.Wh_h[3, 0], atol=1e-6)
    at.button(key="t_next").click().run()
    assert at.slider(key="t").value == 4
    at.button(key="t_prev").click().run()
    assert at.slider(key="t").value == 3


def test_step_numbers_table_is_built_when_opened():
    at = new_app(text="hello", H="4")
    at.slider(key="t").set_value(2).run()
    assert not at.dataframe                                     # closed: nothing built
    at.session_state["step_numbers"] = True                     # the reader opens the expander
    at.run()
    no_exception(at)
    lt = engine(text="hello", H=4, t=2).trace.layers[0][0]
    df = at.dataframe[0].value
    assert df.index.name == "unit of h_2"
    assert not [c for c in df.columns if "<" in c]              # no markup shown literally in a header
    np.testing.assert_allclose(df["h_t = tanh(a_t)"].to_numpy(), lt.h[2, 0], atol=1e-6)
    np.testing.assert_allclose(df["= a_t"].to_numpy(), lt.a[2, 0], atol=1e-6)
    np.testing.assert_allclose(df["+ Wh· h_{t−1}"].to_numpy(), lt.Wh_h[2, 0], atol=1e-6)
    at.slider(key="t").set_value(4).run()                       # still open: the table follows t
    np.testing.assert_allclose(at.dataframe[0].value["h_t = tanh(a_t)"].to_numpy(), lt.h[4, 0], atol=1e-6)


def test_hidden_state_heatmap_equals_engine():
    at = open_tab(new_app(H="6", text="abcab"), "Heatmaps")
    lt = engine(H=6, text="abcab").trace.layers[0][0]
    fig = figure_titled(at, "hidden states h_t")
    np.testing.assert_allclose(decode(fig["data"][0]["z"]).astype(float), lt.h[:, 0].T, atol=1e-6)
    assert fig["data"][0]["zmid"] == 0 and fig["data"][0]["zmin"] == -fig["data"][0]["zmax"]
    at.slider(key="t").set_value(3).run()                      # the cached figure, the mark moved to t
    marks = figure_titled(at, "hidden states h_t")["layout"]["shapes"]
    assert [(m["x0"], m["x1"]) for m in marks] == [(2.5, 3.5)]


@pytest.mark.parametrize("cell, gates", [("lstm", ["i<br>= σ(·)", "f<br>= σ(·)", "g<br>= tanh(·)", "o<br>= σ(·)"]),
                                          ("gru", ["r<br>= σ(·)", "z<br>= σ(·)", "n<br>= tanh(·)"])])
def test_switching_cell_shows_its_gates(cell, gates):
    at = new_app()
    at.selectbox(key="cell").set_value(cell).run()
    at.slider(key="t").set_value(2).run()
    no_exception(at)
    lt = engine(cell=cell, t=2).trace.layers[0][0]
    cols = step_columns(figure_titled(at, "the step at t = 2"))
    for name, g in zip(gates, lt.gates):
        np.testing.assert_allclose(cols[name], lt.gates[g][2, 0], atol=1e-6)
    if cell == "lstm":
        fig = figure_titled(open_tab(at, "Heatmaps"), "cell states c_t")
        np.testing.assert_allclose(decode(fig["data"][0]["z"]).astype(float), lt.c[:, 0].T, atol=1e-6)


def test_every_control_changes_the_run():
    at = new_app()
    at.slider(key="H").set_value(12).run()
    at.slider(key="L").set_value(2).run()
    at.toggle(key="bi").set_value(True).run()
    at.toggle(key="bf").set_value(False).run()
    at.selectbox(key="enc").set_value("embedding").run()
    at.slider(key="I").set_value(7).run()
    at.number_input(key="seed").set_value(5).run()
    at.slider(key="scale").set_value(2.0).run()
    at.selectbox(key="init").set_value("uniform").run()
    at.radio(key="tok").set_value("char").run()
    at.selectbox(key="layer").set_value(1).run()
    at.radio(key="dir").set_value(1).run()
    no_exception(at)
    cfg = Config(H=12, L=2, bi=True, bf=False, enc="embedding", I=7, seed=5, scale=2.0, init="uniform", layer=1, dir=1)
    lt = build(cfg).trace.layers[1][1]
    fig = figure_titled(open_tab(at, "Heatmaps"), "hidden states h_t")
    assert "layer 1, backward direction" in fig["layout"]["title"]["text"]
    np.testing.assert_allclose(decode(fig["data"][0]["z"]).astype(float), lt.h[:, 0].T, atol=1e-5)
    open_tab(at, "Shapes & PyTorch code")
    assert "(4, 1, 12)" in " ".join(str(d.value.to_dict()) for d in at.dataframe)   # h_n (L·D, B, H)


def test_output_tab_turns_the_output_layer_on():
    at = open_tab(new_app(), "Output layer")
    at.button(key="out_on").click().run()
    no_exception(at)
    assert at.toggle(key="out").value is True
    probs = engine(out=True).probs[0]
    fig = figure_titled(at, "many-to-many")
    np.testing.assert_allclose(decode(fig["data"][0]["z"]).astype(float), probs.T, atol=1e-6)


def test_locked_input_size_follows_the_vocabulary():
    at = new_app()
    locked = at.number_input(key="_I_locked")
    assert locked.value == 4 and isinstance(locked.value, int)          # hello: h, e, l, o; shown as "4", not "4.00"
    at.text_area(key="text").set_value("안녕 world").run()
    no_exception(at)
    assert at.number_input(key="_I_locked").value == len(engine(text="안녕 world").vocab) == 8


@pytest.mark.parametrize("name", list(EXPLORE_PRESETS))
def test_every_preset_runs(name):
    at = new_app()
    at.selectbox(key="preset").set_value(name).run()
    no_exception(at)
    assert at.text_area(key="text").value == EXPLORE_PRESETS[name]["text"]
    assert figure_titled(at, "the step at t = 0")


def test_batch_preset_shows_rows_and_both_readings():
    at = new_app()
    at.selectbox(key="preset").set_value("hello_batch").run()
    at.selectbox(key="row").set_value(2).run()
    no_exception(at)
    ex = build(Config(**{k: v for k, v in EXPLORE_PRESETS["hello_batch"].items()}, row=2))
    fig = figure_titled(at, "the step at t = 0")
    assert "batch row 2" in fig["layout"]["title"]["text"]
    np.testing.assert_allclose(step_columns(fig)["x_t"], ex.X[2, 0])   # 'l' of lleel
    shown = texts(open_tab(at, "Shapes & PyTorch code"))
    assert "T=3 timesteps of B=5 sequences" in shown
    assert "(3, 5, 2)" in shown and "(5, 3, 2)" in shown


def test_saturation_preset_puts_every_h_near_one():
    at = new_app()
    at.selectbox(key="preset").set_value("saturation").run()
    open_tab(at, "Heatmaps")
    h = decode(figure_titled(at, "hidden states h_t")["data"][0]["z"]).astype(float)
    assert h.shape == (8, 10) and h[:, 1:].min() > 0.99
    share = np.mean(np.abs(h) > 0.95)
    note, = [i.value.replace("\\", "") for i in at.info if "Saturated" in i.value]   # the page says why, as lesson 000
    assert f"Saturated: {share:.0%} of the hidden values" in note and "uniform [0, 1) weights" in note
    at.selectbox(key="init").set_value("pytorch").run()                    # the change the note suggests
    assert not [i for i in at.info if "Saturated" in i.value]


@pytest.mark.parametrize("settings, expect", [
    (dict(text="hello"), None), (dict(text="hello world", scale=8.0), "weight scale at 8"),
    (dict(text="hello world", scale=8.0, cell="lstm"), None), (dict(text="hello world", scale=8.0, cell="rnn_relu"), None)])
def test_the_saturation_note_appears_only_when_most_tanh_states_sit_near_one(settings, expect):
    ex = build(Config(**settings))
    note = str(ex.saturation() or "")
    share = np.mean([np.mean(np.abs(lt.h) > 0.95) for layer in ex.trace.layers for lt in layer])
    assert (note == "") == (expect is None) == (share < 0.5 or settings.get("cell", "rnn_tanh") != "rnn_tanh")
    if expect:
        assert expect in note and f"{share:.0%}" in note


def test_output_layer_probabilities_equal_engine():
    at = open_tab(new_app(out="1", text="abcab"), "Output layer")
    no_exception(at)
    ex = build(Config(out=True, text="abcab"))
    fig = figure_titled(at, "many-to-many")
    np.testing.assert_allclose(decode(fig["data"][0]["z"]).astype(float), ex.probs[0].T, atol=1e-6)
    np.testing.assert_allclose(decode(fig["data"][0]["z"]).astype(float).sum(0), 1, atol=1e-5)


def test_link_restores_the_view():
    at = new_app(text="안녕하세요", cell="gru", H="5", t="3", L="2", layer="1")
    no_exception(at)
    assert at.text_area(key="text").value == "안녕하세요"
    assert at.selectbox(key="cell").value == "gru"
    assert at.slider(key="t").value == 3
    lt = build(Config(text="안녕하세요", cell="gru", H=5, t=3, L=2, layer=1)).trace.layers[1][0]
    cols = step_columns(figure_titled(at, "the step at t = 3 (token '세'), layer 1"))
    np.testing.assert_allclose(cols["r<br>= σ(·)"], lt.gates["r"][3, 0], atol=1e-6)


def test_page_writes_the_settings_into_the_url():
    at = new_app()
    at.slider(key="H").set_value(16).run()
    at.selectbox(key="cell").set_value("lstm").run()
    assert at.query_params["H"] in ("16", ["16"]) and at.query_params["cell"] in ("lstm", ["lstm"])


def test_link_opens_the_tab_and_presentation_mode_it_names():
    at = new_app(text="abcab", cell="lstm", H="3", panel="maps", present="1")
    no_exception(at)
    assert at.session_state["present"] is True and at.toggle(key="present").value is True
    assert figure_titled(at, "cell states c_t")                         # the Heatmaps tab runs, not the step
    assert not [f for f in figures(at) if f["layout"]["title"]["text"].startswith("the step at t")]


def test_the_url_follows_the_open_tab_and_presentation_mode_and_the_train_view():
    at = new_app()
    assert "panel" not in at.query_params and "present" not in at.query_params    # defaults stay out of links
    open_tab(at, "Hidden-state path")
    assert at.query_params["panel"] in ("path", ["path"])
    at.toggle(key="present").set_value(True).run()
    assert at.query_params["present"] in ("1", ["1"]) and at.query_params["panel"] in ("path", ["path"])
    at.slider(key="H").set_value(12).run()
    at.radio(key="view").set_value("train").run()
    no_exception(at)
    assert at.query_params["view"] in ("train", ["train"]) and at.query_params["H"] in ("12", ["12"])


@pytest.mark.parametrize("query, message", [
    ({"panel": "<b>gates</b>"}, "Ignored panel “<b>gates</b>”: choose one of step, maps, output, path, code"),
    ({"present": "loud"}, "Ignored presentation mode “loud” from the link"),
    ({"H": "0"}, "Hidden size must be between 1 and 256; 0 was changed to 1"),
    ({"H": "100000"}, "Hidden size must be between 1 and 256; 100000 was changed to 256"),
    ({"L": "many"}, "Ignored layers “many” from the link: not a number"),
    ({"cell": "<script>alert(1)</script>"}, "Ignored cell “<script>alert(1)</script>”"),
    ({"t": "99"}, "The link asks for time step t 99, but the text has 5 tokens; showing time step t 4"),
    ({"layer": "3"}, "The link asks for layer 3, but the network has 1 layer; showing layer 0"),
    ({"scale": "nan"}, "Ignored weight scale nan"),
    ({"bi": "maybe"}, "Ignored bidirectional “maybe” from the link"),
])
def test_bad_link_values_give_a_note_and_a_working_page(query, message):
    at = new_app(**query)
    no_exception(at)
    assert figure_titled(at, "the step at t")
    assert message in texts(at)
    assert at.slider(key="t").value == (4 if "t" in query else 0)


@pytest.mark.parametrize("text, message", [
    ("", "The text is empty"),
    ("   \n  ", "The text is empty"),
    ("\u200b\u200b", "The text is empty"),
])
def test_empty_text_shows_a_message_and_keeps_the_last_view(text, message):
    at = new_app()
    at.text_area(key="text").set_value(text).run()
    no_exception(at)
    assert message in texts(at)
    assert figure_titled(at, "the step at t = 0 (token 'h')")      # the last good view stays
    assert at.text_area(key="text").value == text                   # and the user's text is not wiped


def test_ten_thousand_characters_are_capped_with_a_message():
    at = new_app()
    at.text_area(key="text").set_value("가나다라마" * 2000).run()
    no_exception(at)
    assert "only the first 2,000 are used" in texts(at)
    assert len(at.text_area(key="text").value) == 10_000
    fig = figure_titled(open_tab(at, "Heatmaps"), "hidden states h_t")
    assert decode(fig["data"][0]["z"]).shape == (8, 2000)


@pytest.mark.parametrize("text", ["a", "안녕 👩‍👩‍👧 é", "<script>alert('x')</script>", "**bold** $x$ [a](b)",
                                  "שלום עולם", "a\u202eb\u0000c"])
def test_odd_text_is_shown_literally(text):
    at = new_app()
    at.text_area(key="text").set_value(text).run()
    no_exception(at)
    assert not at.error
    assert figure_titled(at, "the step at t = 0")
    for md in at.markdown:
        assert "<script>" not in md.value   # user text never goes into markdown unescaped


def test_one_token_text_has_no_slider_but_works():
    at = new_app(text="x")
    no_exception(at)
    assert "the sequence has one step" in texts(at)


def test_too_large_a_network_is_refused_politely():
    at = new_app(text="가" * 2000, H="256", L="4", bi="1", cell="lstm")
    no_exception(at)
    assert "too much to draw at once" in texts(at)


def test_presentation_mode_enlarges_figures():
    at = open_tab(new_app(), "Heatmaps")
    normal = figure_titled(at, "hidden states")["layout"]["font"]["size"]
    at.toggle(key="present").set_value(True).run()
    layout = figure_titled(at, "hidden states")["layout"]
    assert layout["font"]["size"] > normal
    # dark type, tick labels included (Streamlit's theme greys them)
    assert layout["font"]["color"] == PRESENT_INK and layout["xaxis"]["tickfont"]["color"] == PRESENT_INK


def test_presentation_mode_keeps_every_control_and_the_text_as_it_folds_them_away():
    """On a projector the view switch goes to the sidebar and the text into a folded box; nothing is lost."""
    at = new_app(text="hello", H="5")
    assert [r.key for r in at.sidebar.radio if r.key == "view"] == [] and at.main.radio(key="view")
    at.toggle(key="present").set_value(True).run()
    no_exception(at)
    assert at.sidebar.radio(key="view").value == "explore"
    assert at.text_area(key="text").value == "hello" and at.expander[0].label.endswith("Text and lesson preset")
    at.text_area(key="text").set_value("apple").run()
    at.sidebar.radio(key="view").set_value("train").run()
    at.sidebar.radio(key="view").set_value("explore").run()
    at.toggle(key="present").set_value(False).run()
    assert at.text_area(key="text").value == "apple" and at.query_params["H"] in ("5", ["5"])
    assert at.main.radio(key="view").value == "explore"


def test_trace_downloads_are_offered():
    at = new_app()
    labels = [b.proto.label for b in at.get("download_button")]
    assert any("NPZ" in label for label in labels) and any("CSV" in label for label in labels)


@pytest.mark.parametrize("cell", ["rnn_tanh", "lstm"])
def test_every_tab_opens_and_follows_t(cell):
    from rnnviz.ui.explore_view import PANELS
    at = new_app(text="hello world", cell=cell, out="1", bi="1", L="2")
    at.slider(key="t").set_value(4).run()
    ex = build(Config(text="hello world", cell=cell, out=True, bi=True, L=2, t=4))
    for panel in PANELS:
        open_tab(at, panel)
        no_exception(at)
        assert at.get("plotly_chart") or panel == "Shapes & PyTorch code"
    path = figure_titled(open_tab(at, "Hidden-state path"), "hidden-state path")
    ring = path["data"][-1]
    from rnnviz.engine.readout import pca_2d
    coords, _ = pca_2d(ex.trace.layers[0][0].h[:, 0])
    np.testing.assert_allclose([decode(ring["x"])[0], decode(ring["y"])[0]], coords[4], atol=1e-5)


@pytest.mark.parametrize("t", [61, 130, 286])
def test_steps_past_the_first_animation_window_show(t):
    text = "the cat sat on the mat. " * 12                                    # T = 287: several windows of Play
    at = new_app(text=text, t=str(t))
    no_exception(at)
    lt = engine(text=text).trace.layers[0][0]
    cols = step_columns(figure_titled(at, f"the step at t = {t} "))
    np.testing.assert_allclose(cols["h_t<br>= tanh(a_t)"], lt.h[t, 0], atol=1e-6)
    at.button(key="t_prev" if t == lt.h.shape[0] - 1 else "t_next").click().run()
    no_exception(at)
    assert at.slider(key="t").value in (t - 1, t + 1)


def test_relu_overflow_is_explained_and_every_tab_still_draws():
    """ReLU with the lesson's U[0,1) weights grows without bound: float32 overflows, and the page says why."""
    text = "the cat sat on the mat. " * 10
    ex = engine(text=text, cell="rnn_relu", init="uniform", H=16)
    assert not np.isfinite(ex.trace.layers[0][0].h).all()                 # the premise: the run really overflows
    at = new_app(text=text, cell="rnn_relu", init="uniform", H="16", t="200")
    no_exception(at)
    assert "The hidden state overflows at t = " in texts(at) and "ReLU has no upper bound" in texts(at)
    for tab in ["Heatmaps", "Output layer", "Hidden-state path", "Shapes & PyTorch code"]:
        at = open_tab(at, tab)
        no_exception(at)
        if tab == "Hidden-state path":                                      # it says why it is empty
            assert "No path to draw: the hidden states overflow" in texts(at)
    assert not engine(text="hello").overflow()


LESSON_001 = "vectors"


def test_lesson_001_preset_steps_through_the_typed_vectors():
    at = new_app()
    at.selectbox(key="preset").set_value(LESSON_001).run()
    no_exception(at)
    assert at.number_input(key="_I_locked").value == 4 and "Numbers: input size = values per line = 4" in texts(at)
    at.slider(key="t").set_value(2).run()
    cols = step_columns(figure_titled(at, "the step at t = 2 (token '0.3, 0.4, 0.5, 0.6')"))
    np.testing.assert_allclose(cols["x_t"], [0.3, 0.4, 0.5, 0.6], atol=1e-7)
    lt = engine(**{k: v for k, v in EXPLORE_PRESETS[LESSON_001].items() if k != "tok"}, t=2).trace.layers[0][0]
    np.testing.assert_allclose(cols["h_t<br>= tanh(a_t)"], lt.h[2, 0], atol=1e-6)
    assert len(cols["h_t<br>= tanh(a_t)"]) == 6
    open_tab(at, "Output layer")                                 # lesson 001's head: y = σ(W_y·h_t), O = 1
    ex = engine(**{k: v for k, v in EXPLORE_PRESETS[LESSON_001].items() if k != "tok"})
    h_top = ex.trace.hidden_states(-1)[:, 0]                       # (T, H)
    y = 1 / (1 + np.exp(-(h_top.astype(np.float64) @ ex.W_out.T.astype(np.float64))))
    last = figure_titled(at, "many-to-one: y = σ(W_y·h_T)")
    np.testing.assert_allclose(decode(last["data"][0]["y"]).astype(float), y[-1], atol=1e-6)
    steps = figure_titled(at, "many-to-many: y_t = σ(W_y·h_t)")
    np.testing.assert_allclose(decode(steps["data"][0]["z"]).astype(float), y.T, atol=1e-6)
    assert "no bias, as in lesson 001" in texts(at)
    at.slider(key="O").set_value(3).run()
    assert len(decode(figure_titled(at, "many-to-one: y = σ(W_y·h_T)")["data"][0]["y"])) == 3
    open_tab(at, "Shapes & PyTorch code")
    assert "x = torch.tensor([[[0.1, 0.2, 0.3, 0.4], [0.2, 0.3, 0.4, 0.5]" in at.code[0].value
    assert at.code[0].proto.wrap_lines          # the long x line wraps on screen instead of running off the edge


def test_numbers_from_a_link_and_bad_numbers_keep_the_last_view():
    at = new_app(enc="numbers", text="1, 2\n3, 4\n5, 6", H="3", t="2")
    no_exception(at)
    cols = step_columns(figure_titled(at, "the step at t = 2 (token '5, 6')"))
    np.testing.assert_allclose(cols["x_t"], [5, 6])
    at.text_area(key="text").set_value("1, 2\n3\n5, 6").run()
    no_exception(at)
    assert "Every line needs the same number of values (the input size): the first has 2, line 2 has 1" in texts(at)
    assert figure_titled(at, "the step at t = 2 (token '5, 6')")           # the last good view stays
    at.text_area(key="text").set_value("hello").run()
    assert "Line 1: “hello” is not a number" in texts(at)


def test_typed_numbers_are_sized_by_their_lines_not_their_characters():
    """100 timesteps of 2 numbers are 800 characters: a large LSTM on them is allowed (its trace is under the cap)."""
    at = new_app(enc="numbers", text="0.1 0.2\n" * 100, H="256", L="4", bi="1", cell="lstm")
    no_exception(at)
    assert "too much to draw" not in texts(at)
    assert figure_titled(at, "the step at t = 0 (token '0.1, 0.2'), layer 0")


def test_a_preset_sets_what_its_example_needs_and_typed_numbers_keep_the_tokens_choice():
    at = new_app(tok="word")
    at.selectbox(key="preset").set_value(LESSON_001).run()
    assert at.toggle(key="out").value is True and at.radio(key="tok").disabled
    at.selectbox(key="preset").set_value("apple").run()
    assert at.toggle(key="out").value is False                  # the lesson 003 example has no output layer
    at = new_app(tok="word", text="We are here")
    at.selectbox(key="enc").set_value("numbers").run()
    at.selectbox(key="enc").set_value("onehot").run()
    assert at.radio(key="tok").value == "word"                  # a trip through numbers keeps "words"


@pytest.mark.parametrize("tab", ["The step", "Heatmaps", "Output layer", "Hidden-state path"])
def test_the_page_script_is_told_what_to_move_and_every_t_mark_carries_its_name(tab):
    """The figures follow t in the browser (ui/follow.py): the script is mounted with the step chart's key and the
    marks' name, a chart with that key is on the page, and each figure of the open tab marks t under that name."""
    import json

    from rnnviz.plots.marks import MARK_NAME
    at = open_tab(new_app(text="hello", out="1"), tab)
    at.slider(key="t").set_value(3).run()
    follow, = [e for e in at.main if getattr(e, "type", "") == "bidi_component" and e.proto.component_name == "rnnviz_follow_t"]
    told = json.loads(follow.proto.json)
    assert told == {"chart": "step_chart", "mark": MARK_NAME, "t": 3, "done": 0}     # no request from the page yet
    charts = [e for e in at.get("plotly_chart")]
    marked = []
    for e in charts:
        spec = json.loads(e.proto.spec)
        marks = [s for s in spec["layout"].get("shapes", []) if s.get("name") == MARK_NAME]
        rings = [d for d in spec["data"] if d.get("name") == MARK_NAME]
        if marks or rings:
            marked.append(e)
        assert all(s["x0"] == 2.5 and s["x1"] == 3.5 for s in marks if s.get("xref", "x") == "x"), spec["layout"]["title"]
    assert marked, tab
    if tab == "The step":
        assert any("step_chart" in e.proto.id for e in charts)


def test_the_preset_box_lets_go_of_the_preset_once_the_text_is_edited():
    at = new_app()
    at.selectbox(key="preset").set_value("avengers").run()
    assert at.selectbox(key="preset").value == "avengers"
    at.text_area(key="text").set_value("We are going home").run()
    no_exception(at)
    assert at.selectbox(key="preset").value == "none" and at.text_area(key="text").value == "We are going home"


def test_the_code_tab_lists_the_vocabulary_and_the_embedding_rows():
    at = open_tab(new_app(text="abcab", enc="embedding", I="3"), "Shapes & PyTorch code")
    no_exception(at)
    vocab = next(d.value for d in at.dataframe if "token" in d.value.columns)
    assert list(vocab["token"]) == ["a", "b", "c"] and list(vocab["id"]) == [0, 1, 2]
    ex = build(Config(text="abcab", enc="embedding", I=3))
    first = "  ".join(f"{v:+.3f}" for v in ex.X[0, 0])
    assert vocab["embedding row"].iloc[0] == first


def test_the_output_after_t_follows_t():
    at = open_tab(new_app(out="1", text="abcab"), "Output layer")
    ex = engine(text="abcab", out=True)
    for t in (1, 3):
        at.slider(key="t").set_value(t).run()
        no_exception(at)
        fig = figure_titled(at, f"the output after step t = {t}")
        bars = dict(zip(fig["data"][0]["x"], decode(fig["data"][0]["y"]).astype(float)))
        for token, p in bars.items():
            np.testing.assert_allclose(p, ex.probs[0, t, list(ex.vocab.tokens).index(token)], atol=1e-6)


def test_a_random_input_has_no_vocabulary_table():
    """Issue 21: a random NumPy input has no tokens; the code tab said "Vocabulary: 10 tokens" beside it."""
    from rnnviz.words import say
    at = new_app(enc="random", panel="code")
    no_exception(at)
    labels = [e.label for e in at.expander]
    assert not [lb for lb in labels if lb.startswith(say("vocab.title", V=0).split("0")[0].strip())], labels
    typed = new_app(text="hello", panel="code")                   # a typed text still has its table
    assert [e.label for e in typed.expander if e.label.startswith("Vocabulary")], [e.label for e in typed.expander]
