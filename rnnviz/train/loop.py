"""The training loop: a generator of progress events. Whoever runs it decides how to show them."""
from __future__ import annotations

import math
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import TypeVar

import numpy as np
import torch

from ..bridge import from_torch
from ..engine.attention import AttentionKind
from ..engine.network import MAX_SIZE
from ..engine.registry import ONE_PER_CLASS, CellName, cell_spec
from ..settings import OPTIMIZERS, TRAIN
from ..words import Problem, Said
from .base import DIVERGED, Base, Cost, seeded, training_cost
from .model import Model
from .tasks import Task, make_task

GRAD_SHARE = 0.05               # the gradient diagnostic may take at most this share of training time
Value = TypeVar("Value")


def known(value: Value | None) -> Value:
    """A setting that Settings.resolved() filled in (None means "the task's default" only before that)."""
    if value is None:
        raise ValueError("a task-default setting was read before Settings.resolved()")
    return value


@dataclass(frozen=True)
class Settings:
    """Every choice of a training run. None means the task's (the lesson's) default."""

    task: str = "apple"
    cell: CellName | None = None     # a name of the cell registry
    hidden: int | None = None
    layers: int = 1
    bidirectional: bool = False      # only for the many-to-one memory task (next-token tasks would peek ahead)
    optimizer: str | None = None     # adam | sgd (with momentum 0.9)
    lr: float | None = None
    steps: int | None = None
    clip: float = 0.0                # gradient-norm clipping, 0 = off
    seed: int | None = None
    distance: int = 60               # memory task: distractors between the token and the question
    text: str | None = None          # text task
    grad_every: int = 5              # compute dL/dh_t through the engine every this many steps
    lang: str = "ko"                 # numbers task: the language the numbers are read aloud in
    attention: AttentionKind = "general"   # numbers task: none | dot | general | additive

    def resolved(self, task: Task) -> Settings:
        d = task.defaults or {}
        s = replace(self, **{k: d[k] for k in ("cell", "hidden", "lr", "steps", "optimizer", "seed")
                             if getattr(self, k) is None and k in d})
        check(s, task)
        return s


COMPARE_CELLS = ONE_PER_CLASS     # "compare": one run per torch class (RNN, LSTM, GRU), side by side

# One bound per setting for every door (the page, its links, uploaded weights' metadata, the notebook): the
# registry's Train rows (rnnviz/settings.py); grad_every is the trainer's own.
LIMITS = {s.field: (int(s.bounds[0]), int(s.bounds[1])) for s in TRAIN.values() if s.kind is int} | {"grad_every": (1, 10_000)}
RATE_LIMITS = {s.field: s.bounds for s in TRAIN.values() if s.kind is float}    # lr, clip (0 = off)


def check(s: Settings, task: Task | None = None) -> None:
    """Raise ValueError with a clear message for settings that cannot train (a lesson's `task`: for it too)."""
    for name, (low, high) in LIMITS.items():
        v = getattr(s, name)
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or not low <= v <= high:
            raise Problem("train.range", what=name, low=f"{low:,}", high=f"{high:,}", got=shown(v))
    cell_spec(s.cell)                # a ValueError naming the registry's cells
    if s.optimizer not in OPTIMIZERS:
        raise Problem("train.optimizer", got=repr(s.optimizer))
    for name, what in (("lr", "train.what.lr"), ("clip", "train.what.clip")):
        v, (least, most) = getattr(s, name), RATE_LIMITS[name]
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not (math.isfinite(v) and least <= v <= most):
            raise Problem("train.rate", what=Said(what), low=f"{least:g}", high=f"{most:g}", got=shown(v))
    if task is None:
        return
    if s.bidirectional and not task.many_to_one:
        raise Problem("train.bidirectional")
    if len(task.vocab) > MAX_SIZE:     # the engine's bound on a layer's size: refused now, not at step 0
        raise Problem("train.vocab", n=f"{len(task.vocab) - 1:,}", most=f"{MAX_SIZE - 1:,}")


