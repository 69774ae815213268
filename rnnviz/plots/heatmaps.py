"""Heatmaps of weights, inputs, hidden states, gates and cell states, with a diverging scale centred at 0."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ..engine import LayerTrace, Network
from ..engine.registry import CELL_TABLE
from ..words import say
from .literal import shown
from .marks import step_box
from .theme import DIVERGING, base_layout, look


def symmetric_range(*arrays) -> float:
    """One range for the whole figure: ±max|value| (at least a small epsilon), so colour means the same everywhere."""
    m = max((_finite_max_abs(np.asarray(a)) for a in arrays if np.size(a)), default=0.0)
    return m if m > 0 else 1e-6


def _finite_max_abs(a: np.ndarray) -> float:
    """max |a| over the finite values: overflowed values get no say (copied out only when there are some)."""
    m = float(np.max(np.abs(a)))
    if np.isfinite(m):
        return m
    finite = a[np.isfinite(a)]
    return float(np.max(np.abs(finite))) if finite.size else 0.0


def time_labels(tokens: list[str]) -> list[str]:
    """Unique axis labels 't=0 h' (plotly merges equal category labels)."""
    return [f"{t}:{shown(tok)}" for t, tok in enumerate(tokens)]


MAX_TEXT_ROWS = 48      # more rows than this show their numbers on hover only
def wrapped(label: str, width: int = 10) -> str:
    """A long time label "t:token" on lines of about `width` characters, t on the first ("0:0.1, 0.2, 0.3, 0.4"
    side by side ran into its neighbours at 1024 px)."""
    if len(label) <= width:
        return label
    t, _, token = label.partition(":")
    lines: list[str] = []
    for word in token.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join([t + ":", *lines])


LABEL_ROWS = 20         # up to this many rows, every row gets its own label
MAX_PLOT = 1000         # px: a figure grows for its rows up to this plot height, then labels thin out
MARGINS = 110           # layout_base's top and bottom margins


def fitted_height(rows: int, present: bool, text: bool, labelled: bool) -> int:
    """A heatmap's height: each row tall enough for its number (text) or its label, and never below the usual."""
    lk = look(present)
    per_row = lk.cell_text_size + 6 if text else lk.font_size + 3 if labelled else 0
    return max(lk.height, min(rows * per_row, MAX_PLOT) + MARGINS)


