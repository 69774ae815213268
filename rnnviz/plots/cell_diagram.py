"""The cell as the lessons draw it, with one step's numbers on every wire.

LSTM: the cell state runs along the top like a conveyor belt, c_{t−1} → ×f → + i·g → c_t → tanh → × o → h_t, and the
gates are valves fed from below by h_{t−1} and x_t. GRU: h_{t−1} runs along the top, × z → + (1 − z)·n → h_t, with
the reset gate r opening Wh_n·h_{t−1} into n. The Elman RNN: one tanh box. Each wire and gate carries a strip of its
H values (hover a cell of it: that unit's equation with the real numbers) and its mean. Every number is the engine's
trace; a plotly spec (dict) written directly, on fixed drawing coordinates (x 0…100, y 0…60).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..engine import LayerTrace, Network
from ..engine.registry import CELL_TABLE
from ..words import say
from .heatmaps import symmetric_range
from .literal import quoted
from .step import subscripted, typed_array
from .theme import DIVERGING, SEQUENTIAL, layout_base, look

STRIP = 3.2             # a strip's height in drawing units
BOX = (14.0, 31.0)      # a gate box's bottom and top
BELT, BUS = 52.0, 8.0   # the top wire (LSTM: c, GRU: h) and the input bus under the gates
HEIGHT = {False: 460, True: 600}
INK, WIRE = "#1f2430", "#6b7280"
if TYPE_CHECKING:
    from ..explored import Explored

# PyTorch's names of each block's weights and biases (torch.nn.LSTM / GRU docs): i -> ("ii", "hi")
TORCH_NAMES = {"i": ("ii", "hi"), "f": ("if", "hf"), "g": ("ig", "hg"), "o": ("io", "ho"), "r": ("ir", "hr"),
               "z": ("iz", "hz"), "n": ("in", "hn"), "a": ("ih", "hh")}


@dataclass(frozen=True)
class Part:
    """One labelled strip of values: a wire (x_t, h_{t−1}, c_t, …) or a gate (drawn in a box, a valve)."""

    name: str                 # as written on the diagram, e.g. "c_{t−1}"
    x0: float                 # the strip's left and right ends, and its height, in drawing units
    x1: float
    y: float
    values: np.ndarray        # (N,) this step's values
    hover: str                # hover template of one unit: the equation, its numbers from customdata
    terms: np.ndarray         # (N, k) the numbers the template reads (the last one: the unit's index)
    zmax: float               # the colour range ±zmax (a σ gate: 0…1)
    gate: str = ""            # the block's name for a gate ("i", "r", …): drawn in a box, with its word


def cell_spec(ex: Explored, layer: int, direction: int, row: int, t: int, present: bool) -> dict:
    """The cell of one layer and direction at step t, for one batch row, as a plotly spec."""
    lt = ex.trace.layers[layer][direction]
    t = min(max(t, 0), lt.h.shape[0] - 1)
    draw = {"LSTM": lstm_parts, "GRU": gru_parts}.get(CELL_TABLE[lt.cell].torch_class, rnn_parts)
    parts, wires, ops = draw(lt, ex.network, row, t)
    lk = look(present)
    title = say("cell.title", cell=CELL_TABLE[lt.cell].label, t=t, token=quoted(ex.rows[row][t]), layer=layer,
                row=row) + "<br><sup>" + say("cell.hint") + "</sup>"
    layout = layout_base(title, present, height=HEIGHT[present])
    layout["margin"] = dict(l=10, r=10, t=70 + 20 * present, b=10)
    layout["xaxis"] = dict(range=[0, 100], visible=False, fixedrange=True)
    layout["yaxis"] = dict(range=[-2, 60], visible=False, fixedrange=True)
    layout["showlegend"] = False
    layout["shapes"] = [*(wire_shape(w) for w in wires), *(box_shape(p) for p in parts if p.gate),
                        *(op_shape(x, y, s) for x, y, s in ops)]
    size = lk.font_size
    layout["annotations"] = [*(a for p in parts for a in part_labels(p, lt.cell, size)),
                             *(dict(x=x, y=y, text=s, showarrow=False, font=dict(size=size + 2, color=INK))
                               for x, y, s in ops),
                             *(arrow(w) for w in wires)]
    layout["meta"] = dict(layer=layer, direction=direction, row=row, present=present)     # for cell_at
    return dict(data=[strip(p) for p in parts], layout=layout)


def cell_at(spec: dict, ex: Explored, t: int) -> dict:
    """The same diagram (layer, direction, row, projector or not) drawn at step t."""
    m = spec["layout"]["meta"]
    return cell_spec(ex, m["layer"], m["direction"], m["row"], t, m["present"])


# --- the three cells --------------------------------------------------------------------------------------------

Wire = list[tuple[float, float]]           # a polyline; its last segment ends in an arrowhead
Op = tuple[float, float, str]              # a node: ×, +, tanh, 1−


def names(lt: LayerTrace) -> tuple[str, str]:
    """h_{t−1} and c_{t−1} as this direction says them (a reverse layer starts from step t + 1)."""
    s = "t+1" if lt.reverse else "t−1"
    return f"h_{{{s}}}", f"c_{{{s}}}"


def inputs(lt: LayerTrace, row: int, t: int) -> list[Part]:
    """x_t and h_{t−1} at the bottom left, feeding the bus."""
    x, hp = lt.x[t, row], lt.h_prev[t, row]
    h_name, _ = names(lt)
    return [wire_part(h_name, 2, 16, 17, hp, 1.0), wire_part("x_t", 2, 16, 3, x, symmetric_range(x))]


def wire_part(name: str, x0: float, x1: float, y: float, v: np.ndarray, zmax: float, hover: str = "",
              terms: tuple[np.ndarray, ...] | list[np.ndarray] = ()) -> Part:
    """A wire's strip; hover: its value, or an equation over `terms` (customdata[0], [1], …)."""
    return Part(name, x0, x1, y, v, hover or f"{name}[%{{customdata[{len(terms)}]}}] = %{{z:.4f}}<extra></extra>",
                with_units(terms, len(v)), zmax)


