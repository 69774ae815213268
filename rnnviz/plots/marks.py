"""The current step drawn onto a figure spec (a plotly JSON dict), without touching the spec it was given.

Figures are built once without the mark and cached; a rerun adds the mark to a shallow copy. In the page, moving t
moves the marks in the browser (ui/follow.py finds them by MARK_NAME), so the figures are not sent again.
"""
from __future__ import annotations

import base64

import numpy as np

from .theme import MARK

# The name of every mark of the current step: the page moves marks of this name when t moves (ui/follow.py).
MARK_NAME = "step t"


def values(v) -> np.ndarray:
    """An array from a spec: a list, or plotly's typed-array form {'dtype', 'bdata', 'shape'}."""
    if isinstance(v, dict) and "bdata" in v:
        a = np.frombuffer(base64.b64decode(v["bdata"]), dtype=v["dtype"])
        return a.reshape([int(n) for n in str(v["shape"]).split(",")]) if "shape" in v else a
    return np.asarray(v)


def step_box(t: int, xref: str = "x", yref: str = "y") -> dict:
    """An outline around column t, over the full height of the axis."""
    return dict(type="rect", xref=xref, yref=f"{yref} domain", x0=t - 0.5, x1=t + 0.5, y0=0, y1=1,
                line=dict(color=MARK, width=3), name=MARK_NAME)


def with_step(spec: dict, t: int) -> dict:
    """A copy of a time-along-x figure spec with column t outlined."""
    layout = dict(spec.get("layout", {}))
    layout["shapes"] = [*layout.get("shapes", ()), step_box(t)]
    return {**spec, "layout": layout}


def ring(x: float, y: float) -> dict:
    """A scatter trace that circles one point."""
    return dict(type="scatter", x=[x], y=[y], mode="markers", showlegend=False, hoverinfo="skip", name=MARK_NAME,
                marker=dict(size=22, color="rgba(0,0,0,0)", line=dict(color=MARK, width=3)))


def with_path_point(spec: dict, t: int) -> dict:
    """A copy of a hidden-state path spec with point t ringed."""
    path = spec["data"][0]
    return {**spec, "data": [*spec["data"], ring(float(values(path["x"])[t]), float(values(path["y"])[t]))]}
