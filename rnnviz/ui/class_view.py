"""The teacher's view of a class (`?view=class&lesson=000&code=…`): for each question of the lesson how many
answered and how many are right, a bar per answer, the most common wrong ones; live, anonymous, both languages."""
from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from ..lessons import LESSONS
from ..lessons import questions as qs
from ..lessons.questions import Question
from ..plots.class_answers import bars
from ..state import Config
from ..words import say
from . import lessons, questions, session, web
from .charts import chart

LIVE_SECONDS = 1.0              # the counts are read again this often: a new answer shows within 2 s
WRONG_SHOWN = 3                 # the most common wrong answers named under a question


def lesson_on_show() -> str:
    lesson = session.get("lesson")
    return lesson if lesson in LESSONS else next(iter(LESSONS))


def link() -> dict[str, str]:
    return {"lesson": lesson_on_show()} | questions.link()


def teacher_link(base: str) -> None:
    """The teacher's view of the lesson on show with this class code, as a link (the class-link panel shows it)."""
    st.caption(say("class_view.teacher_link"))
    st.code(f"{base}?{urlencode({'view': 'class', **link()})}", language=None, wrap_lines=True)


def reset(code: str, lesson: str) -> None:
    """The teacher's reset: the lesson's answers of this class code are gone (others' classes keep theirs)."""
    try:
        questions.tally().reset(code, lesson)
        session.put("class_reset_done", True)
    except Exception:
        session.put("class_reset_done", False)


def page() -> None:
    """The whole view: title, class code, the students' link, reset, and the live counts."""
    lesson, code = lesson_on_show(), questions.code()
    st.html(web.style("class_view"))
    st.header(say("class_view.title", lesson=lesson))
    st.markdown(session.plain(say("class_view.code", code=code)) if code else say("class_view.no_code"))
    base = (st.context.url or "").split("?")[0]
    st.caption(say("class_view.students_link"))
    st.code(f"{base}?{urlencode({'view': 'lessons', 'lesson': lesson, **questions.link()})}", language=None,
            wrap_lines=True)
    row = st.container(horizontal=True, vertical_alignment="center")
    row.toggle(say("class_view.show_answers"), key="class_show_answers")     # off while the class still answers
    row.button(say("class_view.reset"), on_click=reset, args=(code, lesson), key="class_reset")
    if session.get("class_reset_done"):
        st.success(say("class_view.reset_done"))
    live(lesson, code)


@st.cache_data(show_spinner=False, max_entries=64)
def page_facts(lesson: str, page_id: str) -> tuple[dict, dict]:
    """A question's page numbers (said, raw): the same for every student, the page's settings are the lesson's."""
    return lessons.facts_of(lesson, page_id, False)


@st.fragment(run_every=LIVE_SECONDS)
def live(lesson: str, code: str) -> None:
    """Every question's counts, read from the class's tally on each run of this fragment."""
    session.use_language()
    try:
        counts = questions.tally().counts(code, lesson)
    except Exception:
        st.warning(say("class_view.unreachable"))
        return
    shown = bool(session.get("class_show_answers"))
    for i, q in enumerate(qs.of_lesson(lesson), 1):
        question(i, q, counts.get(q.id, {}), shown)


def question(i: int, q: Question, counts: dict[str, tuple[int, bool]], shown: bool) -> None:
    """One question: its words, answered and right, the bars; with the answers shown, the right one and the most
    common wrong ones (hidden, the projector gives nothing away while the class still answers)."""
    said, raw = page_facts(q.lesson, q.page)
    right = qs.right_answer(q, raw)
    answered = sum(n for n, _ in counts.values())
    correct = sum(n for n, ok in counts.values() if ok)
    with st.container(border=True, key=f"class_q_{q.id}"):
        st.markdown(f"**{i}.** {say(q.key('q'), **said)}")
        answer = f" · {session.plain(say('class_view.right_answer', right=right))}" if shown else ""
        st.markdown(f"**{say('class_view.answered', n=answered, right=correct)}**{answer}")
        if not answered:
            st.caption(say("class_view.none_yet"))
            return
        chart(bars(counts, q.options(raw), right if shown else None, say("class_view.students")), f"class_bars_{q.id}")
        if not shown:
            return
        wrong = sorted(((n, a) for a, (n, ok) in counts.items() if not ok), key=lambda w: (-w[0], w[1]))
        if wrong:
            named = ", ".join(f"{a} × {n}" for n, a in wrong[:WRONG_SHOWN])
            st.markdown(session.plain(say("class_view.wrong_common", answers=named)))


def view() -> None:
    """The teacher's view as a view of the page (rnnviz/ui/views.py), its link kept in the address bar."""
    page()
    session.sync_url(Config(view="class", lang=session.get("lang", "en"), present=session.present()), link())
