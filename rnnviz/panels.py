"""The one table of panels: each tab (of Explore, a lesson page, the notebook) names its figures, and each figure
says how an engine run makes it, how the page marks step t on it, and its charts' keys. The app
(ui/explore_view.py, ui/lessons.py) and the notebook (rnnviz.notebook.Explored) all read it: a panel is a row."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import plotly.graph_objects as go

from .edits import changed, parse
from .engine import cell_spec
from .engine.readout import pca_2d
from .explored import Explored
from .plots import bptt, cell_diagram, heatmaps, marks, output, step
from .settings import PANELS as TABS
from .words import Problem


@dataclass(frozen=True)
class Look:
    """Where a figure looks: layer, direction (0 forward, 1 backward), batch row, step t (None: unmarked)."""

    layer: int = 0
    direction: int = 0
    row: int = 0
    t: int | None = None
    present: bool = False


Make = Callable[[Explored, Look], list]                 # -> plotly figures (go.Figure) or specs (dict)
Mark = Callable[[dict, Explored, int], dict]            # a spec moved to step t (ex.config: layer, dir, row)


def as_is(spec: dict, ex: Explored, t: int) -> dict:
    """A figure that does not follow t."""
    return spec


@dataclass(frozen=True)
class Figure:
    """One group of figures from a run: how it is made, how t is marked on its i-th spec, its i-th chart's key."""

    make: Make
    marks: tuple[Mark, ...] = (as_is,)          # the i-th spec's (the last repeats)
    keys: Callable[[int], str] = str            # the i-th chart's key in Explore (a lesson's: lesson_<key>)
    at_t: bool = False                          # made at t's window of frames (the step figure), not only marked
    redrawn: bool = False                       # the page does not move it to a new t: the server redraws it
    folded: bool = False                        # ... in Explore inside the step's numbers box, only while open

    def mark(self, i: int) -> Mark:
        return self.marks[min(i, len(self.marks) - 1)]


@dataclass(frozen=True)
class Panel:
    """One tab: its figures in order, and how the page draws it (`figures`: each figure marked at t; else the name
    of the view's own drawer: the code tab's tables, a lesson's training)."""

    figures: tuple[str, ...] = ()
    draw: str = "figures"
    lesson: tuple[str, ...] | None = None       # the figures a lesson page of this panel shows, if fewer
    gated: tuple[str, ...] = ()                 # ... and on a page of a cell with gates (LSTM, GRU), these too

    def on_lesson_page(self, with_states: bool, cell: str) -> tuple[str, ...]:
        """A lesson page's figures (`with_states`: every h_t under the step figure)."""
        return ((self.figures if self.lesson is None else self.lesson) + (("states",) if with_states else ())
                + (self.gated if cell_spec(cell).G > 1 else ()))


def edited_cells(text: str, layer: int, reverse: bool) -> dict[str, list]:
    """The cells of Wx, Wh and b that edits changed, for the weights heatmaps' outlines."""
    try:
        edits = parse(text)
    except ValueError:
        return {}
    return {m: changed(edits, m, layer, reverse) for m in ("Wx", "Wh", "b")}


def _layer(ex: Explored, look: Look):
    if not 0 <= look.layer < len(ex.trace.layers) or not 0 <= look.direction < len(ex.trace.layers[look.layer]):
        raise Problem("notebook.no_layer", layer=look.layer, direction=look.direction, L=len(ex.trace.layers),
                      D=len(ex.trace.layers[0]))
    return ex.trace.layers[look.layer][look.direction]


def _labels(ex: Explored) -> list[str] | None:
    return list(ex.vocab.tokens) if ex.config.enc == "onehot" else None


def step_figure(ex: Explored, look: Look) -> list:
    """Wx·x_t + Wh·h_{t-1} + b → h_t at t, written as a spec directly (plotly's validating objects cost 100+ ms)."""
    return [step.step_spec(_layer(ex, look), ex.network, ex.rows[look.row], look.row, look.t or 0, look.present,
                           _labels(ex))]


def input_figure(ex: Explored, look: Look) -> list:
    return [heatmaps.input_figure(ex.X[look.row], ex.rows[look.row], look.t, _labels(ex), look.present)]


def states_figure(ex: Explored, look: Look) -> list:
    """Every h_t."""
    return heatmaps.layer_figures(_layer(ex, look), ex.rows[look.row], look.row, look.t, look.present)[:1]


def gates_figures(ex: Explored, look: Look) -> list:
    """(LSTM, GRU) c_t and each gate over time."""
    return heatmaps.layer_figures(_layer(ex, look), ex.rows[look.row], look.row, look.t, look.present)[1:]


