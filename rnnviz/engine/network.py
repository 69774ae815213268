"""A stack of recurrent layers in NumPy that returns what torch.nn.RNN / LSTM / GRU return.

Weights are stored under PyTorch's names (`weight_ih_l0`, `bias_hh_l1_reverse`) in
PyTorch's layout, so a `state_dict` moves in and out unchanged:
    weight_ih_l{k}  (G·H, I)   = Wx      weight_hh_l{k}  (G·H, H) = Wh
    bias_ih_l{k}    (G·H,)     = b_ih    bias_hh_l{k}    (G·H,)   = b_hh
with G = 1 (RNN), 4 (LSTM: i f g o), 3 (GRU: r z n).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np

from . import cells
from .registry import CellName, cell_spec
from .trace import Grads, LayerTrace, Trace

MAX_SIZE = 4096  # a guard against typos, not a tuning limit


def param_name(kind: str, layer: int, reverse: bool) -> str:
    """('weight_ih', 1, True) -> 'weight_ih_l1_reverse', as PyTorch names it."""
    return f"{kind}_l{layer}{'_reverse' if reverse else ''}"


def parameter_shapes(cell: CellName, input_size: int, hidden_size: int, num_layers: int,
                     bidirectional: bool, bias: bool) -> dict[str, tuple[int, ...]]:
    """Every parameter's name and shape, in PyTorch's named_parameters() order."""
    H, GH, D = hidden_size, cell_spec(cell).G * hidden_size, 2 if bidirectional else 1
    shapes: dict[str, tuple[int, ...]] = {}
    for layer in range(num_layers):
        for reverse in (False, True)[:D]:
            shapes[param_name("weight_ih", layer, reverse)] = (GH, input_size if layer == 0 else D * H)
            shapes[param_name("weight_hh", layer, reverse)] = (GH, H)
            if bias:
                shapes[param_name("bias_ih", layer, reverse)] = (GH,)
                shapes[param_name("bias_hh", layer, reverse)] = (GH,)
    return shapes


def _check_size(name: str, value: object, low: int = 1, high: int = MAX_SIZE) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not low <= value <= high:
        raise ValueError(f"{name} must be a whole number between {low} and {high}, got {value!r}")
    return int(value)


@dataclass
class Network:
    """Settings plus parameters of a recurrent network; `forward` and `backward` do the work."""

    cell: CellName
    input_size: int
    hidden_size: int
    num_layers: int
    bidirectional: bool
    batch_first: bool
    bias: bool
    params: dict[str, np.ndarray]

    def __post_init__(self) -> None:
        cell_spec(self.cell)
        _check_size("input size", self.input_size)
        _check_size("hidden size", self.hidden_size)
        _check_size("number of layers", self.num_layers, 1, 64)
        expected = self.expected_shapes()
        missing = sorted(set(expected) - set(self.params))
        extra = sorted(set(self.params) - set(expected))
        if missing or extra:
            raise ValueError(
                "weights do not fit this network: "
                + (f"missing {', '.join(missing)}" if missing else "")
                + ("; " if missing and extra else "")
                + (f"unexpected {', '.join(extra)}" if extra else ""))
        for name, shape in expected.items():
            got = tuple(np.shape(self.params[name]))
            if got != shape:
                raise ValueError(f"{name} should have shape {shape}, got {got}")
        dtype = np.result_type(*[np.asarray(p) for p in self.params.values()], np.float32)
        self.params = {k: np.ascontiguousarray(v, dtype=dtype) for k, v in self.params.items()}

    # --- shapes and construction -------------------------------------------

    @property
    def D(self) -> int:
        return 2 if self.bidirectional else 1

    @property
    def G(self) -> int:
        return cell_spec(self.cell).G

    @property
    def dtype(self) -> np.dtype:
        return next(iter(self.params.values())).dtype

    def layer_input_size(self, layer: int) -> int:
        return self.input_size if layer == 0 else self.D * self.hidden_size

    def expected_shapes(self) -> dict[str, tuple[int, ...]]:
        """Every parameter's name and shape, in named_parameters() order."""
        return parameter_shapes(self.cell, self.input_size, self.hidden_size, self.num_layers,
                                self.bidirectional, self.bias)

    @classmethod
    def init(cls, cell: CellName = "rnn_tanh", input_size: int = 4, hidden_size: int = 8, num_layers: int = 1,
             bidirectional: bool = False, batch_first: bool = False, bias: bool = True, seed: int = 0,
             scale: float = 1.0, init: str = "pytorch", dtype: type = np.float32) -> Network:
        """Fresh weights: PyTorch's U(-1/√H, 1/√H) ('pytorch') or the lesson's U[0, 1) ('uniform'), times scale."""
        if init not in ("pytorch", "uniform"):
            raise ValueError(f"init must be 'pytorch' or 'uniform', got {init!r}")
        if not np.isfinite(scale):
            raise ValueError(f"weight scale must be a finite number, got {scale!r}")
        cell_spec(cell)
        rng = np.random.default_rng(seed)
        k = 1.0 / np.sqrt(_check_size("hidden size", hidden_size))
        shapes = parameter_shapes(cell, _check_size("input size", input_size), hidden_size,
                                  _check_size("number of layers", num_layers, 1, 64), bidirectional, bias)
        draw = (lambda shape: rng.uniform(-k, k, shape)) if init == "pytorch" else rng.random
        params: dict[str, np.ndarray] = {name: (scale * draw(shape)).astype(dtype) for name, shape in shapes.items()}
        return cls(cell, input_size, hidden_size, num_layers, bidirectional, batch_first, bias, params)

    def weights(self, layer: int, reverse: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(Wx, Wh, b_ih, b_hh) of one layer and direction; zero biases when bias=False."""
        Wx = self.params[param_name("weight_ih", layer, reverse)]
        Wh = self.params[param_name("weight_hh", layer, reverse)]
        if self.bias:
            return Wx, Wh, self.params[param_name("bias_ih", layer, reverse)], \
                self.params[param_name("bias_hh", layer, reverse)]
        zeros = np.zeros(Wx.shape[0], dtype=self.dtype)
        return Wx, Wh, zeros, zeros

    # --- forward -------------------------------------------------------------

    def _time_major(self, x: np.ndarray, name: str, size: int, batched_ndim: int = 3) -> tuple[np.ndarray, bool]:
        x = np.asarray(x)
        if x.ndim not in (batched_ndim - 1, batched_ndim):
            raise ValueError(f"{name} must have {batched_ndim - 1} or {batched_ndim} dimensions, got shape {x.shape}")
        if x.shape[-1] != size:
            raise ValueError(f"{name} has {x.shape[-1]} features per step but the network expects {size}")
        batched = x.ndim == batched_ndim
        if not batched:
            x = x[:, None]
        elif self.batch_first:
            x = x.swapaxes(0, 1)
        return np.asarray(x, dtype=self.dtype), batched

    def _initial_state(self, s: object, name: str, B: int, batched: bool) -> np.ndarray:
        shape = (self.num_layers * self.D, B, self.hidden_size)
        if s is None:
            return np.zeros(shape, dtype=self.dtype)
        s = np.asarray(s, dtype=self.dtype)
        if not batched:
            s = s[:, None] if s.ndim == 2 else s
        if s.shape != shape:
            raise ValueError(f"{name} should have shape {shape if batched else (shape[0], shape[2])}, got {np.shape(s)}")
        return s

    def forward(self, x: np.ndarray, h0: np.ndarray | None = None, c0: np.ndarray | None = None) -> Trace:
        """Run the whole sequence; return PyTorch's (output, h_n, c_n) and every intermediate."""
        xs, batched = self._time_major(x, "input", self.input_size)
        T, B = xs.shape[:2]
        if T == 0:
            raise ValueError("the input sequence is empty: it needs at least one timestep")
        h0 = self._initial_state(h0, "h0", B, batched)
        c0 = self._initial_state(c0, "c0", B, batched) if cell_spec(self.cell).has_c else None
        layers: list[list[LayerTrace]] = []
        last_h: list[np.ndarray] = []
        last_c: list[np.ndarray] = []
        layer_input = xs
        for layer in range(self.num_layers):
            directions = []
            for d, reverse in enumerate((False, True)[:self.D]):
                k = layer * self.D + d
                lt = self._run_layer(layer_input, layer, reverse, h0[k], None if c0 is None else c0[k])
                directions.append(lt)
                last = 0 if reverse else T - 1
                last_h.append(lt.h[last])
                if lt.c is not None:
                    last_c.append(lt.c[last])
            layers.append(directions)
            layer_input = np.concatenate([lt.h for lt in directions], axis=-1) if self.D == 2 else directions[0].h
        output = layer_input
        h_n = np.stack(last_h)
        c_n = np.stack(last_c) if last_c else None
        if not batched:
            output, h_n = output[:, 0], h_n[:, 0]
            c_n = None if c_n is None else c_n[:, 0]
        elif self.batch_first:
            output = output.swapaxes(0, 1)
        return Trace(output=output, h_n=h_n, c_n=c_n, layers=layers, batch_first=self.batch_first, batched=batched)

    def _run_layer(self, x: np.ndarray, layer: int, reverse: bool, h: np.ndarray, c: np.ndarray | None) -> LayerTrace:
        """One layer in one direction over the whole sequence: its cell's loop fills the trace."""
        spec = cell_spec(self.cell)
        Wx, Wh, b_ih, b_hh = self.weights(layer, reverse)
        T, B = x.shape[:2]
        Wx_x = (x.reshape(T * B, -1) @ Wx.T).reshape(T, B, -1)   # every timestep in one matmul (one, not T)
        make = partial(LayerTrace, cell=self.cell, layer=layer, reverse=reverse, x=x, Wx_x=Wx_x, b_ih=b_ih, b_hh=b_hh)
        return cells.FORWARD[spec.torch_class](make, spec, reverse, Wx_x + b_ih, Wh, b_hh, h, c)

    __call__ = forward

    # --- backward ------------------------------------------------------------

    def backward(self, trace: Trace, d_output: np.ndarray | None = None, dh_n: np.ndarray | None = None,
                 dc_n: np.ndarray | None = None) -> Grads:
        """Backpropagation through time: gradients of every parameter, the input, h0/c0 and each h_t."""
        T, B, H, D = trace.T, trace.B, self.hidden_size, self.D
        state_shape = (self.num_layers * D, B, H)
        d_out = np.zeros((T, B, D * H), self.dtype) if d_output is None else np.asarray(d_output, self.dtype)
        if d_output is not None:
            want = trace.output.shape
            if d_out.shape != want:
                raise ValueError(f"d_output should have the output's shape {want}, got {d_out.shape}")
            d_out = d_out[:, None] if not trace.batched else (d_out.swapaxes(0, 1) if trace.batch_first else d_out)
        dh_n = self._grad_state(dh_n, trace, state_shape, "dh_n")
        has_c = cell_spec(self.cell).has_c
        dc_n = self._grad_state(dc_n, trace, state_shape, "dc_n") if has_c else None
        params: dict[str, np.ndarray] = {}
        dh0, dc0 = np.zeros(state_shape, self.dtype), np.zeros(state_shape, self.dtype)
        dh_all: list[list[np.ndarray]] = [[] for _ in range(self.num_layers)]     # [layer][direction]
        dc_all: list[list[np.ndarray]] | None = [[] for _ in range(self.num_layers)] if has_c else None
        for layer in reversed(range(self.num_layers)):
            d_in = np.zeros((T, B, self.layer_input_size(layer)), self.dtype)
            for d in range(D):
                k = layer * D + d
                lt = trace.layers[layer][d]
                out = self._back_layer(lt, d_out[..., d * H:(d + 1) * H], dh_n[k], None if dc_n is None else dc_n[k])
                dgi, dgh, dh_steps, dc_steps, dh0[k], dc_first = out
                Wx, Wh, _, _ = self.weights(layer, lt.reverse)
                GH = dgi.shape[-1]
                params[param_name("weight_ih", layer, lt.reverse)] = dgi.reshape(-1, GH).T @ lt.x.reshape(T * B, -1)
                params[param_name("weight_hh", layer, lt.reverse)] = dgh.reshape(-1, GH).T @ lt.h_prev.reshape(T * B, -1)
                if self.bias:
                    params[param_name("bias_ih", layer, lt.reverse)] = dgi.sum(axis=(0, 1))
                    params[param_name("bias_hh", layer, lt.reverse)] = dgh.sum(axis=(0, 1))
                d_in += (dgi.reshape(T * B, GH) @ Wx).reshape(d_in.shape)   # one matmul for every t
                dh_all[layer].append(dh_steps)
                if dc_all is not None and dc_steps is not None:
                    dc_all[layer].append(dc_steps)
                    dc0[k] = dc_first
            d_out = d_in
        dx = d_out
        if not trace.batched:
            dx, dh0, dc0 = dx[:, 0], dh0[:, 0], dc0[:, 0]
        elif self.batch_first:
            dx = dx.swapaxes(0, 1)
        ordered = {name: params[name] for name in self.expected_shapes()}
        return Grads(params=ordered, x=dx, h0=dh0, c0=dc0 if has_c else None, dh=dh_all, dc=dc_all)

    def _grad_state(self, g: np.ndarray | None, trace: Trace, shape: tuple[int, ...], name: str) -> np.ndarray:
        if g is None:
            return np.zeros(shape, self.dtype)
        g = np.asarray(g, self.dtype)
        if not trace.batched and g.ndim == 2:
            g = g[:, None]
        if g.shape != shape:
            raise ValueError(f"{name} should have shape {shape}, got {g.shape}")
        return g

    def _back_layer(self, lt: LayerTrace, d_out: np.ndarray, dh_next: np.ndarray, dc_next: np.ndarray | None
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None, np.ndarray, np.ndarray | None]:
        """dL/d(Wx·x_t + b_ih), dL/d(Wh·h_prev + b_hh), dL/dh_t, dL/dc_t (LSTM), dL/dh0 and dL/dc0 of one layer."""
        _, Wh, _, _ = self.weights(lt.layer, lt.reverse)
        return cells.BACKWARD[cell_spec(self.cell).torch_class](lt, Wh, d_out, dh_next, dc_next)
