"""What one Explore run holds (Explored), and trained weights handed over from the Train view (TrainedWeights)."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .engine import CELL_TABLE, Network, Trace
from .state import Config
from .text import Encoding, Level, Vocab
from .words import Said

SATURATED = 0.95           # |h| beyond this: tanh's slope 1 − h² is under 0.1 (the page explains saturation)


@dataclass(frozen=True)
class TrainedWeights:
    """Trained weights handed over from the Train view: engine, vocabulary, input table, output layer."""

    network: Network
    vocab: Vocab
    level: Level
    encoding: Encoding
    embedding: np.ndarray | None = None      # (V, I)
    W_out: np.ndarray | None = None          # (V, D·H)
    b_out: np.ndarray | None = None          # (V,)
    name: str = "trained"


@dataclass(frozen=True)
class Explored:
    """The result of one Explore run."""

    config: Config                           # the settings actually used (clamped to the text)
    rows: list[list[str]]                    # tokens of each batch row, (B, T)
    vocab: Vocab
    ids: np.ndarray                          # (B, T)
    X: np.ndarray                            # (B, T, I) — as the user means it, before any layout change
    x_module: np.ndarray                     # what goes into the module: (B, T, I) if batch_first else (T, B, I)
    network: Network
    trace: Trace
    W_out: np.ndarray                        # (V, D·H); typed numbers: W_y, (O, D·H)
    b_out: np.ndarray                        # (V,); typed numbers: zeros (lesson 001's head has no bias)
    probs: np.ndarray                        # (B, T, V): softmax(W_out·h_t + b_out) of the top layer;
                                             # typed numbers: (B, T, O), σ(W_y·h_t)
    notes: list[Said] = field(default_factory=list)      # said in the reader's language when shown
    trained: str = ""                        # name of trained weights in use, "" if fresh

    @property
    def T(self) -> int:
        return self.X.shape[1]

    @property
    def B(self) -> int:
        return self.X.shape[0]

    def overflow(self) -> Said | None:
        """None when every value of the run is finite; else what to say: where it overflowed and why."""
        bad: list[tuple[int, int]] = []             # (first t with a non-finite value, layer)
        for stack in self.trace.layers:
            for lt in stack:
                steps_ok = np.isfinite(lt.h).all(axis=(1, 2))              # (T,)
                if not steps_ok.all():
                    bad.append((int(np.argmin(steps_ok)), lt.layer))
        if not bad:
            return None
        t, layer = min(bad)
        why = "overflow.relu" if CELL_TABLE[self.config.cell].nonlinearity == "relu" else "overflow.large"
        return Said("overflow", {"t": t, "layer": layer, "why": Said(why)})

    def saturation(self) -> Said | None:
        """None unless most h_t of a tanh RNN sit near ±1; then why (lesson 000's point), and what to change."""
        if CELL_TABLE[self.config.cell].nonlinearity != "tanh":
            return None
        hs = [lt.h for layer in self.trace.layers for lt in layer]
        share = sum(int(np.count_nonzero(np.abs(h) > SATURATED)) for h in hs) / sum(h.size for h in hs)
        if share < 0.5:
            return None
        c = self.config
        if self.trained:
            cause, change = Said("saturated.cause.trained"), Said("saturated.change.trained")
        elif c.init == "uniform":
            cause, change = Said("saturated.cause.uniform"), Said("saturated.change.uniform")
        else:
            cause, change = Said("saturated.cause.scale", {"scale": f"{c.scale:g}"}), Said("saturated.change.scale")
        return Said("saturated", {"share": f"{share:.0%}", "limit": SATURATED, "cause": cause, "change": change})
