"""A teacher's lesson link: the controls students see (hide=) and those they cannot change (lock=), chosen in a
panel, carried by the link, kept by the widgets (ui/widgets.draw)."""
from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from ..settings import CONTROLS, SETTINGS
from ..words import say
from . import class_view, session
from .widgets import words_of


def show_everything() -> None:
    session.set_values(hide="", lock="")


def note() -> None:
    """What a student sees on a page opened from a lesson link: that some controls are hidden, and how to show them."""
    hide, lock = session.hidden(), session.locked()
    if not hide and not lock:
        return
    with st.container(border=True):
        st.caption(say("class.note", hidden=len(hide), locked=len(lock)))
        st.button(say("class.show_all"), on_click=show_everything, key="class_show_all")


def option_name(key: str) -> str:
    """A control as the panel names it: its label and its view (the Explore and Train views both have a "Cell")."""
    return say(f"class.option.{SETTINGS[key].view}", name=say(SETTINGS[key].label))


def panel() -> None:
    """In the sidebar: choose what a class sees, and get the link for it."""
    with st.sidebar.expander(say("class.title"), key="class_panel"):
        name = words_of(option_name)
        st.multiselect(say("class.hide"), list(CONTROLS), default=sorted(session.hidden(), key=CONTROLS.index),
                       format_func=name, key="class_hide")
        st.multiselect(say("class.lock"), list(CONTROLS), default=sorted(session.locked(), key=CONTROLS.index),
                       format_func=name, key="class_lock")
        query = {k: v for k, v in st.query_params.to_dict().items() if k not in ("hide", "lock")}
        for key in ("hide", "lock"):
            chosen = [k for k in CONTROLS if k in (session.get(f"class_{key}") or [])]
            if chosen:
                query[key] = ",".join(chosen)
        base = (st.context.url or "").split("?")[0]
        st.caption(say("class.link"))
        st.code(f"{base}?{urlencode(query)}" if query else base, language=None, wrap_lines=True)
        class_view.teacher_link(base)           # the class's answers to the lesson, live (rnnviz/ui/class_view.py)
