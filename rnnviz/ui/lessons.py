"""The Lessons view: the five course notes as pages of words, live figures with one element outlined, a question
and its reveal, the equation, this step's numbers and the PyTorch code; previous / next with the arrow keys."""
from __future__ import annotations

from dataclasses import asdict, replace

import streamlit as st

from ..lessons import LESSONS, Page, page_count
from ..lessons.outline import outlined
from ..plots import marks, step
from ..settings import LESSON, LOOK_ONLY
from ..state import Config
from ..words import current, say
from . import explore_view as explore
from . import session, train_view
from .charts import chart
from .widgets import words_of

LINK = LESSON              # the link's lesson= and page= (rows of rnnviz/settings.py)


def where() -> tuple[str, int]:
    """The lesson and its 1-based page on show, clamped to the lesson (a note says so once)."""
    lesson = session.get("lesson")
    if lesson not in LESSONS:
        lesson = next(iter(LESSONS))
        session.put("lesson", lesson)
    n = session.get("page") or 1
    top = page_count(lesson)
    if not isinstance(n, int) or not 1 <= n <= top:
        session.put("lesson_note", say("lesson.page_beyond", lesson=lesson, asked=n, top=top))
        n = min(max(int(n) if isinstance(n, int) else 1, 1), top)
        session.put("page", n)
    return lesson, n


def go(delta: int) -> None:
    lesson, n = where()
    session.put("page", min(max(n + delta, 1), page_count(lesson)))


def new_lesson() -> None:
    session.put("page", 1)


def link() -> dict[str, str]:
    lesson, n = where()
    return {"lesson": lesson, "page": str(n)}


def nav(lesson: str, n: int) -> None:
    """Lesson choice, page list, previous / next (← → keys)."""
    top = page_count(lesson)
    cols = st.columns(2)                # halves: each name whole, at 1280 px in projector type too
    cols[0].selectbox(say("lesson.choose"), list(LESSONS), key="lesson", on_change=new_lesson,
                      format_func=words_of(lambda k: say(LINK["lesson"].choice(k))))
    pages = LESSONS[lesson]
    cols[1].selectbox(say("lesson.page_list"), list(range(1, top + 1)), key="page",
                      format_func=words_of(lambda i: f"{i}. {say(pages[i - 1].key(lesson, 'title'))}"))
    row = st.container(horizontal=True, vertical_alignment="center")
    row.button(say("lesson.prev"), on_click=go, args=(-1,), disabled=n <= 1, shortcut="Left", key="lesson_prev")
    row.button(say("lesson.next"), on_click=go, args=(1,), disabled=n >= top, shortcut="Right", key="lesson_next",
               type="primary")
    row.caption(say("lesson.where", n=n, top=top))


def page_facts(page: Page, ex) -> tuple[dict, dict]:
    """The page's numbers from the engine; strings (shapes, tokens) made safe for markdown."""
    raw = page.facts(ex) if page.facts else {}
    return {k: session.literal(v) if isinstance(v, str) else v for k, v in raw.items()}, raw


def view() -> None:
    lesson, n = where()
    note = session.get("lesson_note")
    if note:
        st.warning(session.literal(note))
        st.button(say("button.dismiss"), on_click=session.put, args=("lesson_note", ""), key="lesson_note_ok")
    nav(lesson, n)
    page = LESSONS[lesson][n - 1]
    present = session.present()
    config = page.config(current(), present)
    ex = explore.looking_at(explore.cached_build(_computes(config), "", None), config)
    said, raw = page_facts(page, ex)
    st.subheader(say(page.key(lesson, "title")))
    st.markdown(say(page.key(lesson, "body"), **said))
    figure(page, ex, present, raw)
    layers(lesson, page, said, raw)
    if page.question:
        st.markdown(f"**{say('lesson.question')}** {say(page.key(lesson, 'q'), **said)}")
        with st.expander(say("lesson.reveal"), key=f"reveal_{lesson}_{page.id}"):
            st.markdown(say(page.key(lesson, "a"), **said))
    doors(page, config)


def _computes(config: Config) -> Config:
    """The settings the engine run depends on (the shared cache's key)."""
    return replace(config, **LOOK_ONLY)


