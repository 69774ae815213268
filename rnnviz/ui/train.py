"""The Train view: live loss curves, predictions that improve, and the gradient fading through time."""
from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from .. import weights
from ..plots import train as train_plots
from ..state import CELL_LABELS, Spec, format_value
from ..train.loop import COMPARE_CELLS, LIMITS, Settings
from ..train.runner import Run, pool
from ..train.tasks import TEXT_CAP, make_task
from . import session, shared_runs
from .charts import chart

# Short enough for the sidebar's closed select box, in projector type too; TASK_HELP tells the rest.
TASKS = {"apple": "apple → pple!", "avengers": "Avengers sentence", "hello": "hello/eolll/lleel",
         "memory": "long memory", "text": "your own text"}
TASK_HELP = ("apple → pple!: one-hot characters, each predicts the next (lesson 003). Avengers: next word of “We are "
             "going to watch Avengers End Game”, embedded (lesson 002). hello/eolll/lleel: a batch of three one-hot "
             "sequences (lesson 004). long-range memory: recall the first token after N distractors, where a plain RNN's "
             "gradient fades. Your own text: next character of what you type.")


OPTIMIZERS = {"adam": "Adam", "sgd": "SGD + momentum"}
DEFAULT_TEXT = "hello world, 안녕하세요! " * 4

# The Train view's settings as a link says them: the keys are the widgets' keys, the ranges the widgets' ranges
# (the trainer's own LIMITS where it has one; the page keeps the hidden size to 256).
LINK = {
    "tr_task": Spec(str, choices=tuple(TASKS), label="training task"),
    "tr_text": Spec(str, high=TEXT_CAP, label="training text"),
    "tr_distance": Spec(int, *LIMITS["distance"], label="distance N"),
    "tr_cell": Spec(str, choices=tuple(CELL_LABELS), label="training cell"),
    "tr_hidden": Spec(int, 1, 256, label="training hidden size"),
    "tr_layers": Spec(int, *LIMITS["layers"], label="training layers"),
    "tr_bi": Spec(bool, label="training bidirectional"),
    "tr_opt": Spec(str, choices=tuple(OPTIMIZERS), label="optimizer"),
    "tr_lr": Spec(float, 1e-6, 1e6, label="learning rate"),
    "tr_steps": Spec(int, *LIMITS["steps"], label="steps"),
    "tr_clip": Spec(float, 0.0, 1e6, label="gradient clipping"),
    "tr_seed": Spec(int, 0, 2**31 - 1, label="training seed"),
}
ONLY_FOR = {"tr_text": "text", "tr_distance": "memory", "tr_bi": "memory"}    # settings one task alone uses
FIRST = {"tr_task": "apple", "tr_text": DEFAULT_TEXT, "tr_distance": 60, "tr_clip": 0.0, "tr_layers": 1}  # + the task's


def task_defaults(task: str) -> dict:
    """The settings a task starts from (its lesson's), by widget key."""
    try:
        d = make_task(task, session.get("tr_text") or DEFAULT_TEXT).defaults
    except ValueError:                          # a text the task refuses: keep the cell and sizes as they are
        return {}
    return dict(tr_cell=d["cell"], tr_hidden=d["hidden"], tr_lr=d["lr"], tr_steps=d["steps"], tr_opt=d["optimizer"],
                tr_seed=d["seed"], tr_bi=False)


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
    sb.header("Training")
    sb.selectbox("Task", list(TASKS), format_func=TASKS.get, key="tr_task", on_change=apply_task_defaults,
                 help=TASK_HELP)
    task = session.get("tr_task")
    if task == "text":
        sb.text_area("Training text", key="tr_text", max_chars=TEXT_CAP,
                     help=f"up to {TEXT_CAP:,} characters, trained on windows of 32")
    if task == "memory":
        sb.slider("Distance N (distractors)", *bounds("tr_distance"), key="tr_distance",
                  help="the token to recall comes N distractors before the question; at 60 a plain RNN stays at "
                       "chance while LSTM (chrono-initialised forget gates) and GRU remember")
    sb.selectbox("Cell", list(CELL_LABELS), format_func=CELL_LABELS.get, key="tr_cell")
    sb.slider("Hidden size", *bounds("tr_hidden"), key="tr_hidden")
    sb.slider("Layers", *bounds("tr_layers"), key="tr_layers")
    if task == "memory":
        sb.toggle("bidirectional", key="tr_bi", help="allowed here: the answer is asked after the whole sequence")
    sb.radio("Optimizer", list(OPTIMIZERS), key="tr_opt", horizontal=True, format_func=OPTIMIZERS.get)
    sb.number_input("Learning rate", *bounds("tr_lr", float), format="%g", key="tr_lr")
    sb.number_input("Steps", *bounds("tr_steps"), key="tr_steps")
    sb.number_input("Gradient clipping (max norm, 0 = off)", *bounds("tr_clip", float), format="%g", key="tr_clip")
    sb.number_input("Seed", *bounds("tr_seed"), key="tr_seed")


