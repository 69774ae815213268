"""Training figures: loss and accuracy as they grow, and the gradient reaching each timestep.

The live Train view redraws these five times a second for every student, so each is written as a plain
plotly JSON dict (`*_spec`, microseconds to build); the `*_figure` functions wrap them for notebooks.
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ..words import say
from .heatmaps import time_labels
from .theme import CATEGORICAL, SEQUENTIAL, layout_base, look

AXIS = dict(showgrid=True, gridcolor="#e9ecef", zeroline=False)


FEW_POINTS = 40
# A log axis of gradient norms: powers of ten as 10⁻⁴, not plotly's SI "100μ" (a student reads μ as a unit).
LOG_AXIS = dict(AXIS, type="log", exponentformat="power", showexponent="all")


def whole_ticks(last: int) -> dict:
    """A few steps or timesteps (0…last): a tick at each whole one, not at 0.5."""
    return dict(tick0=0, dtick=1) if last <= 10 else {}


def run_name(name: str) -> str:
    """A run's name in a figure: "this run" in the reader's language, a cell's name as it is."""
    return say("run.this") if name == "this run" else name


def curves_spec(runs: dict[str, tuple[list[int], list[float], list[float]]], present=False) -> dict:
    """Loss (left) and accuracy (right) against step, one colour per run."""
    data: list[dict[str, object]] = []
    step, loss_, accuracy = say("col.step"), say("col.loss"), say("col.accuracy")
    for k, (name, (steps, loss, acc)) in enumerate(runs.items()):
        name = run_name(name)
        line = dict(color=CATEGORICAL[k % len(CATEGORICAL)], width=2)
        mode = "lines+markers" if len(steps) <= FEW_POINTS else "lines"   # a run of one step is a dot, not nothing
        data.append(dict(type="scatter", x=list(steps), y=list(loss), name=name, mode=mode, line=line,
                         legendgroup=name, hovertemplate=f"{step} %{{x}}<br>{loss_} %{{y:.4f}}<extra>{name}</extra>"))
        data.append(dict(type="scatter", x=list(steps), y=list(acc), name=name, mode=mode, line=line,
                         legendgroup=name, showlegend=False, xaxis="x2", yaxis="y2",
                         hovertemplate=f"{step} %{{x}}<br>{accuracy} %{{y:.1%}}<extra>{name}</extra>"))
    layout = layout_base(say("fig.curves"), present)
    whole = whole_ticks(max((max(steps) for steps, _, _ in runs.values() if steps), default=0))
    layout.update(
        xaxis=dict(AXIS, domain=[0, 0.45], title=dict(text=step), **whole),
        yaxis=dict(AXIS, rangemode="tozero"),
        xaxis2=dict(AXIS, domain=[0.55, 1], anchor="y2", title=dict(text=step), **whole),
        yaxis2=dict(AXIS, anchor="x2", range=[0, 1.02], tickformat=".0%"),
        annotations=[dict(text=t, x=x, y=1.0, xref="paper", yref="paper", xanchor="center", yanchor="bottom",
                          showarrow=False, font=dict(size=16 + 4 * present)) for t, x in
                     ((say("fig.curves.loss"), 0.225), (accuracy, 0.775))])
    return dict(data=data, layout=layout)


GRAD_DECADES = 12       # the colour scale spans at most this many powers of ten below the largest norm


