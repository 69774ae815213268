"""A class's answers, counted by every server of a deployment: one interface, three stores.

An answer is keyed by the class code (the teacher's link), the lesson, the question and an anonymous student token
(random, never a name): a student who answers again replaces their answer, so each student counts once per question.
`counts` gives, per question, how many gave each answer and whether it is right; `reset` clears a lesson of a
class; answers older than a day are neither counted nor kept.

Stores: SQLite in WAL mode (the default, one machine: every server process writes the same file), Redis or
PostgreSQL (several machines). RNNVIZ_TALLY names one: `sqlite:///path/tally.db`, `redis://host:6379/0`,
`postgresql://user@host/db`; without it, tally.db beside the shared runs' folder (rnnviz/store.py).
"""
from __future__ import annotations

import os

from ..store import default_folder
from .base import DAY, Answer, Counts, Tally, add_up
from .redis_store import RedisTally
from .sql import Postgres, SQLite

__all__ = ["DAY", "Answer", "Counts", "Tally", "add_up", "default_url", "open_tally"]


def default_url() -> str:
    """RNNVIZ_TALLY, or an SQLite file beside the shared runs (the folder every server of `make class` shares)."""
    if os.environ.get("RNNVIZ_TALLY"):
        return os.environ["RNNVIZ_TALLY"]
    return f"sqlite:///{default_folder().parent / 'tally.db'}"


def open_tally(url: str | None = None) -> Tally:
    """The store a URL names: sqlite:///file, redis://…, postgresql://…"""
    url = url or default_url()
    scheme = url.split(":", 1)[0]
    if scheme == "sqlite":
        return SQLite(url.removeprefix("sqlite://"))
    if scheme in ("redis", "rediss", "unix"):
        return RedisTally(url)
    if scheme in ("postgres", "postgresql"):
        return Postgres(url)
    raise ValueError(f"unknown tally store {scheme!r}: use sqlite:///file, redis://host/0 or postgresql://host/db")
