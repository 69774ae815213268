"""One-to-many: an encoder-decoder's decoder alone, started from one vector, writes a sequence.

    h_0 = v                                   the chosen vector (a number's context, or a point of their plane)
    h_t = decoder(embed_tgt(y_{t−1}), h_{t−1})  y_0 = BOS; each output is fed back as the next input
    p_t = softmax(Wy h_t + by),  y_t = argmax p_t

Only a model without attention can do this: with attention the decoder also reads the encoder's every e_s.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .readout import softmax
from .seq2seq import Seq2Seq
from .trace import Trace


@dataclass(frozen=True)
class Writing:
    """What the decoder wrote from one vector, and every intermediate."""

    ids: np.ndarray          # (T,) the tokens written, EOS last if it came
    decoder: Trace           # the decoder over the tokens fed in (BOS, y_1, …), batch of one
    probs: np.ndarray        # (T, V) softmax at each step


def write(model: Seq2Seq, h0: np.ndarray, bos: int, eos: int, max_len: int, c0: np.ndarray | None = None) -> Writing:
    """Greedy writing from h0 (H,): feed back the likeliest token each step, until EOS or max_len tokens."""
    if model.attention != "none":
        raise ValueError("only a decoder without attention writes from one vector alone")
    h0 = np.asarray(h0, np.float32).reshape(1, 1, model.hidden)
    c = None if c0 is None else np.asarray(c0, np.float32).reshape(1, 1, model.hidden)
    fed = [bos]
    while True:
        dec = model.decoder.forward(model.params["tgt_embed.weight"][np.array(fed)][:, None], h0, c)
        logits = dec.output[:, 0] @ model.params["out.weight"].T + model.params["out.bias"]   # (T, V)
        fed.append(int(logits[-1].argmax()))
        if fed[-1] == eos or len(fed) > max_len:
            return Writing(np.array(fed[1:]), dec, softmax(logits))


def plane(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The plane of the top two principal axes of (N, H) vectors: their mean (H,) and the axes (2, H)."""
    mean = vectors.mean(axis=0)
    _, _, vt = np.linalg.svd((vectors - mean).astype(np.float64), full_matrices=False)
    return mean, vt[:2]


def point(mean: np.ndarray, axes: np.ndarray, xy: tuple[float, float]) -> np.ndarray:
    """The vector at 2-D coordinates (x, y) of the plane: mean + x·axis₁ + y·axis₂."""
    return (mean + np.asarray(xy) @ axes).astype(np.float32)
