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


def lstm_step_into(a, act, c_prev, c, h):
    """lstm_step written into the trace's own rows, with no temporaries kept (the engine's loop uses it).

    a (B, 4H): the summed pre-activations; act (B, 4H) receives i, f, g, o; c and h receive c_t and h_t.
    Same arithmetic as lstm_step, so the same numbers: σ is applied to all four blocks at once, then g's
    block is overwritten with tanh.
    """
    H = c.shape[-1]
    np.multiply(a, 0.5, out=act)                     # σ(a) = (1 + tanh(a/2)) / 2, as sigmoid() computes it
    np.tanh(act, out=act)
    act += 1.0
    act *= 0.5
    np.tanh(a[:, 2 * H:3 * H], out=act[:, 2 * H:3 * H])
    i, f, g, o = act[:, :H], act[:, H:2 * H], act[:, 2 * H:3 * H], act[:, 3 * H:]
    np.multiply(f, c_prev, out=c)                    # c_t = f·c_prev + i·g
    c += i * g
    np.tanh(c, out=h)                                # h_t = o·tanh(c_t)
    h *= o


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
