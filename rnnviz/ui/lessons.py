"""The Lessons view: the five course notes as pages of words, live figures with one element outlined, a question
and its reveal, the equation, this step's numbers and the PyTorch code; previous / next with the arrow keys."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, replace

import pandas as pd
import streamlit as st

from .. import snippet
from ..engine import cell_spec
from ..explored import Explored
from ..lessons import LESSONS, Page, page_count
from ..lessons.facts import first_right
from ..lessons.outline import outlined
from ..panels import PANEL_ROWS, Panel
from ..plots.heatmaps import time_labels
from ..plots.literal import quoted
from ..settings import LESSON, LOOK_ONLY
from ..state import Config
from ..train.loop import Event, known
from ..train.runner import Run
from ..words import current, say
from . import a11y, handout_button, questions, run_controls, sequences, session, train_view
from . import explore_view as explore
from .cache import cached_build, weights_id
from .widgets import draw, words_of

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
    return {"lesson": lesson, "page": str(n)} | questions.link()       # a class's code stays in the link


def nav(lesson: str, n: int) -> None:
    """Lesson choice, page list, previous / next (← → keys)."""
    choose(lesson)
    turn(lesson, n)


def choose(lesson: str) -> None:
    """The lesson and page boxes."""
    cols = st.columns(2)                # halves: each name whole, at 1280 px in projector type too
    cols[0].selectbox(say("lesson.choose"), list(LESSONS), key="lesson", on_change=new_lesson,
                      format_func=words_of(lambda k: say(LINK["lesson"].choice(k))))
    pages = LESSONS[lesson]
    cols[1].selectbox(say("lesson.page_list"), list(range(1, page_count(lesson) + 1)), key="page",
                      format_func=words_of(lambda i: f"{i}. {say(pages[i - 1].key(lesson, 'title'))}"))


def turn(lesson: str, n: int) -> None:
    """◂ Previous, Next ▸ (the ← → keys) and where the page stands."""
    top = page_count(lesson)
    row = st.container(horizontal=True, vertical_alignment="center")
    row.button(say("lesson.prev"), on_click=go, args=(-1,), disabled=n <= 1, shortcut="Left", key="lesson_prev")
    row.button(say("lesson.next"), on_click=go, args=(1,), disabled=n >= top, shortcut="Right", key="lesson_next",
               type="primary")
    row.caption(say("lesson.where", n=n, top=top))


def page_facts(page: Page, ex) -> tuple[dict, dict]:
    """The page's numbers from the engine; strings (shapes, tokens) made safe for markdown."""
    raw = page.facts(ex) if page.facts else {}
    return {k: session.plain(v) if isinstance(v, str) else v for k, v in raw.items()}, raw


def view() -> None:
    """A lesson page. On a projector the figure comes first (the page's title, then the figure, whole on a
    1024 × 768 screen), its words under it, and the lesson and page boxes last: the keys and a clicker turn pages."""
    lesson, n = where()
    note = session.get("lesson_note")
    if note:
        st.warning(session.plain(note))
        st.button(say("button.dismiss"), on_click=session.put, args=("lesson_note", ""), key="lesson_note_ok")
    present = session.present()
    if not present:
        nav(lesson, n)
    page = LESSONS[lesson][n - 1]
    config = page.config(current(), present)
    ex, wid = explored(page, config)
    said, raw = page_facts(page, ex)
    st.subheader(say(page.key(lesson, "title")))
    a11y.announce("a11y.live_page", lesson=lesson, n=n, top=page_count(lesson), title=say(page.key(lesson, "title")))
    if not present:
        st.markdown(say(page.key(lesson, "body"), **said))
    figure(page, ex, wid, present, gated=not present)
    if present:
        turn(lesson, n)                 # the figure, ▶ and the page turns on one screen; the cell diagram under them
        gated_figures(page, ex, wid, present)
        st.markdown(say(page.key(lesson, "body"), **said))
    layers(lesson, page, said, raw)
    if not questions.draw(lesson, page.id, raw, said) and page.question:     # a computed question, else the reveal
        st.markdown(f"**{say('lesson.question')}** {say(page.key(lesson, 'q'), **said)}")
        with st.expander(say("lesson.reveal"), key=f"reveal_{lesson}_{page.id}"):
            st.markdown(answer(lesson, page, said))
    if n == page_count(lesson):
        questions.quiz(lesson, lambda page_id: facts_of(lesson, page_id, present))
    doors(page, config)
    if not present:
        handout_button.draw_lesson_handout(lesson, explored, page_facts)    # the lesson printed: made when asked
    if present:
        choose(lesson)


