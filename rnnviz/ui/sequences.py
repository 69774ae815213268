"""Lesson 001's last two sequence types, live: an encoder-decoder reading numbers aloud, and its decoder alone
writing from one vector (one-to-many). A small model per language and attention, trained once per server."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import streamlit as st

from ..engine.one_to_many import plane, point, write
from ..engine.seq2seq import Seq2Seq, Seq2SeqTrace
from ..plots.one_to_many import GRID, NUMBERS, plane_figure, writing_figure
from ..plots.seq2seq import reading_figure
from ..plots.theme import inked
from ..train.numbers import Numbers
from ..train.seq2seq import NumbersTrainer
from ..words import say
from . import session
from .charts import CONFIG, ReadyFigure, chart
from .streamlit_words import plotly_locale
from .widgets import words_of

PRESET = dict(cell="gru", hidden=64, embed=32, steps=200, batch=64, seed=0)   # ≥ 95% held out with attention
ATTENTIONS = ("general", "none")
FIRST = 2026                      # the number a page reads first
PLAY_SECONDS = 0.8                # ▶: one decoder step this often
SHOWN = 40                        # numbers whose contexts the one-to-many plane shows
GRID_SIDE = 9                     # … and a grid of GRID_SIDE² points between them


@dataclass(frozen=True)
class Reader:
    """A trained reading model: its task, the engine's copy of its weights, and its held-out exact readings."""

    task: Numbers
    model: Seq2Seq
    held: float


@st.cache_resource(show_spinner=False, max_entries=4)
def _trained(lang: str, attention: str) -> Reader:
    """Train the preset once per server; only the finished, read-only model is kept and shared."""
    trainer = NumbersTrainer(lang=lang, attention=attention, eval_every=PRESET["steps"], **PRESET)  # type: ignore[arg-type]
    held = [e.held_accuracy for e in trainer.events() if e.held_accuracy is not None]
    return Reader(trainer.task, trainer.engine(), held[-1])


def reader(lang: str, attention: str) -> Reader:
    """The model, trained now if this server has not trained it yet (the page says so meanwhile)."""
    with st.spinner(say("s2s.training", steps=PRESET["steps"])):
        return _trained(lang, attention)


def reading(r: Reader, number: int) -> tuple[list[str], Seq2SeqTrace]:
    """The engine's greedy reading of `number`: its tokens (EOS included) and its trace."""
    ids, trace = r.model.greedy(np.array([r.task.source(number)]), r.task.bos, r.task.eos, r.task.max_out)
    return [r.task.tgt_vocab[i] for i in ids[0]], trace


def contexts(r: Reader, numbers: list[int]) -> np.ndarray:
    """Each number's context, the encoder's last h: (N, H), from the engine."""
    return np.stack([r.model.encode(np.array([r.task.source(n)])).h_n[0, 0] for n in numbers])


def shown_numbers(task: Numbers, number: int) -> list[int]:
    """A seeded spread of numbers of every length, and the page's number."""
    rng = np.random.default_rng(0)
    picks = [int(n) for k in range(4) for n in rng.choice(np.arange(10 ** k if k else 0, 10 ** (k + 1)), SHOWN // 4,
                                                              replace=False)]
    return sorted(set(picks) | {number})


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
    tokens, trace = reading(r, number)
    said_line(r, number, tokens)
    vocab, digits = list(r.task.tgt_vocab), list(str(number))
    stepper(len(tokens), lambda t: chart(reading_figure(trace, digits, tokens, vocab, t, present).to_plotly_json(),
                                         "seq_reading"))
    if attention == "none":
        st.info(say("s2s.why_none", digits=len(digits), H=r.model.hidden))
        other = reader(lang, "general")
        st.caption(say("s2s.compare", none=f"{r.held:.0%}", general=f"{other.held:.0%}",
                       n=len(r.task.held_out)))
    else:
        st.caption(say("s2s.held", acc=f"{r.held:.0%}", n=len(r.task.held_out), steps=PRESET["steps"]))


def said_line(r: Reader, number: int, tokens: list[str]) -> None:
    """What the model read, whether it is right, and whether it ever saw the number."""
    got, right = r.task.words([r.task.tgt_vocab.index(t) for t in tokens]), r.task.words(r.task.target(number))
    seen = say("s2s.unseen" if number in set(r.task.held_out.tolist()) else "s2s.seen")
    st.markdown(say("s2s.read_right" if got == right else "s2s.read_wrong", number=number,
                    got=session.literal(got), right=session.literal(right), seen=seen))


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
    if "seq_number" not in st.session_state:
        session.put("seq_number", FIRST)
    number = int(st.number_input(say("s2s.o2m_number"), min_value=0, max_value=9_999, step=1, key="seq_number",
                                 on_change=chose_number, help=say("s2s.number_help")))
    start: tuple = session.get("seq_start") or ("number", number)
    numbers = shown_numbers(r.task, number if start[0] == "point" else start[1])
    vectors = contexts(r, numbers)
    mean, axes = plane(vectors)
    coords = (vectors - mean) @ axes.T
    if start[0] == "number":
        h0, xy = vectors[numbers.index(start[1])], tuple(coords[numbers.index(start[1])])
        st.markdown(say("s2s.o2m_from_number", number=start[1]))
    else:
        xy = (start[1], start[2])
        h0 = point(mean, axes, xy)
        st.markdown(say("s2s.o2m_from_point", x=f"{xy[0]:.2f}", y=f"{xy[1]:.2f}"))
    lo, hi = coords.min(axis=0) * 1.15, coords.max(axis=0) * 1.15
    grid = np.stack(np.meshgrid(np.linspace(lo[0], hi[0], GRID_SIDE), np.linspace(lo[1], hi[1], GRID_SIDE)), -1)
    st.caption(say("s2s.o2m_plane_kind"))
    spec = plane_figure(coords, numbers, grid.reshape(-1, 2), xy, present).to_plotly_json()
    st.plotly_chart(ReadyFigure(inked(spec)), key="seq_plane", width="stretch", on_select=chose_on_plane,
                    selection_mode="points", config={**CONFIG, **plotly_locale()})
    writing = write(r.model, h0, r.task.bos, r.task.eos, r.task.max_out)
    vocab = list(r.task.tgt_vocab)
    st.markdown(say("s2s.o2m_wrote", words=session.literal(r.task.words(writing.ids.tolist()) or "∅")))
    st.caption(say("s2s.o2m_kind"))
    stepper(len(writing.ids), lambda t: chart(writing_figure(writing, vocab, t, present).to_plotly_json(),
                                              "seq_writing"))


PANELS = {"seq2seq": encoder_decoder, "one_to_many": one_to_many}


def draw(page, lang: str, present: bool) -> None:
    """A lesson page of panel "seq2seq" or "one_to_many"."""
    PANELS[page.panel](lang, present)

