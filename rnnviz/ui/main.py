"""The page: its language, presentation mode, the first-visit tip, the link's notes, and the view chosen (ui/views.py)."""
from __future__ import annotations

import gc

import streamlit as st

from ..state import SPECS
from ..words import current as current_language
from ..words import say
from . import a11y, class_link, long_link, page_keys, page_style, session, shared_runs, streamlit_words, views, web
from .widgets import draw

# Imported once per server process, after torch, numpy and plotly: move everything alive now out of the
# collector's reach, so an automatic full collection (postScriptGC is off) walks only what sessions create.
gc.freeze()


def page_config() -> dict:
    """The page's settings. In presentation mode the sidebar folds away for the charts (» at the top brings it
    back, and it stays while the mode lasts: Streamlit applies the sidebar state only when it changes)."""
    session.use_language()
    return dict(page_title=say("page.title"), page_icon="🔁", layout="wide",
                initial_sidebar_state="collapsed" if session.present() else "auto")


def main() -> None:
    link_notes = shared_runs.open_from_link(session.start(more=views.link_rows()))
    a11y.start()                        # this run's figures, labelled for screen readers at its end
    keep_settings()
    session.use_language()
    shared_runs.rerun_on_reconnect()
    draw("lang", on_change=session.switch_language)         # first in the sidebar: a reader finds it at once
    draw("present")
    page_style.draw("page", *(["korean"] if current_language() == "ko" else []),
                    *(["present"] if session.present() else []))
    first_visit_tip()
    st.title(say("page.title"))
    if link_notes:
        with st.container(border=True):
            st.markdown(session.plain(say("link.notes_title")))
            for note in link_notes:
                st.warning(session.plain(str(note)))     # a link's text, never a link (literal: no autolink)
            st.button(say("button.dismiss"), on_click=session.dismiss_link_notes, key="dismiss_notes")
    class_link.note()
    draw("view", st.sidebar if session.present() else st, horizontal=not session.present(),
         label_visibility="collapsed")          # on a projector the figures get the room; » shows the views
    views.draw(session.get("view"))
    class_link.panel()                  # last in the sidebar: a teacher's tool, out of the students' way
    streamlit_words.mount()             # Streamlit's own words, in the page's language
    page_keys.mount()                   # the keys stay the page's after the sidebar's switches
    long_link.mount()                   # a link too long for Streamlit: the link's notes say so
    a11y.draw()                         # each figure's text alternative and the live region's sentence


def keep_settings() -> None:
    """Every view's settings outlive a run that shows another view: Streamlit forgets the value of a widget that a
    run does not draw, unless the value is set again before (Explore's text and sizes, a lesson's page, ...)."""
    keys = [*SPECS, *views.link_rows()]
    session.set_values(**{k: v for k in keys if (v := session.get(k)) is not None})


# The tip, once dismissed, stays away in this browser: a cookie of ours (no user text) that the next visit's first
# run reads through st.context.cookies, before anything is drawn, so a reload never flashes the tip.
TIP_COOKIE = "rnnviz_tip"
_remember = st.components.v2.component("rnnviz_remember_tip", js=web.script("remember_tip"))


def first_visit_tip() -> None:
    """A line for a newcomer, at the top of the sidebar: the lessons, ▶ Play and the keys; once dismissed, gone for
    good in this browser (a cookie), and never shown on a link that already says what to open."""
    if session.get("tip_dismissed") is None:          # decided on the session's first run, before the URL is written
        session.put("tip_dismissed", bool(st.query_params) or st.context.cookies.get(TIP_COOKIE) == "dismissed")
    if session.get("tip_remember"):
        with st.sidebar:                # drawn on every run after: the cookie is written once it is mounted
            _remember(key="tip_remember_cookie", data={"cookie": TIP_COOKIE}, height=0)
    if session.get("tip_dismissed"):
        return
    with st.sidebar.container(border=True):
        st.markdown(say("tip.first"))
        row = st.container(horizontal=True, wrap=True)
        row.button(say("tip.open_lessons"), on_click=session.set_values,
                   kwargs=dict(view="lessons", tip_dismissed=True, tip_remember=True), key="tip_lessons", type="primary")
        row.button(say("button.dismiss"), on_click=session.set_values, kwargs=dict(tip_dismissed=True, tip_remember=True),
                   key="tip_dismiss")
