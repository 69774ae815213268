"""The training loop reproduces the lessons, shows the gradient fading, stops on NaN, and refuses bad weights."""
import io
import os
import pickle
import threading

import numpy as np
import pytest
import torch
from waiting import wait_for

from rnnviz import weight_files as weights
from rnnviz.train import run
from rnnviz.train.loop import Settings, Trainer
from rnnviz.train.runner import Pool, Run


def first_step_with(events, prediction):
    return next((e.step for e in events if e.prediction == prediction), None)


def test_apple_reaches_pple_within_ten_steps():
    events = list(run("apple", seed=0))
    step = first_step_with(events, "pple!")
    assert step is not None and step <= 10, [e.prediction for e in events[:10]]
    assert events[-1].loss < 0.05 and events[-1].accuracy == 1.0


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_apple_with_gated_cells(cell):
    events = list(run("apple", cell=cell, steps=60, seed=0))
    assert events[-1].prediction == "pple!"


def test_avengers_reproduces_the_lesson():
    events = list(run("avengers"))
    assert len(events) == 151
    by_step = {e.step: e for e in events}
    assert round(by_step[1].loss, 4) == 2.3034                              # the lesson's [01/151] 2.3034
    assert by_step[31].prediction == "We are Avengers going are Avengers End Game"   # [31/151]
    step = first_step_with(events, "We are going to watch Avengers End Game")
    assert step is not None and step <= 151
    assert events[-1].prediction == "We are going to watch Avengers End Game"


def test_hello_batch_trains_on_three_rows():
    events = list(run("hello", steps=150))
    assert events[-1].accuracy > 0.6 and events[-1].loss < events[0].loss


def test_custom_text_trains_on_windows():
    text = "the cat sat on the mat. " * 40
    events = list(run("text", text=text, steps=120, hidden=48, lr=0.02))
    assert events[-1].loss < events[0].loss * 0.6
    with pytest.raises(ValueError, match="limit is 5,000"):
        list(run("text", text="x" * 6000))
    with pytest.raises(ValueError, match="empty"):
        list(run("text", text="   "))


def test_same_seed_same_curve():
    a = [e.loss for e in run("apple", cell="gru", steps=20, seed=3)]
    b = [e.loss for e in run("apple", cell="gru", steps=20, seed=3)]
    c = [e.loss for e in run("apple", cell="gru", steps=20, seed=4)]
    assert a == b and a != c


@pytest.mark.slow          # 2 × 800 steps: minutes on 2 busy cores, so `make test`'s tier, not `make unit`'s
def test_lstm_remembers_where_the_rnn_is_at_chance():
    """Distance 60: recall 1 of 4 tokens (chance 25%), 800 steps. LSTM (chrono init) remembers; the RNN cannot.

    The gradient claim is about the whole run, not one step: once the LSTM has learned, its loss (and so every
    gradient) is tiny and the first-to-last ratio at one step swings by 10x between CPU kernels (0.0006 to 0.009,
    ATEN_CPU_CAPABILITY=default/avx2 and an AMD EPYC). Over the nine recorded profiles the median ratio is ~1e-3 for
    the LSTM and ~1e-15 for the RNN: the bounds below keep two and six orders of magnitude of margin.
    """
    def final(cell):
        events = list(run("memory", cell=cell, distance=60, steps=800, seed=0, grad_every=100))
        ratios = [e.grad_norms[0] / e.grad_norms[-1] for e in events if e.grad_norms is not None]
        return np.mean([e.accuracy for e in events[-100:]]), float(np.median(ratios)), len(ratios)
    rnn_acc, rnn_ratio, n_rnn = final("rnn_tanh")
    lstm_acc, lstm_ratio, n_lstm = final("lstm")
    assert n_rnn == n_lstm == 9, (n_rnn, n_lstm)         # steps 1, 101, ..., 701 and 800
    assert rnn_acc < 0.35, rnn_acc          # at chance
    assert lstm_acc > 0.9, lstm_acc         # remembers
    assert rnn_ratio < 1e-9, rnn_ratio      # the RNN's gradient has vanished by the first step
    assert lstm_ratio > 1e-5, lstm_ratio    # the LSTM's still arrives


