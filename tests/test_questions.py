"""Each lesson's questions: right answers computed from the page's engine run (checked against PyTorch or the trace
read another way), typed answers read in their forms, bad input said in the page's language; the question box and
the quiz on a real page, their answers counted in the class's tally."""
from __future__ import annotations

import math
import re

import numpy as np
import pytest
import torch
from apptest_helpers import new_app, no_exception, texts

from rnnviz import words
from rnnviz.lessons import LESSONS
from rnnviz.lessons import questions as qs
from rnnviz.pipeline import build
from rnnviz.tally import open_tally
from rnnviz.words import Problem

QUESTIONS = list(qs.QUESTIONS)
UNFILLED = re.compile(r"\{[A-Za-z_]\w*(:[^}]*)?\}")          # a {placeholder} left unformatted
IDS = [f"{q.lesson}-{q.page}" for q in QUESTIONS]


def page_of(q):
    return next(p for p in LESSONS[q.lesson] if p.id == q.page)


def run_of(q):
    page = page_of(q)
    config = page.config()
    return build(config, page.weights(config))


def facts_of(q) -> dict:
    return page_of(q).facts(run_of(q))


def test_every_lesson_has_three_to_five_questions_and_a_quiz_of_them():
    for lesson in LESSONS:
        assert 3 <= len(qs.of_lesson(lesson)) <= 5, lesson
        assert qs.quiz(lesson) == qs.of_lesson(lesson)[:qs.QUIZ]
    assert all(page_of(q).facts is not None for q in QUESTIONS)


@pytest.mark.parametrize("q", QUESTIONS, ids=IDS)
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_question_and_its_why_are_said_with_the_pages_numbers(q, lang):
    facts = facts_of(q)
    right = qs.right_answer(q, facts)
    with words.language(lang):
        asked, why = words.say(q.key("q"), **facts), words.say(q.key("why"), **facts, right=right)
    assert words.catalogue(lang)[q.key("q")] and right in why and not UNFILLED.search(asked + why)
    if q.kind == "choice":
        assert right in q.choices(facts) and len(set(q.choices(facts))) >= 2


def torch_shapes(I, H, B, T, L=1, bi=False, bf=True):
    rnn = torch.nn.RNN(I, H, num_layers=L, bidirectional=bi, batch_first=bf)
    outputs, status = rnn(torch.zeros((B, T, I) if bf else (T, B, I)))
    return tuple(outputs.shape), tuple(status.shape)


@pytest.mark.parametrize("lesson, page, oracle", [
    ("000", "nn_rnn", torch_shapes(5, 8, 1, 10)[0]),
    ("003", "layers", torch_shapes(5, 8, 1, 10, L=2)[1]),
    ("003", "bidirectional", torch_shapes(5, 8, 1, 10, L=2, bi=True)[0]),
    ("004", "batch", torch_shapes(4, 2, 3, 5)[0]),
])
def test_shape_answers_are_what_pytorch_prints(lesson, page, oracle):
    q = qs.on_page(lesson, page)
    assert qs.right_answer(q, facts_of(q)) == str(oracle)


def test_number_and_choice_answers_read_the_pages_run():
    first = qs.on_page("000", "first_step")
    assert float(qs.right_answer(first, facts_of(first))) == 0.0          # h_(t-1) is the zero initial state
    hand = qs.on_page("001", "hand")
    lt = run_of(hand).trace.layers[0][0]
    assert math.isclose(hand.right(facts_of(hand)), math.tanh(lt.a[1, 0, 0]), abs_tol=1e-6)
    lstm = qs.on_page("002", "lstm")
    gates = run_of(lstm).trace.layers[0][0].gates
    assert qs.right_answer(lstm, facts_of(lstm)) == min("ifo", key=lambda g: gates[g][2, 0].mean())
    one_hot = qs.on_page("004", "one_hot")
    assert int(qs.right_answer(one_hot, facts_of(one_hot))) == int(np.argmax(run_of(one_hot).X[0, 2]))
    trap = qs.on_page("004", "trap")
    assert qs.right_answer(trap, facts_of(trap)) == str(torch_shapes(4, 2, 5, 3, bf=False)[1][1])


def test_typed_answers_are_read_in_every_usual_form():
    q = qs.on_page("000", "nn_rnn")
    facts = facts_of(q)
    for typed in ("(1, 10, 8)", "1,10,8", "[1, 10, 8]", "torch.Size([1, 10, 8])", " 1 x 10 x 8 "):
        assert qs.check(q, facts, typed) == qs.Answer("nn_rnn", "(1, 10, 8)", True), typed
    assert qs.check(q, facts, "(1, 8, 10)").right is False
    hand = qs.on_page("001", "hand")
    facts = facts_of(hand)
    near = f"{facts['h']:.2f}"
    assert qs.check(hand, facts, near).right and qs.check(hand, facts, near.replace(".", ",")).right
    assert not qs.check(hand, facts, f"{facts['h'] + 0.02:.2f}").right


