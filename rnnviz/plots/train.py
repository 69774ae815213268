"""Training figures: loss and accuracy as they grow, and the gradient reaching each timestep."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .theme import CATEGORICAL, SEQUENTIAL, base_layout


def curves_figure(runs: dict[str, tuple[list[int], list[float], list[float]]], present=False) -> go.Figure:
    """Loss (left) and accuracy (right) against step, one colour per run."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=["loss (cross-entropy)", "accuracy"], horizontal_spacing=0.1)
    for k, (name, (steps, loss, acc)) in enumerate(runs.items()):
        color = CATEGORICAL[k % len(CATEGORICAL)]
        fig.add_trace(go.Scatter(x=steps, y=loss, name=name, mode="lines", line=dict(color=color, width=2),
                                 legendgroup=name, hovertemplate="step %{x}<br>loss %{y:.4f}<extra>" + name + "</extra>"),
                      row=1, col=1)
        fig.add_trace(go.Scatter(x=steps, y=acc, name=name, mode="lines", line=dict(color=color, width=2),
                                 legendgroup=name, showlegend=False,
                                 hovertemplate="step %{x}<br>accuracy %{y:.1%}<extra>" + name + "</extra>"), row=1, col=2)
    fig.update_xaxes(title="step")
    fig.update_yaxes(rangemode="tozero", row=1, col=1)
    fig.update_yaxes(range=[0, 1.02], tickformat=".0%", row=1, col=2)
    return base_layout(fig, "training curves", present)


def grad_heatmap(steps: list[int], norms: np.ndarray, tokens: list[str] | None, title: str, present=False) -> go.Figure:
    """‖dL/dh_t‖ (log10) over training steps × timesteps: where the gradient fades."""
    norms = np.asarray(norms, dtype=float)
    logn = np.log10(np.maximum(norms, 1e-30))
    x = [f"{t}:{tok}" for t, tok in enumerate(tokens)] if tokens and len(tokens) == norms.shape[1] \
        else list(range(norms.shape[1]))
    fig = go.Figure(go.Heatmap(z=logn, x=x, y=steps, colorscale=SEQUENTIAL, zmax=float(logn.max()),
                               zmin=max(float(logn.max()) - 12, float(logn.min())),
                               colorbar=dict(title="log10 ‖dL/dh_t‖"), customdata=norms,
                               hovertemplate="step %{y}, t %{x}<br>‖dL/dh_t‖ = %{customdata:.3g}<extra></extra>"))
    fig.update_xaxes(title="timestep t", type="category")
    fig.update_yaxes(title="training step")
    return base_layout(fig, title, present)


def grad_profile_figure(profiles: dict[str, np.ndarray], present=False) -> go.Figure:
    """‖dL/dh_t‖ against t on a log scale, for the current weights of each run."""
    fig = go.Figure()
    for k, (name, norms) in enumerate(profiles.items()):
        fig.add_trace(go.Scatter(x=list(range(len(norms))), y=np.maximum(norms, 1e-30), name=name,
                                 mode="lines+markers", line=dict(color=CATEGORICAL[k % len(CATEGORICAL)]),
                                 hovertemplate="t %{x}<br>‖dL/dh_t‖ %{y:.3g}<extra>" + name + "</extra>"))
    fig.update_yaxes(type="log", title="‖dL/dh_t‖ (log scale)")
    fig.update_xaxes(title="timestep t")
    return base_layout(fig, "gradient reaching each timestep, current weights", present)