def test_lstm_chrono_init_opens_forget_gates_for_the_task_length():
    from rnnviz.train.model import Model
    torch.manual_seed(0)
    m = Model(9, "lstm", 16, chrono=62)
    b_ih, b_hh = m.rnn.bias_ih_l0.detach(), m.rnn.bias_hh_l0.detach()
    b_f, b_i = b_ih[16:32], b_ih[:16]
    assert (b_f >= 0).all() and (b_f <= np.log(61) + 1e-6).all() and b_f.max() > 2
    torch.testing.assert_close(b_i, -b_f)
    assert (b_hh[:32] == 0).all()


def test_gradient_norms_come_from_the_engine_and_match_autograd():
    trainer = Trainer(Settings(task="apple", steps=1, grad_every=1))
    event = next(trainer.events())
    # recompute dL/dh_t in torch with a hand-unrolled cell
    model = Trainer(Settings(task="apple", steps=1)).model
    cell = torch.nn.RNNCell(model.rnn.input_size, model.rnn.hidden_size)
    cell.load_state_dict({k[:-3]: v for k, v in model.rnn.state_dict().items()})
    ids = torch.from_numpy(trainer.task.inputs)
    x = model.embed(ids)
    h = torch.zeros(1, model.rnn.hidden_size)
    hs = []
    for t in range(x.shape[1]):
        h = cell(x[:, t], h)
        h.retain_grad()
        hs.append(h)
    logits = model.fc(torch.stack(hs, 1))
    torch.nn.CrossEntropyLoss()(logits.reshape(-1, logits.shape[-1]),
                                torch.from_numpy(trainer.task.targets).reshape(-1)).backward()
    expected = np.array([float(h.grad.norm()) for h in hs])
    np.testing.assert_allclose(event.grad_norms, expected, rtol=1e-4)


@pytest.mark.parametrize("optimizer", ["adam", "sgd"])
def test_huge_learning_rate_stops_with_a_message_and_keeps_good_weights(optimizer):
    trainer = Trainer(Settings(task="apple", lr=1e6, optimizer=optimizer))
    before = trainer.snapshot()
    events = list(trainer.events())
    assert events[-1].status == "nan"
    assert "learning rate (1e+06)" in events[-1].message and "last good weights" in events[-1].message
    for p in trainer.model.parameters():
        assert torch.isfinite(p).all()
    # the kept weights are those that gave the last sane loss: the untouched start here
    assert "try 0.1 or smaller" in events[-1].message                    # the lesson's rate, not 1e6 / 10
    assert events[-1].step == 2 and f"step 1's loss ({events[0].loss:.4g})" in events[-1].message
    for k, v in trainer.model.state_dict().items():
        torch.testing.assert_close(v, before[k])


def test_nan_loss_is_caught():
    trainer = Trainer(Settings(task="apple", steps=5))
    list(trainer.events())
    good = trainer.snapshot()
    trainer.settings = Settings(task="apple", steps=10).resolved(trainer.task)
    with torch.no_grad():
        trainer.model.fc.bias[0] = float("nan")
    poisoned = trainer.snapshot()
    events = list(trainer.events())
    assert events[-1].status == "nan" and "not a finite number" in events[-1].message
    assert torch.isnan(poisoned["fc.bias"]).any() and good["fc.bias"].isfinite().all()


@pytest.mark.parametrize("bad, message", [
    (dict(hidden=0), "hidden must be a whole number between 1 and 256"),
    (dict(lr=-1.0), "learning rate must be a number between 1e-06 and 1e\\+06, got -1.0"),
    (dict(lr=float("nan")), "learning rate must be a number between"),
    (dict(lr=1e308), r"learning rate must be a number between 1e-06 and 1e\+06, got 1e\+308$"),
    (dict(clip=float("inf")), "gradient clipping"),
    (dict(seed=2**40), r"seed must be a whole number between 0 and 2,147,483,647, got 1\.1e\+12$"),
    (dict(hidden=True), "hidden must be a whole number"),
    (dict(cell="transformer"), "cell must be"),
    (dict(bidirectional=True), "bidirectional only makes sense for the memory task"),
    (dict(steps=10**9), "steps must be"),
])
def test_bad_settings_are_refused(bad, message):
    with pytest.raises(ValueError, match=message):
        Trainer(Settings(task="apple", **bad))


