"""What every trainer shares: one seed lock, the optimizer, restore, snapshot/load, the divergence check, its cost.

A trainer is anything the pool can run (`Trainable`): it has settings, a step count, a lock held while its weights
change, `events()` that trains (resumably) and `cost()`, the work and memory of one step.
"""
from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import torch

SEED_LOCK = threading.Lock()     # torch's global RNG: seed and build a model without another run in between
DIVERGED = 100                   # a loss this many times its first value means training blew up
STEP_OVERHEAD = 4e6              # a step's fixed cost (~2 ms of Python and dispatch), so tiny models count too
Built = TypeVar("Built")


def seeded(seed: int, build: Callable[[], Built]) -> Built:
    """`build()` right after torch.manual_seed(seed), with no other run seeding in between."""
    with SEED_LOCK:
        torch.manual_seed(seed)
        return build()


@dataclass(frozen=True)
class Cost:
    """One step's work (parameter-token steps: parameters × tokens + STEP_OVERHEAD) and a run's memory (bytes)."""

    work: float
    memory: int


def training_cost(parameters: int, tokens: int, hidden: int, layers: int, directions: int, vocab: int) -> Cost:
    """A step of training: parameters × tokens of work. Memory: the parameters ten times (weights, gradients, Adam's
    two moments, two copies, and what the allocator keeps of torch's work buffers: measured) and one step's values,
    ~12 per hidden unit per token per layer and direction (an LSTM's gates before and after their nonlinearity, c_t,
    tanh(c_t), h_t) and 3 per output."""
    memory = 4 * (10 * parameters + tokens * (12 * hidden * layers * directions + 3 * vocab))
    return Cost(parameters * tokens + STEP_OVERHEAD, memory)


class Trainable(Protocol):
    """What the pool runs: `events()` goes on from `step` to the settings' steps; `cost()` is one step's."""

    step: int
    lock: threading.Lock

    @property
    def settings(self) -> Any: ...

    def events(self) -> Iterator[Any]: ...

    def cost(self) -> Cost: ...


class Saveable(Trainable, Protocol):
    """A trainer of the task table (train/table.py): what weight files and the store keep and open again."""

    def saved_event(self) -> Any: ...      # the weights' own step as a training step shows it, with no update

    def snapshot(self) -> dict[str, torch.Tensor]: ...

    def load(self, state: dict[str, torch.Tensor]) -> None: ...


class Base:
    """A model's parameters and optimizer, with restore after a bad step and consistent snapshots."""

    model: torch.nn.Module
    params: list[torch.Tensor]
    optimizer: torch.optim.Optimizer
    optimizer_name: str
    lr: float

    def setup(self, model: torch.nn.Module, optimizer: str, lr: float) -> None:
        """Adopt `model` and build its optimizer (adam, or sgd with momentum 0.9)."""
        self.model, self.optimizer_name, self.lr = model, optimizer, lr
        self.params = list(model.parameters())
        self.optimizer = self._new_optimizer()
        self.lock = threading.Lock()           # held while weights change, so snapshots are consistent
        self.step = 0
        self.first_loss: float | None = None

    def _new_optimizer(self) -> torch.optim.Optimizer:
        # foreach: one fused update over every parameter tensor (the same arithmetic as the per-tensor loop, which a
        # small model pays for in Python: bench/train.py)
        return (torch.optim.Adam(self.params, lr=self.lr, foreach=True) if self.optimizer_name == "adam"
                else torch.optim.SGD(self.params, lr=self.lr, momentum=0.9, foreach=True))

    def _restore(self, saved: list[torch.Tensor]) -> None:
        """Put saved parameters back, with a fresh optimizer: its moments saw the bad step."""
        with torch.no_grad():
            for p, v in zip(self.params, saved):
                p.copy_(v)
        self.optimizer = self._new_optimizer()

    def diverged(self, loss: float) -> bool:
        """True for a loss that is not finite or DIVERGED times the first one (which it remembers)."""
        if self.first_loss is None:
            self.first_loss = loss
        return not math.isfinite(loss) or loss > DIVERGED * max(self.first_loss, 1.0)

    def parameter_count(self) -> int:
        return sum(p.numel() for p in self.params)

    def snapshot(self) -> dict[str, torch.Tensor]:
        with self.lock:
            return {k: v.detach().clone() for k, v in self.model.state_dict().items()}

    def load(self, state: dict[str, torch.Tensor]) -> None:
        with self.lock:
            self.model.load_state_dict(state, strict=True)
