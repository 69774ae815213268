"""The README's notebook examples run as written, and say what they claim."""
import contextlib
import io
import re
from pathlib import Path

import numpy as np
import torch

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README, flags=re.S)


def test_the_readme_has_its_two_notebook_examples():
    blocks = python_blocks()
    assert len(blocks) == 5 and "from_torch" in blocks[0] and "rnnviz.notebook" in blocks[1]
    assert "from rnnviz.notebook import train" in blocks[2] and "from rnnviz.train import run" in blocks[3]


def test_engine_example_runs_and_matches_torch():
    scope: dict = {}
    exec(python_blocks()[0], scope)                     # noqa: S102  our own README, as a reader would paste it
    lstm, x, trace, grads = scope["lstm"], scope["x"], scope["trace"], scope["grads"]
    out, (h_n, c_n) = lstm(torch.from_numpy(x))
    np.testing.assert_allclose(trace.output, out.detach().numpy(), atol=1e-5)
    np.testing.assert_allclose(trace.h_n, h_n.detach().numpy(), atol=1e-5)
    np.testing.assert_allclose(trace.c_n, c_n.detach().numpy(), atol=1e-5)
    lstm.zero_grad()
    out.sum().backward()
    np.testing.assert_allclose(grads.params["weight_hh_l0"], lstm.weight_hh_l0.grad.numpy(), atol=1e-4)
    assert grads.dh[0][0].shape == (7, 3, 6)            # (T, B, H), as the comment says


def test_training_example_prints_the_lesson_coming_true():
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(python_blocks()[3], {})                    # noqa: S102
    lines = printed.getvalue().splitlines()
    assert len(lines) == 100 and lines[-1].split()[0] == "100"
    assert lines[-1].split()[-1] == "pple!"             # step, loss, accuracy, prediction


def test_figures_example_runs_and_draws_the_apps_figures():
    scope: dict = {}
    exec(python_blocks()[1], scope)                     # noqa: S102
    lab = scope["lab"]
    assert lab.step(2).layout.title.text.startswith("the step at t = 2 ")
    assert len(scope["maps"]) == 7                      # X, h_t, c_t and the four gates of an LSTM
    weights, outputs, path = scope["more"]
    assert len(weights) == 3 and len(outputs) == 2 and path.data
    assert "nn.LSTM" in scope["code"]


def test_notebook_training_example_shows_the_gradient_fading_in_the_rnn_only():
    printed, scope = io.StringIO(), {}
    with contextlib.redirect_stdout(printed):
        exec(python_blocks()[2], scope)                 # noqa: S102
    lines = printed.getvalue().splitlines()
    assert lines[0].startswith("RNN [01/60] loss") and lines[-1].startswith("GRU [60/60] loss")
    runs = scope["runs"]
    first = {trace.name: trace.y[0] for trace in runs.profile().data}
    assert first["LSTM"] > 100 * first["RNN"]           # "the RNN's fades, the LSTM's survives"
    assert [t.name for t in scope["maps"].data] == ["RNN", "LSTM", "GRU"]      # one figure, a panel per run
    assert list(scope["table"].columns) == ["step", "loss", "accuracy", "prediction", "target"]
    assert scope["lab"].run.trained.startswith("memory, lstm")
