"""The step laid out: the vectors that make h_t at one t, animated over every t in the browser (plotly frames)."""
from __future__ import annotations

import base64
import math
import re

import numpy as np
import plotly.graph_objects as go

from ..engine import CELL_TABLE, LayerTrace, Network
from ..words import say
from .heatmaps import symmetric_range, time_labels
from .literal import quoted, shown
from .marks import step_box
from .theme import DIVERGING, layout_base, look

MAX_FRAMES = 120   # the browser animation covers at most this many steps around t, and says so


def step_columns(lt: LayerTrace, net: Network, row: int) -> list[tuple[str, np.ndarray]]:
    """The named vectors of the step equation, each (T, N) over time for one batch row."""
    _, _, b_ih, b_hh = net.weights(lt.layer, lt.reverse)
    H = lt.h.shape[-1]
    x, hp, h = lt.x[:, row], lt.h_prev[:, row], lt.h[:, row]
    prev = "h_{t+1}" if lt.reverse else "h_{t−1}"
    spec = CELL_TABLE[lt.cell]
    if spec.torch_class == "RNN":
        act = spec.nonlinearity
        b = np.broadcast_to(b_ih + b_hh, (len(h), H))
        return [("x_t", x), (prev, hp), ("Wx·x_t", lt.Wx_x[:, row]), (f"+ Wh·<br>{prev}", lt.Wh_h[:, row]),
                ("+ b", b), ("= a_t", lt.a[:, row]), (f"h_t<br>= {act}(a_t)", h)]
    g = {k: v[:, row] for k, v in lt.gates.items()}
    if spec.has_c:
        assert lt.c_prev is not None and lt.c is not None          # an LSTM layer keeps its cell states
        cp = "c_{t+1}" if lt.reverse else "c_{t−1}"
        return [("x_t", x), (prev, hp), (cp, lt.c_prev[:, row]), ("i<br>= σ(·)", g["i"]), ("f<br>= σ(·)", g["f"]),
                ("g<br>= tanh(·)", g["g"]), ("o<br>= σ(·)", g["o"]), (f"c_t<br>= f·{cp}<br>+ i·g", lt.c[:, row]),
                ("h_t<br>= o·<br>tanh(c_t)", h)]
    return [("x_t", x), (prev, hp), ("r<br>= σ(·)", g["r"]), ("z<br>= σ(·)", g["z"]), ("n<br>= tanh(·)", g["n"]),
            (f"h_t<br>= (1−z)·n<br>+ z·{prev}", h)]


def subscripted(name: str) -> str:
    """A column name as the figure writes it: h_{t−1} and c_t with real subscripts, narrower than the braces (at
    1024 px with the sidebar open, LSTM's nine names ran into each other)."""
    return re.sub(r"_(?:\{([^}]*)\}|(\w))", lambda m: f"<sub>{m.group(1) or m.group(2)}</sub>", name)


def typed_array(a: np.ndarray) -> dict:
    """A float32 array in plotly.js's typed-array form (what plotly itself writes as 'bdata')."""
    a = np.ascontiguousarray(a, dtype="<f4")
    return {"dtype": "f4", "bdata": base64.b64encode(a.tobytes()).decode(), "shape": ", ".join(map(str, a.shape))}


