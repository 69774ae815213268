"""(one-hot | embedding) → nn.RNN / nn.LSTM / nn.GRU → Linear: the lessons' models in one class."""
from __future__ import annotations

import torch
from torch import nn

from ..bridge import torch_module
from ..engine.registry import cell_spec


def chrono_init(lstm: nn.RNNBase, hidden: int, T_max: int) -> None:
    """Chrono initialisation (Tallec & Ollivier, 2018): b_f ~ log U(1, T_max - 1), b_i = -b_f.

    The forget gates start open for spans of up to T_max steps, so the gradient of a memory task
    reaches the first token from the first update instead of fading like a plain RNN's.
    """
    with torch.no_grad():
        for name, p in lstm.named_parameters():
            if name.startswith("bias_ih"):
                b_f = torch.log(1 + torch.rand(hidden) * max(T_max - 2, 1))
                p[hidden:2 * hidden] = b_f
                p[:hidden] = -b_f
            elif name.startswith("bias_hh"):
                p[:2 * hidden] = 0


class Model(nn.Module):
    """ids (B, T) → logits (B, T, V). `rnn` keeps PyTorch's parameter names for the bridge."""

    def __init__(self, vocab_size: int, cell: str, hidden: int, layers: int = 1, bidirectional: bool = False,
                 encoding: str = "onehot", embedding_size: int = 5, chrono: int = 0):
        super().__init__()
        spec = cell_spec(cell)
        self.vocab_size, self.cell, self.encoding = vocab_size, cell, encoding
        input_size = vocab_size if encoding == "onehot" else embedding_size
        self.embedding = nn.Embedding(vocab_size, embedding_size) if encoding == "embedding" else None
        self.rnn = torch_module(cell, input_size, hidden, num_layers=layers, bidirectional=bidirectional,
                                batch_first=True)
        self.fc = nn.Linear(hidden * (2 if bidirectional else 1), vocab_size)
        if spec.has_c and chrono:
            chrono_init(self.rnn, hidden, chrono)

    def embed(self, ids: torch.Tensor) -> torch.Tensor:
        """ids (B, T) → x (B, T, I): one-hot rows or embedding rows."""
        if self.embedding is None:
            return nn.functional.one_hot(ids, self.vocab_size).float()
        return self.embedding(ids)

    def forward(self, ids: torch.Tensor, keep_output: bool = False, x: torch.Tensor | None = None):
        """ids (B, T) → logits (B, T, V); `x`: the ids already embedded (a one-hot batch that never changes)."""
        x = self.embed(ids) if x is None else x
        output, _ = self.rnn(x)
        if keep_output:
            output.retain_grad()
            self.last_x, self.last_output = x, output
        return self.fc(output)
