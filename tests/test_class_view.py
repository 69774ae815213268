"""The teacher's view on a real page (AppTest): per question how many answered and how many are right, a bar per
answer with the tally's counts, the most common wrong answers, new answers on the next run, reset, both languages."""
from __future__ import annotations

import json

import pytest
from apptest_helpers import decode, new_app, no_exception, texts
from streamlit.testing.v1 import AppTest

from rnnviz import words
from rnnviz.lessons import questions as qs
from rnnviz.tally import Answer, open_tally
from rnnviz.ui import lessons
from rnnviz.ui import questions as box


@pytest.fixture
def tally(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'tally.db'}"
    monkeypatch.setenv("RNNVIZ_TALLY", url)
    box.tally.cache_clear()
    yield open_tally(url)
    box.tally.cache_clear()


def teacher(lang: str = "en", code: str = "room") -> AppTest:
    """The teacher's link opened in the app: ?view=class&lesson=000&code=…"""
    return new_app(view="class", lesson="000", code=code, lang=lang)


def bars_of(at: AppTest, question: str) -> dict[str, int]:
    """The bars drawn for a question: answer -> students."""
    chart = next(c for c in at.get("plotly_chart") if c.key == f"class_bars_{question}")
    bar = json.loads(chart.proto.spec)["data"][0]
    return dict(zip(bar["x"], [int(v) for v in decode(bar["y"])]))


def test_the_teacher_sees_counts_bars_and_wrong_answers_live(tally):
    tally.add("room", "000", "s1", Answer("nn_rnn", "(1, 10, 8)", True))
    tally.add("room", "000", "s2", Answer("nn_rnn", "(1, 10, 8)", True))
    tally.add("room", "000", "s3", Answer("nn_rnn", "(10, 1, 8)", False))
    tally.add("another", "000", "s4", Answer("nn_rnn", "(1, 8)", False))           # another class: never shown
    at = teacher()
    no_exception(at)
    shown = texts(at)
    assert words.say("class_view.answered", n=3, right=2) in shown
    assert words.say("class_view.right_answer", right="(1, 10, 8)") not in shown       # nothing given away ...
    assert words.say("class_view.wrong_common", answers="(10, 1, 8) × 1") not in shown
    at.toggle(key="class_show_answers").set_value(True).run()                          # ... until the teacher asks
    shown = texts(at)
    assert words.say("class_view.right_answer", right="(1, 10, 8)") in shown
    assert words.say("class_view.wrong_common", answers="(10, 1, 8) × 1") in shown
    assert "(1, 8)" not in shown
    assert shown.count(words.say("class_view.none_yet")) == len(qs.of_lesson("000")) - 1
    q = qs.on_page("000", "nn_rnn")
    none_chosen = dict.fromkeys(q.options(lessons.facts_of("000", "nn_rnn", False)[1]), 0)
    assert bars_of(at, "nn_rnn") == {**none_chosen, "(1, 10, 8)": 2, "(10, 1, 8)": 1}      # a bar per option
    tally.add("room", "000", "s4", Answer("saturate", "0", False))
    at.run()                                     # the live fragment's next run (run_every never fires in AppTest)
    assert bars_of(at, "saturate") == {"-1": 0, "0": 1, "1": 0}              # a bar per choice, none chosen too
    assert words.say("class_view.answered", n=1, right=0) in texts(at)


def test_reset_clears_this_class_and_lesson_only(tally):
    tally.add("room", "000", "s1", Answer("loop", "(10, 8)", True))
    tally.add("other", "000", "s1", Answer("loop", "(10, 8)", True))
    at = teacher()
    at.button(key="class_reset").click().run()
    no_exception(at)
    assert words.say("class_view.reset_done") in texts(at)
    assert tally.counts("room", "000") == {}
    assert tally.counts("other", "000") == {"loop": {"(10, 8)": (1, True)}}


def test_the_view_speaks_korean_and_names_a_missing_code(tally):
    at = teacher(lang="ko", code="")
    no_exception(at)
    with words.language("ko"):
        assert words.say("class_view.title", lesson="000") in [h.value for h in at.header]
        assert words.say("class_view.no_code") in texts(at)
        assert words.say(qs.on_page("000", "nn_rnn").key("q")) in texts(at)


def test_the_class_link_panel_gives_the_teachers_link(tally):
    at = new_app(view="lessons", lesson="002", code="room")
    no_exception(at)
    links = [c.value for c in at.code]
    assert any(link.endswith("?view=class&lesson=002&code=room") for link in links), links
