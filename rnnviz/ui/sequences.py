"""Lesson 001's last two sequence types, live: an encoder-decoder reading numbers aloud, and its decoder alone
writing from one vector (one-to-many). A small model per language and attention, trained once per server."""
from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st
import torch

from ..engine.seq2seq import Seq2Seq
from ..plots.one_to_many import GRID, NUMBERS, writing_figure
from ..plots.seq2seq import reading_figure
from ..plots.theme import inked
from ..sequences import Plane, reading, writing_from
from ..train.numbers import Numbers
from ..train.seq2seq import NumbersTrainer
from ..words import say
from . import session
from .charts import CONFIG, ReadyFigure, chart
from .streamlit_words import plotly_locale
from .widgets import words_of

STEPS = 200                       # the preset’s training: ≥ 95% of held-out numbers read right with attention
PRESET = dict(cell="gru", hidden=64, embed=32, steps=STEPS, batch=64, seed=0)
ATTENTIONS = ("general", "none")
FIRST = 2026                      # the number a page reads first
PLAY_SECONDS = 0.8                # ▶: one decoder step this often
WAIT_SECONDS = 0.5                # while a model trains: its progress this often


@dataclass(frozen=True)
class Reader:
    """A trained reading model: its task, the engine's copy of its weights, and its held-out exact readings."""

    task: Numbers
    model: Seq2Seq
    held: float


