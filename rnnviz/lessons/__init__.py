"""The five course notes as guided lessons: pages of data, their words in the catalogues under `lesson.`."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from ..engine import Network
from ..engine.registry import CELL_TABLE, HEAD_EQUATION, latex
from ..explored import Explored, TrainedWeights
from ..pipeline import INPUT_SEED_OFFSET
from ..presets import EXPLORE_PRESETS  # the Explore presets a page starts from
from ..state import Config
from ..text import embedding_table
from ..train.tasks import make_task
from . import facts as f

# The pages' equations are the cell table's own (engine/registry.py), typeset: said once, there.
RNN = latex(CELL_TABLE["rnn_tanh"].equations[0])
HEAD = latex(HEAD_EQUATION)
LSTM = r", \quad ".join(latex(e) for e in CELL_TABLE["lstm"].equations[-2:])    # the conveyor belt: c_t, then h_t
GRU = latex(CELL_TABLE["gru"].equations[-1])                                    # the update's blend


@dataclass(frozen=True)
class Page:
    """One page: its figure's settings and panel, what to outline, and which layers of words it has."""

    id: str
    preset: str                                  # the Explore preset the page starts from (rnnviz/presets.py)
    changes: dict = field(default_factory=dict)  # ... and what it changes
    panel: str = "step"                          # step | maps | weights | output | code | train | compare
                                                 # | seq2seq | one_to_many (ui/sequences.py)
    t: int = 0
    layer: int = 0
    dir: int = 0
    outline: str = ""                            # the step figure's column to outline (its name's start)
    with_states: bool = False                    # under the step figure, every h_t on its own scale (maps' first)
    math: str = ""                               # the equation (LaTeX: no words)
    numbers: bool = False                        # words `.numbers`: the equation with this step's numbers
    question: bool = False                       # words `.q` and `.a`
    code: str = ""                               # PyTorch code, formatted with the page's facts
    facts: Callable[[Explored], dict] | None = None
    task: str = ""                               # the Train view's task this page trains or links to
    vocab: str = ""                              # the Train task whose vocabulary (ids as the note numbers them)
                                                 # the figure's input uses, instead of the text's own

    def config(self, lang: str = "en", present: bool = False) -> Config:
        """The Explore settings of the page's figure."""
        values = {**EXPLORE_PRESETS[self.preset], **self.changes}
        return replace(Config(), **values, t=self.t, layer=self.layer, dir=self.dir,
                       panel=self.panel if self.panel in ("step", "maps", "output", "code") else "step",
                       lang=lang, present=present)

    def weights(self, config: Config) -> TrainedWeights | None:
        """Untrained weights of the page's settings on its note's vocabulary: `<unk>`=0, We=1 … or '!'=0, 'a'=1 …"""
        if not self.vocab:
            return None
        task = make_task(self.vocab)
        net = Network.init(config.cell, task.input_size, config.H, config.L, config.bi, config.bf, seed=config.seed,
                           scale=config.scale, init=config.init)
        table = (embedding_table(len(task.vocab), task.input_size, config.seed + INPUT_SEED_OFFSET)
                 if task.encoding == "embedding" else None)
        return TrainedWeights(net, task.vocab, task.level, task.encoding, table, name="")

    def key(self, lesson: str, part: str) -> str:
        return f"lesson.{lesson}.{self.id}.{part}"


P = Page
NN_RNN = "cell = nn.RNN({I}, {H}, batch_first=True)\noutputs, _status = cell(inputs)   # inputs: {inputs}\n" \
         "print(outputs.shape)   # {outputs}\nprint(_status.shape)   # {status}"

