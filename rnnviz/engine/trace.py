"""Plain data that an engine run leaves behind: every intermediate, shapes in comments.

Time is always indexed by position in the sequence (t = 0 is the first token),
for both directions; a reverse-direction layer reads its h_prev from t + 1.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .registry import GATES, CellName


@dataclass(frozen=True)
class LayerTrace:
    """What one layer in one direction computed at every timestep, for every batch row."""

    cell: CellName             # a name of the cell registry
    layer: int                 # 0-based layer index
    reverse: bool              # True for the backward direction of a bidirectional net
    x: np.ndarray              # (T, B, I)   x_t, the layer's input
    h_prev: np.ndarray         # (T, B, H)   h_{t-1} (h_{t+1} when reverse)
    Wx_x: np.ndarray           # (T, B, G·H) Wx·x_t, no bias (G = 1, 4, 3 for RNN, LSTM, GRU)
    Wh_h: np.ndarray           # (T, B, G·H) Wh·h_prev, no bias
    b_ih: np.ndarray           # (G·H,)      input bias (zeros when bias=False)
    b_hh: np.ndarray           # (G·H,)      hidden bias (zeros when bias=False)
    a: np.ndarray              # (T, B, G·H) pre-activations (GRU: n's includes r * (Wh_n·h + b_hn))
    h: np.ndarray              # (T, B, H)   h_t
    gates: dict[str, np.ndarray] = field(default_factory=dict)  # name -> (T, B, H), after activation
    c_prev: np.ndarray | None = None  # (T, B, H) LSTM only
    c: np.ndarray | None = None       # (T, B, H) LSTM only

    def pre(self, gate: str) -> np.ndarray:
        """Pre-activation of one gate, (T, B, H)."""
        k = GATES[self.cell].index(gate)
        H = self.h.shape[-1]
        return self.a[..., k * H:(k + 1) * H]


@dataclass(frozen=True)
class Trace:
    """A whole forward pass: PyTorch's outputs plus every layer's LayerTrace."""

    output: np.ndarray              # (B, T, D·H) if batch_first else (T, B, D·H); (T, D·H) unbatched
    h_n: np.ndarray                 # (L·D, B, H); (L·D, H) unbatched
    c_n: np.ndarray | None          # like h_n, LSTM only
    layers: list[list[LayerTrace]]  # [layer][direction]
    batch_first: bool
    batched: bool

    @property
    def T(self) -> int:
        return self.layers[0][0].h.shape[0]

    @property
    def B(self) -> int:
        return self.layers[0][0].h.shape[1]

    def hidden_states(self, layer: int = -1) -> np.ndarray:
        """All h_t of one layer, directions concatenated: (T, B, D·H)."""
        return np.concatenate([d.h for d in self.layers[layer]], axis=-1)


@dataclass(frozen=True)
class Grads:
    """Gradients of a scalar loss, named and shaped as PyTorch names and shapes them."""

    params: dict[str, np.ndarray]   # "weight_ih_l0" -> same shape as the parameter
    x: np.ndarray                   # like the input
    h0: np.ndarray                  # like h_n
    c0: np.ndarray | None           # like c_n, LSTM only
    dh: list[list[np.ndarray]]      # [layer][direction] -> (T, B, H): the whole dL/dh_t reaching each step
    dc: list[list[np.ndarray]] | None = None  # LSTM: dL/dc_t, (T, B, H)

    def dh_norm(self, layer: int = 0) -> np.ndarray:
        """Norm of dL/dh_t per timestep, summed over directions and batch: (T,)."""
        stacked = np.stack([d for d in self.dh[layer]])  # (D, T, B, H)
        return np.sqrt((stacked.astype(np.float64) ** 2).sum(axis=(0, 2, 3)))
