"""Drawing a ready plotly spec without another copy or validation."""
from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

CHART = dict(width="stretch", config={"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}})


class ReadyFigure(go.Figure):
    """A figure whose spec is already valid plotly JSON (built by plots/, from validated figures or by hand
    and covered by tests): Streamlit gets it without another copy or validation.

    st.plotly_chart turns a Figure into its spec with `to_dict()` (a deep copy; tens of milliseconds for an
    animated figure) or validates a dict by building a Figure from it; both are skipped here.
    """

    def __init__(self, spec: dict):
        super().__init__()
        self._spec = spec

    def to_dict(self) -> dict:
        return self._spec


def chart(spec: dict, key: str) -> None:
    st.plotly_chart(ReadyFigure(spec), key=key, **CHART)
