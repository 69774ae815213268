"""The training pool's budget: runs belong to a session, stop when it is gone, and stay within bounds."""
import gc
import subprocess
import sys
import weakref
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from waiting import wait_for

from rnnviz.engine.registry import CELLS
from rnnviz.train.loop import Event, Settings
from rnnviz.train.runner import EVENTS_KEPT, GRADS_KEPT, RUN_BYTES, SESSION_WORK, STEP_WORK, WORK_PER_SECOND, Pool, Refused, Run, minutes
from rnnviz.ui.session import Owner

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = Settings(task="text", text="the quick brown fox jumps over the lazy dog. " * 100, cell="lstm",
                   hidden=256, layers=4, steps=100_000)      # issue 12's link: hours of a core


def long_run(seed=0) -> Run:
    return Run(Settings(task="apple", steps=20_000, seed=seed))      # a minute of work by the budget


@pytest.fixture
def pools():
    made = []

    def make(**kw) -> Pool:
        made.append(Pool(**kw))
        return made[-1]

    yield make
    for p in made:
        p.shutdown()


def test_runs_of_a_gone_session_stop_leave_the_pool_and_free_their_model(pools):
    live = {"a", "b"}
    pool = pools(workers=1, alive=lambda owner: owner in live)
    a1, a2, b = long_run(1), long_run(2), long_run(3)
    pool.start([a1, a2], "a")
    pool.start([b], "b")
    wait_for("a run of session a to train", lambda: a1.trainer.step + a2.trainer.step > 0)
    models = [weakref.ref(a1.trainer.model), weakref.ref(a2.trainer.model)]
    live.discard("a")                                       # the session is closed and past its grace period
    wait_for("the reaper to take session a's runs out of the pool",
             lambda: not any(r.owner == "a" for r in pool.held()) and a1.released and a2.released)
    assert a1.status == a2.status == "stopped" and a1.orphaned
    gc.collect()
    assert [m() for m in models] == [None, None]           # nothing holds their models any more
    assert b.active and pool.held() == [b]                  # session b trains on
    step = b.trainer.step
    wait_for("session b's run to keep training", lambda: b.trainer.step > step)


def test_a_session_past_its_work_budget_is_told_the_bound_and_keeps_its_runs(pools):
    pool = pools(workers=1)
    mine = long_run()
    pool.start([mine], "a")
    with pytest.raises(Refused) as refused:
        pool.start([Run(HOSTILE)], "a", replacing=[mine])
    message = str(refused.value)
    assert f"at most {minutes(SESSION_WORK)}" in message and "up to" in message and "unchanged" in message
    assert mine.active and mine in pool.held()              # nothing the student had is lost
    fits = int(message.split("up to ")[1].split(" fit")[0].replace(",", ""))
    assert 0 < fits < 100_000
    pool.start([Run(replace(HOSTILE, steps=fits))], "a", replacing=[mine])   # what it says fits


def test_a_session_may_have_a_bounded_number_of_runs_and_replace_its_own(pools):
    pool = pools(workers=1, session_runs=3)
    first = [long_run(i) for i in range(3)]
    pool.start(first, "a")                                  # "Compare cells": three at once
    with pytest.raises(Refused, match="at most 3 runs"):
        pool.start([long_run(9)], "a")
    again = [long_run(i) for i in range(3)]
    pool.start(again, "a", replacing=first)                 # pressing it again replaces them
    assert all(r.active for r in again)
    wait_for("the replaced runs to stop (the one training ends its step)", lambda: not any(r.active for r in first))
    pool.start([long_run(9)], "b")                          # another session has its own budget


def test_the_server_queue_has_a_cap_and_the_others_keep_their_place(pools):
    pool = pools(workers=1, server_runs=4)
    runs = {owner: [long_run(i), long_run(i + 1)] for i, owner in enumerate("ab")}
    for owner, rs in runs.items():
        pool.start(rs, owner)
    held = pool.held()
    with pytest.raises(Refused, match="queue is full"):
        pool.start([long_run(7)], "c")
    assert all(r.active for rs in runs.values() for r in rs) and set(pool.held()) == set(held)


def test_shutdown_stops_every_run_and_joins_the_workers(pools):
    pool = pools(workers=2)
    runs = [long_run(i) for i in range(3)]
    for r in runs:
        pool.submit(r)
    wait_for("the runs to train", lambda: sum(r.trainer.step for r in runs) > 0)
    pool.shutdown()
    assert not any(t.is_alive() for t in pool.threads)
    assert not any(r.status == "queued" for r in runs)


