"""The encoder-decoder in torch, trained on reading numbers aloud; its weights go to the engine's `Seq2Seq`.

    trainer = Trainer(Settings(task="numbers", lang="ko", cell="gru", hidden=64, attention="general", steps=1500))
    for event in trainer.events(): ...        # loss, exact readings of held-out numbers, a few unseen readings
    trainer.translate("2026")                 # '이천이십육'
    trainer.attention("2026")                 # (output tokens × input digits), rows sum to 1 (engine's numbers)
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import torch
from torch import nn

from ..bridge import torch_module
from ..engine.attention import ATTENTIONS, AttentionKind
from ..engine.registry import CellName, cell_spec
from ..engine.seq2seq import Seq2Seq, Seq2SeqTrace
from ..words import Problem, Said
from .base import Base, Cost, seeded, training_cost
from .loop import Event, Settings, check, known, shown
from .numbers import LANGS, Numbers, numbers


class Additive(nn.Module):
    """Bahdanau's score v · tanh(Wq h_t + Wk e_s), its weights named query, key and v."""

    def __init__(self, hidden: int):
        super().__init__()
        self.query = nn.Linear(hidden, hidden, bias=False)
        self.key = nn.Linear(hidden, hidden, bias=False)
        self.v = nn.Linear(hidden, 1, bias=False)

    def forward(self, h: torch.Tensor, e: torch.Tensor) -> torch.Tensor:
        """(B, T, H), (B, S, H) -> scores (B, T, S)."""
        return self.v(torch.tanh(self.query(h)[:, :, None] + self.key(e)[:, None]))[..., 0]


class Model(nn.Module):
    """ids → logits: embed, encoder RNN, decoder RNN from the encoder's last state, attention on h_t, Linear."""

    def __init__(self, cell: CellName, src_vocab: int, tgt_vocab: int, embed: int, hidden: int,
                 attention: AttentionKind):
        super().__init__()
        if attention not in ATTENTIONS:
            raise ValueError(f"attention must be one of {', '.join(ATTENTIONS)}, got {attention!r}")
        cell_spec(cell)
        self.kind = attention
        self.src_embed, self.tgt_embed = nn.Embedding(src_vocab, embed), nn.Embedding(tgt_vocab, embed)
        self.encoder = torch_module(cell, embed, hidden, batch_first=True)
        self.decoder = torch_module(cell, embed, hidden, batch_first=True)
        if attention in ("general", "additive"):
            self.attn: nn.Module = nn.Linear(hidden, hidden, bias=False) if attention == "general" else Additive(hidden)
        if attention != "none":
            self.combine = nn.Linear(2 * hidden, hidden)
        self.out = nn.Linear(hidden, tgt_vocab)

    def forward(self, src: torch.Tensor, tgt_in: torch.Tensor) -> torch.Tensor:
        """(B, S), (B, T) ids -> (B, T, V) logits, teacher forcing."""
        e, state = self.encoder(self.src_embed(src))
        h, _ = self.decoder(self.tgt_embed(tgt_in), state)
        return self.readout(h, e)

    def readout(self, h: torch.Tensor, e: torch.Tensor) -> torch.Tensor:
        """Decoder states (B, T, H) and encoder outputs (B, S, H) -> logits (B, T, V): attention on each h_t alone,
        so a step's logits need no later step (greedy reading goes one step at a time)."""
        if self.kind == "none":
            return self.out(h)
        if self.kind == "dot":
            score = h @ e.transpose(1, 2)
        elif self.kind == "general":
            score = h @ self.attn(e).transpose(1, 2)
        else:
            score = self.attn(h, e)
        ctx = torch.softmax(score, -1) @ e
        return self.out(torch.tanh(self.combine(torch.cat([ctx, h], -1))))


@dataclass
class NumbersEvent(Event):
    """One training step: its loss, and now and then the exact readings of the held-out numbers."""

    held_accuracy: float | None = None                       # exact readings of held-out numbers, 0 … 1
    readings: tuple[tuple[int, str, str], ...] = field(default=())   # (number, reading, right reading) unseen


DEFAULTS: dict[str, Any] = dict(cell="gru", hidden=64, lr=0.005, steps=1500, optimizer="adam", seed=0)   # the preset
EMBED = 32               # the size of a digit's and a word's embedding
BATCH = 64               # numbers a step, all with the same digit count (no padding in the source)
EVAL_EVERY = 100         # the held-out numbers are read every this many steps (and at the last)
HELD_KEPT = 500          # held-out points kept
CLIP = 1.0               # the preset's gradient-norm clipping


def words_right(logits: torch.Tensor, targets: torch.Tensor) -> float:
    """The share of a batch's target words (padding left out) that are the most likely ones."""
    mask = targets != -100
    return float((logits.argmax(-1)[mask] == targets[mask]).float().mean())


