"""The Explore view's figures in a notebook: the same engine run and the same plotly figures, in a few lines.

    >>> from rnnviz.notebook import explore
    >>> lab = explore("hello", cell="lstm", H=8)
    >>> lab.step(2)                 # the step at t = 2 laid out, with ▶ Play (a plotly Figure: Jupyter shows it)
    >>> for fig in lab.heatmaps(t=2): fig.show()    # X, every h_t, and each gate / c_t over time
    >>> lab.trace.layers[0][0].gates["f"]           # the numbers behind them, from the engine
    >>> print(lab.torch_code())     # the equivalent PyTorch, to paste
    >>> run = train("memory", compare=True)   # the Train view's runs, trained here: RNN, LSTM and GRU
    >>> run.curves(); run.gradients(); run.profile()   # loss and accuracy; the gradient fading (or not) through t
    >>> run.explore("LSTM").step(3)  # step through the trained weights

Settings are the app's (and its links'): cell (rnn_tanh, rnn_relu, lstm, gru), tok (char, word), enc (onehot,
embedding, random, numbers: the text holds x_t, one timestep per line), I, H, L, bi, bf, seed, scale, init
(pytorch, uniform), out, O (typed numbers: the output size of σ(W_y·h_t)), batch (one sequence per line).
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from functools import wraps

import pandas as pd
import plotly.graph_objects as go

from . import panels, snippet
from . import sequences as reading_aloud
from . import weight_files as weights
from .explored import Explored
from .lab.notebook import TextLab, text_lab  # noqa: F401  (the text lab, here too)
from .pipeline import build
from .plots import training as train_plots
from .settings import NOTEBOOK
from .state import Config
from .train.loop import COMPARE_CELLS, Settings
from .train.runner import Run
from .words import LANGS, Problem, language, say

SETTINGS = list(NOTEBOOK)          # the registry's settings that change the numbers (t, row, ...: per figure)


def refuse_unknown(settings: dict, known: list[str]) -> None:
    """Raise ValueError naming the settings that are not among `known` (and listing those that are)."""
    unknown = sorted(set(settings) - set(known))
    if unknown:
        raise Problem("notebook.unknown" if len(unknown) > 1 else "notebook.unknown.one", names=", ".join(unknown), known=", ".join(known))


@contextmanager
def said_in(lang: str):
    """Everything said inside in `lang`, errors too: a notebook reads them after the call has returned."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, got {lang!r}")
    with language(lang):
        try:
            yield
        except Problem as e:
            raise ValueError(str(e)) from None


def explore(text: str = "hello", lang: str = "en", **settings) -> Exploration:
    """Run the engine on `text` with the app's settings; a setting the app would refuse raises ValueError.
    `lang="ko"` gives Korean figures and messages."""
    with said_in(lang):
        refuse_unknown(settings, SETTINGS)
        config, notes = Config().with_(text=text, **settings)
        if notes:
            raise ValueError(" ".join(notes) + " " + say("notebook.refused"))
        return Exploration(build(config), lang)


def in_language(method):
    """A Exploration's or a Training's figures in its own language."""
    @wraps(method)
    def said(self, *args, **kwargs):
        with said_in(self.lang):
            return method(self, *args, **kwargs)
    return said


@dataclass(frozen=True)
class Exploration:
    """One engine run and its figures; t, layer, direction (0 forward, 1 backward) and batch row are chosen per call."""

    run: Explored
    lang: str = "en"

    @property
    def trace(self):
        return self.run.trace

    @property
    def network(self):
        return self.run.network

    @property
    def tokens(self) -> list[list[str]]:
        return self.run.rows

    def _figures(self, names: tuple[str, ...], layer: int = 0, direction: int = 0, row: int = 0, t: int | None = None,
                 present: bool = False) -> list[go.Figure]:
        """Figures of the Explore view, from the table the app draws from (rnnviz/panels.py)."""
        return panels.figures(names, self.run, panels.Look(layer, direction, row, t, present))

    @in_language
    def step(self, t: int = 0, layer: int = 0, direction: int = 0, row: int = 0, present: bool = False) -> go.Figure:
        """Wx·x_t + Wh·h_{t-1} + b → h_t (LSTM: i, f, g, o, c_t; GRU: r, z, n) at t, over every h_t; ▶ Play animates."""
        return self._figures(("step",), layer, direction, row, t, present)[0]

    @in_language
    def heatmaps(self, t: int | None = None, layer: int = 0, direction: int = 0, row: int = 0,
                 present: bool = False) -> list[go.Figure]:
        """The input X (T × I), every h_t (T × H) and, for LSTM / GRU, each gate and c_t over time; t is marked."""
        return self._figures(("input", "states", "gates"), layer, direction, row, t, present)

    @in_language
    def weights(self, layer: int = 0, direction: int = 0, present: bool = False) -> list[go.Figure]:
        """Wx, Wh and the biases of one layer and direction (weights edited by hand outlined)."""
        return self._figures(("weights",), layer, direction, 0, None, present)

    @in_language
    def output(self, t: int | None = None, row: int = 0, present: bool = False) -> list[go.Figure]:
        """softmax(W_out·h_t + b_out) at every step (many-to-many) and at the last step (many-to-one); with typed
        numbers, lesson 001's y_t = σ(W_y·h_t) (setting O: its output size)."""
        return self._figures(("output",), 0, 0, row, t, present)

    @in_language
    def path(self, t: int | None = None, layer: int = 0, direction: int = 0, row: int = 0,
             present: bool = False) -> go.Figure:
        """The h_t projected to 2-D (PCA), labelled with their tokens and joined in time order."""
        return self._figures(("path",), layer, direction, row, t, present)[0]

    @in_language
    def shapes(self) -> list[tuple[str, tuple[int, ...], str]]:
        """(tensor, shape as PyTorch reports it, meaning) for input, output, h_n, c_n and every parameter."""
        return snippet.shapes(self.run)

    @in_language
    def torch_code(self) -> str:
        """PyTorch code that builds the same input, module and weights, and prints the same numbers."""
        return snippet.torch_code(self.run)


