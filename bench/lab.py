"""The text lab against bare PyTorch loops run side by side: training, sampling, and the engine's activations.

    python bench/lab.py [--json]

train_ratio: the lab's loop (events with bits per character, held-out scoring, samples) over a bare TBPTT loop on
the same model and windows (target >= 0.8); sample_ratio: 1,000 characters through the lab's sampler over a bare
torch sampling loop (>= 0.8); activations_ms / activations_ratio: the engine over a 20,000-character passage,
LSTM H=256, and its ratio to a torch forward over the same passage (<= 3).
"""
import time

import numpy as np
import torch
from common import emit, interleaved, parser, table

from rnnviz.lab.corpus import generate
from rnnviz.text import one_hot
from rnnviz.train import Settings
from rnnviz.train.charrnn import CharTrainer
from rnnviz.train.model import Model
from rnnviz.train.sampling import encode, frozen

CORPUS = generate(60_000, seed=0).text
STEPS = 120
SAMPLE = 1_000
PASSAGE = 20_000


def lab_train(settings: Settings) -> float:
    """Steps/s of the lab's loop, every event built as the page reads it."""
    trainer = CharTrainer(settings)
    t0 = time.perf_counter()
    n = sum(1 for _ in trainer.events())
    return n / (time.perf_counter() - t0)


def bare_train(settings: Settings) -> float:
    """Steps/s of the bare char-rnn loop: the same model, windows and carried state; loss.item() each step."""
    trainer = CharTrainer(settings)                  # only for its windows and vocabulary
    torch.manual_seed(settings.seed)
    model = Model(len(trainer.vocab), settings.cell, settings.hidden, settings.layers)
    opt = torch.optim.Adam(model.parameters(), lr=settings.lr)
    loss_fn = torch.nn.CrossEntropyLoss()
    per_pass = (trainer.streams.shape[1] - 1) // trainer.window     # the lab starts again at the streams' end
    windows = [trainer.window_at(p % per_pass * trainer.window) for p in range(settings.steps)]
    state = None
    t0 = time.perf_counter()
    for p, (x, y) in enumerate(windows):
        state = None if p % per_pass == 0 else state
        opt.zero_grad()
        out, state = model.rnn(model.embed(x), state)
        logits = model.fc(out)
        loss = loss_fn(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), settings.clip)
        opt.step()
        loss.item()
        state = tuple(s.detach() for s in state)
    return settings.steps / (time.perf_counter() - t0)


def bare_sample(model: Model, ids: np.ndarray, length: int, seed: int) -> list[int]:
    """A bare torch sampling loop: read the prompt, then softmax, multinomial, feed back."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        return _bare_sample(model, ids, length, g)


def _bare_sample(model, ids, length, g):
    out, state = model.rnn(model.embed(torch.from_numpy(ids)[None]), None)
    logits = model.fc(out[0, -1])
    drawn = []
    for _ in range(length):
        nxt = int(torch.multinomial(torch.softmax(logits, -1), 1, generator=g))
        drawn.append(nxt)
        out, state = model.rnn(model.embed(torch.tensor([[nxt]])), state)
        logits = model.fc(out[0, -1])
    return drawn


def main():
    args = parser(__doc__).parse_args()
    torch.set_num_threads(1)                          # as in the app's training workers
    settings = Settings(task="text", text=CORPUS, cell="lstm", hidden=128, steps=STEPS, seed=0, lr=2e-3, clip=5.0)
    lab, bare = 0.0, 0.0
    for _ in range(3):                                # alternate, best of each, so drift hits both
        lab, bare = max(lab, lab_train(settings)), max(bare, bare_train(settings))

    trainer = CharTrainer(settings)
    model, prompt = trainer.model, "gate ("
    ids = encode(trainer.vocab, prompt)
    sampling = interleaved({"lab": lambda: trainer.sample(prompt, SAMPLE, temperature=1.0, seed=0),
                            "bare": lambda: bare_sample(model, ids, SAMPLE, 0)}, rounds=3, min_seconds=0.0)

    big = CharTrainer(Settings(task="text", text=CORPUS, cell="lstm", hidden=256, steps=1, seed=0))
    passage = CORPUS[:PASSAGE]
    rnn = frozen(big.model).rnn
    x = torch.from_numpy(one_hot(encode(big.vocab, passage), len(big.vocab)))[None]
    acts = interleaved({"engine": lambda: big.activations(passage), "torch": lambda: rnn(x)}, rounds=3, min_seconds=0.0)

    rows = [{"what": f"train LSTM H=128, {STEPS} windows of 16 × 64", "lab": lab, "bare": bare, "unit": "steps/s",
             "ratio": lab / bare},
            {"what": f"sample {SAMPLE:,} characters", "lab": SAMPLE / sampling["lab"], "bare": SAMPLE / sampling["bare"],
             "unit": "chars/s", "ratio": sampling["bare"] / sampling["lab"]},
            {"what": f"activations, {PASSAGE:,} characters, LSTM H=256", "lab": acts["engine"] * 1000,
             "bare": acts["torch"] * 1000, "unit": "ms (engine vs torch)", "ratio": acts["engine"] / acts["torch"]}]
    figures = {"train_ratio": rows[0]["ratio"], "sample_ratio": rows[1]["ratio"], "activations_ms": rows[2]["lab"],
               "activations_ratio": rows[2]["ratio"], "rows": rows}
    emit(args, figures, table(rows, "text lab vs bare torch loops (targets: train and sample ratio >= 0.8, "
                                    "activations ratio <= 3)"))


if __name__ == "__main__":
    main()
