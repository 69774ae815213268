"""Training as char-rnn does it: truncated BPTT over windows of the text, the hidden state carried between windows.

The text's training part is cut into B parallel streams; each step trains on the next T characters of every
stream, starting from the state the previous window ended in (detached: gradients stop at the window's edge).
Each pass over the streams starts from zero state at a new offset into the text (seeded), and at every window one
stream (in turn) starts from zero state: a model that only ever started afresh at the same few places learns where
it stands in a repeating text from its state rather than from the characters it read, and a prompt (read from zero
state) then goes on with another line's words.
"""
from __future__ import annotations

import math
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np
import torch
from torch import nn

from ..settings import LAB
from ..text import Vocab
from ..words import Problem, Said
from . import sampling
from .activations import Activations, activations
from .base import Base, Cost, seeded, training_cost
from .char_tokens import Tokens, tokens_of
from .loop import Event, Settings, known
from .model import Model

WINDOW = 64               # T: characters per window (char-rnn's seq_length)
BATCH = 16                # B: parallel streams
HELD_ROWS = 16            # the held-out part is scored as this many rows at once (at most HELD_CHARS in all)
HELD_CHARS = 16_384
HELD_KEPT = 500           # held-out points kept at full detail (older ones thinned)
HELD_SHARE = 0.05         # scoring the held-out part may take at most this share of training time
SAMPLE_SECONDS = 3.0      # a sample from the fixed prompt every this many seconds of training
SAMPLE_LENGTH = 160
LN2 = math.log(2)
# The lab's defaults: its rows of the settings registry that say a trainer field (cell, hidden, lr, steps, ...).
DEFAULTS: dict[str, Any] = {row.field: row.default for row in LAB.values() if row.field}


@dataclass
class LabEvent(Event):
    """A step's progress, with losses in bits per character and, now and then, a sample."""

    bpc: float = float("nan")           # this window's loss / ln 2
    held_bpc: float | None = None       # the held-out part's, when it was scored at this step
    sample: str | None = None           # from the fixed prompt, every SAMPLE_SECONDS


@dataclass(frozen=True)
class CharTask:
    """What the Explore hand-over and the weights file read of the text a model learns."""

    vocab: Vocab
    text: str
    name: str = "text"
    level: Literal["char"] = "char"
    encoding: Literal["onehot"] = "onehot"


def resolved(s: Settings) -> Settings:
    """The lab's defaults for what is None, checked against the registry's lab rows."""
    s = replace(s, **{k: v for k, v in DEFAULTS.items() if getattr(s, k) is None})
    for row in LAB.values():
        if not row.field or (row.kind is str and not row.choices):
            continue
        v = getattr(s, row.field)
        if row.choices:
            if v not in row.choices:
                raise Problem("lab.bad_choice", name=Said(row.name), value=repr(v)[:40])
            continue
        low, high = row.bounds
        if isinstance(v, bool) or not isinstance(v, (int, np.integer) if row.kind is int else (int, float)) \
                or not math.isfinite(v) or not low <= v <= high:
            raise Problem("lab.bad_number", name=Said(row.name), low=row.kind(low), high=row.kind(high),
                          value=repr(v)[:40])
    return s


def afresh(state, row: int):
    """The state carried to the next window, detached, with stream `row`'s set to zero: each window one stream starts
    afresh, as a prompt does, at its own place in the text (h, c: (L, B, H))."""
    parts = state if isinstance(state, tuple) else (state,)
    kept = tuple(x.detach().index_fill(1, torch.tensor([row]), 0.0) for x in parts)
    return kept if isinstance(state, tuple) else kept[0]


