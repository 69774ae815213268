"""A text as the lab trains on it: characters (Hangul syllable by syllable, as Explore tokenizes), a vocabulary, ids."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from ..settings import LAB
from ..text import UNK, Vocab, clean, graphemes, visible
from ..words import Problem

MAX_BYTES = int(LAB["lab_paste"].high or 0)    # a text of up to 1 MB of UTF-8 (the paste box takes as many code points)
MIN_CHARS = 50            # fewer leave no held-out part worth a loss
MAX_VOCAB = 2_000         # the most frequent characters; rarer ones become <unk> (one-hot inputs stay small)
HELD_OUT = 0.1            # the last tenth of the text is never trained on


@dataclass(frozen=True)
class Tokens:
    """The text's first characters, its vocabulary and the ids of its training and held-out parts."""

    head: list[str]           # the first characters (a fixed prompt); the ids hold the rest, 8 bytes a character
    vocab: Vocab
    ids: np.ndarray           # (N,)
    split: int                # ids[:split] train, ids[split:] held out

    @property
    def train(self) -> np.ndarray:
        return self.ids[:self.split]

    @property
    def held(self) -> np.ndarray:
        return self.ids[self.split:]


def tokens_of(text: str) -> Tokens:
    """Split a text into characters and ids; raise a Problem for a text the lab cannot train on."""
    if not isinstance(text, str) or not visible(text):
        raise Problem("lab.text_empty")
    if len(text) > MAX_BYTES:            # more code points than bytes allowed: too large, known before any encoding
        raise Problem("lab.text_too_large", size=len(text), limit=MAX_BYTES)
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise Problem("lab.text_too_large", size=size, limit=MAX_BYTES)
    chars = graphemes(clean(text))
    if len(chars) < MIN_CHARS:
        raise Problem("lab.text_too_short", n=len(chars), least=MIN_CHARS)
    common = [c for c, _ in Counter(chars).most_common(MAX_VOCAB - 1)]
    vocab = Vocab(tuple([UNK] + sorted(common)))
    index = vocab.index
    ids = np.fromiter((index.get(c, 0) for c in chars), np.int64, len(chars))
    return Tokens(chars[:64], vocab, ids, split=len(chars) - max(2, int(len(chars) * HELD_OUT)))
