"""Backpropagation through time, one step at a time: where each dL/dh_t comes from.

The engine's backward (Network.backward) gives the whole dL/dh_t and dL/dc_t reaching every step. Here each is
split by the chain rule into what arrives from the output at t (or the layer above) and what arrives from the next
step the cell takes (h_{t+1}; h_{t−1} for a reverse direction), and that second part into one share per gate:
    dL/dh_t = ∂L/∂y_t·∂y_t/∂h_t  +  Σ_k dL/da_k(t+1) · Wh_k   (GRU: + dL/dh_{t+1} · z_{t+1}, the direct path)
    dL/dc_t = dL/dc_{t+1} · f_{t+1}  +  dL/dh_t · o_t · tanh'(c_t)                    (LSTM)
The loss is next-token cross-entropy (the token after the last one is the first again: the text read as a loop),
or, for typed numbers, the sum of the outputs y = σ(W_y·h_t); at the last step only ("last") or at every step.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .network import Network
from .registry import CELL_TABLE
from .trace import Grads, LayerTrace, Trace

LOSSES = ("last", "every")


@dataclass(frozen=True)
class Backward:
    """One layer's and direction's gradients over time, each split by where it comes from."""

    loss: str                        # "last" | "every"
    value: float                     # L, summed over the steps it counts and the batch rows
    targets: np.ndarray              # (B, T) the target id at each step, −1 where the loss does not count
    dh: np.ndarray                   # (T, B, H) the whole dL/dh_t (Network.backward's)
    from_out: np.ndarray             # (T, B, H) the part from the output at t (a lower layer: from the layer above)
    from_next: np.ndarray            # (T, B, H) the part from the next step (h_{t+1}; h_{t−1} when reverse)
    through: dict[str, np.ndarray]   # block -> (T, B, H): from_next's share through that gate (GRU: + "direct")
    da: dict[str, np.ndarray]        # block -> (T, B, H): dL/da of each gate's (or a_t's) pre-activation
    dc: np.ndarray | None = None           # (T, B, H) LSTM: the whole dL/dc_t
    dc_from_next: np.ndarray | None = None  # (T, B, H) LSTM: dL/dc_{t+1} · f_{t+1}
    dc_from_h: np.ndarray | None = None     # (T, B, H) LSTM: dL/dh_t · o_t · tanh'(c_t)


def next_targets(ids: np.ndarray) -> np.ndarray:
    """(B, T) ids -> the token each step should predict: the next one, and after the last the first again."""
    return np.roll(ids, -1, axis=1)


def head_loss(top: np.ndarray, W_out: np.ndarray, b_out: np.ndarray, targets: np.ndarray | None, loss: str
              ) -> tuple[float, np.ndarray, np.ndarray]:
    """L and dL/dh of the top layer's h_t (B, T, D·H), and the targets counted (B, T; −1 elsewhere).

    targets None: typed numbers, L = Σ σ(W_y·h_t + b); else L = Σ −log softmax(W·h_t + b)[target]."""
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {', '.join(LOSSES)}, got {loss!r}")
    B, T = top.shape[:2]
    counted = np.zeros((B, T), bool)
    counted[:, -1 if loss == "last" else slice(None)] = True
    logits = (top.astype(np.float64) @ W_out.T.astype(np.float64) + b_out).astype(np.float64)   # (B, T, V)
    if targets is None:
        y = 1 / (1 + np.exp(-logits))
        value = float(y[counted].sum())
        d_logits = y * (1 - y) * counted[..., None]                     # dσ/da = σ(1 − σ)
        shown = np.full((B, T), -1)
    else:
        z = logits - logits.max(axis=-1, keepdims=True)
        log_p = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
        picked = np.take_along_axis(log_p, targets[..., None], axis=-1)[..., 0]   # (B, T) log p(target)
        value = float(-picked[counted].sum())
        d_logits = np.exp(log_p)                                        # softmax − one-hot(target)
        np.put_along_axis(d_logits, targets[..., None], np.take_along_axis(d_logits, targets[..., None], -1) - 1, -1)
        d_logits *= counted[..., None]
        shown = np.where(counted, targets, -1)
    return value, (d_logits @ W_out.astype(np.float64)).astype(top.dtype), shown


def pre_grads(lt: LayerTrace, dh: np.ndarray, dc: np.ndarray | None) -> dict[str, np.ndarray]:
    """dL/da of each block at every t, from the whole dL/dh_t (and dL/dc_t), as the cells' backward computes them."""
    spec = CELL_TABLE[lt.cell]
    if spec.torch_class == "RNN":
        local = 1 - lt.h * lt.h if spec.nonlinearity == "tanh" else (lt.a > 0).astype(lt.a.dtype)
        return {"a": dh * local}
    if spec.has_c:
        assert dc is not None and lt.c is not None and lt.c_prev is not None, "the LSTM keeps c_t"
        a = lt.gates                                   # by the registry's names, in its order: i, f, g, o
        return dict(zip(a, (dc * a["g"] * a["i"] * (1 - a["i"]), dc * lt.c_prev * a["f"] * (1 - a["f"]),
                            dc * a["i"] * (1 - a["g"] ** 2), dh * np.tanh(lt.c) * a["o"] * (1 - a["o"]))))
    a = lt.gates
    r, z, n = a["r"], a["z"], a["n"]
    H = lt.h.shape[-1]
    gh_n = lt.Wh_h[..., 2 * H:] + lt.b_hh[2 * H:]                       # Wh_n·h_prev + b_hn
    da_n = dh * (1 - z) * (1 - n * n)
    return dict(zip(a, (da_n * gh_n * r * (1 - r), dh * (lt.h_prev - n) * z * (1 - z), da_n)))    # r, z, n


