"""What every tally store shares: an answer, the counts, the store's interface, a day's expiry."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

DAY = 24 * 3600.0                # a tally expires a day after its last answer


@dataclass(frozen=True)
class Answer:
    """One student's answer to one question."""

    question: str
    answer: str
    right: bool


Counts = dict[str, dict[str, tuple[int, bool]]]      # question -> answer -> (how many students, is it right)


class Tally(Protocol):
    """What every store does."""

    def add(self, code: str, lesson: str, student: str, answer: Answer) -> None: ...
    def counts(self, code: str, lesson: str) -> Counts: ...
    def mine(self, code: str, lesson: str, student: str) -> dict[str, Answer]: ...
    def reset(self, code: str, lesson: str) -> None: ...


def add_up(rows) -> Counts:
    """(question, answer, right, n) rows -> Counts."""
    counts: Counts = {}
    for question, answer, right, n in rows:
        counts.setdefault(question, {})[answer] = (int(n), bool(right))
    return counts
