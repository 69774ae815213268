"""The encoder-decoder in torch, trained on reading numbers aloud; its weights go to the engine's `Seq2Seq`.

    trainer = NumbersTrainer(lang="ko", cell="gru", hidden=64, attention="general", steps=1500, seed=0)
    for event in trainer.events(): ...        # loss, exact readings of held-out numbers, a few unseen readings
    trainer.translate("2026")                 # '이천이십육'
    trainer.attention("2026")                 # (output tokens × input digits), rows sum to 1 (engine's numbers)
"""
from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

from ..bridge import torch_module
from ..engine.attention import ATTENTIONS, AttentionKind
from ..engine.registry import CellName, cell_spec
from ..engine.seq2seq import Seq2Seq, Seq2SeqTrace
from .numbers import Numbers, numbers

_SEED_LOCK = threading.Lock()     # torch's global RNG: one seeding at a time


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


@dataclass(frozen=True)
class NumbersEvent:
    """One training step: its loss, and now and then the exact readings of the held-out numbers."""

    step: int
    loss: float
    held_accuracy: float | None = None                       # exact readings of held-out numbers, 0 … 1
    readings: tuple[tuple[int, str, str], ...] = field(default=())   # (number, reading, right reading) unseen


class NumbersTrainer:
    """Adam on the numbers task; batches of one digit count (no padding in the source)."""

    def __init__(self, lang: str = "ko", cell: CellName = "gru", hidden: int = 64, embed: int = 32,
                 attention: AttentionKind = "general", steps: int = 1500, lr: float = 0.005, batch: int = 64,
                 seed: int = 0, eval_every: int = 100, shown: tuple[int, ...] = ()):
        self.task: Numbers = numbers(lang)
        self.steps, self.batch, self.eval_every, self.step = steps, batch, eval_every, 0
        with _SEED_LOCK:
            torch.manual_seed(seed)
            self.model = Model(cell, len(self.task.src_vocab), len(self.task.tgt_vocab), embed, hidden, attention)
        self.cell, self.hidden, self.embed, self.attention_kind = cell, hidden, embed, attention
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=lr)
        self.rng = np.random.default_rng(seed)
        train = self.task.train
        self.buckets = [train[np.char.str_len(train.astype(str)) == k] for k in range(1, 5)]
        self.weights = np.array([len(b) for b in self.buckets], float) / len(train)
        self.shown = shown or tuple(int(n) for n in self.rng.choice(self.task.held_out, 4, replace=False))

    def train_step(self) -> float:
        """One update on a batch of numbers with the same digit count."""
        k = self.rng.choice(4, p=self.weights)
        src, tgt_in, targets = self.task.batch(self.rng.choice(self.buckets[k], self.batch))
        logits = self.model(torch.from_numpy(src), torch.from_numpy(tgt_in))
        loss = nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), torch.from_numpy(targets).reshape(-1),
                                           ignore_index=-100)
        self.optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(self.model.parameters(), 1.0)
        self.optimizer.step()
        self.step += 1
        return loss.item()

    def events(self) -> Iterator[NumbersEvent]:
        """Train to `steps`, one event a step; every `eval_every` steps (and the last) the held-out score."""
        while self.step < self.steps:
            loss = self.train_step()
            if self.step % self.eval_every == 0 or self.step == self.steps:
                yield NumbersEvent(self.step, loss, self.held_accuracy(),
                                   tuple((n, self.translate(n), self.task.words(self.task.target(n))) for n in self.shown))
            else:
                yield NumbersEvent(self.step, loss)

    @torch.no_grad()
    def read(self, ns: np.ndarray) -> list[str]:
        """Greedy readings of numbers of any digit counts, batched by digit count in torch."""
        out: dict[int, str] = {}
        ns = np.asarray(ns)
        for k in range(1, 5):
            group = ns[np.char.str_len(ns.astype(str)) == k]
            if not len(group):
                continue
            src = torch.from_numpy(np.array([self.task.source(int(n)) for n in group]))
            fed = torch.full((len(group), 1), self.task.bos)
            for _ in range(self.task.max_out):
                nxt = self.model(src, fed)[:, -1].argmax(-1, keepdim=True)
                fed = torch.cat([fed, nxt], 1)
            out |= {int(n): self.task.words(row[1:].tolist()) for n, row in zip(group, fed)}
        return [out[int(n)] for n in ns]

    def held_accuracy(self) -> float:
        """The share of held-out numbers read exactly right."""
        got = self.read(self.task.held_out)
        right = [self.task.words(self.task.target(int(n))) for n in self.task.held_out]
        return float(np.mean([g == r for g, r in zip(got, right)]))

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
