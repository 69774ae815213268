"""Engine vs torch, the same work on both sides: the engine's traced forward against torch's forward, and the
engine's forward+backward (BPTT through the trace) against torch's forward+autograd backward.

The engine runs single-threaded (NumPy's BLAS is held to one thread before NumPy loads); torch is timed with
1 thread and with its default thread count, side by side. Every call gets the same input and the same output
gradient (ones), and every figure is timed the same way: interleaved rounds, best per-call time.

The headline setup is issue 23's: T = 100, H = 64, B = 1, input size 16, single thread; its target is a ratio
<= 2 for every cell, forward (with the whole trace) and forward+backward.

    python bench/engine.py [--json] [--cells rnn_tanh,lstm] [--sizes 100x64,500x256] [--input 16]
"""
import os
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")   # NumPy's BLAS single-threaded (torch's MKL/OpenMP untouched)

import numpy as np  # noqa: E402
import torch  # noqa: E402
from common import emit, parser, table  # noqa: E402

from rnnviz.bridge import from_torch, torch_module  # noqa: E402
from rnnviz.engine.registry import CELLS  # noqa: E402

SIZES = [(10, 8), (100, 64), (500, 256)]
KEY = (100, 64)                              # the headline figures' size
INPUT = 16                                   # input size per step, for every size
TARGET = 2.0                                 # engine time / torch single-thread time, every cell, both counts
TORCH_DEFAULT_THREADS = torch.get_num_threads()
ROUNDS = 40
# Each figure is the fastest single call over ROUNDS interleaved rounds: a call of ~1 ms is long enough for the
# clock, and the minimum drops the calls another process's time slice landed in (on a shared 2-core machine the
# average of a batch of calls measured the load more than the code).


def fastest_call(fn, calls: int = 3) -> float:
    """Seconds of the fastest of `calls` single calls."""
    best = float("inf")
    for _ in range(calls):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def measure(cell: str, T: int, H: int, I: int = INPUT, B: int = 1) -> dict:
    """One row: engine and torch (1 thread, default threads) forward and forward+backward, in ms, and ratios."""
    torch.manual_seed(0)
    module = torch_module(cell, I, H, batch_first=True)
    net = from_torch(module)
    x = np.random.default_rng(0).standard_normal((B, T, I)).astype(np.float32)
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
    for n, fn in fns.values():               # warm up
        torch.set_num_threads(n)
        fn()
    for _ in range(ROUNDS):                  # alternating rounds: drift of the machine hits every figure alike
        for name, (n, fn) in fns.items():
            torch.set_num_threads(n)         # outside the timed calls
            t[name] = min(t[name], fastest_call(fn))
    torch.set_num_threads(TORCH_DEFAULT_THREADS)
    n = TORCH_DEFAULT_THREADS
    return {"cell": cell, "T": T, "H": H, "I": I,
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
    p.add_argument("--input", type=int, default=INPUT, help="input size per step")
    args = p.parse_args()
    sizes = [tuple(int(v) for v in s.split("x")) for s in args.sizes.split(",")]
    rows = [measure(cell, T, H, args.input) for cell in args.cells.split(",") for T, H in sizes]
    n = TORCH_DEFAULT_THREADS
    key = [r for r in rows if (r["T"], r["H"]) == KEY] or rows
    worst = {f"{what}_ratio_{threads}": max(r[f"{label} ratio ({threads})"] for r in key)
             for what, label in (("forward", "fwd"), ("backward", "fwd+bwd")) for threads in sorted({1, n})}
    figures = {**worst, "forward_ratio": worst["forward_ratio_1"], "backward_ratio": worst["backward_ratio_1"],
               "key_size": f"T={key[0]['T']} H={key[0]['H']} I={key[0]['I']} B=1", "torch_default_threads": n,
               "target": TARGET, "met": max(worst["forward_ratio_1"], worst["backward_ratio_1"]) <= TARGET,
               "rows": rows}
    text = table(rows, f"engine (1 thread) vs torch with 1 and with {n} threads; batch 1, input size {args.input}; "
                       "ratio = engine time / torch time (fwd: the engine keeps its whole trace; fwd+bwd: both sides "
                       f"forward then backward); target <= {TARGET:g} for every cell against torch's 1 thread")
    text += "\nworst cell at {}: {}".format(figures["key_size"],
                                            ", ".join(f"{k} {v:.2f}" for k, v in worst.items()))
    emit(args, figures, text)


if __name__ == "__main__":
    main()
