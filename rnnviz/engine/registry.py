"""The one table of recurrent cells: name, label, gates, torch class and the equations shown, in PyTorch's order.

Every module that needs to know which cells exist (engine, bridge, trainer, snippet, plots, settings, tests)
reads this table; a test fails if the list of cells is written anywhere else. Pure data: torch's class is
named by string and resolved in the bridge and the trainer, so the engine still imports only NumPy.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal, get_args

CellName = Literal["rnn_tanh", "rnn_relu", "lstm", "gru"]
TorchClass = Literal["RNN", "LSTM", "GRU"]
Nonlinearity = Literal["tanh", "relu"]


@dataclass(frozen=True)
class Cell:
    """One recurrent cell as the lessons teach it and as PyTorch builds it."""

    name: CellName                     # the link's and the code's word for it
    label: str                         # what the page calls it
    gates: tuple[str, ...]             # blocks stacked in Wx, Wh, b, in PyTorch's order; () for the Elman RNN
    torch_class: TorchClass            # torch.nn.<torch_class>
    nonlinearity: Nonlinearity | None  # nn.RNN's nonlinearity= argument; None for LSTM and GRU
    equations: tuple[str, ...]         # one step, one line per equation, as the lessons write it
    head_size: int = 16                # px of the step figure's column names: more columns, smaller names

    @property
    def G(self) -> int:
        """How many H-row blocks Wx, Wh and b stack: 1 (RNN), 4 (LSTM), 3 (GRU)."""
        return max(1, len(self.gates))

    @property
    def blocks(self) -> tuple[str, ...]:
        """The names of the G pre-activation blocks: the gates, or the Elman RNN's single a_t."""
        return self.gates or ("a",)

    @property
    def has_c(self) -> bool:
        """True if the cell carries a cell state c_t besides h_t (the LSTM)."""
        return self.torch_class == "LSTM"

    @property
    def torch_mode(self) -> str:
        """torch.nn.RNNBase.mode of this cell's module: 'RNN_TANH', 'RNN_RELU', 'LSTM', 'GRU'."""
        return f"RNN_{self.nonlinearity.upper()}" if self.nonlinearity else self.torch_class

    @property
    def torch_kwargs(self) -> dict[str, Any]:
        """The keyword arguments beyond the sizes that make torch.nn.<torch_class> this cell."""
        return {"nonlinearity": self.nonlinearity} if self.nonlinearity else {}


_PRE = "Wx_{k}·x_t + Wh_{k}·h_{{t−1}} + b_{k}"   # one gate's pre-activation, its block k of Wx, Wh and b

CELL_TABLE: dict[CellName, Cell] = {c.name: c for c in (
    Cell("rnn_tanh", "RNN (tanh)", (), "RNN", "tanh", ("h_t = tanh(Wx·x_t + Wh·h_{t−1} + b)",)),
    Cell("rnn_relu", "RNN (relu)", (), "RNN", "relu", ("h_t = relu(Wx·x_t + Wh·h_{t−1} + b)",)),
    Cell("lstm", "LSTM", ("i", "f", "g", "o"), "LSTM", None, (
        f"i = σ({_PRE.format(k='i')})", f"f = σ({_PRE.format(k='f')})", f"g = tanh({_PRE.format(k='g')})",
        f"o = σ({_PRE.format(k='o')})", "c_t = f·c_{t−1} + i·g", "h_t = o·tanh(c_t)"), head_size=12),
    Cell("gru", "GRU", ("r", "z", "n"), "GRU", None, (
        f"r = σ({_PRE.format(k='r')})", f"z = σ({_PRE.format(k='z')})",
        "n = tanh(Wx_n·x_t + b_in + r·(Wh_n·h_{t−1} + b_hn))", "h_t = (1 − z)·n + z·h_{t−1}"), head_size=14),
)}

HEAD_EQUATION = "y_t = σ(W_y·h_t)"      # lesson 001's output head over typed numbers (no bias)

CELLS: tuple[CellName, ...] = get_args(CellName)
LABELS: dict[CellName, str] = {name: c.label for name, c in CELL_TABLE.items()}
GATES: dict[CellName, tuple[str, ...]] = {name: c.blocks for name, c in CELL_TABLE.items()}   # pre-activation blocks
ONE_PER_CLASS: dict[TorchClass, CellName] = {}    # the first cell of each torch class: RNN (tanh), LSTM, GRU
for _name, _cell in CELL_TABLE.items():
    ONE_PER_CLASS.setdefault(_cell.torch_class, _name)


def cell_spec(name: object) -> Cell:
    """The table's row for a cell name, or a ValueError a student can read."""
    if not isinstance(name, str) or name not in CELL_TABLE:
        raise ValueError(f"cell must be one of {', '.join(CELLS)}, got {name!r}")
    return CELL_TABLE[name]


def latex(equation: str) -> str:
    """One of the table's equations as the lessons typeset it: W_x x_t for a matrix times a vector, ⊙ for the gates'
    element-wise products, \\sigma and \\tanh, a true minus. Said once here, drawn as text in the figures and as
    LaTeX on the lesson pages."""
    out = re.sub(r"W([xhy])_(\w+)·", r"W_{\1\2} ", equation)       # a gate's block of Wx or Wh, times a vector
    out = re.sub(r"W([xhy])·", r"W_\1 ", out)
    out = re.sub(r"W_([xhy])·", r"W_\1 ", out)
    out = re.sub(r"\bb_(\w{2,})", r"b_{\1}", out)                      # b_in, b_hn
    out = out.replace("·", r" \odot ").replace("−", "-").replace("σ", r"\sigma").replace("relu(", r"\operatorname{relu}(")
    return re.sub(r"(?<!\\)\btanh\(", r"\\tanh(", out)