def train(task: str = "apple", compare: bool = False, show: bool = True, lang: str = "en", **settings) -> Training:
    """Train one of the Train view's tasks to the end, here and now, and keep every step for its figures.

    Tasks: apple, avengers, hello, memory (distance=N), text (text="..."). Settings: cell, hidden, layers,
    bidirectional (memory only), optimizer (adam, sgd), lr, steps, clip, seed. `compare=True` trains an RNN, an
    LSTM and a GRU on the same task, as the view's Compare button does. `show` prints the lesson's progress lines
    (about five a run) while it trains; `lang="ko"` prints them, and draws the figures, in Korean. Bad settings
    raise ValueError."""
    with said_in(lang):
        refuse_unknown(settings, [f.name for f in fields(Settings) if f.name != "task"])
        base = Settings(task=task, **settings)
        cells = COMPARE_CELLS if compare else {"this run": base.cell}
        runs = {name: Run(replace(base, cell=cell), label=name) for name, cell in cells.items()}
        for name, run in runs.items():
            progress = Progress(run, name if compare else "", show)
            run.advance(progress)
            progress.finish()
    return Training(runs, lang)


@dataclass
class Progress:
    """Run.advance's pause(): it never pauses, and prints the lesson's progress lines as they come (if `show`)."""

    run: Run
    name: str
    show: bool
    printed: int = 0

    def line(self, e) -> None:
        if self.show:
            print(f"{self.name + ' ' if self.name else ''}[{e.step:02d}/{e.steps}] "
                  + say("progress.line", loss=f"{e.loss:.4f}", accuracy=f"{e.accuracy:.0%}", prediction=e.prediction))

    def __call__(self) -> bool:
        for e in self.run.timeline[self.printed:]:
            self.line(e)
        self.printed = len(self.run.timeline)
        return False

    def finish(self) -> None:
        """The last step, when the timeline did not print it, and why a run stopped early."""
        for e in self.run.printout()[self.printed:]:
            self.line(e)
        if self.show and self.run.status == "failed":
            print(f"{self.name + ': ' if self.name else ''}{self.run.message}")       # said in the current language


@dataclass(frozen=True)
class Training:
    """Trained runs by name ("this run", or RNN / LSTM / GRU) and the Train view's figures of them."""

    runs: dict[str, Run]
    lang: str = "en"

    def _run(self, name: str | None) -> Run:
        if name is None:
            return next(iter(self.runs.values()))
        if name not in self.runs:
            raise Problem("notebook.no_run", name=repr(name), runs=", ".join(self.runs))
        return self.runs[name]

    @in_language
    def curves(self, present: bool = False) -> go.Figure:
        """Loss and accuracy against the training step, a line per run."""
        return train_plots.curves_figure(train_plots.curves_of(self.runs), present)

    @in_language
    def gradients(self, present: bool = False) -> go.Figure:
        """‖dL/dh_t‖ over training steps × timesteps, a heatmap per run on one colour scale: where the gradient
        fades."""
        return train_plots.grad_heatmap({name: recorded for name, run in self.runs.items()
                                         if (recorded := train_plots.gradient_of(run)) is not None}, present)

    @in_language
    def profile(self, present: bool = False) -> go.Figure:
        """‖dL/dh_t‖ against t (log scale) with each run's final weights."""
        return train_plots.grad_profile_figure({name: recorded[1][-1] for name, run in self.runs.items()
                                                if (recorded := train_plots.gradient_of(run)) is not None}, present)

    @in_language
    def predictions(self, name: str | None = None) -> pd.DataFrame:
        """The lesson's printout: step, loss, accuracy, prediction and target, about five times a run and the last."""
        return pd.DataFrame([{"step": f"[{e.step:02d}/{e.steps}]", "loss": e.loss, "accuracy": e.accuracy,
                              "prediction": e.prediction, "target": e.target} for e in self._run(name).printout()])

    @in_language
    def explore(self, name: str | None = None, text: str | None = None) -> Exploration:
        """Step through the trained weights as the Explore view does (the task's own text unless `text` is given)."""
        run = self._run(name)
        task_text, batch = weights.explore_text(run.trainer)
        trained = weights.for_explore(run.trainer, f"{run.settings.task}, {run.settings.cell}, step {run.trainer.step}")
        config, notes = Config().with_(text=text if text is not None else task_text, batch=batch and text is None,
                                       out=True)
        if notes:
            raise ValueError(" ".join(notes))
        return Exploration(build(config, trained), self.lang)


def read_aloud(trainer, number: int | str = 2026, t: int | None = None, present: bool = False) -> list[go.Figure]:
    """Lesson 001's encoder-decoder pages for a NumbersTrainer: `number` read at decoder step t (default the last);
    without attention also the contexts' plane and the decoder alone writing from the number's context (one-to-many).
    Figures in the trainer's language."""
    with said_in(trainer.task.lang):
        return reading_aloud.figures(trainer.task, trainer.engine(), int(number), t, present)
