"""The page: header, presentation mode, and the Explore and Train views."""
from __future__ import annotations

import gc

import streamlit as st

from ..state import SPECS, Config
from ..words import current as current_language
from ..words import say
from . import class_link, controls, long_link, page_keys, session, shared_runs, streamlit_words, train_view
from . import explore_view as explore
from . import lab as lab_view
from . import lessons as lessons_view
from .widgets import draw

# Imported once per server process, after torch, numpy and plotly: move everything alive now out of the
# collector's reach, so an automatic full collection (postScriptGC is off) walks only what sessions create.
gc.freeze()

# A fixed style of ours (never user text): larger type for a projector, and the page's head and gaps made compact
# so that on a 1280 × 800 projector the step figure's columns are on the first screen (the view switch goes to the
# sidebar and the text into a folded box; tests/e2e checks where the figure lands).
PRESENT_CSS = ("<style>html, body, [data-testid=stAppViewContainer] {font-size: 22px;} "
               "[data-testid=stHeader], [data-testid=stHeader] * {background: transparent; pointer-events: none;} "
               "[data-testid=stHeader] button, [data-testid=stHeader] button * {pointer-events: auto;} "
               "[data-testid=stMainBlockContainer] {padding-top: 0.6rem;} "
               "[data-testid=stMainBlockContainer] [data-testid=stVerticalBlock] {gap: 0.45rem;} "
               "[data-testid=stMainBlockContainer] h1 {font-size: 1.1rem; padding: 0 0 0.7rem 0;} "
               "@media (max-width: 800px) {[data-testid=stMainBlockContainer] h1 {padding-left: 2.4rem;}}</style>")


# Always (fixed, never user text): no grey frame round the whole page once a key has been pressed in it (Streamlit
# rings the focused main area, which the keys need to be, on every lesson page and t-move); the lesson and page boxes
# one under the other when the row is too narrow for both names whole (1024 px with the sidebar open cut the
# lesson's); and in Korean, lines break between words, not inside them (keep-all), with a long run still wrapped.
PAGE_CSS = ("<style>[data-testid=stMain]:focus-visible::before {box-shadow: none !important;} "
            "[data-testid=stHorizontalBlock]:has(> [data-testid=stColumn] .st-key-lesson) {flex-wrap: wrap;} "
            "[data-testid=stHorizontalBlock]:has(> [data-testid=stColumn] .st-key-lesson) > [data-testid=stColumn] "
            "{min-width: min(100%, 20rem);}</style>")
KOREAN_CSS = "<style>[data-testid=stApp] * {word-break: keep-all !important; overflow-wrap: anywhere !important;}</style>"


def page_config() -> dict:
    """The page's settings. In presentation mode the sidebar folds away for the charts (» at the top brings it
    back, and it stays while the mode lasts: Streamlit applies the sidebar state only when it changes)."""
    session.use_language()
    return dict(page_title=say("page.title"), page_icon="🔁", layout="wide",
                initial_sidebar_state="collapsed" if session.present() else "auto")


def main() -> None:
    link_notes = shared_runs.open_from_link(session.start(
        more={**train_view.LINK, **shared_runs.LINK, **lab_view.LINK, **lessons_view.LINK}))
    keep_settings()
    session.use_language()
    shared_runs.rerun_on_reconnect()
    draw("lang", on_change=session.switch_language)         # first in the sidebar: a reader finds it at once
    draw("present")
    st.sidebar.html(PAGE_CSS + (KOREAN_CSS if current_language() == "ko" else "")     # style only, out of the way
                    + (PRESENT_CSS if session.present() else ""))
    first_visit_tip()
    st.title(say("page.title"))
    if link_notes:
        with st.container(border=True):
            st.markdown(session.literal(say("link.notes_title")))
            for note in link_notes:
                st.warning(session.literal(str(note)))     # a link's text, never a link (literal: no autolink)
            st.button(say("button.dismiss"), on_click=session.dismiss_link_notes, key="dismiss_notes")
    class_link.note()
    draw("view", st.sidebar if session.present() else st, horizontal=not session.present(),
         label_visibility="collapsed")          # on a projector the figures get the room; » shows the views
    if session.get("view") == "lessons":
        lessons_view.view()
        session.sync_url(Config(view="lessons", lang=session.get("lang", "en"), present=session.present()),
                         lessons_view.link())                # a copied link opens this lesson page
    elif session.get("view") == "lab":
        lab_view.view()
        session.sync_url(session.widget_config()[0], lab_view.link())      # a copied link opens this lab
    elif session.get("view") == "train":
        train_view.view()
        session.sync_url(session.widget_config()[0], train_view.link() | shared_runs.link())   # a copied link opens this Train view
    else:
        explore_tab()
    class_link.panel()                  # last in the sidebar: a teacher's tool, out of the students' way
    streamlit_words.mount()             # Streamlit's own words, in the page's language
    page_keys.mount()                   # the keys stay the page's after the sidebar's switches
    long_link.mount()                   # a link too long for Streamlit: the link's notes say so


