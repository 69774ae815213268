"""Writing with a trained character model: a prompt, then one character at a time (temperature, top-k, seed)."""
from __future__ import annotations

import copy
import math
from collections.abc import Iterator

import numpy as np
import torch

from ..settings import LAB
from ..text import Vocab, clean, graphemes
from ..words import Problem, Said
from .model import Model


def frozen(model: Model) -> Model:
    """A copy that training cannot change while it writes; no autograd graph is built through it, and <unk>'s
    logit is -inf (its bias), so it is never written and has no bar."""
    model = copy.deepcopy(model).eval()
    for p in model.parameters():
        p.requires_grad_(False)
    model.fc.bias[0] = -math.inf
    return model


def encode(vocab: Vocab, text: str) -> np.ndarray:
    """Characters as the lab splits them (Hangul syllables whole); unknown ones become <unk>."""
    index = vocab.index
    return np.array([index.get(c, 0) for c in graphemes(clean(text))], np.int64)


def check(key: str, value) -> None:
    """A sampling setting within its registry row, or a Problem that names it."""
    row = LAB[key]
    low, high = row.bounds
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not math.isfinite(value) or not low <= value <= high:
        raise Problem("lab.bad_number", name=Said(row.name), low=row.kind(low), high=row.kind(high),
                      value=repr(value)[:40])


def check_all(length: int, temperature: float, top_k: int, seed: int) -> None:
    """Every sampling setting within its row, before a character is drawn."""
    for key, value in (("lab_length", length), ("lab_temp", temperature), ("lab_topk", top_k), ("lab_seed", seed)):
        check(key, value)


def step(model: Model, ids: torch.Tensor, state):
    """ids (1, T) -> the logits after the last character (V,) and the state."""
    output, state = model.rnn(model.embed(ids), state)
    return model.fc(output[0, -1]), state


def start(model: Model, vocab: Vocab, prompt: str):
    """The logits and state after reading the prompt (an empty prompt starts from a line break, or any character)."""
    ids = encode(vocab, prompt)
    if not len(ids):
        ids = np.array([vocab.index.get("\n", min(1, len(vocab) - 1))], np.int64)
    return step(model, torch.from_numpy(ids)[None], None)


def stream(model: Model, vocab: Vocab, prompt: str = "", length: int = 200, temperature: float = 1.0,
           top_k: int = 0, seed: int = 0) -> Iterator[str]:
    """Each sampled character as it is drawn; temperature 0 takes the most likely one, top_k > 0 only the k best."""
    check_all(length, temperature, top_k, seed)
    generator = torch.Generator().manual_seed(int(seed))
    logits, state = start(model, vocab, prompt)
    tokens = vocab.tokens
    top_k = int(top_k) if 0 < top_k < len(tokens) else 0
    for _ in range(int(length)):
        if temperature == 0:
            nxt = int(logits.argmax())
        else:
            if top_k:
                kth = torch.topk(logits, top_k).values[-1]
                logits = logits.masked_fill(logits < kth, -math.inf)
            if temperature != 1:
                logits = logits / temperature
            nxt = int(torch.multinomial(torch.softmax(logits, -1), 1, generator=generator))
        yield tokens[nxt]
        logits, state = step(model, torch.tensor([[nxt]]), state)


def next_chars(model: Model, vocab: Vocab, text: str, k: int = 10) -> list[tuple[str, float]]:
    """The k most likely characters after `text`, most likely first, with their probabilities."""
    logits, _ = start(model, vocab, text)
    probs = torch.softmax(logits, -1)
    top = torch.topk(probs, min(k, len(vocab)))
    return [(vocab.tokens[int(i)], float(p)) for p, i in zip(top.values, top.indices)]
