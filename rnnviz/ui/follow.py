"""t moves in the page first: the keys, prev / next and the figures' own animation, with the server behind.

A t-move is a gesture every class repeats hundreds of times, so the figures do not wait for the server. A small
component (Streamlit's components v2: a fixed script of ours, no user text, running in the page) sits in the
stepper's fragment and:

- hears → and ← (not while a text box, select box, tab or the slider has the keys) and clicks on ◀ prev /
  next ▶, moves the figures to the new t at once, and then asks the server for that t: an absolute t, so requests
  the server merges while it is busy still end at the last one (the buttons' own shortcuts and clicks, a step
  from the server's t, stand down; they still act before this script has loaded);
- moves the figures when the t slider's value changes (a drag, the slider's own keys, the server's answer): the
  step figure to its frame for t (only the traces and shapes a frame changes), every mark named
  marks.MARK_NAME (the outline of column t in the heatmaps and the output, the ring on the hidden-state path) to
  t; and writes t into the page's link;
- draws the step figure's columns for the steps a press goes to next (t ± 1, t + 2) while the page is idle, so a
  press only puts drawn nodes in place (plotly's heatmap drawing, ~1 ms a column, is done before the key);
- hears the step figure's own ▶ Play / ❚❚ Pause / slider drag, and asks for the step on show, which becomes t for
  the whole page.

The server's t stays the single truth. Each request carries a number; the server echoes the last number it
handled back in the component's data. While a request is unanswered the figures show what was asked (so ten
quick presses never flicker back to a step the server passed through); once the last is answered they show the
server's t, whatever it is.
"""
from __future__ import annotations

import streamlit as st

from ..plots.marks import MARK_NAME
from . import session, web

KEY = "follow_t"
DONE = "_follow_t_done"    # the number of the last request from the page that this session has handled
_follow = st.components.v2.component("rnnviz_follow_t", js=web.script("follow"))


def _moved() -> None:
    asked = getattr(session.get(KEY), "t", None)      # session state through ui/session.py, as everywhere
    if not isinstance(asked, dict):
        return
    t, n = asked.get("t"), asked.get("n")
    if isinstance(n, int) and not isinstance(n, bool):
        session.put(DONE, max(n, session.get(DONE, 0)))
    if isinstance(t, int) and not isinstance(t, bool) and t >= 0:
        session.put("t", t)        # clamped to the sequence by the run that follows, as a link's t is


def follow_t(chart: str, t: int) -> None:
    """Let t move in the page first and the figures follow it; `chart` is the key of the animated step figure, `t`
    the server's t."""
    _follow(key=KEY, data={"chart": chart, "mark": MARK_NAME, "t": t, "done": session.get(DONE, 0)}, on_t_change=_moved,
            height=0)
