"""The Explore figures in a notebook: the same engine numbers, with settings checked like the app's."""
import numpy as np
import pytest
from apptest_helpers import decode

from rnnviz.notebook import explore
from rnnviz.pipeline import build
from rnnviz.state import Config


def test_step_figure_shows_the_engines_numbers_at_t():
    lab = explore("hello", cell="lstm", H=8)
    fig = lab.step(2).to_plotly_json()
    lt = build(Config(text="hello", cell="lstm", H=8)).trace.layers[0][0]
    names = [a["text"] for a in fig["layout"]["annotations"]]         # what a reader sees above each column
    h = decode(fig["data"][names.index("h<sub>t</sub><br>= o·<br>tanh(c<sub>t</sub>)")]["z"]).ravel()
    np.testing.assert_allclose(h, lt.h[2, 0], atol=1e-6)
    assert fig["layout"]["title"]["text"].startswith("the step at t = 2 ")
    assert len(fig["frames"]) == 5                       # ▶ Play over every step


def test_every_figure_of_a_stacked_bidirectional_run():
    lab = explore("hello world", cell="gru", H=4, L=2, bi=True, out=True, tok="word")
    lt = lab.trace.layers[1][1]
    maps = lab.heatmaps(t=1, layer=1, direction=1)
    hidden = next(f for f in maps if f.layout.title.text.startswith("hidden states"))
    np.testing.assert_allclose(np.asarray(hidden.data[0].z, dtype=float), lt.h[:, 0].T, atol=1e-6)
    assert [f.layout.title.text.split(" ")[0] for f in lab.weights(layer=1, direction=1)] == ["Wx", "Wh", "b"]
    probs, last = lab.output(t=1)
    np.testing.assert_allclose(np.asarray(last.data[0].y, dtype=float), lab.run.probs[0, -1], atol=1e-6)
    assert lab.path(t=1).data
    assert ("h_n", (4, 1, 4)) in [(n, tuple(s)) for n, s, _ in lab.shapes()]
    assert "nn.GRU" in lab.torch_code()


@pytest.mark.parametrize("settings, message", [
    ({"H": 0}, "Hidden size must be between 1 and 256"),
    ({"hidden": 3}, "unknown setting hidden"),
    ({"cell": "transformer"}, "Ignored cell"),
])
def test_a_setting_the_app_would_refuse_raises(settings, message):
    with pytest.raises(ValueError, match=message):
        explore("hello", **settings)


def test_empty_text_raises_the_apps_message():
    with pytest.raises(ValueError, match="the text is empty"):
        explore("   ")


def test_a_layer_that_is_not_there_raises():
    with pytest.raises(ValueError, match="no layer 1"):
        explore("hello").step(0, layer=1)


def test_typed_numbers_in_a_notebook_match_torch():
    """Lesson 001's sequence, typed as numbers: the notebook's run equals nn.RNN on the same x and weights."""
    import torch

    from rnnviz import to_torch
    lab = explore("0.1, 0.2, 0.3, 0.4\n0.2, 0.3, 0.4, 0.5\n0.3, 0.4, 0.5, 0.6", enc="numbers", H=6, out=True, O=2)
    x = torch.tensor([[[0.1, 0.2, 0.3, 0.4], [0.2, 0.3, 0.4, 0.5], [0.3, 0.4, 0.5, 0.6]]])
    output, h_n = to_torch(lab.network)(x)
    np.testing.assert_allclose(lab.trace.output, output.detach().numpy(), atol=1e-6)
    y = torch.sigmoid(output @ torch.from_numpy(lab.run.W_out).T)           # lesson 001's head, no bias: (1, 3, 2)
    np.testing.assert_allclose(lab.run.probs, y.detach().numpy(), atol=1e-6)
    steps, last = lab.output(t=1)
    assert steps.layout.title.text.startswith("many-to-many: y_t = σ(W_y·h_t)") and len(last.data[0].y) == 2
    assert lab.step(2).layout.title.text.startswith("the step at t = 2 (token '0.3, 0.4, 0.5, 0.6')")


def test_training_in_a_notebook_gives_the_train_views_figures_and_weights():
    from rnnviz.notebook import train
    run = train("apple", seed=0)
    this = run.runs["this run"]
    assert this.status == "done" and this.trainer.step == 100
    table = run.predictions()
    assert table["prediction"].iloc[-1] == "pple!" and table["step"].iloc[-1] == "[100/100]"
    loss, accuracy = run.curves().data
    assert decode(loss.y)[-1] == this.losses[-1] and decode(accuracy.y)[-1] == 1.0
    heat = run.gradients()
    recorded = this.with_grads
    np.testing.assert_allclose(decode(heat.data[0].z)[-1], np.log10(recorded[-1].grad_norms))
    lab = run.explore()                                   # the trained weights, stepped through as in the app
    assert lab.run.trained and lab.run.rows == [list("apple")]
    assert "argmax reads “pple!”" in lab.output(t=4)[0].layout.title.text


def test_notebook_compare_shows_the_gradient_fading_in_the_rnn_only():
    """Lesson 002's point: after training on the memory task, the plain RNN's gradient at the first step is orders
    of magnitude below the LSTM's."""
    from rnnviz.notebook import train
    run = train("memory", compare=True, distance=20, steps=60, seed=0)
    assert list(run.runs) == ["RNN", "LSTM", "GRU"] and [t.name for t in run.gradients().data] == list(run.runs)
    first = {trace.name: decode(trace.y)[0] for trace in run.profile().data}
    assert first["LSTM"] > 100 * first["RNN"], first


@pytest.mark.parametrize("settings, message", [({"hidden": 0}, "hidden"), ({"colour": "red"}, "unknown setting colour"),
                                               ({"cell": "transformer"}, "cell")])
def test_notebook_training_refuses_bad_settings(settings, message):
    from rnnviz.notebook import train
    with pytest.raises(ValueError, match=message):
        train("apple", **settings)


def test_notebook_training_prints_the_lessons_progress_and_why_a_run_stopped(capsys):
    from rnnviz.notebook import train
    run = train("apple", seed=0)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("[01/100] loss ") and lines[-1].startswith("[100/100] loss ")
    assert lines[-1].endswith("pple!") and len(lines) == len(run.predictions())
    failed = train("apple", lr=1e6, steps=20)
    assert failed.runs["this run"].status == "failed"
    assert "The likely cause is the learning rate" in capsys.readouterr().out
    train("apple", steps=3, show=False)
    assert capsys.readouterr().out == ""


def test_korean_figures_and_progress_lines(capsys):
    from rnnviz.notebook import train
    lab = explore("안녕 hello", cell="lstm", H=3, lang="ko")
    titles = [f.layout.title.text for f in lab.heatmaps(t=1)]
    assert titles[1].startswith("은닉 상태 h_t") and any("망각 게이트 f" in t for t in titles)
    assert lab.heatmaps()[0].layout.xaxis.title.text == "시점 : 토큰"
    assert explore("hello").heatmaps()[1].layout.title.text.startswith("hidden states h_t")   # English by default
    runs = train("apple", steps=3, lang="ko")
    assert "손실" in capsys.readouterr().out
    assert runs.explore().step(1).layout.xaxis.title is not None
    with pytest.raises(ValueError, match="알 수 없는 설정입니다: colour"):
        explore("hello", lang="ko", colour="red")
    with pytest.raises(ValueError, match="lang must be one of en, ko"):
        explore("hello", lang="fr")
