"""The README's notebook examples run as written, and say what they claim."""
import contextlib
import io
import re
from pathlib import Path

import numpy as np
import torch
from apptest_helpers import decode

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def block(marker: str) -> str:
    """The README's python block that contains `marker` (another block added anywhere changes nothing here)."""
    found = [b for b in re.findall(r"```python\n(.*?)```", README, flags=re.S) if marker in b]
    assert len(found) == 1, f"one python block with {marker!r}, found {len(found)}"
    return found[0]


ENGINE, FIGURES, TRAINING, EVENTS = ("from rnnviz import from_torch", "from rnnviz.notebook import explore",
                                     "from rnnviz.notebook import train", "from rnnviz.train import run")


def test_the_readme_has_its_notebook_examples():
    for marker in (ENGINE, FIGURES, TRAINING, EVENTS):
        assert block(marker)


def test_the_readme_fits_a_newcomer():
    assert len(README.splitlines()) < 150
    assert "make run" in README and "make test" in README


def test_engine_example_runs_and_matches_torch():
    scope: dict = {}
    exec(block(ENGINE), scope)                     # noqa: S102  our own README, as a reader would paste it
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
        exec(block(EVENTS), {})                    # noqa: S102
    lines = printed.getvalue().splitlines()
    assert len(lines) == 100 and lines[-1].split()[0] == "100"
    assert lines[-1].split()[-1] == "pple!"             # step, loss, accuracy, prediction


def test_figures_example_runs_and_draws_the_apps_figures():
    scope: dict = {}
    exec(block(FIGURES), scope)                     # noqa: S102
    lab = scope["lab"]
    assert lab.step(2).layout.title.text.startswith("the step at t = 2 ")
    assert len(scope["maps"]) == 7                      # X, h_t, c_t and the four gates of an LSTM
    weights, outputs, path = scope["more"]
    assert len(weights) == 3 and len(outputs) == 2 and path.data
    assert "nn.LSTM" in scope["code"]


def test_notebook_training_example_prints_and_shows_what_the_readme_says():
    """Run as written (one torch thread, as a notebook on a busy class server would): the lines it prints, the
    accuracies and the gradient profile are those the README's comments claim, with margin on any CPU's kernels."""
    torch.set_num_threads(1)
    printed, scope = io.StringIO(), {}
    with contextlib.redirect_stdout(printed):
        exec(block(TRAINING), scope)                 # noqa: S102
    lines = printed.getvalue().splitlines()
    quoted = re.search(r'"(RNN \[01/(\d+)\] loss) …"', block(TRAINING))             # the line the README quotes
    assert quoted and lines[0].startswith(quoted[1])
    steps = [int(n) for n in re.search(r"prints the lesson's lines \(steps ([\d, ]+)\)", README)[1].split(", ")]
    for name in ("RNN", "LSTM", "GRU"):                 # each run prints the steps the README names, and only those
        assert [int(line.split("[")[1].split("/")[0]) for line in lines if line.startswith(f"{name} [")] == steps
        assert all(f"/{quoted[2]}]" in line for line in lines if line.startswith(f"{name} ["))
    runs = scope["runs"].runs
    assert runs["LSTM"].accuracies[-1] >= 0.9          # "the LSTM recalls the first token (100%)"
    assert runs["RNN"].accuracies[-1] <= 0.5           # "the RNN guesses (~25%)": 4 signals
    fade = {trace.name: decode(trace.y)[-1] / decode(trace.y)[0] for trace in scope["runs"].profile().data}
    assert fade["RNN"] > 1000 and fade["LSTM"] < 100, fade      # "the RNN's fades over 1000×, the LSTM's under 100×"
    assert [t.name for t in scope["maps"].data] == ["RNN", "LSTM", "GRU"]      # one figure, a panel per run
    assert list(scope["table"].columns) == ["step", "loss", "accuracy", "prediction", "target"]
    assert scope["lab"].run.trained.startswith("memory, lstm")
