"""Each recurrent cell as one loop over time, one line per equation, in PyTorch's gate order.

Forward: `*_forward` walks the steps in `order` and writes every intermediate straight into the layer's trace
(its arrays are allocated once by the network, so a step allocates nothing): Wh_h[t] = Wh·h_prev, the
pre-activations a[t], the gates, c[t] and h[t]. `gi` = Wx·x_t + b for every t comes in ready, computed before
the loop in one matmul (RNN and LSTM: both biases; GRU: b_ih only, since b_hn sits inside r·(...)).

Backward: `*_backward` walks back the other way. The local derivatives of each step (σ' = σ(1 − σ),
tanh' = 1 − tanh², ...) depend only on the forward trace, so they are computed for all t at once before the
loop; the loop is the chain rule: dL/dh_t, then dL/da_t (written into `da`, which is dL/dgi), then what
flows back to step t − 1 through Wh (and, for the LSTM, through f into c_{t−1}).
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .trace import LayerTrace


def sigmoid(a: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """σ(a) = 1 / (1 + e^-a), computed as (1 + tanh(a/2)) / 2 to stay finite for large |a|."""
    half = np.array(0.5, a.dtype)            # a 0-d array of a's dtype: no float64 upcast, no scalar conversion
    out = np.multiply(a, half, out=out)
    np.tanh(out, out=out)
    np.multiply(out, half, out=out)
    return np.add(out, half, out=out)


def relu(a: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """relu(a) = max(a, 0)."""
    return np.maximum(a, np.array(0, a.dtype), out=out)


# --- forward -------------------------------------------------------------------------------------------------

def rnn_forward(lt: LayerTrace, gi: np.ndarray, WhT: np.ndarray, h: np.ndarray, order: Iterable[int],
                nonlinearity: str) -> None:
    """h_t = tanh(Wx·x_t + Wh·h_prev + b) (or relu), for t in order; gi (T, B, H) = Wx·x_t + b_ih + b_hh."""
    Wh_h, a, hs = lt.Wh_h, lt.a, lt.h
    activation = np.tanh if nonlinearity == "tanh" else relu
    for t in order:
        np.dot(h, WhT, out=Wh_h[t])                                   # Wh·h_prev
        np.add(gi[t], Wh_h[t], out=a[t])                              # a_t = (Wx·x_t + b) + Wh·h_prev
        h = activation(a[t], out=hs[t])                               # h_t = tanh(a_t)


def lstm_forward(lt: LayerTrace, gi: np.ndarray, WhT: np.ndarray, h: np.ndarray, c: np.ndarray,
                 order: Iterable[int], act: np.ndarray) -> None:
    """i, f, g, o = σ, σ, tanh, σ of a_t;  c_t = f·c_prev + i·g;  h_t = o·tanh(c_t), for t in order.

    gi (T, B, 4H) = Wx·x_t + b_ih + b_hh; act (T, B, 4H) is the array the trace's gates i, f, g, o are views of.
    """
    Wh_h, a, cs, hs = lt.Wh_h, lt.a, lt.c, lt.h
    assert cs is not None, "the LSTM's trace keeps c_t"
    i, f, g, o = lt.gates.values()
    a_g = a[..., 2 * hs.shape[-1]:3 * hs.shape[-1]]
    ig = np.empty_like(h)
    for t in order:
        Wh_h_t, a_t, g_t, c_t, h_t = Wh_h[t], a[t], g[t], cs[t], hs[t]   # this step's slots in the trace
        np.dot(h, WhT, out=Wh_h_t)                                    # Wh·h_prev
        np.add(gi[t], Wh_h_t, out=a_t)                                # a_t = (Wx·x_t + b) + Wh·h_prev, 4 gates
        sigmoid(a_t, out=act[t])                                      # i, f, o = σ(a_i), σ(a_f), σ(a_o)
        np.tanh(a_g[t], out=g_t)                                      # g = tanh(a_g) (over σ's block of g)
        np.add(np.multiply(f[t], c, out=c_t), np.multiply(i[t], g_t, out=ig), out=c_t)  # c_t = f·c_prev + i·g
        np.multiply(o[t], np.tanh(c_t, out=h_t), out=h_t)             # h_t = o·tanh(c_t)
        h, c = h_t, c_t


def gru_forward(lt: LayerTrace, gi: np.ndarray, WhT: np.ndarray, b_hh: np.ndarray, h: np.ndarray,
                order: Iterable[int], act: np.ndarray) -> None:
    """r, z = σ(a_r, a_z);  n = tanh(gi_n + r·(Wh_n·h_prev + b_hn));  h_t = (1 − z)·n + z·h_prev, for t in order.

    gi (T, B, 3H) = Wx·x_t + b_ih; act (T, B, 3H) is the array the trace's gates r, z, n are views of.
    """
    Wh_h, a, hs = lt.Wh_h, lt.a, lt.h
    r, z, n = lt.gates.values()
    H2 = 2 * hs.shape[-1]                                             # r and z side by side: one call for both
    gh, h_minus_n = np.empty(a.shape[1:], a.dtype), np.empty_like(h)
    gi_rz, gi_n, gh_rz, gh_n, a_rz, a_n = gi[..., :H2], gi[..., H2:], gh[:, :H2], gh[:, H2:], a[..., :H2], a[..., H2:]
    rz = act[..., :H2]
    for t in order:
        Wh_h_t, a_rz_t, a_n_t, n_t, h_t = Wh_h[t], a_rz[t], a_n[t], n[t], hs[t]   # this step's slots in the trace
        np.dot(h, WhT, out=Wh_h_t)                                    # Wh·h_prev
        np.add(Wh_h_t, b_hh, out=gh)                                  # gh = Wh·h_prev + b_hh
        np.add(gi_rz[t], gh_rz, out=a_rz_t)                           # a_r, a_z = (Wx·x_t + b) + Wh·h_prev
        sigmoid(a_rz_t, out=rz[t])                                    # r, z = σ(a_r), σ(a_z)
        np.add(gi_n[t], np.multiply(r[t], gh_n, out=a_n_t), out=a_n_t)  # a_n = gi_n + r·gh_n
        np.tanh(a_n_t, out=n_t)                                       # n = tanh(a_n)
        np.subtract(h, n_t, out=h_minus_n)                            # h_t = (1 − z)·n + z·h_prev, written as
        h = np.add(n_t, np.multiply(z[t], h_minus_n, out=h_t), out=h_t)   # n + z·(h_prev − n), like PyTorch


# --- backward ------------------------------------------------------------------------------------------------

def rnn_backward(lt: LayerTrace, Wh: np.ndarray, d_out: np.ndarray, dh_next: np.ndarray, order: Iterable[int],
                 da: np.ndarray, dh: np.ndarray) -> np.ndarray:
    """dL/da_t = dL/dh_t · tanh'(a_t) (relu: · [a_t > 0]);  dL/dh_{t−1} = dL/da_t · Wh.  Returns dL/dh0."""
    local = 1 - lt.h * lt.h if lt.cell == "rnn_tanh" else (lt.a > 0).astype(lt.a.dtype)   # ∂h_t/∂a_t, every t
    back = np.empty_like(dh_next)
    for t in order:
        np.add(d_out[t], dh_next, out=dh[t])                          # dL/dh_t: from above and from step t+1
        np.multiply(dh[t], local[t], out=da[t])                       # dL/da_t
        dh_next = np.dot(da[t], Wh, out=back)                         # dL/dh_{t−1} through Wh
    return dh_next


