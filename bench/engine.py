"""Engine vs torch: traced forward against torch's forward, backward against torch's forward+autograd.

    python bench/engine.py [--json] [--cells rnn_tanh,lstm,gru]
"""
import numpy as np
import torch
from common import emit, interleaved, parser, table

from rnnviz import from_torch

SIZES = [(10, 8), (100, 64), (500, 256)]
MODULES = {"rnn_tanh": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}


def measure(cell: str, T: int, H: int, B: int = 1) -> dict:
    torch.manual_seed(0)
    module = MODULES[cell](H, H, batch_first=True)
    net = from_torch(module)
    x = np.random.default_rng(0).standard_normal((B, T, H)).astype(np.float32)
    xt = torch.from_numpy(x)
    trace = net.forward(x)
    d_out = np.ones_like(trace.output)

    def torch_forward():
        with torch.no_grad():
            module(xt)

    def torch_forward_backward():
        xg = xt.clone().requires_grad_()
        module.zero_grad()
        module(xg)[0].sum().backward()

    times = interleaved({
        "engine_fwd": lambda: net.forward(x),
        "torch_fwd": torch_forward,
        "engine_bwd": lambda: net.backward(trace, d_out),
        "torch_fwd_bwd": torch_forward_backward,
    }, rounds=3, min_seconds=0.1)
    return {"cell": cell, "T": T, "H": H,
            "engine fwd ms": times["engine_fwd"] * 1e3, "torch fwd ms": times["torch_fwd"] * 1e3,
            "fwd ratio": times["engine_fwd"] / times["torch_fwd"],
            "engine bwd ms": times["engine_bwd"] * 1e3, "torch fwd+bwd ms": times["torch_fwd_bwd"] * 1e3,
            "bwd ratio": times["engine_bwd"] / times["torch_fwd_bwd"]}


def main():
    p = parser(__doc__)
    p.add_argument("--cells", default="rnn_tanh,lstm,gru")
    args = p.parse_args()
    rows = [measure(cell, T, H) for cell in args.cells.split(",") for T, H in SIZES]
    key = next(r for r in rows if (r["T"], r["H"]) == (100, 64))
    figures = {"forward_ratio": key["fwd ratio"], "backward_ratio": key["bwd ratio"],
               "torch_threads": torch.get_num_threads(),
               "rows": rows}
    text = table(rows, f"engine vs torch (batch 1, input size = H, torch threads {torch.get_num_threads()}); "
                       "ratio = engine time / torch time, target <= 3 at T=100, H=64")
    emit(args, figures, text)


if __name__ == "__main__":
    main()