def label_every(rows: int, present: bool) -> int:
    """Label every k-th row, so labels of one font size never overlap in MAX_PLOT pixels."""
    return -(-rows * (look(present).font_size + 3) // MAX_PLOT)


def heatmap(z: np.ndarray, x: list, y: list, zmax: float, name: str, hover: str, show_text: bool,
            present: bool = False, colorbar: bool = True) -> go.Heatmap:
    """A heatmap trace with exact hover values and an optional number in every cell."""
    return go.Heatmap(z=z, x=x, y=y, zmin=-zmax, zmax=zmax, zmid=0, colorscale=DIVERGING, name=name,
                      hovertemplate=hover + "<extra></extra>", showscale=colorbar,
                      texttemplate="%{z:.2f}" if show_text else None,
                      textfont=dict(size=look(present).cell_text_size), xgap=1, ygap=1)


def matrix_figure(M: np.ndarray, title: str, row_name: str, col_name: str, col_labels=None,
                  present: bool = False) -> go.Figure:
    """A weight matrix (rows × columns), e.g. Wx (G·H × I) with units down and inputs across."""
    M = np.atleast_2d(M)
    rows = [f"{row_name} {i}" for i in range(M.shape[0])]
    cols = col_labels or [f"{col_name} {j}" for j in range(M.shape[1])]
    text = M.size <= 400 and M.shape[0] <= MAX_TEXT_ROWS
    # the row and column labels already say "unit 3", "input 1": hover shows them as they are
    fig = go.Figure(heatmap(M, cols, rows, symmetric_range(M), title,
                            f"%{{y}}, %{{x}}<br>{title} = %{{z:.6g}}", text, present))
    fig.update_yaxes(autorange="reversed", title=row_name, type="category")
    fig.update_xaxes(title=col_name, type="category")
    return base_layout(fig, title, present, fitted_height(M.shape[0], present, text, labelled=True))


EDITED = "#2b8a3e"       # the outline of a weight edited by hand


def outline_edits(fig: go.Figure, cells: list, shape: tuple[int, int]) -> go.Figure:
    """Outline the cells a user edited by hand ((row, col); None for a whole row or matrix)."""
    for row, col in cells:
        r0, r1 = (-0.5, shape[0] - 0.5) if row is None else (row - 0.5, row + 0.5)
        c0, c1 = (-0.5, shape[1] - 0.5) if col is None else (col - 0.5, col + 0.5)
        fig.add_shape(type="rect", x0=c0, x1=c1, y0=r0, y1=r1, line=dict(color=EDITED, width=3), name="edited")
    return fig


def weights_figures(net: Network, layer: int, reverse: bool, vocab_labels=None, present=False,
                    edited: dict[str, list] | None = None) -> list[go.Figure]:
    """Wx, Wh and b = b_ih + b_hh of one layer and direction; gate blocks named in the row labels; weights edited
    by hand outlined."""
    edited = edited or {}
    Wx, Wh, b_ih, b_hh = net.weights(layer, reverse)
    H = net.hidden_size
    gates = CELL_TABLE[net.cell].gates
    row_labels = [f"{gates[k // H]}{k % H}" if gates else f"{k}" for k in range(Wx.shape[0])]
    suffix = f"_l{layer}{'_reverse' if reverse else ''}"
    in_labels = [shown(v) for v in vocab_labels] if vocab_labels and layer == 0 and len(vocab_labels) == Wx.shape[1] \
        else None
    # Gate and unit names, thinned when rows are many: every k-th unit of each gate block, from its unit 0.
    every = next((d for d in range(label_every(len(row_labels), present), H + 1) if H % d == 0), H)
    keep = [k for k in range(len(row_labels)) if k % H % every == 0]
    unit = say("axis.unit")
    ticks = dict(ticktext=[row_labels[k] for k in keep], tickvals=[f"{unit} {k}" for k in keep])
    figs = []
    for M, title, col_name, cols in [(Wx, f"Wx = weight_ih{suffix}", say("axis.input"), in_labels),
                                     (Wh, f"Wh = weight_hh{suffix}", say("axis.from_unit"), None)]:
        fig = matrix_figure(M, f"{title}  {M.shape}", unit, col_name, cols, present)
        figs.append(outline_edits(fig.update_yaxes(**ticks), edited.get(title[:2], []), M.shape))
    b = (b_ih + b_hh)[:, None]
    fig = matrix_figure(b, f"b = bias_ih{suffix} + bias_hh{suffix}  ({b.shape[0]},)", unit, say("axis.bias"), ["b"],
                        present)
    figs.append(outline_edits(fig.update_yaxes(**ticks), [(r, None) for r, _ in edited.get("b", [])], b.shape))
    return figs


def over_time_figure(values: np.ndarray, tokens: list[str], title: str, unit_name: str, t: int | None,
                     zmax: float | None = None, present: bool = False, row_labels: list[str] | None = None) -> go.Figure:
    """(T, N) values over time as an N × T heatmap: tokens along x, units (or row_labels) along y, the current step
    outlined."""
    T, N = values.shape
    x = time_labels(tokens)
    zmax = zmax or symmetric_range(values)
    text = T * N <= 300 and N <= MAX_TEXT_ROWS
    fig = go.Figure(heatmap(values.T, x, list(range(N)), zmax, title,
                            f"t %{{x}}<br>{unit_name} %{{y}}<br>{say('hover.value')} %{{z:.6g}}", text, present))
    fig.update_xaxes(title=say("axis.time_token"), type="category", tickangle=0 if T <= 20 else -60)
    if row_labels:                                      # every label while they fit, else every k-th
        every = label_every(N, present)
        fig.update_yaxes(tickvals=list(range(0, N, every)), ticktext=row_labels[::every])
    else:
        fig.update_yaxes(dtick=1 if N <= LABEL_ROWS else None)
    fig.update_yaxes(title=unit_name, autorange="reversed")
    if t is not None:
        fig.add_shape(step_box(t))
    labelled = bool(row_labels) or N <= LABEL_ROWS
    return base_layout(fig, title, present, fitted_height(N, present, text, labelled))


def layer_figures(lt: LayerTrace, tokens: list[str], row: int, t: int | None, present: bool = False) -> list[go.Figure]:
    """Hidden states, and for LSTM the cell states and every gate, for GRU every gate, over time."""
    where = say("fig.where.backward" if lt.reverse else "fig.where", layer=lt.layer)
    unit = say("axis.unit")
    figs = [over_time_figure(lt.h[:, row], tokens, say("fig.hidden", T=lt.h.shape[0], H=lt.h.shape[2], where=where),
                             unit, t, present=present)]
    if lt.c is not None:
        figs.append(over_time_figure(lt.c[:, row], tokens, say("fig.cell", where=where), unit, t, present=present))
    for g, v in lt.gates.items():
        figs.append(over_time_figure(v[:, row], tokens, say("fig.gate", gate=say(f"gate.{lt.cell}.{g}"), where=where),
                                     unit, t, 1.0, present))
    return figs


def input_figure(X: np.ndarray, tokens: list[str], t: int | None, col_labels=None, present=False) -> go.Figure:
    """The input matrix X (T × I): one row x_t per token."""
    names = [f"{i}: {shown(v)}" for i, v in enumerate(col_labels)] if col_labels and len(col_labels) == X.shape[1] \
        else None
    return over_time_figure(X, tokens, say("fig.input", T=X.shape[0], I=X.shape[1]), say("axis.input_feature"), t,
                            present=present, row_labels=names)
