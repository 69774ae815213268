"""Backpropagation through time as a figure: dL/dh_t arriving as t moves back, split by where it comes from.

Top: for every t, the norm of the part from the output at t (a lower layer: from the layer above), of the part from
the next step (h_{t+1}; h_{t−1} for a reverse direction) and of the whole dL/dh_t, on a log scale, so a vanishing
gradient shows as a slope. Bottom: the next step's part through each gate (GRU: and its direct path z), and for the
LSTM dL/dc_t, through f from c_{t+1} and through h_t. Steps the backward pass has not reached yet are pale. Every
number comes from rnnviz.engine.bptt (the engine's backward, equal to torch).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ..engine import CELL_TABLE
from ..engine.bptt import Backward, backward, next_targets
from ..words import say
from .heatmaps import time_labels
from .literal import quoted
from .marks import step_box
from .step import subscripted
from .theme import CATEGORICAL, SEQUENTIAL, layout_base, look

if TYPE_CHECKING:
    from ..explored import Explored

def explored_backward(ex: Explored, loss: str, layer: int = 0, direction: int = 0) -> Backward:
    """BPTT of an Explore run: next-token cross-entropy (typed numbers: the sum of the outputs) at the last or every step."""
    typed = ex.config.enc == "numbers"
    top = ex.trace.hidden_states(-1).swapaxes(0, 1)             # (B, T, D·H)
    return backward(ex.network, ex.trace, top, ex.W_out, ex.b_out, None if typed else next_targets(ex.ids), loss,
                    layer, direction)


def norms(v: np.ndarray, row: int) -> np.ndarray:
    """‖v_t‖ of one batch row, every t: (T,)."""
    return np.sqrt((v[:, row].astype(np.float64) ** 2).sum(axis=-1))


def parts(bw: Backward, cell: str, reverse: bool, row: int) -> list[tuple[str, np.ndarray]]:
    """The bottom rows: (name, ‖part‖ over t) for each gate's share of the next step's part; LSTM: dL/dc_t's."""
    nxt = "t−1" if reverse else "t+1"
    rows = [(say("bptt.row.via", gate=k, step=nxt) if k != "direct" else say("bptt.row.direct", step=nxt), norms(v, row))
            for k, v in bw.through.items()]
    if bw.dc is not None and bw.dc_from_next is not None and bw.dc_from_h is not None:
        rows += [(say("bptt.row.dc"), norms(bw.dc, row)), (say("bptt.row.dc_next", step=nxt), norms(bw.dc_from_next, row)),
                 (say("bptt.row.dc_h"), norms(bw.dc_from_h, row))]
    return rows


def backward_spec(ex: Explored, loss: str, layer: int, direction: int, row: int, t: int, present: bool) -> dict:
    """The gradient arriving at every h_t of one layer and direction, split, with step t marked; a plotly spec."""
    return backward_at(backward_base(ex, loss, layer, direction, row, present), ex, t)


