"""The step laid out: the vectors that make h_t at one t, animated over every t in the browser (plotly frames)."""
from __future__ import annotations

import base64

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..engine import LayerTrace, Network
from ..text import label
from .heatmaps import symmetric_range, time_labels
from .marks import step_box
from .theme import DIVERGING, base_layout, look

MAX_FRAMES = 120   # the browser animation covers at most this many steps around t, and says so


def step_columns(lt: LayerTrace, net: Network, row: int) -> list[tuple[str, np.ndarray]]:
    """The named vectors of the step equation, each (T, N) over time for one batch row."""
    _, _, b_ih, b_hh = net.weights(lt.layer, lt.reverse)
    H = lt.h.shape[-1]
    x, hp, h = lt.x[:, row], lt.h_prev[:, row], lt.h[:, row]
    prev = "h_{t+1}" if lt.reverse else "h_{t−1}"
    if lt.cell.startswith("rnn"):
        act = "tanh" if lt.cell == "rnn_tanh" else "relu"
        b = np.broadcast_to(b_ih + b_hh, (len(h), H))
        return [("x_t", x), (prev, hp), ("Wx·x_t", lt.Wx_x[:, row]), (f"+ Wh·<br>{prev}", lt.Wh_h[:, row]),
                ("+ b", b), ("= a_t", lt.a[:, row]), (f"h_t<br>= {act}(a_t)", h)]
    g = {k: v[:, row] for k, v in lt.gates.items()}
    if lt.cell == "lstm":
        cp = "c_{t+1}" if lt.reverse else "c_{t−1}"
        return [("x_t", x), (prev, hp), (cp, lt.c_prev[:, row]), ("i<br>= σ(·)", g["i"]), ("f<br>= σ(·)", g["f"]),
                ("g<br>= tanh(·)", g["g"]), ("o<br>= σ(·)", g["o"]), (f"c_t = f·{cp}<br>+ i·g", lt.c[:, row]),
                ("h_t<br>= o·tanh(c_t)", h)]
    return [("x_t", x), (prev, hp), ("r<br>= σ(·)", g["r"]), ("z<br>= σ(·)", g["z"]), ("n<br>= tanh(·)", g["n"]),
            (f"h_t = (1−z)·n<br>+ z·{prev}", h)]


def typed_array(a: np.ndarray) -> dict:
    """A float32 array in plotly.js's typed-array form (what plotly itself writes as 'bdata')."""
    a = np.ascontiguousarray(a, dtype="<f4")
    return {"dtype": "f4", "bdata": base64.b64encode(a.tobytes()).decode(), "shape": ", ".join(map(str, a.shape))}


