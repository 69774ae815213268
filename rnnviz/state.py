"""Config: every choice a user can make, validated in one place, round-tripping through the URL."""
from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace

from .engine.registry import LABELS
from .text import ENCODINGS, LEVELS, MAX_CHARS

CELL_LABELS = LABELS      # the cell registry's labels
ENCODING_LABELS = {"onehot": "one-hot", "embedding": "embedding table", "random": "random vectors",
                   "numbers": "typed numbers"}
LEVEL_LABELS = {"char": "characters", "word": "words"}
INIT_LABELS = {"pytorch": "PyTorch: U(±1/√H)", "uniform": "lesson: U[0, 1)"}
PANEL_LABELS = {"step": "The step", "maps": "Heatmaps", "output": "Output layer", "path": "Hidden-state path",
                "code": "Shapes & PyTorch code"}       # the Explore view's tabs; the keys are what a link says


@dataclass(frozen=True)
class Spec:
    """One row of the settings table: the URL key is the Config field name."""

    kind: type
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    label: str = ""


SPECS: dict[str, Spec] = {
    "text": Spec(str, label="text"),
    "tok": Spec(str, choices=LEVELS, label="tokens"),
    "cell": Spec(str, choices=tuple(CELL_LABELS), label="cell"),
    "enc": Spec(str, choices=ENCODINGS, label="encoding"),
    "I": Spec(int, 1, 256, label="input size"),
    "H": Spec(int, 1, 256, label="hidden size"),
    "L": Spec(int, 1, 4, label="layers"),
    "bi": Spec(bool, label="bidirectional"),
    "bf": Spec(bool, label="batch_first"),
    "seed": Spec(int, 0, 2**31 - 1, label="weight seed"),
    "scale": Spec(float, 0.0, 10.0, label="weight scale"),
    "init": Spec(str, choices=tuple(INIT_LABELS), label="weight init"),
    "batch": Spec(bool, label="batch of lines"),
    "row": Spec(int, 0, 63, label="batch row"),
    "t": Spec(int, 0, MAX_CHARS - 1, label="t"),
    "layer": Spec(int, 0, 3, label="layer"),
    "dir": Spec(int, 0, 1, label="direction"),
    "out": Spec(bool, label="output layer"),
    "O": Spec(int, 1, 16, label="output size"),
    "view": Spec(str, choices=("explore", "train"), label="view"),
    "panel": Spec(str, choices=tuple(PANEL_LABELS), label="panel"),
    "present": Spec(bool, label="presentation mode"),
}


@dataclass(frozen=True)
class Config:
    """Every setting of the Explore view. Field names are the URL's query keys."""

    text: str = "hello"
    tok: str = "char"            # "char" | "word"
    cell: str = "rnn_tanh"       # "rnn_tanh" | "rnn_relu" | "lstm" | "gru"
    enc: str = "onehot"          # "onehot" | "embedding" | "random"
    I: int = 4                   # input size (one-hot: always the vocabulary size)
    H: int = 8                   # hidden size
    L: int = 1                   # layers
    bi: bool = False             # bidirectional
    bf: bool = True              # batch_first
    seed: int = 0
    scale: float = 1.0
    init: str = "pytorch"        # "pytorch" | "uniform"
    batch: bool = False          # each line of the text is one row of a batch
    row: int = 0                 # which batch row to inspect
    t: int = 0                   # the timestep on show (0-based)
    layer: int = 0               # which layer to inspect
    dir: int = 0                 # 0 forward, 1 backward (bidirectional)
    out: bool = False            # show the linear + softmax output layer
    O: int = 1                   # typed numbers: the output size of the σ(W_y·h_t) head (lesson 001)
    view: str = "explore"        # "explore" | "train"
    panel: str = "step"          # the Explore tab on show: a key of PANEL_LABELS
    present: bool = False        # presentation mode (projector)

    def to_query(self) -> dict[str, str]:
        """Only what differs from the defaults, as strings for the URL."""
        return {f.name: format_value(v) for f in fields(self)
                if (v := getattr(self, f.name)) != getattr(DEFAULT, f.name)}

    @classmethod
    def from_query(cls, params) -> tuple[Config, list[str]]:
        """Parse a query dict (values str or list of str); bad values are clamped or dropped, each with a note."""
        values, notes = parse_query(params, SPECS)
        return cls(**values), notes

    def with_(self, **changes) -> tuple[Config, list[str]]:
        """A copy with changes, each validated like a link parameter."""
        out, notes = {}, []
        for key, value in changes.items():
            v, note = validate(key, value)
            if note:
                notes.append(note)
            if v is not None:
                out[key] = v
        return replace(self, **out), notes


