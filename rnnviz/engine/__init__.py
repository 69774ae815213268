"""The inspectable engine: pure NumPy recurrent cells and networks, forward and backward."""
from .network import Network, param_name, parameter_shapes
from .registry import CELL_TABLE, CELLS, GATES, Cell, CellName, cell_spec
from .trace import Grads, LayerTrace, Trace

__all__ = ["CELLS", "CELL_TABLE", "GATES", "Cell", "CellName", "Grads", "LayerTrace", "Network", "Trace", "cell_spec",
           "param_name", "parameter_shapes"]
