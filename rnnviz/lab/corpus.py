"""A seeded generated corpus of nested brackets, quoted strings and lines of varying length, with its ground truth.

The generator writes one character at a time and records, for each, the bracket depth, whether it is inside a
quoted string and its column in the line: the neuron finder's answers, known without looking at the text.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

WORDS = ("alpha", "beta", "gamma", "delta", "rnn", "cell", "gate", "state", "weight", "bias", "step", "loss")
OPEN, CLOSE = "([{", ")]}"
MAX_DEPTH = 4


@dataclass(frozen=True)
class Corpus:
    """The text and, for every character, its true depth, quote state and column."""

    text: str
    depth: np.ndarray       # (T,) brackets open at this character (an opening bracket counts itself)
    quoted: np.ndarray      # (T,) 1 inside a quoted string, quotes included
    column: np.ndarray      # (T,) 0-based position in the line

    def truth(self) -> dict[str, np.ndarray]:
        """The properties the neuron finder ranks units by, as float arrays (T,)."""
        return {"quote": self.quoted.astype(float), "depth": self.depth.astype(float),
                "column": self.column.astype(float)}


def generate(n_chars: int = 20_000, seed: int = 0) -> Corpus:
    """About `n_chars` characters of lines like `gate(beta "a loss" [step, "rnn"])`, each with its ground truth."""
    rng = np.random.default_rng(seed)
    chars: list[str] = []
    depth, quoted, column = [], [], []
    stack: list[str] = []
    col = 0

    def put(ch: str, in_quote: bool) -> None:
        nonlocal col
        chars.append(ch)
        depth.append(len(stack))
        quoted.append(in_quote)
        column.append(col)
        col = 0 if ch == "\n" else col + 1

    while len(chars) < n_chars:
        line_end = int(rng.integers(20, 80))             # lines of varying length
        while col < line_end or stack:
            r = rng.random()
            if r < 0.2 and len(stack) < MAX_DEPTH and col < line_end:
                k = int(rng.integers(3))
                stack.append(CLOSE[k])
                put(OPEN[k], False)
            elif r < 0.35 and stack:
                closing = stack[-1]
                put(closing, False)                       # the closing bracket still counts as inside
                stack.pop()
            elif r < 0.5:
                put('"', True)
                for w in rng.choice(WORDS, int(rng.integers(1, 4))):
                    for ch in str(w) + " ":
                        put(ch, True)
                chars[-1] = '"'                           # the last space becomes the closing quote
            else:
                for ch in str(rng.choice(WORDS)):
                    put(ch, False)
            put(" ", False)
        put("\n", False)
    return Corpus("".join(chars), np.array(depth, np.int64), np.array(quoted, np.int8), np.array(column, np.int64))
