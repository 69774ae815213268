"""Writing as a run of the shared training pool: one character a step, within the student's budget and turns.

A page that wrote in its own thread held a core outside every budget (2,000 characters of the largest lab model:
~50 s); in the pool the writing takes its turns with everyone's training and its steps count as work.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace

from ..train import sampling
from ..train.base import STEP_OVERHEAD, Cost
from ..train.charrnn import CharTrainer
from ..train.loop import Event
from ..train.runner import Run


class Writer:
    """`length` characters after `prompt`, drawn one a step from a frozen copy of a trained model."""

    def __init__(self, trainer: CharTrainer, prompt: str, length: int, temperature: float, top_k: int, seed: int):
        sampling.check_all(length, temperature, top_k, seed)       # a bad setting is said now, not in a worker
        self.prompt = prompt
        self.settings = replace(trainer.settings, steps=int(length))
        with trainer.lock:
            model = sampling.frozen(trainer.model)
        self.params = list(model.parameters())
        self.lock = threading.Lock()
        self.step = 0
        self.written: list[str] = []
        self._chars = sampling.stream(model, trainer.vocab, prompt, length, temperature, top_k, seed)

    def cost(self) -> Cost:
        """A character a step: every parameter once; memory: one frozen float32 copy (no gradients, no Adam)."""
        size = sum(p.numel() for p in self.params)
        return Cost(size + STEP_OVERHEAD, 4 * size)

    @property
    def text(self) -> str:
        return "".join(self.written)

    def events(self) -> Iterator[Event]:
        """An event per character written; called again after each of the pool's slices, it goes on writing."""
        steps = int(self.settings.steps or 0)
        for ch in self._chars:
            self.written.append(ch)
            self.step += 1
            yield Event(self.step, steps, 0.0, 0.0, ch, "")
        self.params = []            # written: the frozen copy goes (the text stays), a session keeps no model for it


def write_run(trainer: CharTrainer, prompt: str, length: int, temperature: float, top_k: int,
              seed: int) -> Run[Writer]:
    """A Run of the pool that writes; raises a Problem for a sampling setting out of its range."""
    writer = Writer(trainer, prompt, length, temperature, top_k, seed)
    return Run(writer.settings, label="write", trainer_=writer)


def writer_of(run: Run[Writer]) -> Writer:
    return run.trainer
