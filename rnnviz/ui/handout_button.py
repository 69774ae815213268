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
from ..lessons import LESSONS
from ..lessons import questions as qs
from ..panels import PANEL_ROWS, Look
from ..slides import figure_png, play_gif
from ..words import current, language, say
from .handout import Section, chromium, handout_html, handout_pdf

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


@st.cache_data(max_entries=8, show_spinner=False)
def lesson_handout(lesson: str, lang: str, _explored: Callable, _page_facts: Callable) -> str:
    """A lesson's handout HTML in `lang`: every page's title, words, figures, code and question; answers at the end."""
    sections = []
    with language(lang):
        for page in LESSONS[lesson]:
            ex = _explored(page, page.config(lang))[0]
            said, raw = _page_facts(page, ex)
            c, row = ex.config, PANEL_ROWS[page.panel]
            try:
                figs = panels.figures(row.on_lesson_page(page.with_states, c.cell), ex, Look(c.layer, c.dir, c.row, c.t))
            except (KeyError, ValueError):        # a page whose figure is a live run (training, sequences): its words
                figs = []
            question, answer = asked(lesson, page, said, raw)
            sections.append(Section(say(page.key(lesson, "title")), figs, say(page.key(lesson, "body"), **raw),
                                    page.code.format(**raw) if page.code else "", question, answer))
        return handout_html(say("handout.title", lesson=lesson), sections, lang)


def asked(lesson: str, page, said: dict, raw: dict) -> tuple[str, str]:
    """A page's question as the handout prints it (with its choices) and its answer for the key (with its why): the
    page's computed question (rnnviz/lessons/questions.py), else its words; none for a question whose answer comes
    from a live run (a training page's)."""
    q = qs.on_page(lesson, page.id)
    if q is not None:
        try:
            right, options = qs.right_answer(q, raw), q.options(raw)
        except (KeyError, TypeError, ValueError):       # the answer needs the page's live run
            return "", ""
        choices = f" ({' / '.join(options)})" if options else ""
        return say(q.key("q"), **said) + choices, f"{right}. {say(q.key('why'), **said, right=right)}"
    if page.question and page.panel != "train":
        return say(page.key(lesson, "q"), **raw), say(page.key(lesson, "a"), **raw)
    return "", ""


def draw_lesson_handout(lesson: str, explored: Callable, page_facts: Callable) -> None:
    """The lesson page's handout buttons: made when asked (every page's figures), then HTML and PDF downloads."""
    asked = f"handout_{lesson}_asked"
    if not st.session_state.get(asked):
        st.button(say("handout.make"), key=f"handout_{lesson}_make",
                  on_click=st.session_state.__setitem__, args=(asked, True))
        return
    with st.spinner(say("slides.making")):
        page = lesson_handout(lesson, current(), explored, page_facts)
    draw_handout(page, f"lesson_{lesson}")


def draw_handout(page: str, key: str) -> None:
    """A handout's downloads: the HTML at once (it is text), the PDF when asked."""
    cols = st.columns(2)
    cols[0].download_button(say("handout.get_html"), page.encode(), f"{key}.html", "text/html", key=f"{key}_html")
    if chromium() is not None and cols[1].button(say("handout.make_pdf"), key=f"{key}_pdf_make"):
        pdf = _file("pdf", page)
        if pdf is None:
            cols[1].warning(say("slides.busy"))
        else:
            cols[1].download_button(say("handout.get_pdf"), pdf, f"{key}.pdf", "application/pdf", key=f"{key}_pdf")
