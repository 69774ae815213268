"""Trained runs that outlive a session and a server: saved under an unguessable id in a store every server shares.

A run is two blobs: `<id>.safetensors` (the weights, with the run's settings as metadata: weights.to_bytes) and
`<id>.json` (the step it reached, its loss curve and who saved it), written in that order, so a run whose JSON exists
is whole. One student cannot push the class's runs out: each client (a browser's address, ui/session.client) may
hold at most CLIENT_BYTES of the store, and when the store is full the runs of whoever holds the most go first.
The storage layer is `Blobs`: put/get/list/delete of bytes by key. `Folder` keeps them on disk, written atomically;
a deployment can hand in any other object with those four methods (an object store) through RNNVIZ_STORE_BACKEND.
"""
from __future__ import annotations

import hashlib
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
from .train import Saveable
from .train.loop import known
from .words import Problem

ID_BYTES = 12                                   # 96 random bits: 16 URL-safe characters, never guessed
ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{16}")
MAX_RUNS = int(os.environ.get("RNNVIZ_STORE_RUNS", 500))
MAX_BYTES = int(os.environ.get("RNNVIZ_STORE_BYTES", 256 * 2**20))
CLIENT_BYTES = int(os.environ.get("RNNVIZ_STORE_CLIENT_BYTES", MAX_BYTES // 8))   # one client's share ...
CLIENT_RUNS = MAX_RUNS // 8                                                        # ... of bytes and of runs
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
            if not path.is_file():                # a folder named like a run is no run: never read, never removed
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
    owner: str = ""                 # who saved it: a digest of the client (never its address); "" for a notebook


def owner_of(client: str | None) -> str:
    """A client's name in the store: a digest, so the store never holds a student's address."""
    return hashlib.sha256(client.encode()).hexdigest()[:16] if client else ""


def new_id() -> str:
    return secrets.token_urlsafe(ID_BYTES)


def check_id(run_id: str) -> str:
    """The id as given, or ValueError if it cannot be one this store made."""
    if not isinstance(run_id, str) or not ID_PATTERN.fullmatch(run_id):
        raise Problem("store.bad_id")
    return run_id


def save(trainer: Saveable, info: Stored, blobs: Blobs | None = None, client: str | None = None) -> str:
    """Store a trained model and its curve under a new id for `client`; when the store is full, the runs of whoever
    holds the most go first. ValueError for a model too large to open again, or past the client's share."""
    data = weights.to_bytes(trainer)
    if len(data) > weights.MAX_BYTES:        # it could be saved, but weights.from_bytes would refuse to open it
        raise Problem("store.too_big", mb=f"{len(data) / 2**20:.1f}", most=f"{weights.MAX_BYTES / 2**20:.0f}")
    blobs = blobs or default_blobs()
    owner = owner_of(client)
    if owner:
        mine = [run for run in catalogue(blobs).values() if run.owner == owner]
        held = sum(run.size for run in mine)
        if held + len(data) > CLIENT_BYTES:
            raise Problem("store.client_full", mb=f"{len(data) / 2**20:.1f}", held=f"{held / 2**20:.1f}",
                          most=f"{CLIENT_BYTES / 2**20:.0f}")
        if len(mine) >= CLIENT_RUNS:
            raise Problem("store.client_runs", most=CLIENT_RUNS)
    run_id = new_id()
    info = Stored(**{**asdict(info), "saved": time.time(), "owner": owner})
    blobs.put(f"{run_id}.safetensors", data)
    blobs.put(f"{run_id}.json", json.dumps(asdict(info)).encode())      # last: the run is whole once this exists
    prune(blobs)
    return run_id


def load(run_id: str, blobs: Blobs | None = None) -> tuple[Saveable, Stored]:
    """The stored run's trainer (at its step) and curve; ValueError saying what is wrong otherwise."""
    blobs = blobs or default_blobs()
    check_id(run_id)
    try:
        meta, data = blobs.get(f"{run_id}.json"), blobs.get(f"{run_id}.safetensors")
    except OSError as e:                        # a folder where a file belongs, a file nobody may read
        raise Problem("store.damaged") from e
    if meta is None or data is None:
        raise Problem("store.missing")
    info = described(meta)
    try:
        trainer = weights.from_bytes(data)
    except (RecursionError, OverflowError, MemoryError) as e:   # what a crafted file does to parsers, said plainly
        raise Problem("store.damaged") from e
    trainer.step = min(max(info.step, 0), known(trainer.settings.steps))
    return trainer, info


def described(meta: bytes) -> Stored:
    """A run's JSON as a Stored, every field of its type; ValueError "damaged or not usable" for anything else."""
    try:
        if len(meta) > MAX_JSON:
            raise ValueError("too large")
        info = Stored(**json.loads(meta))
        return Stored(step=int(info.step), label=str(info.label), steps=[int(s) for s in info.steps],
                      losses=[float(v) for v in info.losses], accuracies=[float(v) for v in info.accuracies],
                      saved=float(info.saved), owner=str(info.owner))
    except (ValueError, TypeError, UnicodeDecodeError, RecursionError, OverflowError) as e:
        raise Problem("store.damaged") from e     # nested 50,000 deep, a 400-digit number, not an object


@dataclass
class Held:
    """One whole run as the store holds it: when its JSON was written, its bytes, who saved it."""

    written: float
    size: int
    owner: str


def catalogue(blobs: Blobs) -> dict[str, Held]:
    """Every whole run by id (a run whose JSON cannot be read counts as a notebook's, owner "")."""
    files = blobs.list()
    size: dict[str, int] = {}
    for key, _, nbytes in files:
        size[key.split(".", 1)[0]] = size.get(key.split(".", 1)[0], 0) + nbytes
    runs = {}
    for key, mtime, _ in files:
        run_id, _, ext = key.partition(".")
        if ext == "json":
            try:
                owner = described(blobs.get(key) or b"").owner
            except (ValueError, OSError):
                owner = ""
            runs[run_id] = Held(mtime, size[run_id], owner)
    return runs


def prune(blobs: Blobs, max_runs: int = MAX_RUNS, max_bytes: int = MAX_BYTES) -> list[str]:
    """Remove runs until at most `max_runs` runs and `max_bytes` bytes are kept: the oldest run of whoever holds
    the largest share (of the runs or of the bytes) goes first, so a teacher's one shared run outlasts a student's
    many. The ids removed."""
    files = blobs.list()
    runs = catalogue(blobs)
    orphans = {k.split(".", 1)[0] for k, _, _ in files} - set(runs)    # weights whose JSON never came: cut short
    stale = [r for r in orphans if max(m for k, m, _ in files if k.startswith(r + ".")) < time.time() - 3600]
    order = sorted(runs, key=lambda run_id: runs[run_id].written)
    total = sum(run.size for run in runs.values())
    removed = []
    while order and (len(order) > max_runs or total > max_bytes):
        share: dict[str, tuple[int, int]] = {}
        for r in order:
            n, size = share.get(runs[r].owner, (0, 0))
            share[runs[r].owner] = (n + 1, size + runs[r].size)
        most = max(share, key=lambda owner: max(share[owner][0] / max_runs, share[owner][1] / max_bytes))
        run_id = next(r for r in order if runs[r].owner == most)
        order.remove(run_id)
        total -= runs[run_id].size
        removed.append(run_id)
    for run_id in removed + stale:
        blobs.delete(f"{run_id}.json")          # first: a half-deleted run is never taken for a whole one
        blobs.delete(f"{run_id}.safetensors")
    return removed
