"""Every engine result against PyTorch: forward values and shapes, and autograd gradients."""
import itertools

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch_oracle import assert_close, make_module, run

from rnnviz import from_torch
from rnnviz.engine import CELLS

TOL = {np.float32: 1e-5, np.float64: 1e-10}
GRID = list(itertools.product(
    CELLS,                                    # cell
    [1, 2, 3],                                # layers
    [False, True],                            # bidirectional
    [False, True],                            # batch_first
    [True, False],                            # bias
    [1, 3],                                   # batch size
    [1, 2, 17, 50],                           # length
))


def check_parity(cell, L, bi, bf, bias, B, T, dtype, I=3, H=5, seed=0, with_state=False, batched=True):
    module = make_module(cell, I, H, L, bi, bf, bias, torch.float32 if dtype == np.float32 else torch.float64, seed)
    net = from_torch(module)
    rng = np.random.default_rng(seed)
    shape = ((B, T, I) if bf else (T, B, I)) if batched else (T, I)
    x = rng.standard_normal(shape).astype(dtype)
    D = 2 if bi else 1
    state_shape = (L * D, B, H) if batched else (L * D, H)
    h0 = rng.standard_normal(state_shape).astype(dtype) if with_state else None
    c0 = rng.standard_normal(state_shape).astype(dtype) if with_state and cell == "lstm" else None
    out_shape = ((B, T, D * H) if bf else (T, B, D * H)) if batched else (T, D * H)
    d_output = rng.standard_normal(out_shape).astype(dtype)
    dh_n = rng.standard_normal(state_shape).astype(dtype)
    dc_n = rng.standard_normal(state_shape).astype(dtype) if cell == "lstm" else None

    ref = run(module, x, d_output, dh_n, dc_n, h0, c0)
    trace = net.forward(x, h0, c0)
    tol = TOL[dtype]
    assert trace.output.dtype == dtype
    assert_close(trace.output, ref["output"], tol, "output")
    assert_close(trace.h_n, ref["h_n"], tol, "h_n")
    if cell == "lstm":
        assert_close(trace.c_n, ref["c_n"], tol, "c_n")
    else:
        assert trace.c_n is None

    grads = net.backward(trace, d_output, dh_n, dc_n)
    assert list(grads.params) == [n for n, _ in module.named_parameters()]
    for name, g in ref["params"].items():
        assert_close(grads.params[name], g, tol * 10, f"d {name}")
    assert_close(grads.x, ref["dx"], tol * 10, "dx")
    if with_state:
        assert_close(grads.h0, ref["dh0"], tol * 10, "dh0")
        if cell == "lstm":
            assert_close(grads.c0, ref["dc0"], tol * 10, "dc0")
    return net, trace, grads


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["f32", "f64"])
@pytest.mark.parametrize("cell,L,bi,bf,bias,B,T", GRID,
                         ids=["-".join(map(str, g)) for g in GRID])
def test_parity_grid(cell, L, bi, bf, bias, B, T, dtype):
    check_parity(cell, L, bi, bf, bias, B, T, dtype)


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("batched", [True, False], ids=["batched", "unbatched"])
def test_parity_with_initial_state(cell, batched):
    check_parity(cell, 2, True, True, True, 3, 9, np.float64, with_state=True, batched=batched)


@settings(max_examples=40, deadline=None)
@given(cell=st.sampled_from(CELLS), I=st.integers(1, 9), H=st.integers(1, 12),
       L=st.integers(1, 3), bi=st.booleans(), bf=st.booleans(), B=st.integers(1, 4), T=st.integers(1, 12),
       seed=st.integers(0, 10_000))
def test_parity_random_sizes(cell, I, H, L, bi, bf, B, T, seed):
    check_parity(cell, L, bi, bf, True, B, T, np.float64, I=I, H=H, seed=seed, with_state=True)


def test_dh_is_the_whole_gradient_reaching_each_step():
    """grads.dh[l][d][t] equals torch's dL/dh_t (retain_grad on every step of a hand-unrolled cell)."""
    torch.manual_seed(1)
    cell = torch.nn.RNNCell(3, 4).double()
    module = torch.nn.RNN(3, 4).double()
    module.load_state_dict({k + "_l0": v for k, v in cell.state_dict().items()})
    x = torch.randn(6, 1, 3, dtype=torch.float64)
    h = torch.zeros(1, 4, dtype=torch.float64)
    hs = []
    for t in range(6):
        h = cell(x[t], h)
        h.retain_grad()
        hs.append(h)
    d_out = torch.randn(6, 1, 4, dtype=torch.float64)
    (torch.stack(hs) * d_out).sum().backward()
    net = from_torch(module)
    grads = net.backward(net.forward(x.numpy()), d_out.numpy())
    for t in range(6):
        assert_close(grads.dh[0][0][t], hs[t].grad.numpy(), 1e-12, f"dh[{t}]")


def test_lstm_dc_matches_torch_cell_state_gradient():
    torch.manual_seed(2)
    cell = torch.nn.LSTMCell(2, 3).double()
    module = torch.nn.LSTM(2, 3).double()
    module.load_state_dict({k + "_l0": v for k, v in cell.state_dict().items()})
    x = torch.randn(5, 1, 2, dtype=torch.float64)
    h = c = torch.zeros(1, 3, dtype=torch.float64)
    cs, hs = [], []
    for t in range(5):
        h, c = cell(x[t], (h, c))
        c.retain_grad()
        cs.append(c)
        hs.append(h)
    d_out = torch.randn(5, 1, 3, dtype=torch.float64)
    (torch.stack(hs) * d_out).sum().backward()
    net = from_torch(module)
    grads = net.backward(net.forward(x.numpy()), d_out.numpy())
    for t in range(5):
        assert_close(grads.dc[0][0][t], cs[t].grad.numpy(), 1e-12, f"dc[{t}]")