def facts_of(lesson: str, page_id: str, present: bool) -> tuple[dict, dict]:
    """Another page's numbers, said and raw (the lesson's quiz asks about its pages)."""
    page = next(p for p in LESSONS[lesson] if p.id == page_id)
    return page_facts(page, explored(page, page.config(current(), present))[0])


def _computes(config: Config) -> Config:
    """The settings the engine run depends on (the shared cache's key)."""
    return replace(config, **LOOK_ONLY)


def explored(page: Page, config: Config) -> tuple[Explored, str]:
    """The page's engine run (shared cache) and its weights' id: a page on its note's vocabulary has its own."""
    weights = page.weights(config)
    wid = f"{weights_id(weights)}:{page.vocab}" if weights is not None else ""
    return explore.looking_at(cached_build(_computes(config), wid, weights), config), wid


def figure(page: Page, ex: Explored, wid: str, present: bool, gated: bool = True) -> None:
    """The page's live figure in its state (the table's row of its panel), the element to look at outlined;
    `gated`: with the figures a cell with gates adds (the cell diagram), else those come later (gated_figures)."""
    panel = PANEL_ROWS[page.panel]
    DRAWERS.get(panel.draw, figures)(page, ex, wid, present, panel if gated else replace(panel, gated=()))


def gated_figures(page: Page, ex: Explored, wid: str, present: bool) -> None:
    """The figures a cell with gates adds to the page's (on a projector: under the page turns)."""
    panel = PANEL_ROWS[page.panel]
    names = panel.gated if cell_spec(ex.config.cell).G > 1 else ()
    if names and panel.draw not in DRAWERS:
        explore.draw_figures(names, ex, present, wid, key=lambda k: "lesson_" + k.removesuffix("_chart"))


def figures(page: Page, ex: Explored, wid: str, present: bool, panel: Panel) -> None:
    """The figures a lesson page of this panel shows, keyed `lesson_<key>` (random input: no tokens named)."""
    def finish(name: str, spec: dict) -> dict:
        spec = untokened(spec, ex) if ex.config.enc == "random" else spec
        return outlined(spec, page.outline) if name == "step" and page.outline else spec

    explore.draw_figures(panel.on_lesson_page(page.with_states, ex.config.cell), ex, present, wid,
                         key=lambda k: "lesson_" + k.removesuffix("_chart"), finish=finish)


def untokened(spec: dict, ex: Explored) -> dict:
    """A copy of a figure of random NumPy input, which has no tokens: its titles and time axes name the step t
    alone (the text behind such a run only counts its timesteps)."""
    c = ex.config
    tokens = ex.rows[c.row]
    labels, steps = time_labels(tokens), [str(t) for t in range(len(tokens))]
    titles = {say(k, t=t, token=quoted(tok), layer=c.layer, row=c.row): say(f"lesson.random.{k}", t=t,
                                                                             layer=c.layer, row=c.row)
              for k in ("step.title", "step.title.backward") for t, tok in enumerate(tokens)}
    axis, time_axis = say("axis.time_token"), say("lesson.random.axis")

    def walk(v):
        if isinstance(v, dict):
            return {k: walk(x) for k, x in v.items()}
        if isinstance(v, list):
            return steps if v == labels else [walk(x) for x in v]
        if isinstance(v, str):
            head, sep, tail = v.partition("<br>")
            return time_axis if v == axis else titles[head] + sep + tail if head in titles else v
        return v

    return walk(spec)


