"""Each recurrent cell as one loop over time, one line per equation, in PyTorch's gate order.

Forward: `*_forward` walks the steps (back from t = T − 1 for a reverse direction) and writes every
intermediate straight into the layer's trace (its arrays are allocated once by the network, so a step
allocates nothing): Wh_h[t] = Wh·h_prev, the pre-activations a[t], the gates, c[t] and h[t]. `gi` =
Wx·x_t + b for every t comes in ready, computed before the loop in one matmul (RNN and LSTM: both biases;
GRU: b_ih only, since b_hn sits inside r·(...)).

Backward: `*_backward` walks back the other way. The local derivatives of each step (σ' = σ(1 − σ),
tanh' = 1 − tanh², ...) depend only on the forward trace, so they are computed for all t at once before the
loop; the loop is the chain rule: dL/dh_t, then dL/da_t (written into `da`, which is dL/dgi), then what
flows back to step t − 1 through Wh (and, for the LSTM, through f into c_{t−1}).
"""
from __future__ import annotations

from collections.abc import Iterator
from functools import cache

import numpy as np

from .trace import LayerTrace


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


# The loops call NumPy with the output as the last argument: each result lands in its slot of the trace and a
# step allocates nothing (positional outputs are also NumPy's cheapest calls, which matters at one call per
# equation per step).
add, mul, sub, tanh, dot = np.add, np.multiply, np.subtract, np.tanh, np.dot


def each_step(backwards: bool, *arrays: np.ndarray) -> Iterator[tuple[np.ndarray, ...]]:
    """Every step's slices of the (T, ...) arrays, t = 0 … T − 1 or back from T − 1: views, written in place."""
    return zip(*(v[::-1] if backwards else v for v in arrays))


# --- forward -------------------------------------------------------------------------------------------------

def rnn_forward(lt: LayerTrace, gi: np.ndarray, WhT: np.ndarray, h: np.ndarray, nonlinearity: str) -> None:
    """h_t = tanh(Wx·x_t + Wh·h_prev + b) (or relu) for every t; gi (T, B, H) = Wx·x_t + b_ih + b_hh."""
    activation = np.tanh if nonlinearity == "tanh" else relu
    for gi_t, Wh_h_t, a_t, h_t in each_step(lt.reverse, gi, lt.Wh_h, lt.a, lt.h):
        dot(h, WhT, Wh_h_t)                                     # Wh·h_prev
        add(gi_t, Wh_h_t, a_t)                                  # a_t = (Wx·x_t + b) + Wh·h_prev
        h = activation(a_t, h_t)                                # h_t = tanh(a_t)


def lstm_forward(lt: LayerTrace, gi: np.ndarray, WhT: np.ndarray, h: np.ndarray, c: np.ndarray,
                 act: np.ndarray) -> None:
    """i, f, g, o = σ, σ, tanh, σ of a_t;  c_t = f·c_prev + i·g;  h_t = o·tanh(c_t), for every t.

    gi (T, B, 4H) = Wx·x_t + b_ih + b_hh; act (T, B, 4H) is the array the trace's gates i, f, g, o are views of.
    """
    assert lt.c is not None, "the LSTM's trace keeps c_t"
    H = lt.h.shape[-1]
    half, ig = constant(0.5, act.dtype), np.empty_like(h)
    steps = each_step(lt.reverse, gi, lt.Wh_h, lt.a, act, lt.a[..., 2 * H:3 * H], *lt.gates.values(), lt.c, lt.h)
    for gi_t, Wh_h_t, a_t, act_t, a_g_t, i_t, f_t, g_t, o_t, c_t, h_t in steps:
        dot(h, WhT, Wh_h_t)                                     # Wh·h_prev
        add(gi_t, Wh_h_t, a_t)                                  # a_t = (Wx·x_t + b) + Wh·h_prev, 4 gates
        tanh(mul(a_t, half, act_t), act_t)                      # i, f, o = σ(a) = ½ + ½·tanh(a/2),
        add(mul(act_t, half, act_t), half, act_t)               # the four blocks in one go ...
        tanh(a_g_t, g_t)                                        # ... then g = tanh(a_g) over σ's block of g
        add(mul(f_t, c, c_t), mul(i_t, g_t, ig), c_t)           # c_t = f·c_prev + i·g
        mul(o_t, tanh(c_t, h_t), h_t)                           # h_t = o·tanh(c_t)
        h, c = h_t, c_t


