"""Screen readers: every figure labelled with what it shows at the current step, and a polite live region that says
the new t and the new lesson page.

Figures register as they are drawn (ui/charts.py); at the end of the page's run one small component (a fixed script
of ours, components v2, no user text as markup: it sets attributes and textContent only) gives each figure's
element `role="figure"` and its text alternative as `aria-label`, and writes the live region's sentence."""
from __future__ import annotations

import streamlit as st

from ..plots.describe import describe, step_of
from ..words import say
from . import session, web

KEY = "a11y"
DRAWN = "_a11y_drawn"       # this run's figures: key -> (spec, t)
LIVE = "_a11y_live"         # this run's sentence for the live region (a catalogue key and its parameters)
_a11y = st.components.v2.component("rnnviz_a11y", js=web.script("a11y"))


def start() -> None:
    """A new page run: no figure drawn yet."""
    session.put(DRAWN, {})
    session.put(LIVE, None)


def drawn(key: str, spec: dict, t: int | None = None) -> None:
    """Figure `key` is on the page (at step t, if the figure's own mark does not say it)."""
    figures = session.get(DRAWN)
    if isinstance(figures, dict):
        figures[key] = (spec, t)


def announce(key: str, **params: object) -> None:
    """What the live region says after this run (a catalogue key: said in the page's language when drawn).

    With a step `t` (Explore's stepper, in its fragment): said at once, and every figure that marks a step is
    labelled at the new t. A t-move reruns only that fragment, so the end of the page's run never comes; the
    figures drawn by the last whole run are still registered and are described again at t."""
    session.put(LIVE, (key, params))
    t = params.get("t")
    if isinstance(t, int) and not isinstance(t, bool):
        _a11y(key=f"{KEY}_t", data={"labels": labels(t), "live": say(key, **params)}, height=0)


def labels(at: int | None = None) -> dict[str, str]:
    """Each figure's text alternative, in the page's language (a figure that marks a step: at step `at`, if
    given)."""
    figures = session.get(DRAWN) or {}
    return {key: describe(spec, at if at is not None and step_of(spec) is not None else t)
            for key, (spec, t) in figures.items()}


def draw() -> None:
    """The component, once at the end of the page's run."""
    live = session.get(LIVE)
    _a11y(key=KEY, data={"labels": labels(), "live": say(live[0], **live[1]) if live else ""}, height=0)
