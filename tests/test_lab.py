"""The text lab's trainer: char-rnn over windows with the state carried, sampling, and the engine's activations."""
import time

import numpy as np
import pytest
import torch

from rnnviz.engine.registry import cell_spec
from rnnviz.lab.corpus import generate
from rnnviz.lab.runs import lab_run
from rnnviz.text import graphemes
from rnnviz.train import Settings, Trainer, loop
from rnnviz.train.activations import CHUNK
from rnnviz.train.charrnn import CharTrainer, LabEvent
from rnnviz.train.runner import Pool, Refused
from rnnviz.words import Problem, language

CORPUS = generate(6_000, seed=0).text
KOREAN = "안녕하세요. 오늘은 순환 신경망을 배웁니다. 은닉 상태가 시점마다 바뀝니다. " * 8


@pytest.fixture(scope="module")
def trained():
    torch.set_num_threads(1)
    trainer = Trainer(Settings(task="lab", text=CORPUS, cell="lstm", hidden=32, steps=60, seed=0, lr=1e-2))
    events = list(trainer.events())
    return trainer, events


def test_the_public_api_trains_the_lab_task_with_char_rnn_and_keeps_the_lessons_loop(trained):
    trainer, events = trained
    assert isinstance(trainer, CharTrainer) and isinstance(Trainer(Settings(task="apple")), loop.Trainer)
    assert [e.step for e in events] == list(range(1, 61)) and all(isinstance(e, LabEvent) for e in events)
    assert all(e.status == "ok" and np.isfinite(e.bpc) for e in events)
    held = [e.held_bpc for e in events if e.held_bpc is not None]
    assert events[0].held_bpc is not None and events[-1].held_bpc is not None
    assert held[-1] < held[0] - 1.0                           # bits per character on text never trained on fall
    assert events[-1].sample is not None                       # the last step writes from the fixed prompt


def test_windows_carry_the_hidden_state_and_start_again_at_the_streams_end():
    trainer = CharTrainer(Settings(task="text", text=CORPUS, cell="gru", hidden=8, steps=3, seed=0), window=16)
    assert trainer.state is None
    inputs, targets = trainer.window_at(0)
    assert inputs.shape == (16, 16) and torch.equal(inputs[:, 1:], targets[:, :-1])
    list(trainer.events())
    assert trainer.pos == 48 and trainer.state is not None and not trainer.state.requires_grad
    windows = (trainer.streams.shape[1] - 1) // 16            # the windows of one pass over the streams
    trainer.settings = Settings(**{**trainer.settings.__dict__, "steps": windows + 1})
    list(trainer.events())
    assert trainer.pos == 16                                  # wrapped to the start, state zeroed, one window on


def test_training_resumes_where_it_stopped(trained):
    a = CharTrainer(Settings(task="text", text=CORPUS, cell="lstm", hidden=16, steps=6, seed=3))
    b = CharTrainer(Settings(task="text", text=CORPUS, cell="lstm", hidden=16, steps=6, seed=3))
    for event in a.events():                                  # a slice of the pool: stop after step 2, go on later
        if event.step == 2:
            break
    list(a.events())
    list(b.events())
    assert a.step == b.step == 6
    for p, q in zip(a.params, b.params):
        assert torch.equal(p, q)


def test_sampling_is_seeded_and_temperature_zero_takes_the_most_likely_character(trained):
    trainer, _ = trained
    one = trainer.sample('gate "', length=50, temperature=1.0, seed=1)
    assert one == trainer.sample('gate "', length=50, temperature=1.0, seed=1)
    assert one != trainer.sample('gate "', length=50, temperature=1.0, seed=2)
    assert len(graphemes(one)) == 50
    greedy = trainer.sample("alpha", length=5, temperature=0)
    text = "alpha"
    for ch in greedy:                                         # each is the top of the next-character bars
        assert trainer.next_chars(text, k=3)[0][0] == ch
        text += ch
    assert trainer.sample("alpha", length=30, temperature=1.0, top_k=1, seed=5) == trainer.sample(
        "alpha", length=30, temperature=0)
    probs = [p for _, p in trainer.next_chars("alpha", k=len(trainer.vocab))]
    assert probs == sorted(probs, reverse=True) and abs(sum(probs) - 1) < 1e-4


def test_activations_come_from_the_engine_and_equal_torch_across_chunks(trained):
    trainer, _ = trained
    text = CORPUS[:CHUNK + 500]                               # longer than one engine chunk: the state is carried
    acts = trainer.activations(text)
    T = len(graphemes(text))
    assert acts.h.shape == (1, T, 32) and acts.c.shape == (1, T, 32) and set(acts.gates) == set(cell_spec("lstm").gates)
    ids = torch.tensor([[trainer.vocab.index.get(c, 0) for c in graphemes(text)]])
    with torch.no_grad():
        output, _ = trainer.model.rnn(trainer.model.embed(ids))
    np.testing.assert_allclose(acts.h[0], output[0].numpy(), atol=2e-5)
    assert ((acts.gates["f"] > 0) & (acts.gates["f"] < 1)).all()


def test_two_layers_give_every_layer_its_units():
    trainer = CharTrainer(Settings(task="text", text=CORPUS, cell="rnn_tanh", hidden=12, layers=2, steps=1))
    acts = trainer.activations("alpha (beta)")
    assert acts.h.shape == (2, 12, 12) and acts.c is None and acts.gates == {} and acts.kinds == ("h",)