def test_stop_halts_after_the_step_under_way_and_resume_continues():
    pool = Pool(workers=1)
    r = Run(Settings(task="memory", distance=50, steps=100_000, hidden=128))
    pool.submit(r)
    wait_for("the run to train 3 steps", lambda: r.trainer.step >= 3)
    asked_at = r.trainer.step
    pool.stop(r)
    wait_for("the run to stop and its worker to let it go", lambda: r.status == "stopped" and r not in pool.held(),
             seen=lambda: r.status)
    step = r.trainer.step
    # the step under way when stop was asked ends, and so may one begun just after `asked_at` was read: no more
    assert step <= asked_at + 2, (asked_at, step)
    assert not r.active and pool.position(r) is None    # no worker holds it and it waits in no queue: really stopped
    pool.submit(r)
    wait_for("the resumed run to train 3 more steps", lambda: r.trainer.step > step + 2)
    pool.stop(r)
    assert r.events[step].step == step + 1  # resumed where it left off, no step lost or repeated


def test_queued_runs_share_the_pool_and_know_their_place():
    pool = Pool(workers=1)
    runs = [Run(Settings(task="apple", steps=2000, seed=i)) for i in range(3)]
    for r in runs:
        pool.submit(r)
    wait_for("two runs to wait in line, places 1 and 2, while the one worker trains the third",
             lambda: sorted(p for p in (pool.position(r) for r in runs) if p is not None) == [1, 2])
    wait_for("every run to get steps in turn (round-robin)", lambda: all(r.trainer.step > 0 for r in runs),
             seen=lambda: [r.trainer.step for r in runs])
    for r in runs:
        pool.stop(r)


def test_two_runs_at_once_stay_apart():
    pool = Pool(workers=2)
    a, b = Run(Settings(task="apple", steps=40)), Run(Settings(task="avengers", steps=40))
    pool.submit(a)
    pool.submit(b)
    wait_for("both 40-step runs to finish", lambda: not (a.active or b.active), seconds=120,
             seen=lambda: (a.status, b.status))
    solo_a = [e.loss for e in run("apple", steps=40)]
    solo_b = [e.loss for e in run("avengers", steps=40)]
    np.testing.assert_allclose([e.loss for e in a.events], solo_a, rtol=1e-4)   # thread counts differ: not bit-equal
    np.testing.assert_allclose([e.loss for e in b.events], solo_b, rtol=1e-4)
    assert a.events[-1].prediction == "pple!" and a.events[-1].prediction != b.events[-1].prediction


# --- weights files ---------------------------------------------------------------

def trained():
    t = Trainer(Settings(task="apple", steps=20))
    list(t.events())
    return t


def test_weights_round_trip_through_safetensors():
    t = trained()
    loaded = weights.from_bytes(weights.to_bytes(t))
    for k, v in t.model.state_dict().items():
        torch.testing.assert_close(loaded.model.state_dict()[k], v)
    assert loaded.settings == t.settings


def pickle_bytes():
    buf = io.BytesIO()
    torch.save({"weight": torch.zeros(2)}, buf)
    return buf.getvalue()


@pytest.mark.parametrize("data, message", [
    (b"", "not a safetensors weights file"),
    (np.random.default_rng(0).bytes(4096), "not a safetensors weights file"),
    (pickle.dumps({"a": 1}), "not a safetensors weights file"),
    (pickle_bytes(), "not a safetensors weights file"),
    (b"x" * (33 * 1024 * 1024), "weights files from rnnviz are under 32 MB"),
])
def test_bad_uploads_are_refused(data, message):
    with pytest.raises(ValueError, match=message):
        weights.from_bytes(data)


