"""Each lesson's questions: what a student answers about the figure in front of them, and the right answer computed
from that page's facts (the engine's run on the page, rnnviz/lessons/facts.py), never typed by hand.

A question is multiple choice (`choices` from the facts, said as they are: gate letters, numbers), a shape chosen
among the mistakes a student makes (the right one's sizes in another order, a batch of 1 added or dropped), or a
typed number. Its words are `question.<lesson>.<page>.q` (the question) and `.why` (the one-line reason), in the
catalogues with the page's facts and `right` as parameters. The lesson's quiz is its first QUIZ questions.
"""
from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from ..tally import Answer
from ..words import Problem

QUIZ = 5                        # questions in a lesson's quiz (each lesson has 3 to 5)
Kind = Literal["choice", "number", "shape"]
Facts = dict


@dataclass(frozen=True)
class Question:
    """One question on one page: `right` computes its answer from the page's facts."""

    lesson: str
    page: str                                           # the page's id (rnnviz/lessons/__init__.py)
    kind: Kind
    right: Callable[[Facts], object]
    choices: Callable[[Facts], tuple[str, ...]] = field(default=lambda facts: ())
    tolerance: float = 0.0                              # a typed number within this of the right one is right

    @property
    def id(self) -> str:
        return self.page

    def key(self, part: str) -> str:
        return f"question.{self.lesson}.{self.page}.{part}"

    def options(self, facts: Facts) -> tuple[str, ...]:
        """What a student chooses from: the choices, or for a shape the right one among near mistakes."""
        return shapes_near(shape_of(self.right(facts))) if self.kind == "shape" else self.choices(facts)


SHAPES_SHOWN = 5                # a shape question's options


def shapes_near(shape: tuple[int, ...]) -> tuple[str, ...]:
    """The right shape and the usual mistakes: its sizes in another order, a leading 1 (a batch, a layer) added or
    dropped, the last size doubled; at most SHAPES_SHOWN, in sorted order, the right one always among them."""
    mistakes = {p for p in itertools.permutations(shape) if p != shape}
    mistakes |= {shape[1:]} if len(shape) > 2 and shape[0] == 1 else {(1, *shape)}
    mistakes |= {(*shape[:-1], shape[-1] * 2)}          # both directions' sizes side by side, where one is right
    chosen = sorted(mistakes - {shape})[:SHAPES_SHOWN - 1] + [shape]
    return tuple(shape_said(s) for s in sorted(chosen))


def shape_said(shape: tuple[int, ...]) -> str:
    return f"({shape[0]},)" if len(shape) == 1 else str(shape)


def shape_of(text: object) -> tuple[int, ...]:
    """A shape from how PyTorch or NumPy print it, or as typed: torch.Size([1, 10, 8]), (1, 10, 8), 1 x 10 x 8."""
    return tuple(int(n) for n in re.findall(r"-?\d+", str(text)))


def said(q: Question, value: object) -> str:
    """An answer as it is stored and shown: a shape as (1, 10, 8), a number without needless digits."""
    if q.kind == "shape":
        return shape_said(shape_of(value))
    if q.kind == "number":
        x = float(value)                                # type: ignore[arg-type]
        return str(int(x)) if x.is_integer() and q.tolerance < 1 else f"{x:.{decimals(q)}f}"
    return str(value)


def decimals(q: Question) -> int:
    """The digits a typed number needs for the question's tolerance: 0.005 -> 2."""
    return max(0, math.ceil(-math.log10(q.tolerance * 2))) if q.tolerance else 0


def right_answer(q: Question, facts: Facts) -> str:
    return said(q, q.right(facts))


def value_of(q: Question, text: str) -> object:
    """A student's typed or chosen answer as a value of its kind; a Problem (said in the page's language) if it is
    none: "abc" for a number, "" for a shape."""
    text = str(text).strip()
    if q.kind == "choice":
        return text
    if q.kind == "shape":
        if not shape_of(text) or re.search(r"[^\d\s,()\[\]xX×.torchSize-]", text):
            raise Problem("question.bad_shape", typed=text[:40])
        return shape_of(text)
    try:
        x = float(text.replace(",", ".").replace("−", "-"))
    except ValueError:
        raise Problem("question.bad_number", typed=text[:40]) from None
    if not math.isfinite(x):
        raise Problem("question.bad_number", typed=text[:40])
    return x


def is_right(q: Question, facts: Facts, value: object) -> bool:
    """An answer's value against the right one computed now from the page's facts."""
    right = q.right(facts)
    if q.kind == "number":
        return abs(float(value) - float(right)) <= q.tolerance + 1e-12      # type: ignore[arg-type]
    if q.kind == "shape":
        return shape_of(value) == shape_of(right)
    return value == str(right)


def check(q: Question, facts: Facts, text: str) -> Answer:
    """A student's answer, checked: as stored and counted (a number to the question's digits) and whether right."""
    value = value_of(q, text)
    return Answer(q.id, said(q, value), is_right(q, facts, value))


def nearest(value: float, options: tuple[str, ...]) -> str:
    return min(options, key=lambda o: abs(float(o) - value))


def least(facts: Facts, gates: str) -> str:
    """The gate (of the sigmoid ones named) whose mean is smallest: the most closed."""
    return min(gates, key=lambda g: facts[f"gate_{g}"])


def most(facts: Facts, gates: str) -> str:
    return max(gates, key=lambda g: facts[f"gate_{g}"])


LEVELS = ("-1", "0", "1")
Q = Question
QUESTIONS: tuple[Question, ...] = (
    Q("000", "first_step", "number", lambda f: f["wh"], tolerance=0.005),
    Q("000", "saturate", "choice", lambda f: nearest(f["h_low"], LEVELS), lambda f: LEVELS),
    Q("000", "loop", "shape", lambda f: f["HT"]),
    Q("000", "nn_rnn", "shape", lambda f: f["outputs"]),
    Q("001", "cell", "shape", lambda f: f["Wh"]),
    Q("001", "hand", "number", lambda f: f["h"], tolerance=0.005),
    Q("001", "head", "number", lambda f: f["T"] - 1),
    Q("002", "layout", "shape", lambda f: f["X"]),
    Q("002", "lstm", "choice", lambda f: least(f, "ifo"), lambda f: ("i", "f", "o")),
    Q("002", "gru", "choice", lambda f: most(f, "rz"), lambda f: ("r", "z")),
    Q("003", "layers", "shape", lambda f: f["status"]),
    Q("003", "bidirectional", "shape", lambda f: f["outputs"]),
    Q("003", "backward", "number", lambda f: f["last"]),
    Q("003", "apple_data", "number", lambda f: f["V"]),
    Q("004", "sequence", "number", lambda f: f["I"]),
    Q("004", "one_hot", "number", lambda f: f["index"]),
    Q("004", "batch", "shape", lambda f: f["outputs"]),
    Q("004", "trap", "number", lambda f: f["B_read"]),
)
del Q

BY_PAGE: dict[tuple[str, str], Question] = {(q.lesson, q.page): q for q in QUESTIONS}


def of_lesson(lesson: str) -> tuple[Question, ...]:
    return tuple(q for q in QUESTIONS if q.lesson == lesson)


def quiz(lesson: str) -> tuple[Question, ...]:
    """The lesson's quiz at its end: its first QUIZ questions."""
    return of_lesson(lesson)[:QUIZ]


def on_page(lesson: str, page: str) -> Question | None:
    return BY_PAGE.get((lesson, page))
