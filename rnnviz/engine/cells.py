"""Each recurrent cell as one loop over time, one line per equation, in PyTorch's gate order.

Forward: `*_forward` walks the steps (back from t = T − 1 for a reverse direction) and writes every
intermediate straight into arrays allocated once, so a step allocates nothing. `gi` = Wx·x_t + b_ih for every
t comes in ready, computed before the loop in one matmul. A step's operands are whole contiguous (B, ·) slices
and its constants 0-d arrays: NumPy's fast path (measured here, a broadcast or strided operand makes a small
call 2-6x dearer, which a row of a step's gates laid out to save one call does not pay back).

Backward: `*_backward` walks back the other way. The local derivatives of each step (σ' = σ(1 − σ),
tanh' = 1 − tanh², ...) depend only on the forward trace, so they are computed for all t at once before the
loop; the loop is the chain rule: dL/dh_t, then dL/da_t (which is dL/dgi), then what flows back to step t − 1
through Wh (and, for the LSTM, through f into c_{t−1}).

FORWARD and BACKWARD name each loop by the cell registry's torch class: the network asks the registry, never a
cell's name.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache

import numpy as np

from .registry import Cell, cell_spec
from .trace import LayerTrace

MakeTrace = Callable[..., LayerTrace]      # LayerTrace with the layer's x, Wx_x and biases already given
Back = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None, np.ndarray, np.ndarray | None]


@cache
def constant(value: float, dtype: np.dtype) -> np.ndarray:
    """A 0-d array of the arrays' dtype: no float64 upcast, no scalar conversion on every call of a step."""
    return np.array(value, dtype)


