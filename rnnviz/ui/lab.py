"""The text lab: train a character model on a real text, watch it write, and find the units that track the text."""
from __future__ import annotations

import math
from typing import cast

import pandas as pd
import streamlit as st

from .. import weight_files as weights
from ..engine.registry import cell_spec
from ..lab import neurons, texts
from ..lab.runs import lab_run
from ..lab.writer import write_run, writer_of
from ..plots import lab as plots
from ..settings import LAB, SETTINGS
from ..state import format_value
from ..text import cut
from ..train.charrnn import CharTrainer, LabEvent
from ..train.loop import Settings, known
from ..train.runner import Run
from ..words import Problem, Said, current, say
from . import run_controls, session
from .charts import chart
from .train_view import pool
from .widgets import draw, field_values, words_of

LINK = {k: row for k, row in LAB.items() if row.linked}   # the lab's settings as a link says them (a
                                                                   # pasted text and a prompt stay out of links)
PASSAGE = 1_200           # characters of the training text read by the engine for the neuron view
LIVE_SECONDS = 0.5
TRAINING = ("lab_cell", "lab_hidden", "lab_layers", "lab_opt", "lab_lr", "lab_steps", "lab_clip", "lab_seed")


def link() -> dict[str, str]:
    """The lab's settings for the URL: those that differ from their defaults (a pasted text stays out of links)."""
    return {k: format_value(session.get(k)) for k, row in LINK.items()
            if session.get(k) is not None and session.get(k) != row.default}


def told(e: Exception) -> Said | str:
    """What went wrong as a key and parameters where it has them: said in the reader's language when drawn (a
    callback runs before the page has set its language)."""
    return e.said if isinstance(e, Problem) else str(e)


def show(where, msg: tuple) -> None:
    """A stored message (kind, what[, the key of words around it]) said now, in the page's language."""
    kind, what, *around = msg
    text = session.sentence(str(what))
    if around:
        text = say(around[0], why=text)
    (where.error if kind == "error" else where.success)(session.plain(text))


def init_defaults() -> None:
    """A session's first look at the lab: every lab setting at its registry default."""
    session.set_values(**{k: s.default for k, s in LAB.items() if session.get(k) is None})


@st.cache_data(max_entries=16, show_spinner=False)
def source_text(source: str, module: str, lang: str) -> str:
    """The texts that come from the machine itself: the corpus, a module's source, the app's help."""
    if source == "stdlib":
        return texts.module_source(module)
    if source == "help":
        return texts.help_text(lang)
    return texts.corpus_text()


def current_text() -> str | None:
    source = session.get("lab_source")
    if source in ("paste", "upload"):
        return session.get("lab_user_text")
    return source_text(source, session.get("lab_module"), current())


def use_paste() -> None:
    """Take the pasted text if the lab can train on it; otherwise say why and keep the text in use."""
    try:
        session.put("lab_user_text", texts.checked(session.get("lab_paste") or ""))
        session.put("lab_text_msg", ("success", Said("lab.text_taken")))
    except Problem as e:
        session.put("lab_text_msg", ("error", told(e)))


def use_upload() -> None:
    f = session.get("lab_upload")
    if f is None:
        return
    try:
        session.put("lab_user_text", texts.from_upload(f.getvalue()))
        session.put("lab_text_msg", ("success", Said("lab.text_taken")))
    except Problem as e:
        session.put("lab_text_msg", ("error", told(e)))


def text_controls() -> None:
    sb = st.sidebar
    sb.header(say("lab.sidebar"))
    draw("lab_source")
    source = session.get("lab_source")
    if source == "paste":
        draw("lab_paste", sb, max_chars=int(LAB["lab_paste"].high or 0), height=160)   # code points: 1 MB of ASCII
        sb.button(say("lab.use_text"), on_click=use_paste, key="lab_use")
    elif source == "upload":
        sb.file_uploader(say("lab.upload_label"), type=["txt"], key="lab_upload", on_change=use_upload)
    elif source == "stdlib":
        draw("lab_module")
    msg = session.get("lab_text_msg")
    if msg and source in ("paste", "upload"):
        show(sb, msg)
    for key in TRAINING:
        draw(key)


def lab() -> Run | None:
    return session.get("lab_run")