def test_wrong_keys_and_shapes_are_named():
    from safetensors.numpy import save
    t = trained()
    good = {k: v.numpy() for k, v in t.snapshot().items()}
    meta = weights.to_bytes(t)
    import json
    header = json.loads(meta[8:8 + int.from_bytes(meta[:8], "little")])["__metadata__"]
    with pytest.raises(ValueError, match=r"rnn.weight_hh_l0 has shape \(5, 4\) but the model needs \(5, 5\)"):
        weights.from_bytes(save(good | {"rnn.weight_hh_l0": np.zeros((5, 4), np.float32)}, metadata=header))
    with pytest.raises(ValueError, match="missing fc.bias"):
        weights.from_bytes(save({k: v for k, v in good.items() if k != "fc.bias"}, metadata=header))
    with pytest.raises(ValueError, match="no rnnviz settings"):
        weights.from_bytes(save(good))
    with pytest.raises(ValueError, match="not finite"):
        weights.from_bytes(save(good | {"fc.bias": np.full(5, np.nan, np.float32)}, metadata=header))


def test_trained_weights_step_through_explore_with_the_same_numbers():
    from rnnviz.pipeline import build
    from rnnviz.state import Config
    t = trained()
    w = weights.for_explore(t, "apple")
    ex = build(Config(text="apple"), w)
    logits = t.model(torch.from_numpy(t.task.inputs)).detach().numpy()[0]
    probs = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    np.testing.assert_allclose(ex.probs[0], probs, atol=1e-5)
    assert "".join(ex.vocab.tokens[i] for i in ex.probs[0].argmax(-1)) == "pple!"


def poison_gradient_at(trainer, step):
    """Make fc.bias's gradient NaN on one step while the loss stays finite."""
    def hook(grad):
        return torch.full_like(grad, float("nan")) if trainer.step == step else grad
    trainer.model.fc.bias.register_hook(hook)


def test_nan_gradient_is_caught_on_the_next_step_with_clean_weights_and_optimizer():
    trainer = Trainer(Settings(task="apple", steps=30))
    poison_gradient_at(trainer, 10)
    kept = None
    events = []
    for e in trainer.events():
        events.append(e)
        if e.step == 10:
            kept = {k: v.clone() for k, v in trainer.model.state_dict().items()}   # weights before the bad update
    assert events[-1].status == "nan" and events[-1].step == 12 and "not a finite number" in events[-1].message
    for k, v in trainer.model.state_dict().items():
        torch.testing.assert_close(v, kept[k])
    assert not trainer.optimizer.state                     # fresh optimizer: no NaN moments carried over


def test_nan_gradient_on_the_last_step_is_caught_too():
    trainer = Trainer(Settings(task="apple", steps=8))
    poison_gradient_at(trainer, 7)
    events = list(trainer.events())
    assert events[-1].status == "nan" and events[-1].step == 8
    assert "step 8's loss" in events[-1].message
    assert all(torch.isfinite(p).all() for p in trainer.model.parameters())


def test_gradient_diagnostic_is_recorded_first_last_and_in_between():
    events = list(run("apple", steps=50, grad_every=5))
    recorded = [e.step for e in events if e.grad_norms is not None]
    assert recorded[0] == 1 and recorded[-1] == 50 and len(recorded) >= 3
    assert all(b - a >= 5 for a, b in zip(recorded[:-2], recorded[1:-1]))


def test_training_threads_give_way_to_reruns():
    """The pool's threads run at a lower CPU priority than the server's own (Linux: each thread's nice value)."""
    from rnnviz.train.runner import TRAIN_NICENESS
    pool = Pool(workers=1)
    tid = pool.threads[0].native_id

    def nice() -> int:
        with open(f"/proc/self/task/{tid}/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[16])

    wait_for(f"the worker thread to lower its priority to nice {TRAIN_NICENESS}", lambda: nice() == TRAIN_NICENESS,
             seconds=5, every=0.01, seen=nice)
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) < TRAIN_NICENESS   # the test's own thread is not
