"""A lab run in the shared training pool: the same Run, queue and per-session budget as the Train view's."""
from __future__ import annotations

from ..train.charrnn import CharTrainer
from ..train.loop import Settings
from ..train.runner import Run


def lab_run(settings: Settings, label: str = "") -> Run[CharTrainer]:
    """A Run whose trainer is the lab's char-rnn; raises a Problem for a text or settings it cannot train."""
    return Run(settings, label=label, trainer_=CharTrainer(settings))
