"""Lesson 001's encoder-decoder and one-to-many, without a page: readings, contexts and the figures of a trained
reading model (engine weights), shared by ui/sequences.py and the notebook."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .engine.one_to_many import Writing, plane, point, write
from .engine.seq2seq import Seq2Seq, Seq2SeqTrace
from .plots.one_to_many import plane_figure, writing_figure
from .plots.seq2seq import reading_figure
from .train.numbers import Numbers

SHOWN = 40                        # numbers whose contexts the one-to-many plane shows
GRID_SIDE = 9                     # … and a grid of GRID_SIDE² points between them


def reading(task: Numbers, model: Seq2Seq, number: int) -> tuple[list[str], Seq2SeqTrace]:
    """The engine's greedy reading of `number`: its tokens (EOS included) and its trace."""
    ids, trace = model.greedy(np.array([task.source(number)]), task.bos, task.eos, task.max_out)
    return [task.tgt_vocab[i] for i in ids[0]], trace


def contexts(task: Numbers, model: Seq2Seq, numbers: list[int]) -> np.ndarray:
    """Each number's context, the encoder's last h: (N, H), from the engine."""
    return np.stack([model.encode(np.array([task.source(n)])).h_n[0, 0] for n in numbers])


def shown_numbers(number: int) -> list[int]:
    """A seeded spread of numbers of every length, and `number`."""
    rng = np.random.default_rng(0)
    picks = [int(n) for k in range(4) for n in rng.choice(np.arange(10 ** k if k else 0, 10 ** (k + 1)), SHOWN // 4,
                                                              replace=False)]
    return sorted(set(picks) | {number})


class Plane:
    """The contexts of the shown numbers on their top two principal axes, and a grid of points between them."""

    def __init__(self, task: Numbers, model: Seq2Seq, number: int):
        self.numbers = shown_numbers(number)
        self.vectors = contexts(task, model, self.numbers)
        self.mean, self.axes = plane(self.vectors)
        self.coords = (self.vectors - self.mean) @ self.axes.T            # (N, 2)
        lo, hi = self.coords.min(axis=0) * 1.15, self.coords.max(axis=0) * 1.15
        xs, ys = np.linspace(lo[0], hi[0], GRID_SIDE), np.linspace(lo[1], hi[1], GRID_SIDE)
        self.grid = np.stack(np.meshgrid(xs, ys), -1).reshape(-1, 2)

    def start(self, chosen: tuple) -> tuple[np.ndarray, tuple[float, float]]:
        """("number", n) or ("point", x, y) -> the start vector h0 (H,) and its place on the plane."""
        if chosen[0] == "number":
            k = self.numbers.index(chosen[1])
            return self.vectors[k], (float(self.coords[k, 0]), float(self.coords[k, 1]))
        xy = (float(chosen[1]), float(chosen[2]))
        return point(self.mean, self.axes, xy), xy

    def figure(self, xy: tuple[float, float] | None, present: bool = False) -> go.Figure:
        return plane_figure(self.coords, self.numbers, self.grid, xy, present)


def writing_from(task: Numbers, model: Seq2Seq, h0: np.ndarray) -> Writing:
    """The decoder alone, greedy from h0."""
    return write(model, h0, task.bos, task.eos, task.max_out)


def figures(task: Numbers, model: Seq2Seq, number: int, t: int | None = None, present: bool = False) -> list[go.Figure]:
    """Reading `number` at decoder step t (default: the last); without attention also the contexts' plane and the
    decoder alone writing from the number's context (one-to-many), at the same t or its own last."""
    tokens, trace = reading(task, model, number)
    vocab = list(task.tgt_vocab)
    out = [reading_figure(trace, list(str(number)), tokens, vocab, len(tokens) - 1 if t is None else t, present)]
    if model.attention == "none":
        where = Plane(task, model, number)
        h0, xy = where.start(("number", number))
        writing = writing_from(task, model, h0)
        last = len(writing.ids) - 1
        out += [where.figure(xy, present), writing_figure(writing, vocab, last if t is None else min(t, last), present)]
    return out
