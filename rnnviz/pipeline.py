"""Config → text → tokens → X → engine run: everything the Explore view shows, computed in one place."""
from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from .edits import apply as apply_edits
from .edits import parse as parse_edits
from .engine import Network, cell_spec
from .engine.readout import softmax
from .explored import Explored, TrainedWeights
from .rows import number_rows, number_tokens, split_rows
from .state import Config, inspect_limits
from .text import Vocab, encode, some
from .words import Problem, Said

INPUT_SEED_OFFSET = 1      # input encodings draw from seed + 1, the weights from seed
OUTPUT_SEED_OFFSET = 2     # the untrained output layer draws from seed + 2


MAX_VALUES = 2_000_000   # T·B·L·D·G·H above this is too large to keep every intermediate for a page


def check_size(config: Config, T_estimate: int, weights: TrainedWeights | None = None) -> None:
    """Refuse a run too large to keep every intermediate, for the network actually used (trained weights bring
    their own cell and sizes, whatever the sidebar says)."""
    net = weights.network if weights is not None else None
    cell, L, H, I = ((net.cell, net.num_layers, net.hidden_size, net.input_size) if net is not None
                     else (config.cell, config.L, config.H, config.I))
    D = (2 if net.bidirectional else 1) if net is not None else (2 if config.bi else 1)
    G = cell_spec(cell).G
    n = T_estimate * L * D * G * H * max(1, I // 64 + 1)
    if n > MAX_VALUES:
        raise Problem("size.too_big", n=n)


def build(config: Config, weights: TrainedWeights | None = None) -> Explored:
    """Run the whole road for one Config; raise ValueError with a student-readable message on bad input."""
    notes = []
    if weights is not None and config.tok != weights.level:
        config = replace(config, tok=weights.level)
        notes.append(Said(f"note.trained_tok.{weights.level}"))
    if weights is not None and config.enc != weights.encoding:
        config = replace(config, enc=weights.encoding)
        notes.append(Said("note.trained_enc", {"enc": Said(f"choice.enc.{weights.encoding}")}))
    typed = config.enc == "numbers"                        # never with trained weights: their encoding is set above
    numbers = number_rows(config) if typed else None       # parsed once, for the tokens and for X
    rows = number_tokens(numbers) if numbers is not None else split_rows(config)
    if weights is not None:
        vocab = weights.vocab
        unknown = sorted({t for r in rows for t in r} - set(vocab.tokens))
        if unknown:
            if not vocab.has_unk:
                raise Problem("trained.unknown_tokens", tokens=some(map(repr, unknown)))
            notes.append(Said("note.unk", {"n": len(unknown), "tokens": some(map(repr, unknown))}))
    else:
        vocab = Vocab.build([t for r in rows for t in r])
    ids = np.stack([vocab.encode(r) for r in rows])             # (B, T)
    V = len(vocab)

    if weights is not None:
        net = weights.network
        config = replace(config, cell=net.cell, I=net.input_size, H=net.hidden_size, L=net.num_layers,
                         bi=net.bidirectional)
        net = replace(net, batch_first=config.bf)
        table = weights.embedding if weights.encoding == "embedding" else None
        X = np.stack([table[i] if table is not None else np.eye(V, dtype=np.float32)[i] for i in ids])
    else:
        if typed:
            X = np.array(numbers, dtype=np.float32)             # (B, T, I) as typed
            config = replace(config, I=X.shape[-1])
        else:
            if config.enc == "onehot" and config.I != V:
                config = replace(config, I=V)
            X = np.stack([encode(i, config.enc, V, config.I, config.seed + INPUT_SEED_OFFSET + b * (config.enc == "random"))
                          for b, i in enumerate(ids)])
        net = Network.init(config.cell, config.I, config.H, config.L, config.bi, config.bf, seed=config.seed,
                           scale=config.scale, init=config.init)
    if config.edits:                                    # weights set by hand; one that does not fit gets a note
        try:
            net, skipped = apply_edits(net, parse_edits(config.edits))
            notes += skipped
        except Problem as e:
            notes.append(e.said)

    B, T = ids.shape
    limits: dict[str, Any] = inspect_limits(config, T, B)       # int fields -> their largest value for this run
    for key, limit in limits.items():
        if getattr(config, key) > limit:
            config = replace(config, **{key: limit})
    x_module = X if config.bf else X.swapaxes(0, 1)
    with np.errstate(over="ignore", invalid="ignore"):      # an overflow is reported on the page (Explored.overflow)
        trace = net.forward(x_module)

    if weights is not None and weights.W_out is not None and weights.b_out is not None:
        W_out, b_out = weights.W_out, weights.b_out
    else:
        rng = np.random.default_rng(config.seed + OUTPUT_SEED_OFFSET)
        k = 1 / np.sqrt(net.D * net.hidden_size)
        W_out = rng.uniform(-k, k, (config.O if typed else V, net.D * net.hidden_size)).astype(np.float32)
        # typed numbers: lesson 001's head, y = σ(W_y·h_t) with no bias; tokens: nn.Linear and softmax
        b_out = np.zeros(len(W_out), np.float32) if typed else rng.uniform(-k, k, V).astype(np.float32)
    top = trace.hidden_states(-1).swapaxes(0, 1)               # (B, T, D·H)
    with np.errstate(over="ignore", invalid="ignore"):
        logits = top @ W_out.T + b_out
        probs = 1 / (1 + np.exp(-logits)) if typed else softmax(logits)
    return Explored(config=config, rows=rows, vocab=vocab, ids=ids, X=X, x_module=x_module, network=net,
                    trace=trace, W_out=W_out, b_out=b_out, probs=probs, notes=notes,
                    trained=weights.name if weights is not None else "")


