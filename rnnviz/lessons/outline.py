"""The element a lesson page points at, outlined on a copy of a figure spec (plotly JSON)."""
from __future__ import annotations

from ..plots.theme import MARK

OUTLINE_NAME = "lesson outline"     # tests and the browser find the outline by this name
PAD = 0.006                         # paper fraction around the column, so the line does not cover its cells


def column_index(spec: dict, start: str) -> int:
    """The step figure's column whose heatmap is named `start`… (x_t, + Wh·h_{t−1}, h_t = tanh(a_t), f = σ(·))."""
    names = [trace["x"][0] for trace in spec["data"] if trace.get("type") == "heatmap" and len(trace.get("x", ())) == 1]
    for c, name in enumerate(names):
        if name.startswith(start):
            return c
    raise KeyError(f"the step figure has no column {start!r}: it has {names}")


def box(spec: dict, c: int) -> dict:
    """A rectangle around column c of the step figure, in paper coordinates (barely above it: its name stays clear)."""
    axis = "" if c == 0 else str(c + 1)
    x0, x1 = spec["layout"]["xaxis" + axis]["domain"]
    y0, y1 = spec["layout"]["yaxis" + axis]["domain"]
    return dict(type="rect", xref="paper", yref="paper", x0=x0 - PAD, x1=x1 + PAD, y0=y0 - 2 * PAD, y1=y1 + PAD / 3,
                line=dict(color=MARK, width=4, dash="dot"), name=OUTLINE_NAME)


def outlined(spec: dict, start: str) -> dict:
    """A copy of a step figure spec with one column outlined, in the figure and in every frame of its animation."""
    shape = box(spec, column_index(spec, start))
    layout = {**spec["layout"], "shapes": [*spec["layout"].get("shapes", ()), shape]}
    frames = [{**fr, "layout": {**fr.get("layout", {}), "shapes": [*fr.get("layout", {}).get("shapes", ()), shape]}}
              for fr in spec.get("frames", ())]
    return {**spec, "layout": layout, "frames": frames}
