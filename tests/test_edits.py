"""Weights edited by hand (issue 15, item 5): read from a link, applied, every figure follows, hostile values noted."""
import numpy as np
import pytest
from apptest_helpers import figure_titled, new_app, no_exception, step_columns, texts

from rnnviz import edits
from rnnviz.pipeline import build
from rnnviz.state import Config


def test_an_edit_sets_exactly_that_weight_and_b_means_b_ih_plus_b_hh():
    plain = build(Config(text="hello", H=3))
    edited = build(Config(text="hello", H=3, edits="Wh0.1=0.5,b2=-1,Wx1.0=2"))
    Wx, Wh, b_ih, b_hh = edited.network.weights(0, False)
    Wx0, Wh0, _, _ = plain.network.weights(0, False)
    assert Wh[0, 1] == 0.5 and Wx[1, 0] == 2 and np.isclose(b_ih[2] + b_hh[2], -1)
    changed = (Wh != Wh0).sum() + (Wx != Wx0).sum()
    assert changed == 2                                         # nothing else moved
    assert not np.allclose(edited.trace.output, plain.trace.output)


def test_wh_zero_makes_each_step_forget_the_last():
    """Lesson page question: set Wh to zero and step through — h_t no longer depends on h_{t−1}."""
    ex = build(Config(text="abab", H=4, edits="Wh=0"))
    h = ex.trace.layers[0][0].h[:, 0]
    np.testing.assert_allclose(h[0], h[2], atol=1e-6)          # same token, same h: nothing carried over
    assert not np.allclose(build(Config(text="abab", H=4)).trace.layers[0][0].h[0, 0],
                           build(Config(text="abab", H=4)).trace.layers[0][0].h[2, 0])


@pytest.mark.parametrize("hostile, note", [("Wq1.1=3", "cannot be read"), ("Wh0.0=1e9", "outside"),
                                            ("Wh99.0=1", "the matrix is"), ("Wh0.0=1@3", "layer"),
                                            ("Wh0.0=nan", "cannot be read"), (",".join(["Wh0.0=1"] * 65), "too many")])
def test_hostile_edits_get_a_note_and_a_working_page(hostile, note):
    at = new_app(text="hello", H="3", edits=hostile)
    no_exception(at)
    assert figure_titled(at, "the step at t")
    assert note in texts(at), texts(at)


def test_the_panel_edits_a_weight_and_every_figure_follows():
    at = new_app(text="hello", H="3", t="2")
    before = step_columns(figure_titled(at, "the step at t = 2"))
    at.selectbox(key="edit_matrix").set_value("Wh").run()
    at.toggle(key="edit_whole").set_value(True).run()
    at.number_input(key="edit_value").set_value(0.0).run()
    at.button(key="edit_apply").click().run()
    no_exception(at)
    assert at.session_state["edits"] == "Wh=0"
    after = step_columns(figure_titled(at, "the step at t = 2"))
    h_t, Wh_h = "h_t<br>= tanh(a_t)", "+ Wh·<br>h_{t−1}"              # the step figure's column names
    assert not np.allclose(before[h_t], after[h_t]) and np.allclose(after[Wh_h], 0)
    at.selectbox(key="lang").set_value("ko").run()               # a language switch keeps the edit
    assert at.session_state["edits"] == "Wh=0"
    at.button(key="edit_reset_all").click().run()
    assert at.session_state["edits"] == ""


def test_edits_round_trip_as_text():
    parsed = edits.parse("Wh0.1=0.5,b2=-1,Wx3.0=1@1r,Wh=0")
    assert edits.parse(edits.text(parsed)) == parsed