def frame_window(T: int, t: int, max_frames: int = MAX_FRAMES) -> range:
    """The steps the animation covers: all of them, or a window of max_frames that contains t."""
    if T <= max_frames:
        return range(T)
    start = max(0, min(t - max_frames // 2, T - max_frames))
    return range(start, start + max_frames)


def step_figure(lt: LayerTrace, net: Network, tokens: list[str], row: int, t: int, present: bool = False,
                input_labels: list[str] | None = None) -> go.Figure:
    """Columns of the step equation at t, above all hidden states so far; Play animates t in the browser."""
    return go.Figure(step_spec(lt, net, tokens, row, t, present, input_labels))


def step_spec(lt: LayerTrace, net: Network, tokens: list[str], row: int, t: int, present: bool = False,
              input_labels: list[str] | None = None) -> dict:
    """step_figure as a plotly JSON dict. The frames are written as plain dicts: validating one go.Frame per
    step made this figure cost over 100 ms to build, for data that is the same shape in every frame."""
    cols = step_columns(lt, net, row)
    T, H = lt.h.shape[0], lt.h.shape[-1]
    lk = look(present)
    zmax = symmetric_range(*[v for _, v in cols])
    widths = [max(v.shape[1], 1) for _, v in cols]
    show_text = max(widths) <= 24
    fig = make_subplots(rows=2, cols=len(cols), row_heights=[0.58, 0.42], vertical_spacing=0.16,
                        horizontal_spacing=0.025, subplot_titles=[name for name, _ in cols] + [""] * len(cols),
                        specs=[[{}] * len(cols), [{"colspan": len(cols)}] + [None] * (len(cols) - 1)])
    t = min(t, T - 1)
    window = frame_window(T, t)
    xs = time_labels(tokens)

    def column_traces(step: int) -> list[go.Heatmap]:
        traces = []
        for k, (name, v) in enumerate(cols):
            ylab = input_labels if name == "x_t" and input_labels and len(input_labels) == v.shape[1] else None
            traces.append(go.Heatmap(
                z=v[step][:, None], x=[name], y=[label(s) for s in ylab] if ylab else list(range(v.shape[1])),
                zmin=-zmax, zmax=zmax, zmid=0, colorscale=DIVERGING, showscale=k == len(cols) - 1,
                texttemplate="%{z:.2f}" if show_text else None, textfont=dict(size=lk.cell_text_size),
                hovertemplate=f"{name}<br>unit %{{y}}<br>%{{z:.6g}}<extra>t={step}</extra>", xgap=1, ygap=1))
        return traces

    ref = dict(xref="x" + str(len(cols) + 1), yref="y" + str(len(cols) + 1))

    def marks(step: int) -> list[dict]:
        """The current step outlined, and a white curtain over the steps not computed yet ("h_t lighting up")."""
        x0, x1 = (-0.5, step - 0.5) if lt.reverse else (step + 0.5, T - 0.5)
        curtain = dict(type="rect", x0=x0, x1=x1, y0=-0.5, y1=H - 0.5, fillcolor="white", opacity=0.92,
                       line=dict(width=0), layer="above", **ref)
        box = step_box(step, ref["xref"], ref["yref"])
        return [curtain, box] if x1 > x0 else [box]

    hidden = go.Heatmap(z=lt.h[:, row].T, x=xs, y=list(range(H)), zmin=-zmax, zmax=zmax, zmid=0,
                        colorscale=DIVERGING, showscale=False, xgap=1 if T <= 200 else 0, ygap=1 if H <= 64 else 0,
                        hovertemplate="t %{x}<br>unit %{y}<br>h = %{z:.6g}<extra></extra>")
    for k, tr in enumerate(column_traces(t)):
        fig.add_trace(tr, row=1, col=k + 1)
    fig.add_trace(hidden, row=2, col=1)
    for k in range(1, len(cols) + 1):
        fig.update_yaxes(autorange="reversed", showticklabels=k <= 2, type="category", row=1, col=k)
        fig.update_xaxes(showticklabels=False, row=1, col=k)
    fig.update_yaxes(autorange="reversed", title="unit", row=2, col=1)
    fig.update_xaxes(type="category", title="time step : token", tickangle=0 if T <= 20 else -60, row=2, col=1)
    fig.update_layout(shapes=marks(t))
    direction = "backward direction, " if lt.reverse else ""
    title = f"the step at t = {t} (token {label(tokens[t])!r}), layer {lt.layer}, {direction}batch row {row}"
    # Frames carry only what changes (each column's z), so the figure stays small and quick to validate.
    frames = [dict(name=str(s), data=[dict(type="heatmap", z=typed_array(v[s][:, None])) for _, v in cols],
                   traces=list(range(len(cols))), layout=dict(shapes=marks(s), title=dict(
                       text=f"the step at t = {s} (token {label(tokens[s])!r}), layer {lt.layer}, {direction}batch row {row}")))
              for s in window]
    play = dict(label="▶ Play", method="animate",
                args=[None, dict(frame=dict(duration=700, redraw=True), transition=dict(duration=0),
                                 fromcurrent=True, mode="immediate")])
    pause = dict(label="❚❚ Pause", method="animate",
                 args=[[None], dict(frame=dict(duration=0, redraw=False), mode="immediate")])
    controls = dict(
        updatemenus=[dict(type="buttons", direction="left", x=0.0, y=-0.2, xanchor="left", yanchor="top",
                          buttons=[play, pause], showactive=False, pad=dict(t=10, r=10))],
        sliders=[dict(active=window.index(t), x=0.2, len=0.8, y=-0.2, yanchor="top",
                      currentvalue=dict(visible=False), pad=dict(t=10),
                      steps=[dict(label=str(s), method="animate",
                                  args=[[str(s)], dict(frame=dict(duration=0, redraw=True), mode="immediate")])
                             for s in window])])
    base_layout(fig, title, present, height=lk.step_height + 140)
    fig.update_layout(margin=dict(b=150, t=110))
    if len(window) < T:
        fig.add_annotation(text=f"▶ Play covers t = {window.start}…{window.stop - 1} of {T} steps; move t to see others", showarrow=False,
                           xref="paper", yref="paper", x=1, y=1.12, xanchor="right", font=dict(size=11))
    spec = fig.to_plotly_json()
    return {**spec, "layout": {**spec["layout"], **controls}, "frames": frames}


def show_step(spec: dict, lt: LayerTrace, net: Network, row: int, t: int) -> dict:
    """A copy of a step figure spec (from step_figure(...).to_plotly_json()) moved to step t in its window."""
    frame = next(f for f in spec["frames"] if f["name"] == str(t))
    data = list(spec["data"])
    for k, (_, v) in enumerate(step_columns(lt, net, row)):
        data[k] = {**data[k], "z": v[t][:, None]}
    layout = dict(spec["layout"])
    layout["shapes"] = frame["layout"]["shapes"]
    layout["title"] = {**layout["title"], "text": frame["layout"]["title"]["text"]}
    slider = dict(layout["sliders"][0])
    slider["active"] = [s["label"] for s in slider["steps"]].index(str(t))
    layout["sliders"] = [slider]
    return {**spec, "data": data, "layout": layout}
