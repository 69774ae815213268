"""The text lab continues what it learned: a prompt taken from the training text goes on as the text does."""
import numpy as np
import torch

from rnnviz.text import graphemes
from rnnviz.train import Settings
from rnnviz.train.charrnn import CharTrainer

LINES = ('print("hello, world")  # 인사', '안녕하세요, "순환 신경망" 수업입니다.', "h_t = tanh(W_x x_t + W_h h_{t-1})",
         "[1, 2, 3] → {'a': 1, 'b': 2}", "오늘의 단어: 「기억」과 (망각)", "The cat said 'meow' (twice).",
         'x = [ord(c) for c in "abc"]')
OPENING = 5               # characters of each line given as the prompt


def test_a_prompt_from_the_repeated_text_continues_its_own_line():
    torch.set_num_threads(1)
    text = ("\n".join(LINES) + "\n") * 40
    trainer = CharTrainer(Settings(task="text", text=text, cell="lstm", hidden=96, steps=300, lr=5e-3, seed=0))
    events = list(trainer.events())
    assert events[-1].status == "ok" and events[-1].bpc < 0.1, f"the text was not learned: {events[-1].bpc:.3f} bpc"
    wrong = []
    for line in LINES:
        chars = graphemes(line)
        prompt, rest = "".join(chars[:OPENING]), "".join(chars[OPENING:]) + "\n"
        written = trainer.sample(prompt, length=len(chars) - OPENING + 1, temperature=0)
        if written != rest:
            wrong.append((prompt, written))
    # Trained with a fixed place to start afresh, 3 or 4 of the 7 lines went on with another line's words.
    assert len(wrong) <= 1, f"{len(wrong)} of {len(LINES)} prompts did not continue their own line: {wrong}"


def test_every_pass_starts_afresh_at_a_new_offset_and_one_stream_a_window_starts_afresh():
    text = "".join(f"{k:04d} 줄 (line) \"{k}\"\n" for k in range(200))
    trainer = CharTrainer(Settings(task="text", text=text, cell="gru", hidden=8, steps=1, seed=0), window=16, batch=4)
    train = trainer.tokens.train
    first, second = trainer.streams_of(0), trainer.streams_of(1)
    assert first[0, 0] == train[0] and not np.array_equal(first, second)
    assert np.array_equal(second, CharTrainer(trainer.settings, window=16, batch=4).streams_of(1))    # seeded
    at = int(np.flatnonzero(np.all(second[0, :32] == _windows(train, 32), axis=1))[0])
    assert np.array_equal(second[1, :32], train[(at + second.shape[1] - 1 + np.arange(32)) % len(train)])
    list(trainer.events())
    h = trainer.state
    assert h is not None and not h.requires_grad
    assert torch.all(h[:, 1] == 0) and torch.all(h[:, [0, 2, 3]].abs().sum(-1) > 0)   # step 1: stream 1 afresh


def _windows(ids: np.ndarray, n: int) -> np.ndarray:
    """Every run of n ids, reading round the end back to the start: (len, n)."""
    return ids[(np.arange(len(ids))[:, None] + np.arange(n)) % len(ids)]
