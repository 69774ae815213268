"""Weights edited by hand: a compact list a link can carry, read and applied to a network's copy.

One edit is `<matrix><row>.<col>=<value>` for Wx and Wh, `b<row>=<value>` for the bias b = b_ih + b_hh, or
`<matrix>=<value>` for the whole matrix ("set Wh to zero": `Wh=0`); `@<layer>` (and `r` for the backward
direction) picks another layer: `Wh0.1=0.5`, `b3=-1`, `Wx2.0=1@1r`. Edits are apart by commas. The weights shown
in the figures are the edited ones, so every figure follows an edit at once.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import regex

from .engine import Network, param_name
from .text import some
from .words import Problem, Said

MAX_EDITS = 64          # more than this travel as a weights file, not in a link
MAX_VALUE = 100.0       # |value| of an edited weight: beyond it tanh is flat and float32 overflows soon after
MATRICES = ("Wx", "Wh", "b")
_EDIT = regex.compile(r"^(Wx|Wh|b)(?:(\d{1,5})(?:\.(\d{1,5}))?)?=([-+0-9.eE]{1,24})(?:@(\d)(r?))?$")


@dataclass(frozen=True)
class Edit:
    """One weight (or a whole matrix when row is None) set to a value."""

    matrix: str                     # "Wx" | "Wh" | "b"
    row: int | None
    col: int | None
    value: float
    layer: int = 0
    reverse: bool = False

    def __str__(self) -> str:
        where = "" if self.row is None else f"{self.row}" + ("" if self.col is None else f".{self.col}")
        at = f"@{self.layer}{'r' if self.reverse else ''}" if self.layer or self.reverse else ""
        return f"{self.matrix}{where}={self.value:g}{at}"

    @property
    def place(self) -> tuple:
        return (self.matrix, self.row, self.col, self.layer, self.reverse)


def parse(text: str) -> list[Edit]:
    """A link's edits; a Problem naming the first that cannot be read."""
    edits: dict[tuple, Edit] = {}
    parts = [p.strip() for p in str(text).split(",") if p.strip()]
    if len(parts) > MAX_EDITS:
        raise Problem("edits.too_many", n=len(parts), most=MAX_EDITS)
    for part in parts:
        m = _EDIT.match(part)
        if not m:
            raise Problem("edits.unreadable", edit=part[:30])
        matrix, row, col, value, layer, rev = m.groups()
        try:
            v = float(value)
        except ValueError:
            raise Problem("edits.unreadable", edit=part[:30]) from None
        if not math.isfinite(v) or abs(v) > MAX_VALUE:
            raise Problem("edits.value", edit=part[:30], most=f"{MAX_VALUE:g}")
        if matrix == "b" and col is not None:
            raise Problem("edits.unreadable", edit=part[:30])
        if matrix != "b" and row is not None and col is None:
            raise Problem("edits.unreadable", edit=part[:30])
        edit = Edit(matrix, None if row is None else int(row), None if col is None else int(col), v,
                    int(layer or 0), rev == "r")
        edits.pop(edit.place, None)                 # the latest edit of a place wins
        edits[edit.place] = edit
    return list(edits.values())


def text(edits: list[Edit]) -> str:
    return ",".join(str(e) for e in edits)


def misfit(net: Network, e: Edit) -> Said | None:
    """Why an edit does not fit `net` (a layer or a place it lacks), or None when it fits."""
    if e.layer >= net.num_layers or (e.reverse and not net.bidirectional):
        return Said("edits.no_layer", {"edit": str(e), "L": net.num_layers})
    if e.matrix == "b":
        size = len(net.params[param_name("bias_ih", e.layer, e.reverse)])
        return Said("edits.outside", {"edit": str(e), "shape": f"({size},)"}) \
            if e.row is not None and e.row >= size else None
    shape = net.params[param_name(weight_of(e), e.layer, e.reverse)].shape
    if e.row is not None and (e.row >= shape[0] or e.col is None or e.col >= shape[1]):
        return Said("edits.outside", {"edit": str(e), "shape": str(shape)})
    return None


def weight_of(e: Edit) -> str:
    """PyTorch's name of the edited matrix (before its layer suffix): Wx is weight_ih, Wh weight_hh."""
    return {"Wx": "weight_ih", "Wh": "weight_hh"}[e.matrix]


def apply(net: Network, edits: list[Edit]) -> tuple[Network, list[Said]]:
    """A copy of `net` with the edits applied, and a note for each edit that does not fit it (skipped)."""
    if not edits:
        return net, []
    params = {k: np.array(v, copy=True) for k, v in net.params.items()}
    notes = []
    for e in edits:
        note = misfit(net, e)
        if note is not None:
            notes.append(note)
            continue
        rows = slice(None) if e.row is None else e.row
        if e.matrix == "b":
            b_ih, b_hh = params[param_name("bias_ih", e.layer, e.reverse)], params[param_name("bias_hh", e.layer, e.reverse)]
            b_ih[rows] = e.value - b_hh[rows]           # the figure's b is b_ih + b_hh
        else:
            params[param_name(weight_of(e), e.layer, e.reverse)][(rows, slice(None) if e.col is None else e.col)] = e.value
    return replace(net, params=params), notes


def changed(edits: list[Edit], matrix: str, layer: int, reverse: bool) -> list[tuple[int | None, int | None]]:
    """The cells of one matrix an edit changed: (row, col), None for a whole row or matrix."""
    return [(e.row, e.col) for e in edits if e.matrix == matrix and e.layer == layer and e.reverse == reverse]


def describe(edits: list[Edit]) -> str:
    return some([str(e) for e in edits], 8)