def trainer_of(run: Run) -> CharTrainer:
    """A lab run's trainer: the lab's char-rnn, a row of the task table like the Train view's."""
    trainer = run.trainer
    if not isinstance(trainer, CharTrainer):
        raise TypeError(f"run {run.id} is not the lab's: its trainer is a {type(trainer).__name__}")
    return trainer


def settings_now(text: str) -> Settings:
    """The lab's rows that say a trainer field (cell, hidden, layers, ...), as the trainer's Settings for `text`."""
    return Settings(task="text", text=text, **field_values(LAB))


def start() -> None:
    """A new run in place of this session's, if the text, the settings and the budget allow; else a message."""
    text = current_text()
    try:
        if text is None:
            raise Problem("lab.no_text")
        run = lab_run(settings_now(text), label="lab")
        old = lab()
        pool().start([run], session.session_id(), replacing=[old] if old else [])
    except ValueError as e:          # a Problem with the text or settings, or Refused by the budget
        session.put("lab_error", told(e))
        return
    session.put("lab_error", "")
    session.put("lab_run", run)
    session.put("lab_source_used", session.get("lab_source"))


def runs() -> list[Run]:
    run = lab()
    return [run] if run else []


def stop() -> None:
    run_controls.stop(pool(), runs())


def resume() -> None:
    refused = run_controls.resume(pool(), runs())
    session.put("lab_error", told(refused) if refused else "")


def reset() -> None:
    stop()
    writing = session.get("lab_writer")
    if writing:
        pool().stop(writing)
    for key in ("lab_run", "lab_writer", "lab_error", "lab_write_error"):
        session.put(key, None)


BUTTONS = run_controls.Buttons("lab", {k: f"lab.{k}" for k in ("start", "stop", "resume", "reset")},
                               start, stop, resume, reset)


def view() -> None:
    init_defaults()
    text_controls()
    st.subheader(say("lab.title"))
    st.caption(say("lab.caption"))
    text = current_text()
    if text is not None:
        st.caption(say("lab.text_size", n=len(text)))
    run = lab()
    active = bool(run and run.active)
    run_controls.row(BUTTONS, runs(), can_start=text is not None)
    if session.get("lab_error"):
        show(st, ("error", session.get("lab_error")))
    live(active)
    if run is not None and run.trainer is not None and (run.trainer.step > 0 or run.status == "loaded"):
        write_panel(run)
        neuron_panel(run)
    weights_panel(run)


def open_in_explore() -> None:
    """The trained weights in the Explore view, stepping through the start of the training text."""
    run = lab()
    if run is None:                 # the button shows only with a run; a stale click finds none
        return
    run_controls.to_explore(run, say("lab.explore_name", cell=run.settings.cell, step=run.trainer.step), chars=200)


def upload_weights() -> None:
    f = session.get("lab_weights")
    if f is None:
        return
    try:
        run = run_controls.loaded(f.getvalue(), "lab", make=CharTrainer)
    except ValueError as e:
        session.put("lab_weights_msg", ("error", told(e), "lab.weights_refused"))
        return
    stop()
    session.put("lab_run", run)
    session.put("lab_weights_msg", ("success", Said("lab.weights_loaded", dict(cell=run.settings.cell,
                                                                            hidden=run.settings.hidden))))


def weights_panel(run: Run | None) -> None:
    st.markdown(f"**{say('lab.weights_title')}**")
    if run is not None and run.trainer is not None and not run.active and (run.trainer.step > 0 or run.status == "loaded"):
        row = st.container(horizontal=True, wrap=True)
        fits = known(run.settings.hidden) <= SETTINGS["H"].bounds[1] and run.settings.layers <= SETTINGS["L"].bounds[1]
        row.button(say("lab.to_explore"), on_click=open_in_explore, key="lab_explore", disabled=not fits)
        row.download_button(say("lab.download"), weights.to_bytes(run.trainer), weights.download_name(run.settings.cell),
                            mime="application/octet-stream", key="lab_download")
        if not fits:
            st.caption(say("lab.explore_too_big", most=int(SETTINGS["H"].bounds[1])))
    else:
        st.caption(say("lab.weights_when"))
    st.file_uploader(say("lab.weights_upload"), type=["safetensors"], key="lab_weights", on_change=upload_weights)
    msg = session.get("lab_weights_msg")
    if msg:
        show(st, msg)


