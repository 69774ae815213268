"""The PyTorch snippet on the page runs, and prints the engine's shapes and numbers."""
import numpy as np
import pytest
import torch

from rnnviz import export
from rnnviz.pipeline import build
from rnnviz.snippet import layout_warning, shapes, torch_code
from rnnviz.state import Config

CASES = [
    Config(),
    Config(text="hello\neolll\nlleel", batch=True, bf=False, H=2),
    Config(text="We are going to watch Avengers End Game", tok="word", enc="embedding", I=5, H=20),
    Config(text="안녕 👩‍👩‍👧 é", cell="lstm", L=2, bi=True, H=4),
    Config(text="0123456789", enc="random", I=4, H=8, init="uniform", cell="gru"),
    Config(text="abcabc", cell="rnn_relu", scale=2.5, seed=7, L=3),
    Config(text="0.1, 0.2, 0.3, 0.4\n0.2, 0.3, 0.4, 0.5\n0.3, 0.4, 0.5, 0.6", enc="numbers", H=6, out=True),  # lesson 001
    Config(text="1 -2\n3 4.5\n\n0.25 6\n7 8", enc="numbers", batch=True, bf=False, cell="lstm", H=3, out=True, O=3),
    Config(text="hello\neolll\nlleel", batch=True, bf=False, H=2, out=True, L=2, bi=True, seed=5),
    Config(text="안녕 세상 안녕", tok="word", out=True, cell="gru", H=4),
]


@pytest.mark.parametrize("config", CASES, ids=range(len(CASES)))
def test_snippet_reproduces_the_engine(config):
    ex = build(config)
    scope = {}
    exec(torch_code(ex), scope)
    np.testing.assert_allclose(scope["x"].numpy(), ex.x_module, atol=1e-6)
    np.testing.assert_allclose(scope["output"].detach().numpy(), ex.trace.output, atol=1e-5)
    np.testing.assert_allclose(scope["h_n"].detach().numpy(), ex.trace.h_n, atol=1e-5)
    listed = {name: shape for name, shape, _ in shapes(ex)}
    assert listed["output"] == tuple(scope["output"].shape)
    assert listed["h_n"] == tuple(scope["h_n"].shape)
    for name, p in scope["rnn"].named_parameters():
        assert listed[name] == tuple(p.shape)
    head = scope.get("y", scope.get("probs"))              # the output layer, when it is on: the page's numbers
    assert (head is None) == (not config.out)
    if head is not None:
        head = head.detach().numpy()
        np.testing.assert_allclose(head if config.bf else head.swapaxes(0, 1), ex.probs, atol=1e-6)


def test_lesson_batch_misreading_is_explained():
    ex = build(Config(text="hello\neolll\nlleel", batch=True, bf=False, H=2))
    message = layout_warning(ex)
    assert "T=3 timesteps of B=5 sequences" in message
    lesson = torch.nn.RNN(4, 2)(torch.from_numpy(ex.X))[0]       # what the lesson does
    assert f"output is {tuple(lesson.shape)}" in message
    assert layout_warning(build(Config(text="hello\neolll\nlleel", batch=True, bf=True))) is None


def test_exports_carry_every_array():
    ex = build(Config(cell="lstm", bi=True))
    arrays = export.trace_arrays(ex.trace)
    assert {"output", "h_n", "c_n", "l0_fwd_h", "l0_bwd_gate_f", "l0_fwd_c"} <= set(arrays)
    import io
    loaded = np.load(io.BytesIO(export.to_npz(ex.trace)))
    np.testing.assert_array_equal(loaded["l0_fwd_h"], ex.trace.layers[0][0].h)
    csv = export.to_csv(ex.trace, ex.rows).decode("utf-8-sig").splitlines()
    assert csv[0].startswith("layer,direction,t,token,batch_row,unit,h_t,c_t,i,f,g,o")
    assert len(csv) == 1 + 2 * 5 * 8


def test_csv_names_each_batch_rows_own_token():
    ex = build(Config(text="hello\neolll\nlleel", batch=True))
    lines = export.to_csv(ex.trace, ex.rows).decode("utf-8-sig").splitlines()[1:]
    first_token = {int(r.split(",")[4]): r.split(",")[3] for r in lines if r.split(",")[2] == "0"}
    assert first_token == {0: "h", 1: "e", 2: "l"}


@pytest.mark.parametrize("task", ["apple", "avengers"])
def test_snippet_of_trained_weights_loads_them_and_prints_the_page_s_numbers(task, tmp_path, monkeypatch, capsys):
    from rnnviz import weight_files as weights
    from rnnviz.train.loop import Settings, Trainer
    trainer = Trainer(Settings(task=task, steps=5))
    list(trainer.events())
    (tmp_path / weights.download_name(trainer.settings.cell)).write_bytes(weights.to_bytes(trainer))  # the download
    text, batch = weights.explore_text(trainer)
    ex = build(Config(text=text, batch=batch, out=True), weights.for_explore(trainer, task))
    monkeypatch.chdir(tmp_path)
    scope = {}
    exec(torch_code(ex), scope)
    np.testing.assert_allclose(scope["output"].numpy(), ex.trace.output, atol=1e-5)
    np.testing.assert_allclose(scope["probs"].numpy(), ex.probs, atol=1e-5)
    printed = capsys.readouterr().out
    assert f"{ex.trace.output[0, 0, 0]:.4f}" in printed          # the numbers themselves, as the page shows them


def test_snippet_comments_follow_the_language():
    from rnnviz.words import language
    ex = build(Config(text="hello\neolll\nlleel", batch=True, bf=False, H=2))
    with language("ko"):
        code = torch_code(ex)
    assert "# 한 줄이 시퀀스 하나: 배치" in code and "batch_first=False는 (T, B, I)를 받습니다" in code
    scope = {}
    exec(code, scope)                                          # still runs as it is
    np.testing.assert_allclose(scope["output"].numpy(), ex.trace.output, atol=1e-5)
