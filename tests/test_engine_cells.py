"""The engine's in-place LSTM loop gives exactly the numbers of the textbook step it stands for."""
import numpy as np
import pytest

from rnnviz.engine import cells


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("T, B, H", [(1, 1, 1), (4, 3, 5), (7, 2, 64)])
@pytest.mark.parametrize("reverse", [False, True])
def test_lstm_loop_equals_the_textbook_step(dtype, T, B, H, reverse):
    rng = np.random.default_rng(T * 1000 + B * 100 + H)
    gi = rng.normal(0, 3, (T, B, 4 * H)).astype(dtype)
    WhT = rng.normal(0, 1, (H, 4 * H)).astype(dtype)
    b_hh = rng.normal(0, 1, 4 * H).astype(dtype)
    h0, c0 = (rng.normal(0, 1, (B, H)).astype(dtype) for _ in range(2))
    order = list(reversed(range(T))) if reverse else list(range(T))
    Wh_h, a, act = (np.empty((T, B, 4 * H), dtype) for _ in range(3))
    cs, hs = np.empty((T, B, H), dtype), np.empty((T, B, H), dtype)
    h0_before, c0_before = h0.copy(), c0.copy()
    cells.lstm_loop(gi, WhT, b_hh, h0, c0, order, Wh_h, a, act, cs, hs)
    np.testing.assert_array_equal(h0, h0_before)          # the initial state is read, never written
    np.testing.assert_array_equal(c0, c0_before)
    h, c = h0, c0
    for t in order:
        np.testing.assert_array_equal(Wh_h[t], h @ WhT)
        h, c, a_t, gates = cells.lstm_step(gi[t], h @ WhT + b_hh, h, c)
        np.testing.assert_array_equal(a[t], a_t)
        np.testing.assert_array_equal(cs[t], c)
        np.testing.assert_array_equal(hs[t], h)
        for k, name in enumerate("ifgo"):
            np.testing.assert_array_equal(act[t][:, k * H:(k + 1) * H], gates[name])