def live(active: bool) -> None:
    @st.fragment(run_every=LIVE_SECONDS if active else None)
    def progress() -> None:
        session.use_language()      # a fragment's own run: say it in the session's language too
        run = lab()
        if run is None or run.trainer is None:
            st.info(say("lab.press_start"))
            return
        trainer, ev = trainer_of(run), cast(LabEvent | None, run.last)
        state = say(f"lab.status_{run.status}")
        bpc = ev.bpc if ev is not None and ev.status == "ok" else math.nan
        measured = math.isfinite(bpc) and math.isfinite(trainer.held_bpc)      # not before the first step
        st.progress(min(trainer.step / known(run.settings.steps), 1.0),
                    text=say("lab.progress", state=state, step=trainer.step, steps=run.settings.steps,
                             bpc=f"{bpc:.3f}", held=f"{trainer.held_bpc:.3f}") if measured else
                    say("lab.progress_none", state=state, step=trainer.step, steps=run.settings.steps))
        if run.status == "failed":
            st.error(session.plain(str(run.message)))
        steps, losses = list(run.steps), [x / math.log(2) for x in run.losses]
        chart(plots.bpc_spec(steps, losses, list(trainer.held_history), session.present()), "lab_curves")
        if trainer.last_sample:
            at, sample = trainer.last_sample
            st.markdown(session.plain(say("lab.sample_at", step=at, prompt=trainer.prompt)))
            st.code(trainer.prompt + sample, language=None, wrap_lines=True)
        if active and not run.active:
            st.rerun()              # training ended: draw the whole page once, with the writing and neuron panels

    progress()


def prompt_of(trainer: CharTrainer) -> str:
    """The prompt box's text, cut to its row's characters (code points first), or the fixed prompt."""
    return cut(session.get("lab_prompt") or "", int(LAB["lab_prompt"].high or 0)) or trainer.prompt


def write() -> None:
    """Write from the prompt in the training pool (its steps count against the student's budget), in place of the
    writing before; or say why not."""
    run, g = lab(), session.get
    if run is None or run.released:
        return
    old = g("lab_writer")
    try:
        new = write_run(trainer_of(run), prompt_of(trainer_of(run)), g("lab_length"), g("lab_temp"), g("lab_topk"),
                        g("lab_wseed"))
        pool().start([new], session.session_id(), replacing=[old] if old else [])
    except ValueError as e:          # a sampling setting out of its range, or Refused by the budget
        session.put("lab_write_error", told(e))
        return
    session.put("lab_write_error", None)
    session.put("lab_writer", new)


def written() -> tuple[str, str] | None:
    """(prompt, text) of the latest writing, as far as it has got."""
    run = session.get("lab_writer")
    if run is None or run.released:
        return None
    return writer_of(run).prompt, writer_of(run).text


def next_after(run: Run, text: str) -> list[tuple[str, float]]:
    """The bars after `text`, kept for this run's step: a rerun does not read the prompt through the model again."""
    key = (run.id, run.trainer.step, text)
    kept = session.get("lab_next_kept")
    if kept is None or kept[0] != key:
        kept = (key, trainer_of(run).next_chars(text, k=10))
        session.put("lab_next_kept", kept)
    return kept[1]


def write_panel(run: Run) -> None:
    st.markdown(f"**{say('lab.write_title')}**")
    trainer = trainer_of(run)
    left, right = st.columns([3, 2])
    draw("lab_prompt", left, placeholder=trainer.prompt, height=68)
    cols = left.columns(4)
    for col, key in zip(cols, ("lab_length", "lab_temp", "lab_topk", "lab_wseed")):
        draw(key, col)
    left.button(say("lab.write"), key="lab_write", on_click=write)
    if session.get("lab_write_error"):
        show(left, ("error", session.get("lab_write_error")))
    writing = session.get("lab_writer")
    with left:
        live_writing(bool(writing and writing.active), prompt_of(trainer))
    prompt_used, text = written() or (prompt_of(trainer), "")
    with right:
        position = st.slider(say("lab.position"), 0, len(text), len(text), key="lab_position") if text else 0
        chart(plots.next_spec(next_after(run, prompt_used + text[:position]), session.present()), "lab_next")


