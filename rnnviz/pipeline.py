"""Config → text → tokens → X → engine run: everything the Explore view shows, computed in one place."""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import regex

from .engine import Network, Trace
from .state import Config
from .text import Vocab, clean, encode, number_token, parse_numbers, tokenize, visible

INPUT_SEED_OFFSET = 1      # input encodings draw from seed + 1, the weights from seed
OUTPUT_SEED_OFFSET = 2     # the untrained output layer draws from seed + 2
SATURATED = 0.95           # |h| beyond this: tanh's slope 1 − h² is under 0.1 (the page explains saturation)


@dataclass(frozen=True)
class Weights:
    """Trained weights handed over from the Train view: engine, vocabulary, input table, output layer."""

    network: Network
    vocab: Vocab
    level: str                               # "char" | "word"
    encoding: str                            # "onehot" | "embedding"
    embedding: np.ndarray | None = None      # (V, I)
    W_out: np.ndarray | None = None          # (V, D·H)
    b_out: np.ndarray | None = None          # (V,)
    name: str = "trained"


@dataclass(frozen=True)
class Explored:
    """The result of one Explore run."""

    config: Config                           # the settings actually used (clamped to the text)
    rows: list[list[str]]                    # tokens of each batch row, (B, T)
    vocab: Vocab
    ids: np.ndarray                          # (B, T)
    X: np.ndarray                            # (B, T, I) — as the user means it, before any layout change
    x_module: np.ndarray                     # what goes into the module: (B, T, I) if batch_first else (T, B, I)
    network: Network
    trace: Trace
    W_out: np.ndarray                        # (V, D·H); typed numbers: W_y, (O, D·H)
    b_out: np.ndarray                        # (V,); typed numbers: zeros (lesson 001's head has no bias)
    probs: np.ndarray                        # (B, T, V): softmax(W_out·h_t + b_out) of the top layer;
                                             # typed numbers: (B, T, O), σ(W_y·h_t)
    notes: list[str] = field(default_factory=list)
    trained: str = ""                        # name of trained weights in use, "" if fresh

    @property
    def T(self) -> int:
        return self.X.shape[1]

    @property
    def B(self) -> int:
        return self.X.shape[0]

    def overflow(self) -> str:
        """"" when every value of the run is finite; else a message saying where it overflowed and why."""
        bad = []                                    # (first t with a non-finite value, layer)
        for layer in self.trace.layers:
            for lt in layer:
                steps_ok = np.isfinite(lt.h).all(axis=(1, 2))              # (T,)
                if not steps_ok.all():
                    bad.append((int(np.argmin(steps_ok)), lt.layer))
        if not bad:
            return ""
        t, layer = min(bad)
        why = ("ReLU has no upper bound, so with these weights h_t grows at every step until float32 "
               "(largest value about 3.4e38) overflows; tanh would saturate at ±1 instead"
               if self.config.cell == "rnn_relu" else "the weights are too large for float32")
        return (f"The hidden state overflows at t = {t} (layer {layer}): {why}. From there on the values are "
                "infinite or NaN, shown as blank cells. Lower the weight scale, or choose another cell.")

    def saturation(self) -> str:
        """"" unless most h_t of a tanh RNN sit near ±1; then why (lesson 000's point), and what to change."""
        if self.config.cell != "rnn_tanh":
            return ""
        hs = [lt.h for layer in self.trace.layers for lt in layer]
        share = sum(int(np.count_nonzero(np.abs(h) > SATURATED)) for h in hs) / sum(h.size for h in hs)
        if share < 0.5:
            return ""
        c = self.config
        if self.trained:
            cause, change = "The trained weights make most a_t large", "fresh random weights"
        elif c.init == "uniform":
            cause = ("The lesson's uniform [0, 1) weights are all positive, so every a_t = Wx·x_t + Wh·h_{t−1} + b "
                     "adds up many positive terms")
            change = "PyTorch's initial weights"
        else:
            cause = f"With the weight scale at {c.scale:g}, most a_t = Wx·x_t + Wh·h_{{t−1}} + b are large"
            change = "a smaller weight scale"
        return (f"Saturated: {share:.0%} of the hidden values are beyond ±{SATURATED}. {cause}, and tanh is flat out "
                f"there (its slope 1 − h² is under 0.1): h_t hardly changes when x_t changes, and little gradient "
                f"flows back through time. Try {change} to compare.")


def number_rows(config: Config) -> list[list[list[float]]]:
    """Typed numbers per batch row, (B, T, I): one sequence, or one per block of lines (blocks apart by a blank
    line) when `batch` is on."""
    text = clean(config.text)
    blocks = regex.split(r"\n\s*\n", text.strip()) if config.batch else [text]
    rows = [parse_numbers(block) for block in blocks if block.strip()] or [parse_numbers("")]
    if len({len(r) for r in rows}) > 1:
        raise ValueError("every sequence of a batch must have the same number of timesteps (lines), got "
                         f"{', '.join(str(len(r)) for r in rows)}; make them equal or turn off “batch of lines”")
    if len({len(r[0]) for r in rows}) > 1:
        raise ValueError("every sequence of a batch must have the same number of values per line, got "
                         f"{', '.join(str(len(r[0])) for r in rows)}")
    if len(rows) > 64:
        raise ValueError(f"a batch can have at most 64 sequences, got {len(rows)}")
    return rows


