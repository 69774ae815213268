"""The text lab in a notebook: train, write, and find the units, with the lab's own figures.

    >>> from rnnviz.notebook import text_lab
    >>> lab = text_lab(corpus=True, cell="lstm", hidden=64, steps=300)     # or text_lab("your text …", ...)
    >>> lab.curves()                          # bits per character, training and held out
    >>> lab.sample("gate (", length=200, temperature=0.8)
    >>> lab.rank("quote")                     # units by how well they follow the quote state
    >>> lab.passage(unit=lab.rank("quote").unit.iloc[0])   # the passage coloured by that unit
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from ..plots import lab as plots
from ..train.charrnn import CharTrainer, LabEvent
from ..train.loop import Settings
from ..words import language, say
from . import neurons
from .corpus import generate

PASSAGE = 1_200


@dataclass
class TextLab:
    """A trained character model, its events, and the lab's figures over the start of its text."""

    trainer: CharTrainer
    events: list[LabEvent]
    lang: str = "en"

    def sample(self, prompt: str = "", length: int = 200, temperature: float = 1.0, top_k: int = 0,
               seed: int = 0) -> str:
        return self.trainer.sample(prompt, length, temperature, top_k, seed)

    def curves(self) -> go.Figure:
        ok = [e for e in self.events if e.status == "ok"]
        with language(self.lang):
            return go.Figure(plots.bpc_spec([e.step for e in ok], [e.loss / math.log(2) for e in ok],
                                            self.trainer.held_history))

    def activations(self, kind: str = "h", layer: int = 0):
        """(T, H) of one kind over the passage (the first 1,200 characters of the text), and its characters."""
        acts = self.trainer.activations((self.trainer.settings.text or "")[:PASSAGE])
        return acts.of(kind, layer), acts.chars

    def rank(self, prop: str = "quote", kind: str = "h", layer: int = 0) -> pd.DataFrame:
        """Units by |r| with one property of the text (quote, depth, column, after_space, hangul, latin)."""
        X, chars = self.activations(kind, layer)
        ranked = neurons.rank(X, {prop: neurons.properties(chars)[prop]})[prop]
        return pd.DataFrame({"unit": ranked.units, "r": ranked.r})

    def passage(self, unit: int, kind: str = "h", layer: int = 0) -> go.Figure:
        X, chars = self.activations(kind, layer)
        with language(self.lang):
            return go.Figure(plots.passage_spec(chars, X[:, int(unit)], say("lab.passage_title", unit=int(unit))))

    def matches(self, start: int, end: int, threshold: float = 0.3, kind: str = "h", layer: int = 0):
        """LSTMVis's match view: the units on through [start, end) and off around it, and where else they fire."""
        X, _ = self.activations(kind, layer)
        units = neurons.chosen_units(X, start, end, threshold)
        return units, neurons.matches(X, units, threshold, start, end)


def text_lab(text: str | None = None, corpus: bool = False, lang: str = "en", **settings) -> TextLab:
    """Train a character model on `text` (or the generated corpus) to the end; settings as Settings' fields."""
    with language(lang):
        text = generate(20_000).text if corpus or text is None else text
        trainer = CharTrainer(Settings(task="text", text=text, **settings))
        return TextLab(trainer, list(trainer.events()), lang)
