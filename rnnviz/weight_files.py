"""Trained weights as files (safetensors only, never pickle) and as the Explore view's input."""
from __future__ import annotations

import json
from dataclasses import asdict, fields

import numpy as np
import torch
from safetensors import SafetensorError
from safetensors.numpy import load as st_load
from safetensors.numpy import save as st_save

from .bridge import from_torch
from .explored import TrainedWeights
from .text import some
from .train import Saveable, Settings, Trainer
from .train.charrnn import CharTask, CharTrainer
from .train.loop import Trainer as LessonTrainer
from .words import Problem, Said

# The largest model the Train view can make (text task: 5,000 distinct characters one-hot, LSTM, hidden 256, 4 layers)
# takes 31.5 MB: every model it makes can be opened again; the settings inside are checked against the same limits.
MAX_BYTES = 32 * 1024 * 1024
FLOAT_TYPES = ("float32", "float64")        # rnnviz saves float32; float64 from numpy is read as float32 too


def download_name(cell: str | None) -> str:
    """The one name of a trained model's file: what the Train view and the text lab download as, and what the
    PyTorch snippet of those weights loads (it knows the cell, not which view trained it)."""
    return f"rnnviz-{cell or 'weights'}.safetensors"     # a run's settings always name their cell


def to_bytes(trainer: Saveable) -> bytes:
    """The whole model (embedding, rnn, fc) under PyTorch's names, with the run's settings as metadata."""
    state = {k: v.detach().cpu().numpy() for k, v in trainer.snapshot().items()}
    return st_save(state, metadata={"rnnviz": json.dumps(asdict(trainer.settings))})


def from_bytes(data: bytes, make=Trainer) -> Saveable:
    """A trainer holding the uploaded weights (`make` builds it from the stored settings: by default the task
    table's trainer of the stored task; the text lab passes its own); raise ValueError with a clear message for
    anything else."""
    if len(data) > MAX_BYTES:
        raise Problem("upload.too_big", mb=f"{len(data) / 1e6:.1f}", most=MAX_BYTES // 2**20)
    try:
        arrays = st_load(data)
        header_len = int.from_bytes(data[:8], "little")
        meta = json.loads(data[8:8 + header_len]).get("__metadata__", {})
    except (SafetensorError, ValueError, UnicodeDecodeError, json.JSONDecodeError, OverflowError, RecursionError) as e:
        raise Problem("upload.not_safetensors") from e
    if "rnnviz" not in meta:
        raise Problem("upload.no_settings")
    try:
        stored = json.loads(meta["rnnviz"])
        if not isinstance(stored, dict):
            raise Problem("upload.settings_not_table")
        unknown = sorted(set(stored) - {f.name for f in fields(Settings)})
        if unknown:
            raise Problem("upload.unknown_settings", names=some(repr(k)[:40] for k in unknown))
        # Settings.resolved checks every value against the same limits as the page and its links (train/loop.py).
        trainer = make(Settings(**stored))
    except (TypeError, ValueError, json.JSONDecodeError) as e:
        # a Problem's words wait for the page's language (an upload's callback may run before it is set)
        raise Problem("upload.bad_settings", why=e.said if isinstance(e, Problem) else str(e)[:300]) from e
    except (RecursionError, OverflowError) as e:        # nested 50,000 deep, a number of 400 digits
        raise Problem("upload.damaged") from e
    expected = {k: tuple(v.shape) for k, v in trainer.model.state_dict().items()}
    got = {k: tuple(v.shape) for k, v in arrays.items()}
    missing, extra = sorted(set(expected) - set(got)), sorted(set(got) - set(expected))
    if missing or extra:
        raise Problem("upload.misfit", what="; ".join(
            str(p) for p in [Said("upload.missing", {"names": some(missing)}) if missing else "",
                             Said("upload.unexpected", {"names": some(extra)}) if extra else ""] if p))
    loaded = {}
    for k, shape in expected.items():
        if got[k] != shape:
            raise Problem("upload.shape", name=k, got=got[k], need=shape)
        if arrays[k].dtype.name not in FLOAT_TYPES:
            raise Problem("upload.dtype", name=k, dtype=arrays[k].dtype.name)
        with np.errstate(over="ignore", invalid="ignore"):
            values = arrays[k].astype(np.float32)           # checked after the cast: 1e300 as float64 becomes inf
        if not np.all(np.isfinite(values)):
            raise Problem("upload.not_finite", name=k)
        loaded[k] = torch.from_numpy(values)
    trainer.load(loaded)
    return trainer


def for_explore(trainer: LessonTrainer | CharTrainer, name: str) -> TrainedWeights:
    """The trained model as the Explore view's TrainedWeights: engine network, vocabulary, input table, output layer."""
    with trainer.lock:
        model = trainer.model
        emb = model.embedding.weight.detach().numpy().copy() if model.embedding is not None else None
        return TrainedWeights(network=from_torch(model.rnn), vocab=trainer.task.vocab, level=trainer.task.level,
                       encoding=trainer.task.encoding, embedding=emb, W_out=model.fc.weight.detach().numpy().copy(),
                       b_out=model.fc.bias.detach().numpy().copy(), name=name)


def explore_text(trainer: LessonTrainer | CharTrainer) -> tuple[str, bool]:
    """Text to step through with the trained weights, and whether it is a batch of lines."""
    task = trainer.task
    if isinstance(task, CharTask):
        return task.text[:500], False
    if task.name == "hello":
        return "hello\neolll\nlleel", True
    if task.name == "memory":
        return " ".join(task.vocab.tokens[i] for i in task.inputs[0]).replace(" ", ""), False
    if task.name == "avengers":
        return task.text, False
    if task.name == "apple":
        return "apple", False
    return task.text[:500], False