def resolved(s: Settings) -> Settings:
    """The preset's settings for what is None; a choice the task cannot take is refused with its words."""
    s = replace(s, **{k: v for k, v in DEFAULTS.items() if getattr(s, k) is None})
    if s.lang not in LANGS:
        raise Problem("numbers.lang", got=shown(s.lang), choices=", ".join(LANGS))
    if s.attention not in ATTENTIONS:
        raise Problem("numbers.attention", got=shown(s.attention), choices=", ".join(ATTENTIONS))
    check(s)
    return s


class NumbersTrainer(Base):
    """Adam on the numbers task; batches of one digit count (no padding in the source).

    NumbersTrainer(Settings(task="numbers", lang="ko", ...)), or the same choices as keywords."""

    def __init__(self, settings: Settings | None = None, *, embed: int = EMBED, batch: int = BATCH,
                 eval_every: int = EVAL_EVERY, shown: tuple[int, ...] = (), **choices):
        given: dict[str, Any] = {"task": "numbers", "clip": CLIP} | choices
        self.settings = s = resolved(settings if settings is not None else Settings(**given))
        self.task: Numbers = numbers(s.lang)
        self.batch, self.eval_every = batch, eval_every
        self.cell: CellName = known(s.cell)
        self.hidden, self.embed = known(s.hidden), embed
        self.attention_kind = s.attention
        self.model: Model
        self.setup(seeded(known(s.seed), lambda: Model(self.cell, len(self.task.src_vocab), len(self.task.tgt_vocab),
                                                       embed, self.hidden, self.attention_kind)),
                   known(s.optimizer), known(s.lr))
        self.rng = np.random.default_rng(s.seed)
        train = self.task.train
        groups = [train[np.char.str_len(train.astype(str)) == k] for k in range(1, 5)]
        self.weights = np.array([len(g) for g in groups], float) / len(train)
        # each digit count's numbers made into (source, decoder input, targets) once: a step only picks rows
        self.buckets = [tuple(torch.from_numpy(a) for a in self.task.batch(g)) for g in groups]
        self.shown = shown or tuple(int(n) for n in self.rng.choice(self.task.held_out, 4, replace=False))
        self._good = [torch.empty_like(p) for p in self.params]
        self.held_history: list[tuple[int, float]] = []    # (step, exact readings of held-out numbers)
        self.right = {int(n): self.task.words(self.task.target(int(n))) for n in self.task.held_out}   # said right
        self.last_readings: tuple[tuple[int, str, str], ...] = ()

    @property
    def steps(self) -> int:
        return known(self.settings.steps)

    def cost(self) -> Cost:
        """One step: every parameter meets a batch's digits and words (the longest reading, EOS included)."""
        tokens = self.batch * (4 + self.task.max_out)
        return training_cost(self.parameter_count(), tokens, self.hidden, 2, 1, len(self.task.tgt_vocab))

    def next_batch(self) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """(source (B, S), decoder input (B, T), targets (B, T)) of numbers with one digit count."""
        src, tgt_in, targets = self.buckets[self.rng.choice(4, p=self.weights)]
        rows = torch.from_numpy(self.rng.choice(len(src), self.batch))
        return src[rows], tgt_in[rows], targets[rows]

    def loss(self, src: torch.Tensor, tgt_in: torch.Tensor, targets: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Teacher-forced cross-entropy over the words read (padding ignored), and the logits."""
        logits = self.model(src, tgt_in)
        return nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1),
                                           ignore_index=-100), logits

    def train_step(self) -> float:
        """One update on a batch of numbers with the same digit count; its loss."""
        value, _ = self._update(*self.next_batch())
        return value

    def _update(self, src, tgt_in, targets) -> tuple[float, float | None]:
        """One update: (loss, share of words right); None instead of the share when the loss blew up (undone)."""
        with self.lock:
            with torch.no_grad():
                torch._foreach_copy_(self._good, self.params)
            loss, logits = self.loss(src, tgt_in, targets)
            self.optimizer.zero_grad()
            loss.backward()
            value = loss.item()
            if self.diverged(value):
                self._restore(self._good)
                return value, None
            if self.settings.clip > 0:
                nn.utils.clip_grad_norm_(self.params, self.settings.clip)
            self.optimizer.step()
        self.step += 1
        return value, words_right(logits.detach(), targets)

    def events(self) -> Iterator[NumbersEvent]:
        """Train to `steps`, one event a step; every `eval_every` steps (and the first and last) the held-out score
        and the shown numbers' readings. Stops at the first loss that is not finite or blows up."""
        while self.step < self.steps:
            value, accuracy = self._update(*self.next_batch())
            if accuracy is None:
                yield self._nan_event(value)
                return
            if self.step % self.eval_every == 0 or self.step in (1, self.steps):
                yield self._scored(value, accuracy)
            else:
                yield NumbersEvent(self.step, self.steps, value, accuracy, "", "")

    def saved_event(self) -> NumbersEvent:
        """The weights' own step, as a scored training step shows it (loss and share of words right on a batch,
        the held-out numbers' exact readings and the shown numbers read), with no update."""
        src, tgt_in, targets = self.next_batch()
        with self.lock, torch.no_grad():
            loss, logits = self.loss(src, tgt_in, targets)
        return self._scored(loss.item(), words_right(logits, targets))

    def _scored(self, loss: float, accuracy: float) -> NumbersEvent:
        readings = self.held_readings()          # the shown numbers are held-out ones: read once, with the rest
        held = self.share_right(readings)
        self.held_history.append((self.step, held))
        if len(self.held_history) > 2 * HELD_KEPT:
            self.held_history = self.held_history[:-HELD_KEPT:2] + self.held_history[-HELD_KEPT:]
        self.last_readings = tuple((n, readings[n], self.right[n]) for n in self.shown)
        _, reading, right = self.last_readings[0]
        return NumbersEvent(self.step, self.steps, loss, accuracy, reading, right, held_accuracy=held,
                            readings=self.last_readings)

    def _nan_event(self, loss: float) -> NumbersEvent:
        lr = known(self.settings.lr)
        return NumbersEvent(self.step + 1, self.steps, loss, 0.0, "", "", status="nan",
                            message=Said("lab.nan", dict(step=self.step + 1, loss=f"{loss:.4g}", lr=f"{lr:g}",
                                                       smaller=f"{lr / 10:g}", kept=self.step)))

    @torch.inference_mode()
    def read(self, ns: np.ndarray) -> list[str]:
        """Greedy readings of numbers of any digit counts, batched by digit count in torch."""
        out: dict[int, str] = {}
        ns = np.asarray(ns)
        for k in range(1, 5):
            group = ns[np.char.str_len(ns.astype(str)) == k]
            if not len(group):
                continue
            src = torch.from_numpy(np.array([self.task.source(int(n)) for n in group]))
            e, state = self.model.encoder(self.model.src_embed(src))
            said = [torch.full((len(group), 1), self.task.bos)]
            ended = torch.zeros(len(group), dtype=torch.bool)
            for _ in range(self.task.max_out):          # one decoder step at a time, its state carried
                h, state = self.model.decoder(self.model.tgt_embed(said[-1]), state)
                said.append(self.model.readout(h, e)[:, -1].argmax(-1, keepdim=True))
                ended |= said[-1][:, 0] == self.task.eos
                if bool(ended.all()):                   # every reading has ended: what follows EOS is never read
                    break
            out |= {int(n): self.task.words(row.tolist()) for n, row in zip(group, torch.cat(said[1:], 1))}
        return [out[int(n)] for n in ns]

    def held_readings(self) -> dict[int, str]:
        """Every held-out number as the model reads it now."""
        return dict(zip((int(n) for n in self.task.held_out), self.read(self.task.held_out)))

    def share_right(self, readings: dict[int, str]) -> float:
        """The share of these held-out numbers' readings that are exactly right."""
        return float(np.mean([got == self.right[n] for n, got in readings.items()]))

    def held_accuracy(self) -> float:
        """The share of held-out numbers read exactly right."""
        return self.share_right(self.held_readings())

    def engine(self) -> Seq2Seq:
        """The trained weights in the engine, where every number behind a figure is computed."""
        params = {k: v.detach().numpy().copy() for k, v in self.model.named_parameters()}
        return Seq2Seq(self.cell, len(self.task.src_vocab), len(self.task.tgt_vocab), self.embed, self.hidden,
                       self.attention_kind, params)

    def trace(self, number: int | str) -> tuple[np.ndarray, Seq2SeqTrace]:
        """The engine's greedy reading of one number: its ids and every intermediate."""
        src = np.array([self.task.source(int(number))])
        return self.engine().greedy(src, self.task.bos, self.task.eos, self.task.max_out)

    def translate(self, number: int | str) -> str:
        """The engine's reading of a number: '2026' -> '이천이십육'."""
        ids, _ = self.trace(number)
        return self.task.words(ids[0])

    def attention(self, number: int | str) -> np.ndarray:
        """α: (output tokens × input digits), each row sums to 1. With attention 'none' there are no weights."""
        _, trace = self.trace(number)
        if trace.attention.weights is None:
            raise ValueError("this model has no attention: its only context is the encoder's last state")
        return trace.attention.weights[:, 0, :]
