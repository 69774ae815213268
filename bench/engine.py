"""Engine vs torch, the same work on both sides: the engine's traced forward against torch's forward, and the
engine's forward+backward (BPTT through the trace) against torch's forward+autograd backward.

The engine runs single-threaded (NumPy's BLAS is held to one thread before NumPy loads); torch is timed with
1 thread and with its default thread count, side by side. Every call gets the same input and the same output
gradient (ones), and every figure is timed the same way: interleaved rounds, best per-call time.

    python bench/engine.py [--json] [--cells rnn_tanh,lstm] [--sizes 100x64,500x256]
"""
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")   # NumPy's BLAS single-threaded (torch's MKL/OpenMP untouched)

import numpy as np  # noqa: E402
import torch  # noqa: E402
from common import best_time, emit, parser, table  # noqa: E402

from rnnviz.bridge import from_torch, torch_module  # noqa: E402
from rnnviz.engine.registry import CELLS  # noqa: E402

SIZES = [(10, 8), (100, 64), (500, 256)]
KEY = (100, 64)                              # the headline figures' size
TORCH_DEFAULT_THREADS = torch.get_num_threads()


def measure(cell: str, T: int, H: int, B: int = 1) -> dict:
    """One row: engine and torch (1 thread, default threads) forward and forward+backward, in ms, and ratios."""
    torch.manual_seed(0)
    module = torch_module(cell, H, H, batch_first=True)
    net = from_torch(module)
    x = np.random.default_rng(0).standard_normal((B, T, H)).astype(np.float32)
    d_out = np.ones((B, T, H), np.float32)
    xt, d_out_t = torch.from_numpy(x), torch.from_numpy(d_out)

    def engine_forward_backward():
        net.backward(net.forward(x), d_out)

    def torch_forward():
        with torch.no_grad():
            module(xt)

    def torch_forward_backward():
        xg = xt.clone().requires_grad_()        # the engine returns dL/dx too
        module.zero_grad(set_to_none=True)
        module(xg)[0].backward(d_out_t)

    fns = {"engine fwd": (1, lambda: net.forward(x)), "engine fwd+bwd": (1, engine_forward_backward)}
    for n in sorted({1, TORCH_DEFAULT_THREADS}):
        fns[f"torch{n} fwd"] = (n, torch_forward)
        fns[f"torch{n} fwd+bwd"] = (n, torch_forward_backward)
    t = {name: float("inf") for name in fns}
    for _ in range(5):                       # alternating rounds: drift of the machine hits every figure alike
        for name, (n, fn) in fns.items():
            torch.set_num_threads(n)         # outside the timed calls
            t[name] = min(t[name], best_time(fn, repeat=1, min_seconds=0.05))
    torch.set_num_threads(TORCH_DEFAULT_THREADS)
    n = TORCH_DEFAULT_THREADS
    return {"cell": cell, "T": T, "H": H,
            "engine fwd ms": t["engine fwd"] * 1e3, "torch1 fwd ms": t["torch1 fwd"] * 1e3,
            f"torch{n} fwd ms": t[f"torch{n} fwd"] * 1e3,
            "fwd ratio (1)": t["engine fwd"] / t["torch1 fwd"], f"fwd ratio ({n})": t["engine fwd"] / t[f"torch{n} fwd"],
            "engine fwd+bwd ms": t["engine fwd+bwd"] * 1e3, "torch1 fwd+bwd ms": t["torch1 fwd+bwd"] * 1e3,
            f"torch{n} fwd+bwd ms": t[f"torch{n} fwd+bwd"] * 1e3,
            "fwd+bwd ratio (1)": t["engine fwd+bwd"] / t["torch1 fwd+bwd"],
            f"fwd+bwd ratio ({n})": t["engine fwd+bwd"] / t[f"torch{n} fwd+bwd"]}


def main():
    p = parser(__doc__)
    p.add_argument("--cells", default=",".join(CELLS))
    p.add_argument("--sizes", default=",".join(f"{T}x{H}" for T, H in SIZES), help="TxH,TxH,...")
    args = p.parse_args()
    sizes = [tuple(int(v) for v in s.split("x")) for s in args.sizes.split(",")]
    rows = [measure(cell, T, H) for cell in args.cells.split(",") for T, H in sizes]
    n = TORCH_DEFAULT_THREADS
    key = [r for r in rows if (r["T"], r["H"]) == KEY] or rows
    worst = {f"{what}_ratio_{threads}": max(r[f"{label} ratio ({threads})"] for r in key)
             for what, label in (("forward", "fwd"), ("backward", "fwd+bwd")) for threads in sorted({1, n})}
    figures = {**worst, "forward_ratio": worst["forward_ratio_1"], "backward_ratio": worst["backward_ratio_1"],
               "key_size": f"T={key[0]['T']} H={key[0]['H']}", "torch_default_threads": n, "rows": rows}
    text = table(rows, f"engine (1 thread) vs torch with 1 and with {n} threads; batch 1, input size = H; "
                       "ratio = engine time / torch time (fwd+bwd: both sides forward then backward); "
                       "target <= 3 for every cell")
    text += "\nworst cell at {}: {}".format(figures["key_size"],
                                            ", ".join(f"{k} {v:.2f}" for k, v in worst.items()))
    emit(args, figures, text)


if __name__ == "__main__":
    main()
