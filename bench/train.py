"""Steps per second: the app's training loop (live metrics, gradient through time) vs the lessons' bare torch loop.

    python bench/train.py [--json]
"""
import time

import numpy as np
import torch
from common import emit, parser, table

from rnnviz.train.loop import Settings, Trainer
from rnnviz.train.model import Model

TEXT = ("The quick brown fox jumps over the lazy dog. 다람쥐 헌 쳇바퀴에 타고파. " * 40)[:2000]


def bare_loop(trainer: Trainer, steps: int, decode_every: int) -> float:
    """The lessons' loop on the same task and model size: zero_grad, forward, loss, backward, step, and the
    decoded prediction every `decode_every` steps (lesson 003: every step; lesson 002: every 30). Steps/s."""
    s, task = trainer.settings, trainer.task
    torch.manual_seed(s.seed)
    model = Model(len(task.vocab), s.cell, s.hidden, s.layers, s.bidirectional, task.encoding, task.embedding_size)
    opt = torch.optim.Adam(model.parameters(), lr=s.lr)
    loss_fn = torch.nn.CrossEntropyLoss()
    rng = np.random.default_rng(0)
    batches = [tuple(torch.from_numpy(a) for a in task.batch(rng)) for _ in range(steps)]
    t0 = time.perf_counter()
    for i, (x, y) in enumerate(batches):
        opt.zero_grad()
        out = model(x)
        loss = loss_fn(out.reshape(-1, out.shape[-1]), y.reshape(-1))
        loss.backward()
        opt.step()
        loss.item()
        if i % decode_every == 0:                       # the lesson prints this; we only build it
            result = out.data.numpy().argmax(axis=2)
            "".join(task.vocab.tokens[c] for c in np.squeeze(result[:1]))
    return steps / (time.perf_counter() - t0)


def app_loop(settings: Settings, steps: int) -> float:
    trainer = Trainer(settings)
    t0 = time.perf_counter()
    n = sum(1 for _ in trainer.events())
    return n / (time.perf_counter() - t0)


def measure(name, settings, steps, decode_every, rounds=5):
    best_app, best_bare = 0.0, 0.0
    for _ in range(rounds):   # alternate, best of each, so drift hits both
        best_app = max(best_app, app_loop(settings, steps))
        best_bare = max(best_bare, bare_loop(Trainer(settings), steps, decode_every))
    return {"task": name, "steps": steps, "app steps/s": best_app, "bare steps/s": best_bare, "ratio": best_app / best_bare}


def main():
    args = parser(__doc__).parse_args()
    torch.set_num_threads(1)   # as in the app's training workers
    rows = [measure("apple", Settings(task="apple", steps=500), 500, decode_every=1),
            measure("text2000 H=128", Settings(task="text", text=TEXT, hidden=128, cell="lstm", steps=100), 100,
                    decode_every=30)]
    figures = {"apple_ratio": rows[0]["ratio"], "text2000_ratio": rows[1]["ratio"], "rows": rows}
    emit(args, figures, table(rows, "training loop: app (an event per step, ‖dL/dh_t‖ through the engine) vs the lessons' "
                                    "bare torch loop (prediction decoded every step for apple, every 30 for text); "
                                    "target ratio >= 0.9"))


if __name__ == "__main__":
    main()
