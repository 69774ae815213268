"""BPTT step by step (rnnviz.engine.bptt): every part of every dL/dh_t against torch autograd.

The torch reference is written here by hand, one line per equation in PyTorch's gate order, and checked against
torch.nn's own modules first. Each use of h_t (the output, each gate of the next step, GRU's direct path) and of c_t
gets its own clone, so autograd hands each part its own gradient.
"""
import json

import numpy as np
import plotly.graph_objects as go
import pytest
import torch
from torch_oracle import assert_close

from rnnviz.bridge import to_torch
from rnnviz.engine import CELLS, GATES, Network
from rnnviz.engine.bptt import backward, head_loss, next_targets
from rnnviz.pipeline import build
from rnnviz.plots.bptt import backward_spec, explored_backward
from rnnviz.state import Config
from rnnviz.words import language

TOL = 1e-9


def torch_layer(net, x, layer=0, reverse=False):
    """One layer by hand in torch; returns h (list of h_t), the clones each use of h_t and c_t got, and c."""
    Wx, Wh, b_ih, b_hh = (torch.from_numpy(w) for w in net.weights(layer, reverse))
    T, B = x.shape[:2]
    H = net.hidden_size
    blocks = GATES[net.cell]
    h_prev = torch.zeros(B, H, dtype=x.dtype, requires_grad=True)     # h0 and c0: leaves, so their
    c_prev = torch.zeros(B, H, dtype=x.dtype, requires_grad=True)     # clones can keep a gradient
    h, c, uses, c_uses = [None] * T, [None] * T, [dict() for _ in range(T + 1)], [dict() for _ in range(T + 1)]
    order = range(T - 1, -1, -1) if reverse else range(T)
    prev = T  # index of the step whose h_t is h_prev: T stands for h0
    for t in order:
        use = {k: h_prev.clone() for k in blocks + (("direct",) if net.cell == "gru" else ())}
        for v in use.values():
            v.retain_grad()
        uses[prev] = use
        pre = {k: x[t] @ Wx[j * H:(j + 1) * H].T + b_ih[j * H:(j + 1) * H] for j, k in enumerate(blocks)}
        rec = {k: use[k] @ Wh[j * H:(j + 1) * H].T + b_hh[j * H:(j + 1) * H] for j, k in enumerate(blocks)}
        if net.cell.startswith("rnn"):
            a = pre["a"] + rec["a"]
            h_t = torch.tanh(a) if net.cell == "rnn_tanh" else torch.relu(a)
        elif net.cell == "lstm":
            i, f = torch.sigmoid(pre["i"] + rec["i"]), torch.sigmoid(pre["f"] + rec["f"])
            g, o = torch.tanh(pre["g"] + rec["g"]), torch.sigmoid(pre["o"] + rec["o"])
            c_next, c_h = c_prev.clone(), None
            c_next.retain_grad()
            c_uses[prev]["next"] = c_next
            c_t = f * c_next + i * g
            c_t.retain_grad()
            c_h = c_t.clone()
            c_h.retain_grad()
            c_uses[t]["h"] = c_h
            h_t = o * torch.tanh(c_h)
            c[t], c_prev = c_t, c_t
        else:
            r, z = torch.sigmoid(pre["r"] + rec["r"]), torch.sigmoid(pre["z"] + rec["z"])
            n = torch.tanh(pre["n"] + r * rec["n"])
            h_t = (1 - z) * n + z * use["direct"]
        h_t.retain_grad()
        h[t], h_prev, prev = h_t, h_t, t
    return h, uses, c, c_uses