def backward_base(ex: Explored, loss: str, layer: int, direction: int, row: int, present: bool) -> dict:
    """backward_spec without step t: what backward_at needs to mark any t cheaply is kept in layout.meta."""
    bw = explored_backward(ex, loss, layer, direction)
    lt = ex.trace.layers[layer][direction]
    T = lt.h.shape[0]
    x = time_labels(ex.rows[row])
    nxt = "h_{t−1}" if lt.reverse else "h_{t+1}"
    whole, out, following = norms(bw.dh, row), norms(bw.from_out, row), norms(bw.from_next, row)
    lk = look(present)
    out_name = say("bptt.from_out") if layer == len(ex.trace.layers) - 1 else say("bptt.from_above")
    hover = "%{x}<br>%{fullData.name}<br>‖·‖ = %{y:.4g}<extra></extra>"
    data: list[dict[str, Any]] = [
        dict(type="bar", x=x, y=shown(out), name=out_name, marker=dict(color=CATEGORICAL[1]),
             hovertemplate=hover, xaxis="x", yaxis="y"),
        dict(type="bar", x=x, y=shown(following), name=say("bptt.from_next", name=subscripted(nxt)),
             marker=dict(color=CATEGORICAL[0]), hovertemplate=hover, xaxis="x", yaxis="y"),
        dict(type="scatter", x=x, y=shown(whole), name=say("bptt.whole"), mode="lines+markers",
             line=dict(color=CATEGORICAL[7], width=2), hovertemplate=hover, xaxis="x", yaxis="y")]
    rows = parts(bw, lt.cell, lt.reverse, row)
    stacked = np.stack([v for _, v in rows])
    names = [n for n, _ in rows]
    data.append(dict(type="heatmap", z=[shown(v, np.log10) for v in stacked], x=x, y=names, colorscale=SEQUENTIAL,
                     xaxis="x2", yaxis="y2", customdata=[shown(v) for v in stacked], showscale=True, xgap=1, ygap=1,
                     colorbar=dict(title=dict(text="log₁₀ ‖·‖", side="right"), y=0, yanchor="bottom", len=0.42,
                                   thickness=14),
                     hovertemplate="%{x}<br>%{y}<br>‖·‖ = %{customdata:.4g}<extra></extra>"))
    head, ratio = heading(ex, bw, lt.cell, loss, layer, row, whole, lt.reverse)
    lines = 2 + bool(ratio)
    top = 30 + (lk.font_size + 10) * (lines + 1)                      # the title's lines, then the legend's row
    layout = layout_base(head, present, height=lk.height + 90 + (lk.font_size + 10) * len(rows) + top)
    # plotly anchors a title of several lines by its first line: the lines under <sup> need room pushed down
    layout["title"].update(y=1, yref="container", yanchor="top", pad=dict(t=8 + (lk.font_size + 2) * (lines - 1)))
    layout["margin"] = dict(l=60 + (lk.font_size - 1) * max(len(n) for n in names), r=20, t=top, b=60)
    layout["barmode"] = "group"
    layout["legend"] = dict(orientation="h", x=0, y=1.01, yanchor="bottom", font=dict(size=lk.font_size))
    layout["xaxis"] = dict(domain=[0, 1], anchor="y", type="category", showticklabels=False)
    layout["yaxis"] = dict(domain=[0.5, 1.0], anchor="x", type="log", title=dict(text=say("bptt.axis.norm")),
                           exponentformat="power")
    layout["xaxis2"] = dict(domain=[0, 1], anchor="y2", type="category", matches="x",
                            title=dict(text=say("axis.time_token")), tickangle=0 if T <= 20 else -60)
    layout["yaxis2"] = dict(domain=[0, 0.38], anchor="x2", autorange="reversed", type="category")
    parts_title = say("bptt.parts.lstm" if bw.dc is not None else "bptt.parts", name=subscripted(nxt))
    layout["annotations"] = [dict(text=parts_title, x=0, y=0.4, xref="paper",
                                  yref="paper", xanchor="left", yanchor="bottom", showarrow=False,
                                  font=dict(size=lk.font_size))]
    layout["meta"] = dict(head=head, ratio=ratio, row=row, reverse=lt.reverse, nxt=subscripted(nxt), out_name=out_name,
                          whole=whole.tolist(), out=out.tolist(), next=following.tolist())
    return dict(data=data, layout=layout)


def backward_at(spec: dict, ex: Explored, t: int) -> dict:
    """A copy of a backward figure at step t: t outlined, the split at t in the title, steps not reached yet pale."""
    meta = spec["layout"]["meta"]
    T = len(meta["whole"])
    t = min(max(t, 0), T - 1)
    steps = np.arange(T)
    reached = steps <= t if meta["reverse"] else steps >= t          # the backward pass has been there already
    opacity = np.where(reached, 1.0, 0.3).tolist()
    data = [{**d, "marker": {**d["marker"], "opacity": opacity}} if d["type"] == "bar" else d for d in spec["data"]]
    at = say("bptt.at", t=t, token=quoted(ex.rows[meta["row"]][t]), whole=f"{meta['whole'][t]:.3g}",
             out=f"{meta['out'][t]:.3g}", out_name=meta["out_name"], next=f"{meta['next'][t]:.3g}", name=meta["nxt"])
    text = meta["head"] + "<br><sup>" + "<br>".join(line for line in (at, meta["ratio"]) if line) + "</sup>"
    layout = {**spec["layout"], "title": {**spec["layout"]["title"], "text": text},
              "shapes": [step_box(t, "x", "y"), step_box(t, "x2", "y2")]}
    return {**spec, "data": data, "layout": layout}


def shown(v: np.ndarray, f=float) -> list[float | None]:
    """Norms for a log axis (f(norm)): an exact 0 (nothing arrives there) is left out rather than drawn at −∞, and an
    overflowed one (the page says where) rather than sent as NaN."""
    return [float(f(a)) if 0 < a < np.inf else None for a in v]


def heading(ex: Explored, bw: Backward, cell: str, loss: str, layer: int, row: int, whole: np.ndarray,
            reverse: bool) -> tuple[str, str]:
    """What is computed (the title's first line); for a loss at the last step, how much of it reaches t = 0."""
    typed = ex.config.enc == "numbers"
    counted = np.flatnonzero(bw.targets[row] >= 0)
    target = quoted(ex.vocab.tokens[bw.targets[row, counted[-1]]]) if not typed and counted.size else ""
    what = say(f"bptt.loss.{loss}{'.typed' if typed else ''}", target=target)
    head = say("bptt.title", cell=CELL_TABLE[cell].label, loss=what, layer=layer, row=row)   # type: ignore[index]
    T = len(whole)
    ratio = (say("bptt.ratio", T=T - 1, ratio=f"{whole[0] / whole[-1]:.3g}")
             if loss == "last" and not reverse and T > 1 and whole[-1] > 0 else "")     # forward: the loss at its end
    return head, ratio
