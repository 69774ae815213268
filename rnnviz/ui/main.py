"""The page: header, presentation mode, and the Explore and Train views."""
from __future__ import annotations

import gc

import streamlit as st

from . import controls, explore, session, shared_runs
from . import train as train_view

# Imported once per server process, after torch, numpy and plotly: move everything alive now out of the
# collector's reach, so an automatic full collection (postScriptGC is off) walks only what sessions create.
gc.freeze()

# A fixed style of ours (never user text): larger type for a projector, and the page's head made compact so the
# step figure starts within a 1280 × 800 projector's first screen.
PRESENT_CSS = ("<style>html, body, [data-testid=stAppViewContainer] {font-size: 22px;} "
               "[data-testid=stMainBlockContainer] {padding-top: 3rem;} "
               "[data-testid=stMainBlockContainer] h1 {font-size: 1.6rem; padding: 0 0 0.5rem 0;}</style>")


def page_config() -> dict:
    """The page's settings. In presentation mode the sidebar folds away for the charts (» brings it back, and it
    stays while the mode lasts: Streamlit applies the sidebar state only when it changes)."""
    return dict(page_title="rnnviz — recurrent networks, step by step", page_icon="🔁", layout="wide",
                initial_sidebar_state="collapsed" if session.present() else "auto")


def main() -> None:
    link_notes = shared_runs.open_from_link(session.start(more=train_view.LINK | shared_runs.LINK))
    shared_runs.rerun_on_reconnect()
    st.sidebar.toggle("Presentation mode (projector)", key="present",
                      help="larger fonts and charts for a classroom projector; the sidebar folds away (» at the "
                           "top left brings it back)")
    if session.present():
        st.markdown(PRESENT_CSS, unsafe_allow_html=True)
    st.title("rnnviz — recurrent networks, step by step")
    if link_notes:
        with st.container(border=True):
            st.markdown("**This link had settings that could not be used as they were:**")
            for note in link_notes:
                st.warning(session.literal(note))
            st.button("Dismiss", on_click=session.dismiss_link_notes, key="dismiss_notes")
    st.radio("View", ["explore", "train"], key="view", horizontal=True, label_visibility="collapsed",
             format_func={"explore": "🔍 Explore: step through a network", "train": "📉 Train: watch it learn"}.get)
    if session.get("view") == "train":
        train_view.view()
        session.sync_url(session.widget_config()[0], train_view.link() | shared_runs.link())   # a copied link opens this Train view
    else:
        explore_tab()


def stop_trained() -> None:
    session.put("explore_weights", None)


def explore_tab() -> None:
    if session.get("explore_weights") is not None:
        st.button("Use fresh random weights again", on_click=stop_trained, key="untrain")
    controls.text_controls()
    config, notes = session.widget_config()
    for note in notes:
        st.warning(session.literal(note))
    try:
        ex = explore.run(config)
        session.sync_url(ex.config, shared_runs.link())
        session.put("_last_good", ex)
        session.put("t", ex.config.t)
        for key in ("row", "layer", "dir"):
            session.put(key, getattr(ex.config, key))
    except ValueError as e:
        st.error(session.literal(session.sentence(e)))
        ex = session.get("_last_good")
        if ex is None:
            controls.model_controls(None)
            return
        st.caption("Showing the last text that worked until this is fixed.")
    controls.model_controls(ex.network.input_size)
    explore.draw(ex, session.present())
