"""Shared helpers for the benchmarks: timing side by side, tables, --json."""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def best_time(fn, repeat: int = 7, min_seconds: float = 0.05) -> float:
    """Seconds per call: the best of `repeat` rounds, each long enough to swamp timer noise."""
    fn()  # warm up
    n, t0 = 1, time.perf_counter()
    fn()
    once = max(time.perf_counter() - t0, 1e-7)
    n = max(1, int(min_seconds / once))
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        best = min(best, (time.perf_counter() - t0) / n)
    return best


def interleaved(fns: dict, rounds: int = 5, **kw) -> dict:
    """Time several functions in alternating rounds, so drift of the machine hits all of them alike."""
    results = {k: float("inf") for k in fns}
    for _ in range(rounds):
        for k, fn in fns.items():
            results[k] = min(results[k], best_time(fn, repeat=1, **kw))
    return results


def table(rows: list[dict], title: str) -> str:
    cols = list(rows[0])
    cells = [[_fmt(r[c]) for c in cols] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(cols)]
    line = "  ".join(c.rjust(w) for c, w in zip(cols, widths))
    out = [title, line, "-" * len(line)]
    out += ["  ".join(v.rjust(w) for v, w in zip(row, widths)) for row in cells]
    return "\n".join(out)


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:.3g}" if abs(v) < 1000 else f"{v:,.0f}"
    return str(v)


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--json", action="store_true", help="print one JSON object of the figures")
    return p


def emit(args, figures: dict, text: str) -> None:
    print(json.dumps(figures) if args.json else text)
