"""Attention over the encoder's h_s at each decoder step t, forward and backward, every intermediate kept.

Luong's global attention on the decoder's own h_t (no input feeding, so the decoder's recurrence is a plain
`Network` and attention sits on top of it), with three scores:

    dot        score(t, s) = h_t · e_s
    general    score(t, s) = h_t · (Wa e_s)                      (Luong)
    additive   score(t, s) = v · tanh(Wq h_t + Wk e_s)           (Bahdanau's score)

    α_t = softmax_s(score(t, ·));   ctx_t = Σ_s α_t,s e_s;   h̃_t = tanh(Wc [ctx_t; h_t] + bc)

and `none`, where the encoder's last state (the decoder's h0) is the only context and h̃_t = h_t. Shapes are
time-major like the rest of the engine: decoder h (T, B, H), encoder outputs e (S, B, H).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np

from .readout import softmax

AttentionKind = Literal["none", "dot", "general", "additive"]
ATTENTIONS: tuple[AttentionKind, ...] = get_args(AttentionKind)


def attention_shapes(kind: AttentionKind, H: int) -> dict[str, tuple[int, ...]]:
    """The attention's own parameters, named as the torch reference names them."""
    if kind not in ATTENTIONS:
        raise ValueError(f"attention must be one of {', '.join(ATTENTIONS)}, got {kind!r}")
    scores: dict[str, tuple[int, ...]] = {}
    if kind == "general":
        scores["attn.weight"] = (H, H)
    elif kind == "additive":
        scores |= {"attn.query.weight": (H, H), "attn.key.weight": (H, H), "attn.v.weight": (1, H)}
    return scores | ({} if kind == "none" else {"combine.weight": (H, 2 * H), "combine.bias": (H,)})


@dataclass(frozen=True)
class AttentionTrace:
    """What attention computed at every decoder step t, for every batch row."""

    kind: AttentionKind
    h: np.ndarray                    # (T, B, H)   the decoder's h_t (the query)
    e: np.ndarray                    # (S, B, H)   the encoder's h_s (keys and values)
    keys: np.ndarray | None          # (S, B, H)   Wa·e_s (general), Wk·e_s (additive); else None
    hidden: np.ndarray | None        # (T, S, B, H) tanh(Wq h_t + Wk e_s) (additive); else None
    score: np.ndarray | None         # (T, B, S)   before the softmax
    weights: np.ndarray | None       # (T, B, S)   α_t,s: each row sums to 1
    context: np.ndarray | None       # (T, B, H)   ctx_t = Σ_s α_t,s e_s
    out: np.ndarray                  # (T, B, H)   h̃_t = tanh(Wc [ctx_t; h_t] + bc), or h_t with `none`


def attend(kind: AttentionKind, params: dict[str, np.ndarray], h: np.ndarray, e: np.ndarray) -> AttentionTrace:
    """Attention at every decoder step: scores, α_t, ctx_t and h̃_t."""
    attention_shapes(kind, h.shape[-1])
    if kind == "none":
        return AttentionTrace(kind, h, e, None, None, None, None, None, h)
    keys = hidden = None
    if kind == "dot":
        score = np.einsum("tbh,sbh->tbs", h, e)                      # h_t · e_s
    elif kind == "general":
        keys = e @ params["attn.weight"].T                           # Wa·e_s
        score = np.einsum("tbh,sbh->tbs", h, keys)
    else:
        keys = e @ params["attn.key.weight"].T                       # Wk·e_s
        query = h @ params["attn.query.weight"].T                    # Wq·h_t
        hidden = np.tanh(query[:, None] + keys[None])                # (T, S, B, H)
        score = np.einsum("tsbh,h->tbs", hidden, params["attn.v.weight"][0])
    weights = softmax(score)                                         # α_t over s
    context = np.einsum("tbs,sbh->tbh", weights, e)                  # Σ_s α_t,s e_s
    both = np.concatenate([context, h], axis=-1)                     # [ctx_t; h_t]
    out = np.tanh(both @ params["combine.weight"].T + params["combine.bias"])
    return AttentionTrace(kind, h, e, keys, hidden, score, weights, context, out.astype(h.dtype))


def attend_backward(at: AttentionTrace, params: dict[str, np.ndarray], d_out: np.ndarray
                    ) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """dL/dh_t, dL/de_s and the parameters' gradients from dL/dh̃_t (T, B, H)."""
    if at.kind == "none":
        return d_out, np.zeros_like(at.e), {}
    assert at.context is not None and at.weights is not None
    H = at.h.shape[-1]
    Wc = params["combine.weight"]
    d_pre = d_out * (1 - at.out * at.out)                            # through tanh
    both = np.concatenate([at.context, at.h], axis=-1)
    grads = {"combine.weight": d_pre.reshape(-1, H).T @ both.reshape(-1, 2 * H), "combine.bias": d_pre.sum(axis=(0, 1))}
    d_both = d_pre @ Wc
    d_ctx, dh = d_both[..., :H], d_both[..., H:].copy()
    d_weights = np.einsum("tbh,sbh->tbs", d_ctx, at.e)               # ctx = Σ α e
    de = np.einsum("tbs,tbh->sbh", at.weights, d_ctx)
    d_score = at.weights * (d_weights - (d_weights * at.weights).sum(axis=-1, keepdims=True))   # softmax'
    if at.kind == "dot":
        dh += np.einsum("tbs,sbh->tbh", d_score, at.e)
        de += np.einsum("tbs,tbh->sbh", d_score, at.h)
    elif at.kind == "general":
        assert at.keys is not None
        Wa = params["attn.weight"]
        dh += np.einsum("tbs,sbh->tbh", d_score, at.keys)
        d_keys = np.einsum("tbs,tbh->sbh", d_score, at.h)
        grads["attn.weight"] = d_keys.reshape(-1, H).T @ at.e.reshape(-1, H)
        de += d_keys @ Wa
    else:
        assert at.hidden is not None
        v = params["attn.v.weight"][0]
        grads["attn.v.weight"] = np.einsum("tbs,tsbh->h", d_score, at.hidden)[None]
        d_hidden = d_score.transpose(0, 2, 1)[..., None] * v * (1 - at.hidden * at.hidden)   # (T, S, B, H)
        d_query, d_keys = d_hidden.sum(axis=1), d_hidden.sum(axis=0)
        grads["attn.query.weight"] = d_query.reshape(-1, H).T @ at.h.reshape(-1, H)
        grads["attn.key.weight"] = d_keys.reshape(-1, H).T @ at.e.reshape(-1, H)
        dh += d_query @ params["attn.query.weight"]
        de += d_keys @ params["attn.key.weight"]
    return dh, de, grads
