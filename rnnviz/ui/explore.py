"""The Explore view: type a word, choose the shapes, step through time, see Wx, Wh, b and every h_t."""
from __future__ import annotations

import hashlib
from dataclasses import replace

import numpy as np
import orjson
import pandas as pd
import streamlit as st

from .. import export, snippet
from ..engine import cell_spec
from ..pipeline import OUTPUT_SEED_OFFSET, Explored, Weights, build, inspect_limits, pca_2d
from ..plots import heatmaps, marks, output, step
from ..state import PANEL_LABELS, Config
from ..text import MAX_CHARS, label
from . import session
from .cache import Shared
from .charts import chart
from .follow import follow_t

MAX_VALUES = 2_000_000   # T·B·L·D·G·H above this is too large to keep every intermediate for a page


def size_check(config: Config, T_estimate: int) -> None:
    G = cell_spec(config.cell).G
    n = T_estimate * config.L * (2 if config.bi else 1) * G * config.H * max(1, config.I // 64 + 1)
    if n > MAX_VALUES:
        raise ValueError(f"that is too much to draw at once (about {n:,} numbers to keep): use fewer tokens, a smaller "
                         f"hidden size, fewer layers or one direction")


def cached_build(config: Config, weights_id: str, weights: Weights | None) -> Explored:
    """One engine run per (settings, weights), shared by every session, read-only."""
    return BUILDS.get((config, weights_id), lambda: build(config, weights))


def weights_id(weights: Weights | None) -> str:
    if weights is None:
        return ""
    h = hashlib.sha1()
    for k, v in weights.network.params.items():
        h.update(k.encode())
        h.update(np.ascontiguousarray(v).tobytes())
    return h.hexdigest()


# Settings that choose what to look at, not what the engine computes: one shared run serves every value of them.
LOOK_ONLY = {"t": 0, "row": 0, "layer": 0, "dir": 0, "out": False, "view": "explore", "panel": "step",
             "present": False}


def run(config: Config) -> Explored:
    """The cached engine run for this Config and the session's trained weights (if in use)."""
    weights = session.get("explore_weights")
    steps = (config.text.count("\n") + 1 if config.enc == "numbers"          # a timestep per line
             else min(len(config.text), MAX_CHARS) // (5 if config.tok == "word" else 1) + 1)
    size_check(config, steps)
    return looking_at(cached_build(replace(config, **LOOK_ONLY), weights_id(weights), weights), config)


def looking_at(ex: Explored, config: Config) -> Explored:
    """The shared run, showing this session's t, batch row, layer, direction and output layer (clamped to the
    text and network the run has)."""
    limits = inspect_limits(ex.config, ex.T, ex.B)
    look = {key: getattr(config, key) for key in LOOK_ONLY}
    look.update({key: min(getattr(config, key), top) for key, top in limits.items()})
    return replace(ex, config=replace(ex.config, **look))


def explored_bytes(ex: Explored) -> int:
    arrays = [ex.X, ex.x_module, ex.probs, ex.W_out]
    for directions in ex.trace.layers:
        for lt in directions:
            arrays += [lt.x, lt.h_prev, lt.Wx_x, lt.Wh_h, lt.a, lt.h, *lt.gates.values()]
            arrays += [a for a in (lt.c_prev, lt.c) if a is not None]
    return sum(a.nbytes for a in arrays)


BUILDS = Shared(48, budget=400 * 2**20, weigh=explored_bytes)   # the largest allowed run holds ~100 MB
SPECS = Shared(256, budget=200 * 2**20, weigh=lambda specs: sum(len(orjson.dumps(s)) for s in specs))


def specs(kind: str, config: Config, wid: str, present: bool, ex: Explored) -> tuple[dict, ...]:
    """Figure specs for one panel of one engine run, built once, shared read-only; the current step is added later."""
    return SPECS.get((kind, config, wid, present), lambda: make_specs(kind, config, present, ex))


def make_specs(kind: str, c: Config, present: bool, ex: Explored) -> tuple[dict, ...]:
    lt = ex.trace.layers[c.layer][c.dir]
    tokens = ex.rows[c.row]
    labels = list(ex.vocab.tokens) if c.enc == "onehot" else None
    if kind == "step":
        return (step.step_spec(lt, ex.network, tokens, c.row, c.t, present, labels),)
    if kind == "maps":
        figs = [heatmaps.input_figure(ex.X[c.row], tokens, None, labels, present),
                *heatmaps.layer_figures(lt, tokens, c.row, None, present)]
    elif kind == "weights":
        figs = heatmaps.weights_figures(ex.network, c.layer, lt.reverse, labels, present)
    elif kind == "output":
        figs = output.output_figures(ex.probs[c.row], tokens, list(ex.vocab.tokens), None, present, c.enc == "numbers")
    else:
        figs = [output.path_figure(*pca_2d(lt.h[:, c.row]), tokens, None, present)]
    return tuple(f.to_plotly_json() for f in figs)


def panel_specs(kind: str, ex: Explored, present: bool) -> tuple[dict, ...]:
    """The cached specs of a panel; they do not depend on t (the step figure: on t's animation window)."""
    c = ex.config
    t = step.frame_anchor(ex.T, c.t) if kind == "step" else 0
    key = replace(c, **{**LOOK_ONLY, "t": t, "row": c.row, "layer": c.layer, "dir": c.dir})
    return specs(kind, key, weights_id(session.get("explore_weights")), present, ex)


def stepper(T: int) -> None:
    """Slider over t plus previous / next buttons."""
    def move(delta: int) -> None:
        session.put("t", min(max(session.get("t", 0) + delta, 0), T - 1))

    row = st.container(horizontal=True, vertical_alignment="bottom")   # one block, not three columns
    row.button("◀ prev", on_click=move, args=(-1,), disabled=session.get("t", 0) <= 0, shortcut="Left")
    row.button("next ▶", on_click=move, args=(1,), disabled=session.get("t", 0) >= T - 1, shortcut="Right")
    if T > 1:
        row.slider("time step t", 0, T - 1, key="t", width="stretch")
    else:
        row.caption("time step t = 0 (the sequence has one step)")


def inspect_selectors(ex: Explored) -> None:
    c = ex.config
    if ex.B == 1 and c.L == 1 and not c.bi:
        return                                  # nothing to choose: no empty columns to send on every t-move
    cols = iter(st.columns(3))                  # filled from the left: no gap where a selector is not needed
    if ex.B > 1:
        next(cols).selectbox("Batch row", list(range(ex.B)), key="row",
                             format_func=lambda b: f"{b}: {''.join(label(t) for t in ex.rows[b])[:30]}")
    if c.L > 1:
        next(cols).selectbox("Layer", list(range(c.L)), key="layer")
    if c.bi:
        next(cols).radio("Direction", [0, 1], key="dir", horizontal=True,
                         format_func=lambda d: "forward →" if d == 0 else "← backward")


PANELS = list(PANEL_LABELS.values())
INSPECT = ("t", "row", "layer", "dir")   # what moves without a new engine run


def draw(ex: Explored, present: bool) -> None:
    """Everything under the controls, for one engine run."""
    if ex.trained:
        st.info(session.literal(f"Stepping through the trained weights “{ex.trained}”. Model settings come from them."))
    for note in ex.notes:
        st.caption(session.literal(note))
    overflow = ex.overflow()
    if overflow:
        st.warning(session.literal(overflow))
    saturated = ex.saturation()
    if saturated:
        st.info(session.literal(saturated), icon="📈")
    look = {k: session.get(k, getattr(ex.config, k)) for k in INSPECT}
    ex = replace(ex, config=replace(ex.config, panel=session.panel(), **look))
    inspect_selectors(ex)
    moving_t(ex)
    panels(ex, present)
    if ex.T > 1:
        follow_t("step_chart")
    downloads(ex)


def window_of(ex: Explored) -> int:
    """Which animated step figure t needs (every t of a window of MAX_FRAMES steps shares one)."""
    return step.frame_anchor(ex.T, ex.config.t)


@st.fragment
def moving_t(ex: Explored) -> None:
    """The stepper and what only the server can redraw when t moves: the t line and the numbers of the step.
    Moving t reruns only this; the figures below were sent once and follow t in the browser (ui/follow.py).
    `ex` is the last whole run's, at the t its figures were drawn at."""
    drawn = window_of(ex) if ex.config.panel == "step" else None      # the step figure's window of frames
    ex = replace(ex, config=replace(ex.config, t=session.get("t", ex.config.t)))
    c = ex.config
    if drawn is not None and window_of(ex) != drawn:
        st.rerun(scope="app")           # a long text: the step figure animates another window of steps: send it
    stepper(ex.T)                       # the link's t: written by the page as the figures follow (ui/follow.py)
    tokens = ex.rows[c.row]
    what, steps, size = (("x_t", "timesteps", f"input size {ex.network.input_size}") if c.enc == "numbers"
                         else ("token", "tokens", f"vocabulary of {len(ex.vocab)}"))
    st.markdown(f"**t = {c.t}**, {what}: **{session.literal(label(tokens[c.t]))}** — sequence of {ex.T} {steps}, {size}")
    step_table(ex)


def panels(ex: Explored, present: bool) -> None:
    """The tabs, drawn at t; only the open one is built (switching tabs reruns the page)."""
    c = ex.config
    tabs = dict(zip(PANEL_LABELS, st.tabs(PANELS, key="panel", on_change="rerun")))   # by the link's names
    lt = ex.trace.layers[c.layer][c.dir]
    if tabs["step"].open:
        with tabs["step"]:
            st.caption("Press ▶ Play to animate every step in the browser; when it ends or you pause it, t above moves "
                       "to the step on show. The numbers in each cell are the engine's.")
            spec, = panel_specs("step", ex, present)
            chart(step.show_step(spec, lt, ex.network, c.row, c.t), "step_chart")
    if tabs["maps"].open:
        with tabs["maps"]:
            for i, spec in enumerate(panel_specs("maps", ex, present)):
                chart(marks.with_step(spec, c.t), f"map_{i}")
            for i, spec in enumerate(panel_specs("weights", ex, present)):
                chart(spec, f"weights_{i}")
    if tabs["output"].open:
        with tabs["output"]:
            output_panel(ex, present)
    if tabs["path"].open:
        with tabs["path"]:
            try:
                spec, = panel_specs("path", ex, present)
                chart(marks.with_path_point(spec, c.t), "path_chart")
            except ValueError as e:
                st.info(f"No path to draw: {e}.")
    if tabs["code"].open:
        with tabs["code"]:
            torch_panel(ex)


def step_table(ex: Explored) -> None:
    """The numbers of the step at t as a table a student can read line by line."""
    c = ex.config
    lt = ex.trace.layers[c.layer][c.dir]
    numbers = st.expander("the numbers of this step, unit by unit", key="step_numbers", on_change="rerun")
    if numbers.open:                        # built only while open: a t-move does not pay for a closed table
        H = lt.h.shape[-1]
        table = {name.replace("<br>", " "): v[c.t]          # the figure's two-line labels, on one line
                 for name, v in step.step_columns(lt, ex.network, c.row) if v.shape[1] == H}
        numbers.dataframe(pd.DataFrame(table).rename_axis(f"unit of h_{c.t}"), width="stretch")


def output_panel(ex: Explored, present: bool) -> None:
    c = ex.config
    numbers = c.enc == "numbers"
    if not c.out:
        st.info("The output layer is off: turn on “Output layer” in the sidebar, or here, to add " +
                ("lesson 001's head, y = σ(W_y·h_t), with O outputs." if numbers else
                 "a linear layer and softmax over the vocabulary."))
        st.button("Turn on the output layer", on_click=session.put, args=("out", True), key="out_on")
        return
    if numbers:
        st.caption(f"W_y (O × D·H = {ex.W_out.shape[0]} × {ex.W_out.shape[1]}) is random (seed {c.seed + OUTPUT_SEED_OFFSET}) and has "
                   "no bias, as in lesson 001; the sidebar's “Output size O” sets O.")
    else:
        st.caption("W_out (V × D·H) and b_out are " + ("trained." if ex.trained else
                   f"random (seed {c.seed + OUTPUT_SEED_OFFSET}): an untrained network spreads its probability almost evenly."))
    probs, last = panel_specs("output", ex, present)
    chart(marks.with_step(probs, c.t), "probs_chart")
    chart(last, "last_chart")


def torch_panel(ex: Explored) -> None:
    rows = [{"tensor": n, "shape": str(tuple(s)), "meaning": m} for n, s, m in snippet.shapes(ex)]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    warning = snippet.layout_warning(ex)
    if warning:
        st.warning(session.literal(warning))
        B, T, I = ex.X.shape
        D, H = ex.network.D, ex.network.hidden_size
        st.dataframe(pd.DataFrame([
            {"reading": "as lesson 004 passes it (no transpose)", "input": str((B, T, I)), "T": B, "B": T,
             "output": str((B, T, D * H))},
            {"reading": "as meant: one sequence per row (rnnviz)", "input": str((T, B, I)), "T": T, "B": B,
             "output": str((T, B, D * H))}]), hide_index=True, width="stretch")
    st.caption("Paste this into Python: it builds the same input, module and weights, so it prints the numbers above.")
    # Soft-wrapped: no line hides past the edge on a projector, and a copy still gets the lines as written.
    st.code(snippet.torch_code(ex), language="python", wrap_lines=True)


def downloads(ex: Explored) -> None:
    """Trace files, made only when a button is pressed."""
    too_big = ex.T * ex.B * ex.network.hidden_size * ex.network.num_layers * ex.network.D > 200_000
    row = st.container(horizontal=True, wrap=True)      # side by side, one under the other when narrow: never cut
    row.download_button("Download the trace (NPZ, every array)", lambda: export.to_npz(ex.trace), "rnnviz-trace.npz",
                        mime="application/octet-stream")
    row.download_button("Download hidden states and gates (CSV)",
                        (lambda: b"too large for CSV: use the NPZ\n") if too_big
                        else (lambda: export.to_csv(ex.trace, ex.rows)),
                        "rnnviz-trace.csv", mime="text/csv")
