"""A class on two servers of `make class` (deploy.supervise's Cluster): two students answer a lesson's question in two
real Chromium pages, one on each server, and the teacher's view shows each answer within 2 s (scaled to the
machine's load); a student's reload finds their own answer again (the cookie), and nobody else's."""
from __future__ import annotations

import time

import pytest
from conftest import no_exception, shot

from deploy.supervise import Cluster
from rnnviz import words
from testkit.browser import settle
from testkit.waiting import scaled, wait_for

CODE = "e2e-class"
BOX = ".st-key-q_page_000_nn_rnn"          # lesson 000's last page: what shape is outputs?
TEACHER_BOX = ".st-key-class_q_nn_rnn"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """Two app servers behind the class's proxy, counting into one SQLite tally (make class's default)."""
    env = {"RNNVIZ_TALLY": f"sqlite:///{tmp_path_factory.mktemp('tally') / 'tally.db'}"}
    with Cluster(2, env=env) as running:
        yield running


def student(browser, url: str):
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.goto(f"{url}/?view=lessons&lesson=000&page=7&code={CODE}")
    settle(page)
    return page


def answer(page, option: str) -> None:
    box = page.locator(BOX)
    box.get_by_text(option, exact=True).click()
    box.get_by_role("button", name=words.say("question.check")).click()
    settle(page)


def shows(page, selector: str, text: str) -> bool:
    return text in page.locator(selector).inner_text()


def test_two_students_on_two_servers_reach_the_teacher_within_2_s(browser, cluster):
    teacher = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    teacher.goto(f"{cluster.url}/?view=class&lesson=000&code={CODE}")        # the teacher's link, through the proxy
    settle(teacher)
    assert shows(teacher, TEACHER_BOX, words.say("class_view.answered", n=0, right=0))
    first, second = (student(browser, cluster.server_url(i)) for i in (0, 1))

    def counted(n: int, right: int, after: float) -> float:
        expected = words.say("class_view.answered", n=n, right=right)
        wait_for(f"the teacher's view to show {expected!r} within 2 s of the answer",
                 lambda: shows(teacher, TEACHER_BOX, expected), seconds=scaled(2.0), every=0.05,
                 pause=lambda s: teacher.wait_for_timeout(s * 1000),
                 seen=lambda: teacher.locator(TEACHER_BOX).inner_text())
        return time.monotonic() - after

    answer(first, "(1, 10, 8)")
    assert shows(first, BOX, words.say("question.right", answer="(1, 10, 8)"))
    counted(1, 1, time.monotonic())
    answer(second, "(1, 8, 10)")                        # its sizes in the wrong order
    assert shows(second, BOX, words.say("question.wrong", answer="(1, 8, 10)", right="(1, 10, 8)"))
    counted(2, 1, time.monotonic())
    assert not shows(teacher, TEACHER_BOX, words.say("class_view.right_answer", right="(1, 10, 8)"))
    teacher.get_by_text(words.say("class_view.show_answers")).click()             # the class has answered
    settle(teacher)
    assert shows(teacher, TEACHER_BOX, words.say("class_view.wrong_common", answers="(1, 8, 10) × 1"))
    shot(teacher, "class_view_two_students", full_page=False)

    first.reload()
    settle(first)
    assert shows(first, BOX, words.say("question.right", answer="(1, 10, 8)"))      # their own, after a reload
    assert words.say("question.wrong", answer="(1, 8, 10)", right="(1, 10, 8)") not in first.locator(BOX).inner_text()
    for page in (first, second, teacher):
        no_exception(page)
