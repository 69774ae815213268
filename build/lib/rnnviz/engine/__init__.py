"""The inspectable engine: pure NumPy recurrent cells and networks, forward and backward."""
from .network import CELLS, Network, param_name, parameter_shapes
from .trace import GATES, Grads, LayerTrace, Trace

__all__ = ["CELLS", "GATES", "Grads", "LayerTrace", "Network", "Trace", "param_name", "parameter_shapes"]
