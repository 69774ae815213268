"""The lessons' examples (../shared/lessons), reproduced through the engine and checked against torch."""
import numpy as np
import torch

from rnnviz import Network, from_torch, to_torch
from rnnviz.text import Vocab, one_hot


def test_lesson_000_uniform_weights_saturate_every_h_t_near_one():
    # timesteps 10, input 4, hidden 8, weights and inputs uniform [0, 1)
    net = Network.init("rnn_tanh", 4, 8, init="uniform", seed=0, dtype=np.float64)
    x = np.random.default_rng(0).random((10, 4))
    trace = net.forward(x)                         # unbatched, like the lesson's (T, I) loop
    assert trace.output.shape == (10, 8)
    assert trace.output[1:].min() > 0.99           # every h_t after the first is near 1
    # and it is exactly the lesson's loop
    Wx, Wh, b_ih, b_hh = net.weights(0, False)
    h = np.zeros(8)
    for t, x_t in enumerate(x):
        h = np.tanh(Wx @ x_t + Wh @ h + b_ih + b_hh)
        np.testing.assert_allclose(trace.output[t], h, atol=1e-12)


def test_lesson_000_nn_rnn_batch_first_shapes():
    module = torch.nn.RNN(5, 8, batch_first=True)
    trace = from_torch(module).forward(np.random.default_rng(0).standard_normal((1, 10, 5)).astype(np.float32))
    assert trace.output.shape == (1, 10, 8)
    assert trace.h_n.shape == (1, 1, 8)


def test_lesson_003_two_layers_bidirectional_shapes_and_values():
    module = torch.nn.RNN(input_size=5, hidden_size=8, num_layers=2, batch_first=True, bidirectional=True)
    x = np.random.default_rng(1).standard_normal((1, 10, 5)).astype(np.float32)
    trace = from_torch(module).forward(x)
    assert trace.output.shape == (1, 10, 16)
    assert trace.h_n.shape == (4, 1, 8)
    out, h_n = module(torch.from_numpy(x))
    np.testing.assert_allclose(trace.output, out.detach().numpy(), atol=1e-6)
    np.testing.assert_allclose(trace.h_n, h_n.detach().numpy(), atol=1e-6)


def test_lesson_004_hello_eolll_lleel_one_hot_batch():
    vocab = Vocab.build("helo")                         # h e l o, ids 0..3 as the lesson writes them
    batch = np.stack([one_hot(vocab.encode(w), len(vocab)) for w in ("hello", "eolll", "lleel")])
    assert batch.shape == (3, 5, 4)
    assert batch[0].argmax(-1).tolist() == [0, 1, 2, 2, 3]
    torch.manual_seed(0)
    module = torch.nn.RNN(4, 2)                          # no batch_first: torch reads (3, 5, 4) as T=3, B=5
    trace = from_torch(module).forward(batch)
    assert trace.output.shape == (3, 5, 2)
    np.testing.assert_allclose(trace.output, module(torch.from_numpy(batch))[0].detach().numpy(), atol=1e-6)


def test_lesson_003_apple_vocabulary_is_the_lessons():
    vocab = Vocab.build("apple" + "pple!", order="sorted")
    assert vocab.index == {"!": 0, "a": 1, "e": 2, "l": 3, "p": 4}
    assert vocab.encode("apple").tolist() == [1, 4, 4, 3, 2]
    assert vocab.encode("pple!").tolist() == [4, 4, 3, 2, 0]


def test_lesson_002_avengers_vocabulary_is_the_lessons():
    sentence = "We are going to watch Avengers End Game".split()
    vocab = Vocab.build(sentence, unk=True)
    assert vocab.index["<unk>"] == 0 and vocab.index["We"] == 1 and vocab.index["Game"] == 8
    assert vocab.encode(["Thor"]).tolist() == [0]


def test_round_trip_through_torch_keeps_names_and_values():
    net = Network.init("lstm", 3, 4, num_layers=2, bidirectional=True, seed=3)
    module = to_torch(net)
    assert set(module.state_dict()) == set(net.params)
    assert "bias_hh_l1_reverse" in module.state_dict()
    back = from_torch(module)
    for k in net.params:
        np.testing.assert_array_equal(back.params[k], net.params[k])
