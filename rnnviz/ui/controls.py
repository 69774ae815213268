"""The sidebar: every model setting, each a widget keyed by its Config field name."""
from __future__ import annotations

import streamlit as st

from ..presets import EXPLORE_PRESETS
from ..words import say
from . import session
from .widgets import draw, words_of


def apply_preset() -> None:
    name = session.get("preset")
    if name in EXPLORE_PRESETS:
        session.set_values(t=0, row=0, layer=0, dir=0, **EXPLORE_PRESETS[name])


def forget_preset() -> None:
    """An edited text is no longer the preset's: the box stops naming it."""
    name = session.get("preset")
    if name in EXPLORE_PRESETS and session.get("text") != EXPLORE_PRESETS[name]["text"]:
        session.put("preset", "none")


def model_controls(input_size: int | None) -> None:
    """Cell, encoding, sizes, layers, direction, layout, weights, tokenization."""
    sb = st.sidebar
    sb.header(say("header.model"))
    trained = session.get("explore_weights")
    if trained is not None:                           # the sidebar shows the network on screen, and holds it
        net = trained.network
        session.set_values(cell=net.cell, H=net.hidden_size, L=net.num_layers, bi=net.bidirectional,
                           tok=trained.level, enc=trained.encoding)
        sb.caption(say("trained.locked"))
    locked = trained is not None
    draw("cell", disabled=locked)
    enc = session.get("enc")
    numbers = enc == "numbers"                        # typed numbers have no tokens to split: kept, not used
    draw("tok", horizontal=True, disabled=numbers or locked, help=say("help.tok.numbers") if numbers else None)
    draw("enc", disabled=locked)
    if enc in ("onehot", "numbers"):
        session.put("_I_locked", input_size or 1)    # set each run: a keyed widget keeps its first value=
        sb.number_input(say("label.I"), min_value=1, step=1, disabled=True, key="_I_locked",
                        help=say(f"help.I.{enc}"))
        sb.caption(say(f"caption.I.{enc}", n=input_size or "?"))
    else:
        draw("I", disabled=locked)
    draw("H", disabled=locked)
    draw("L", disabled=locked)
    draw("bi", disabled=locked)                       # one per line: side by side, the sidebar cut their labels
    draw("bf")
    sb.header(say("header.weights"))
    draw("seed")
    draw("init")
    draw("scale")
    sb.header(say("header.output"))
    draw("out", label=say("label.out.numbers") if numbers else None)
    if numbers and session.get("out"):
        draw("O")


def text_controls() -> None:
    """Preset, text box and batch switch."""
    c1, c2 = st.columns([1, 1] if session.present() else [3, 2])     # a projector's type: the preset's name whole
    c2.selectbox(say("label.preset"), ["none"] + list(EXPLORE_PRESETS), key="preset", on_change=apply_preset,
                 help=say("help.preset"), format_func=words_of(lambda name: say(f"preset.{name}")))
    draw("batch", c2)
    draw("text", c1, height=100, on_change=forget_preset)
