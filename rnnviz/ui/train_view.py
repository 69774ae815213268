"""The Train view: live loss curves, predictions that improve, and the gradient fading through time."""
from __future__ import annotations

from dataclasses import fields, replace

import pandas as pd
import streamlit as st

from .. import weight_files as weights
from ..plots import train_numbers
from ..plots import training as train_plots
from ..plots.training import run_name
from ..settings import BY_FIELD, TASK, TRAIN
from ..state import format_value
from ..train.base import Saveable
from ..train.loop import COMPARE_CELLS, Event, Settings, known
from ..train.runner import Pool, Run
from ..train.runner import pool as shared_pool
from ..train.seq2seq import NumbersTrainer
from ..train.table import TASK_ROWS
from ..train.table import new_trainer as Trainer
from ..train.tasks import TEXT_CAP
from ..words import Problem, Said, say
from . import run_controls, session, shared_runs
from .charts import chart
from .widgets import draw, field_values

# Short enough for the sidebar's closed select box, in projector type too; TASK_HELP tells the rest.
DEFAULT_TEXT = str(TRAIN["tr_text"].default)

# The Train view's settings as a link says them: the registry's Train rows (rnnviz/settings.py).
LINK = TRAIN
ONLY_FOR = {k: s.only_for for k, s in TRAIN.items() if s.only_for}          # settings one task alone uses
FIRST = {k: s.default for k, s in TRAIN.items() if s.default is not TASK}    # + the task's own (task_defaults)
FIELDS = {f.name for f in fields(Settings)}                                  # the rows a trainer reads


def task_defaults(task: str) -> dict:
    """The settings a task starts from (its preset's, as its row of the task table says), by widget key."""
    try:
        d = TASK_ROWS[task].defaults(Settings(task=task, text=session.get("tr_text") or DEFAULT_TEXT))
    except (KeyError, ValueError):              # a text the task refuses: keep the cell and sizes as they are
        return {}
    return {BY_FIELD[f].key: v for f, v in d.items() if f in BY_FIELD} | {"tr_bi": False}


def apply_task_defaults() -> None:
    session.set_values(**task_defaults(session.get("tr_task", "apple")))


def init_defaults() -> None:
    """A session's first look at the Train view: the task's settings, then whatever its link said."""
    if session.get("_tr_ready"):
        return
    from_link = {k: session.get(k) for k in LINK if session.get(k) is not None}
    session.set_values(**FIRST)
    session.set_values(**{k: from_link[k] for k in ("tr_task", "tr_text") if k in from_link})
    apply_task_defaults()
    session.set_values(**from_link, _tr_ready=True)


def link() -> dict[str, str]:
    """The Train settings for the URL: the task, and what differs from its defaults."""
    task = session.get("tr_task")
    base = FIRST | task_defaults(task)
    return {"tr_task": task} | {k: format_value(session.get(k)) for k in LINK
                                if k != "tr_task" and ONLY_FOR.get(k, task) == task and session.get(k) != base.get(k)}


def bounds(key: str, kind=int) -> tuple:
    return kind(LINK[key].low), kind(LINK[key].high)


def controls() -> None:
    sb = st.sidebar
    sb.header(say("header.training"))
    draw("tr_task", on_change=apply_task_defaults)
    task = session.get("tr_task")
    if task == "text":
        draw("tr_text", max_chars=TEXT_CAP, help=say("help.tr_text", cap=f"{TEXT_CAP:,}"))
    if task == "memory":
        draw("tr_distance")
    if task == "numbers":
        draw("tr_attn")
    draw("tr_cell")
    draw("tr_hidden")
    if task != "numbers":                   # the encoder and the decoder have one layer each
        draw("tr_layers")
    if task == "memory":
        draw("tr_bi")
    draw("tr_opt", horizontal=True)
    draw("tr_lr")
    draw("tr_steps")
    draw("tr_clip")
    draw("tr_seed")
    draw("tr_pace", on_change=apply_pace)


