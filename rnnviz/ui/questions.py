"""The student's question box and the lesson's quiz: choose or type, Check, right or not with a one-line why.

A question is answered by choosing (a choice, a shape among near mistakes) or typing a number.
A student is an anonymous random token (a cookie for a day, never a name); each answer goes to the class's tally
(rnnviz/tally/) under the link's class code, and the session keeps it too, so the page still shows it if the tally
cannot be reached. After a reload the student's own answers come back from the tally through the cookie.
"""
from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from functools import cache

import streamlit as st

from ..lessons import LESSONS
from ..lessons import questions as qs
from ..lessons.questions import Question
from ..tally import Answer, Tally, open_tally
from ..words import Problem, Said, say
from . import session, web

COOKIE = "rnnviz_student"
TOKEN = re.compile(r"[A-Za-z0-9_-]{16}")
NUMBER_BOUND = 1_000_000         # a typed number's range (every answer of a lesson is far inside it)
_ANSWERS = "_my_answers"          # {(code, lesson): {question: Answer}}: this session's own answers
_remember = st.components.v2.component("rnnviz_student_cookie", js=web.script("student_cookie"))


@cache
def tally() -> Tally:
    """The process's tally store (RNNVIZ_TALLY, or SQLite beside the shared runs): one per server process."""
    return open_tally()


def code() -> str:
    """The class code of the link (rnnviz/settings.py `code`): "" when none."""
    return str(session.get("code") or "")


def link() -> dict[str, str]:
    """What a page's link keeps of the class: its code."""
    return {"code": code()} if code() else {}


def student() -> str:
    """This browser's anonymous token: from its cookie, or new (remember() writes it to the cookie)."""
    me = session.get("_student")
    if not me:
        found = st.context.cookies.get(COOKIE)
        me = found if isinstance(found, str) and TOKEN.fullmatch(found) else secrets.token_urlsafe(12)
        session.put("_student", me)
    return me


def remember() -> None:
    """Write the student's token to the browser's cookie, while the cookie does not hold it yet."""
    me = student()
    if st.context.cookies.get(COOKIE) != me:
        with st.sidebar:
            _remember(key="student_cookie", data={"cookie": COOKIE, "token": me}, height=0)


def mine(lesson: str) -> dict[str, Answer]:
    """This student's answers in the lesson: the session's, read once from the tally after a reload."""
    kept = session.get(_ANSWERS) or {}
    if (code(), lesson) not in kept:
        try:
            found = tally().mine(code(), lesson, student())
        except Exception:                   # the store is down: the session's answers alone
            found = {}
        kept = {**kept, (code(), lesson): found}
        session.put(_ANSWERS, kept)
    return kept[(code(), lesson)]


def record(lesson: str, answer: Answer) -> None:
    """Keep the answer in the session and count it in the class's tally."""
    mine(lesson)[answer.question] = answer
    session.put("_question_note", None)
    try:
        tally().add(code(), lesson, student(), answer)
    except Exception:                       # said under this question's box
        session.put("_question_note", (lesson, answer.question, Said("question.not_counted")))


def submit(q: Question, facts: dict, key: str) -> None:
    """Check: the answer in the box, checked against the one computed from the page (a Said for bad input)."""
    session.put(f"{key}_problem", None)
    text = session.get(f"{key}_in")
    if text is None or not str(text).strip():       # nothing chosen or typed yet
        session.put(f"{key}_problem", Said("question.empty"))
        return
    try:
        record(q.lesson, qs.check(q, facts, str(text)))
    except Problem as p:
        session.put(f"{key}_problem", p.said)


def draw(lesson: str, page_id: str, facts: dict, said: dict, where: str = "page") -> bool:
    """The page's question box, if the page has a question; whether it had one."""
    q = qs.on_page(lesson, page_id)
    if q is None:
        return False
    remember()
    box(q, facts, said, where)
    return True


def box(q: Question, facts: dict, said: dict, where: str) -> None:
    """The question, its choices or a box to type in, Check, and after it: right or not, and why."""
    key = f"q_{where}_{q.lesson}_{q.id}"
    with st.container(border=True, key=key):
        st.markdown(f"**{say('question.title')}** {say(q.key('q'), **said)}")
        with st.form(f"{key}_form", border=False, enter_to_submit=True):
            if q.kind == "number":          # digits only: a typed number box (no free text reaches the check)
                whole, kind = q.tolerance == 0, int if q.tolerance == 0 else float
                st.number_input(say("question.yours"), kind(-NUMBER_BOUND), kind(NUMBER_BOUND), value=None,
                                key=f"{key}_in", step=1 if whole else 10.0 ** -qs.decimals(q),
                                format="%d" if whole else f"%.{qs.decimals(q)}f")
            else:
                st.radio(say("question.yours"), q.options(facts), index=None, horizontal=True, key=f"{key}_in")
            st.form_submit_button(say("question.check"), on_click=submit, args=(q, facts, key))
        problem = session.get(f"{key}_problem")
        if problem:
            st.warning(session.plain(str(problem)))
        feedback(q, facts, said)


def feedback(q: Question, facts: dict, said: dict) -> None:
    answer = mine(q.lesson).get(q.id)
    note = session.get("_question_note")
    if note and note[:2] == (q.lesson, q.id):
        st.caption(str(note[2]))
    if answer is None:
        return
    right = qs.right_answer(q, facts)
    words = say("question.right" if answer.right else "question.wrong", answer=answer.answer, right=right)
    (st.success if answer.right else st.error)(session.plain(words))
    st.caption(say(q.key("why"), **said, right=right))


def quiz(lesson: str, facts_of: Callable[[str], tuple[dict, dict]]) -> None:
    """The lesson's quiz at its end: its questions again (facts_of(page id) -> the page's facts, said and raw), and
    the score."""
    questions = qs.quiz(lesson)
    if not questions:
        return
    if qs.on_page(lesson, LESSONS[lesson][-1].id) is None:     # the last page's own box has not written it
        remember()
    st.subheader(say("quiz.title"))
    st.caption(say("quiz.intro"))
    for q in questions:
        said, raw = facts_of(q.page)
        box(q, raw, said, "quiz")
    answers = mine(lesson)
    given = [answers[q.id] for q in questions if q.id in answers]
    st.markdown(say("quiz.score", right=sum(a.right for a in given), n=len(questions), answered=len(given)))