def lstm_backward(lt: LayerTrace, Wh: np.ndarray, d_out: np.ndarray, dh_next: np.ndarray, dc_next: np.ndarray,
                  order: Iterable[int], da: np.ndarray, dh: np.ndarray, dc: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Chain rule through c_t = f·c_prev + i·g and h_t = o·tanh(c_t), for t in order.  Returns dL/dh0, dL/dc0."""
    i, f, g, o = lt.gates.values()
    T, B, H = lt.h.shape
    assert lt.c is not None and lt.c_prev is not None, "the LSTM's trace keeps c_t"
    tanh_c = np.tanh(lt.c)
    dc_dh = o * (1 - tanh_c * tanh_c)                                 # ∂h_t/∂c_t, every t
    dh_da_o = tanh_c * o * (1 - o)                                    # ∂h_t/∂a_o
    dc_da = np.stack([g * i * (1 - i), lt.c_prev * f * (1 - f), i * (1 - g * g)], axis=2)  # ∂c_t/∂a_i, a_f, a_g
    da_ifg, da_o = da.reshape(T, B, 4, H)[:, :, :3], da[..., 3 * H:]
    dc_each = dc[:, :, None]                                          # (T, B, 1, H): dL/dc_t for each of i, f, g
    back_h, back_c = np.empty_like(dh_next), np.empty_like(dc_next)
    for t in order:
        dh_t, dc_t = dh[t], dc[t]                                     # this step's slots in the gradients
        np.add(d_out[t], dh_next, out=dh_t)                           # dL/dh_t: from above and from step t+1
        np.add(dc_next, np.multiply(dh_t, dc_dh[t], out=dc_t), out=dc_t)  # dL/dc_t: from t+1 and through h_t
        np.multiply(dc_da[t], dc_each[t], out=da_ifg[t])              # dL/da_i, dL/da_f, dL/da_g
        np.multiply(dh_t, dh_da_o[t], out=da_o[t])                    # dL/da_o
        dh_next = np.dot(da[t], Wh, out=back_h)                       # dL/dh_{t−1} through Wh
        dc_next = np.multiply(dc_t, f[t], out=back_c)                 # dL/dc_{t−1} through f
    return dh_next, dc_next


def gru_backward(lt: LayerTrace, Wh: np.ndarray, b_hh: np.ndarray, d_out: np.ndarray, dh_next: np.ndarray,
                 order: Iterable[int], dgi: np.ndarray, dgh: np.ndarray, dh: np.ndarray) -> np.ndarray:
    """Chain rule through h_t = (1 − z)·n + z·h_prev; gh_n reaches n only through r.  Returns dL/dh0."""
    r, z, n = lt.gates.values()
    T, B, H = lt.h.shape
    gh_n = lt.Wh_h[..., 2 * H:] + b_hh[2 * H:]                        # Wh_n·h_prev + b_hn, every t
    dh_da_zn = np.stack([(lt.h_prev - n) * z * (1 - z), (1 - z) * (1 - n * n)], axis=2)  # ∂h_t/∂a_z, ∂h_t/∂a_n
    dan_dar = gh_n * r * (1 - r)                                      # ∂a_n/∂a_r
    da_r, da_zn, da_n = dgi[..., :H], dgi.reshape(T, B, 3, H)[:, :, 1:], dgi[..., 2 * H:]
    dgi_rz, dgh_rz, dgh_n = dgi[..., :2 * H], dgh[..., :2 * H], dgh[..., 2 * H:]
    dh_each = dh[:, :, None]                                          # (T, B, 1, H): dL/dh_t for each of z, n
    back, direct = np.empty_like(dh_next), np.empty_like(dh_next)
    for t in order:
        dh_t, da_n_t = dh[t], da_n[t]                                 # this step's slots in the gradients
        np.add(d_out[t], dh_next, out=dh_t)                           # dL/dh_t: from above and from step t+1
        np.multiply(dh_da_zn[t], dh_each[t], out=da_zn[t])            # dL/da_z, dL/da_n
        np.multiply(da_n_t, dan_dar[t], out=da_r[t])                  # dL/da_r
        np.copyto(dgh_rz[t], dgi_rz[t])                               # r's and z's Wh·h_prev enter a as Wx·x_t does
        np.multiply(da_n_t, r[t], out=dgh_n[t])                       # n's enters times r
        dh_next = np.add(np.dot(dgh[t], Wh, out=back), np.multiply(dh_t, z[t], out=direct), out=back)  # Wh, z
    return dh_next
