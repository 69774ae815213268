"""t follows the step figure's own animation: when ▶ Play ends, ❚❚ Pause stops it, or the figure's slider is
dragged, the step the figure shows becomes t for the whole page (the t line, the other tabs, the link).

Plotly animates in the browser and Streamlit gets no event from it, so a small component (Streamlit's
components v2: a fixed script of ours, no user text, running in the page) listens to the chart's own plotly
events and sends the step once the animation has stopped. It sits outside the fragment that follows t, so
moving t does not pay for it; a report reruns the page once, as any widget does."""
from __future__ import annotations

import streamlit as st

from . import session

# Listens to the chart with the given key; reports its slider's step 0.3 s after the last animation event (a
# drag of the figure's slider sends one report, and ▶ Play sends one when it ends or is paused), and only when
# it differs from the step the server drew (read when the chart is mounted, so a t-move is never sent back).
JS = """
export default function(component) {
  const { setTriggerValue, data } = component;
  let gd = null, drawn = null, timer = null;
  const shown = () => {
    const s = gd && gd._fullLayout && gd._fullLayout.sliders && gd._fullLayout.sliders[0];
    return s && s.steps[s.active] ? s.steps[s.active].label : null;
  };
  const report = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const t = shown();
      if (t !== null && t !== drawn) { drawn = t; setTriggerValue("t", Number(t)); }
    }, 300);
  };
  const attach = () => {
    const el = document.querySelector(".st-key-" + data.chart + " .js-plotly-plot");
    if (!el || el === gd || typeof el.on !== "function" || !el._fullLayout) return;
    gd = el;
    drawn = shown();
    gd.on("plotly_animated", report);
    gd.on("plotly_animationinterrupted", report);
  };
  attach();
  const poll = setInterval(attach, 250);
  return () => { clearInterval(poll); clearTimeout(timer); };
}
"""

KEY = "follow_play"
_follow = st.components.v2.component("rnnviz_follow_play", js=JS)


def _moved() -> None:
    t = st.session_state[KEY].t
    if isinstance(t, int) and not isinstance(t, bool) and t >= 0:
        session.put("t", t)        # clamped to the sequence by the run that follows, as a link's t is


def follow_play(chart: str) -> None:
    """Make t follow the animation of the chart with this key."""
    _follow(key=KEY, data={"chart": chart}, on_t_change=_moved, height=0)