def pace() -> tuple[float, bool]:
    """The chosen pace as (steps a second, 0 = as fast as it goes; one step per key press)."""
    chosen = session.get("tr_pace") or "real"
    return (float(chosen) if chosen.isdigit() else 0.0), chosen == "key"


def apply_pace() -> None:
    """A new pace takes hold of the runs under way at once (their numbers stay the same)."""
    steps_a_second, by_key = pace()
    for run in runs().values():
        pool().set_pace(run, steps_a_second, by_key)


def one_step() -> None:
    for run in runs().values():
        pool().step_once(run)


def current_settings() -> Settings:
    """The Train rows' values as the trainer's Settings (a row says its field; one task's rows only for it); the
    numbers are read aloud in the page's language."""
    task = session.get("tr_task")
    values = field_values(TRAIN, lambda key, row: row.field in FIELDS and ONLY_FOR.get(key, task) == task)
    return Settings(**values | {"lang": session.use_language()})      # a click's callback: the session's language


def pool() -> Pool:
    """The server's training pool, which asks the session manager whether a run's session is still there."""
    p = shared_pool()
    p.alive = session.alive
    return p


def runs() -> dict[str, Run]:
    return session.get("runs") or {}


def _start(compare: bool) -> None:
    """New runs in place of this session's, if the budget takes them; if not, the old ones go on as they were."""
    try:
        base = current_settings()
        new = ({name: Run(replace(base, cell=cell), label=name) for name, cell in COMPARE_CELLS.items()} if compare
               else {"this run": Run(base, label="this run")})
        steps_a_second, by_key = pace()
        for run in new.values():
            run.pace, run.by_key = steps_a_second, by_key
        pool().start(new.values(), session.session_id(), replacing=runs().values())
    except ValueError as e:         # bad settings, or Refused: past a budget (said when shown, in its language)
        session.put("train_error", e)
        return
    session.put("train_error", "")
    session.put("runs", new)


def start() -> None:
    _start(False)


def compare() -> None:
    _start(True)


def stop() -> None:
    run_controls.stop(pool(), runs().values())


def resume() -> None:
    session.put("train_error", run_controls.resume(pool(), runs().values()) or "")


def reset() -> None:
    stop()
    session.put("runs", {})
    session.put("train_error", "")


def open_in_explore() -> None:
    run = runs().get("this run") or next(iter(runs().values()), None)
    if run is None:
        return
    run_controls.to_explore(run, f"{run.settings.task}, {run.settings.cell}, {run.trainer.step}/{run.settings.steps}")


def trainer_of(s: Settings) -> Saveable:
    """The task table's trainer of an uploaded file's settings; the text lab's own files open on its page."""
    if s.task == "lab":
        raise Problem("upload.lab_file")
    return Trainer(s)


def upload() -> None:
    f = session.get("tr_upload")
    if f is None:
        return
    try:
        run = run_controls.loaded(f.getvalue(), "this run", make=trainer_of)
    except ValueError as e:
        session.put("upload_msg", ("error", Said("upload.refused", {"why": e})))
        return
    stop()
    session.put("runs", {"this run": run})
    session.put("upload_msg", ("success", Said("upload.loaded", {
        "name": f.name, "task": run.settings.task, "cell": run.settings.cell, "H": run.settings.hidden})))


BUTTONS = run_controls.Buttons("tr", {k: f"button.{k}" for k in ("start", "stop", "resume", "reset")},
                               start, stop, resume, reset)


def view() -> None:
    init_defaults()
    controls()
    st.subheader(say("train.title"))
    st.caption(say("train.caption"))
    active = any(r.active for r in runs().values())
    row = run_controls.row(BUTTONS, runs().values())
    row.button(say("button.compare"), on_click=compare, width="stretch", key="tr_compare", help=say("help.compare"))
    if pace()[1]:                                       # a step per press of the button or of → (a clicker too)
        row.button(say("button.one_step"), on_click=one_step, disabled=not active, width="stretch",
                   key="tr_one_step", shortcut="Right", help=say("help.one_step"))
    if session.get("train_error"):
        st.error(session.plain(session.sentence(session.get("train_error"))))
    live(active)
    weights_panel()


