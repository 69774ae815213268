"""Trained runs that outlive a session and a server: saved under an unguessable id in a store every server shares.

A run is two blobs: `<id>.safetensors` (the weights, with the run's settings as metadata: weights.to_bytes) and
`<id>.json` (the step it reached and its loss curve), written in that order, so a run whose JSON exists is whole.
The storage layer is `Blobs`: put/get/list/delete of bytes by key. `Folder` keeps them on disk, written atomically;
a deployment can hand in any other object with those four methods (an object store) through RNNVIZ_STORE_BACKEND.
"""
from __future__ import annotations

import importlib
import json
import os
import re
import secrets
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol

from . import weight_files as weights
from .train.loop import Trainer, known
from .words import Problem

ID_BYTES = 12                                   # 96 random bits: 16 URL-safe characters, never guessed
ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{16}")
MAX_RUNS = int(os.environ.get("RNNVIZ_STORE_RUNS", 500))
MAX_BYTES = int(os.environ.get("RNNVIZ_STORE_BYTES", 256 * 2**20))
MAX_JSON = 256 * 1024                           # a curve of the longest run allowed is far below this


class Blobs(Protocol):
    """Bytes by key: what a store needs from a disk, a shared volume or an object store."""

    def put(self, key: str, data: bytes) -> None: ...
    def get(self, key: str) -> bytes | None: ...
    def list(self) -> list[tuple[str, float, int]]: ...     # (key, time written, size), oldest first
    def delete(self, key: str) -> None: ...


class Folder:
    """Blobs as files in one folder; a write goes to a temporary file first, then os.replace (atomic)."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def put(self, key: str, data: bytes) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.root / key)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes | None:
        try:
            return (self.root / key).read_bytes()
        except FileNotFoundError:
            return None

    def list(self) -> list[tuple[str, float, int]]:
        found = []
        for path in self.root.glob("[!.]*"):     # temporary files start with a dot
            try:
                st = path.stat()
            except FileNotFoundError:             # another server pruned it meanwhile
                continue
            found.append((path.name, st.st_mtime, st.st_size))
        return sorted(found, key=lambda f: (f[1], f[0]))

    def delete(self, key: str) -> None:
        (self.root / key).unlink(missing_ok=True)


def default_folder() -> Path:
    """RNNVIZ_STORE, or rnnviz/runs under the user's cache folder."""
    if os.environ.get("RNNVIZ_STORE"):
        return Path(os.environ["RNNVIZ_STORE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "rnnviz" / "runs"


def default_blobs() -> Blobs:
    """The store every server of a deployment shares: RNNVIZ_STORE_BACKEND="module:factory" names another."""
    backend = os.environ.get("RNNVIZ_STORE_BACKEND")
    if backend:
        module, _, name = backend.partition(":")
        return getattr(importlib.import_module(module), name)(default_folder())
    return Folder(default_folder())


@dataclass
class Stored:
    """What a stored run holds besides its weights: how far it trained, and its curve."""

    step: int
    label: str
    steps: list[int]
    losses: list[float]
    accuracies: list[float]
    saved: float = 0.0


def new_id() -> str:
    return secrets.token_urlsafe(ID_BYTES)


def check_id(run_id: str) -> str:
    """The id as given, or ValueError if it cannot be one this store made."""
    if not isinstance(run_id, str) or not ID_PATTERN.fullmatch(run_id):
        raise Problem("store.bad_id")
    return run_id


def save(trainer: Trainer, info: Stored, blobs: Blobs | None = None) -> str:
    """Store a trained model and its curve under a new id; the oldest runs go when the store is full. ValueError
    for a model too large to open again."""
    data = weights.to_bytes(trainer)
    if len(data) > weights.MAX_BYTES:        # it could be saved, but weights.from_bytes would refuse to open it
        raise Problem("store.too_big", mb=f"{len(data) / 2**20:.1f}", most=f"{weights.MAX_BYTES / 2**20:.0f}")
    blobs = blobs or default_blobs()
    run_id = new_id()
    info = Stored(**{**asdict(info), "saved": time.time()})
    blobs.put(f"{run_id}.safetensors", data)
    blobs.put(f"{run_id}.json", json.dumps(asdict(info)).encode())      # last: the run is whole once this exists
    prune(blobs)
    return run_id


def load(run_id: str, blobs: Blobs | None = None) -> tuple[Trainer, Stored]:
    """The stored run's trainer (at its step) and curve; ValueError saying what is wrong otherwise."""
    blobs = blobs or default_blobs()
    check_id(run_id)
    meta, data = blobs.get(f"{run_id}.json"), blobs.get(f"{run_id}.safetensors")
    if meta is None or data is None:
        raise Problem("store.missing")
    try:
        if len(meta) > MAX_JSON:
            raise ValueError("too large")
        info = Stored(**json.loads(meta))
        info = Stored(step=int(info.step), label=str(info.label), steps=[int(s) for s in info.steps],
                      losses=[float(v) for v in info.losses], accuracies=[float(v) for v in info.accuracies],
                      saved=float(info.saved))
    except (ValueError, TypeError, UnicodeDecodeError) as e:
        raise Problem("store.damaged") from e
    trainer = weights.from_bytes(data)
    trainer.step = min(max(info.step, 0), known(trainer.settings.steps))
    return trainer, info


def prune(blobs: Blobs, max_runs: int = MAX_RUNS, max_bytes: int = MAX_BYTES) -> list[str]:
    """Remove the oldest runs until at most `max_runs` runs and `max_bytes` bytes are kept; the ids removed."""
    files = blobs.list()
    size: dict[str, int] = {}
    written: dict[str, float] = {}
    for key, mtime, nbytes in files:
        run_id = key.split(".", 1)[0]
        size[run_id] = size.get(run_id, 0) + nbytes
        if key.endswith(".json"):
            written[run_id] = mtime
    orphans = set(size) - set(written)          # weights whose JSON never came: an interrupted save
    stale = [r for r in orphans if max(m for k, m, _ in files if k.startswith(r + ".")) < time.time() - 3600]
    order = sorted(written, key=lambda run_id: written[run_id])
    total = sum(size.values())
    removed = []
    while order and (len(order) > max_runs or total > max_bytes):
        run_id = order.pop(0)
        total -= size[run_id]
        removed.append(run_id)
    for run_id in removed + stale:
        blobs.delete(f"{run_id}.json")          # first: a half-deleted run is never taken for a whole one
        blobs.delete(f"{run_id}.safetensors")
    return removed