def test_a_long_run_keeps_a_bounded_history():
    run = Run(Settings(task="apple"))
    T = len(run.trainer.task.inputs[0])
    for step in range(1, 10_001):
        run.record(Event(step, 100_000, 1.0 / step, 0.5, "pple!", "pple!",
                         grad_norms=np.ones(T, np.float32) if step % 5 == 0 else None))
    assert len(run.events) <= 2 * EVENTS_KEPT and run.events[-1].step == 10_000
    assert len(run.with_grads) <= 2 * GRADS_KEPT and run.with_grads[-1].step == 10_000
    assert len(run.steps) == len(run.losses) == 10_000      # the curves keep every step ...
    assert run.steps.itemsize * len(run.steps) == 80_000    # ... as 8-byte numbers


EXIT_WHILE_TRAINING = """
import time
from rnnviz.train.loop import Settings
from rnnviz.train.runner import Run, pool
runs = [Run(Settings(task="text", text="hello world " * 100, cell="lstm", hidden=256, layers=4, steps=200, seed=i))
        for i in range(2)]
for r in runs:
    pool().submit(r)
deadline = time.monotonic() + 60
while sum(r.trainer.step for r in runs) < 1 and time.monotonic() < deadline:
    time.sleep(0.05)
print("training" if sum(r.trainer.step for r in runs) else "never trained", flush=True)
"""


