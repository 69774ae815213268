"""The Explore view: type a word, choose the shapes, step through time, see Wx, Wh, b and every h_t."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pandas as pd
import streamlit as st

from .. import export, snippet
from .. import panels as panels_table
from ..explored import Explored
from ..panels import FIGURES, PANEL_ROWS, Look, Panel
from ..pipeline import OUTPUT_SEED_OFFSET, check_size
from ..plots import output, step
from ..settings import INSPECT, LOOK_ONLY, PANELS
from ..state import Config, inspect_limits
from ..text import MAX_CHARS, label
from ..words import say
from . import a11y, controls, handout_button, session, shared_runs, weight_edits
from .cache import cached_build, specs, weights_id
from .charts import chart
from .follow import follow_t
from .widgets import draw as draw_setting
from .widgets import words_of


def run(config: Config) -> Explored:
    """The cached engine run for this Config and the session's trained weights (if in use)."""
    weights = session.get("explore_weights")
    steps = (config.text.count("\n") + 1 if config.enc == "numbers"          # a timestep per line
             else min(len(config.text), MAX_CHARS) // (5 if config.tok == "word" else 1) + 1)
    check_size(config, steps, weights)
    return looking_at(cached_build(replace(config, **LOOK_ONLY), weights_id(weights), weights), config)


def looking_at(ex: Explored, config: Config) -> Explored:
    """The shared run, showing this session's t, batch row, layer, direction and output layer (clamped to the
    text and network the run has)."""
    limits = inspect_limits(ex.config, ex.T, ex.B)
    look = {key: getattr(config, key) for key in LOOK_ONLY}
    look.update({key: min(getattr(config, key), top) for key, top in limits.items()})
    return replace(ex, config=replace(ex.config, **look))


def make_specs(name: str, c: Config, present: bool, ex: Explored) -> tuple[dict, ...]:
    """A figure group's specs from the table (rnnviz/panels.py), without marks: t is marked when drawn."""
    return panels_table.specs(name, ex, Look(c.layer, c.dir, c.row, c.t if FIGURES[name].at_t else None, present))


def figure_specs(name: str, ex: Explored, present: bool, wid: str) -> tuple[dict, ...]:
    """The cached specs of a figure group; they do not depend on t (the step figure: on t's animation window)."""
    c = ex.config
    t = step.frame_anchor(ex.T, c.t) if FIGURES[name].at_t else 0
    key = replace(c, **{**LOOK_ONLY, "t": t, "row": c.row, "layer": c.layer, "dir": c.dir,
                        "bptt_loss": c.bptt_loss})              # the backward figure is made for its loss
    return specs(name, key, wid, present, ex, make_specs)


def draw_figures(names: tuple[str, ...], ex: Explored, present: bool, wid: str,
                 key: Callable[[str], str] = str, finish: Callable[[str, dict], dict] = lambda name, spec: spec) -> None:
    """Figure groups of the table, each spec marked at t; `key` names a chart, `finish` touches a marked spec."""
    for name in names:
        figure = FIGURES[name]
        for i, spec in enumerate(figure_specs(name, ex, present, wid)):
            chart(finish(name, figure.mark(i)(spec, ex, ex.config.t)), key(figure.keys(i)))


def explore_wid() -> str:
    return weights_id(session.get("explore_weights"))


def stepper(T: int) -> None:
    """Slider over t plus previous / next buttons."""
    def move(delta: int) -> None:
        session.put("t", min(max(session.get("t", 0) + delta, 0), T - 1))

    row = st.container(horizontal=True, vertical_alignment="bottom")   # one block, not three columns
    # Once the page's script is in (ui/follow.py), it takes → / ← and the clicks: the figures move before it asks.
    row.button(say("button.prev"), on_click=move, args=(-1,), disabled=session.get("t", 0) <= 0, key="t_prev",
               shortcut="Left")
    row.button(say("button.next"), on_click=move, args=(1,), disabled=session.get("t", 0) >= T - 1, key="t_next",
               shortcut="Right")
    if T > 1:
        row.slider(say("label.t"), 0, T - 1, key="t", width="stretch",       # its label takes a line on a projector
                   label_visibility="collapsed" if session.present() else "visible")
    else:
        row.caption(say("caption.one_step"))


def inspect_selectors(ex: Explored) -> None:
    c = ex.config
    if ex.B == 1 and c.L == 1 and not c.bi:
        return                                  # nothing to choose: no empty columns to send on every t-move
    cols = iter(st.columns(3))                  # filled from the left: no gap where a selector is not needed
    if ex.B > 1:
        next(cols).selectbox(say("label.row"), list(range(ex.B)), key="row",
                             format_func=lambda b: f"{b}: {''.join(label(t) for t in ex.rows[b])[:30]}")
    if c.L > 1:
        next(cols).selectbox(say("label.layer"), list(range(c.L)), key="layer")
    if c.bi:
        next(cols).radio(say("label.dir"), [0, 1], key="dir", horizontal=True,
                         format_func=words_of(lambda d: say(f"choice.dir.{d}")))




def stop_trained() -> None:
    session.put("explore_weights", None)


def page() -> None:
    """The view: the text and model controls, then the run's figures (or the last run that worked, and why not)."""
    if session.get("explore_weights") is not None:
        st.button(say("button.untrain"), on_click=stop_trained, key="untrain")
    if session.present():               # folded on a projector: the figures get the first screen
        with st.expander(say("present.text_box"), key="present_text"):
            controls.text_controls()
    else:
        controls.text_controls()
    config, notes = session.widget_config()
    for note in notes:
        st.warning(session.plain(note))
    source = config
    ex: Explored | None
    try:
        ex = run(config)
        session.sync_url(ex.config, shared_runs.link())
        # Only the settings: the run itself lives in the shared, byte-bounded cache (and is rebuilt if it left it),
        # so a class of sessions never holds a run each.
        session.put("_last_good", config)
        session.put("t", ex.config.t)
        for key in ("row", "layer", "dir"):
            session.put(key, getattr(ex.config, key))
    except ValueError as e:
        st.error(session.plain(session.sentence(e)))
        source = session.get("_last_good")
        ex = last_good(source)
        if ex is None:
            controls.model_controls(None)
            return
        st.caption(say("caption.last_good"))
    controls.model_controls(ex.network.input_size)
    draw(ex, session.present(), source)


def last_good(config: Config | None) -> Explored | None:
    """The session's last run that worked, from its settings: the shared cache's (rebuilt if it was evicted)."""
    if config is None:
        return None
    try:
        return run(config)
    except ValueError:          # the trained weights changed since, and no longer fit those settings
        return None


def draw(ex: Explored, present: bool, source: Config) -> None:
    """Everything under the controls, for one engine run; `source`: the settings `run` made it from (its cache key:
    with trained weights the run's own config differs), which is all that outlives this script run."""
    if ex.trained:
        st.info(session.plain(say("trained.info", name=ex.trained)))
    for note in ex.notes:
        st.caption(session.plain(str(note)))
    overflow = ex.overflow()
    if overflow:
        st.warning(session.plain(str(overflow)))
    saturated = ex.saturation()
    if saturated:
        st.info(session.plain(str(saturated)), icon="📈")
    look = {k: session.get(k, getattr(ex.config, k)) for k in INSPECT}
    ex = replace(ex, config=replace(ex.config, panel=session.panel(), **look))
    inspect_selectors(ex)
    if not present:
        weight_edits.panel(ex)
    source = replace(source, **{key: getattr(ex.config, key) for key in LOOK_ONLY})
    if not present:
        moving_t(source)
    panels(ex, present)
    if present:                         # under the figures on a projector: the step figure and its ▶ Play get the
        moving_t(source)                # first screen (t moves with the keys, the figure's slider or these)
        weight_edits.panel(ex)
    downloads(ex, source)


def window_of(ex: Explored) -> int:
    """Which animated step figure t needs (every t of a window of MAX_FRAMES steps shares one)."""
    return step.frame_anchor(ex.T, ex.config.t)


@st.fragment
def moving_t(config: Config) -> None:
    """The stepper and what only the server can redraw when t moves: the t line and the numbers of the step.
    Moving t reruns only this; the figures below were sent once and follow t in the browser (ui/follow.py).
    `config` is the last whole run's, at the t its figures were drawn at. Streamlit keeps a fragment's arguments
    for the session's life, so it gets the settings and takes the run from the shared, byte-bounded cache."""
    session.use_language()              # a fragment's own run: say its words in the page's language
    ex = run(config)
    drawn = window_of(ex) if ex.config.panel == "step" else None      # the step figure's window of frames
    t = min(session.get("t", ex.config.t), ex.T - 1)   # a page's request past the end (ui/follow.py) stops there
    session.put("t", t)
    ex = replace(ex, config=replace(ex.config, t=t))
    c = ex.config
    a11y.announce("a11y.live_t", t=c.t, T=ex.T)     # said by a screen reader; the figures' labels at t
    if drawn is not None and window_of(ex) != drawn:
        st.rerun(scope="app")           # a long text: the step figure animates another window of steps: send it
    stepper(ex.T)                       # the link's t: written by the page as the figures follow (ui/follow.py)
    if ex.T > 1:
        follow_t("step_chart", c.t)     # in the fragment: what it asks for reruns only this
    tokens = ex.rows[c.row]
    what, steps, size = ((say("tline.x"), say("tline.steps"), say("tline.input", I=ex.network.input_size))
                         if c.enc == "numbers" else
                         (say("tline.token"), say("tline.tokens"), say("tline.vocab", V=len(ex.vocab))))
    st.markdown(say("tline", t=c.t, what=what, token=session.plain(label(tokens[c.t])), T=ex.T, steps=steps,
                    size=size))
    step_table(ex)
    redrawn_figures(ex)
    if c.panel == "output" and c.out:                   # the output after step t follows t (a small figure)
        labels = ([f"y{o}" for o in range(ex.probs.shape[-1])] if c.enc == "numbers" else list(ex.vocab.tokens))
        chart(output.output_at_figure(ex.probs[c.row, c.t], labels, c.t, session.present()).to_plotly_json(),
              "output_at_t")


def panels(ex: Explored, present: bool) -> None:
    """The tabs, drawn at t; only the open one is built (switching tabs reruns the page)."""
    labels = [session.panel_label(key) for key in PANELS]
    for key, tab in zip(PANELS, st.tabs(labels, key="panel", on_change="rerun")):   # by the link's names
        if tab.open:
            with tab:
                panel = PANEL_ROWS[key]
                DRAWERS[panel.draw](ex, present, panel)


def figures_tab(ex: Explored, present: bool, panel: Panel) -> None:
    """The panel's figures the page moves to a new t itself (the others: in moving_t, redrawn at each t)."""
    draw_figures(tuple(n for n in panel.figures if not FIGURES[n].redrawn), ex, present, explore_wid())


def step_tab(ex: Explored, present: bool, panel: Panel) -> None:
    """The step figure, its caption above (under it on a projector: the figure gets the first screen)."""
    if not present:
        st.caption(say("caption.step"))
    figures_tab(ex, present, panel)
    handout_button.draw_step_slides(ex, present)          # PNG 1920×1080 and ▶ Play as GIF, made on a press
    if present:
        st.caption(say("caption.step"))


def backward_tab(ex: Explored, present: bool, panel: Panel) -> None:
    """The loss the backward pass starts from (its figure follows t: drawn with the step's numbers above)."""
    draw_setting("bptt_loss", st, horizontal=True)


def path_tab(ex: Explored, present: bool, panel: Panel) -> None:
    try:
        figures_tab(ex, present, panel)
    except ValueError:
        st.info(say("path.none", why=say("path.overflow")))


def redrawn_figures(ex: Explored) -> None:
    """The open tab's figures the page cannot move to t itself, drawn at t (those folded in the step's numbers box
    are drawn there, only while it is open)."""
    names = tuple(n for n in PANEL_ROWS[ex.config.panel].figures if FIGURES[n].redrawn and not FIGURES[n].folded)
    draw_figures(names, ex, session.present(), explore_wid())


def step_table(ex: Explored) -> None:
    """The numbers of the step at t as a table a student can read line by line, and (the step tab) the cell as a
    diagram; one box, built only while open: a t-move does not pay for it closed."""
    c = ex.config
    lt = ex.trace.layers[c.layer][c.dir]
    numbers = st.expander(say("label.step_numbers"), key="step_numbers", on_change="rerun")
    if numbers.open:                        # built only while open: a t-move does not pay for a closed table
        H = lt.h.shape[-1]
        table = {name.replace("<br>", " "): v[c.t]          # the figure's two-line labels, on one line
                 for name, v in step.step_columns(lt, ex.network, c.row) if v.shape[1] == H}
        numbers.dataframe(pd.DataFrame(table).rename_axis(say("table.unit_of", t=c.t)), width="stretch")
        folded = tuple(n for n in PANEL_ROWS[c.panel].figures if FIGURES[n].folded)
        if folded:
            with numbers:
                st.caption(say("label.cell_diagram"))
                draw_figures(folded, ex, session.present(), explore_wid())


def output_panel(ex: Explored, present: bool, panel: Panel) -> None:
    c = ex.config
    numbers = c.enc == "numbers"
    if not c.out:
        st.info(say("output.off.numbers" if numbers else "output.off"))
        st.button(say("button.out_on"), on_click=session.put, args=("out", True), key="out_on")
        return
    if numbers:
        st.caption(say("output.numbers", O=ex.W_out.shape[0], DH=ex.W_out.shape[1], seed=c.seed + OUTPUT_SEED_OFFSET))
    else:
        st.caption(say("output.trained") if ex.trained else say("output.random", seed=c.seed + OUTPUT_SEED_OFFSET))
    figures_tab(ex, present, panel)


def vocabulary(ex: Explored) -> None:
    """The token list behind the input: each token's id, and with an embedding its row of the table."""
    if ex.config.enc in ("numbers", "random"):
        return                                          # typed numbers and a random input have no tokens
    rows = [{say("vocab.id"): i, say("vocab.token"): label(tok)} for i, tok in enumerate(ex.vocab.tokens)]
    if ex.config.enc == "embedding":                    # each token's row of the table, where it first occurs
        for i, r in enumerate(rows):
            hits = np.argwhere(ex.ids == i)                 # trained weights know tokens this text may lack
            r[say("vocab.embedding")] = "  ".join(f"{v:+.3f}" for v in ex.X[tuple(hits[0])]) if len(hits) else ""
    with st.expander(say("vocab.title", V=len(ex.vocab)), key="vocab_table"):
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def torch_panel(ex: Explored, present: bool = False, panel: Panel | None = None) -> None:
    vocabulary(ex)
    rows = [{say("table.tensor"): n, say("table.shape"): str(tuple(s)), say("table.meaning"): m}
            for n, s, m in snippet.shapes(ex)]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    warning = snippet.layout_warning(ex)
    if warning:
        st.warning(session.plain(warning))
        B, T, I = ex.X.shape
        D, H = ex.network.D, ex.network.hidden_size
        reading, given, out = say("table.reading"), say("table.input"), say("table.output")
        st.dataframe(pd.DataFrame([
            {reading: say("table.as_lesson_004"), given: str((B, T, I)), "T": B, "B": T, out: str((B, T, D * H))},
            {reading: say("table.as_meant"), given: str((T, B, I)), "T": T, "B": B, out: str((T, B, D * H))}]),
            hide_index=True, width="stretch")
    st.caption(say("caption.code"))
    # Soft-wrapped: no line hides past the edge on a projector, and a copy still gets the lines as written.
    st.code(snippet.torch_code(ex), language="python", wrap_lines=True)


def downloads(ex: Explored, source: Config) -> None:
    """Trace files, made only when a button is pressed."""
    too_big = ex.T * ex.B * ex.network.hidden_size * ex.network.num_layers * ex.network.D > export.CSV_VALUES
    # Streamlit keeps these callables for the session's life: they hold the settings and weights, not the run,
    # and take the run from the shared cache when pressed (rebuilt if it was evicted).
    config, weights = replace(source, **LOOK_ONLY), session.get("explore_weights")

    def shared() -> Explored:
        return cached_build(config, weights_id(weights), weights)

    row = st.container(horizontal=True, wrap=True)      # side by side, one under the other when narrow: never cut
    row.download_button(say("download.npz"), lambda: export.to_npz(shared().trace),
                        "rnnviz-trace.npz", mime="application/octet-stream")
    too_large = say("download.too_large").encode("utf-8-sig") + b"\n"
    row.download_button(say("download.csv"),
                        (lambda: too_large) if too_big
                        else (lambda: export.to_csv(shared().trace, shared().rows)),
                        "rnnviz-trace.csv", mime="text/csv")
    if source.edits:                                    # many edits travel as a weights file, not in a link
        row.download_button(say("download.weights"), lambda: export.to_safetensors(shared().network),
                            "rnnviz-edited-weights.safetensors", mime="application/octet-stream")


DRAWERS: dict[str, Callable[[Explored, bool, Panel], None]] = {   # a panel row's `draw`: how its tab is drawn
    "figures": figures_tab, "step": step_tab, "path": path_tab, "output": output_panel, "code": torch_panel,
    "backward": backward_tab}