def parse_query(params, specs: dict[str, Spec]) -> tuple[dict, list[str]]:
    """The values of a query dict (str or list of str per key) that `specs` knows, clamped or dropped with notes."""
    values, notes = {}, []
    for key, raw in dict(params).items():
        if key not in specs:
            notes.append(f"Ignored the unknown link parameter “{_short(key)}”.")
            continue
        if isinstance(raw, (list, tuple)):
            if len(raw) > 1:
                notes.append(f"The link gives “{key}” {len(raw)} times; used the first.")
            raw = raw[0] if raw else ""
        value, note = parse(key, str(raw), specs)
        if note:
            notes.append(note)
        if value is not None:
            values[key] = value
    return values, notes


def format_value(v) -> str:
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def _short(s: str, n: int = 40) -> str:
    s = "".join(ch if ch.isprintable() else "?" for ch in s)
    return s if len(s) <= n else s[:n] + "…"


def parse(key: str, raw: str, specs: dict[str, Spec] = SPECS):
    """A URL string for `key` -> (value or None, note or '')."""
    spec = specs[key]
    if spec.kind is bool:
        low = raw.strip().lower()
        if low in ("1", "true", "yes", "on"):
            return True, ""
        if low in ("0", "false", "no", "off"):
            return False, ""
        return None, f"Ignored {spec.label} “{_short(raw)}” from the link: expected 1 or 0."
    if spec.kind in (int, float):
        try:
            number = float(raw)
        except ValueError:
            return None, f"Ignored {spec.label} “{_short(raw)}” from the link: not a number."
        return validate(key, number, specs)
    if spec.kind is str and not spec.choices and not raw.strip():
        return None, f"Ignored an empty {spec.label} from the link."
    return validate(key, raw, specs)


def validate(key: str, value, specs: dict[str, Spec] = SPECS):
    """One value for `key` -> (clamped value or None, note or '')."""
    spec = specs[key]
    if spec.kind in (int, float):
        try:
            number = float(value)
        except (TypeError, ValueError):
            return None, f"Ignored {spec.label} {_short(repr(value))}: not a number."
        if not math.isfinite(number):
            return None, f"Ignored {spec.label} {_short(str(value))}: not a finite number."
        if spec.kind is int and number != int(number):
            number = round(number)
        clamped = min(max(number, spec.low), spec.high)
        clamped = int(clamped) if spec.kind is int else float(clamped)
        note = "" if clamped == number else (
            f"{spec.label.capitalize()} must be between {format_value(spec.kind(spec.low))} and "
            f"{format_value(spec.kind(spec.high))}; {format_value(number if spec.kind is float else int(number))} "
            f"was changed to {format_value(clamped)}.")
        return clamped, note
    if spec.kind is bool:
        return bool(value), ""
    if spec.choices:
        if value in spec.choices:
            return value, ""
        return None, f"Ignored {spec.label} “{_short(str(value))}”: choose one of {', '.join(spec.choices)}."
    text, cap = str(value), int(spec.high or MAX_CHARS)          # a text's `high` is its length cap
    if len(text) > cap:
        return text[:cap], f"The {spec.label} was {len(text):,} characters long; only the first {cap:,} are used."
    return text, ""


FIELD_NAMES = tuple(f.name for f in fields(Config))
DEFAULT = Config()