def test_the_interpreter_exits_cleanly_while_runs_train():
    """The workers stop before interpreter teardown: no `terminate called without an active exception` (abort)."""
    proc = subprocess.Popen([sys.executable, "-c", EXIT_WHILE_TRAINING], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert out.strip() == "training"
    assert "terminate called" not in err and proc.returncode == 0, (proc.returncode, err[-2000:])


# --- the pace a class watches at (issue 15, item 6) --------------------------------------------------------------

def test_a_paced_run_takes_the_same_steps_to_the_same_numbers():
    pool = Pool(workers=1)
    try:
        fast, slow = Run(Settings(task="apple", steps=12)), Run(Settings(task="apple", steps=12))
        slow.pace = 20.0
        pool.start([fast, slow], owner=None)
        wait_for("both apple runs to finish", lambda: fast.status == "done" and slow.status == "done", 30)
        assert list(slow.losses) == list(fast.losses) and slow.last.prediction == fast.last.prediction
    finally:
        pool.shutdown()


def test_by_key_takes_exactly_one_step_per_press():
    pool = Pool(workers=1)
    try:
        run = Run(Settings(task="apple", steps=50))
        run.by_key = True
        pool.start([run], owner=None)
        for presses in (1, 2, 3):
            pool.step_once(run)
            wait_for(f"step {presses} after {presses} press(es)", lambda n=presses: run.trainer.step == n, 30)
        other = Run(Settings(task="apple", steps=5))           # a paced run never holds the pool from the others
        pool.start([other], owner=None)
        wait_for("a classmate's run to finish while this one waits for a key", lambda: other.status == "done", 30)
        assert run.trainer.step == 3 and run.status == "queued"
    finally:
        pool.shutdown()


# --- a hostile class, round two (issue 22, High 3 and Low 9) -----------------------------------------------------

def tab(session: str, student: str) -> Owner:
    """A session of a student's browser, as ui/session.session_id names it."""
    return Owner(session, student)


def test_a_students_tabs_share_one_budget(pools):
    pool = pools(workers=1, session_runs=3)
    pool.start([long_run(i) for i in range(3)], tab("tab 1", "ip:10.0.0.66"))     # "Compare cells" in one tab
    for other in ("tab 2", "tab 3", "tab 4", "tab 5", "tab 6"):                    # ... and five more tabs
        with pytest.raises(Refused, match="at most 3 runs"):
            pool.start([long_run(9)], tab(other, "ip:10.0.0.66"))
    pool.start([long_run(9)], tab("tab 7", "ip:10.0.0.7"))                        # a classmate has their own
    assert len(pool.held()) == 4


def test_workers_take_the_students_in_turn_so_a_small_run_never_waits_behind_many():
    pool = Pool(workers=0, small_workers=0, session_runs=6)      # no worker: the test takes the turns itself
    try:
        hostile = [long_run(i) for i in range(6)]
        pool.start(hostile[:3], tab("tab 1", "ip:10.0.0.66"))
        pool.start(hostile[3:], tab("tab 2", "ip:10.0.0.65"))
        honest = Run(Settings(task="apple"))
        pool.start([honest], tab("tab 3", "ip:10.0.0.7"))        # queued last, behind six runs
        turns = [pool._next_due() for _ in range(3)]
        assert honest in turns                       # within the first round of students, not after six slices
        owners = [r.client for r in turns]
        assert len(set(owners)) == 3                 # one turn each
        for run in turns:                            # a slice ends: back to the end of the queue
            pool.queue.append(run)
        assert {pool._next_due().client for _ in range(3)} == set(owners)
    finally:
        pool.shutdown()


LARGEST_MEMORY = Settings(task="memory", cell="lstm", hidden=256, layers=4, bidirectional=True, distance=200, steps=1)


def test_a_model_whose_one_step_takes_too_long_is_refused_with_the_bound(pools):
    pool = pools(workers=1)
    with pytest.raises(Refused, match=r"one training step of this model would take about \d+ s") as refused:
        pool.start([Run(LARGEST_MEMORY)], tab("tab 1", "ip:10.0.0.66"))
    assert f"at most {STEP_WORK / WORK_PER_SECOND:,.0f} s" in str(refused.value) and pool.held() == []
    pool.start([Run(replace(LARGEST_MEMORY, hidden=64))], tab("tab 1", "ip:10.0.0.66"))   # a smaller one fits


def test_the_memory_a_run_may_take_is_bounded_and_said(pools):
    big = Run(replace(HOSTILE, steps=1))
    pool = pools(workers=1, run_bytes=big.memory - 1)
    with pytest.raises(Refused, match=rf"about {big.memory / 2**20:,.0f} MB of the server's memory"):
        pool.start([big], tab("tab 1", "ip:10.0.0.66"))
    assert RUN_BYTES > big.memory                                  # the page's bound lets issue 12's link train


def test_every_model_the_step_bound_lets_through_fits_the_memory_bound():
    texts = ["".join(chr(0x4E00 + i) for i in range(4095)), HOSTILE.text]
    candidates = [Settings(task="text", text=t, cell=c, hidden=256, layers=4, steps=1) for t in texts
                  for c in CELLS]
    candidates += [replace(LARGEST_MEMORY, hidden=h, layers=n, bidirectional=b) for h in (64, 128, 256)
                   for n in (1, 2, 4) for b in (False, True)]
    for settings in candidates:
        run = Run(settings)
        assert run.step_work > STEP_WORK or run.memory <= RUN_BYTES, settings


def test_a_text_with_more_kinds_of_characters_than_the_engine_takes_is_refused_before_it_starts():
    text = "".join(chr(0x4E00 + i) for i in range(5000))           # issue 22, Low 9: 5,000 distinct characters
    with pytest.raises(ValueError, match="5,000 different characters, and a training text can have at most 4,095"):
        Run(Settings(task="text", text=text, steps=1))
    Run(Settings(task="text", text=text[:4095], steps=1))           # the limit itself trains


def test_the_train_view_says_the_character_limit_in_the_pages_language():
    from apptest_helpers import new_app, no_exception, texts
    at = new_app(view="train", tr_task="text", tr_text="".join(chr(0x4E00 + i) for i in range(5000)), lang="ko")
    at.button(key="tr_start").click().run()
    no_exception(at)
    assert "서로 다른 문자가 5,000개" in texts(at) and "4,095개까지" in texts(at)
    assert "runs" not in at.session_state                            # nothing started, nothing failed at step 0


def test_a_students_runs_together_take_a_bounded_memory(pools):
    one = Run(replace(HOSTILE, steps=1))
    pool = pools(workers=1, student_bytes=int(2.5 * one.memory))
    pool.start([one, Run(replace(HOSTILE, steps=1, seed=1))], tab("tab 1", "ip:10.0.0.66"))
    with pytest.raises(Refused, match=r"each student's runs may take at most \d+ MB together"):
        pool.start([Run(replace(HOSTILE, steps=1, seed=2))], tab("tab 2", "ip:10.0.0.66"))
    pool.start([Run(replace(HOSTILE, steps=1, seed=3))], tab("tab 3", "ip:10.0.0.7"))


def test_a_lessons_small_run_has_a_lane_of_its_own_beside_a_big_step():
    pool = Pool(workers=0, small_workers=1)          # only the small lane: a big run never gets a worker here
    try:
        big, apple = Run(replace(HOSTILE, steps=5)), Run(Settings(task="apple"))
        pool.start([big], tab("tab 1", "ip:10.0.0.66"))
        pool.start([apple], tab("tab 2", "ip:10.0.0.7"))
        wait_for("the apple run to finish in the small lane", lambda: apple.status == "done", 60)
        assert big.trainer.step == 0 and big.status == "queued"       # the big one waits for a worker of its size
    finally:
        pool.shutdown()
