"""rnnviz: an inspectable recurrent-network engine and the lab built on it.

    >>> from rnnviz import from_torch
    >>> net = from_torch(torch.nn.LSTM(4, 6, num_layers=2, bidirectional=True, batch_first=True))
    >>> trace = net.forward(x)          # trace.output, trace.h_n, trace.c_n as torch returns them
    >>> grads = net.backward(trace, d_output)   # grads.params["weight_hh_l0"], grads.dh
"""
from .engine import CELLS, GATES, Grads, LayerTrace, Network, Trace

__all__ = ["CELLS", "GATES", "Grads", "LayerTrace", "Network", "Trace", "from_torch", "to_torch",
           "from_state_dict", "load_into"]

__version__ = "0.1.0"


def __getattr__(name):
    # torch is imported only when the bridge is used, so the engine stays importable without it.
    if name in ("from_torch", "to_torch", "from_state_dict", "load_into"):
        from . import bridge
        return getattr(bridge, name)
    raise AttributeError(f"module 'rnnviz' has no attribute {name!r}")