def frame_window(T: int, t: int, max_frames: int = MAX_FRAMES) -> range:
    """The steps the animation covers: all of them, or a window of max_frames that contains t.

    Windows start at multiples of max_frames / 2 (the last one ends at T), so t has at least half a window
    of steps ahead to Play through, and the same figure serves half a window of t-moves."""
    if T <= max_frames:
        return range(T)
    half = max_frames // 2
    start = min(t // half * half, T - max_frames)
    return range(start, start + max_frames)


def frame_anchor(T: int, t: int, max_frames: int = MAX_FRAMES) -> int:
    """One step of t's window whose own window is the same: every t of a window shares one animated figure."""
    if T <= max_frames:
        return 0
    window = frame_window(T, t, max_frames)
    return T - 1 if window.stop == T else window.start + max_frames // 2 - 1


TEXT_ROWS = 20          # the lessons' largest hidden size (Avengers: H = 20) still shows its numbers
TOP_SHARE = 0.58 * (1 - 0.16)      # the top row's share of the plot area, as subplot_grid() places it
SLIDER_ROW = 45         # px from the top of the Play / Pause buttons down to the animation slider
UNIT_GAP = 0.05         # after x_t: room for the unit numbers (up to 255) beside h_{t-1}, clear of x_t's cells
# Presentation mode fits the whole figure, ▶ Play and its slider included, on a 1024 × 768 projector under the page's
# compact head (the figure starts ~190 px down): its parts in px, the rows of numbers first, the strip what is left.
FIT_HEIGHT = 570
FIT_TITLE = 40          # the title's line (its second, smaller line for a window of steps: FIT_NOTE more)
FIT_NOTE = 22
FIT_GAP = 34            # between the columns and the strip: the strip's title
FIT_STRIP = (56, 120)   # the strip of every h_t: at least, at most
FIT_BUTTONS = 62        # px under the strip to ▶ Play: the tokens and the axis title
FIT_BOTTOM = 172        # ... and under the strip to the figure's bottom: ▶ Play, then the slider under it


def step_figure(lt: LayerTrace, net: Network, tokens: list[str], row: int, t: int, present: bool = False,
                input_labels: list[str] | None = None) -> go.Figure:
    """Columns of the step equation at t, above all hidden states so far; Play animates t in the browser."""
    return go.Figure(step_spec(lt, net, tokens, row, t, present, input_labels))


def subplot_grid(k: int, row_heights=(0.58, 0.42), h_gap: float = 0.025, v_gap: float = 0.16,
                 first_gap: float = 0.025):
    """The axes of a 2-row grid: k columns on top, one wide plot below, placed as make_subplots places them;
    first_gap is the gap after the first column (where the second column's unit numbers stand).

    Returns (x domains of the top row, y domain of the top row, y domain of the bottom row)."""
    width = (1 - (k - 2) * h_gap - first_gap) / k
    starts = [c * (width + h_gap) + (first_gap - h_gap) * (c > 0) for c in range(k)]
    tops = [[x, x + width] for x in starts]
    usable = 1 - v_gap
    return tops, [1 - row_heights[0] * usable, 1.0], [0.0, row_heights[1] * usable]


def step_spec(lt: LayerTrace, net: Network, tokens: list[str], row: int, t: int, present: bool = False,
              input_labels: list[str] | None = None) -> dict:
    """step_figure as a plotly JSON dict, written directly: building it through plotly's validating objects
    (subplots, one Frame per step) cost 100+ ms, and every new text builds one (test_plots checks it is valid)."""
    cols = step_columns(lt, net, row)
    k = len(cols)
    T, H = lt.h.shape[0], lt.h.shape[-1]
    lk = look(present)
    own = h_columns(cols)                               # h_t, h_{t-1} and the strip: on h's own colour range
    zmax = symmetric_range(*[v for c, (_, v) in enumerate(cols) if c not in own])
    hmax = symmetric_range(lt.h[:, row])
    rows = max(max(v.shape[1], 1) for _, v in cols)
    t = min(t, T - 1)
    window = frame_window(T, t)
    partial = len(window) < T                           # Play covers a window of the steps: the title says which
    lines = max(name.count("<br>") + 1 for name, _ in cols) + 2 * partial   # column names under a 1–2 line title
    head = CELL_TABLE[lt.cell].head_size + 4 * present      # the registry's: more columns, smaller names
    if present:
        fit = fitted(rows, H, lines - 2 * partial, head, partial, lk.cell_text_size)
        show_text = fit["text"]
        tops, top_y, bottom_y = subplot_grid(k, row_heights=fit["row_heights"], v_gap=fit["v_gap"],
                                             first_gap=UNIT_GAP)
    else:
        show_text = rows <= TEXT_ROWS                   # numbers in the cells while they fit; hover always has them
        tops, top_y, bottom_y = subplot_grid(k, first_gap=UNIT_GAP)
    axis = lambda c: "" if c == 1 else str(c)          # noqa: E731  plotly names axes x, x2, x3, ...
    low = k + 1                                         # the wide bottom plot
    unit = say("axis.unit")

    bar = max(c for c in range(k) if c not in own)     # the columns' colour bar: beside the top row

    def column(step: int, c: int) -> dict:
        name, v = cols[c]
        ylab = input_labels if name == "x_t" and input_labels and len(input_labels) == v.shape[1] else None
        return dict(type="heatmap", z=typed_array(v[step][:, None]), x=[name],
                    y=[shown(s) for s in ylab] if ylab else list(range(v.shape[1])),
                    **colours(hmax if c in own else zmax, c == bar, top_y),
                    texttemplate="%{z:.2f}" if show_text else "", textfont=dict(size=lk.cell_text_size),
                    hovertemplate=f"{name}<br>{unit} %{{y}}<br>%{{z:.6g}}<extra>t={step}</extra>", xgap=1, ygap=1,
                    xaxis="x" + axis(c + 1), yaxis="y" + axis(c + 1))

    ref = dict(xref=f"x{low}", yref=f"y{low}")

    def marks(step: int) -> list[dict]:
        """The current step outlined, and a white curtain over the steps not computed yet ("h_t lighting up")."""
        x0, x1 = (-0.5, step - 0.5) if lt.reverse else (step + 0.5, T - 0.5)      # x0 == x1: nothing to cover
        curtain = dict(type="rect", x0=x0, x1=x1, y0=-0.5, y1=H - 0.5, fillcolor="white", opacity=0.92,
                       line=dict(width=0), layer="above", **ref)
        box = step_box(step, ref["xref"], ref["yref"])
        # Always two shapes, the curtain of no width at the last step: plotly's animation matches shapes by their
        # place in the list, so a frame with one would turn the curtain into the box (a covered last step).
        return [curtain, box]

    hidden = dict(type="heatmap", z=typed_array(lt.h[:, row].T), x=time_labels(tokens), y=list(range(H)),
                  **colours(hmax, True, [bottom_y[0], top_y[0]], "h"),     # beside the strip and its title
                  xgap=1 if T <= 200 else 0, ygap=1 if H <= 64 else 0, xaxis=f"x{low}", yaxis=f"y{low}",
                  hovertemplate=f"t %{{x}}<br>{unit} %{{y}}<br>h = %{{z:.6g}}<extra></extra>")

    note = "<br><sup>" + say("step.window", first=window.start, last=window.stop - 1, T=T) + "</sup>"

    def title(step: int) -> str:
        return (say("step.title.backward" if lt.reverse else "step.title", t=step, token=quoted(tokens[step]),
                    layer=lt.layer, row=row) + (note if partial else ""))

    if present:
        margin = dict(l=60, r=20, t=fit["top"], b=FIT_BOTTOM)
        layout = layout_base(title(t), present, height=FIT_HEIGHT)
        layout["title"].update(y=1, yref="container", yanchor="top", pad=dict(t=8))    # the names' room is below it
    else:
        margin = dict(l=60, r=20, t=60 + 22 * lines, b=150 + SLIDER_ROW)
        # Tall enough that every row of the tallest column holds its number: the top row of plots gets TOP_SHARE of
        # the plot area (subplot_grid's defaults).
        needed = rows * (lk.cell_text_size + 6) / TOP_SHARE if show_text else 0
        layout = layout_base(title(t), present, height=round(max(lk.step_height - 120, needed) + margin["t"] + margin["b"]))
    layout["margin"] = margin
    buttons_y = -FIT_BUTTONS / fit["plot"] if present else -0.2
    layout["shapes"] = marks(t)
    for c in range(1, k + 1):       # no tick marks: between the columns they read as minus signs
        layout["xaxis" + axis(c)] = dict(domain=tops[c - 1], anchor="y" + axis(c), showticklabels=False, ticks="")
        layout["yaxis" + axis(c)] = dict(domain=top_y, anchor="x" + axis(c), autorange="reversed", ticks="",
                                         showticklabels=c <= 2, type="category")
    layout[f"xaxis{low}"] = dict(domain=[0.0, 1.0], anchor=f"y{low}", type="category",
                                 title=dict(text=say("axis.time_token")), tickangle=0 if T <= 20 else -60)
    if present:
        layout[f"xaxis{low}"].update(fit_ticks(hidden["x"]))
    layout[f"yaxis{low}"] = dict(domain=bottom_y, anchor=f"x{low}", autorange="reversed", title=dict(text=unit),
                                 dtick=max(1, H // 8, math.ceil((lk.font_size + 4) * H / fit["strip"]) if present else 1))
    # whole unit numbers, however few (on a projector's short strip: as many as stand a font size apart)
    layout["annotations"] = [dict(text=subscripted(name), x=(tops[c][0] + tops[c][1]) / 2, y=top_y[1], xref="paper",
                                  yref="paper", xanchor="center", yanchor="bottom", showarrow=False,
                                  font=dict(size=head)) for c, (name, _) in enumerate(cols)]
    # the strip below has its own title: every h_t of the sequence, the steps still to come behind the curtain
    layout["annotations"].append(dict(text=say("step.strip"), x=0, y=bottom_y[1], xref="paper", yref="paper",
                                      xanchor="left", yanchor="bottom", showarrow=False, font=dict(size=lk.font_size)))
    play = dict(label=say("step.play"), method="animate",
                args=[None, dict(frame=dict(duration=700, redraw=True), transition=dict(duration=0),
                                 fromcurrent=True, mode="immediate")])
    pause = dict(label=say("step.pause"), method="animate",
                 args=[[None], dict(frame=dict(duration=0, redraw=False), mode="immediate")])
    layout["updatemenus"] = [dict(type="buttons", direction="left", x=0.0, y=buttons_y, xanchor="left", yanchor="top",
                                  buttons=[play, pause], showactive=False, pad=dict(t=10, r=10))]
    # The slider gets a row of its own under ▶ Play and ❚❚ Pause: beside them it slid under the buttons whenever
    # the figure was narrow (a 1024 px screen with the sidebar open, or projector type).
    layout["sliders"] = [dict(active=window.index(t), x=0.0, len=1.0, y=buttons_y, yanchor="top",
                              currentvalue=dict(visible=False), pad=dict(t=SLIDER_ROW + 10 * present),
                              steps=[dict(label=str(s), method="animate",
                                          args=[[str(s)], dict(frame=dict(duration=0, redraw=True), mode="immediate")])
                                     for s in window])]
    # Frames carry only what changes (each column's z, the marks and the title).
    frames = [dict(name=str(s), data=[dict(type="heatmap", z=typed_array(v[s][:, None])) for _, v in cols],
                   traces=list(range(k)), layout=dict(shapes=marks(s), title=dict(text=title(s))))
              for s in window]
    return dict(data=[column(t, c) for c in range(k)] + [hidden], layout=layout, frames=frames)


def h_columns(cols: list[tuple[str, np.ndarray]]) -> set[int]:
    """The columns that hold hidden states (h_{t−1}, h_t): they share the strip's colour range, h's own (beside
    a_t, the gates and c_t, an LSTM's small h_t looked white)."""
    return {c for c, (name, _) in enumerate(cols) if name.startswith("h_")}


def colours(zmax: float, bar: bool, domain: list[float], title: str = "") -> dict:
    """A diverging colour range ±zmax centred at 0, with its colour bar (if any) beside the plot row it colours."""
    scale = dict(colorbar=dict(y=domain[0], yanchor="bottom", len=domain[1] - domain[0], thickness=14, nticks=4,
                               title=dict(text=title, side="right"))) if bar else {}
    return dict(zmin=-zmax, zmax=zmax, zmid=0, colorscale=DIVERGING, showscale=bar, **scale)


def fitted(rows: int, H: int, lines: int, head: int, partial: bool, text_size: int) -> dict:
    """The projector's layout in px: the figure fits FIT_HEIGHT; the columns hold their numbers while those fit,
    the strip gets the rest (within FIT_STRIP). Returns the top margin, plot height, row shares and whether the
    cells show their numbers."""
    top = FIT_TITLE + FIT_NOTE * partial + lines * (head + 4)
    plot = FIT_HEIGHT - top - FIT_BOTTOM
    room = plot - FIT_GAP - FIT_STRIP[0]
    per_row = text_size + 4
    text = rows * per_row <= room
    columns = rows * per_row if text else 0
    strip = min(max(FIT_STRIP[0], 12 * H), FIT_STRIP[1], plot - FIT_GAP - columns)
    columns = plot - FIT_GAP - strip
    return dict(top=top, plot=plot, text=text, v_gap=FIT_GAP / plot, strip=strip,
                row_heights=(columns / (plot - FIT_GAP), strip / (plot - FIT_GAP)))


FIT_TICKS = 20          # on a projector, at most this many token labels under the strip, each at most FIT_LABEL
FIT_LABEL = 6           # characters: turned, they stay above ▶ Play


def fit_ticks(labels: list[str]) -> dict:
    """The strip's token labels on a projector: up to 10 upright; more, turned, every k-th and cut short."""
    if len(labels) <= 10:
        return dict(tickangle=0)
    every = math.ceil(len(labels) / FIT_TICKS)
    kept = labels[::every]
    return dict(tickangle=-60, tickvals=kept, title=dict(text=""),       # the labels say "t:token"; hover too
                ticktext=[s if len(s) <= FIT_LABEL else s[:FIT_LABEL - 1] + "…" for s in kept])


def show_step(spec: dict, lt: LayerTrace, net: Network, row: int, t: int) -> dict:
    """A copy of a step figure spec (from step_figure(...).to_plotly_json()) moved to step t in its window."""
    frame = next(f for f in spec["frames"] if f["name"] == str(t))
    data = list(spec["data"])
    for k, (_, v) in enumerate(step_columns(lt, net, row)):
        data[k] = {**data[k], "z": typed_array(v[t][:, None])}
    layout = dict(spec["layout"])
    layout["shapes"] = frame["layout"]["shapes"]
    layout["title"] = {**layout["title"], "text": frame["layout"]["title"]["text"]}
    slider = dict(layout["sliders"][0])
    slider["active"] = [s["label"] for s in slider["steps"]].index(str(t))
    layout["sliders"] = [slider]
    return {**spec, "data": data, "layout": layout}
