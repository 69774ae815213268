"""A figure's text alternative, read from its plotly spec: what it shows at the current step, for a screen reader
(rnnviz/ui/a11y.py hands it to the page as the figure's label). Words from the catalogues; numbers from the spec,
which holds the engine's numbers."""
from __future__ import annotations

import re

import numpy as np

from ..words import say
from .marks import MARK_NAME, values

MOST = 3        # figures of more traces are summed up by their first ones


TAG = re.compile(r"<[^>]*>")
BREAK = re.compile(r"\s*<br\s*/?>\s*", re.I)


def title(spec: dict) -> str:
    """The figure's title as read aloud: its lines as sentences, plotly's markup (<br>, <sup>, <b>) left out."""
    t = (spec.get("layout") or {}).get("title")
    text = str((t.get("text") if isinstance(t, dict) else t) or "").strip()
    return TAG.sub("", BREAK.sub(". ", text)).strip()


def step_of(spec: dict) -> int | None:
    """The current step as the figure marks it (the outline of column t), if it does."""
    for shape in (spec.get("layout") or {}).get("shapes") or ():
        if shape.get("name") == MARK_NAME and "x0" in shape:
            return int(round((float(shape["x0"]) + float(shape["x1"])) / 2))
    return None


def _labels(trace: dict, key: str, n: int) -> list[str]:
    raw = trace.get(key)
    got = [str(v) for v in values(raw).tolist()] if raw is not None else []
    return got if len(got) == n else [str(i) for i in range(n)]


def _number(v: float) -> str:
    return f"{v:.2f}".replace("-", "−")


def heatmap(trace: dict, t: int | None) -> str:
    z = np.asarray(values(trace.get("z")), dtype=float)
    if z.ndim != 2 or z.size == 0:
        return ""
    rows, cols = _labels(trace, "y", z.shape[0]), _labels(trace, "x", z.shape[1])
    name = str(trace.get("name") or "")
    if t is not None and 0 <= t < z.shape[1] and np.isfinite(z[:, t]).any():
        col = np.where(np.isfinite(z[:, t]), z[:, t], np.nan)
        hi, lo = int(np.nanargmax(col)), int(np.nanargmin(col))
        return say("a11y.column", name=name, t=t, n=z.shape[0], hi=_number(col[hi]), hi_at=rows[hi],
                   lo=_number(col[lo]), lo_at=rows[lo])
    if not np.isfinite(z).any():
        return ""
    (hr, hc), (lr, lc) = np.unravel_index(np.nanargmax(z), z.shape), np.unravel_index(np.nanargmin(z), z.shape)
    return say("a11y.grid", name=name, rows=z.shape[0], cols=z.shape[1], hi=_number(z[hr, hc]),
               hi_at=f"{rows[hr]}, {cols[hc]}", lo=_number(z[lr, lc]), lo_at=f"{rows[lr]}, {cols[lc]}")


def bars(trace: dict) -> str:
    y = np.asarray(values(trace.get("y")), dtype=float)
    if y.size == 0 or not np.isfinite(y).any():
        return ""
    x = _labels(trace, "x", y.size)
    top = int(np.nanargmax(y))
    return say("a11y.bars", name=str(trace.get("name") or ""), n=y.size, top=x[top], value=_number(y[top]))


def line(trace: dict) -> str:
    y = np.asarray(values(trace.get("y")), dtype=float) if trace.get("y") is not None else np.zeros(0)
    if y.size == 0 or not np.isfinite(y).any():
        return ""
    last = y[np.isfinite(y)][-1]
    return say("a11y.line", name=str(trace.get("name") or ""), n=y.size, last=_number(last),
               lo=_number(np.nanmin(y)), hi=_number(np.nanmax(y)))


def describe(spec: dict, t: int | None = None) -> str:
    """One or two sentences: the figure's title, the step it marks (or step t), and what its first traces hold
    there."""
    t = step_of(spec) if t is None else t
    parts = []
    for trace in (d for d in spec.get("data") or () if d.get("name") != MARK_NAME):
        kind = trace.get("type") or "scatter"
        text = heatmap(trace, t) if kind == "heatmap" else bars(trace) if kind == "bar" else \
            line(trace) if kind == "scatter" else ""
        if text:
            parts.append(text)
        if len(parts) == MOST:
            break
    head = say("a11y.figure_at", title=title(spec), t=t) if t is not None else say("a11y.figure", title=title(spec))
    return " ".join([head, *parts]) if parts else head
