"""The sidebar: every model setting, each a widget keyed by its Config field name."""
from __future__ import annotations

import streamlit as st

from ..state import CELL_LABELS, ENCODING_LABELS, INIT_LABELS, LEVEL_LABELS, SPECS
from . import session
from .presets import PRESETS


def apply_preset() -> None:
    name = session.get("preset")
    if name in PRESETS:
        session.set_values(t=0, row=0, layer=0, dir=0, **PRESETS[name])


def model_controls(input_size: int | None) -> None:
    """Cell, encoding, sizes, layers, direction, layout, weights, tokenization."""
    sb = st.sidebar
    sb.header("Model")
    sb.selectbox("Cell", list(CELL_LABELS), format_func=CELL_LABELS.get, key="cell",
                 help="Elman RNN with tanh or relu, LSTM (gates i, f, g, o) or GRU (gates r, z, n), as in PyTorch")
    enc = session.get("enc")
    numbers = enc == "numbers"                        # typed numbers have no tokens to split: kept, not used
    sb.radio("Tokens", list(LEVEL_LABELS), format_func=LEVEL_LABELS.get, key="tok", horizontal=True, disabled=numbers,
             help="typed numbers are read a line per timestep" if numbers else
                  "characters are what a reader sees as one (Hangul syllables and emoji included); words split on spaces")
    sb.selectbox("Encoding", list(ENCODING_LABELS), format_func=ENCODING_LABELS.get, key="enc",
                 help="one-hot: a 1 at the token's id; embedding: a random N(0,1) table row per token; "
                      "random vectors: U[0,1) per timestep, the from-scratch lesson's input; numbers: type x_t "
                      "yourself, one timestep per line, values apart by commas or spaces (lesson 001)")
    if enc in ("onehot", "numbers"):
        session.put("_I_locked", input_size or 1)    # set each run: a keyed widget keeps its first value=
        sb.number_input("Input size I", min_value=1, step=1, disabled=True, key="_I_locked",
                        help="locked: the input size is the " + ("vocabulary size" if enc == "onehot" else
                                                                  "number of values on each line of the text"))
        sb.caption(f"One-hot: input size = vocabulary size = {input_size or '?'}, one slot per distinct token."
                   if enc == "onehot" else f"Numbers: input size = values per line = {input_size or '?'}; "
                   "each line of the text is one timestep x_t.")
    else:
        sb.slider("Input size I", int(SPECS["I"].low), int(SPECS["I"].high), key="I")
    sb.slider("Hidden size H", int(SPECS["H"].low), int(SPECS["H"].high), key="H")
    sb.slider("Layers L", int(SPECS["L"].low), int(SPECS["L"].high), key="L")
    sb.toggle("bidirectional", key="bi",              # one per line: side by side, the sidebar cut their labels
              help="a second RNN reads the text backwards; the output joins both directions: (…, 2·H)")
    sb.toggle("batch_first", key="bf", help="on: the module takes (B, T, I), as nn.RNN(batch_first=True); "
                                            "off: (T, B, I), PyTorch's default")
    sb.header("Weights")
    sb.number_input("Weight seed", int(SPECS["seed"].low), int(SPECS["seed"].high), step=1, key="seed")
    sb.selectbox("Initial weights", list(INIT_LABELS), format_func=INIT_LABELS.get, key="init",
                 help="PyTorch's default draws every weight and bias from U(−1/√H, 1/√H); lesson 000 draws them "
                      "from uniform [0, 1), which drives every h_t towards 1")
    sb.slider("Weight scale", 0.0, 10.0, step=0.05, key="scale",
              help="multiplies every weight: large weights saturate tanh, so every h_t sits near ±1")
    sb.header("Output")
    sb.toggle("Output layer: linear + softmax" if not numbers else "Output layer: y = σ(W_y·h_t)", key="out",
              help="a linear layer W_out (V × D·H) and softmax: the next-token probabilities at every step; with "
                   "typed numbers, lesson 001's head: W_y (O × D·H) and a sigmoid")
    if numbers and session.get("out"):
        sb.slider("Output size O", int(SPECS["O"].low), int(SPECS["O"].high), key="O")


def text_controls() -> None:
    """Preset, text box and batch switch."""
    c1, c2 = st.columns([3, 2])
    c2.selectbox("Lesson preset", ["—"] + list(PRESETS), key="preset", on_change=apply_preset,
                 help="fill in the text and settings of a lesson's example")
    c2.toggle("Lines as a batch", key="batch",
              help="one sequence per line: each line is one row of the batch; lines must have the same number of "
                   "tokens (typed numbers: each block of lines, apart by a blank line, is one sequence)")
    c1.text_area("Text", key="text", height=100,
                 help="up to 2,000 characters; Hangul, emoji and any script work. With the encoding “numbers”, "
                      "one timestep per line, e.g. 0.1, 0.2, 0.3, 0.4 (a list pasted from a notebook works too)")