@pytest.mark.parametrize("typed, key", [("abc", "question.bad_number"), ("nan", "question.bad_number"),
                                         ("inf", "question.bad_number")])
def test_a_number_that_is_none_is_said(typed, key):
    with pytest.raises(Problem) as e:
        qs.check(qs.on_page("003", "backward"), {"last": 9}, typed)
    assert e.value.said.key == key


@pytest.mark.parametrize("typed", ["", "shape", "<b>1</b>"])
def test_a_shape_that_is_none_is_said(typed):
    with pytest.raises(Problem) as e:
        qs.check(qs.on_page("000", "nn_rnn"), {"outputs": "torch.Size([1, 10, 8])"}, typed)
    assert e.value.said.key == "question.bad_shape"


@pytest.fixture
def tally_url(tmp_path, monkeypatch):
    from rnnviz.ui import questions as box
    url = f"sqlite:///{tmp_path / 'tally.db'}"
    monkeypatch.setenv("RNNVIZ_TALLY", url)
    box.tally.cache_clear()
    yield url
    box.tally.cache_clear()


def check(at, form: str, answer: str | None):
    """Choose (or type, for a number) an answer in a question box, or leave it empty (None), and press its Check."""
    key = f"{form}_in"
    if any(n.key == key for n in at.number_input):
        at.number_input(key=key).set_value(None if answer is None else float(answer))
    elif answer is not None:
        at.radio(key=key).set_value(answer)
    button = next(b for b in at.button if b.proto.form_id == f"{form}_form")
    return button.click().run()


def test_the_page_box_checks_counts_and_says_why(tally_url):
    at = new_app(view="lessons", lesson="000", page="7", code="room-1")
    q = qs.on_page("000", "nn_rnn")
    facts = facts_of(q)
    check(at, "q_page_000_nn_rnn", "(1, 10, 8)")
    no_exception(at)
    assert words.say("question.right", answer="(1, 10, 8)") in texts(at)
    assert words.say(q.key("why"), **facts, right="(1, 10, 8)") in texts(at)
    assert open_tally(tally_url).counts("room-1", "000") == {"nn_rnn": {"(1, 10, 8)": (1, True)}}


def test_a_check_without_an_answer_is_said_in_korean_and_keeps_the_answer_given(tally_url):
    at = new_app(view="lessons", lesson="000", page="3", code="room-2", lang="ko")
    q = qs.on_page("000", "first_step")
    check(at, "q_page_000_first_step", "0")                  # Wh·h_(t−1) at t = 0: the zero state's
    check(at, "q_page_000_first_step", None)                 # ... then Check with the box emptied
    with words.language("ko"):
        assert words.say("question.empty") in texts(at)
        assert words.say("question.right", answer="0") in texts(at)      # the answer given stays
    assert open_tally(tally_url).counts("room-2", "000") == {q.id: {"0": (1, True)}}


def test_a_shape_is_chosen_among_the_usual_mistakes():
    for q in (q for q in QUESTIONS if q.kind == "shape"):
        facts = facts_of(q)
        options, right = q.options(facts), qs.right_answer(q, facts)
        assert right in options and 3 <= len(set(options)) <= qs.SHAPES_SHOWN, (q.id, options)
        assert all(qs.check(q, facts, o).right == (o == right) for o in options)


def test_the_quiz_scores_the_lessons_questions(tally_url):
    at = new_app(view="lessons", lesson="004", page=str(len(LESSONS["004"])))
    quiz = qs.quiz("004")
    right = [qs.right_answer(q, facts_of(q)) for q in quiz]
    check(at, f"q_quiz_004_{quiz[0].id}", right[0])
    check(at, f"q_quiz_004_{quiz[1].id}", right[1])
    third = facts_of(quiz[2])
    wrong = "99" if quiz[2].kind == "number" else next(o for o in quiz[2].options(third) if o != right[2])
    check(at, f"q_quiz_004_{quiz[2].id}", wrong)
    no_exception(at)
    assert words.say("quiz.score", right=2, n=len(quiz), answered=3) in texts(at)
    counted = open_tally(tally_url).counts("", "004")
    assert sum(n for q in counted.values() for n, _ in q.values()) == 3
