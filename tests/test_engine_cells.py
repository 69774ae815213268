"""The engine's in-place LSTM step gives exactly the numbers of the textbook step it stands for."""
import numpy as np
import pytest

from rnnviz.engine import cells


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("B, H", [(1, 1), (3, 5), (2, 64)])
def test_lstm_step_into_equals_the_textbook_step(dtype, B, H):
    rng = np.random.default_rng(B * 100 + H)
    gi, gh = (rng.normal(0, 3, (B, 4 * H)).astype(dtype) for _ in range(2))
    h_prev, c_prev = (rng.normal(0, 1, (B, H)).astype(dtype) for _ in range(2))
    h, c, a, gates = cells.lstm_step(gi, gh, h_prev, c_prev)
    act, c2, h2 = np.empty((B, 4 * H), dtype), np.empty((B, H), dtype), np.empty((B, H), dtype)
    cells.lstm_step_into(gi + gh, act, c_prev, c2, h2)
    np.testing.assert_array_equal(c2, c)
    np.testing.assert_array_equal(h2, h)
    for k, name in enumerate("ifgo"):
        np.testing.assert_array_equal(act[:, k * H:(k + 1) * H], gates[name])