def keep_settings() -> None:
    """Every view's settings outlive a run that shows another view: Streamlit forgets the value of a widget that a
    run does not draw, unless the value is set again before (Explore's text and sizes, a lesson's page, ...)."""
    keys = [*SPECS, *train_view.LINK, *lessons_view.LINK, *lab_view.LINK]
    session.set_values(**{k: v for k in keys if (v := session.get(k)) is not None})


# The tip, once dismissed, stays away in this browser: a cookie of ours (no user text) that the next visit's first
# run reads through st.context.cookies, before anything is drawn, so a reload never flashes the tip.
TIP_COOKIE = "rnnviz_tip"
_REMEMBER_JS = f"""
export default function(component) {{
  document.cookie = "{TIP_COOKIE}=dismissed; max-age=31536000; path=/; SameSite=Lax";
}}
"""
_remember = st.components.v2.component("rnnviz_remember_tip", js=_REMEMBER_JS)


def first_visit_tip() -> None:
    """A line for a newcomer, at the top of the sidebar: the lessons, ▶ Play and the keys; once dismissed, gone for
    good in this browser (a cookie), and never shown on a link that already says what to open."""
    if session.get("tip_dismissed") is None:          # decided on the session's first run, before the URL is written
        session.put("tip_dismissed", bool(st.query_params) or st.context.cookies.get(TIP_COOKIE) == "dismissed")
    if session.get("tip_remember"):
        with st.sidebar:                # drawn on every run after: the cookie is written once it is mounted
            _remember(key="tip_remember_cookie", height=0)
    if session.get("tip_dismissed"):
        return
    with st.sidebar.container(border=True):
        st.markdown(say("tip.first"))
        row = st.container(horizontal=True, wrap=True)
        row.button(say("tip.open_lessons"), on_click=session.set_values,
                   kwargs=dict(view="lessons", tip_dismissed=True, tip_remember=True), key="tip_lessons", type="primary")
        row.button(say("button.dismiss"), on_click=session.set_values, kwargs=dict(tip_dismissed=True, tip_remember=True),
                   key="tip_dismiss")


def stop_trained() -> None:
    session.put("explore_weights", None)


def explore_tab() -> None:
    if session.get("explore_weights") is not None:
        st.button(say("button.untrain"), on_click=stop_trained, key="untrain")
    if session.present():               # folded on a projector: the figures get the first screen
        with st.expander(say("present.text_box"), key="present_text"):
            controls.text_controls()
    else:
        controls.text_controls()
    config, notes = session.widget_config()
    for note in notes:
        st.warning(session.literal(note))
    source = config
    ex: explore.Explored | None
    try:
        ex = explore.run(config)
        session.sync_url(ex.config, shared_runs.link())
        # Only the settings: the run itself lives in the shared, byte-bounded cache (and is rebuilt if it left it),
        # so a class of sessions never holds a run each.
        session.put("_last_good", config)
        session.put("t", ex.config.t)
        for key in ("row", "layer", "dir"):
            session.put(key, getattr(ex.config, key))
    except ValueError as e:
        st.error(session.literal(session.sentence(e)))
        source = session.get("_last_good")
        ex = last_good(source)
        if ex is None:
            controls.model_controls(None)
            return
        st.caption(say("caption.last_good"))
    controls.model_controls(ex.network.input_size)
    explore.draw(ex, session.present(), source)


def last_good(config: Config | None) -> explore.Explored | None:
    """The session's last run that worked, from its settings: the shared cache's (rebuilt if it was evicted)."""
    if config is None:
        return None
    try:
        return explore.run(config)
    except ValueError:          # the trained weights changed since, and no longer fit those settings
        return None