def shown(value) -> str:
    """A value as a message shows it: a number of 309 digits as 1e+308, a long string shortened."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) >= 1e9:
        return f"{float(value):.4g}"
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def finite(tensors: list[torch.Tensor]) -> bool:
    """True if every value is a finite number: one fused max-norm (no overflow; NaN and inf propagate)."""
    return bool(torch.isfinite(torch.nn.utils.get_total_norm(tensors, norm_type=math.inf))) if tensors else True


@dataclass
class Event:
    """One training step's progress."""

    step: int                        # 1-based, as the lesson prints [31/151]
    steps: int
    loss: float
    accuracy: float                  # fraction of target tokens predicted right
    prediction: str                  # decoded argmax of the first sequence
    target: str
    grad_norms: np.ndarray | None = None   # (T,) ‖dL/dh_t‖ from the engine's backward: layer 0, first sequence
    status: str = "ok"               # "ok" | "nan"
    message: Said | str = ""        # said in the reader's language when shown


@dataclass
class Trainer(Base):
    """A model, its optimizer and a lesson's task; `events()` trains and yields an Event per step."""

    settings: Settings
    task: Task = field(init=False)
    model: Model = field(init=False)

    def __post_init__(self):
        self.task = make_task(self.settings.task, self.settings.text, self.settings.distance)
        self.settings = s = self.settings.resolved(self.task)
        chrono = self.task.inputs.shape[1] if self.task.name == "memory" else 0
        self.setup(seeded(known(s.seed), lambda: Model(len(self.task.vocab), known(s.cell), known(s.hidden), s.layers,
                                                       s.bidirectional, self.task.encoding, self.task.embedding_size,
                                                       chrono=chrono)), known(s.optimizer), known(s.lr))
        self.rng = np.random.default_rng(s.seed)
        self.loss_fn = torch.nn.CrossEntropyLoss()
        self.last_good: list[torch.Tensor] | None = None   # parameters that last gave a sane loss
        self.last_good_loss = float("nan")                   # ... and that loss
        # Two preallocated copies of the parameters, used in turn: "before this step" and "last good".
        self._copies = [[torch.empty_like(p) for p in self.params] for _ in range(2)]
        self.trained_seconds = 0.0     # training time since the last gradient diagnostic
        self.grad_seconds = 0.0        # what the last gradient diagnostic cost
        self.last_grad_step = -1

    def cost(self) -> Cost:
        """One step: every parameter meets every token of a batch."""
        inputs, _ = self.task.batch(np.random.default_rng(0))      # (B, T): the tokens of one step
        s = self.settings
        return training_cost(self.parameter_count(), inputs.size, known(s.hidden), s.layers,
                             2 if s.bidirectional else 1, len(self.task.vocab))

    def events(self) -> Iterator[Event]:
        """Train until `steps`; yield after every step. Stops at the first loss that is not finite or blows up.

        A non-finite gradient makes the next step's loss non-finite, so checking the loss (a number we read
        anyway) guards every step; the parameters themselves are checked after the last step, which has no next.
        """
        s, task = self.settings, self.task
        fixed = None if task.fresh_batches else tuple(torch.from_numpy(a) for a in task.batch(self.rng))
        # a fixed one-hot batch is encoded once (an embedding learns: it is looked up every step)
        one_hot = self.model.embed(fixed[0]) if fixed and self.model.embedding is None else None
        while self.step < known(s.steps):
            started = time.perf_counter()
            inputs, targets = fixed or tuple(torch.from_numpy(a) for a in task.batch(self.rng))
            want_grads = self._want_grads()
            with self.lock:
                good = self._copies[self.step % 2]
                with torch.no_grad():
                    torch._foreach_copy_(good, self.params)   # one fused copy instead of a clone per tensor
                self.optimizer.zero_grad()
                logits = self.model(inputs, keep_output=want_grads, x=one_hot)
                if task.many_to_one:
                    loss = self.loss_fn(logits[:, -1], targets[:, -1])
                else:
                    loss = self.loss_fn(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))
                loss.backward()
                value = loss.detach().item()
                if self.diverged(value):
                    self._restore(self.last_good or good)
                    yield self._nan_event(value, kept_step=self.step, kept_loss=self.last_good_loss)
                    return
                self.last_good, self.last_good_loss = good, value
                if s.clip > 0:
                    torch.nn.utils.clip_grad_norm_(self.params, s.clip)
                norms = self._grad_norms() if want_grads else None
                self.optimizer.step()
                if self.step == known(s.steps) - 1 and not finite(self.params):
                    self._restore(good)
                    yield self._nan_event(float("inf"), kept_step=self.step + 1, kept_loss=value)
                    return
            self.step += 1
            self.trained_seconds += time.perf_counter() - started
            yield self._event(logits.detach(), targets, value, norms)

    def saved_event(self) -> Event:
        """The weights' own step, as a training step shows it: loss, accuracy, prediction and ‖dL/dh_t‖ on one of
        the task's batches, with no update (the weights stay as they are: a saved run opened again)."""
        task = self.task
        inputs, targets = (torch.from_numpy(a) for a in task.batch(np.random.default_rng(self.step)))
        with self.lock:
            logits = self.model(inputs, keep_output=True)
            picked = ((logits[:, -1], targets[:, -1]) if task.many_to_one
                      else (logits.reshape(-1, logits.shape[-1]), targets.reshape(-1)))
            loss = self.loss_fn(*picked)
            loss.backward()
            event = self._event(logits.detach(), targets, loss.item(), self._grad_norms())
            self.optimizer.zero_grad()
        return event

    def _want_grads(self) -> bool:
        """Record ‖dL/dh_t‖ on the first and last step, and every `grad_every` steps while that costs
        under a tenth of the training time (a large model gets fewer rows in the heatmap, not a slower run)."""
        s = self.settings
        if self.step in (0, known(s.steps) - 1):
            return True
        return (self.step - self.last_grad_step >= s.grad_every
                and self.grad_seconds <= GRAD_SHARE * self.trained_seconds)

    def _event(self, logits, targets, loss, norms) -> Event:
        task = self.task
        pred = logits.argmax(-1).numpy()        # one conversion; element-wise tensor reads are slow
        targets = targets.numpy()
        if task.many_to_one:
            correct = (pred[:, -1] == targets[:, -1]).mean()
            prediction, target = task.vocab.decode(pred[:16, -1]), task.vocab.decode(targets[:16, -1])
        else:
            correct = (pred == targets).mean()
            prediction, target = task.decode(pred[0]), task.decode(targets[0])
        return Event(self.step, known(self.settings.steps), loss, float(correct), prediction, target, norms)

    def _nan_event(self, loss: float, kept_step: int, kept_loss: float) -> Event:
        """kept_step: the step (counted from 1) whose loss the kept weights gave; 0 for the initial weights."""
        lr = known(self.settings.lr)
        usual = (self.task.defaults or {}).get("lr")          # the preset's own rate, where it is smaller
        suggestion = min(lr / 10, usual) if usual else lr / 10
        kept = (Said("nan.kept", {"step": kept_step, "loss": f"{kept_loss:.4g}"}) if kept_step
                else Said("nan.kept_initial"))
        what = (Said("nan.not_finite", {"loss": f"{loss:g}"}) if not math.isfinite(loss) else
                Said("nan.jumped", {"loss": f"{loss:,.4g}", "times": DIVERGED, "first": f"{self.first_loss:.4g}"}))
        return Event(self.step + 1, known(self.settings.steps), loss, 0.0, "", "", status="nan", message=Said("nan", {
            "step": self.step + 1, "what": what, "lr": f"{lr:g}", "suggestion": f"{suggestion:g}", "kept": kept}))

    def _grad_norms(self) -> np.ndarray:
        """‖dL/dh_t‖ for every t of the batch's first sequence, through the engine's backward pass,
        from torch's dL/d(output) of this step."""
        started = time.perf_counter()
        net = from_torch(self.model.rnn)
        x = self.model.last_x.detach().numpy()[:1]
        d_output = self.model.last_output.grad.numpy()[:1]
        norms = net.backward(net.forward(x), d_output).dh_norm(layer=0)
        self.grad_seconds, self.trained_seconds, self.last_grad_step = time.perf_counter() - started, 0.0, self.step
        return norms


def run(task: str = "apple", **settings) -> Iterator[Event]:
    """Train a preset ('apple', 'avengers', 'hello', 'memory', 'text') and yield an Event per step."""
    trainer = Trainer(Settings(task=task, **settings))
    yield from trainer.events()
