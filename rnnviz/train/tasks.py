"""The lessons' training tasks as data: input ids, target ids, vocabulary, and how to read a prediction."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..settings import TASKS, TEXT_CAP, TRAIN
from ..text import Encoding, Level, Vocab, tokenize
from ..words import Problem

AVENGERS = "We are going to watch Avengers End Game"
WINDOW = 32              # custom text is trained on windows of this many characters


@dataclass(frozen=True)
class Task:
    """Inputs and targets as ids; `many_to_one` tasks are scored on the last step only."""

    name: str
    vocab: Vocab
    level: Level
    inputs: np.ndarray            # (B, T) ids
    targets: np.ndarray           # (B, T) ids (many-to-one: only the last column counts)
    encoding: Encoding = "onehot"
    embedding_size: int = 5
    many_to_one: bool = False
    prefix: str = ""              # shown before the prediction (the lesson prints 'We' first)
    defaults: dict[str, Any] = field(default_factory=dict)   # the lesson's settings
    fresh_batches: bool = False   # memory and text tasks draw new batches each step
    text: str = ""
    distance: int = 0             # memory task: distractors between the token and the question

    @property
    def input_size(self) -> int:
        return len(self.vocab) if self.encoding == "onehot" else self.embedding_size

    def decode(self, ids) -> str:
        sep = " " if self.level == "word" else ""
        words = [self.vocab.tokens[int(i)] for i in ids]
        return (self.prefix + sep if self.prefix else "") + sep.join(words)

    def batch(self, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """(inputs, targets) for one training step."""
        if self.name == "memory":
            return memory_batch(self.distance, rng)
        if self.name == "text" and self.inputs.shape[1] > WINDOW:
            return text_windows(self.inputs[0], self.targets[0], rng)
        return self.inputs, self.targets


def next_token(name, tokens, vocab, level, **kw) -> Task:
    ids = vocab.encode(tokens)
    return Task(name=name, vocab=vocab, level=level, inputs=ids[None, :-1], targets=ids[None, 1:], **kw)


# --- the long-range memory task -------------------------------------------------
SIGNALS = ("A", "B", "C", "D")
NOISE = ("w", "x", "y", "z")
MEMORY_VOCAB = Vocab(("?",) + SIGNALS + NOISE)
MEMORY_BATCH = 64


def memory_batch(distance: int, rng: np.random.Generator, batch: int = MEMORY_BATCH):
    """Sequences 'B x z w … ?' : one of 4 signals, `distance` random distractors, a question; answer the signal."""
    signal = rng.integers(1, 1 + len(SIGNALS), batch)
    noise = rng.integers(1 + len(SIGNALS), len(MEMORY_VOCAB), (batch, distance))
    inputs = np.concatenate([signal[:, None], noise, np.zeros((batch, 1), np.int64)], axis=1)
    targets = np.zeros_like(inputs)
    targets[:, -1] = signal
    return inputs, targets


def text_windows(ids_in, ids_out, rng, batch: int = 16):
    starts = rng.integers(0, len(ids_in) - WINDOW + 1, batch)
    starts[0] = 0   # the first window is always the text's start, so the shown prediction is stable
    return (np.stack([ids_in[s:s + WINDOW] for s in starts]), np.stack([ids_out[s:s + WINDOW] for s in starts]))


def make_task(name: str, text: str | None = None, distance: int = 60) -> Task:
    """A task by preset name: apple, avengers, hello, memory (distance N) or text (custom text)."""
    if name == "apple":
        x, y = "apple", "pple!"
        vocab = Vocab.build(x + y, order="sorted")
        return Task("apple", vocab, "char", vocab.encode(x)[None], vocab.encode(y)[None], text=f"{x} → {y}",
                    defaults=dict(cell="rnn_tanh", hidden=5, lr=0.1, steps=100, optimizer="adam", seed=0))
    if name == "avengers":
        words = AVENGERS.split()
        vocab = Vocab.build(words, unk=True)
        return next_token("avengers", words, vocab, "word", encoding="embedding", embedding_size=5, prefix="We",
                          text=AVENGERS,
                          defaults=dict(cell="rnn_tanh", hidden=20, lr=0.001, steps=151, optimizer="adam", seed=70))
    if name == "hello":
        rows = ["hello", "eolll", "lleel"]
        vocab = Vocab.build("helo")
        ids = np.stack([vocab.encode(r) for r in rows])
        return Task("hello", vocab, "char", ids[:, :-1], ids[:, 1:], text=" / ".join(rows),
                    defaults=dict(cell="rnn_tanh", hidden=8, lr=0.05, steps=200, optimizer="adam", seed=0))
    if name == "memory":
        low, high = TRAIN["tr_distance"].bounds      # the Train view's slider's range, said once
        if not low <= int(distance) <= high:
            raise Problem("task.distance", got=distance, low=int(low), high=int(high))
        inputs, targets = memory_batch(int(distance), np.random.default_rng(0))
        return Task("memory", MEMORY_VOCAB, "char", inputs, targets, many_to_one=True, fresh_batches=True,
                    distance=int(distance), text=f"recall the first of {distance + 2} tokens",
                    defaults=dict(cell="lstm", hidden=32, lr=0.01, steps=800, optimizer="adam", seed=0))
    if name == "text":
        text = text if text is not None else "hello world"
        tokens = tokenize(text, "char", max_chars=TEXT_CAP)
        if len(tokens) < 2:
            raise Problem("task.text_short")
        vocab = Vocab.build(tokens, unk=True)
        return next_token("text", tokens, vocab, "char", fresh_batches=len(tokens) - 1 > WINDOW, text=text,
                          defaults=dict(cell="lstm", hidden=64, lr=0.01, steps=300, optimizer="adam", seed=0))
    raise Problem("task.unknown", name=repr(name), tasks=", ".join(TASKS))
