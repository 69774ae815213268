"""The cell as a diagram (rnnviz.plots.cell_diagram): every strip, mean and hover number is the engine's trace."""
import numpy as np
import plotly.graph_objects as go
import pytest

from rnnviz.engine import CELL_TABLE, CELLS, GATES
from rnnviz.pipeline import build
from rnnviz.plots.cell_diagram import cell_spec
from rnnviz.plots.marks import values
from rnnviz.state import Config
from rnnviz.words import language, say


def strips(spec):
    """Each strip's name -> (its values, its hover's numbers (N, k), its template)."""
    return {d["name"]: (values(d["z"]).reshape(-1), np.array(d["customdata"])[0], d["hovertemplate"])
            for d in spec["data"]}


def sigma(a):
    return 1 / (1 + np.exp(-a))


# every cell's gates as the registry names them (the RNN's one block: a), its states, and the LSTM's c
EXPECTED = {cell: {*GATES[cell], "h_t", "h_{t−1}", "x_t", *(("c_{t−1}", "c_t") if CELL_TABLE[cell].has_c else ())}
            for cell in CELLS}


@pytest.mark.parametrize("cell", CELLS)
def test_every_strip_is_the_trace_at_t_and_moves_with_t(cell):
    ex = build(Config(text="hello world", cell=cell, H=6))
    lt = ex.trace.layers[0][0]
    seen = []
    for t in (2, 5):
        spec = cell_spec(ex, 0, 0, 0, t, False)
        go.Figure(spec)                                           # valid plotly
        got = strips(spec)
        assert set(got) == EXPECTED[cell]
        want = {"h_t": lt.h[t, 0], "h_{t−1}": lt.h_prev[t, 0], "x_t": lt.x[t, 0],
                **{k: v[t, 0] for k, v in lt.gates.items()}, "a": lt.h[t, 0]}
        if cell == "lstm":
            want.update({"c_t": lt.c[t, 0], "c_{t−1}": lt.c_prev[t, 0]})
        for name, (v, _, _) in got.items():
            np.testing.assert_allclose(v, want[name], rtol=1e-6, err_msg=f"{cell} {name} at t={t}")
        means = [a["text"] for a in spec["layout"]["annotations"] if a.get("text", "").startswith("mean")]
        assert say("cell.mean", mean=f"{float(np.mean(lt.h[t, 0])):.3f}") in means
        assert f"t = {t} " in spec["layout"]["title"]["text"]
        seen.append(got["h_t"][0])
    assert not np.allclose(seen[0], seen[1]), "the numbers change when t moves"


@pytest.mark.parametrize("cell", [c for c in CELLS if c != "rnn_relu"])
def test_a_gates_hover_is_its_equation_with_the_engines_numbers(cell):
    ex = build(Config(text="abcdef", cell=cell, H=4))
    lt = ex.trace.layers[0][0]
    t = 3
    got = strips(cell_spec(ex, 0, 0, 0, t, False))
    for k in lt.gates or {"a": None}:
        v, terms, template = got[k]
        assert list(terms[:, -1]) == list(range(4)), "the last number is the unit"
        a = terms[:, -2]
        np.testing.assert_allclose(a, lt.pre(k)[t, 0], atol=1e-6)
        if cell == "gru" and k == "n":                           # n = tanh(W_in x + b_in + r·(W_hn h + b_hn))
            np.testing.assert_allclose(terms[:, 0] + terms[:, 1] + terms[:, 2] * (terms[:, 3] + terms[:, 4]), a,
                                       atol=1e-5)
            assert "r·(W_hn·h + b_hn)" in template
        else:
            np.testing.assert_allclose(terms[:, :4].sum(axis=1), a, atol=1e-5)
        squash = np.tanh if k in ("g", "n", "a") else sigma
        np.testing.assert_allclose(squash(a), v, atol=1e-5)
        assert "%{customdata[0]:.3f}" in template and "%{z:.4f}" in template
    if cell == "lstm":
        i, f, g = (lt.gates[k][t, 0] for k in "ifg")
        v, terms, template = got["c_t"]
        np.testing.assert_allclose(terms[:, 0] * terms[:, 1] + terms[:, 2] * terms[:, 3], v, atol=1e-5)
        np.testing.assert_allclose(terms[:, :4], np.stack([f, lt.c_prev[t, 0], i, g], 1), atol=1e-6)
        assert template.startswith("c_t = f·c_{t−1} + i·g")


def test_both_languages_and_the_projector():
    ex = build(Config(text="hello", cell="lstm", H=4))
    with language("ko"):
        ko = cell_spec(ex, 0, 0, 0, 1, True)
    with language("en"):
        en = cell_spec(ex, 0, 0, 0, 1, False)
    words = " ".join(a["text"] for a in ko["layout"]["annotations"])
    assert "망각 게이트" in words and "평균" in words and "셀" in ko["layout"]["title"]["text"]
    assert "forget gate" in " ".join(a["text"] for a in en["layout"]["annotations"])
    assert ko["layout"]["font"]["size"] > en["layout"]["font"]["size"]
    assert ko["layout"]["height"] > en["layout"]["height"]


def test_user_text_is_shown_never_read_as_markup():
    ex = build(Config(text="<b>x</b>", cell="gru", H=3, tok="word"))
    title = cell_spec(ex, 0, 0, 0, 0, False)["layout"]["title"]["text"]
    assert "&lt;b&gt;x&lt;/b&gt;" in title and "<b>" not in title


def test_reverse_direction_starts_from_the_next_step():
    ex = build(Config(text="hello", cell="lstm", H=3, bi=True))
    got = strips(cell_spec(ex, 0, 1, 0, 1, False))
    lt = ex.trace.layers[0][1]
    np.testing.assert_allclose(got["h_{t+1}"][0], lt.h[2, 0], rtol=1e-6)
    np.testing.assert_allclose(got["c_{t+1}"][0], lt.c[2, 0], rtol=1e-6)


def test_moving_a_diagram_to_t_equals_drawing_it_at_t():
    from rnnviz.plots.cell_diagram import cell_at
    ex = build(Config(text="hello", cell="gru", H=3, bi=True))
    base = cell_spec(ex, 0, 1, 0, 0, True)
    for t in range(5):
        assert cell_at(base, ex, t) == cell_spec(ex, 0, 1, 0, t, True)
