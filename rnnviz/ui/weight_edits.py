"""Edit a weight by hand: pick one of Wx, Wh or b of the layer on show, set it, and every figure follows (the edits
are a setting, `edits`, so they travel in the link and survive a t-move, a tab switch and a language switch)."""
from __future__ import annotations

import streamlit as st

from .. import edits as weight_edits
from ..explored import Explored
from ..words import Problem, say
from . import session
from .widgets import words_of


def current() -> list[weight_edits.Edit]:
    try:
        return weight_edits.parse(session.get("edits") or "")
    except Problem:
        return []                               # a hostile link's edits: the page says so (pipeline notes)


def _set(edits: list[weight_edits.Edit]) -> None:
    session.set_values(edits=weight_edits.text(edits))


def add(layer: int, reverse: bool) -> None:
    """The chosen weight (or the whole matrix) set to the chosen value."""
    g = session.get
    matrix = g("edit_matrix", "Wh")
    whole = bool(g("edit_whole"))
    edit = weight_edits.Edit(matrix, None if whole else int(g("edit_row", 0)),
                             None if whole or matrix == "b" else int(g("edit_col", 0)),
                             float(g("edit_value", 0.0)), layer, reverse)
    kept = [e for e in current() if e.place != edit.place]
    _set([*kept, edit][-weight_edits.MAX_EDITS:])


def reset(place: tuple | None = None) -> None:
    _set([e for e in current() if place is not None and e.place != place])


def panel(ex: Explored) -> None:
    """The editor, for the layer and direction on show."""
    c, net = ex.config, ex.network
    reverse = c.dir == 1
    Wx, Wh, b_ih, b_hh = net.weights(c.layer, reverse)
    shapes = {"Wx": Wx.shape, "Wh": Wh.shape, "b": (len(b_ih),)}
    edits = current()
    with st.expander(say("edit.title") + (f" ({len(edits)})" if edits else ""), key="edit_panel"):
        st.caption(say("edit.help"))
        top = st.columns(2)                         # two to a row: nothing cut in an 800 px window
        matrix = top[0].selectbox(say("edit.matrix"), weight_edits.MATRICES, key="edit_matrix",
                                  format_func=words_of(lambda m: f"{m} {shapes[m]}"))
        whole = top[1].toggle(say("edit.whole"), key="edit_whole")
        rows = shapes[matrix][0]
        place = st.columns(2)
        row = place[0].number_input(say("edit.row"), 0, rows - 1, key="edit_row", disabled=whole)
        col = 0
        if matrix != "b":
            col = place[1].number_input(say("edit.col"), 0, shapes[matrix][1] - 1, key="edit_col", disabled=whole)
        now = {"Wx": Wx, "Wh": Wh}.get(matrix)
        value = float(now[min(row, rows - 1), min(col, now.shape[1] - 1)]) if now is not None else \
            float(b_ih[min(row, rows - 1)] + b_hh[min(row, rows - 1)])
        st.number_input(say("edit.value"), -weight_edits.MAX_VALUE, weight_edits.MAX_VALUE, value=round(value, 4),
                        step=0.1, format="%g", key="edit_value")
        st.button(say("edit.apply"), on_click=add, args=(c.layer, reverse), key="edit_apply", type="primary")
        if not edits:
            st.caption(say("edit.none"))
            return
        st.caption(session.plain(weight_edits.describe(edits)))
        row_ = st.container(horizontal=True, wrap=True)
        row_.selectbox(say("edit.reset_one"), [e.place for e in edits], key="edit_pick", label_visibility="collapsed",
                       format_func=lambda place: str(next(e for e in edits if e.place == place)))
        row_.button(say("edit.reset_one"), on_click=lambda: reset(session.get("edit_pick")), key="edit_reset_one")
        row_.button(say("edit.reset_all"), on_click=reset, key="edit_reset_all")