def current_settings() -> Settings:
    g = session.get
    return Settings(task=g("tr_task"), cell=g("tr_cell"), hidden=int(g("tr_hidden")), layers=int(g("tr_layers")),
                    bidirectional=bool(g("tr_bi", False)) and g("tr_task") == "memory", optimizer=g("tr_opt"),
                    lr=float(g("tr_lr")), steps=int(g("tr_steps")), clip=float(g("tr_clip")), seed=int(g("tr_seed")),
                    distance=int(g("tr_distance")), text=g("tr_text") if g("tr_task") == "text" else None)


def runs() -> dict[str, Run]:
    return session.get("runs") or {}


def _start(compare: bool) -> None:
    stop()
    try:
        base = current_settings()
        new = ({name: Run(replace(base, cell=cell), label=name) for name, cell in COMPARE_CELLS.items()} if compare
               else {"this run": Run(base, label="this run")})
    except ValueError as e:
        session.put("train_error", session.sentence(e))
        return
    session.put("train_error", "")
    session.put("runs", new)
    for run in new.values():
        pool().submit(run)


def start() -> None:
    _start(False)


def compare() -> None:
    _start(True)


def stop() -> None:
    for run in runs().values():
        pool().stop(run)


def resume() -> None:
    for run in runs().values():
        if run.status in ("stopped", "loaded") or (run.status == "done" and run.trainer.step < run.settings.steps):
            pool().submit(run)


def reset() -> None:
    stop()
    session.put("runs", {})
    session.put("train_error", "")


def open_in_explore() -> None:
    run = runs().get("this run") or next(iter(runs().values()), None)
    if run is None:
        return
    text, batch = weights.explore_text(run.trainer)
    session.put("explore_weights", weights.for_explore(run.trainer, f"{run.settings.task}, {run.settings.cell}, "
                                                                    f"step {run.trainer.step}"))
    session.set_values(text=text, batch=batch, view="explore", t=0, row=0, layer=0, dir=0, out=True, bf=True)


def upload() -> None:
    f = session.get("tr_upload")
    if f is None:
        return
    try:
        trainer = weights.from_bytes(f.getvalue())
    except ValueError as e:
        session.put("upload_msg", ("error", f"Not loaded: {e}. Nothing was changed."))
        return
    stop()
    run = Run(trainer.settings, label="this run", trainer_=trainer)
    run.status = "loaded"
    session.put("runs", {"this run": run})
    session.put("upload_msg", ("success", f"Loaded {f.name}: {trainer.settings.task}, {trainer.settings.cell}, "
                                          f"hidden {trainer.settings.hidden}. Press Resume to train it further."))


def view() -> None:
    init_defaults()
    controls()
    st.subheader("Train")
    st.caption("The model: (one-hot | embedding) → nn.RNN / LSTM / GRU → Linear, cross-entropy loss. Training runs in "
               "the background: keep using the page, it keeps going.")
    active = any(r.active for r in runs().values())
    stopped = any(r.status in ("stopped", "loaded") for r in runs().values())
    row = st.container(horizontal=True, wrap=True)     # a narrow window wraps the buttons instead of cutting them
    row.button("▶ Start", on_click=start, type="primary", width="stretch", key="tr_start")
    row.button("■ Stop", on_click=stop, disabled=not active, width="stretch", key="tr_stop")
    row.button("▷ Resume", on_click=resume, disabled=not stopped or active, width="stretch", key="tr_resume")
    row.button("↺ Reset", on_click=reset, disabled=not runs(), width="stretch", key="tr_reset")
    row.button("Compare cells", on_click=compare, width="stretch", key="tr_compare",
               help="train the same task with an RNN, an LSTM and a GRU, side by side")
    if session.get("train_error"):
        st.error(session.literal(session.get("train_error")))
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
        current = runs()
        if not current:
            st.info("Choose a task in the sidebar and press Start.")
            return
        for name, run in current.items():
            status_line(name, run, len(current) > 1)
        draw_curves(current)
        if active and not any(r.active for r in current.values()):
            st.rerun()          # the runs ended: redraw the whole page once, and stop polling

    @st.fragment(run_every=DETAIL_SECONDS if active else None)
    def details() -> None:
        current = runs()
        if current:
            draw_details(current)

    progress()
    details()