def live_writing(active: bool, prompt: str) -> None:
    @st.fragment(run_every=LIVE_SECONDS if active else None)
    def shown() -> None:
        session.use_language()
        run = session.get("lab_writer")
        prompt_used, text = written() or (prompt, "")
        st.code(prompt_used + text, language=None, wrap_lines=True)      # the text appears as it is drawn
        if run is not None and run.status == "failed":
            st.error(session.plain(session.sentence(str(run.message))))
        if active and not (run and run.active):
            st.rerun()              # written: draw the whole page once, with the position slider and its bars

    shown()


def activations_of(run: Run, text: str, kind: str, layer: int):
    """One kind of one layer over the passage (T, H) and its characters. Only that array is kept for this run's
    step: every kind of every layer of a 3-layer H = 512 LSTM would hold 44 MB a session."""
    key = (run.id, run.trainer.step, text[:PASSAGE], kind, layer)
    kept = session.get("lab_acts")
    if kept is None or kept[0] != key:
        acts = trainer_of(run).activations(text[:PASSAGE])
        kept = (key, acts.of(kind, layer).copy(), acts.chars)
        session.put("lab_acts", kept)
    return kept[1:]


def neuron_panel(run: Run) -> None:
    st.markdown(f"**{say('lab.neurons_title')}**")
    st.caption(say("lab.neurons_caption"))
    cell = run.settings.cell
    spec = cell_spec(cell)                              # h_t, c_t where the cell has it, and its gates
    kinds = ("h",) + (("c",) if spec.has_c else ()) + spec.gates
    fmt = words_of(lambda v: say(LAB["lab_kind"].choice(v)))
    cols = st.columns(3)
    kind = cols[0].selectbox(say(LAB["lab_kind"].label), kinds, format_func=fmt, key="lab_kind_shown")
    layer = cols[1].selectbox(say("lab.layer"), list(range(run.settings.layers)), key="lab_layer")
    X, chars = activations_of(run, run.settings.text or "", kind, layer)
    props = neurons.properties(chars)
    draw("lab_prop", cols[2], horizontal=True)
    prop = session.get("lab_prop")
    ranked = neurons.rank(X, {prop: props[prop]})[prop]
    table = pd.DataFrame({say("lab.col_unit"): ranked.units[:8], say("lab.col_r"): ranked.r[:8].round(3)})
    left, right = st.columns([1, 3])
    left.dataframe(table, hide_index=True)
    unit = left.number_input(say("lab.unit"), 0, X.shape[1] - 1, int(ranked.units[0]), key=f"lab_unit_{prop}_{kind}")
    follows = neurons.follows(X, int(unit), props)
    left.dataframe(pd.DataFrame({say("lab.col_prop"): [say(LAB["lab_prop"].choice(p)) for p, _ in follows],
                                 say("lab.col_r"): [round(r, 3) for _, r in follows]}), hide_index=True)
    with right:
        chart(plots.passage_spec(chars, X[:, int(unit)], say("lab.passage_title", unit=int(unit)), session.present()),
              "lab_passage")
    match_panel(chars, X)


def match_panel(chars: list[str], X) -> None:
    st.markdown(f"**{say('lab.match_title')}**")
    st.caption(say("lab.match_caption"))
    cols = st.columns([3, 1])
    quotes = neurons.properties(chars)["quote"]
    edges = [int(e) for e in (quotes[1:] != quotes[:-1]).nonzero()[0][:2] + 1]
    first = (edges[0], edges[1] - 1) if len(edges) == 2 and edges[1] - edges[0] > 1 else (0, min(10, len(chars)))
    start, end = cols[0].slider(say("lab.span"), 0, len(chars), first, key="lab_span")   # first: a quoted string
    draw("lab_th", cols[1])
    th = float(session.get("lab_th"))
    if end <= start:
        return
    units = neurons.chosen_units(X, start, end, th)
    st.markdown(session.plain(say("lab.chosen", n=len(units), span="".join(chars[start:end])[:60])))
    found = neurons.matches(X, units, th, start, end, limit=5)
    if len(units) and not found:
        st.caption(say("lab.no_match"))
    for k, m in enumerate(found):
        span = chars[m.start:m.end]
        chart(plots.match_spec(span, X[m.start:m.end][:, units], [int(u) for u in units],
                               say("lab.match_item", start=m.start, score=f"{m.score:.2f}"), session.present()),
              f"lab_match_{k}")
