"""Which units follow which property of the text, and where a selected pattern fires again (LSTMVis's match view)."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import numpy as np

from ..settings import LAB_PROPERTIES as PROPERTIES  # one list of properties: the registry's

OPEN, CLOSE = "([{", ")]}"


def properties(chars: list[str]) -> dict[str, np.ndarray]:
    """Simple properties of every character, read from the text itself: (T,) floats per property."""
    T = len(chars)
    quote, depth, column = np.zeros(T), np.zeros(T), np.zeros(T)
    inside, level, col = False, 0, 0
    for t, ch in enumerate(chars):
        if ch == '"':
            inside = not inside
            quote[t] = 1.0                              # both quote marks count as inside, as the corpus counts them
        else:
            quote[t] = inside
        if ch in OPEN:
            level += 1
        depth[t] = level                                # an opening or closing bracket counts itself
        if ch in CLOSE:
            level = max(0, level - 1)
        column[t] = col
        col = 0 if ch == "\n" else col + 1
    after = np.array([0.0] + [float(c in (" ", "\n")) for c in chars[:-1]])[:T]
    hangul = np.array([float("HANGUL" in unicodedata.name(c[0], "")) for c in chars])
    latin = np.array([float(c.isascii() and c.isalpha()) for c in chars])
    return dict(zip(PROPERTIES, (quote, depth, column, after, hangul, latin), strict=True))


def correlations(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Pearson's r of every unit's activation X (T, N) with the property y (T,): (N,); 0 where either is constant."""
    Xc = X - X.mean(0)
    yc = y - y.mean()
    scale = np.sqrt((Xc * Xc).sum(0) * (yc * yc).sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        r = (Xc.T @ yc) / scale
    return np.where(scale > 0, r, 0.0)


@dataclass(frozen=True)
class Ranked:
    """Units ordered by |r| with one property: unit indices and their r."""

    prop: str
    units: np.ndarray         # (N,) best first
    r: np.ndarray             # (N,) their correlations


def rank(X: np.ndarray, props: dict[str, np.ndarray]) -> dict[str, Ranked]:
    """For each property, every unit ranked by how well it follows it (|Pearson r|)."""
    ranked = {}
    for name, y in props.items():
        r = correlations(X.astype(np.float64), y)
        order = np.argsort(-np.abs(r), kind="stable")
        ranked[name] = Ranked(name, order, r[order])
    return ranked


def follows(X: np.ndarray, unit: int, props: dict[str, np.ndarray]) -> list[tuple[str, float]]:
    """The properties one unit follows, best first, with r."""
    rs = [(name, float(correlations(X[:, unit:unit + 1].astype(np.float64), y)[0])) for name, y in props.items()]
    return sorted(rs, key=lambda p: -abs(p[1]))


@dataclass(frozen=True)
class Match:
    """A span [start, end) where the chosen units fire; score in [0, 1]."""

    start: int
    end: int
    score: float


def chosen_units(X: np.ndarray, start: int, end: int, threshold: float) -> np.ndarray:
    """The units on (> threshold) at every character of [start, end) and off just before and just after it."""
    on = (X[start:end] > threshold).all(0)
    if start > 0:
        on &= X[start - 1] <= threshold
    if end < len(X):
        on &= X[end] <= threshold
    return np.flatnonzero(on)


def matches(X: np.ndarray, units: np.ndarray, threshold: float, start: int, end: int, limit: int = 10,
            share: float = 0.5) -> list[Match]:
    """The other spans where at least `share` of `units` fire together, ranked by how much of them fires and how
    close the span's length is to the selected one's."""
    if not len(units):
        return []
    on = (X[:, units] > threshold).mean(1)                  # (T,) the share of chosen units firing
    firing = np.concatenate([[False], on >= share, [False]])
    edges = np.flatnonzero(np.diff(firing.astype(np.int8)))
    length = end - start
    found = []
    for a, b in zip(edges[::2], edges[1::2]):
        if a < end and b > start:                           # the selection itself
            continue
        fit = min(b - a, length) / max(b - a, length)
        found.append(Match(int(a), int(b), float(on[a:b].mean() * fit)))
    return sorted(found, key=lambda m: (-m.score, m.start))[:limit]
