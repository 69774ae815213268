"""The text lab's figures: bits per character, next-character bars, a passage coloured by a unit, a match's units."""
from __future__ import annotations

import numpy as np

from ..words import say
from .literal import shown
from .theme import CATEGORICAL, DIVERGING, layout_base, look

WRAP = 80                 # characters per row of a coloured passage
PRESENT_WRAP = 32         # ... on a projector, so each character can be drawn in projector type (it was ~6 px)


def bpc_spec(steps, train_bpc, held, present: bool = False) -> dict:
    """Bits per character against the step: the training windows' and the held-out part's."""
    held_steps, held_bpc = ([s for s, _ in held], [b for _, b in held]) if held else ([], [])
    data = [dict(type="scatter", x=list(steps), y=list(train_bpc), name=say("lab.train_curve"), mode="lines",
                 line=dict(color=CATEGORICAL[0], width=2), hovertemplate=say("lab.hover_bpc")),
            dict(type="scatter", x=held_steps, y=held_bpc, name=say("lab.held_curve"), mode="lines+markers",
                 line=dict(color=CATEGORICAL[1], width=2), hovertemplate=say("lab.hover_bpc"))]
    layout = layout_base(say("lab.curves_title"), present)
    layout.update(xaxis=dict(title=dict(text=say("lab.axis_step"))),
                  yaxis=dict(title=dict(text=say("lab.axis_bpc")), rangemode="tozero"))
    return dict(data=data, layout=layout)


def next_spec(pairs: list[tuple[str, float]], present: bool = False) -> dict:
    """The most likely next characters as bars, most likely first."""
    data = [dict(type="bar", x=[shown(c) for c, _ in pairs], y=[p for _, p in pairs],
                 marker=dict(color=CATEGORICAL[2]), hovertemplate=say("lab.hover_prob"))]
    layout = layout_base(say("lab.next_title"), present)
    layout.update(yaxis=dict(range=[0, 1], tickformat=".0%"), xaxis=dict(type="category"))
    return dict(data=data, layout=layout)


def grid(chars: list[str], values: np.ndarray, wrap: int = WRAP):
    """Characters laid out as they read: a row per line (long lines wrap). z, text and position grids."""
    rows: list[list[int]] = []
    row: list[int] = []
    for t, ch in enumerate(chars):
        row.append(t)
        if ch == "\n" or len(row) == wrap:
            rows.append(row)
            row = []
    if row:
        rows.append(row)
    z = np.full((len(rows), wrap), np.nan)
    text = [[""] * wrap for _ in rows]
    at: list[list[int | None]] = [[None] * wrap for _ in rows]
    for r, ts in enumerate(rows):
        for c, t in enumerate(ts):
            z[r, c], text[r][c], at[r][c] = values[t], shown(chars[t]), t
    return z, text, at


def passage_spec(chars: list[str], values: np.ndarray, title: str, present: bool = False) -> dict:
    """Every character of a passage coloured by one unit's activation (diverging, 0 in the middle), value on hover."""
    z, text, at = grid(chars, values, PRESENT_WRAP if present else WRAP)
    limit = float(np.nanmax(np.abs(values))) or 1.0
    size = look(present).cell_text_size
    data = [dict(type="heatmap", z=z.tolist(), text=text, customdata=at, texttemplate="%{text}",
                 **(dict(textfont=dict(size=size)) if present else {}), colorscale=DIVERGING,
                 zmin=-limit, zmax=limit, zmid=0, xgap=1, ygap=1, hovertemplate=say("lab.hover_unit"), colorbar=dict(thickness=12))]
    layout = layout_base(title, present, height=90 + (size + 11) * len(text))       # 22 px rows (33 on a projector)
    layout.update(yaxis=dict(autorange="reversed", showticklabels=False, showgrid=False),
                  xaxis=dict(showticklabels=False, showgrid=False), margin=dict(l=10, r=10, t=50, b=10))
    return dict(data=data, layout=layout)


def match_spec(chars: list[str], values: np.ndarray, units: list[int], title: str, present: bool = False) -> dict:
    """A matched span's chosen units (rows) over its characters (columns)."""
    data = [dict(type="heatmap", z=values.T.tolist(), x=list(range(len(chars))), y=[str(u) for u in units],
                 text=[[shown(c) for c in chars]] * len(units), colorscale=DIVERGING, zmin=-1, zmax=1, zmid=0,
                 hovertemplate=say("lab.hover_match"), showscale=False)]
    layout = layout_base(title, present, height=80 + 14 * len(units))
    layout.update(xaxis=dict(tickvals=list(range(len(chars))), ticktext=[shown(c) for c in chars]),
                  yaxis=dict(type="category", title=dict(text=say("lab.axis_unit"))), margin=dict(l=60, r=10, t=40, b=30))
    return dict(data=data, layout=layout)
