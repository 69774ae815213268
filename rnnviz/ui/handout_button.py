"""Download buttons for a lesson's handout (HTML, and PDF where Chromium is) and a figure's slides (PNG, ▶ Play
as GIF). Each file is made only when its button is pressed, cached, and made one at a time for the whole server:
a student's export waits its turn instead of taking the CPU from the class."""
from __future__ import annotations

import threading
from collections.abc import Callable

import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st

from .. import panels
from ..explored import Explored
from ..handout import Section, chromium, handout_html, handout_pdf
from ..panels import Look
from ..slides import figure_png, play_gif
from ..words import say

ONE_AT_A_TIME = threading.Semaphore(1)   # exports run one after another, whoever asks
WAIT_SECONDS = 120                       # past this a student is told the server is busy, and loses nothing


class Busy(Exception):
    """The server stayed busy with other exports for WAIT_SECONDS (raised, so that no cache keeps it)."""


@st.cache_data(max_entries=16, show_spinner=False)
def _made(kind: str, spec: str) -> bytes | None:
    """The file of one kind for a figure (its plotly JSON) or a handout (its HTML): made once, then cached."""
    if not ONE_AT_A_TIME.acquire(timeout=WAIT_SECONDS):
        raise Busy
    try:
        if kind in ("png", "gif"):
            fig = pio.from_json(spec)
            return figure_png(fig) if kind == "png" else play_gif(fig)
        return handout_pdf(spec)
    finally:
        ONE_AT_A_TIME.release()


def _file(kind: str, spec: str) -> bytes | None:
    """The file, or None (the page says the server is busy, and the student keeps everything)."""
    with st.spinner(say("slides.making")):
        try:
            return _made(kind, spec)
        except Busy:
            return None


def draw_slides(make: Callable[[], go.Figure | dict], key: str, play: bool = True) -> None:
    """'PNG 1920×1080' and (play: the figure has ▶ Play's frames) 'GIF': press, then download. The figure is
    built only on a press (make), so an ordinary rerun pays nothing."""
    kinds = ["png"] + (["gif"] if play else [])
    for kind, col in zip(kinds, st.columns(len(kinds)), strict=True):
        asked = f"{key}_{kind}_asked"
        if not st.session_state.get(asked):
            col.button(say(f"slides.make_{kind}"), key=f"{key}_{kind}_make",
                       on_click=st.session_state.__setitem__, args=(asked, True))
            continue
        data = _file(kind, pio.to_json(make()))
        if data is None:
            col.warning(say("slides.busy"))
            st.session_state[asked] = False
        else:
            col.download_button(say(f"slides.get_{kind}"), data, f"{key}.{kind}", f"image/{kind}", key=f"{key}_{kind}_get")


def draw_step_slides(ex: Explored, present: bool) -> None:
    """Explore's step tab: its step figure at t as a slide, and its ▶ Play through every t as a GIF."""
    c = ex.config
    draw_slides(lambda: panels.step_figure(ex, Look(c.layer, c.dir, c.row, c.t, present))[0], "step")


def draw_handout(title: str, sections: list[Section], lang: str, key: str = "handout") -> None:
    """The lesson's handout: the HTML at once (it is text), the PDF when asked."""
    page = handout_html(title, sections, lang)
    cols = st.columns(2)
    cols[0].download_button(say("handout.get_html"), page.encode(), f"{key}.html", "text/html", key=f"{key}_html")
    if chromium() is not None and cols[1].button(say("handout.make_pdf"), key=f"{key}_pdf_make"):
        pdf = _file("pdf", page)
        if pdf is None:
            cols[1].warning(say("slides.busy"))
        else:
            cols[1].download_button(say("handout.get_pdf"), pdf, f"{key}.pdf", "application/pdf", key=f"{key}_pdf")