def sigmoid(a: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """σ(a) = 1 / (1 + e^-a), computed as (1 + tanh(a/2)) / 2 to stay finite for large |a|."""
    half = constant(0.5, a.dtype)
    out = np.multiply(a, half, out=out)
    np.tanh(out, out=out)
    np.multiply(out, half, out=out)
    return np.add(out, half, out=out)


def relu(a: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """relu(a) = max(a, 0)."""
    return np.maximum(a, constant(0, a.dtype), out=out)


# The loops call NumPy with the output as the last argument: each result lands in its slot and a step allocates
# nothing (positional outputs are also NumPy's cheapest calls, which matters at one call per equation per step).
add, mul, sub, tanh, dot = np.add, np.multiply, np.subtract, np.tanh, np.dot


def each_step(backwards: bool, *arrays: np.ndarray) -> Iterator[tuple[np.ndarray, ...]]:
    """Every step's slices of the (T, ...) arrays, t = 0 … T − 1 or back from T − 1: views, written in place."""
    return zip(*(v[::-1] if backwards else v for v in arrays))


def shifted(steps: np.ndarray, first: np.ndarray, reverse: bool) -> np.ndarray:
    """prev[t] = the state before step t: steps[t − 1] (steps[t + 1] when reverse), and `first` at the start."""
    prev = np.empty_like(steps)
    if reverse:
        prev[-1], prev[:-1] = first, steps[1:]
    else:
        prev[0], prev[1:] = first, steps[:-1]
    return prev


# --- forward -------------------------------------------------------------------------------------------------

def rnn_forward(make: MakeTrace, spec: Cell, reverse: bool, gi: np.ndarray, Wh: np.ndarray, b_hh: np.ndarray,
                h: np.ndarray, c: np.ndarray | None) -> LayerTrace:
    """h_t = tanh(Wx·x_t + Wh·h_prev + b) (or relu) for every t; gi (T, B, H) = Wx·x_t + b_ih."""
    activation = np.tanh if spec.nonlinearity == "tanh" else relu
    gi, WhT, h0 = gi + b_hh, Wh.T, h                            # both biases before the loop
    Wh_h, a, hs = np.empty_like(gi), np.empty_like(gi), np.empty_like(gi)
    for gi_t, Wh_h_t, a_t, h_t in each_step(reverse, gi, Wh_h, a, hs):
        dot(h, WhT, Wh_h_t)                                     # Wh·h_prev
        add(gi_t, Wh_h_t, a_t)                                  # a_t = (Wx·x_t + b) + Wh·h_prev
        h = activation(a_t, h_t)                                # h_t = tanh(a_t)
    return make(h_prev=shifted(hs, h0, reverse), Wh_h=Wh_h, a=a, h=hs)


def lstm_forward(make: MakeTrace, spec: Cell, reverse: bool, gi: np.ndarray, Wh: np.ndarray, b_hh: np.ndarray,
                 h: np.ndarray, c: np.ndarray | None) -> LayerTrace:
    """i, f, g, o = σ, σ, tanh, σ of a_t;  c_t = f·c_prev + i·g;  h_t = o·tanh(c_t), for every t.

    Inside the loop the gates sit as i f o g, and i, f, o's rows of Wh and gi are halved, so that one tanh over the
    four blocks gives tanh(a/2) for the three σ gates (σ(a) = ½ + ½·tanh(a/2)) and g = tanh(a_g) at once. Halving is
    exact in floating point: the trace's a and Wh·h_prev, put back in PyTorch's order after the loop, are the
    numbers an unscaled loop computes."""
    assert c is not None, "the LSTM starts from c0"
    T, B, GH = gi.shape
    H, h0, c0, dtype = GH // 4, h, c, gi.dtype
    gi_s, WhT_s, half = np.empty_like(gi), np.empty((H, GH), dtype), constant(0.5, dtype)
    for ours, theirs, k in ((slice(0, 2 * H), slice(0, 2 * H), half), (slice(2 * H, 3 * H), slice(3 * H, GH), half),
                            (slice(3 * H, GH), slice(2 * H, 3 * H), None)):       # i f | o | g, σ's blocks halved
        add(gi[..., theirs], b_hh[theirs], gi_s[..., ours])                     # both biases before the loop
        WhT_s[:, ours] = Wh[theirs].T
        if k is not None:
            mul(gi_s[..., ours], k, gi_s[..., ours])
            mul(WhT_s[:, ours], k, WhT_s[:, ours])
    Wh_h_s, a_s, act = np.empty_like(gi), np.empty_like(gi), np.empty_like(gi)
    hs, cs = np.empty((T, B, H), dtype), np.empty((T, B, H), dtype)
    i, f, o, g = (act[..., k * H:(k + 1) * H] for k in range(4))
    arrays: tuple[np.ndarray, ...] = (gi_s, Wh_h_s, a_s, act, act[..., :3 * H], i, f, g, o, cs, hs)
    if B == 1:                          # one sequence: (H,) vectors, the cheapest BLAS and ufunc calls
        arrays, h, c = tuple(v[:, 0] for v in arrays), h[0], c[0]
    ig = np.empty_like(h)
    for gi_t, Wh_h_t, a_t, act_t, sig_t, i_t, f_t, g_t, o_t, c_t, h_t in each_step(reverse, *arrays):
        dot(h, WhT_s, Wh_h_t)                                   # Wh·h_prev (i, f, o halved)
        add(gi_t, Wh_h_t, a_t)                                  # a_t = (Wx·x_t + b) + Wh·h_prev
        tanh(a_t, act_t)                                        # tanh(a/2) for i f o, g = tanh(a_g)
        add(mul(sig_t, half, sig_t), half, sig_t)               # i, f, o = ½ + ½·tanh(a/2) = σ(a)
        add(mul(f_t, c, c_t), mul(i_t, g_t, ig), c_t)           # c_t = f·c_prev + i·g
        h = mul(o_t, tanh(c_t, h_t), h_t)                       # h_t = o·tanh(c_t)
        c = c_t
    two, a, Wh_h = constant(2.0, dtype), np.empty_like(gi), np.empty_like(gi)    # back in PyTorch's i f g o
    for inner, pytorch in ((a_s, a), (Wh_h_s, Wh_h)):
        mul(inner[..., :2 * H], two, pytorch[..., :2 * H])
        mul(inner[..., 2 * H:3 * H], two, pytorch[..., 3 * H:])
        pytorch[..., 2 * H:3 * H] = inner[..., 3 * H:]
    return make(h_prev=shifted(hs, h0, reverse), Wh_h=Wh_h, a=a, h=hs, gates=dict(zip(spec.gates, (i, f, g, o))),
                c_prev=shifted(cs, c0, reverse), c=cs)


def gru_forward(make: MakeTrace, spec: Cell, reverse: bool, gi: np.ndarray, Wh: np.ndarray, b_hh: np.ndarray,
                h: np.ndarray, c: np.ndarray | None) -> LayerTrace:
    """r, z = σ(a_r, a_z);  n = tanh(gi_n + r·(Wh_n·h_prev + b_hn));  h_t = (1 − z)·n + z·h_prev, for every t.

    gi (T, B, 3H) = Wx·x_t + b_ih: b_hn stays inside r·(...), so b_hh is added step by step.
    """
    T, B, GH = gi.shape
    H2, h0, WhT = 2 * GH // 3, h, Wh.T                              # r and z side by side: one call for both
    Wh_h, a, act, hs = np.empty_like(gi), np.empty_like(gi), np.empty_like(gi), np.empty((T, B, GH // 3), gi.dtype)
    gh, h_minus_n, half = np.empty((B, GH), gi.dtype), np.empty_like(h), constant(0.5, gi.dtype)
    gh_rz, gh_n = gh[:, :H2], gh[:, H2:]
    r, z, n = (act[..., k * GH // 3:(k + 1) * GH // 3] for k in range(3))
    steps = each_step(reverse, gi[..., :H2], gi[..., H2:], Wh_h, a[..., :H2], a[..., H2:], act[..., :H2],
                      r, z, n, hs)
    for gi_rz_t, gi_n_t, Wh_h_t, a_rz_t, a_n_t, rz_t, r_t, z_t, n_t, h_t in steps:
        dot(h, WhT, Wh_h_t)                                     # Wh·h_prev
        add(Wh_h_t, b_hh, gh)                                   # gh = Wh·h_prev + b_hh
        add(gi_rz_t, gh_rz, a_rz_t)                             # a_r, a_z = (Wx·x_t + b) + Wh·h_prev
        tanh(mul(a_rz_t, half, rz_t), rz_t)                     # r, z = σ(a) = ½ + ½·tanh(a/2)
        add(mul(rz_t, half, rz_t), half, rz_t)
        add(gi_n_t, mul(r_t, gh_n, a_n_t), a_n_t)               # a_n = gi_n + r·gh_n
        tanh(a_n_t, n_t)                                        # n = tanh(a_n)
        sub(h, n_t, h_minus_n)                                  # h_t = (1 − z)·n + z·h_prev, written as
        h = add(n_t, mul(z_t, h_minus_n, h_t), h_t)             # n + z·(h_prev − n), like PyTorch
    return make(h_prev=shifted(hs, h0, reverse), Wh_h=Wh_h, a=a, h=hs, gates=dict(zip(spec.gates, (r, z, n))))


# --- backward ------------------------------------------------------------------------------------------------

def rnn_backward(lt: LayerTrace, Wh: np.ndarray, d_out: np.ndarray, dh_next: np.ndarray,
                 dc_next: np.ndarray | None) -> Back:
    """dL/da_t = dL/dh_t · tanh'(a_t) (relu: · [a_t > 0]);  dL/dh_{t−1} = dL/da_t · Wh."""
    tanh_local = cell_spec(lt.cell).nonlinearity == "tanh"
    local = 1 - lt.h * lt.h if tanh_local else (lt.a > 0).astype(lt.a.dtype)   # ∂h_t/∂a_t, every t
    da, dh, back = np.empty_like(lt.h), np.empty_like(lt.h), np.empty_like(dh_next)
    for d_out_t, local_t, dh_t, da_t in each_step(not lt.reverse, d_out, local, dh, da):
        add(d_out_t, dh_next, dh_t)                             # dL/dh_t: from above and from step t+1
        mul(dh_t, local_t, da_t)                                # dL/da_t
        dh_next = dot(da_t, Wh, back)                           # dL/dh_{t−1} through Wh
    return da, da, dh, None, dh_next, None


def lstm_backward(lt: LayerTrace, Wh: np.ndarray, d_out: np.ndarray, dh_next: np.ndarray,
                  dc_next: np.ndarray | None) -> Back:
    """Chain rule through c_t = f·c_prev + i·g and h_t = o·tanh(c_t), back over every t."""
    assert lt.c is not None and lt.c_prev is not None and dc_next is not None, "the LSTM's trace keeps c_t"
    i, f, g, o = lt.gates.values()
    T, B, H = lt.h.shape
    tanh_c = tanh(lt.c)
    dc_dh = o * (1 - tanh_c * tanh_c)                                 # ∂h_t/∂c_t, every t
    dh_da_o = tanh_c * o * (1 - o)                                    # ∂h_t/∂a_o
    dc_da = np.stack([g * i * (1 - i), lt.c_prev * f * (1 - f), i * (1 - g * g)], axis=2)  # ∂c_t/∂a_i, a_f, a_g
    da, dh, dc = np.empty_like(lt.a), np.empty_like(lt.h), np.empty_like(lt.h)
    da_ifg, da_o = da.reshape(T, B, 4, H)[:, :, :3], da[..., 3 * H:]
    back_h, back_c = np.empty_like(dh_next), np.empty_like(dc_next)
    steps = each_step(not lt.reverse, d_out, dc_dh, dh_da_o, dc_da, f, dh, dc, dc[:, :, None], da, da_ifg, da_o)
    for d_out_t, dc_dh_t, dh_da_o_t, dc_da_t, f_t, dh_t, dc_t, dc_each_t, da_t, da_ifg_t, da_o_t in steps:
        add(d_out_t, dh_next, dh_t)                             # dL/dh_t: from above and from step t+1
        add(dc_next, mul(dh_t, dc_dh_t, dc_t), dc_t)            # dL/dc_t: from t+1 and through h_t
        mul(dc_da_t, dc_each_t, da_ifg_t)                       # dL/da_i, dL/da_f, dL/da_g
        mul(dh_t, dh_da_o_t, da_o_t)                            # dL/da_o
        dh_next = dot(da_t, Wh, back_h)                         # dL/dh_{t−1} through Wh
        dc_next = mul(dc_t, f_t, back_c)                        # dL/dc_{t−1} through f
    return da, da, dh, dc, dh_next, dc_next


def gru_backward(lt: LayerTrace, Wh: np.ndarray, d_out: np.ndarray, dh_next: np.ndarray,
                 dc_next: np.ndarray | None) -> Back:
    """Chain rule through h_t = (1 − z)·n + z·h_prev; gh_n reaches n only through r."""
    r, z, n = lt.gates.values()
    T, B, H = lt.h.shape
    gh_n = lt.Wh_h[..., 2 * H:] + lt.b_hh[2 * H:]                     # Wh_n·h_prev + b_hn, every t
    dh_da_zn = np.stack([(lt.h_prev - n) * z * (1 - z), (1 - z) * (1 - n * n)], axis=2)  # ∂h_t/∂a_z, ∂h_t/∂a_n
    dan_dar = gh_n * r * (1 - r)                                      # ∂a_n/∂a_r
    dgi, dgh, dh = np.empty_like(lt.a), np.empty_like(lt.a), np.empty_like(lt.h)
    da_r, da_zn, da_n = dgi[..., :H], dgi.reshape(T, B, 3, H)[:, :, 1:], dgi[..., 2 * H:]
    dgi_rz, dgh_rz, dgh_n = dgi[..., :2 * H], dgh[..., :2 * H], dgh[..., 2 * H:]
    back, direct = np.empty_like(dh_next), np.empty_like(dh_next)
    steps = each_step(not lt.reverse, d_out, dh_da_zn, dan_dar, r, z, dh, dh[:, :, None], da_r, da_zn, da_n,
                      dgi_rz, dgh, dgh_rz, dgh_n)
    for (d_out_t, dh_da_zn_t, dan_dar_t, r_t, z_t, dh_t, dh_each_t, da_r_t, da_zn_t, da_n_t,
         dgi_rz_t, dgh_t, dgh_rz_t, dgh_n_t) in steps:
        add(d_out_t, dh_next, dh_t)                             # dL/dh_t: from above and from step t+1
        mul(dh_da_zn_t, dh_each_t, da_zn_t)                     # dL/da_z, dL/da_n
        mul(da_n_t, dan_dar_t, da_r_t)                          # dL/da_r
        np.copyto(dgh_rz_t, dgi_rz_t)                           # r's and z's Wh·h_prev enter a as Wx·x_t does
        mul(da_n_t, r_t, dgh_n_t)                               # n's enters times r
        dh_next = add(dot(dgh_t, Wh, back), mul(dh_t, z_t, direct), back)  # Wh, z
    return dgi, dgh, dh, None, dh_next, None


# One loop each per torch class of the cell registry: the network looks a cell's loops up here.
FORWARD: dict[str, Callable[..., LayerTrace]] = {"RNN": rnn_forward, "LSTM": lstm_forward, "GRU": gru_forward}
BACKWARD: dict[str, Callable[..., Back]] = {"RNN": rnn_backward, "LSTM": lstm_backward, "GRU": gru_backward}