LESSONS: dict[str, tuple[Page, ...]] = {
    "000": (
        P("picture", "saturation", outline="h_t", facts=f.sizes),
        P("weights", "saturation", panel="weights", facts=f.sizes,
          code="Wx = np.random.random(({H}, {I}))\nWh = np.random.random(({H}, {H}))\nb = np.random.random(({H},))\n"
               "print(np.shape(Wx))   # {Wx}\nprint(np.shape(Wh))   # {Wh}\nprint(np.shape(b))    # {b_shape}"),
        P("first_step", "saturation", outline="= a", math=RNN, numbers=True, question=True,
          facts=lambda ex: f.step_numbers(ex, 0)),
        P("second_step", "saturation", t=1, outline="+ Wh", math=RNN, numbers=True,
          facts=lambda ex: f.step_numbers(ex, 1)),
        P("saturate", "saturation", t=1, outline="h_t", with_states=True, question=True, facts=f.saturation),
        P("loop", "saturation", panel="maps", t=9, facts=f.sizes,
          code="for input_t in inputs:\n    output_t = np.tanh(np.dot(Wx, input_t) + np.dot(Wh, hidden_state_t) + b)\n"
               "    total_hidden_states.append(list(output_t))\n    hidden_state_t = output_t\n"
               "print(np.shape(total_hidden_states))   # {HT}"),
        P("nn_rnn", "deep", dict(L=1, bi=False), panel="code", question=True,
          facts=lambda ex: f.module_shapes(5, 8, 1, 10), code=NN_RNN.format(I=5, H=8, inputs="{inputs}",
                                                                             outputs="{outputs}", status="{status}")),
    ),
    "001": (
        P("why", "hello", dict(H=6), outline="h_t", facts=f.sizes),       # the note's hidden size 6, input 4
        P("kinds", "vectors", panel="output", t=4, facts=f.head),
        P("cell", "vectors", outline="x_t", math=RNN, facts=f.sizes,
          code="x_t = torch.randn({I})             # torch.Size([{I}])\nh_t_minus_1 = torch.zeros(1, {H})  "
               "# torch.Size([1, {H}])\nWx = torch.randn({H}, {I})\nWh = torch.randn({H}, {H})\nb = torch.randn({H})"),
        P("hand", "vectors", t=1, outline="+ Wh", math=RNN, numbers=True, question=True,
          facts=lambda ex: f.step_numbers(ex, 1)),
        P("head", "vectors", panel="output", t=4, math=HEAD, numbers=True, question=True, facts=f.head,
          code="Wy = nn.Parameter(torch.randn({O}, {H}))\noutput = torch.sigmoid(torch.matmul(h_t, Wy.t()))   "
               "# {y_shape}"),
        P("one_to_many", "vectors", panel="one_to_many"),          # ui/sequences.py: the decoder alone
        P("encdec", "vectors", panel="seq2seq", question=True),    # ui/sequences.py: reading numbers aloud
    ),
    "002": (
        P("layout", "avengers", dict(text=f.AVENGERS_INPUT), panel="code", vocab="avengers",
          facts=lambda ex: f.sizes(ex) | f.avengers(),
          code="if self.batch_first:\n    inputs = inputs.transpose(0, 1)   # (B, T, E) -> (T, B, E)\n"
               "seqlen, batch_size, _ = inputs.size()"),
        P("embedding", "avengers", outline="x_t", math=RNN, facts=f.sizes),
        P("long_term", "avengers", panel="compare", question=True, task="memory"),
        P("lstm", "avengers", dict(cell="lstm"), t=2, outline="f", math=LSTM, question=True,
          facts=lambda ex: f.gates(ex, 2)),
        P("gru", "avengers", dict(cell="gru"), t=2, outline="z", math=GRU, facts=lambda ex: f.gates(ex, 2),
          code="nn.RNN(input_size=5, hidden_size=10, batch_first=True)\n"
               "nn.LSTM(input_size=5, hidden_size=10, batch_first=True)\n"
               "nn.GRU(input_size=5, hidden_size=10, batch_first=True)"),
        P("train", "avengers", panel="train", task="avengers", facts=lambda ex: f.avengers()),
    ),
    "003": (
        P("layers", "deep", dict(bi=False), layer=1, outline="x_t",
          facts=lambda ex: f.module_shapes(5, 8, 1, 10, L=2),
          code="cell = nn.RNN(input_size=5, hidden_size=8, num_layers=2, batch_first=True)\n"
               "print(outputs.shape)   # {outputs}\nprint(_status.shape)   # {status}"),
        P("bidirectional", "deep", panel="code", question=True,
          facts=lambda ex: f.module_shapes(5, 8, 1, 10, L=2, bi=True),
          code="cell = nn.RNN(input_size=5, hidden_size=8, num_layers=2, batch_first=True, bidirectional=True)\n"
               "print(outputs.shape)   # {outputs}\nprint(_status.shape)   # {status}"),
        P("backward", "deep", dir=1, t=9, outline="h_t", question=True, facts=f.sizes),
        P("apple_data", "apple", panel="maps", vocab="apple", facts=lambda ex: f.apple(), task="apple",
          code="char_vocab = sorted(list(set(input_str + label_str)))\nprint(char_to_index)   # {char_to_index}\n"
               "print(x_data)   # {x_data}\nprint(y_data)   # {y_data}\nprint(X.shape)   # {X_shape}"),
        P("apple_train", "apple", panel="train", task="apple", question=True, facts=lambda ex: f.apple()),
    ),
    "004": (
        P("sequence", "hello", outline="x_t", facts=f.sizes),
        P("one_hot", "hello", panel="maps", t=2, question=True, facts=lambda ex: f.one_hot_at(ex, 2)),
        P("hidden", "hello", outline="h_t", math=RNN, facts=f.sizes),
        P("batch", "hello_batch", dict(bf=True), panel="code", facts=lambda ex: f.sizes(ex) | f.module_shapes(
            4, 2, 3, 5)),
        P("trap", "hello_batch", panel="code", question=True,
          facts=lambda ex: f.sizes(ex) | f.module_shapes(4, 2, 5, 3, bf=False),   # torch reads (3, 5, 4) as T=3, B=5
          code="input_data = torch.Tensor(input_data_np)   # {inputs}\nrnn = torch.nn.RNN(4, 2)   # batch_first=False\n"
               "outputs, _status = rnn(input_data)\nprint(outputs.size())   # {outputs}"),
    ),
}
del P


def page_count(lesson: str) -> int:
    return len(LESSONS[lesson])


def every_page():
    """(lesson, 1-based page number, Page) for every page of every lesson."""
    for lesson, pages in LESSONS.items():
        for n, page in enumerate(pages, 1):
            yield lesson, n, page
