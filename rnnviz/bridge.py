"""The one place where the engine meets torch: modules and state_dicts in, modules out."""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import torch

from .engine import Network
from .engine.registry import CELL_TABLE, CellName, cell_spec

_MODES: dict[str, CellName] = {c.torch_mode: name for name, c in CELL_TABLE.items()}   # torch's RNNBase.mode


def torch_module(cell: str, input_size: int, hidden_size: int, **kwargs: object) -> torch.nn.RNNBase:
    """A new torch.nn.RNN / LSTM / GRU for a cell of the registry (kwargs: num_layers, batch_first, ...)."""
    spec = cell_spec(cell)
    return getattr(torch.nn, spec.torch_class)(input_size, hidden_size, **spec.torch_kwargs, **kwargs)


def cell_of(module: torch.nn.RNNBase) -> CellName:
    """The registry's cell name for an nn.RNN / nn.LSTM / nn.GRU."""
    if not isinstance(module, torch.nn.RNNBase) or module.mode not in _MODES:
        raise TypeError(f"expected torch.nn.RNN, LSTM or GRU, got {type(module).__name__}")
    return _MODES[module.mode]


def from_torch(module: torch.nn.RNNBase) -> Network:
    """An engine Network with the module's settings and a copy of its weights."""
    cell = cell_of(module)
    if getattr(module, "proj_size", 0):
        raise ValueError("LSTM with proj_size is not supported by the engine")
    if getattr(module, "dropout", 0) and module.num_layers > 1 and module.training:
        raise ValueError("dropout between layers is random in training mode: call module.eval() first")
    return from_state_dict(module.state_dict(), cell=cell, input_size=module.input_size,
                           hidden_size=module.hidden_size, num_layers=module.num_layers,
                           bidirectional=module.bidirectional, batch_first=module.batch_first, bias=module.bias)


def from_state_dict(state_dict: Mapping[str, torch.Tensor | np.ndarray], cell: CellName, input_size: int,
                    hidden_size: int, num_layers: int = 1, bidirectional: bool = False, batch_first: bool = False,
                    bias: bool = True) -> Network:
    """An engine Network from a state_dict (tensors or arrays) and the module's settings."""
    params = {k: v.detach().cpu().numpy().copy() if isinstance(v, torch.Tensor) else np.array(v)
              for k, v in state_dict.items()}
    return Network(cell, input_size, hidden_size, num_layers, bidirectional, batch_first, bias, params)


def to_torch(net: Network) -> torch.nn.RNNBase:
    """A new nn.RNN / nn.LSTM / nn.GRU holding the engine's weights, in the engine's dtype."""
    module = torch_module(net.cell, net.input_size, net.hidden_size, num_layers=net.num_layers,
                          bidirectional=net.bidirectional, batch_first=net.batch_first, bias=net.bias)
    module = module.to(torch.float64 if net.dtype == np.float64 else torch.float32)
    load_into(net, module)
    return module


def load_into(net: Network, module: torch.nn.RNNBase) -> None:
    """Write the engine's weights into an existing module (names unchanged)."""
    if cell_of(module) != net.cell:
        raise ValueError(f"cannot load {net.cell} weights into a {cell_of(module)} module")
    state = {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in net.params.items()}
    module.load_state_dict(state, strict=True)
