"""One-to-many figures: the plane of the encoder's contexts (where the one vector is chosen) and the decoder writing
from it, its h_t and its softmax filling in as t moves. Every number is the engine's (engine/one_to_many.py)."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..engine.one_to_many import Writing
from ..words import say
from .heatmaps import heatmap, symmetric_range
from .literal import shown
from .marks import step_box
from .theme import CATEGORICAL, MARK, base_layout, look

NUMBERS, GRID, CHOSEN = 0, 1, 2          # the plane figure's traces: a click on the first two chooses the vector


def plane_figure(coords: np.ndarray, numbers: list[int], grid: np.ndarray, chosen: tuple[float, float] | None,
                 present: bool = False) -> go.Figure:
    """Each number's context (N, 2) on the contexts' top two principal axes, a grid of points between them,
    and the chosen vector: any of them can be clicked to start the decoder from it."""
    size = look(present).font_size
    fig = go.Figure([
        go.Scatter(x=coords[:, 0], y=coords[:, 1], mode="markers+text", text=[str(n) for n in numbers],
                   textposition="top center", textfont=dict(size=size - 2), customdata=numbers,
                   marker=dict(size=9, color=CATEGORICAL[0]), name=say("s2s.o2m_numbers"),
                   hovertemplate=say("s2s.o2m_hover_number") + "<extra></extra>"),
        go.Scatter(x=grid[:, 0], y=grid[:, 1], mode="markers", marker=dict(size=7, color="#bbbbbb", opacity=0.5),
                   name=say("s2s.o2m_grid"), hovertemplate=say("s2s.o2m_hover_point") + "<extra></extra>"),
    ])
    if chosen is not None:
        fig.add_trace(go.Scatter(x=[chosen[0]], y=[chosen[1]], mode="markers", name=say("s2s.o2m_chosen"),
                                 marker=dict(size=18, color=MARK, symbol="star"), hoverinfo="skip"))
    fig.update_xaxes(title_text=say("s2s.o2m_axis", k=1), zeroline=False)
    fig.update_yaxes(title_text=say("s2s.o2m_axis", k=2), zeroline=False)
    fig.update_layout(clickmode="event+select", dragmode=False, legend=dict(orientation="h", y=-0.2))
    return base_layout(fig, say("s2s.o2m_plane_title"), present, height=int(1.4 * look(present).height))


def writing_figure(writing: Writing, vocab: list[str], t: int, present: bool = False) -> go.Figure:
    """The decoder's h_t over the tokens written up to step t (later steps empty), and p(y_t) at step t."""
    T = len(writing.ids)
    if not 0 <= t < T:
        raise ValueError(f"the decoder's step t must be between 0 and {T - 1}, got {t}")
    h = writing.decoder.layers[0][0].h[:, 0].T.astype(float)        # (H, T)
    shown_h = np.full_like(h, np.nan)
    shown_h[:, :t + 1] = h[:, :t + 1]                              # what is written so far: it fills in as t moves
    x = [f"{k}:{shown(vocab[i])}" for k, i in enumerate(writing.ids)]
    fig = make_subplots(rows=1, cols=2, column_widths=[0.62, 0.38], horizontal_spacing=0.12,
                        subplot_titles=(say("s2s.o2m_h"), say("s2s.softmax", t=t)))
    fig.add_trace(heatmap(shown_h, x, list(range(h.shape[0])), symmetric_range(h), "decoder h", say("s2s.hover_h"),
                          False, present), 1, 1)
    p = writing.probs[t]
    top = np.argsort(p)[::-1][:8]
    fig.add_trace(go.Bar(x=[shown(vocab[i]) for i in top], y=p[top], marker_color=CATEGORICAL[0],
                         hovertemplate=say("s2s.hover_p") + "<extra></extra>"), 1, 2)
    fig.update_yaxes(title_text=say("s2s.unit"), row=1, col=1)
    fig.update_xaxes(title_text=say("s2s.o2m_written"), row=1, col=1)
    fig.update_yaxes(range=[0, 1], row=1, col=2)
    fig.add_shape(step_box(t, "x", "y"))
    return base_layout(fig, say("s2s.o2m_title"), present, height=look(present).height + 80)