def number_tokens(numbers: list[list[list[float]]]) -> list[list[str]]:
    """Typed numbers (B, T, I) as tokens to show: one per timestep, its values."""
    return [[number_token(step) for step in row] for row in numbers]


def split_rows(config: Config) -> list[list[str]]:
    """Tokens per batch row: one row, or one per non-empty line when `batch` is on (typed numbers: one token per
    timestep, its values)."""
    if config.enc == "numbers":
        return number_tokens(number_rows(config))
    if not config.batch:
        return [tokenize(config.text, config.tok)]
    lines = [line for line in config.text.splitlines() if visible(line)]
    if not lines:
        tokenize("")  # raises the empty-text message
    rows = [tokenize(line, config.tok) for line in lines]
    lengths = [len(r) for r in rows]
    if len(set(lengths)) > 1:
        raise ValueError("every line of a batch must have the same number of tokens, "
                         f"got {', '.join(map(str, lengths))}; make them equal or turn off “batch of lines”")
    if len(rows) > 64:
        raise ValueError(f"a batch can have at most 64 lines, got {len(rows)}")
    return rows


def inspect_limits(config: Config, T: int, B: int) -> dict[str, int]:
    """The largest t, batch row, layer and direction a text of T tokens in B rows and this network have."""
    return {"t": T - 1, "row": B - 1, "layer": config.L - 1, "dir": 1 if config.bi else 0}


def out_of_range_notes(config: Config, given) -> list[str]:
    """Notes for what a link asks to inspect beyond its own text and network (build() clamps it)."""
    try:
        rows = split_rows(config)
    except ValueError:
        return []                                   # the text itself gets its own message
    T, B = len(rows[0]), len(rows)
    plural = lambda n: "s" * (n != 1)               # noqa: E731
    names = {"t": ("time step t", f"the text has {T} token{plural(T)}"),
             "row": ("batch row", f"the batch has {B} row{plural(B)}"),
             "layer": ("layer", f"the network has {config.L} layer{plural(config.L)}"),
             "dir": ("direction", "the network is not bidirectional")}
    return [f"The link asks for {names[key][0]} {getattr(config, key)}, but {names[key][1]}; "
            f"showing {names[key][0]} {top}."
            for key, top in inspect_limits(config, T, B).items() if key in given and getattr(config, key) > top]


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def build(config: Config, weights: Weights | None = None) -> Explored:
    """Run the whole road for one Config; raise ValueError with a student-readable message on bad input."""
    notes = []
    if weights is not None and config.tok != weights.level:
        config = replace(config, tok=weights.level)
        notes.append(f"Tokens are {weights.level}s, as the trained weights expect.")
    if weights is not None and config.enc != weights.encoding:
        config = replace(config, enc=weights.encoding)
        notes.append(f"Encoding is {weights.encoding}, as the trained weights expect.")
    typed = config.enc == "numbers"                        # never with trained weights: their encoding is set above
    numbers = number_rows(config) if typed else None       # parsed once, for the tokens and for X
    rows = number_tokens(numbers) if typed else split_rows(config)
    if weights is not None:
        vocab = weights.vocab
        unknown = sorted({t for r in rows for t in r} - set(vocab.tokens))
        if unknown:
            if not vocab.has_unk:
                raise ValueError(f"the trained weights do not know {', '.join(map(repr, unknown[:5]))}: "
                                 "use only tokens from the training text")
            notes.append(f"{len(unknown)} token(s) the trained weights never saw are read as <unk>: "
                         + ", ".join(map(repr, unknown[:5])) + ("…" if len(unknown) > 5 else ""))
    else:
        vocab = Vocab.build([t for r in rows for t in r])
    ids = np.stack([vocab.encode(r) for r in rows])             # (B, T)
    V = len(vocab)

    if weights is not None:
        net = weights.network
        config = replace(config, cell=net.cell, I=net.input_size, H=net.hidden_size, L=net.num_layers,
                         bi=net.bidirectional)
        net = replace(net, batch_first=config.bf)
        X = np.stack([weights.embedding[i] if weights.encoding == "embedding" else np.eye(V, dtype=np.float32)[i]
                      for i in ids])
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

    B, T = ids.shape
    for key, top in inspect_limits(config, T, B).items():
        if getattr(config, key) > top:
            config = replace(config, **{key: top})
    x_module = X if config.bf else X.swapaxes(0, 1)
    with np.errstate(over="ignore", invalid="ignore"):      # an overflow is reported on the page (Explored.overflow)
        trace = net.forward(x_module)

    if weights is not None and weights.W_out is not None:
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


def pca_2d(h: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(T, H) hidden states -> ((T, 2) coordinates on the top two principal axes, explained variance ratios)."""
    if not np.isfinite(h).all():
        raise ValueError("the hidden states overflow (infinite or NaN), so they have no 2-D projection")
    centred = h - h.mean(axis=0)
    if h.shape[0] < 2 or not np.any(centred):
        return np.zeros((h.shape[0], 2)), np.zeros(2)
    _, s, vt = np.linalg.svd(centred.astype(np.float64), full_matrices=False)
    coords = centred @ vt[:2].T
    if coords.shape[1] < 2:
        coords = np.pad(coords, ((0, 0), (0, 2 - coords.shape[1])))
    var = s ** 2 / (s ** 2).sum()
    return coords, np.pad(var[:2], (0, max(0, 2 - len(var[:2]))))
