"""Drawing a ready plotly spec without another copy or validation."""
from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import streamlit as st

from ..plots.theme import inked
from . import a11y
from .streamlit_words import plotly_locale

CONFIG: dict[str, Any] = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}


class ReadyFigure(go.Figure):
    """A figure whose spec is already valid plotly JSON (built by plots/, from validated figures or by hand
    and covered by tests): Streamlit gets it without another copy or validation.

    st.plotly_chart turns a Figure into its spec with `to_dict()` (a deep copy; tens of milliseconds for an
    animated figure) or validates a dict by building a Figure from it; both are skipped here.
    """

    def __init__(self, spec: dict):  # noqa: B027  no super().__init__: an empty go.Figure copies the default
        self._spec = spec             # template (about 7 ms); Streamlit only checks the type and calls to_dict()

    def to_dict(self) -> dict:
        return self._spec


def without_gap_hover(spec: dict) -> dict:
    """A heatmap's empty cells (no value: a passage's line ends) say nothing on hover, not "(position null)".
    A shallow copy: cached specs stay as they are."""
    data = spec.get("data") or []
    if not any(d.get("type") == "heatmap" and "hoverongaps" not in d for d in data):
        return spec
    return {**spec, "data": [{"hoverongaps": False, **d} if d.get("type") == "heatmap" else d for d in data]}


def chart(spec: dict, key: str) -> None:
    """A figure with plotly's own words (its toolbar, its notices) in the page's language."""
    st.plotly_chart(ReadyFigure(inked(without_gap_hover(spec))), key=key, width="stretch",
                    config={**CONFIG, **plotly_locale()})
    a11y.drawn(key, spec)                           # its text alternative for screen readers (ui/a11y.py)
