"""Encoder-decoder: an encoder RNN reads the source, a decoder RNN of the same cell writes the target.

    e_s = encoder(embed_src(x_s))                 h0 of the decoder = the encoder's last state (and c_n)
    h_t = decoder(embed_tgt(y_{t−1}), h_{t−1})    teacher forcing: y_{t−1} is the true previous token
    h̃_t = attention(h_t, e)                       (attention.py; `none`: h̃_t = h_t)
    logits_t = Wy h̃_t + by

Both recurrences are the engine's own `Network`s, so every step of either is traced like any other layer.
Ids are batch-first, (B, S) and (B, T), as the torch reference takes them; traces are time-major.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .attention import AttentionKind, AttentionTrace, attend, attend_backward, attention_shapes
from .network import Network, parameter_shapes
from .readout import softmax
from .registry import CellName, cell_spec
from .trace import Grads, Trace


def seq2seq_shapes(cell: CellName, src_vocab: int, tgt_vocab: int, embed: int, hidden: int,
                   attention: AttentionKind) -> dict[str, tuple[int, ...]]:
    """Every parameter's name and shape, in the torch reference's named_parameters() order."""
    rnn = parameter_shapes(cell, embed, hidden, 1, False, True)
    return ({"src_embed.weight": (src_vocab, embed), "tgt_embed.weight": (tgt_vocab, embed)}
            | {f"encoder.{k}": v for k, v in rnn.items()} | {f"decoder.{k}": v for k, v in rnn.items()}
            | attention_shapes(attention, hidden) | {"out.weight": (tgt_vocab, hidden), "out.bias": (tgt_vocab,)})


@dataclass(frozen=True)
class Seq2SeqTrace:
    """A whole teacher-forced pass: both recurrences, the attention at every decoder step, the outputs."""

    src: np.ndarray          # (B, S) source ids
    tgt_in: np.ndarray       # (B, T) decoder input ids (BOS, y_1, …)
    encoder: Trace           # over the source, time-major: e_s = encoder.output (S, B, H)
    decoder: Trace           # over the target, started from the encoder's h_n (and c_n)
    attention: AttentionTrace
    logits: np.ndarray       # (T, B, V)
    probs: np.ndarray        # (T, B, V) softmax at each output step


@dataclass
class Seq2Seq:
    """Settings plus parameters of an encoder-decoder; `forward`, `backward` and `greedy` do the work."""

    cell: CellName
    src_vocab: int
    tgt_vocab: int
    embed: int
    hidden: int
    attention: AttentionKind
    params: dict[str, np.ndarray]

    def __post_init__(self) -> None:
        cell_spec(self.cell)
        expected = seq2seq_shapes(self.cell, self.src_vocab, self.tgt_vocab, self.embed, self.hidden, self.attention)
        if set(expected) != set(self.params):
            raise ValueError(f"weights do not fit this model: expected {', '.join(expected)}")
        for name, shape in expected.items():
            if tuple(np.shape(self.params[name])) != shape:
                raise ValueError(f"{name} should have shape {shape}, got {np.shape(self.params[name])}")
        self.params = {k: np.ascontiguousarray(self.params[k], np.float32) for k in expected}
        self.encoder = self._rnn("encoder")
        self.decoder = self._rnn("decoder")

    @classmethod
    def init(cls, cell: CellName, src_vocab: int, tgt_vocab: int, embed: int = 16, hidden: int = 32,
             attention: AttentionKind = "none", seed: int = 0) -> Seq2Seq:
        """Fresh weights: embeddings N(0, 1) as torch's nn.Embedding, the rest U(-1/√H, 1/√H)."""
        rng = np.random.default_rng(seed)
        k = 1.0 / np.sqrt(hidden)
        shapes = seq2seq_shapes(cell, src_vocab, tgt_vocab, embed, hidden, attention)
        params = {n: (rng.standard_normal(s) if n.endswith("embed.weight") else rng.uniform(-k, k, s)).astype(np.float32)
                  for n, s in shapes.items()}
        return cls(cell, src_vocab, tgt_vocab, embed, hidden, attention, params)

    def _rnn(self, part: str) -> Network:
        prefix = f"{part}."
        own = {k[len(prefix):]: v for k, v in self.params.items() if k.startswith(prefix)}
        return Network(self.cell, self.embed, self.hidden, 1, False, False, True, own)

    # --- forward ---------------------------------------------------------------------------------------------

    def encode(self, src: np.ndarray) -> Trace:
        """The encoder over the source ids (B, S): e_s for every s, and its last state."""
        src = self._ids(src, self.src_vocab, "source")
        return self.encoder.forward(self.params["src_embed.weight"][src.T])

    def forward(self, src: np.ndarray, tgt_in: np.ndarray) -> Seq2SeqTrace:
        """Teacher forcing: the decoder reads the true previous tokens (B, T) and is scored at every step."""
        enc = self.encode(src)
        tgt_in = self._ids(tgt_in, self.tgt_vocab, "target")
        dec = self.decoder.forward(self.params["tgt_embed.weight"][tgt_in.T], enc.h_n, enc.c_n)
        at = attend(self.attention, self.params, dec.output, enc.output)
        logits = at.out @ self.params["out.weight"].T + self.params["out.bias"]
        return Seq2SeqTrace(np.asarray(src), tgt_in, enc, dec, at, logits, softmax(logits))

    def greedy(self, src: np.ndarray, bos: int, eos: int, max_len: int) -> tuple[np.ndarray, Seq2SeqTrace]:
        """Read aloud: feed back the most likely token each step, until EOS or max_len; (B, T) ids and the trace.

        Without input feeding the decoder's states depend only on the tokens fed in, so the last step's pass over
        the tokens chosen before it traces exactly what the step-by-step decoding computed: it is the reading's trace.
        """
        src = self._ids(src, self.src_vocab, "source")
        if max_len < 1:
            raise ValueError(f"a reading needs at least one step, got max_len={max_len}")
        tokens = np.full((src.shape[0], 1), bos, np.int64)
        while True:
            step = self.forward(src, tokens)            # over the tokens fed so far: the trace of this reading
            tokens = np.concatenate([tokens, step.logits[-1].argmax(axis=-1)[:, None]], axis=1)
            if tokens.shape[1] > max_len or np.all((tokens[:, 1:] == eos).any(axis=1)):
                return tokens[:, 1:], step

    @staticmethod
    def _ids(ids: np.ndarray, vocab: int, what: str) -> np.ndarray:
        ids = np.asarray(ids)
        if ids.ndim != 2 or ids.shape[1] == 0 or not np.issubdtype(ids.dtype, np.integer):
            raise ValueError(f"the {what} should be token ids of shape (batch, length ≥ 1), got {ids.shape}")
        if ids.min() < 0 or ids.max() >= vocab:
            raise ValueError(f"the {what}'s ids should be between 0 and {vocab - 1}")
        return ids

    # --- backward --------------------------------------------------------------------------------------------

    def backward(self, trace: Seq2SeqTrace, d_logits: np.ndarray) -> tuple[dict[str, np.ndarray], Grads, Grads]:
        """Gradients of every parameter from dL/dlogits (T, B, V); also the encoder's and decoder's own Grads
        (their dL/dh_t at every step: how much of the loss reaches each source digit back through time)."""
        p, at = self.params, trace.attention
        d_logits = np.asarray(d_logits, np.float32)
        V, H = self.tgt_vocab, self.hidden
        grads = {"out.weight": d_logits.reshape(-1, V).T @ at.out.reshape(-1, H), "out.bias": d_logits.sum(axis=(0, 1))}
        d_dec_out, d_enc_out, attn_grads = attend_backward(at, p, d_logits @ p["out.weight"])
        dec = self.decoder.backward(trace.decoder, d_dec_out)
        enc = self.encoder.backward(trace.encoder, d_enc_out, dec.h0, dec.c0)     # h0 (and c0) came from h_n, c_n
        grads |= attn_grads | {f"decoder.{k}": v for k, v in dec.params.items()} | \
            {f"encoder.{k}": v for k, v in enc.params.items()}
        grads["src_embed.weight"] = _scatter(trace.src.T, enc.x, self.src_vocab)
        grads["tgt_embed.weight"] = _scatter(trace.tgt_in.T, dec.x, self.tgt_vocab)
        order = seq2seq_shapes(self.cell, self.src_vocab, V, self.embed, H, self.attention)
        return {name: grads[name].astype(np.float32) for name in order}, enc, dec


