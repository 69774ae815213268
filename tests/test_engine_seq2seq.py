"""The encoder-decoder and its attention against a PyTorch reference written here: forward and every gradient."""
import numpy as np
import pytest
import torch
from torch import nn
from torch_oracle import assert_close

from rnnviz.engine.attention import ATTENTIONS
from rnnviz.engine.registry import CELLS, cell_spec
from rnnviz.engine.seq2seq import Seq2Seq, cross_entropy, seq2seq_shapes

TOL = 1e-5


class Reference(nn.Module):
    """Encoder-decoder in plain torch: nn.RNN/LSTM/GRU, Luong attention on the decoder's h_t (no input feeding)."""

    def __init__(self, cell, Vs, Vt, E, H, attention):
        super().__init__()
        spec = cell_spec(cell)
        make = getattr(nn, spec.torch_class)
        self.src_embed, self.tgt_embed = nn.Embedding(Vs, E), nn.Embedding(Vt, E)
        self.encoder = make(E, H, batch_first=True, **spec.torch_kwargs)
        self.decoder = make(E, H, batch_first=True, **spec.torch_kwargs)
        self.kind = attention
        if attention == "general":
            self.attn = nn.Linear(H, H, bias=False)
        elif attention == "additive":
            self.attn = nn.Module()
            self.attn.query, self.attn.key = nn.Linear(H, H, bias=False), nn.Linear(H, H, bias=False)
            self.attn.v = nn.Linear(H, 1, bias=False)
        if attention != "none":
            self.combine = nn.Linear(2 * H, H)
        self.out = nn.Linear(H, Vt)

    def forward(self, src, tgt_in):
        e, state = self.encoder(self.src_embed(src))                 # (B, S, H)
        h, _ = self.decoder(self.tgt_embed(tgt_in), state)            # (B, T, H)
        if self.kind == "none":
            return self.out(h), None
        if self.kind == "dot":
            score = h @ e.transpose(1, 2)
        elif self.kind == "general":
            score = h @ self.attn(e).transpose(1, 2)
        else:
            score = self.attn.v(torch.tanh(self.attn.query(h)[:, :, None] + self.attn.key(e)[:, None]))[..., 0]
        alpha = torch.softmax(score, -1)                              # (B, T, S)
        ctx = alpha @ e
        return self.out(torch.tanh(self.combine(torch.cat([ctx, h], -1)))), alpha


def pair(cell, attention, Vs=7, Vt=9, E=5, H=6, seed=0):
    torch.manual_seed(seed)
    ref = Reference(cell, Vs, Vt, E, H, attention)
    params = {n: p.detach().numpy().copy() for n, p in ref.named_parameters()}
    assert list(params) == list(seq2seq_shapes(cell, Vs, Vt, E, H, attention))      # same names, same order
    return ref, Seq2Seq(cell, Vs, Vt, E, H, attention, params)


@pytest.mark.parametrize("attention", ATTENTIONS)
@pytest.mark.parametrize("cell", CELLS)
def test_forward_and_every_gradient_equal_torch(cell, attention):
    ref, model = pair(cell, attention)
    rng = np.random.default_rng(1)
    src, tgt_in = rng.integers(0, 7, (3, 4)), rng.integers(0, 9, (3, 5))
    targets = rng.integers(0, 9, (3, 5))
    targets[0, 3:] = -100                                             # padding after a short reading: ignored
    trace = model.forward(src, tgt_in)
    loss, d_logits = cross_entropy(trace.logits, targets)
    grads, enc, dec = model.backward(trace, d_logits)

    logits, alpha = ref(torch.from_numpy(src), torch.from_numpy(tgt_in))
    ref_loss = nn.functional.cross_entropy(logits.reshape(-1, 9), torch.from_numpy(targets).reshape(-1), ignore_index=-100)
    ref.zero_grad()
    ref_loss.backward()
    assert_close(trace.logits.transpose(1, 0, 2), logits.detach().numpy(), TOL, "logits")
    assert abs(loss - ref_loss.item()) <= TOL * max(1, abs(loss)), (loss, ref_loss.item())
    if alpha is not None:
        assert_close(trace.attention.weights.transpose(1, 0, 2), alpha.detach().numpy(), TOL, "attention weights")
        np.testing.assert_allclose(trace.attention.weights.sum(-1), 1, rtol=1e-5)
    for name, p in ref.named_parameters():
        assert_close(grads[name], p.grad.numpy(), TOL * 10, f"d {name}")
    assert enc.dh[0][0].shape == (4, 3, 6) and dec.dh[0][0].shape == (5, 3, 6)     # dL/dh_t at every step


@pytest.mark.parametrize("attention", ATTENTIONS)
def test_greedy_reading_is_what_step_by_step_decoding_gives(attention):
    ref, model = pair("gru", attention)
    src = np.array([[1, 2, 3], [4, 5, 6]])
    tokens, trace = model.greedy(src, bos=0, eos=8, max_len=6)
    # step by step in torch, feeding back the argmax each time
    with torch.no_grad():
        fed = torch.zeros(2, 1, dtype=torch.long)
        for _ in range(tokens.shape[1]):
            logits, _ = ref(torch.from_numpy(src), fed)
            fed = torch.cat([fed, logits[:, -1].argmax(-1, keepdim=True)], 1)
    np.testing.assert_array_equal(tokens, fed[:, 1:].numpy())
    assert trace.logits.shape[0] == tokens.shape[1]
    np.testing.assert_array_equal(trace.logits.argmax(-1).T, tokens)


def test_attention_none_has_no_weights_and_the_context_is_the_encoders_last_state():
    _, model = pair("lstm", "none")
    trace = model.forward(np.array([[1, 2, 3]]), np.array([[0, 4]]))
    assert trace.attention.weights is None and trace.attention.context is None
    np.testing.assert_array_equal(trace.decoder.layers[0][0].h_prev[0], trace.encoder.h_n[0])


@pytest.mark.parametrize("bad", [np.array([[7]]), np.array([[-1]]), np.zeros((1, 0), int), np.array([1, 2])])
def test_bad_ids_are_refused_with_a_message(bad):
    _, model = pair("rnn_tanh", "dot")
    with pytest.raises(ValueError, match="source"):
        model.forward(bad, np.array([[0]]))


def test_a_model_learns_to_copy_with_its_own_gradients():
    """Plain SGD on the engine's gradients alone (no torch): the loss of copying 3 tokens falls by half."""
    model = Seq2Seq.init("gru", 5, 6, embed=8, hidden=16, attention="dot", seed=0)
    rng = np.random.default_rng(0)
    losses = []
    for _ in range(150):
        src = rng.integers(0, 5, (16, 3))
        tgt_in = np.concatenate([np.full((16, 1), 5), src[:, :-1]], 1)      # 5 = BOS
        trace = model.forward(src, tgt_in)
        loss, d = cross_entropy(trace.logits, src)
        grads, _, _ = model.backward(trace, d)
        for k in model.params:
            model.params[k] -= 0.5 * grads[k]
        losses.append(loss)
    assert np.mean(losses[-10:]) < 0.5 * np.mean(losses[:10]), (losses[:10], losses[-10:])
