"""One step of each recurrent cell, as the textbook writes it, in PyTorch's gate order.

Each `*_step` takes the step's pre-computed `gi = Wx·x_t + b_ih` (B, G·H) and
`gh = Wh·h_prev + b_hh` (B, G·H) and returns the new state plus what the
backward pass needs. Each `*_step_back` undoes it: given dL/dh_t (and dL/dc_t)
it returns dL/dgi, dL/dgh and what flows to the previous step.
"""
from __future__ import annotations

import numpy as np


def sigmoid(a: np.ndarray) -> np.ndarray:
    """σ(a) = 1 / (1 + e^-a), written to stay finite for large |a|."""
    return 0.5 * (1.0 + np.tanh(0.5 * a))


def relu(a: np.ndarray) -> np.ndarray:
    return np.maximum(a, 0)


# --- Elman RNN ---------------------------------------------------------------

def rnn_step(gi, gh, h_prev, nonlinearity="tanh"):
    """h_t = tanh(Wx·x_t + b_ih + Wh·h_prev + b_hh)."""
    a = gi + gh
    h = np.tanh(a) if nonlinearity == "tanh" else relu(a)
    return h, a, {}


def rnn_step_back(dh, a, h, nonlinearity="tanh"):
    """dL/da = dL/dh · tanh'(a)  (relu: · [a > 0]); same for gi and gh."""
    da = dh * (1 - h * h) if nonlinearity == "tanh" else dh * (a > 0)
    return da, da


# --- LSTM --------------------------------------------------------------------

def lstm_step(gi, gh, h_prev, c_prev):
    """i, f, g, o = σ, σ, tanh, σ of (gi + gh);  c_t = f·c_prev + i·g;  h_t = o·tanh(c_t)."""
    a = gi + gh
    ai, af, ag, ao = np.split(a, 4, axis=-1)
    i, f, g, o = sigmoid(ai), sigmoid(af), np.tanh(ag), sigmoid(ao)
    c = f * c_prev + i * g
    h = o * np.tanh(c)
    return h, c, a, {"i": i, "f": f, "g": g, "o": o}


def lstm_loop(gi, WhT, b_hh, h, c, order, Wh_h, a, act, cs, hs):
    """The LSTM over time, written into the trace's own arrays with no temporaries kept (the engine uses it).

    gi (T, B, 4H) = Wx·x_t + b_ih for every t; WhT (H, 4H); h, c (B, H) the initial state; order: the steps in
    the order they run. Fills Wh_h (T, B, 4H), a = gi + (Wh·h_prev + b_hh), act (T, B, 4H) with i, f, g, o, and
    cs, hs (T, B, H) with c_t, h_t. The same arithmetic as lstm_step, so the same numbers: σ is applied to all
    four blocks at once as sigmoid() computes it, (1 + tanh(a/2)) / 2, then g's block is overwritten with tanh.
    """
    H = h.shape[-1]
    gh, ig = np.empty(a.shape[1:], a.dtype), np.empty(h.shape, a.dtype)
    half, one = np.array(0.5, a.dtype), np.array(1.0, a.dtype)         # 0-d arrays: no scalar conversion per call
    i, f, g, o = (act[..., k * H:(k + 1) * H] for k in range(4))
    steps = list(zip(gi, Wh_h, a, act, a[..., 2 * H:3 * H], i, f, g, o, cs, hs))   # every step's views, made at once
    add, mul, tanh, dot = np.add, np.multiply, np.tanh, np.dot      # outputs passed by position: the cheapest call
    for t in order:
        gi_t, whh, at, act_t, a_g, i_t, f_t, g_t, o_t, ct, ht = steps[t]
        dot(h, WhT, whh)                             # Wh·h_prev
        add(whh, b_hh, gh)
        add(gi_t, gh, at)                            # a_t = (Wx·x_t + b_ih) + (Wh·h_prev + b_hh)
        mul(at, half, act_t)                         # i, f, o = σ(a) = (1 + tanh(a/2)) / 2
        tanh(act_t, act_t)
        add(act_t, one, act_t)
        mul(act_t, half, act_t)
        tanh(a_g, g_t)                               # g = tanh(a_g)
        mul(f_t, c, ct)                              # c_t = f·c_prev + i·g
        mul(i_t, g_t, ig)
        add(ct, ig, ct)
        tanh(ct, ht)                                 # h_t = o·tanh(c_t)
        mul(ht, o_t, ht)
        h, c = ht, ct


def lstm_step_back(dh, dc_next, gates, c_prev, c):
    """Chain rule through h_t = o·tanh(c_t) and c_t = f·c_prev + i·g; also returns the whole dL/dc_t."""
    i, f, g, o = gates["i"], gates["f"], gates["g"], gates["o"]
    tc = np.tanh(c)
    dc = dc_next + dh * o * (1 - tc * tc)
    da = np.concatenate([
        dc * g * i * (1 - i),       # d a_i
        dc * c_prev * f * (1 - f),  # d a_f
        dc * i * (1 - g * g),       # d a_g
        dh * tc * o * (1 - o),      # d a_o
    ], axis=-1)
    return da, da, dc * f, dc


# --- GRU ---------------------------------------------------------------------

def gru_step(gi, gh, h_prev):
    """r, z = σ(gi + gh);  n = tanh(gi_n + r·gh_n);  h_t = (1 - z)·n + z·h_prev."""
    gi_r, gi_z, gi_n = np.split(gi, 3, axis=-1)
    gh_r, gh_z, gh_n = np.split(gh, 3, axis=-1)
    a_r, a_z = gi_r + gh_r, gi_z + gh_z
    r, z = sigmoid(a_r), sigmoid(a_z)
    a_n = gi_n + r * gh_n
    n = np.tanh(a_n)
    h = (1 - z) * n + z * h_prev
    return h, np.concatenate([a_r, a_z, a_n], axis=-1), {"r": r, "z": z, "n": n}


def gru_step_back(dh, gates, gh, h_prev):
    """Chain rule through h_t = (1 - z)·n + z·h_prev; gh_n reaches n only through r."""
    r, z, n = gates["r"], gates["z"], gates["n"]
    gh_n = np.split(gh, 3, axis=-1)[2]
    da_n = dh * (1 - z) * (1 - n * n)
    da_z = dh * (h_prev - n) * z * (1 - z)
    da_r = da_n * gh_n * r * (1 - r)
    dgi = np.concatenate([da_r, da_z, da_n], axis=-1)
    dgh = np.concatenate([da_r, da_z, da_n * r], axis=-1)
    return dgi, dgh, dh * z