def reference(net, X, W_out, b_out, targets, loss):
    """Torch: the loss on clones of each h_t; returns every part of each dL/dh_t (T, B, H) as numpy."""
    x = torch.from_numpy(X.swapaxes(0, 1).copy())
    h, uses, c, c_uses = torch_layer(net, x)
    T = len(h)
    outs = [h_t.clone() for h_t in h]
    for o in outs:
        o.retain_grad()
    logits = torch.stack(outs) @ torch.from_numpy(W_out).T + torch.from_numpy(b_out)    # (T, B, V)
    steps = [T - 1] if loss == "last" else list(range(T))
    if targets is None:
        L = torch.sigmoid(logits[steps]).sum()
    else:
        tg = torch.from_numpy(targets.T.copy())
        L = torch.nn.functional.cross_entropy(logits[steps].reshape(-1, logits.shape[-1]), tg[steps].reshape(-1),
                                              reduction="sum")
    L.backward()
    zero = torch.zeros_like(h[0])
    grad = lambda v: (v.grad if v is not None and v.grad is not None else zero).numpy()   # noqa: E731
    ref = dict(value=float(L.detach()), dh=np.stack([grad(v) for v in h]), from_out=np.stack([grad(o) for o in outs]),
               through={k: np.stack([grad(uses[t].get(k)) for t in range(T)]) for k in uses[0]})
    if net.cell == "lstm":
        ref.update(dc=np.stack([grad(v) for v in c]), dc_from_next=np.stack([grad(c_uses[t].get("next")) for t in range(T)]),
                   dc_from_h=np.stack([grad(c_uses[t].get("h")) for t in range(T)]))
    return ref, h


def setup(cell, typed, B=2, T=7, I=5, H=4, V=5, seed=0):
    rng = np.random.default_rng(seed)
    net = Network.init(cell, I, H, batch_first=True, seed=seed, scale=2.0, dtype=np.float64)
    ids = rng.integers(0, V, (B, T))
    X = np.eye(I)[ids % I] + 0.1 * rng.standard_normal((B, T, I))
    O = 3 if typed else V
    W_out, b_out = rng.standard_normal((O, H)), rng.standard_normal(O)
    return net, X, ids, W_out, b_out


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("loss", ["last", "every"])
@pytest.mark.parametrize("typed", [False, True])
def test_every_part_equals_torch(cell, loss, typed):
    net, X, ids, W_out, b_out = setup(cell, typed)
    trace = net.forward(X)
    targets = None if typed else next_targets(ids)
    got = backward(net, trace, trace.output, W_out, b_out, targets, loss)
    ref, h = reference(net, X, W_out, b_out, targets, loss)
    assert_close(np.stack([v.detach().numpy() for v in h]), trace.layers[0][0].h, TOL, "the hand-written torch h_t")
    assert abs(got.value - ref["value"]) <= TOL * max(1, abs(ref["value"])), (got.value, ref["value"])
    for name in ("dh", "from_out"):
        assert_close(getattr(got, name), ref[name], TOL, name)
    assert set(got.through) == set(ref["through"])
    for k, v in ref["through"].items():
        assert_close(got.through[k], v, TOL, f"through {k}")
    assert_close(got.from_next, sum(ref["through"].values()), TOL, "from_next")
    if cell == "lstm":
        for name in ("dc", "dc_from_next", "dc_from_h"):
            assert_close(getattr(got, name), ref[name], TOL, name)
    if loss == "last":    # the output's part reaches h_t only at the last step
        assert not got.from_out[:-1].any() and got.from_out[-1].any()


def test_hand_written_torch_layer_equals_torch_nn():
    """The reference loop above is PyTorch's own cell: its h_t equals nn.LSTM / nn.GRU / nn.RNN's output."""
    for cell in CELLS:
        net, X, *_ = setup(cell, False)
        x = torch.from_numpy(X.swapaxes(0, 1).copy())
        h, *_ = torch_layer(net, x)
        out, _ = to_torch(net).double()(torch.from_numpy(X))
        assert_close(np.stack([v.detach().numpy() for v in h]), out.detach().numpy().swapaxes(0, 1), TOL, cell)


