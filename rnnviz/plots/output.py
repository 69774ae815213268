"""The output layer's next-token probabilities, and the hidden-state path in 2-D."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ..words import say
from .heatmaps import MAX_PLOT, time_labels, wrapped
from .literal import reading, shown
from .marks import ring, step_box
from .theme import CATEGORICAL, SEQUENTIAL, base_layout, look

MAX_READ = 60        # characters of the argmax reading in a title (all of it is in the heatmap and on hover)


def probs_figure(probs: np.ndarray, tokens: list[str], vocab: list[str], t: int | None, present=False,
                 targets: list[str] | None = None) -> go.Figure:
    """(T, V) softmax outputs as a V × T heatmap: at each step, the probability of every next token."""
    T, V = probs.shape
    fig = go.Figure(go.Heatmap(z=probs.T, x=time_labels(tokens), y=[shown(v) for v in vocab], zmin=0, zmax=1,
                               colorscale=SEQUENTIAL, colorbar=dict(title="p"), xgap=1, ygap=1,
                               texttemplate="%{z:.2f}" if T * V <= 200 else None,
                               hovertemplate=say("hover.after_next") + "<br>p = %{z:.4f}<extra></extra>"))
    if t is not None:
        fig.add_shape(step_box(t))
    fig.update_yaxes(title=say("axis.next_token"), type="category", autorange="reversed")
    fig.update_xaxes(title=say("axis.time_token"), type="category", tickangle=0 if T <= 20 else -60)
    best = probs.argmax(-1)
    # cut at MAX_READ characters: a long text's reading would run off the figure's edge
    predicted = reading([vocab[i] for i in best], "" if len(max(vocab, key=len)) <= 1 else " ", MAX_READ)
    base_layout(fig, say("fig.probs") + "<br><sup>" + say("fig.probs.reads", reading=predicted) + "</sup>",
                present, height=max(look(present).height, min(22 * V, MAX_PLOT) + 140))
    return fig.update_layout(margin_t=80)              # room for the title's second line


def last_step_figure(p: np.ndarray, vocab: list[str], present=False) -> go.Figure:
    """Many-to-one: the probability of each token after the last step."""
    order = np.argsort(-p)[:30]
    fig = go.Figure(go.Bar(x=[shown(vocab[i]) for i in order], y=p[order], marker_color=CATEGORICAL[0],
                           hovertemplate="%{x}: p = %{y:.4f}<extra></extra>", text=[f"{v:.2f}" for v in p[order]],
                           textposition="outside"))
    fig.update_yaxes(title=say("axis.probability"), range=[0, 1.15])       # room for a bar's "1.00" above it
    fig.update_xaxes(title=say("axis.token"), type="category")
    return base_layout(fig, say("fig.last.top30" if len(p) > 30 else "fig.last"), present)


def output_at_figure(p: np.ndarray, labels: list[str], t: int, present=False) -> go.Figure:
    """The output layer's values after step t, as bars (top 30): it follows t as the other figures do."""
    order = np.argsort(-p)[:30]
    fig = go.Figure(go.Bar(x=[shown(labels[i]) for i in order], y=p[order], marker_color=CATEGORICAL[1],
                           hovertemplate="%{x}: %{y:.4f}<extra></extra>", text=[f"{v:.2f}" for v in p[order]],
                           textposition="outside"))
    fig.update_yaxes(title=say("axis.probability"), range=[0, 1.15])
    fig.update_xaxes(title=say("axis.token"), type="category")
    return base_layout(fig, say("fig.output_at", t=t), present, height=round(0.8 * look(present).height))


def sigmoid_figures(y: np.ndarray, tokens: list[str], t: int | None, present=False) -> list[go.Figure]:
    """Typed numbers (lesson 001): y_t = σ(W_y·h_t), (T, O), at every step and at the last one."""
    T, O = y.shape
    names = [f"y{o}" for o in range(O)]
    x = time_labels(tokens)
    ticks = [wrapped(s) for s in x] if T <= 20 else x       # a typed line of numbers on lines of its own
    lines = max(s.count("<br>") for s in ticks)
    steps = go.Figure(go.Heatmap(z=y.T, x=x, y=names, zmin=0, zmax=1, colorscale=SEQUENTIAL,
                                 colorbar=dict(title=dict(text="y", side="right"), tickvals=[0, 0.5, 1]), xgap=1, ygap=1,
                                 texttemplate="%{z:.3f}" if T * O <= 200 else None,
                                 hovertemplate=say("hover.after") + "<br>%{y} = %{z:.6g}<extra></extra>"))
    if t is not None:
        steps.add_shape(step_box(t))
    steps.update_yaxes(title=say("axis.output"), type="category", autorange="reversed")
    steps.update_xaxes(title=say("axis.time_x"), type="category", tickangle=0 if T <= 20 else -60,
                       tickvals=x, ticktext=ticks)
    base_layout(steps, say("fig.sigmoid"), present,      # a row per output, not more; and the labels' lines
                height=round(max(0.65 * look(present).height, 28 * O + 170) + (look(present).font_size + 4) * lines))
    steps.update_layout(margin_b=50 + (look(present).font_size + 4) * lines)
    last = go.Figure(go.Bar(x=names, y=y[-1], marker_color=CATEGORICAL[0], text=[f"{v:.4f}" for v in y[-1]],
                            textposition="outside", hovertemplate="%{x} = %{y:.6g}<extra></extra>"))
    last.update_yaxes(title="σ(W_y·h_T)", range=[0, 1.15])
    last.update_xaxes(title=say("axis.output"), type="category")
    base_layout(last, say("fig.sigmoid.last"), present)
    return [steps, last]


def output_figures(probs: np.ndarray, tokens: list[str], vocab: list[str], t: int | None, present=False,
                   numbers: bool = False) -> list[go.Figure]:
    """The output layer at every step and at the last: softmax over the vocabulary, or (typed numbers) σ(W_y·h_t)."""
    if numbers:
        return sigmoid_figures(probs, tokens, t, present)
    return [probs_figure(probs, tokens, vocab, t, present), last_step_figure(probs[-1], vocab, present)]


def path_figure(coords: np.ndarray, variance: np.ndarray, tokens: list[str], t: int | None, present=False) -> go.Figure:
    """h_t projected on its two principal axes, joined in time order, labelled with tokens."""
    T = len(tokens)
    fig = go.Figure(go.Scatter(
        x=coords[:, 0], y=coords[:, 1], mode="lines+markers+text" if T <= 60 else "lines+markers",
        text=[shown(s) for s in tokens], textposition="top center",
        marker=dict(size=look(present).cell_text_size, color=list(range(T)), colorscale=SEQUENTIAL,
                    colorbar=dict(title="t"), showscale=True),
        line=dict(color="#adb5bd", width=1.5), customdata=list(range(T)),
        hovertemplate="t=%{customdata} %{text}<br>PC1 %{x:.4f}<br>PC2 %{y:.4f}<extra></extra>"))
    if t is not None:
        fig.add_trace(ring(coords[t, 0], coords[t, 1]))
    fig.update_xaxes(title=say("axis.pc", k=1, share=f"{variance[0]:.0%}"), zeroline=True)
    fig.update_yaxes(title=say("axis.pc", k=2, share=f"{variance[1]:.0%}"), zeroline=True)
    fig.update_layout(showlegend=False)
    return base_layout(fig, say("fig.path"), present)