LIVE_SECONDS = 0.15      # progress and curves: over five redraws a second while a run trains (0.2 s gave 4.4)
BUSY_SECONDS = 0.2       # ... while runs queue for the pool: each advances only in its turn, and the server
                         #     keeps its time for interactive reruns (bench/load.py at N = 30)
DETAIL_SECONDS = 1.0     # predictions and gradient heatmaps: heavier for the browser to draw, once a second


def live_seconds() -> float:
    """How often the live charts redraw: as often as is useful while no run waits for the pool."""
    return BUSY_SECONDS if pool().waiting() else LIVE_SECONDS


def live(active: bool) -> None:
    @st.fragment(run_every=live_seconds() if active else None)
    def progress() -> None:
        session.use_language()          # a fragment's own run: say its words in the page's language
        current = runs()
        if not current:
            st.info(say("train.empty"))
            # The empty axes the curves will grow on: plotly's script is loaded and the figure is in place before a
            # run starts (a figure first drawn mid-run waited seconds for that script: a 3 s run showed none).
            draw_curves({})
            return
        for name, run in current.items():
            status_line(name, run, len(current) > 1)
        draw_curves(current)
        if active and not any(r.active for r in current.values()):
            st.rerun()          # the runs ended: redraw the whole page once, and stop polling

    @st.fragment(run_every=DETAIL_SECONDS if active else None)
    def details() -> None:
        session.use_language()
        current = runs()
        if current:
            draw_details(current)

    progress()
    details()


def status_line(name: str, run: Run, named: bool) -> None:
    ev = run.last
    step, steps = (run.trainer.step, known(run.settings.steps))
    prefix = f"**{run_name(name)}** " if named else ""
    position = pool().position(run) if run.status == "queued" else None
    state = (say("status.by_key") if run.by_key and run.status == "queued" and run.steps_allowed == 0
             else say("status.queued_at", place=position) if position and not run.pace and not run.by_key
             else say("status.running") if run.status == "queued" else say(f"status.{run.status}"))
    if ev is not None and ev.status != "ok":
        step = ev.step                  # the step that failed, as its message says (the weights are the step before)
    loss = say("status.loss", loss=f"{ev.loss:.4f}", accuracy=f"{ev.accuracy:.0%}") if ev and ev.status == "ok" else ""
    st.progress(min(step / steps, 1.0), text=f"{prefix}{state}: " + say("status.step", step=step, steps=steps) + loss)
    if run.status == "failed":
        st.error(session.plain(str(run.message)))


def draw_curves(current: dict[str, Run]) -> None:
    chart(train_plots.curves_spec(train_plots.curves_of(current), session.present()), "curves")


def draw_details(current: dict[str, Run]) -> None:
    readers = {name: r for name, run in current.items() if (r := reader_of(run)) is not None}
    if readers:
        numbers_panel(readers)
        return
    if len(current) == 1:
        predictions_table(next(iter(current.values())))
    else:
        cell, step, loss, accuracy, prediction, target = (say(f"col.{k}") for k in (
            "cell", "step", "loss", "accuracy", "prediction", "target"))
        st.dataframe(pd.DataFrame([{cell: run_name(n), step: r.trainer.step, loss: r.last.loss if r.last else None,
                                    accuracy: r.last.accuracy if r.last else None,
                                    prediction: r.last.prediction if r.last else "", target: r.last.target if r.last else ""}
                                   for n, r in current.items()]), hide_index=True, width="stretch",
                     column_config={accuracy: st.column_config.ProgressColumn(accuracy, min_value=0, max_value=1,
                                                                              format="percent")})
    gradient_panel(current, session.present())


def reader_of(run: Run) -> NumbersTrainer | None:
    """The numbers task's trainer of a run (an encoder-decoder), or None for the other tasks' runs."""
    trainer = None if run.released else run.trainer
    return trainer if isinstance(trainer, NumbersTrainer) else None


