"""The class's tally in each store (SQLite always; Redis and PostgreSQL from Debian's packages, started here by PID):
exact counts when many processes answer at once, a student counted once, reset, a class code of its own, expiry."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from deploy.stores import tally_store
from rnnviz.tally import DAY, Answer, open_tally

ROOT = Path(__file__).resolve().parent.parent
PROCESSES, STUDENTS = 4, 30              # students per process

# One process of a class: each of its students first answers q1 wrongly, then changes to the right answer (the
# second answer replaces the first), and answers q2 with one of three choices.
WORKER = """
import sys
from rnnviz.tally import Answer, open_tally
url, first = sys.argv[1], int(sys.argv[2])
tally = open_tally(url)
for s in range(first, first + int(sys.argv[3])):
    tally.add("class-a", "000", f"student-{s}", Answer("q1", "(1, 10, 8)", False))
    tally.add("class-a", "000", f"student-{s}", Answer("q1", "(1, 10, 16)", True))
    tally.add("class-a", "000", f"student-{s}", Answer("q2", str(s % 3), s % 3 == 0))
"""


# SQLite always; a Redis or PostgreSQL server started here is a server (make test, not make unit)
@pytest.fixture(scope="module", params=["sqlite", pytest.param("redis", marks=pytest.mark.server),
                                        pytest.param("postgres", marks=pytest.mark.server)])
def url(request, tmp_path_factory):
    with tally_store(request.param, tmp_path_factory.mktemp(request.param)) as found:
        yield found


def test_many_processes_count_every_student_exactly_once(url):
    open_tally(url).reset("class-a", "000")
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, url, str(i * STUDENTS), str(STUDENTS)], cwd=ROOT)
             for i in range(PROCESSES)]
    assert [p.wait(120) for p in procs] == [0] * PROCESSES
    n = PROCESSES * STUDENTS
    assert open_tally(url).counts("class-a", "000") == {
        "q1": {"(1, 10, 16)": (n, True)},
        "q2": {"0": (n // 3, True), "1": (n // 3, False), "2": (n // 3, False)}}


def test_a_student_sees_only_their_own_answers(url):
    tally = open_tally(url)
    tally.reset("class-b", "001")
    tally.add("class-b", "001", "me", Answer("cell", "(8, 8)", True))
    tally.add("class-b", "001", "you", Answer("cell", "(8, 4)", False))
    assert tally.mine("class-b", "001", "me") == {"cell": Answer("cell", "(8, 8)", True)}
    assert tally.mine("class-b", "001", "nobody") == {}


def test_two_class_codes_never_mix_and_reset_clears_one(url):
    tally = open_tally(url)
    for code in ("monday", "tuesday"):
        tally.reset(code, "004")
    tally.add("monday", "004", "s", Answer("trap", "5", True))
    tally.add("tuesday", "004", "s", Answer("trap", "3", False))
    tally.add("monday", "003", "s", Answer("backward", "9", True))
    tally.reset("monday", "004")
    assert tally.counts("monday", "004") == {}
    assert tally.counts("tuesday", "004") == {"trap": {"3": (1, False)}}
    assert tally.counts("monday", "003") == {"backward": {"9": (1, True)}}      # another lesson stays


def test_answers_older_than_a_day_are_not_counted(url):
    tally = open_tally(url)
    tally.reset("old", "000")
    if url.startswith("redis"):          # Redis expires the lesson's hash itself, a day after its last answer
        tally.add("old", "000", "s", Answer("q", "1", True))
        assert DAY - 60 < tally.db.ttl(tally.key("old", "000")) <= DAY
        return
    tally.now = lambda: time.time() - DAY - 1
    tally.add("old", "000", "s", Answer("q", "1", True))
    tally.now = time.time
    tally.add("old", "000", "t", Answer("q", "2", False))
    assert tally.counts("old", "000") == {"q": {"2": (1, False)}}
    assert tally.mine("old", "000", "s") == {}


def test_an_unknown_store_is_named():
    with pytest.raises(ValueError, match="unknown tally store 'mysql'"):
        open_tally("mysql://host/db")
