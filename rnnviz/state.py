"""Config: every choice a user can make, validated in one place, round-tripping through the URL."""
from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from .engine.registry import CellName
from .settings import EXPLORE, Setting
from .text import CODE_POINTS_PER_CHAR, MAX_CHARS, Encoding, Level, cut, graphemes, too_big, unlinked
from .words import Said, say

SPECS = EXPLORE                 # the Explore view's rows of the settings registry (rnnviz/settings.py)


def _default(key: str) -> Any:             # each field's own type: the registry row's `kind`
    return EXPLORE[key].default


@dataclass(frozen=True)
class Config:
    """Every setting of the Explore view. Field names are the URL's query keys."""

    text: str = _default("text")
    tok: Level = _default("tok")
    cell: CellName = _default("cell")
    enc: Encoding = _default("enc")
    I: int = _default("I")  # input size (one-hot: always the vocabulary size)
    H: int = _default("H")  # hidden size
    L: int = _default("L")  # layers
    bi: bool = _default("bi")  # bidirectional
    bf: bool = _default("bf")  # batch_first
    seed: int = _default("seed")
    scale: float = _default("scale")
    init: str = _default("init")
    batch: bool = _default("batch")  # each line of the text is one row of a batch
    row: int = _default("row")  # which batch row to inspect
    t: int = _default("t")  # the timestep on show (0-based)
    layer: int = _default("layer")  # which layer to inspect
    dir: int = _default("dir")  # 0 forward, 1 backward (bidirectional)
    out: bool = _default("out")  # show the linear + softmax output layer
    bptt_loss: str = _default("bptt_loss")  # the backward tab's loss: at the last step or at every step
    edits: str = _default("edits")  # weights set by hand: rnnviz/edits.py's compact list
    O: int = _default("O")  # typed numbers: the output size of the σ(W_y·h_t) head (lesson 001)
    view: str = _default("view")
    panel: str = _default("panel")  # the Explore tab on show (settings.PANELS)
    present: bool = _default("present")  # presentation mode (projector)
    lang: str = _default("lang")  # the page's language (words.LANGS)
    hide: str = _default("hide")  # a lesson link: controls students do not see (settings.CONTROLS, comma list)
    lock: str = _default("lock")  # ... and those they see but cannot change

    def to_query(self) -> dict[str, str]:
        """Only what differs from the defaults, as strings for the URL."""
        return {f.name: format_value(v) for f in fields(self)
                if (v := getattr(self, f.name)) != getattr(DEFAULT, f.name)}

    @classmethod
    def from_query(cls, params: Mapping[str, object]) -> tuple[Config, list[str]]:
        """Parse a query dict (values str or list of str); bad values are clamped or dropped, each with a note."""
        values, notes = parse_query(params, SPECS)
        return cls(**values), notes

    def with_(self, **changes: object) -> tuple[Config, list[str]]:
        """A copy with changes, each validated like a link parameter."""
        out, notes = {}, []
        whole_lines = changes.get("enc", self.enc) == "numbers"
        for key, value in changes.items():
            v, note = validate(key, value, whole_lines=whole_lines)
            if note:
                notes.append(note)
            if v is not None:
                out[key] = v
        return replace(self, **out), notes


def parse_query(params: Mapping[str, object], specs: dict[str, Setting]) -> tuple[dict[str, Any], list[str]]:
    """The values of a query dict (str or list of str per key) that `specs` knows, clamped or dropped with notes."""
    values: dict[str, Any] = {}
    notes: list[str] = []
    params = dict(params)
    enc = params.get("enc", "")
    whole_lines = (enc[0] if isinstance(enc, (list, tuple)) and enc else enc) == "numbers"
    for key, raw in params.items():
        if key not in specs:
            notes.append(say("link.unknown", key=_short(key)))
            continue
        if isinstance(raw, (list, tuple)):
            if len(raw) > 1:
                notes.append(say("link.repeated", key=key, n=len(raw)))
            raw = raw[0] if raw else ""
        value, note = parse(key, str(raw), specs, whole_lines)
        if note:
            notes.append(note)
        if value is not None:
            values[key] = value
    return values, notes


def format_value(v: object) -> str:
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def _short(s: str, n: int = 40) -> str:
    """User text as a note quotes it: printable, at most `n` characters, never a link."""
    s = "".join(ch if ch.isprintable() else "?" for ch in s[:n + 1])
    return unlinked(s if len(s) <= n else s[:n] + "…")