def grad_heatmap_spec(recorded: dict[str, tuple[list[int], np.ndarray, list[str] | None]], present=False) -> dict:
    """‖dL/dh_t‖ (log10) over training steps × timesteps, a heatmap per run side by side in one figure, on one
    colour scale (so an RNN's faded early steps and an LSTM's kept ones compare by colour) with one colour bar."""
    norms_of = {name: np.asarray(norms, dtype=float) for name, (_, norms, _) in recorded.items()}
    logs = {name: np.log10(np.maximum(norms, 1e-30)) for name, norms in norms_of.items()}
    top = max((float(v.max()) for v in logs.values()), default=0.0)
    low = max(top - GRAD_DECADES, min((float(v.min()) for v in logs.values()), default=top))
    k = max(len(recorded), 1)
    gap = 0.03
    width = (1 - gap * (k - 1)) / k
    data, layout = [], layout_base(say("fig.grad_map"), present)
    name_size = look(present).font_size + 2
    # the runs' names get a line of their own under the title (at 1024 px "이번 실행" stood on the title's line)
    layout["margin"] = {**layout["margin"], "t": layout["margin"]["t"] + name_size + 8}
    layout["annotations"] = []
    step, timestep = say("col.step"), say("axis.timestep")
    for c, (key, (steps, _, tokens)) in enumerate(recorded.items()):
        name = run_name(key)
        n = "" if c == 0 else str(c + 1)
        x = time_labels(tokens) if tokens and len(tokens) == logs[key].shape[1] \
            else list(range(logs[key].shape[1]))
        data.append(dict(type="heatmap", z=logs[key].tolist(), x=x, y=list(steps), colorscale=SEQUENTIAL, zmax=top,
                         zmin=low, showscale=c == 0, name=name, xaxis="x" + n, yaxis="y" + n,
                         colorbar=dict(title=dict(text="log10 ‖dL/dh_t‖", side="right"), thickness=14),
                         customdata=norms_of[key].tolist(),
                         hovertemplate=f"{name}<br>{step} %{{y}}, t %{{x}}<br>‖dL/dh_t‖ = %{{customdata:.3g}}<extra></extra>"))
        domain = [c * (width + gap), c * (width + gap) + width]
        # at most a dozen labels a panel, upright or straight down: three panels side by side never overlap them
        layout["xaxis" + n] = dict(domain=domain, anchor="y" + n, type="category", title=dict(text=timestep),
                                   nticks=12 // k + 2, tickangle=0 if len(x) <= 8 // k + 2 else -90)
        layout["yaxis" + n] = dict(anchor="x" + n, title=dict(text=say("axis.training_step"))) if c == 0 else \
            dict(anchor="x" + n, matches="y", showticklabels=False, ticks="")   # the same steps: read on the left
        layout["annotations"].append(dict(text=f"<b>{name}</b>", x=sum(domain) / 2, y=1.0, xref="paper",
                                          yref="paper", xanchor="center", yanchor="bottom", showarrow=False,
                                          font=dict(size=name_size)))
    return dict(data=data, layout=layout)


def grad_profile_spec(profiles: dict[str, np.ndarray], present=False) -> dict:
    """‖dL/dh_t‖ against t on a log scale, for the current weights of each run."""
    data = [dict(type="scatter", x=list(range(len(norms))), y=np.maximum(norms, 1e-30).tolist(), name=run_name(name),
                 mode="lines+markers", line=dict(color=CATEGORICAL[k % len(CATEGORICAL)]),
                 hovertemplate="t %{x}<br>‖dL/dh_t‖ %{y:.3g}<extra>" + run_name(name) + "</extra>")
            for k, (name, norms) in enumerate(profiles.items())]
    layout = layout_base(say("fig.grad_profile"), present)
    last = max((len(norms) - 1 for norms in profiles.values()), default=0)
    layout.update(yaxis=dict(LOG_AXIS, title=dict(text=say("axis.grad_log"))),
                  xaxis=dict(AXIS, title=dict(text=say("axis.timestep")), **whole_ticks(last)))
    return dict(data=data, layout=layout)


def downsample(n: int, limit: int = 400) -> np.ndarray:
    """At most `limit` evenly spread indices of n, the first and last included (a chart shows no more)."""
    return np.unique(np.linspace(0, n - 1, min(n, limit)).astype(int)) if n else np.array([], int)


def curves_of(runs: dict) -> dict[str, tuple[list[int], list[float], list[float]]]:
    """Each run's (steps, losses, accuracies) for curves_spec, at most 400 points each (training Runs)."""
    curves = {}
    for name, run in runs.items():
        idx = downsample(len(run.steps))        # read the length once: a worker may keep appending
        curves[name] = ([run.steps[i] for i in idx], [run.losses[i] for i in idx], [run.accuracies[i] for i in idx])
    return curves


def gradient_of(run, last: int = 200) -> tuple[list[int], np.ndarray, list[str] | None] | None:
    """A Run's recorded ‖dL/dh_t‖ for grad_heatmap_spec: (training steps, norms (S, T), the tokens along t), or
    None while there are none (or their lengths differ)."""
    recorded = run.with_grads[-last:]
    if not recorded or len({len(e.grad_norms) for e in recorded}) > 1:
        return None
    task = run.trainer.task
    tokens = [task.vocab.tokens[i] for i in task.inputs[0]] if task.inputs.shape[1] == len(recorded[0].grad_norms) \
        else None
    return [e.step for e in recorded], np.stack([e.grad_norms for e in recorded]), tokens


def curves_figure(runs, present=False) -> go.Figure:
    return go.Figure(curves_spec(runs, present))


def grad_heatmap(recorded, present=False) -> go.Figure:
    return go.Figure(grad_heatmap_spec(recorded, present))


def grad_profile_figure(profiles, present=False) -> go.Figure:
    return go.Figure(grad_profile_spec(profiles, present))