def numbers_panel(readers: dict[str, NumbersTrainer]) -> None:
    """The numbers task: exact readings of held-out numbers against the step, and a few of them as read now."""
    chart(train_numbers.held_spec(next(iter(readers.values())).held_history, session.present()), "numbers_held")
    for name, trainer in readers.items():
        if not trainer.held_history:
            st.caption(say("numbers.held_waiting", every=trainer.eval_every))
            continue
        step, share = trainer.held_history[-1]
        prefix = f"{run_name(name)}: " if len(readers) > 1 else ""
        st.text(prefix + say("numbers.held_now", share=f"{share:.0%}", n=len(trainer.task.held_out), step=step))
        # the model's words as plain text, never markdown: "2026 → 이천이십육 ✓", or "… ✗ (이천이십육)" while wrong
        st.text("\n".join([say("numbers.readings_title", step=step)] + [
            f"{n} → {got} ✓" if got == want else f"{n} → {got} ✗ ({want})" for n, got, want in trainer.last_readings]))


def predictions_table(run: Run) -> None:
    """The lesson's printout as a table: [31/151] 1.9172  We are Avengers going are Avengers End Game."""
    printout_table(run.printout(39), "predictions.title.many_to_one" if run.trainer.task.many_to_one else "predictions.title")


def printout_table(events: list[Event], title: str = "predictions.title") -> None:
    """Events as the note prints them, a row each: step, loss, accuracy, prediction, target (Train and lessons)."""
    if not events:
        return
    st.markdown(say(title))
    step, loss, accuracy, prediction, target = (say(f"col.{k}") for k in ("step", "loss", "accuracy", "prediction",
                                                                          "target"))
    st.dataframe(pd.DataFrame([{step: f"[{e.step:02d}/{e.steps}]", loss: round(e.loss, 4), accuracy: e.accuracy,
                                prediction: e.prediction, target: e.target} for e in events]),
                 hide_index=True, width="stretch",
                 column_config={accuracy: st.column_config.ProgressColumn(accuracy, min_value=0, max_value=1,
                                                                          format="percent"),
                                prediction: st.column_config.TextColumn(prediction, width="large"),
                                target: st.column_config.TextColumn(target, width="large")})


def gradient_panel(current: dict[str, Run], present: bool) -> None:
    st.markdown(say("gradient.title"))                  # our own words, with their markdown
    recorded = {name: r for name, run in current.items() if (r := train_plots.gradient_of(run)) is not None}
    waiting = [name for name in current if name not in recorded]
    if waiting:
        st.caption(say("gradient.waiting", names=", ".join(run_name(n) for n in waiting)))
    if recorded:            # one figure, one colour scale: it also keeps its size in a narrow window
        chart(train_plots.grad_heatmap_spec(recorded, present), "grad_map")
    profiles = {name: norms[-1] for name, (_, norms, _) in recorded.items()}
    if profiles:
        chart(train_plots.grad_profile_spec(profiles, present), "grad_profile")


def weights_panel() -> None:
    st.markdown(f"**{say('header.weights')}**")
    run = runs().get("this run") or next(iter(runs().values()), None)
    if run is not None and not run.active and (run.trainer.step > 0 or run.status == "loaded"):
        row = st.container(horizontal=True, wrap=True)          # one under the other in a narrow window: never cut
        if TASK_ROWS[run.settings.task].explore:    # an encoder-decoder's weights at work: lesson 001's pages
            row.button(say("button.to_explore"), on_click=open_in_explore, key="tr_explore")
        row.download_button(say("button.download_weights"), weights.to_bytes(run.trainer),
                            weights.download_name(run.settings.cell),    # the name the code panel loads
                            mime="application/octet-stream", key="tr_download")
        shared_runs.share_button(row)
    else:
        st.caption(say("weights.later"))
    # A row of its own: in a third of the width its "Drag and drop" and size limit were cut at 1024 px.
    st.file_uploader(say("label.upload"), type=["safetensors"], key="tr_upload", on_change=upload)
    msg = session.get("upload_msg")
    if msg:
        (st.error if msg[0] == "error" else st.success)(session.plain(str(msg[1])))