def gru_forward(lt: LayerTrace, gi: np.ndarray, WhT: np.ndarray, b_hh: np.ndarray, h: np.ndarray,
                act: np.ndarray) -> None:
    """r, z = σ(a_r, a_z);  n = tanh(gi_n + r·(Wh_n·h_prev + b_hn));  h_t = (1 − z)·n + z·h_prev, for every t.

    gi (T, B, 3H) = Wx·x_t + b_ih; act (T, B, 3H) is the array the trace's gates r, z, n are views of.
    """
    H2 = 2 * lt.h.shape[-1]                                           # r and z side by side: one call for both
    gh, h_minus_n, half = np.empty(lt.a.shape[1:], lt.a.dtype), np.empty_like(h), constant(0.5, act.dtype)
    gh_rz, gh_n = gh[:, :H2], gh[:, H2:]
    r, z, n = lt.gates.values()
    steps = each_step(lt.reverse, gi[..., :H2], gi[..., H2:], lt.Wh_h, lt.a[..., :H2], lt.a[..., H2:],
                      act[..., :H2], r, z, n, lt.h)
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


# --- backward ------------------------------------------------------------------------------------------------

def rnn_backward(lt: LayerTrace, Wh: np.ndarray, d_out: np.ndarray, dh_next: np.ndarray, da: np.ndarray,
                 dh: np.ndarray) -> np.ndarray:
    """dL/da_t = dL/dh_t · tanh'(a_t) (relu: · [a_t > 0]);  dL/dh_{t−1} = dL/da_t · Wh.  Returns dL/dh0."""
    local = 1 - lt.h * lt.h if lt.cell == "rnn_tanh" else (lt.a > 0).astype(lt.a.dtype)   # ∂h_t/∂a_t, every t
    back = np.empty_like(dh_next)
    for d_out_t, local_t, dh_t, da_t in each_step(not lt.reverse, d_out, local, dh, da):
        add(d_out_t, dh_next, dh_t)                             # dL/dh_t: from above and from step t+1
        mul(dh_t, local_t, da_t)                                # dL/da_t
        dh_next = dot(da_t, Wh, back)                           # dL/dh_{t−1} through Wh
    return dh_next


def lstm_backward(lt: LayerTrace, Wh: np.ndarray, d_out: np.ndarray, dh_next: np.ndarray, dc_next: np.ndarray,
                  da: np.ndarray, dh: np.ndarray, dc: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Chain rule through c_t = f·c_prev + i·g and h_t = o·tanh(c_t), back over every t.  Returns dL/dh0, dL/dc0."""
    i, f, g, o = lt.gates.values()
    T, B, H = lt.h.shape
    assert lt.c is not None and lt.c_prev is not None, "the LSTM's trace keeps c_t"
    tanh_c = tanh(lt.c)
    dc_dh = o * (1 - tanh_c * tanh_c)                                 # ∂h_t/∂c_t, every t
    dh_da_o = tanh_c * o * (1 - o)                                    # ∂h_t/∂a_o
    dc_da = np.stack([g * i * (1 - i), lt.c_prev * f * (1 - f), i * (1 - g * g)], axis=2)  # ∂c_t/∂a_i, a_f, a_g
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
    return dh_next, dc_next


def gru_backward(lt: LayerTrace, Wh: np.ndarray, b_hh: np.ndarray, d_out: np.ndarray, dh_next: np.ndarray,
                 dgi: np.ndarray, dgh: np.ndarray, dh: np.ndarray) -> np.ndarray:
    """Chain rule through h_t = (1 − z)·n + z·h_prev; gh_n reaches n only through r.  Returns dL/dh0."""
    r, z, n = lt.gates.values()
    T, B, H = lt.h.shape
    gh_n = lt.Wh_h[..., 2 * H:] + b_hh[2 * H:]                        # Wh_n·h_prev + b_hn, every t
    dh_da_zn = np.stack([(lt.h_prev - n) * z * (1 - z), (1 - z) * (1 - n * n)], axis=2)  # ∂h_t/∂a_z, ∂h_t/∂a_n
    dan_dar = gh_n * r * (1 - r)                                      # ∂a_n/∂a_r
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
    return dh_next