def weights_figures(ex: Explored, look: Look) -> list:
    reverse = _layer(ex, look).reverse
    return heatmaps.weights_figures(ex.network, look.layer, reverse, _labels(ex), look.present,
                                    edited=edited_cells(ex.config.edits, look.layer, reverse))


def output_figures(ex: Explored, look: Look) -> list:
    return output.output_figures(ex.probs[look.row], ex.rows[look.row], list(ex.vocab.tokens), look.t, look.present,
                                 ex.config.enc == "numbers")


def path_figure(ex: Explored, look: Look) -> list:
    """h_t in 2-D (PCA); ValueError where the states overflowed."""
    return [output.path_figure(*pca_2d(_layer(ex, look).h[:, look.row]), ex.rows[look.row], look.t, look.present)]


def cell_figure(ex: Explored, look: Look) -> list:
    """The cell at t as a diagram: its wires, its gates as valves, each with this step's numbers."""
    _layer(ex, look)
    return [cell_diagram.cell_spec(ex, look.layer, look.direction, look.row, look.t or 0, look.present)]


def backward_figure(ex: Explored, look: Look) -> list:
    """dL/dh_t at every step, split into the part from the output and from the next step (t marked where given)."""
    _layer(ex, look)
    base = bptt.backward_base(ex, ex.config.bptt_loss, look.layer, look.direction, look.row, look.present)
    return [base if look.t is None else bptt.backward_at(base, ex, look.t)]


def step_mark(spec: dict, ex: Explored, t: int) -> dict:
    """The step figure's frame for t, with its numbers (of the config's layer, direction and row)."""
    c = ex.config
    return step.show_step(spec, ex.trace.layers[c.layer][c.dir], ex.network, c.row, t)


def column_mark(spec: dict, ex: Explored, t: int) -> dict:
    return marks.with_step(spec, t)


def point_mark(spec: dict, ex: Explored, t: int) -> dict:
    return marks.with_path_point(spec, t)


FIGURES: dict[str, Figure] = {
    "step": Figure(step_figure, (step_mark,), lambda i: "step_chart", at_t=True),
    "input": Figure(input_figure, (column_mark,), lambda i: "map_0"),
    "states": Figure(states_figure, (column_mark,), lambda i: "map_1"),
    "gates": Figure(gates_figures, (column_mark,), lambda i: f"map_{i + 2}"),
    "weights": Figure(weights_figures, keys=lambda i: f"weights_{i}"),
    "output": Figure(output_figures, (column_mark, as_is), lambda i: ("probs_chart", "last_chart")[min(i, 1)]),
    "path": Figure(path_figure, (point_mark,), lambda i: "path_chart"),
    "cell": Figure(cell_figure, (cell_diagram.cell_at,), lambda i: "cell_chart", redrawn=True, folded=True),
    "backward": Figure(backward_figure, (bptt.backward_at,), lambda i: "backward_chart", redrawn=True),
}

PANEL_ROWS: dict[str, Panel] = {
    "step": Panel(("step", "cell"), draw="step", lesson=("step",), gated=("cell",)),
    "maps": Panel(("input", "states", "gates", "weights"), lesson=("input", "states")),
    "weights": Panel(("weights",)),                     # a lesson page's: the weights alone
    "output": Panel(("output",), draw="output"),
    "path": Panel(("path",), draw="path"),
    "backward": Panel(("backward",), draw="backward"),
    "code": Panel(draw="code"),
    "train": Panel(draw="train"),                       # a lesson page's: its task trained live
    "compare": Panel(draw="compare"),                   # ... RNN, LSTM and GRU trained side by side
    "one_to_many": Panel(draw="sequences"),             # a lesson page's: one x, many y (ui/sequences.py)
    "seq2seq": Panel(draw="sequences"),                 # ... an encoder and a decoder (ui/sequences.py)
}
assert set(TABS) <= set(PANEL_ROWS), "every Explore tab (settings.PANELS) is a row of PANEL_ROWS"


def specs(name: str, ex: Explored, look: Look) -> tuple[dict, ...]:
    """A figure group's plotly specs (dicts), as the app sends them."""
    return tuple(f if isinstance(f, dict) else f.to_plotly_json() for f in FIGURES[name].make(ex, look))


def figures(names: Iterable[str], ex: Explored, look: Look) -> list[go.Figure]:
    """Figure groups as plotly Figures with t drawn in (the notebook's)."""
    return [f if isinstance(f, go.Figure) else go.Figure(f) for name in names for f in FIGURES[name].make(ex, look)]