def _scatter(ids: np.ndarray, d_rows: np.ndarray, vocab: int) -> np.ndarray:
    """An embedding's gradient: each looked-up row's gradient added into its id's row."""
    out = np.zeros((vocab, d_rows.shape[-1]), np.float32)
    np.add.at(out, ids.reshape(-1), d_rows.reshape(-1, d_rows.shape[-1]))
    return out


def cross_entropy(logits: np.ndarray, targets: np.ndarray, ignore: int = -100) -> tuple[float, np.ndarray]:
    """torch's CrossEntropyLoss(ignore_index=ignore), mean over the counted tokens; and dL/dlogits.

    logits (T, B, V), targets (B, T) batch-first like the ids.
    """
    y = np.asarray(targets).T                                   # (T, B)
    keep = y != ignore
    n = max(1, int(keep.sum()))
    picked = np.where(keep, y, 0)[..., None]                    # each step's target id (0 where ignored)
    p = softmax(logits.astype(np.float64))
    loss = float(-(np.log(np.take_along_axis(p, picked, -1)[..., 0]) * keep).sum() / n)
    d = p.copy()
    np.put_along_axis(d, picked, np.take_along_axis(d, picked, -1) - 1, -1)
    return loss, (d * keep[..., None] / n).astype(np.float32)