class Shelf:
    """This server's reading models: each trained once, in a thread of its own, then only read (shared by all)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.ready: dict[tuple[str, str], Reader] = {}
        self.step: dict[tuple[str, str], int] = {}
        self.failed: dict[tuple[str, str], str] = {}

    def get(self, lang: str, attention: str) -> Reader | None:
        """The model if trained; else None, and its training started if no one has started it."""
        key = (lang, attention)
        with self.lock:
            if key in self.ready or key in self.step:
                return self.ready.get(key)
            self.step[key] = 0
        threading.Thread(target=self._train, args=(key,), daemon=True, name=f"reading-{lang}-{attention}").start()
        return None

    def _train(self, key: tuple[str, str]) -> None:
        try:
            self._run(key)
        except Exception as e:          # said on the page, which stops waiting
            self.failed[key] = str(e)

    def _run(self, key: tuple[str, str]) -> None:
        torch.set_num_threads(1)        # as the training pool's workers: two threads on a busy machine wait on each other
        trainer = NumbersTrainer(lang=key[0], attention=key[1], eval_every=STEPS, **PRESET)  # type: ignore[arg-type]
        held = 0.0
        for e in trainer.events():
            self.step[key] = e.step
            held = e.held_accuracy if e.held_accuracy is not None else held
        with self.lock:
            self.ready[key] = Reader(trainer.task, trainer.engine(), held)


@st.cache_resource(show_spinner=False)
def shelf() -> Shelf:
    return Shelf()


def reader(lang: str, attention: str) -> Reader | None:
    """The model; while it trains (once per server), its progress, and the page comes back when it is ready."""
    r = shelf().get(lang, attention)
    if r is None:
        waiting(lang, attention)
    return r


def waiting(lang: str, attention: str) -> None:
    @st.fragment(run_every=WAIT_SECONDS)
    def progress() -> None:
        session.use_language()
        if shelf().get(lang, attention) is not None:
            st.rerun()
        if (lang, attention) in shelf().failed:
            st.error(say("s2s.failed", why=session.plain(shelf().failed[(lang, attention)])))
            return
        step = shelf().step.get((lang, attention), 0)
        st.progress(step / STEPS, text=say("s2s.training", step=step, steps=STEPS))

    progress()


# --- stepping through t ------------------------------------------------------------------------------------------

def clamp_t(T: int) -> int:
    t = session.get("seq_t", 0)
    t = min(max(t if isinstance(t, int) else 0, 0), T - 1)
    session.put("seq_t", t)
    return t


def move(delta: int, T: int) -> None:
    session.put("seq_play", False)
    session.put("seq_t", min(max(session.get("seq_t", 0) + delta, 0), T - 1))


def play() -> None:
    session.put("seq_t", 0)
    session.put("seq_play", True)


def restart() -> None:
    session.put("seq_t", 0)
    session.put("seq_play", False)


def stepper(T: int, draw: Callable[[int], None]) -> None:
    """◂ t, ▶, t ▸ and the figure at t; ▶ moves t on by itself (a fragment's timer) to the last step."""
    t = clamp_t(T)
    row = st.container(horizontal=True, vertical_alignment="center")
    row.button(say("s2s.prev"), on_click=move, args=(-1, T), disabled=t <= 0, key="seq_prev")
    row.button(say("s2s.play"), on_click=play, key="seq_play_button", type="primary")
    row.button(say("s2s.next"), on_click=move, args=(1, T), disabled=t >= T - 1, key="seq_next")
    playing = bool(session.get("seq_play"))

    @st.fragment(run_every=PLAY_SECONDS if playing else None)
    def frame() -> None:
        session.use_language()          # a fragment's own run: its words in the page's language
        now = clamp_t(T)
        st.caption(say("s2s.step", t=now, last=T - 1))
        draw(now)
        if session.get("seq_play"):
            if now >= T - 1:
                session.put("seq_play", False)
                st.rerun()                # the whole page again: the timer stops, the buttons show t
            session.put("seq_t", now + 1)

    frame()


# --- the encoder-decoder page ------------------------------------------------------------------------------------

def number_box() -> int:
    """The number to read, 0 … 9,999 (the box refuses others and keeps the last good one)."""
    if "seq_number" not in st.session_state:
        session.put("seq_number", FIRST)
    n = st.number_input(say("s2s.number"), min_value=0, max_value=9_999, step=1, key="seq_number",
                        on_change=restart, help=say("s2s.number_help"))
    return int(n)


def encoder_decoder(lang: str, present: bool) -> None:
    """Digits in, words out: the reading figure at the decoder's step t, with or without attention."""
    cols = st.columns(2)
    with cols[0]:
        number = number_box()
    attention = cols[1].radio(say("s2s.attention_choice"), ATTENTIONS, key="seq_att", horizontal=True,
                              on_change=restart, format_func=words_of(lambda k: say(f"s2s.att.{k}")))
    r = reader(lang, attention)
    if r is None:
        return
    tokens, trace = reading(r.task, r.model, number)
    said_line(r, number, tokens)
    vocab, digits = list(r.task.tgt_vocab), list(str(number))
    stepper(len(tokens), lambda t: chart(reading_figure(trace, digits, tokens, vocab, t, present).to_plotly_json(),
                                         "seq_reading"))
    if attention == "none":
        st.info(say("s2s.why_none", digits=len(digits), H=r.model.hidden))
        other = reader(lang, "general")
        if other is not None:
            st.caption(say("s2s.compare", none=f"{r.held:.0%}", general=f"{other.held:.0%}", n=len(r.task.held_out)))
    else:
        st.caption(say("s2s.held", acc=f"{r.held:.0%}", n=len(r.task.held_out), steps=STEPS))


def said_line(r: Reader, number: int, tokens: list[str]) -> None:
    """What the model read, whether it is right, and whether it ever saw the number."""
    got, right = r.task.words([r.task.tgt_vocab.index(t) for t in tokens]), r.task.words(r.task.target(number))
    seen = say("s2s.unseen" if number in set(r.task.held_out.tolist()) else "s2s.seen")
    st.markdown(say("s2s.read_right" if got == right else "s2s.read_wrong", number=number,
                    got=session.plain(got), right=session.plain(right), seen=seen))


# --- the one-to-many page ----------------------------------------------------------------------------------------

def start_of(points: list[dict]) -> tuple | None:
    """A click on the plane as a start: ("number", n) for a number's context, ("point", x, y) for a grid point."""
    for p in points:
        if p.get("curve_number") == NUMBERS and p.get("customdata") is not None:
            custom = p["customdata"]
            return ("number", int(custom[0] if isinstance(custom, list) else custom))
        if p.get("curve_number") == GRID:
            return ("point", float(p["x"]), float(p["y"]))
    return None


def chose_on_plane() -> None:
    """The plane's click: start from that vector (a number's click also puts it in the number box)."""
    event = session.get("seq_plane") or {}
    start = start_of(list((event.get("selection") or {}).get("points") or []))
    if start is None:
        return
    session.put("seq_start", start)
    if start[0] == "number":
        session.put("seq_number", start[1])
    restart()


def chose_number() -> None:
    session.put("seq_start", ("number", int(session.get("seq_number", FIRST))))
    restart()


def one_to_many(lang: str, present: bool) -> None:
    """The decoder alone, from a number's context or a clicked point of the contexts' plane, writing step by step."""
    r = reader(lang, "none")
    if r is None:
        return
    if "seq_number" not in st.session_state:
        session.put("seq_number", FIRST)
    number = int(st.number_input(say("s2s.o2m_number"), min_value=0, max_value=9_999, step=1, key="seq_number",
                                 on_change=chose_number, help=say("s2s.number_help")))
    start: tuple = session.get("seq_start") or ("number", number)
    where = Plane(r.task, r.model, number if start[0] == "point" else start[1])
    h0, xy = where.start(start)
    if start[0] == "number":
        st.markdown(say("s2s.o2m_from_number", number=start[1]))
    else:
        st.markdown(say("s2s.o2m_from_point", x=f"{xy[0]:.2f}", y=f"{xy[1]:.2f}"))
    st.caption(say("s2s.o2m_plane_kind"))
    st.plotly_chart(ReadyFigure(inked(where.figure(xy, present).to_plotly_json())), key="seq_plane", width="stretch",
                    on_select=chose_on_plane, selection_mode="points", config={**CONFIG, **plotly_locale()})
    writing = writing_from(r.task, r.model, h0)
    vocab = list(r.task.tgt_vocab)
    st.markdown(say("s2s.o2m_wrote", words=session.plain(r.task.words(writing.ids.tolist()) or "∅")))
    st.caption(say("s2s.o2m_kind"))
    stepper(len(writing.ids), lambda t: chart(writing_figure(writing, vocab, t, present).to_plotly_json(),
                                              "seq_writing"))


PANELS = {"seq2seq": encoder_decoder, "one_to_many": one_to_many}


def draw(page, lang: str, present: bool) -> None:
    """A lesson page of panel "seq2seq" or "one_to_many"."""
    PANELS[page.panel](lang, present)