def with_units(terms, n: int) -> np.ndarray:
    return np.stack([*terms, np.arange(n)], axis=1) if len(terms) else np.arange(n)[:, None]


def gate_part(lt: LayerTrace, net: Network, row: int, t: int, k: str, x: float, width: float = 11) -> Part:
    """A gate's strip in its box: σ (or tanh) of its pre-activation, hover = the equation with this unit's numbers."""
    H = lt.h.shape[-1]
    blocks = CELL_TABLE[lt.cell].blocks
    j = blocks.index(k)
    cut = slice(j * H, (j + 1) * H)
    wx, wh, b_i, b_h = lt.Wx_x[t, row, cut], lt.Wh_h[t, row, cut], lt.b_ih[cut], lt.b_hh[cut]
    a = lt.a[t, row, cut]
    squash = "tanh" if k in ("g", "n", "a") else ("relu" if CELL_TABLE[lt.cell].nonlinearity == "relu" else "σ")
    xi, hi = TORCH_NAMES[k]
    num = lambda c: f"%{{customdata[{c}]:.3f}}"           # noqa: E731  one term of the unit's sum
    left = "h_t" if k == "a" else k
    if CELL_TABLE[lt.cell].torch_class == "GRU" and k == "n":
        r = lt.gates["r"][t, row]
        terms = [wx, b_i, r, wh, b_h, a]
        sums = f"{num(0)} + {num(1)} + {num(2)}·({num(3)} + {num(4)})"
        eq = f"n = tanh(W_{xi}·x + b_{xi} + r·(W_{hi}·h + b_{hi}))"
    else:
        terms = [wx, b_i, wh, b_h, a]
        sums = f"{num(0)} + {num(1)} + {num(2)} + {num(3)}"
        eq = f"{left} = {squash}(W_{xi}·x + b_{xi} + W_{hi}·h + b_{hi})"
    n = len(terms)
    unit = say("axis.unit")
    hover = (f"{eq}<br>= {squash}({sums})<br>= {squash}({num(n - 1)}) = %{{z:.4f}}"
             f"<extra>{unit} %{{customdata[{n}]}}</extra>")
    v = lt.h[t, row] if k == "a" else lt.gates[k][t, row]
    zmax = 1.0 if squash != "relu" else symmetric_range(v)
    return Part(f"{left} = {squash}(·)", x - width / 2, x + width / 2, 22, v, hover, with_units(terms, H), zmax, gate=k)


