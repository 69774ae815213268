"""The code panel prints what the page shows: after weights edited by hand (`edits=`), and for trained weights
loaded from the file the download is named (issue 21)."""
import contextlib
import io

import numpy as np
import pytest
from apptest_helpers import figure_titled, new_app, no_exception, open_tab, step_columns

from rnnviz import weight_files as weights
from rnnviz.pipeline import build
from rnnviz.snippet import torch_code
from rnnviz.state import Config
from rnnviz.train.loop import Settings, Trainer

H_T = "h_t<br>= tanh(a_t)"          # the step figure's h_t column, as a reader sees it above the column


def run_code(code: str) -> tuple[dict, str]:
    """The snippet run as pasted (real torch): its variables and what it printed."""
    scope, printed = {}, io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(code, scope)                             # noqa: S102  the page's own code panel
    return scope, printed.getvalue()


def test_the_code_panel_after_hand_edits_prints_the_h_t_on_the_page():
    at = new_app(text="hello", H="3", t="2", edits="Wh0.1=0.5,b2=-1,Wx1.0=2")
    no_exception(at)
    shown = step_columns(figure_titled(at, "the step at t = 2"))[H_T]          # h_2 as the page draws it
    open_tab(at, "Shapes & PyTorch code")
    no_exception(at)
    code = next(c.value for c in at.get("code") if "import torch" in c.value)
    scope, printed = run_code(code)
    h_2 = scope["output"][0, 2].numpy()                                         # batch_first: (B, T, H)
    np.testing.assert_allclose(h_2, shown, atol=1e-5)
    for value in shown:                                # the printout itself, as torch prints it (4 decimals)
        assert f"{value:.4f}" in printed, (value, printed)
    assert "edited by hand" in " ".join(c.value for c in at.get("caption"))


@pytest.mark.parametrize("config", [
    Config(text="hello", H=3, edits="Wh=0"),                                   # a whole matrix
    Config(text="hello", H=3, edits="b=0.5,Wh1.2=-3"),                         # the whole bias, then one weight
    Config(text="abcab", cell="lstm", H=2, L=2, bi=True, edits="Wx7.0=1.5@1r,b3=2@1,Wh0.1=-1"),   # gate rows, layers
    Config(text="hello\neolll", batch=True, bf=False, cell="gru", H=2, out=True, edits="Wh5.1=4"),
    Config(text="hello", H=3, edits="Wh0.0=1,Wh99.0=1,Wx0.0=2@3"),            # two the page skips (a note each)
    Config(text="hello", H=3, edits="Wq=1"),                                   # unreadable: the page applies none
], ids=["whole", "bias", "lstm-layers", "gru-batch", "skipped", "unreadable"])
def test_the_snippet_sets_the_edited_weights_as_the_page_does(config):
    ex = build(config)
    scope, _ = run_code(torch_code(ex))
    np.testing.assert_allclose(scope["output"].numpy(), ex.trace.output, atol=1e-5)
    np.testing.assert_allclose(scope["h_n"].numpy(), ex.trace.h_n, atol=1e-5)
    for name, p in scope["rnn"].named_parameters():                     # every weight, edited or not
        np.testing.assert_allclose(p.detach().numpy(), ex.network.params[name], atol=1e-6, err_msg=name)


def train_view_run():
    return Trainer(Settings(task="apple", cell="lstm", steps=5))


def text_lab_run():
    from rnnviz.train.charrnn import CharTrainer
    return CharTrainer(Settings(task="text", text='hello world, (quoted) "text"\n' * 20, cell="gru", hidden=8, steps=3))


@pytest.mark.parametrize("make", [train_view_run, text_lab_run], ids=["train-view", "text-lab"])
def test_trained_weights_load_from_the_downloads_name_with_the_pages_edits(make, tmp_path, monkeypatch):
    trainer = make()
    list(trainer.events())
    name = weights.download_name(trainer.settings.cell)                 # the name the download gives
    (tmp_path / name).write_bytes(weights.to_bytes(trainer))           # the download's bytes, saved as a browser does
    trained = weights.for_explore(trainer, "trained")
    text = weights.explore_text(trainer)[0][:40]
    ex = build(Config(text=text, out=True, edits="Wh0.1=0.5,b4=-1"), trained)
    monkeypatch.chdir(tmp_path)
    scope, printed = run_code(torch_code(ex))
    np.testing.assert_allclose(scope["output"].numpy(), ex.trace.output, atol=1e-5)
    np.testing.assert_allclose(scope["probs"].numpy(), ex.probs, atol=1e-5)
    assert not np.allclose(ex.trace.output, build(Config(text=text, out=True), trained).trace.output)
    assert f"{ex.trace.output[0, -1, 0]:.4f}" in printed


def test_every_weights_download_is_named_as_the_snippet_loads_it():
    """Issue 21: the Train view saved 'rnnviz-apple-lstm.safetensors' while the snippet loaded another name. Every
    download button of weights in the page names its file by weight_files.download_name, the snippet's name."""
    import ast
    from pathlib import Path
    found, wrong = [], []
    for path in sorted((Path(__file__).resolve().parents[1] / "rnnviz" / "ui").glob("*.py")):
        for call in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(call, ast.Call) and getattr(call.func, "attr", "") == "download_button"):
                continue
            source = ast.unparse(call)
            if "to_bytes" not in source:             # CSV and other downloads
                continue
            found.append(f"{path.name}:{call.lineno}")
            name = call.args[2] if len(call.args) > 2 else next((k.value for k in call.keywords if k.arg == "file_name"), None)
            if not (isinstance(name, ast.Call) and ast.unparse(name.func).endswith("download_name")):
                wrong.append(f"{path.name}:{call.lineno}: {ast.unparse(name) if name else None}")
    assert len(found) >= 2, found                    # the Train view's and the text lab's
    assert not wrong, wrong