def test_korean_is_trained_syllable_by_syllable():
    trainer = CharTrainer(Settings(task="text", text=KOREAN, cell="lstm", hidden=16, steps=5, seed=0))
    assert "안" in trainer.vocab.tokens and "ㅇ" not in trainer.vocab.tokens
    assert all(t == "<unk>" or len(t) == 1 for t in trainer.vocab.tokens)
    list(trainer.events())
    written = trainer.sample("오늘은", length=20, temperature=1.0, seed=0)
    assert len(written) == 20 and set(written) <= set(KOREAN)


@pytest.mark.parametrize("bad, words", [
    (dict(hidden=513), "between 1 and 512"), (dict(layers=4), "between 1 and 3"), (dict(lr=float("nan")), "nan"),
    (dict(cell="transformer"), "transformer"), (dict(text="too short"), "at least 50"), (dict(text="   "), "empty")])
def test_settings_the_lab_cannot_train_are_refused_with_a_message(bad, words):
    settings = Settings(**{**dict(task="lab", text=CORPUS), **bad})
    with pytest.raises(Problem) as caught:
        Trainer(settings)
    assert words in str(caught.value)
    with language("ko"):
        assert str(caught.value) != "" and any("가" <= ch <= "힣" for ch in str(caught.value))


def test_sampling_settings_out_of_range_are_refused(trained):
    trainer, _ = trained
    for bad in (dict(temperature=-1), dict(length=0), dict(top_k=101), dict(temperature=float("inf"))):
        with pytest.raises(Problem):
            trainer.sample("a", **bad)


def test_a_blown_up_loss_stops_training_and_keeps_the_last_good_weights():
    trainer = CharTrainer(Settings(task="text", text=CORPUS, cell="rnn_relu", hidden=32, steps=50, seed=0,
                                   optimizer="sgd", lr=10.0))
    events = list(trainer.events())
    assert events[-1].status == "nan" and len(events) < 50
    assert "learning rate" in str(events[-1].message)
    assert all(torch.isfinite(p).all() for p in trainer.params)


def test_a_lab_run_trains_in_the_shared_pool_within_the_session_budget():
    pool = Pool(workers=1)
    try:
        run = lab_run(Settings(task="text", text=CORPUS, cell="lstm", hidden=16, steps=20, seed=0))
        pool.start([run], "student")
        deadline = time.monotonic() + 60
        while run.status != "done":
            assert time.monotonic() < deadline, "waited 60 s for the lab run to finish"
            time.sleep(0.05)
        assert list(run.steps) == list(range(1, 21)) and run.trainer.step == 20
        huge = lab_run(Settings(task="text", text=CORPUS, cell="lstm", hidden=512, layers=3, steps=100_000))
        with pytest.raises(Refused):
            pool.start([huge], "student")
        assert huge.status == "new"
    finally:
        pool.shutdown()


def test_lab_weights_download_and_upload_as_safetensors(trained):
    from rnnviz import weight_files as weights
    trainer, _ = trained
    data = weights.to_bytes(trainer)
    again = weights.from_bytes(data, make=CharTrainer)
    assert isinstance(again, CharTrainer) and again.vocab == trainer.vocab
    for (k, v), (k2, v2) in zip(trainer.snapshot().items(), again.snapshot().items()):
        assert k == k2 and torch.equal(v, v2)
    assert again.sample("alpha", length=40, seed=3) == trainer.sample("alpha", length=40, seed=3)
    with pytest.raises(ValueError):
        weights.from_bytes(data[:-10], make=CharTrainer)


def test_the_trained_lab_model_opens_in_the_explore_engine(trained):
    from rnnviz import weight_files as weights
    trainer, _ = trained
    handed = weights.for_explore(trainer, "lab")
    text, batch = weights.explore_text(trainer)
    assert not batch and text == CORPUS[:500]
    assert handed.network.hidden_size == 32 and handed.vocab == trainer.vocab and handed.W_out.shape == (len(trainer.vocab), 32)


def test_the_notebook_gets_the_lab_too():
    from rnnviz.notebook import text_lab
    lab = text_lab(corpus=True, cell="lstm", hidden=16, steps=20, seed=0, lang="ko")
    assert [e.step for e in lab.events] == list(range(1, 21))
    fig = lab.curves().to_dict()
    assert fig["layout"]["title"]["text"].startswith("문자당 비트") and len(fig["data"][0]["x"]) == 20
    table = lab.rank("quote")
    assert len(table) == 16 and abs(table.r.iloc[0]) >= abs(table.r.iloc[-1])
    passage = lab.passage(int(table.unit.iloc[0])).to_dict()
    assert passage["data"][0]["type"] == "heatmap"
    assert len(lab.sample("alpha", length=30, seed=1)) == 30


def test_the_readme_lab_example_runs_as_written():
    import re
    from pathlib import Path
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```python\n(.*?)```", readme, flags=re.S) if "Trainer, Settings" in b)
    scope: dict = {}
    exec(block, scope)                                   # noqa: S102  our own README, as a reader would paste it
    acts, trainer = scope["acts"], scope["trainer"]
    assert isinstance(trainer, CharTrainer) and trainer.step == 60
    assert acts.h.shape == (1, 2000, 32) and set(acts.gates) == set(cell_spec("lstm").gates)