def tensors(page: Page, ex: Explored, wid: str = "", present: bool = False, panel: Panel | None = None) -> None:
    """The shapes PyTorch reports, the two readings of a batch, the code; a vocabulary only where there are tokens
    (random NumPy input has none), and for a page on its note's vocabulary the note's own code (below) alone."""
    if ex.config.enc != "random" and not page.vocab:
        explore.torch_panel(ex)
        return
    if page.vocab:
        explore.vocabulary(ex)
    rows = [{say("table.tensor"): n, say("table.shape"): str(tuple(s)), say("table.meaning"): m}
            for n, s, m in snippet.shapes(ex)]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    if not page.vocab:
        st.caption(say("caption.code"))
        st.code(snippet.torch_code(ex), language="python", wrap_lines=True)


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


EVERY_STEP = 100     # a run of up to this many steps is printed whole, as note 003 prints its 100 (longer: 5 or so)


def page_runs(page: Page) -> dict[str, Run]:
    """This session's runs of the page's task."""
    return {name: r for name, r in train_view.runs().items() if r.settings.task == page.task}


def printout(run: Run) -> list[Event]:
    """The steps the page's table prints: every one of a short run (as the note), else the Train view's cadence."""
    if known(run.settings.steps) <= EVERY_STEP:
        return [e for e in run.events if e.status == "ok"]
    return run.printout(39)


def answer(lesson: str, page: Page, said: dict) -> str:
    """The reveal: from the page's numbers, or for a training page from its run's own numbers."""
    if page.panel != "train":
        return say(page.key(lesson, "a"), **said)
    run = next(iter(page_runs(page).values()), None)
    right = first_right(printout(run)) if run is not None else None
    if right is None:
        return say(page.key(lesson, "a_wait"), **said)
    return say(page.key(lesson, "a"), **{**said, **right, "target": session.plain(right["target"])})


def pace_control(row, active: bool) -> None:
    """The Train view's pace (the same steps, slower), so a class can watch the prediction turn."""
    draw("tr_pace", row, on_change=train_view.apply_pace)
    if train_view.pace()[1]:            # one step per press (→ turns the page here: no shortcut)
        row.button(say("button.one_step"), on_click=train_view.one_step, disabled=not active, key="lesson_one_step",
                   help=say("help.one_step"))


def live_training(page: Page, ex: Explored | None = None, wid: str = "", present: bool = False,
                  panel: Panel | None = None) -> None:
    compare = page.panel == "compare"
    mine = page_runs(page)
    active = any(r.active for r in mine.values())
    buttons = run_controls.Buttons(
        "lesson", {"start": "lesson.compare_live" if compare else "lesson.train_live", "stop": "lesson.stop_live"},
        start=lambda: start_live(page.task, compare), stop=train_view.stop, width="content")
    row = run_controls.row(buttons, mine.values())      # the Train view's and the lab's row: start and stop here
    pace_control(row, active)
    if session.get("train_error"):
        st.error(session.plain(session.sentence(session.get("train_error"))))

    @st.fragment(run_every=train_view.live_seconds() if active else None)
    def progress() -> None:
        session.use_language()          # a fragment's own run: say its words in the page's language
        current_runs = page_runs(page)
        if not current_runs:
            st.caption(say("lesson.press_train"))
            return
        for name, run in current_runs.items():
            train_view.status_line(name, run, len(current_runs) > 1)
        train_view.draw_curves(current_runs)
        if compare:
            train_view.gradient_panel(current_runs, session.present())
        else:
            train_view.printout_table(printout(next(iter(current_runs.values()))))
        if active and not any(r.active for r in current_runs.values()):
            st.rerun()

    progress()


DRAWERS: dict[str, Callable[[Page, Explored, str, bool, Panel], None]] = {   # a panel row's own drawer; else figures
    "code": tensors, "train": live_training, "compare": live_training,
    "sequences": lambda page, ex, wid, present, panel: sequences.draw(page, current(), present)}
