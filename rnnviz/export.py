"""A trace as files: NPZ (every array, PyTorch's names) and CSV (one row per layer, direction, step, row, unit)."""
from __future__ import annotations

import csv
import io
from typing import Any

import numpy as np
from safetensors.numpy import save as st_save

from .engine import Network, Trace


def trace_arrays(trace: Trace) -> dict[str, np.ndarray]:
    """Every array of a trace under a flat name: output, h_n, c_n, l{layer}_{fwd|bwd}_{field}."""
    arrays = {"output": trace.output, "h_n": trace.h_n}
    if trace.c_n is not None:
        arrays["c_n"] = trace.c_n
    for directions in trace.layers:
        for lt in directions:
            p = f"l{lt.layer}_{'bwd' if lt.reverse else 'fwd'}_"
            for name in ("x", "h_prev", "Wx_x", "Wh_h", "b_ih", "b_hh", "a", "h", "c_prev", "c"):
                v = getattr(lt, name)
                if v is not None:
                    arrays[p + name] = v
            for g, v in lt.gates.items():
                arrays[p + "gate_" + g] = v
    return arrays


def to_safetensors(net: Network) -> bytes:
    """A network's weights under PyTorch's names (load with safetensors.torch.load_file, then load_state_dict)."""
    return st_save({k: np.ascontiguousarray(v, dtype=np.float32) for k, v in net.params.items()},
                   metadata={"rnnviz_network": f"{net.cell} I={net.input_size} H={net.hidden_size} "
                                               f"L={net.num_layers} bidirectional={net.bidirectional}"})


def to_npz(trace: Trace) -> bytes:
    buf = io.BytesIO()
    arrays: dict[str, Any] = trace_arrays(trace)      # numpy's stub would read a ** of arrays as its allow_pickle
    np.savez_compressed(buf, **arrays)
    return buf.getvalue()


# A spreadsheet evaluates a cell that starts with one of these as a formula (=HYPERLINK(…), @SUM(…), +1+1, -1+1,
# and a tab or carriage return before one): such cells get a leading ' (OWASP's rule), which shows the text as typed.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def cell(text: str) -> str:
    """A text cell safe to open in a spreadsheet: never read as a formula."""
    text = str(text)
    return "'" + text if text.startswith(FORMULA_START) else text


# A trace with more h_t values than this (T·B·H·L·D) is not written as CSV: a spreadsheet would not open it whole.
CSV_VALUES = 200_000


def to_csv(trace: Trace, rows: list[list[str]]) -> bytes:
    """Long format: layer, direction, t, token, row, unit, h_t (and c_t, gates); rows: each batch row's tokens.
    Text cells go through `cell`, so none is a formula."""
    buf = io.StringIO()
    w = csv.writer(buf)
    first = trace.layers[0][0]
    extra = (["c_t"] if first.c is not None else []) + list(first.gates)
    w.writerow(["layer", "direction", "t", "token", "batch_row", "unit", "h_t"] + extra)
    for directions in trace.layers:
        for lt in directions:
            T, B, H = lt.h.shape
            for t in range(T):
                for b in range(B):
                    for u in range(H):
                        vals = [lt.h[t, b, u]] + ([lt.c[t, b, u]] if lt.c is not None else []) \
                            + [v[t, b, u] for v in lt.gates.values()]
                        w.writerow([lt.layer, "backward" if lt.reverse else "forward", t,
                                    cell(rows[b][t]) if b < len(rows) and t < len(rows[b]) else "", b, u]
                                   + [f"{v:.8g}" for v in vals])
    return buf.getvalue().encode("utf-8-sig")   # BOM so spreadsheet programs read Hangul correctly
