"""The engine's in-place loops give the numbers of the textbook equations, written here the plain way."""
import numpy as np
import pytest

from rnnviz import Network
from rnnviz.engine import CELL_TABLE, CELLS


def sigma(a):
    return 1 / (1 + np.exp(-a))


def textbook_step(cell, Wx, Wh, b_ih, b_hh, x_t, h, c):
    """One step as the lessons write it: returns h_t, c_t (or None), a_t and the gates in the registry's order."""
    H = h.shape[-1]
    gi, gh = x_t @ Wx.T + b_ih, h @ Wh.T + b_hh
    if CELL_TABLE[cell].torch_class == "RNN":
        a = gi + gh
        return (np.tanh(a) if CELL_TABLE[cell].nonlinearity == "tanh" else np.maximum(a, 0)), None, a, []
    if cell == "lstm":
        a = gi + gh
        i, f, g, o = sigma(a[:, :H]), sigma(a[:, H:2 * H]), np.tanh(a[:, 2 * H:3 * H]), sigma(a[:, 3 * H:])
        c = f * c + i * g
        return o * np.tanh(c), c, a, [i, f, g, o]
    a_r, a_z = gi[:, :H] + gh[:, :H], gi[:, H:2 * H] + gh[:, H:2 * H]
    r, z = sigma(a_r), sigma(a_z)
    a_n = gi[:, 2 * H:] + r * gh[:, 2 * H:]
    n = np.tanh(a_n)
    return (1 - z) * n + z * h, None, np.concatenate([a_r, a_z, a_n], axis=-1), [r, z, n]


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("reverse", [False, True], ids=["forward", "reverse"])
@pytest.mark.parametrize("T, B, H", [(1, 1, 1), (6, 3, 5), (9, 2, 64)])
def test_loop_equals_the_textbook_step(cell, reverse, T, B, H):
    net = Network.init(cell, 4, H, bidirectional=reverse, seed=T + H, scale=3.0, dtype=np.float64)
    rng = np.random.default_rng(B)
    x, h0 = rng.normal(0, 2, (T, B, 4)), rng.normal(0, 1, (1 + reverse, B, H))
    c0 = rng.normal(0, 1, h0.shape) if cell == "lstm" else None
    lt = net.forward(x, h0, c0).layers[0][int(reverse)]
    Wx, Wh, b_ih, b_hh = net.weights(0, reverse)
    h, c = h0[int(reverse)], None if c0 is None else c0[int(reverse)]
    for t in (reversed(range(T)) if reverse else range(T)):
        np.testing.assert_array_equal(lt.h_prev[t], h)
        np.testing.assert_allclose(lt.Wh_h[t], h @ Wh.T, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(lt.Wx_x[t], x[t] @ Wx.T, rtol=1e-12, atol=1e-12)
        h, c_next, a, gates = textbook_step(cell, Wx, Wh, b_ih, b_hh, x[t], h, c)
        np.testing.assert_allclose(lt.a[t], a, rtol=1e-12, atol=1e-12)
        for name, value in zip(CELL_TABLE[cell].gates, gates, strict=True):
            np.testing.assert_allclose(lt.gates[name][t], value, rtol=1e-12, atol=1e-12, err_msg=name)
        np.testing.assert_allclose(lt.h[t], h, rtol=1e-12, atol=1e-12)
        if c_next is not None:
            np.testing.assert_array_equal(lt.c_prev[t], c)
            np.testing.assert_allclose(lt.c[t], c_next, rtol=1e-12, atol=1e-12)
        h, c = lt.h[t], None if c_next is None else lt.c[t]      # go on from the engine's state: errors can't grow
