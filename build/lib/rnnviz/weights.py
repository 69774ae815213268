"""Trained weights as files (safetensors only, never pickle) and as the Explore view's input."""
from __future__ import annotations

import json
from dataclasses import asdict

import numpy as np
import torch
from safetensors import SafetensorError
from safetensors.numpy import load as st_load
from safetensors.numpy import save as st_save

from .bridge import from_torch
from .pipeline import Weights
from .train.loop import Settings, Trainer

MAX_BYTES = 2 * 1024 * 1024


def to_bytes(trainer: Trainer) -> bytes:
    """The whole model (embedding, rnn, fc) under PyTorch's names, with the run's settings as metadata."""
    state = {k: v.detach().cpu().numpy() for k, v in trainer.snapshot().items()}
    return st_save(state, metadata={"rnnviz": json.dumps(asdict(trainer.settings))})


def from_bytes(data: bytes) -> Trainer:
    """A Trainer holding the uploaded weights; raise ValueError with a clear message for anything else."""
    if len(data) > MAX_BYTES:
        raise ValueError(f"the file is {len(data) / 1e6:.1f} MB; weights files from rnnviz are under {MAX_BYTES // 2**20} MB")
    try:
        arrays = st_load(data)
        header_len = int.from_bytes(data[:8], "little")
        meta = json.loads(data[8:8 + header_len]).get("__metadata__", {})
    except (SafetensorError, ValueError, UnicodeDecodeError, json.JSONDecodeError, OverflowError) as e:
        raise ValueError("this is not a safetensors weights file (download one from the Train view first)") from e
    if "rnnviz" not in meta:
        raise ValueError("this safetensors file has no rnnviz settings: it was not saved by rnnviz")
    try:
        settings = Settings(**json.loads(meta["rnnviz"]))
        trainer = Trainer(settings)
    except (TypeError, ValueError, json.JSONDecodeError) as e:
        raise ValueError(f"the settings stored in this file are not usable: {e}") from e
    expected = {k: tuple(v.shape) for k, v in trainer.model.state_dict().items()}
    got = {k: tuple(v.shape) for k, v in arrays.items()}
    missing, extra = sorted(set(expected) - set(got)), sorted(set(got) - set(expected))
    if missing or extra:
        raise ValueError("the weights do not fit the model: " + "; ".join(
            p for p in [f"missing {', '.join(missing)}" if missing else "",
                        f"unexpected {', '.join(extra)}" if extra else ""] if p))
    for k, shape in expected.items():
        if got[k] != shape:
            raise ValueError(f"{k} has shape {got[k]} but the model needs {shape}")
        if not np.all(np.isfinite(arrays[k])):
            raise ValueError(f"{k} contains values that are not finite numbers")
    trainer.load({k: torch.from_numpy(np.array(v, dtype=np.float32)) for k, v in arrays.items()})
    return trainer


def for_explore(trainer: Trainer, name: str) -> Weights:
    """The trained model as the Explore view's Weights: engine network, vocabulary, input table, output layer."""
    with trainer.lock:
        model = trainer.model
        emb = model.embedding.weight.detach().numpy().copy() if model.embedding is not None else None
        return Weights(network=from_torch(model.rnn), vocab=trainer.task.vocab, level=trainer.task.level,
                       encoding=trainer.task.encoding, embedding=emb, W_out=model.fc.weight.detach().numpy().copy(),
                       b_out=model.fc.bias.detach().numpy().copy(), name=name)


def explore_text(trainer: Trainer) -> tuple[str, bool]:
    """Text to step through with the trained weights, and whether it is a batch of lines."""
    task = trainer.task
    if task.name == "hello":
        return "hello\neolll\nlleel", True
    if task.name == "memory":
        return " ".join(task.vocab.tokens[i] for i in task.inputs[0]).replace(" ", ""), False
    if task.name == "avengers":
        return task.text, False
    if task.name == "apple":
        return "apple", False
    return task.text[:500], False
