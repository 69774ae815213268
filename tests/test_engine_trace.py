"""The trace keeps every intermediate, and they add up the way the equations say."""
import numpy as np
import pytest

from rnnviz import Network
from rnnviz.engine import CELL_TABLE, CELLS
from rnnviz.engine.cells import sigmoid


@pytest.mark.parametrize("cell", CELLS)
def test_trace_shapes(cell):
    net = Network.init(cell, 3, 5, num_layers=2, bidirectional=True, batch_first=True, seed=0)
    trace = net.forward(np.ones((2, 7, 3), np.float32))
    G = CELL_TABLE[cell].G
    assert len(trace.layers) == 2 and all(len(d) == 2 for d in trace.layers)
    top = trace.layers[1][1]
    assert top.x.shape == (7, 2, 10)  # layer 1 reads both directions of layer 0
    assert top.h_prev.shape == top.h.shape == (7, 2, 5)
    assert top.Wx_x.shape == top.Wh_h.shape == top.a.shape == (7, 2, G * 5)
    for g in top.gates.values():
        assert g.shape == (7, 2, 5)
    if cell == "lstm":
        assert top.c.shape == top.c_prev.shape == (7, 2, 5)


def test_rnn_step_adds_up():
    net = Network.init("rnn_tanh", 3, 4, seed=1, dtype=np.float64)
    lt = net.forward(np.random.default_rng(0).standard_normal((5, 1, 3))).layers[0][0]
    Wx, Wh, b_ih, b_hh = net.weights(0, False)
    for t in range(5):
        np.testing.assert_allclose(lt.Wx_x[t], lt.x[t] @ Wx.T)
        np.testing.assert_allclose(lt.Wh_h[t], lt.h_prev[t] @ Wh.T)
        np.testing.assert_allclose(lt.a[t], lt.Wx_x[t] + lt.Wh_h[t] + b_ih + b_hh)
        np.testing.assert_allclose(lt.h[t], np.tanh(lt.a[t]))
        if t:
            np.testing.assert_array_equal(lt.h_prev[t], lt.h[t - 1])


def test_reverse_direction_reads_the_next_step():
    net = Network.init("gru", 2, 3, bidirectional=True, seed=2, dtype=np.float64)
    back = net.forward(np.random.default_rng(0).standard_normal((4, 1, 2))).layers[0][1]
    assert back.reverse
    np.testing.assert_array_equal(back.h_prev[3], np.zeros((1, 3)))
    for t in range(3):
        np.testing.assert_array_equal(back.h_prev[t], back.h[t + 1])


def test_lstm_gates_and_cell_state_follow_the_equations():
    net = Network.init("lstm", 2, 3, seed=4, dtype=np.float64)
    lt = net.forward(np.random.default_rng(0).standard_normal((4, 1, 2))).layers[0][0]
    np.testing.assert_allclose(lt.gates["i"], sigmoid(lt.pre("i")))
    np.testing.assert_allclose(lt.gates["g"], np.tanh(lt.pre("g")))
    np.testing.assert_allclose(lt.c, lt.gates["f"] * lt.c_prev + lt.gates["i"] * lt.gates["g"])
    np.testing.assert_allclose(lt.h, lt.gates["o"] * np.tanh(lt.c))


def test_gru_n_uses_r_times_hidden_part():
    net = Network.init("gru", 2, 3, seed=5, dtype=np.float64)
    lt = net.forward(np.random.default_rng(0).standard_normal((4, 1, 2))).layers[0][0]
    _, _, b_ih, b_hh = net.weights(0, False)
    gi_n = (lt.Wx_x + b_ih)[..., 6:]
    gh_n = (lt.Wh_h + b_hh)[..., 6:]
    np.testing.assert_allclose(lt.gates["n"], np.tanh(gi_n + lt.gates["r"] * gh_n))
    np.testing.assert_allclose(lt.h, (1 - lt.gates["z"]) * lt.gates["n"] + lt.gates["z"] * lt.h_prev)


@pytest.mark.parametrize("bad, message", [
    (dict(hidden_size=0), "hidden size must be a whole number between 1 and"),
    (dict(input_size=-2), "input size must be"),
    (dict(num_layers=0), "number of layers must be"),
    (dict(cell="transformer"), "cell must be one of"),
    (dict(scale=float("nan")), "weight scale must be a finite number"),
])
def test_bad_settings_raise_clear_errors(bad, message):
    args = dict(cell="rnn_tanh", input_size=3, hidden_size=4) | bad
    with pytest.raises(ValueError, match=message):
        Network.init(**args)


def test_bad_inputs_raise_clear_errors():
    net = Network.init("rnn_tanh", 3, 4)
    with pytest.raises(ValueError, match="has 5 features per step but the network expects 3"):
        net.forward(np.zeros((2, 1, 5)))
    with pytest.raises(ValueError, match="at least one timestep"):
        net.forward(np.zeros((0, 1, 3)))
    with pytest.raises(ValueError, match="h0 should have shape"):
        net.forward(np.zeros((2, 1, 3)), h0=np.zeros((2, 1, 4)))


def test_weights_that_do_not_fit_are_named():
    good = Network.init("lstm", 3, 4).params
    with pytest.raises(ValueError, match="missing bias_hh_l0"):
        Network("lstm", 3, 4, 1, False, False, True, {k: v for k, v in good.items() if k != "bias_hh_l0"})
    with pytest.raises(ValueError, match=r"weight_hh_l0 should have shape \(16, 4\)"):
        Network("lstm", 3, 4, 1, False, False, True, good | {"weight_hh_l0": np.zeros((16, 5))})


def test_engine_imports_no_torch_streamlit_or_plotly():
    import subprocess
    import sys
    code = ("import sys, rnnviz.engine, rnnviz.text, rnnviz.state; "
            "bad = {'torch', 'streamlit', 'plotly'} & set(sys.modules); assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True)
