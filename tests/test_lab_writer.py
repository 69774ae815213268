"""✍️ Write runs in the shared training pool: the same characters as writing in place, its steps counted as work."""
import gc
import weakref

import pytest
import torch
from waiting import wait_for

from rnnviz.lab.corpus import generate
from rnnviz.lab.writer import write_run, writer_of
from rnnviz.train import Settings
from rnnviz.train.charrnn import CharTrainer
from rnnviz.train.runner import Pool, Refused, Run
from rnnviz.words import Problem

CORPUS = generate(3_000, seed=1).text


@pytest.fixture(scope="module")
def trainer():
    torch.set_num_threads(1)
    trainer = CharTrainer(Settings(task="text", text=CORPUS, cell="gru", hidden=16, steps=10, seed=0))
    list(trainer.events())
    return trainer


def test_writing_in_the_pool_writes_what_the_model_writes_in_place(trainer):
    pool = Pool(workers=1)
    try:
        run = write_run(trainer, 'gate "', 300, 0.9, 5, 7)
        copy = weakref.ref(writer_of(run).params[0])
        pool.start([run], "student")
        wait_for("the writing to finish in the pool", lambda: run.status == "done", 60)
        assert writer_of(run).text == trainer.sample('gate "', 300, temperature=0.9, top_k=5, seed=7)
        assert list(run.steps) == list(range(1, 301)) and run.owner == "student"
        gc.collect()
        assert copy() is None and run.work == 0                       # written: no copy of the model is kept
    finally:
        pool.shutdown()


def test_writing_counts_against_the_student_s_budget(trainer):
    pool = Pool(workers=1, session_runs=1)
    try:
        training = CharTrainer(Settings(task="text", text=CORPUS, cell="gru", hidden=16, steps=100_000, seed=0))
        pool.start([Run(training.settings, label="lab", trainer_=training)], "student")
        run = write_run(trainer, "alpha", 2000, 1.0, 0, 0)
        assert run.work >= 2000 * sum(p.numel() for p in trainer.params)      # a step's work: every weight, once
        with pytest.raises(Refused):
            pool.start([run], "student")
        assert run.status == "new" and writer_of(run).text == ""
    finally:
        pool.shutdown()


def test_a_sampling_setting_out_of_range_is_said_before_anything_is_queued(trainer):
    with pytest.raises(Problem) as caught:
        write_run(trainer, "alpha", 2001, 1.0, 0, 0)
    assert "between 1 and 2,000" in str(caught.value)
