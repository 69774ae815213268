"""The table of tasks, like the cell registry: each row says its trainer, its batches and its figures.

Every trainer keeps one protocol (base.Trainable): `events()` trains resumably, `cost()` says one step's work and
memory, so the pool (runner.Run) runs any row the same way; base.Saveable adds what weight files and the store
need (snapshot, load, and `saved_event()`: the weights' own step, shown again when a saved run is opened).
A new task is a row here, not a branch elsewhere.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..words import Problem
from . import charrnn, seq2seq
from .base import Saveable
from .charrnn import CharTrainer
from .loop import Settings
from .loop import Trainer as LessonTrainer
from .seq2seq import NumbersTrainer
from .tasks import make_task

Figure = str    # what a view draws of a run: curves, predictions, gradients, bpc, samples, held, readings


@dataclass(frozen=True)
class TaskRow:
    """One task: who trains it, how its batches are drawn (cost per step: the trainer's cost()), what is drawn."""

    name: str
    trainer: Callable[[Settings], Saveable]
    batches: str
    figures: tuple[Figure, ...]
    defaults: Callable[[Settings], dict[str, Any]]     # the preset's settings (cell, hidden, lr, steps, ...)
    explore: bool = True        # Explore steps through its weights (one network over one text); an encoder-decoder
                                # is shown by lesson 001's pages instead


def lesson(s: Settings) -> dict[str, Any]:
    return dict(make_task(s.task, s.text, s.distance).defaults)


LESSON_FIGURES = ("curves", "predictions", "gradients")
TASK_ROWS: dict[str, TaskRow] = {row.name: row for row in (
    TaskRow("apple", LessonTrainer, "one sequence, 'apple' → 'pple!'", LESSON_FIGURES, lesson),
    TaskRow("avengers", LessonTrainer, "one sentence, each word → the next", LESSON_FIGURES, lesson),
    TaskRow("hello", LessonTrainer, "three rows of 'hello', each letter → the next", LESSON_FIGURES, lesson),
    TaskRow("memory", LessonTrainer, "64 fresh sequences a step: a signal, N distractors, a question", LESSON_FIGURES,
            lesson),
    TaskRow("text", LessonTrainer, "the text, or 16 windows of 32 characters drawn a step", LESSON_FIGURES, lesson),
    TaskRow("lab", CharTrainer, "B streams of the text, the next T characters a step, state carried",
            ("bpc", "samples"), lambda s: dict(charrnn.DEFAULTS)),
    TaskRow("numbers", NumbersTrainer, "64 numbers of one digit count a step, read aloud in the page's language",
            ("curves", "held", "readings"), lambda s: seq2seq.DEFAULTS | {"clip": seq2seq.CLIP}, explore=False),
)}


def new_trainer(settings: Settings) -> Saveable:
    """The trainer of `settings.task`, as its row says."""
    row = TASK_ROWS.get(settings.task)
    if row is None:
        raise Problem("task.unknown", name=repr(settings.task), tasks=", ".join(TASK_ROWS))
    return row.trainer(settings)
