"""The numbers a lesson page says, computed by the engine (never typed into its words)."""
from __future__ import annotations

import numpy as np

from ..engine import Network
from ..explored import Explored
from ..train.tasks import AVENGERS, make_task

AVENGERS_INPUT = AVENGERS.rsplit(" ", 1)[0]     # the note's model reads the sentence without its last word


def size(shape) -> str:
    """A shape as torch prints it: torch.Size([1, 10, 8])."""
    return f"torch.Size([{', '.join(str(int(n)) for n in shape)}])"


def np_shape(shape) -> str:
    """A shape as NumPy prints it: (8, 4), (8,)."""
    return str(tuple(int(n) for n in shape))


def module_shapes(I: int, H: int, B: int, T: int, L: int = 1, bi: bool = False, bf: bool = True) -> dict:
    """nn.RNN(I, H, num_layers=L, bidirectional=bi, batch_first=bf) run by the engine on an input of (B, T, I) if
    bf else (T, B, I): the shapes of outputs and _status, as the lessons print them."""
    net = Network.init("rnn_tanh", I, H, L, bi, bf)
    x = np.zeros((B, T, I) if bf else (T, B, I), dtype=np.float32)
    trace = net.forward(x)
    T_read, B_read = (x.shape[1], x.shape[0]) if bf else x.shape[:2]
    return dict(inputs=size(x.shape), outputs=size(trace.output.shape), status=size(trace.h_n.shape),
                T_read=int(T_read), B_read=int(B_read))


def layer(ex: Explored, layer: int = 0, direction: int = 0):
    return ex.trace.layers[layer][direction]


def step_numbers(ex: Explored, t: int, unit: int = 0) -> dict:
    """Unit `unit` of h_t = tanh(Wx·x_t + Wh·h_{t−1} + b) at step t, term by term."""
    lt, row = layer(ex), ex.config.row
    _, _, b_ih, b_hh = ex.network.weights(0, False)
    b = b_ih + b_hh
    return dict(t=t, unit=unit, wx=float(lt.Wx_x[t, row, unit]), wh=float(lt.Wh_h[t, row, unit]),
                b=float(b[unit]), a=float(lt.a[t, row, unit]), h=float(lt.h[t, row, unit]),
                hp=float(lt.h_prev[t, row, unit]), H=ex.network.hidden_size)


def sizes(ex: Explored) -> dict:
    """T, B, I, H, L, D of a run, and the shapes of its weights as NumPy prints them."""
    net = ex.network
    Wx, Wh, b_ih, _ = net.weights(0, False)
    return dict(T=ex.T, B=ex.B, I=net.input_size, H=net.hidden_size, L=net.num_layers, D=net.D, V=len(ex.vocab),
                Wx=np_shape(Wx.shape), Wh=np_shape(Wh.shape), b_shape=np_shape(b_ih.shape),
                X=np_shape(ex.X.shape), x_module=np_shape(ex.x_module.shape), HT=np_shape((ex.T, net.hidden_size)),
                last=ex.T - 1)


def saturation(ex: Explored) -> dict:
    """How close to 1 uniform [0, 1) weights drive every h_t after the first (lesson 000)."""
    lt = layer(ex)
    later = lt.h[1:, ex.config.row]
    return dict(h_low=float(later.min()), a_low=float(lt.a[1:, ex.config.row].min()),
                h0_low=float(lt.h[0, ex.config.row].min()), slope=float(1 - later.min() ** 2))


def head(ex: Explored) -> dict:
    """The output head y = σ(W_y·h_t) of typed vectors (lesson 001): its shape and the last step's y."""
    y = ex.probs[ex.config.row]                       # (T, O)
    return dict(Wy=np_shape(ex.W_out.shape), y_last=float(y[-1, 0]), y_first=float(y[0, 0]), O=y.shape[-1],
                y_shape=size((1, y.shape[-1])), T=ex.T, H=ex.network.hidden_size)


def gates(ex: Explored, t: int) -> dict:
    """The mean of each gate over the units at step t (LSTM i f g o, GRU r z n)."""
    lt = layer(ex)
    return {f"gate_{k}": float(v[t, ex.config.row].mean()) for k, v in lt.gates.items()} | dict(t=t)


def apple() -> dict:
    """Lesson 003's data: the sorted vocabulary, the ids of input and label, the one-hot input's shape."""
    task = make_task("apple")
    index = {tok: i for i, tok in enumerate(task.vocab.tokens)}
    return task.defaults | dict(V=len(task.vocab), char_to_index=str(index),
                x_data=str(task.inputs[0].tolist()), y_data=str(task.targets[0].tolist()),
                X_shape=size((*task.inputs.shape, len(task.vocab))), Y_shape=size(task.targets.shape))


def avengers() -> dict:
    """Lesson 002's data: the vocabulary with <unk> and the (input, target) id pairs' shape."""
    task = make_task("avengers")
    words = task.vocab.tokens
    return task.defaults | dict(V=len(task.vocab), x_shape=np_shape(task.inputs.shape), E=task.embedding_size,
                                ids=f"{words[1]} = 1 … {words[-1]} = {len(words) - 1}",      # after <unk> = 0
                                x_ids=str(task.inputs[0].tolist()),
                t_ids=str(task.targets[0].tolist()))


def one_hot_at(ex: Explored, t: int) -> dict:
    """Which row of the one-hot input lights up at step t, and its token."""
    row = ex.X[ex.config.row, t]
    i = int(row.argmax())
    return dict(t=t, index=i, token=ex.vocab.tokens[i], I=ex.X.shape[-1])


def first_right(events) -> dict | None:
    """The first training step whose prediction equals the target (lesson 003's question), from a run's events."""
    e = next((e for e in events if e.status == "ok" and e.prediction == e.target), None)
    return None if e is None else dict(first=e.step, steps=e.steps, loss=e.loss, target=e.target)