def capital(text: str) -> str:
    """A note that starts with a setting's name starts with a capital (where the language has them)."""
    return text[:1].upper() + text[1:]


def shown_number(x: float) -> str:
    """A number as a note shows it: 1e+308, not its 309 digits."""
    return f"{x:.4g}" if x and not 1e-4 <= abs(x) < 1e9 else format_value(x)


def parse(key: str, raw: str, specs: dict[str, Setting] = SPECS, whole_lines: bool = False) -> tuple[Any, str]:
    """A URL string for `key` -> (value or None, note or '')."""
    spec = specs[key]
    what = say(spec.name)
    if spec.kind is bool:
        low = raw.strip().lower()
        if low in ("1", "true", "yes", "on"):
            return True, ""
        if low in ("0", "false", "no", "off"):
            return False, ""
        return None, say("link.not_bool", what=what, value=_short(raw))
    if spec.kind in (int, float):
        try:
            number = float(raw)
        except ValueError:
            return None, say("link.not_number", what=what, value=_short(raw))
        return validate(key, number, specs)
    if spec.kind is str and not spec.choices and not raw.strip():
        return None, say("link.empty", what=what)
    return validate(key, raw, specs, whole_lines)


def validate(key: str, value: Any, specs: dict[str, Setting] = SPECS, whole_lines: bool = False) -> tuple[Any, str]:
    """One value for `key`, of any type a caller may pass -> (clamped value or None, note or '')."""
    spec = specs[key]
    what = say(spec.name)
    if spec.kind in (int, float):
        try:
            number = float(value)
        except (TypeError, ValueError):
            return None, say("value.not_number", what=what, value=_short(repr(value)))
        if not math.isfinite(number):
            return None, say("value.not_finite", what=what, value=_short(str(value)))
        if spec.kind is int and number != int(number):
            number = round(number)
        low, high = spec.bounds
        clamped = min(max(number, low), high)
        clamped = int(clamped) if spec.kind is int else float(clamped)
        note = "" if clamped == number else capital(say(
            "value.clamped", what=what, low=format_value(spec.kind(low)), high=format_value(spec.kind(high)),
            value=shown_number(number if spec.kind is float else int(number)), clamped=format_value(clamped)))
        return clamped, note
    if spec.kind is bool:
        return bool(value), ""
    if spec.choices:
        if value in spec.choices:
            return value, ""
        return None, say("value.not_choice", what=what, value=_short(str(value)), choices=", ".join(spec.choices))
    text, cap = str(value), int(spec.high or MAX_CHARS)          # a text's `high` is its length cap
    kept = cut(text, cap, whole_lines)                           # whole graphemes (typed numbers: whole lines)
    if kept != text and too_big(text, cap):                      # too long to count its characters
        return kept, say("value.cut_size", what=what, n=len(text), most=cap * CODE_POINTS_PER_CHAR,
                         used=len(graphemes(kept)))
    if kept != text:
        return kept, say("value.cut", what=what, n=len(graphemes(text)), used=len(graphemes(kept)))
    return text, ""


FIELD_NAMES = tuple(f.name for f in fields(Config))
DEFAULT = Config()


def inspect_limits(config: Config, T: int, B: int) -> dict[str, int]:
    """The largest t, batch row, layer and direction a text of T tokens in B rows and this network have."""
    return {"t": T - 1, "row": B - 1, "layer": config.L - 1, "dir": 1 if config.bi else 0}


def out_of_range_notes(config: Config, given: Collection[str], T: int, B: int) -> list[str]:
    """Notes for what a link asks to inspect beyond its own text (T tokens in B rows) and network (build() clamps
    it)."""
    why = {"t": Said("beyond.t" if T != 1 else "beyond.t.one", {"n": T}),
           "row": Said("beyond.row" if B != 1 else "beyond.row.one", {"n": B}),
           "layer": Said("beyond.layer" if config.L != 1 else "beyond.layer.one", {"n": config.L}),
           "dir": Said("beyond.dir")}
    return [say("link.beyond", what=say(EXPLORE[key].name), asked=getattr(config, key), why=why[key], top=top)
            for key, top in inspect_limits(config, T, B).items() if key in given and getattr(config, key) > top]
