"""Every unit's activations over a text, from the inspectable NumPy engine on the trained torch weights."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from ..bridge import from_torch
from ..engine import CELL_TABLE
from ..text import Vocab, clean, graphemes, one_hot
from ..words import Problem

CHUNK = 2_000             # the engine runs this many steps at a time, the state carried (its trace stays small)
MAX_PASSAGE = 100_000     # characters one call may read


@dataclass(frozen=True)
class Activations:
    """What every unit did at every character: arrays (L, T, H), layer first."""

    chars: list[str]
    h: np.ndarray                       # (L, T, H) h_t
    c: np.ndarray | None                # (L, T, H) c_t, LSTM only
    gates: dict[str, np.ndarray]        # "i" | "f" | "g" | "o" (LSTM), "r" | "z" | "n" (GRU) -> (L, T, H)

    def of(self, kind: str, layer: int = 0) -> np.ndarray:
        """(T, H) of one kind ("h", "c" or a gate) in one layer."""
        if kind == "h":
            return self.h[layer]
        if kind == "c":
            if self.c is None:
                raise KeyError("c: only an LSTM has c_t")
            return self.c[layer]
        return self.gates[kind][layer]

    @property
    def kinds(self) -> tuple[str, ...]:
        return ("h",) + (("c",) if self.c is not None else ()) + tuple(self.gates)


def activations(rnn: torch.nn.RNNBase, vocab: Vocab, text: str) -> Activations:
    """Run the engine over `text` in chunks of CHUNK steps, carrying h (and c) from one chunk to the next."""
    chars = graphemes(clean(text))
    if not chars:
        raise Problem("lab.text_empty")
    if len(chars) > MAX_PASSAGE:
        raise Problem("lab.passage_too_long", n=len(chars), limit=MAX_PASSAGE)
    index = vocab.index
    ids = np.array([index.get(c, 0) for c in chars], np.int64)
    net = from_torch(rnn)
    L, T, H = net.num_layers, len(ids), net.hidden_size
    lstm = CELL_TABLE[net.cell].has_c
    h = np.empty((L, T, H), net.dtype)
    c = np.empty((L, T, H), net.dtype) if lstm else None
    gates: dict[str, np.ndarray] = {}
    h0 = c0 = None
    for begin in range(0, T, CHUNK):
        x = one_hot(ids[begin:begin + CHUNK], len(vocab))[None]             # (1, T', V)
        trace = net.forward(x, h0, c0)
        h0, c0 = trace.h_n, trace.c_n
        end = begin + x.shape[1]
        for layer, (lt,) in enumerate(trace.layers):
            h[layer, begin:end] = lt.h[:, 0]
            if c is not None and lt.c is not None:                          # an LSTM: both are there
                c[layer, begin:end] = lt.c[:, 0]
            for name, value in lt.gates.items():
                gates.setdefault(name, np.empty((L, T, H), net.dtype))[layer, begin:end] = value[:, 0]
    return Activations(chars, h, c, gates)
