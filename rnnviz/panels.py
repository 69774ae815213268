"""The catalogue of the Explore view's panels: which figures each draws from an engine run. The app
(ui/explore.py) and the notebook (rnnviz.notebook.Lab) both draw from it, so a panel is written once."""
from __future__ import annotations

from typing import Literal

import plotly.graph_objects as go

from .edits import changed, parse
from .engine.readout import pca_2d
from .explored import Explored
from .plots import heatmaps, output, step
from .words import Problem

Kind = Literal["step", "maps", "weights", "output", "path"]
KINDS: tuple[Kind, ...] = ("step", "maps", "weights", "output", "path")


def edited_cells(text: str, layer: int, reverse: bool) -> dict[str, list]:
    """The cells of Wx, Wh and b that edits changed, for the weights heatmaps' outlines."""
    try:
        edits = parse(text)
    except ValueError:
        return {}
    return {m: changed(edits, m, layer, reverse) for m in ("Wx", "Wh", "b")}


def figures(kind: Kind, ex: Explored, layer: int = 0, direction: int = 0, row: int = 0, t: int | None = None,
            present: bool = False) -> list[go.Figure]:
    """A panel's figures, with step t marked where t is given (the step figure: at t)."""
    if kind == "step":
        return [go.Figure(specs("step", ex, layer, direction, row, t, present)[0])]
    lt = _layer(ex, layer, direction)
    tokens = ex.rows[row]
    labels = _labels(ex)
    if kind == "maps":
        return [heatmaps.input_figure(ex.X[row], tokens, t, labels, present),
                *heatmaps.layer_figures(lt, tokens, row, t, present)]
    if kind == "weights":
        return heatmaps.weights_figures(ex.network, layer, lt.reverse, labels, present,
                                        edited=edited_cells(ex.config.edits, layer, lt.reverse))
    if kind == "output":
        return output.output_figures(ex.probs[row], tokens, list(ex.vocab.tokens), t, present,
                                     ex.config.enc == "numbers")
    return [output.path_figure(*pca_2d(lt.h[:, row]), tokens, t, present)]


def specs(kind: Kind, ex: Explored, layer: int = 0, direction: int = 0, row: int = 0, t: int | None = None,
          present: bool = False) -> tuple[dict, ...]:
    """The same as plotly specs (dicts), as the app sends them; the step figure is written as a spec directly
    (building it through plotly's validating objects costs 100+ ms)."""
    if kind == "step":
        return (step.step_spec(_layer(ex, layer, direction), ex.network, ex.rows[row], row, t or 0, present,
                               _labels(ex)),)
    return tuple(f.to_plotly_json() for f in figures(kind, ex, layer, direction, row, t, present))


def _labels(ex: Explored) -> list[str] | None:
    return list(ex.vocab.tokens) if ex.config.enc == "onehot" else None


def _layer(ex: Explored, layer: int, direction: int):
    if not 0 <= layer < len(ex.trace.layers) or not 0 <= direction < len(ex.trace.layers[layer]):
        raise Problem("notebook.no_layer", layer=layer, direction=direction, L=len(ex.trace.layers),
                      D=len(ex.trace.layers[0]))
    return ex.trace.layers[layer][direction]
