"""A lab run in the shared training pool: the same Run, queue and per-session budget as the Train view's."""
from __future__ import annotations

from typing import cast

from ..train.loop import Settings, Trainer
from ..train.runner import Run
from .charrnn import CharTrainer


def lab_run(settings: Settings, label: str = "") -> Run:
    """A Run whose trainer is the lab's char-rnn; raises a Problem for a text or settings it cannot train."""
    # The pool only uses what the two trainers share (events, step, settings, task, params, lock), so it runs either.
    return Run(settings, label=label, trainer_=cast(Trainer, CharTrainer(settings)))
