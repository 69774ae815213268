"""The one run-controls component: which runs may resume, and a resume past the budget refused, not half done."""
from dataclasses import replace

from rnnviz.train.loop import Settings
from rnnviz.train.runner import Pool, Refused, Run
from rnnviz.ui import run_controls


def test_resumable_runs_are_stopped_loaded_or_done_before_their_steps():
    runs = {status: Run(Settings(task="apple", steps=5)) for status in ("new", "stopped", "loaded", "done", "queued")}
    for status, run in runs.items():
        run.status = status
    runs["done"].trainer.step = 5                           # done: every step it was asked for
    assert [s for s, r in runs.items() if run_controls.resumable(r)] == ["stopped", "loaded"]
    done = runs["done"]
    done.settings = replace(done.settings, steps=10)        # more steps asked of a finished run: it may go on
    assert run_controls.resumable(done)
    done.release()
    assert not run_controls.resumable(done)                 # a released run has no model to go on with


def test_a_resume_past_the_budget_is_refused_and_queues_nothing():
    pool = Pool(workers=1, session_runs=1)
    try:
        a, b = Run(Settings(task="apple", steps=5)), Run(Settings(task="apple", steps=5))
        a.status = b.status = "stopped"
        refused = run_controls.resume(pool, [a, b])
        assert isinstance(refused, Refused) and pool.held() == []
        assert a.status == b.status == "stopped"
    finally:
        pool.shutdown()