@pytest.mark.parametrize("cell", CELLS)
def test_lower_layer_hears_the_layer_above_as_torch_does(cell):
    """Two layers, both directions: layer 0's 'from the output' part is torch's gradient of layer 0's output."""
    rng = np.random.default_rng(1)
    net = Network.init(cell, 3, 4, num_layers=2, bidirectional=True, batch_first=True, seed=1, dtype=np.float64)
    X = rng.standard_normal((2, 6, 3))
    ids = rng.integers(0, 5, (2, 6))
    W_out, b_out = rng.standard_normal((5, 8)), rng.standard_normal(5)
    trace = net.forward(X)
    top = trace.output
    module = to_torch(net).double()
    below = type(module)(3, 4, num_layers=1, bidirectional=True, batch_first=True, **net_kwargs(cell)).double()
    above = type(module)(8, 4, num_layers=1, bidirectional=True, batch_first=True, **net_kwargs(cell)).double()
    sd = module.state_dict()
    below.load_state_dict({k: v for k, v in sd.items() if "_l0" in k})
    above.load_state_dict({k.replace("_l1", "_l0"): v for k, v in sd.items() if "_l1" in k})
    mid, _ = below(torch.from_numpy(X))
    mid.retain_grad()
    out, _ = above(mid)
    logits = out @ torch.from_numpy(W_out).T + torch.from_numpy(b_out)
    L = torch.nn.functional.cross_entropy(logits.reshape(-1, 5), torch.from_numpy(next_targets(ids)).reshape(-1),
                                          reduction="sum")
    L.backward()
    for d in (0, 1):
        got = backward(net, trace, top, W_out, b_out, next_targets(ids), "every", layer=0, direction=d)
        assert_close(got.from_out, mid.grad.numpy().swapaxes(0, 1)[..., d * 4:(d + 1) * 4], TOL, f"layer 0 dir {d}")
        assert_close(got.from_out + got.from_next, got.dh, TOL, f"the parts add up, dir {d}")
        if d == 1:      # the reverse direction's next step is t − 1: at t = 0 nothing comes from it
            assert not got.from_next[0].any() and got.from_next[-1].any()


def net_kwargs(cell):
    return {"nonlinearity": "relu"} if cell == "rnn_relu" else ({"nonlinearity": "tanh"} if cell == "rnn_tanh" else {})


def test_unknown_loss_is_refused():
    net, X, ids, W_out, b_out = setup("gru", False)
    with pytest.raises(ValueError, match="loss must be one of last, every"):
        head_loss(net.forward(X).output, W_out, b_out, next_targets(ids), "first")


# --- an Explore run's backward, and its figure (rnnviz.plots.bptt) -----------------------------------------------



@pytest.mark.parametrize("enc", ["onehot", "numbers"])
def test_an_explore_runs_loss_and_output_part_equal_torch(enc):
    text = "0.1, 0.2\n0.3, 0.1\n0.5, 0.9" if enc == "numbers" else "hello world"
    ex = build(Config(text=text, enc=enc, cell="lstm", H=5, bi=True))
    module = to_torch(ex.network)
    out, _ = module(torch.from_numpy(ex.x_module))
    out.retain_grad()
    top = out if ex.network.batch_first else out.transpose(0, 1)       # (B, T, D·H)
    logits = top @ torch.from_numpy(ex.W_out).T + torch.from_numpy(ex.b_out)
    if enc == "numbers":
        L = torch.sigmoid(logits).sum()
    else:
        L = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]),
                                              torch.from_numpy(next_targets(ex.ids)).reshape(-1), reduction="sum")
    L.backward()
    d_top = out.grad.numpy() if not ex.network.batch_first else out.grad.numpy().swapaxes(0, 1)   # (T, B, D·H)
    for d in (0, 1):
        got = explored_backward(ex, "every", 0, d)
        assert abs(got.value - float(L.detach())) <= 1e-4 * max(1, abs(float(L.detach())))
        assert_close(got.from_out, d_top[..., d * 5:(d + 1) * 5], 1e-5, f"from the output, direction {d}")


def bars(spec):
    return {d["name"]: np.array([np.nan if v is None else v for v in d["y"]], float)
            for d in spec["data"] if d["type"] in ("bar", "scatter")}


