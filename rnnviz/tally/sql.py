"""The tally in SQL: SQLite (WAL, one file every process writes) and PostgreSQL, one table, one upsert."""
from __future__ import annotations

import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from .base import DAY, Answer, Counts, add_up

TABLE = """CREATE TABLE IF NOT EXISTS answers (
    code TEXT NOT NULL, lesson TEXT NOT NULL, question TEXT NOT NULL, student TEXT NOT NULL,
    answer TEXT NOT NULL, right_ INTEGER NOT NULL, at DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (code, lesson, question, student))"""
UPSERT = ("INSERT INTO answers VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code, lesson, question, student) "
          "DO UPDATE SET answer = excluded.answer, right_ = excluded.right_, at = excluded.at")
COUNTS = ("SELECT question, answer, right_, COUNT(*) FROM answers WHERE code = ? AND lesson = ? AND at > ? "
          "GROUP BY question, answer, right_")
MINE = "SELECT question, answer, right_ FROM answers WHERE code = ? AND lesson = ? AND student = ? AND at > ?"
RESET = "DELETE FROM answers WHERE code = ? AND lesson = ?"
EXPIRE = "DELETE FROM answers WHERE at <= ?"
PRUNE_EVERY = 200                # answers between two sweeps of the expired ones


class SQL:
    """The queries every SQL store shares; a store says how to connect and how it writes a parameter."""

    mark = "?"

    def __init__(self) -> None:
        self._added = 0
        self._lock = threading.Lock()
        self.now = time.time            # the clock answers are dated by (a test moves it a day on)

    @contextmanager
    def connection(self):
        raise NotImplementedError

    def run(self, query: str, params: tuple = (), fetch: bool = False) -> list:
        with self.connection() as db:
            cur = db.execute(query.replace("?", self.mark), params)
            return list(cur.fetchall()) if fetch else []

    def add(self, code: str, lesson: str, student: str, answer: Answer) -> None:
        now = self.now()
        self.run(UPSERT, (code, lesson, answer.question, student, answer.answer, int(answer.right), now))
        with self._lock:
            self._added += 1
            sweep = self._added % PRUNE_EVERY == 1
        if sweep:
            self.run(EXPIRE, (now - DAY,))

    def counts(self, code: str, lesson: str) -> Counts:
        return add_up(self.run(COUNTS, (code, lesson, self.now() - DAY), fetch=True))

    def mine(self, code: str, lesson: str, student: str) -> dict[str, Answer]:
        rows = self.run(MINE, (code, lesson, student, self.now() - DAY), fetch=True)
        return {q: Answer(q, a, bool(r)) for q, a, r in rows}

    def reset(self, code: str, lesson: str) -> None:
        self.run(RESET, (code, lesson))


class SQLite(SQL):
    """One file on this machine, in WAL mode: readers never wait for the writer, writers take turns."""

    def __init__(self, path: str | Path):
        super().__init__()
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.connection() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(TABLE)

    @contextmanager
    def connection(self):
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)    # autocommit: each upsert is atomic
        try:
            db.execute("PRAGMA busy_timeout = 30000")
            yield db
        finally:
            db.close()


class Postgres(SQL):
    """A PostgreSQL database every machine of a deployment reaches."""

    mark = "%s"

    def __init__(self, url: str):
        super().__init__()
        self.url = url
        import psycopg
        try:
            self.run(TABLE)
        except psycopg.errors.UniqueViolation:      # another server created it at the same moment
            pass

    @contextmanager
    def connection(self):
        import psycopg
        with psycopg.connect(self.url, autocommit=True) as db:
            yield db