def figure(page: Page, ex, present: bool, facts: dict) -> None:
    """The page's live figure in its state, the element to look at outlined."""
    c = ex.config
    lt = ex.trace.layers[c.layer][c.dir]
    if page.panel == "step":
        spec, = explore.panel_specs("step", ex, present)
        spec = step.show_step(spec, lt, ex.network, c.row, c.t)
        chart(outlined(spec, page.outline) if page.outline else spec, "lesson_step")
        if page.with_states:            # the step figure's one range is set by its widest column (a_t): every h_t
            maps = explore.panel_specs("maps", ex, present)     # the input, then the hidden states (on their range)
            chart(marks.with_step(maps[1], c.t), "lesson_states")
    elif page.panel == "maps":
        for i, spec in enumerate(explore.panel_specs("maps", ex, present)[:2]):
            chart(marks.with_step(spec, c.t), f"lesson_map_{i}")
    elif page.panel == "weights":
        for i, spec in enumerate(explore.panel_specs("weights", ex, present)):
            chart(spec, f"lesson_weights_{i}")
    elif page.panel == "output":
        probs, last = explore.panel_specs("output", ex, present)
        chart(marks.with_step(probs, c.t), "lesson_probs")
        chart(last, "lesson_last")
    elif page.panel == "code":
        explore.torch_panel(ex)             # the shapes PyTorch reports, the two readings of a batch, the code
    elif page.panel in ("train", "compare"):
        live_training(page)


def layers(lesson: str, page: Page, said: dict, raw: dict) -> None:
    """The mathematics in layers under the picture: the equation, this step's numbers, the PyTorch code."""
    if page.math:
        st.latex(page.math)
    if page.numbers:
        st.markdown(say(page.key(lesson, "numbers"), **said))
    if page.code:
        st.caption(say("lesson.code"))
        st.code(page.code.format(**raw), language="python", wrap_lines=True)


def try_in_explore(config: Config) -> None:
    """The Explore view in this page's state: its settings, t, layer, direction and tab."""
    values = {k: v for k, v in asdict(config).items() if k not in ("view", "panel", "lang", "present")}
    session.put("explore_weights", None)
    session.set_values(**values, preset="none", view="explore", panel=session.panel_label(config.panel))


def train_yourself(task: str) -> None:
    train_view.init_defaults()
    session.set_values(tr_task=task, view="train")
    train_view.apply_task_defaults()


def doors(page: Page, config: Config) -> None:
    row = st.container(horizontal=True, wrap=True)
    row.button(say("lesson.try_explore"), on_click=try_in_explore, args=(config,), key="lesson_explore")
    if page.task:
        row.button(say("lesson.train_yourself"), on_click=train_yourself, args=(page.task,), key="lesson_train")


def start_live(task: str, compare: bool) -> None:
    """Train the page's task with its lesson's settings, through the Train view's pool and budget."""
    train_view.init_defaults()
    session.set_values(tr_task=task)
    train_view.apply_task_defaults()
    (train_view.compare if compare else train_view.start)()


def live_training(page: Page) -> None:
    compare = page.panel == "compare"
    row = st.container(horizontal=True)
    row.button(say("lesson.compare_live" if compare else "lesson.train_live"), on_click=start_live,
               args=(page.task, compare), key="lesson_live", type="primary")
    row.button(say("lesson.stop_live"), on_click=train_view.stop, key="lesson_stop")
    if session.get("train_error"):
        st.error(session.literal(session.get("train_error")))
    mine = {name: r for name, r in train_view.runs().items() if r.settings.task == page.task}
    active = any(r.active for r in mine.values())

    @st.fragment(run_every=train_view.live_seconds() if active else None)
    def progress() -> None:
        session.use_language()          # a fragment's own run: say its words in the page's language
        current_runs = {name: r for name, r in train_view.runs().items() if r.settings.task == page.task}
        if not current_runs:
            st.caption(say("lesson.press_train"))
            return
        for name, run in current_runs.items():
            train_view.status_line(name, run, len(current_runs) > 1)
        train_view.draw_curves(current_runs)
        if compare:
            train_view.gradient_panel(current_runs, session.present())
        else:
            train_view.predictions_table(next(iter(current_runs.values())))
        if active and not any(r.active for r in current_runs.values()):
            st.rerun()

    progress()