def status_line(name: str, run: Run, named: bool) -> None:
    ev = run.last
    step, steps = (run.trainer.step, run.settings.steps)
    prefix = f"**{name}** " if named else ""
    position = pool().position(run) if run.status == "queued" else None
    state = {"queued": f"waiting — place {position} in the training queue" if position else "waiting",
             "running": "training", "stopped": "stopped", "done": "finished", "failed": "stopped on an error",
             "loaded": "weights loaded", "new": "ready"}[run.status]
    loss = f", loss {ev.loss:.4f}, accuracy {ev.accuracy:.0%}" if ev and ev.status == "ok" else ""
    st.progress(min(step / steps, 1.0), text=f"{prefix}{state}: step {step}/{steps}{loss}")
    if run.status == "failed":
        st.error(session.literal(run.message))


def draw_curves(current: dict[str, Run]) -> None:
    chart(train_plots.curves_spec(train_plots.curves_of(current), session.present()), "curves")


def draw_details(current: dict[str, Run]) -> None:
    if len(current) == 1:
        predictions_table(next(iter(current.values())))
    else:
        st.dataframe(pd.DataFrame([{"cell": n, "step": r.trainer.step, "loss": r.last.loss if r.last else None,
                                    "accuracy": r.last.accuracy if r.last else None,
                                    "prediction": r.last.prediction if r.last else "", "target": r.last.target if r.last else ""}
                                   for n, r in current.items()]), hide_index=True, width="stretch")
    gradient_panel(current, session.present())


def predictions_table(run: Run) -> None:
    """The lesson's printout as a table: [31/151] 1.9172  We are Avengers going are Avengers End Game."""
    shown = run.printout(39)
    if not shown:
        return
    what = ("the answer for each of the first 16 sequences of the batch" if run.trainer.task.many_to_one
            else "argmax of every step of the first sequence")
    st.markdown(f"**Predictions while training** ({what})")
    st.dataframe(pd.DataFrame([{"step": f"[{e.step:02d}/{e.steps}]", "loss": round(e.loss, 4), "accuracy": e.accuracy,
                                "prediction": e.prediction, "target": e.target} for e in shown]),
                 hide_index=True, width="stretch",
                 column_config={"accuracy": st.column_config.ProgressColumn("accuracy", min_value=0, max_value=1,
                                                                            format="percent")})


def gradient_panel(current: dict[str, Run], present: bool) -> None:
    st.markdown("**Gradient through time** — ‖dL/dh_t‖ at each timestep, from the engine's backward pass "
                "(layer 0). A plain RNN's gradient fades towards the early steps; LSTM and GRU keep it.")
    recorded = {name: r for name, run in current.items() if (r := train_plots.gradient_of(run)) is not None}
    waiting = [name for name in current if name not in recorded]
    if waiting:
        st.caption(f"No gradient recorded yet: {', '.join(waiting)}.")
    if recorded:            # one figure, one colour scale: it also keeps its size in a narrow window
        chart(train_plots.grad_heatmap_spec(recorded, present), "grad_map")
    profiles = {name: norms[-1] for name, (_, norms, _) in recorded.items()}
    if profiles:
        chart(train_plots.grad_profile_spec(profiles, present), "grad_profile")


def weights_panel() -> None:
    st.markdown("**Weights**")
    run = runs().get("this run") or next(iter(runs().values()), None)
    if run is not None and not run.active and (run.trainer.step > 0 or run.status == "loaded"):
        row = st.container(horizontal=True, wrap=True)          # one under the other in a narrow window: never cut
        row.button("Step through these weights in Explore", on_click=open_in_explore, key="tr_explore")
        row.download_button("Download weights (safetensors)", weights.to_bytes(run.trainer),
                            f"rnnviz-{run.settings.task}-{run.settings.cell}.safetensors",
                            mime="application/octet-stream", key="tr_download")
        shared_runs.share_button(row)
    else:
        st.caption("When a run stops or finishes, its weights can go to the Explore view or be downloaded.")
    # A row of its own: in a third of the width its "Drag and drop" and size limit were cut at 1024 px.
    st.file_uploader("Load weights (.safetensors from rnnviz)", type=["safetensors"], key="tr_upload",
                     on_change=upload)
    msg = session.get("upload_msg")
    if msg:
        (st.error if msg[0] == "error" else st.success)(session.literal(msg[1]))