class CharTrainer(Base):
    """A character model on one text; `events()` trains (resumably) and yields a LabEvent per step."""

    def __init__(self, settings: Settings, window: int = WINDOW, batch: int = BATCH, prompt: str | None = None,
                 tokens: Tokens | None = None):
        self.settings = s = resolved(settings)
        self.tokens = tokens or tokens_of(s.text or "")
        train = self.tokens.train
        self.window = T = max(1, min(window, len(train) - 1))
        self.batch = max(1, min(batch, (len(train) - 1) // (T + 1)))
        self.passes = 0                                        # passes over the streams begun so far
        self.streams = self.streams_of(0)                       # (B, width + 1)
        self.task = CharTask(self.tokens.vocab, s.text or "")
        self.prompt = prompt if prompt is not None else "".join(self.tokens.head[:8])
        V = len(self.tokens.vocab)
        self.model: Model
        self.setup(seeded(known(s.seed), lambda: Model(V, known(s.cell), known(s.hidden), s.layers)),
                   known(s.optimizer), known(s.lr))
        self.loss_fn = nn.CrossEntropyLoss()
        self.pos = 0
        self.state: torch.Tensor | tuple[torch.Tensor, ...] | None = None     # (h, c) for an LSTM
        self._good = [torch.empty_like(p) for p in self.params]
        self.trained_seconds, self.held_seconds, self.since_sample = 0.0, 0.0, SAMPLE_SECONDS
        self.held_bpc = float("nan")
        self.held_history: list[tuple[int, float]] = []       # (step, held-out bits per character), for the curves
        self.last_sample: tuple[int, str] | None = None        # (step, text) of the latest fixed-prompt sample

    def cost(self) -> Cost:
        """One step: every parameter meets the B × T characters of a window."""
        s = self.settings
        return training_cost(self.parameter_count(), self.batch * self.window, known(s.hidden), s.layers, 1,
                             len(self.vocab))

    @property
    def vocab(self):
        return self.tokens.vocab

    def forward(self, ids: torch.Tensor, state=None):
        """ids (B, T) -> logits (B, T, V) and the state after the last step."""
        output, state = self.model.rnn(self.model.embed(ids), state)
        return self.model.fc(output), state

    def streams_of(self, n: int) -> np.ndarray:
        """(B, width + 1): pass n's streams, the training part cut into B rows from an offset drawn for that pass
        (the first pass from 0), read round the end of the text back to its start."""
        train = self.tokens.train
        width = (len(train) - 1) // self.batch
        shift = int(np.random.default_rng([known(self.settings.seed), n]).integers(len(train))) if n else 0
        rows = (shift + np.arange(self.batch)[:, None] * width + np.arange(width + 1)) % len(train)
        return train[rows]

    def window_at(self, pos: int) -> tuple[torch.Tensor, torch.Tensor]:
        """(inputs, targets) (B, T): the streams' characters pos … pos + T - 1 and the ones after each."""
        chunk = torch.from_numpy(self.streams[:, pos:pos + self.window + 1])
        return chunk[:, :-1], chunk[:, 1:]

    def events(self) -> Iterator[LabEvent]:
        """Train until `steps`, yielding after every step; stop at the first loss that is not finite or blows up."""
        s = self.settings
        while self.step < known(s.steps):
            started = time.perf_counter()
            if self.pos + self.window + 1 > self.streams.shape[1]:     # the streams' end: a new pass, from zero state
                self.passes += 1
                self.pos, self.state, self.streams = 0, None, self.streams_of(self.passes)
            inputs, targets = self.window_at(self.pos)
            with self.lock:
                with torch.no_grad():
                    torch._foreach_copy_(self._good, self.params)
                self.optimizer.zero_grad()
                logits, state = self.forward(inputs, self.state)
                loss = self.loss_fn(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))
                loss.backward()
                value = loss.detach().item()
                if self.diverged(value):
                    self._restore(self._good)
                    yield self._nan_event(value)
                    return
                if s.clip > 0:
                    nn.utils.clip_grad_norm_(self.params, s.clip)
                self.optimizer.step()
            self.pos += self.window
            self.step += 1
            self.state = afresh(state, self.step % self.batch)
            self.trained_seconds += time.perf_counter() - started
            self.since_sample += time.perf_counter() - started
            yield self._event(logits.detach(), targets, value)

    def _event(self, logits, targets, loss, scored: bool = False) -> LabEvent:
        """A step's event; the held-out score and a sample now and then (always at the last step, or when
        `scored`: a saved run's own step)."""
        always = scored or self.step == known(self.settings.steps)
        held = self.score_held() if always or self.step == 1 or self.held_seconds <= HELD_SHARE * self.trained_seconds \
            else None
        sample = None
        if held is not None:
            self.held_history.append((self.step, held))
            if len(self.held_history) > 2 * HELD_KEPT:          # a long run keeps every other point of its past
                self.held_history = self.held_history[:-HELD_KEPT:2] + self.held_history[-HELD_KEPT:]
        if always or self.since_sample >= SAMPLE_SECONDS:
            sample, self.since_sample = self.sample(self.prompt, SAMPLE_LENGTH, temperature=0.8, seed=0), 0.0
            self.last_sample = (self.step, sample)
        pred, want = logits[0].argmax(-1).numpy(), targets[0].numpy()
        correct = float((logits.argmax(-1) == targets).float().mean())
        return LabEvent(self.step, known(self.settings.steps), loss, correct, self.vocab.decode(pred), self.vocab.decode(want),
                        bpc=loss / LN2, held_bpc=held, sample=sample)

    def saved_event(self) -> LabEvent:
        """The weights' own step, as a training step shows it (loss on the streams' next window, the held-out bits
        per character, a sample), with no update and the carried state left as it was."""
        inputs, targets = self.window_at(min(self.pos, self.streams.shape[1] - self.window - 1))
        with self.lock, torch.no_grad():
            logits, _ = self.forward(inputs, self.state)
            loss = self.loss_fn(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1)).item()
        return self._event(logits, targets, loss, scored=True)

    def score_held(self) -> float:
        """Bits per character on the held-out part (the text's last tenth), as HELD_ROWS rows from zero state."""
        started = time.perf_counter()
        held = self.tokens.held[:HELD_CHARS + 1]
        rows = max(1, min(HELD_ROWS, (len(held) - 1) // 32))
        width = (len(held) - 1) // rows
        chunk = torch.from_numpy(np.stack([held[r * width:(r + 1) * width + 1] for r in range(rows)]))
        with self.lock, torch.no_grad():
            logits, _ = self.forward(chunk[:, :-1])
            loss = self.loss_fn(logits.reshape(-1, logits.shape[-1]), chunk[:, 1:].reshape(-1)).item()
        self.held_bpc = loss / LN2
        # The cost counts against training time since: a large model scores less often, it does not train slower.
        self.held_seconds, self.trained_seconds = time.perf_counter() - started, 0.0
        return self.held_bpc

    def _restore(self, saved: list[torch.Tensor]) -> None:
        super()._restore(saved)
        self.state = None

    def _nan_event(self, loss: float) -> LabEvent:
        lr = known(self.settings.lr)
        return LabEvent(self.step + 1, known(self.settings.steps), loss, 0.0, "", "", status="nan",
                        message=Said("lab.nan", dict(step=self.step + 1, loss=f"{loss:.4g}", lr=f"{lr:g}",
                                                   smaller=f"{lr / 10:g}", kept=self.step)))

    # --- what the trained model does ------------------------------------------

    def load(self, state: dict[str, torch.Tensor]) -> None:
        """Put saved weights in (an uploaded file's), the state of the windows started afresh."""
        super().load(state)
        self.state = None

    def sample(self, prompt: str = "", length: int = 200, temperature: float = 1.0, top_k: int = 0,
               seed: int = 0) -> str:
        """`length` characters written after `prompt` (temperature 0: always the most likely one)."""
        return "".join(self.stream(prompt, length, temperature, top_k, seed))

    def stream(self, prompt: str = "", length: int = 200, temperature: float = 1.0, top_k: int = 0,
               seed: int = 0) -> Iterator[str]:
        """The sample one character at a time, as it is drawn."""
        with self.lock:
            model = sampling.frozen(self.model)
        return sampling.stream(model, self.vocab, prompt, length, temperature, top_k, seed)

    def next_chars(self, text: str, k: int = 10) -> list[tuple[str, float]]:
        """The k most likely characters after `text`, with their probabilities."""
        with self.lock:
            model = sampling.frozen(self.model)
        return sampling.next_chars(model, self.vocab, text, k)

    def activations(self, text: str) -> Activations:
        """Every unit's h_t, c_t and gates over `text`, computed by the engine on the trained weights."""
        with self.lock:
            rnn = sampling.frozen(self.model).rnn
        return activations(rnn, self.vocab, text)
