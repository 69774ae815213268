"""One trainer protocol and one table of tasks: every row trains in the pool, which asks the trainer for its cost."""
import ast
import threading
from pathlib import Path

import pytest
import torch
from waiting import wait_for

import rnnviz.lab
import rnnviz.train
from rnnviz.lab.writer import write_run
from rnnviz.settings import TASKS
from rnnviz.train import TASK_ROWS, Settings, Trainer
from rnnviz.train.base import SEED_LOCK, STEP_OVERHEAD
from rnnviz.train.charrnn import CharTrainer
from rnnviz.train.runner import Pool, Refused, Run

ROOT = Path(__file__).resolve().parent.parent
TEXT = "the quick brown fox jumps over the lazy dog, and the dog sleeps on. " * 4
SMALL = {"apple": {}, "avengers": {}, "hello": {}, "memory": dict(distance=5, hidden=8), "text": dict(text=TEXT),
         "lab": dict(text=TEXT, hidden=8), "numbers": dict(hidden=8)}


def test_every_train_view_task_is_a_row_and_every_row_is_tried_here():
    assert set(TASKS) <= set(TASK_ROWS) and set(SMALL) == set(TASK_ROWS)


@pytest.mark.parametrize("task", list(SMALL))
def test_every_row_trains_in_the_pool_and_says_its_cost(task):
    """Run(settings) builds the row's trainer; its step work and memory are the trainer's cost(), not a guess made
    from a stand-in batch; the pool runs it to its last step."""
    run = Run(Settings(task=task, steps=3, seed=0, **SMALL[task]))
    assert isinstance(run.trainer, TASK_ROWS[task].trainer)
    cost = run.trainer.cost()
    parameters = sum(p.numel() for p in run.trainer.model.parameters())
    assert (run.step_work, run.memory) == (cost.work, cost.memory)
    assert run.step_work > parameters + STEP_OVERHEAD and run.memory > 4 * parameters   # every token costs
    pool = Pool(workers=1)
    try:
        pool.submit(run)
        wait_for(f"the {task} run to end", lambda: run.status in ("done", "failed"), seconds=120)
    finally:
        pool.shutdown()
    assert run.status == "done", run.message
    assert list(run.steps) == [1, 2, 3] and len(run.losses) == 3


@pytest.mark.parametrize("task", list(SMALL))
def test_every_row_saves_and_opens_again_showing_its_own_step_without_an_update(task):
    """Every row's trainer is Saveable: its weights file opens as the same row's trainer, and `saved_event()` shows
    the step it was saved at (loss, share right) and leaves every weight as it was."""
    from rnnviz import weight_files as weights
    trainer = Trainer(Settings(task=task, steps=2, seed=0, **SMALL[task]))
    for _ in trainer.events():
        pass
    again = weights.from_bytes(weights.to_bytes(trainer))
    assert type(again) is type(trainer) and again.settings == trainer.settings
    before = {k: v.clone() for k, v in again.snapshot().items()}
    again.step = trainer.step
    event = again.saved_event()
    assert event.step == 2 and event.loss > 0 and 0 <= event.accuracy <= 1
    assert all(torch.equal(before[k], v) for k, v in again.snapshot().items())


def test_the_lab_row_counts_its_windows():
    """The lab's char-rnn trains on B streams × T characters a step: twice the window, twice the work per step."""
    short = Run(Settings(task="lab", text=TEXT, hidden=8, steps=1), trainer_=CharTrainer(
        Settings(task="lab", text=TEXT, hidden=8, steps=1), window=8, batch=2))
    long = Run(Settings(task="lab", text=TEXT, hidden=8, steps=1), trainer_=CharTrainer(
        Settings(task="lab", text=TEXT, hidden=8, steps=1), window=16, batch=2))
    parameters = sum(p.numel() for p in short.trainer.params)
    assert long.step_work - short.step_work == parameters * 2 * 8


def test_a_writer_costs_one_frozen_copy_and_a_character_a_step():
    trainer = CharTrainer(Settings(task="lab", text=TEXT, hidden=8, steps=1))
    run = write_run(trainer, "the", 20, 1.0, 0, 0)
    parameters = sum(p.numel() for p in trainer.params)
    assert (run.step_work, run.memory) == (parameters + STEP_OVERHEAD, 4 * parameters)


def test_a_numbers_run_stops_resumes_and_keeps_its_budget():
    settings = Settings(task="numbers", hidden=8, steps=40, seed=0)
    pool = Pool(workers=1, step_work=Run(settings).step_work - 1)
    try:
        with pytest.raises(Refused, match="one training step of this model"):
            pool.start([Run(settings)], owner="someone")
    finally:
        pool.shutdown()
    pool = Pool(workers=1)
    run = Run(settings)
    try:
        run.pace = 50.0                         # slow enough that a stop comes before the end
        pool.start([run], owner="someone")
        wait_for("3 steps of the numbers run", lambda: len(run.steps) >= 3, seconds=120)
        pool.stop(run)
        wait_for("the numbers run to stop", lambda: run.status == "stopped", seconds=60)
        stopped_at = run.trainer.step
        assert stopped_at < 40
        run.pace = 0.0
        pool.start([run], owner="someone")
        wait_for("the resumed numbers run to end", lambda: run.status == "done", seconds=120)
    finally:
        pool.shutdown()
    assert list(run.steps) == list(range(1, 41))      # resumed where it stopped: every step once
    assert run.trainer.held_history[-1][0] == 40


def test_one_seed_lock_serves_every_trainer():
    """A trainer seeds torch's global RNG and builds its model under base.SEED_LOCK: while another holds it, none
    can seed in between (two locks let a lesson run and a lab run interleave their seeding)."""
    locks = [(m.__name__, name) for m in (rnnviz.train.loop, rnnviz.train.charrnn, rnnviz.train.seq2seq)
             for name, v in vars(m).items() if isinstance(v, type(threading.Lock())) and v is not SEED_LOCK]
    assert locks == []
    built: list[object] = []
    with SEED_LOCK:
        threads = [threading.Thread(target=lambda s=s: built.append(Trainer(s))) for s in (
            Settings(task="apple"), Settings(task="lab", text=TEXT, hidden=8), Settings(task="numbers", hidden=8))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(0.5)                         # a bound for the failure case only: with the lock held none ends
        assert built == []
    for t in threads:
        t.join()
    assert len(built) == 3


def test_same_settings_same_weights_in_every_row():
    for task in ("apple", "lab", "numbers"):
        a, b = (Trainer(Settings(task=task, seed=3, **SMALL[task])) for _ in range(2))
        assert all(torch.equal(x, y) for x, y in zip(a.params, b.params)), task


def test_the_trainers_import_nothing_of_the_lab_and_nothing_inside_a_function():
    """train/ sits below lab/: no import of rnnviz.lab, and no import hidden in a function to dodge a cycle."""
    for path in sorted((ROOT / "rnnviz" / "train").glob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                assert not (node.module or "").startswith(("lab", "..lab")) and not (
                    node.level == 2 and (node.module or "").split(".")[0] == "lab"), f"{path.name} imports the lab"
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                inner = [n for n in ast.walk(node) if isinstance(n, (ast.Import, ast.ImportFrom))]
                assert not inner, f"{path.name}: {node.name} imports inside a function"
    assert rnnviz.lab.__doc__ and "task=\"lab\"" in rnnviz.lab.__doc__