def lstm_parts(lt: LayerTrace, net: Network, row: int, t: int) -> tuple[list[Part], list[Wire], list[Op]]:
    """The conveyor belt c_{t−1} → ×f → +i·g → c_t, the gates under it, h_t = o·tanh(c_t) on the right."""
    assert lt.c is not None and lt.c_prev is not None, "an LSTM layer keeps c_t"
    _, c_name = names(lt)
    g = {k: v[t, row] for k, v in lt.gates.items()}          # i, f, g, o
    cp, c, h = lt.c_prev[t, row], lt.c[t, row], lt.h[t, row]
    cmax = symmetric_range(cp, c)
    e = lambda c_: f"%{{customdata[{c_}]:.3f}}"          # noqa: E731
    unit = "<extra>" + say("axis.unit") + " %{customdata[4]}</extra>"
    c_hover = f"c_t = f·{c_name} + i·g<br>= {e(0)}·{e(1)} + {e(2)}·{e(3)}<br>= %{{z:.4f}}{unit}"
    h_hover = (f"h_t = o·tanh(c_t)<br>= {e(0)}·tanh({e(1)})<br>= %{{z:.4f}}"
               f"<extra>{say('axis.unit')} %{{customdata[2]}}</extra>")
    parts = [*inputs(lt, row, t),
             wire_part(c_name, 2, 16, BELT, cp, cmax),
             wire_part("c_t", 84, 98, BELT, c, cmax, c_hover, [g["f"], cp, g["i"], g["g"]]),
             wire_part("h_t", 84, 98, 32, h, 1.0, h_hover, [g["o"], c]),
             *(gate_part(lt, net, row, t, k, x) for k, x in (("f", 24), ("i", 38), ("g", 52), ("o", 66)))]
    wires: list[Wire] = [[(16, BELT), (22.5, BELT)], [(25.5, BELT), (42.5, BELT)], [(45.5, BELT), (84, BELT)],
             [(24, BOX[1]), (24, BELT - 1.5)],                                  # f opens the valve on the belt
             [(38, BOX[1]), (38, 40), (43.5, 40)], [(52, BOX[1]), (52, 40), (46.5, 40)], [(45, 41.5), (44, BELT - 1.5)],
             [(78, BELT), (78, 46)], [(78, 42.5), (78, 35)],                      # c_t → tanh → × o
             [(66, BOX[1]), (66, 33.5), (76.5, 33.5)], [(79.5, 33.5), (84, 32.5)],
             *bus(lt, (24, 38, 52, 66))]
    ops: list[Op] = [(24, BELT, "×"), (44, BELT, "+"), (45, 40, "×"), (78, 44.5, "tanh"), (78, 33.5, "×")]
    return parts, wires, ops


def gru_parts(lt: LayerTrace, net: Network, row: int, t: int) -> tuple[list[Part], list[Wire], list[Op]]:
    """h_{t−1} along the top: × z, + (1 − z)·n, out as h_t; r opens Wh_n·h_{t−1} into n."""
    h_name, _ = names(lt)
    gate = {k: v[t, row] for k, v in lt.gates.items()}
    z, n = gate["z"], gate["n"]                                    # (r opens Wh_n·h into n: its own part)
    hp, h = lt.h_prev[t, row], lt.h[t, row]
    e = lambda c_: f"%{{customdata[{c_}]:.3f}}"          # noqa: E731
    h_hover = (f"h_t = (1 − z)·n + z·{h_name}<br>= (1 − {e(0)})·{e(1)} + {e(0)}·{e(2)}<br>= %{{z:.4f}}"
               f"<extra>{say('axis.unit')} %{{customdata[3]}}</extra>")
    parts = [*inputs(lt, row, t),
             wire_part(h_name, 2, 16, BELT, hp, 1.0),
             wire_part("h_t", 84, 98, BELT, h, 1.0, h_hover, [z, n, hp]),
             *(gate_part(lt, net, row, t, k, x, 15) for k, x in (("z", 30), ("r", 50), ("n", 70)))]
    wires: list[Wire] = [[(16, BELT), (28.5, BELT)], [(31.5, BELT), (68.5, BELT)], [(71.5, BELT), (84, BELT)],
             [(30, BOX[1]), (30, BELT - 1.5)],                                  # z on the top wire
             [(30, 40), (38, 40)], [(42, 40), (68.5, 40)],                      # 1 − z to n's ×
             [(70, BOX[1]), (70, 38.5)], [(70, 41.5), (70, BELT - 1.5)],         # n → × (1 − z) → +
             [(57.5, 22), (62.5, 22)],                                          # r opens Wh_n·h into n
             *bus(lt, (30, 50, 70))]
    ops: list[Op] = [(30, BELT, "×"), (70, BELT, "+"), (40, 40, "1−"), (70, 40, "×")]
    return parts, wires, ops