@pytest.mark.parametrize("cell, want_rows", [("lstm", 7), ("gru", 4), ("rnn_tanh", 1)])   # the parts of the heatmap
def test_the_figure_shows_the_engines_split_with_t_marked(cell, want_rows):
    ex = build(Config(text="hello world", cell=cell, H=6, scale=0.5))
    t = 4
    spec = backward_spec(ex, "last", 0, 0, 0, t, False)
    bw = explored_backward(ex, "last", 0, 0)
    norm = lambda v: np.sqrt((v[:, 0].astype(np.float64) ** 2).sum(-1))   # noqa: E731
    got = bars(spec)
    out, nxt, whole = (got[k] for k in ("from the output at t", "from h<sub>t+1</sub>", "whole ‖dL/dh_t‖"))
    np.testing.assert_allclose(whole, norm(bw.dh), rtol=1e-6)
    np.testing.assert_allclose(nxt[:-1], norm(bw.from_next)[:-1], rtol=1e-6)
    assert np.isnan(out[:-1]).all() and out[-1] == pytest.approx(norm(bw.from_out)[-1])   # the loss is at the end
    assert np.isnan(nxt[-1]), "nothing comes from after the last step"
    assert whole[0] < whole[-1], "with small weights the gradient vanishes on its way back"
    heat = spec["data"][-1]
    assert len(heat["y"]) == want_rows
    first = [0.0 if v is None else v for v in heat["customdata"][0]]          # None: nothing arrives (the last t)
    np.testing.assert_allclose(first, norm(next(iter(bw.through.values()))), rtol=1e-6)
    boxes = [s for s in spec["layout"]["shapes"] if s.get("name") == "step t"]
    assert len(boxes) == 2 and all(b["x0"] == t - 0.5 for b in boxes)
    assert f"{norm(bw.dh)[t]:.3g}" in spec["layout"]["title"]["text"]
    opacity = spec["data"][0]["marker"]["opacity"]
    assert opacity[t - 1] < 1 and opacity[t] == 1, "steps the backward pass has not reached yet are pale"


def test_every_step_loss_reaches_every_output_and_both_languages():
    ex = build(Config(text="abcab", cell="gru", H=4))
    with language("ko"):
        ko = backward_spec(ex, "every", 0, 0, 0, 2, True)
    with language("en"):
        en = backward_spec(ex, "every", 0, 0, 0, 2, False)
    assert not np.isnan(bars(en)["from the output at t"]).any()
    assert "시간 역전파" in ko["layout"]["title"]["text"] and "모든 시점" in ko["layout"]["title"]["text"]
    assert "게이트" in " ".join(ko["data"][-1]["y"])
    assert ko["layout"]["font"]["size"] > en["layout"]["font"]["size"]
    go.Figure(en)                                                      # valid plotly


def test_a_lower_layer_hears_the_layer_above_and_user_text_stays_text():
    ex = build(Config(text="<b>a</b> b", tok="word", cell="rnn_tanh", H=3, L=2))
    spec = backward_spec(ex, "every", 0, 0, 0, 0, False)
    assert "from the layer above" in bars(spec)
    assert "&lt;b&gt;" in spec["layout"]["title"]["text"] and "<b>" not in spec["layout"]["title"]["text"]


def test_moving_the_backward_figure_to_t_equals_drawing_it_at_t():
    from rnnviz.plots.bptt import backward_at, backward_base
    ex = build(Config(text="hello", cell="lstm", H=3, bi=True))
    base = backward_base(ex, "last", 0, 1, 0, False)
    for t in range(5):
        moved = backward_at(base, ex, t)
        assert json.dumps(moved, sort_keys=True) == json.dumps(backward_spec(ex, "last", 0, 1, 0, t, False),
                                                               sort_keys=True)       # (NaN ≠ NaN in a plain ==)
        assert f"t = {t} " in moved["layout"]["title"]["text"]
