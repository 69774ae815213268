"""Steps per second: the numbers task's trainer (events, divergence check, held-out readings every 100 steps) vs a
bare torch seq2seq loop on the same model, the same batches and the same threads.

    python bench/seq2seq.py [--json]
"""
import time

import torch
from common import emit, parser, table
from torch import nn

from rnnviz.train import Settings
from rnnviz.train.seq2seq import NumbersTrainer

STEPS = 300


def settings(lang: str, attention: str) -> Settings:
    return Settings(task="numbers", lang=lang, attention=attention, steps=STEPS, seed=0)   # the preset otherwise


def bare_loop(lang: str, attention: str) -> float:
    """zero_grad, forward (teacher forcing), cross-entropy, backward, clip, Adam step, loss.item(): steps/s."""
    trainer = NumbersTrainer(settings(lang, attention))           # its model, freshly seeded, and its batches
    batches = [trainer.next_batch() for _ in range(STEPS)]
    model, clip = trainer.model, trainer.settings.clip
    opt = torch.optim.Adam(model.parameters(), lr=trainer.settings.lr)
    t0 = time.perf_counter()
    for src, tgt_in, targets in batches:
        opt.zero_grad()
        logits = model(src, tgt_in)
        loss = nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), ignore_index=-100)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), clip)
        opt.step()
        loss.item()
    return STEPS / (time.perf_counter() - t0)


def app_loop(lang: str, attention: str) -> float:
    trainer = NumbersTrainer(settings(lang, attention))
    t0 = time.perf_counter()
    n = sum(1 for _ in trainer.events())
    return n / (time.perf_counter() - t0)


def measure(lang: str, attention: str, rounds: int = 3) -> dict:
    best_app, best_bare = 0.0, 0.0
    for _ in range(rounds):   # alternate, best of each, so drift hits both
        best_app = max(best_app, app_loop(lang, attention))
        best_bare = max(best_bare, bare_loop(lang, attention))
    return {"lang": lang, "attention": attention, "steps": STEPS, "app steps/s": best_app, "bare steps/s": best_bare,
            "ratio": best_app / best_bare}


def main():
    args = parser(__doc__).parse_args()
    torch.set_num_threads(1)   # as in the app's training workers
    app_loop("ko", "general"), bare_loop("ko", "general")     # warm-up, both sides: torch's first calls, untimed
    rows = [measure("ko", "general"), measure("en", "general"), measure("ko", "none")]
    figures = {"ratio": min(r["ratio"] for r in rows), "rows": rows}
    emit(args, figures, table(rows, "numbers task: NumbersTrainer (an event per step, held-out readings every 100 "
                                    "steps) vs a bare torch seq2seq loop (same model, batches, threads); target >= 0.8"))


if __name__ == "__main__":
    main()