def sent_back(lt: LayerTrace, Wh: np.ndarray, da: dict[str, np.ndarray], dh: np.ndarray) -> dict[str, np.ndarray]:
    """What the step at t sends to its h_prev, per gate: dL/da_k · Wh_k (GRU's n: times r; and z·dL/dh_t direct)."""
    H = lt.h.shape[-1]
    parts = {}
    for k, (name, d) in enumerate(da.items()):
        d = d * lt.gates["r"] if name == "n" else d                     # n's Wh_n·h_prev enters times r
        parts[name] = d @ Wh[k * H:(k + 1) * H]
    if CELL_TABLE[lt.cell].torch_class == "GRU":
        parts["direct"] = dh * lt.gates["z"]                            # h_t = … + z·h_prev
    return parts


def shifted(steps: np.ndarray, reverse: bool) -> np.ndarray:
    """out[t] = steps[t + 1] (steps[t − 1] when reverse): what step t receives from the step after it; 0 at the end."""
    out = np.zeros_like(steps)
    if reverse:
        out[1:] = steps[:-1]
    else:
        out[:-1] = steps[1:]
    return out


def split(net: Network, trace: Trace, grads: Grads, d_top: np.ndarray, layer: int, direction: int, loss: str,
          value: float, targets: np.ndarray) -> Backward:
    """One layer's dL/dh_t split into its parts; d_top (T, B, D·H) is dL/d(top layer's h_t), time first."""
    lt = trace.layers[layer][direction]
    H = lt.h.shape[-1]
    dh = grads.dh[layer][direction]
    dc = grads.dc[layer][direction] if grads.dc is not None else None
    da = pre_grads(lt, dh, dc)
    _, Wh, _, _ = net.weights(layer, lt.reverse)
    through = {k: shifted(v, lt.reverse) for k, v in sent_back(lt, Wh, da, dh).items()}
    from_next = sum(through.values())
    assert isinstance(from_next, np.ndarray)
    from_out = (d_top if layer == len(trace.layers) - 1 else from_layer_above(net, trace, grads, layer + 1))
    from_out = from_out[..., direction * H:(direction + 1) * H]
    dc_next = dc_h = None
    if dc is not None:
        assert lt.c is not None
        i, f, g, o = lt.gates.values()
        dc_next = shifted(dc * f, lt.reverse)                            # dL/dc_{t+1} · f_{t+1}
        dc_h = dh * o * (1 - np.tanh(lt.c) ** 2)                         # dL/dh_t · ∂h_t/∂c_t
    return Backward(loss, value, targets, dh, from_out, from_next, through, da, dc, dc_next, dc_h)


def from_layer_above(net: Network, trace: Trace, grads: Grads, above: int) -> np.ndarray:
    """dL/d(input of layer `above`) = Σ_d dL/da(d) · Wx(d): what the layer below receives from it, (T, B, D·H)."""
    total = 0
    for d, lt in enumerate(trace.layers[above]):
        dh = grads.dh[above][d]
        dc = grads.dc[above][d] if grads.dc is not None else None
        dgi = np.concatenate(list(pre_grads(lt, dh, dc).values()), axis=-1)
        Wx, _, _, _ = net.weights(above, lt.reverse)
        total = total + dgi @ Wx
    assert isinstance(total, np.ndarray)
    return total


def backward(net: Network, trace: Trace, top: np.ndarray, W_out: np.ndarray, b_out: np.ndarray,
             targets: np.ndarray | None, loss: str, layer: int = 0, direction: int = 0) -> Backward:
    """BPTT for one loss: the engine's backward from dL/d(output), then one layer's split; top is (B, T, D·H)."""
    value, d_top, counted = head_loss(top, W_out, b_out, targets, loss)
    d_output = d_top if (trace.batch_first or not trace.batched) else d_top.swapaxes(0, 1)
    if not trace.batched:
        d_output = d_output[0]
    grads = net.backward(trace, d_output)
    return split(net, trace, grads, d_top.swapaxes(0, 1), layer, direction, loss, value, counted)