def rnn_parts(lt: LayerTrace, net: Network, row: int, t: int) -> tuple[list[Part], list[Wire], list[Op]]:
    """One tanh (or relu) box: h_t = tanh(W_ih·x_t + b_ih + W_hh·h_{t−1} + b_hh)."""
    box = gate_part(lt, net, row, t, "a", 50)
    h = lt.h[t, row]
    parts = [*inputs(lt, row, t), box, wire_part("h_t", 84, 98, 40, h, box.zmax)]
    wires: list[Wire] = [[(50, BOX[1]), (50, 40), (84, 40)], *bus(lt, (50,))]
    return parts, wires, []


def bus(lt: LayerTrace, xs: tuple[float, ...]) -> list[Wire]:
    """h_{t−1} and x_t joined on the bus, and a branch up into each gate's box."""
    join: list[Wire] = [[(16, 17), (18, 17), (18, BUS)], [(16, 3), (18, 3), (18, BUS)], [(18, BUS), (max(xs), BUS)]]
    return join + [[(x, BUS), (x, BOX[0])] for x in xs]


# --- drawing ----------------------------------------------------------------------------------------------------

def strip(p: Part) -> dict:
    """A strip's heatmap: its N values side by side between x0 and x1, hover per unit."""
    N = max(len(p.values), 1)
    dx = (p.x1 - p.x0) / N
    sigma = p.gate and p.name.split("= ")[-1].startswith("σ")
    colours = (dict(zmin=0, zmax=1, colorscale=SEQUENTIAL) if sigma else
               dict(zmin=-p.zmax, zmax=p.zmax, zmid=0, colorscale=DIVERGING))
    return dict(type="heatmap", z=typed_array(p.values[None, :]), x0=p.x0 + dx / 2, dx=dx, y0=p.y, dy=STRIP,
                customdata=np.round(p.terms.astype(np.float64), 6)[None].tolist(), hovertemplate=p.hover,
                showscale=False, xgap=1 if N <= 64 else 0, name=p.gate or p.name, **colours)


def part_labels(p: Part, cell: str, size: int) -> list[dict]:
    """The name (a gate: its word too) above the strip and the mean under it."""
    mean = float(np.mean(p.values)) if p.values.size else 0.0
    x = (p.x0 + p.x1) / 2
    name = subscripted(p.name)
    if p.gate and p.gate != "a":        # the gate's word over its equation, a little smaller to fit the box
        name = f"<span style='font-size:{size - 2}px'>{say(f'gate.{cell}.{p.gate}')}</span><br>{name}"
    top = dict(x=x, y=p.y + STRIP / 2 + 0.6, text=name, showarrow=False, yanchor="bottom",
               font=dict(size=size, color=INK))
    under = dict(x=x, y=p.y - STRIP / 2 - 0.6, text=say("cell.mean", mean=f"{mean:.3f}"), showarrow=False,
                 yanchor="top", font=dict(size=size - 2, color=INK))
    return [top, under]


def box_shape(p: Part) -> dict:
    """A gate as a valve: a rounded box around its strip and words."""
    return dict(type="rect", x0=p.x0 - 0.9, x1=p.x1 + 0.9, y0=BOX[0], y1=BOX[1], line=dict(color=INK, width=1.5),
                fillcolor="rgba(0,114,178,0.06)", layer="below")


def op_shape(x: float, y: float, symbol: str) -> dict:
    """A node of the diagram (×, +, tanh, 1−): a circle, wider for a word."""
    w = 1.5 if len(symbol) == 1 else 3.2
    return dict(type="circle", x0=x - w, x1=x + w, y0=y - 1.6, y1=y + 1.6, line=dict(color=INK, width=1.2),
                fillcolor="white", layer="below")


def wire_shape(w: Wire) -> dict:
    """A wire's polyline, without its last segment (an arrow draws that)."""
    path = " ".join(f"{'M' if k == 0 else 'L'} {x} {y}" for k, (x, y) in enumerate(w[:-1]))
    return dict(type="path", path=path, line=dict(color=WIRE, width=1.5), layer="below")


def arrow(w: Wire) -> dict:
    """The last segment of a wire, as an arrow into where it goes."""
    (x0, y0), (x1, y1) = w[-2], w[-1]
    return dict(x=x1, y=y1, ax=x0, ay=y0, xref="x", yref="y", axref="x", ayref="y", text="", showarrow=True,
                arrowhead=2, arrowsize=1, arrowwidth=1.5, arrowcolor=WIRE, standoff=0)
