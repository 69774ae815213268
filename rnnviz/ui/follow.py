"""The figures follow t in the browser, and t follows the step figure's own animation.

Moving t reruns only the stepper (explore.moving_t): the figures were sent once, drawn at t, and a small
component (Streamlit's components v2: a fixed script of ours, no user text, running in the page) moves them when
the t slider's value changes: the step figure goes to its animation frame for t, and every mark named
marks.MARK_NAME (the outline of column t in the heatmaps and the output, the ring on the hidden-state path) moves
to t; and it writes t into the page's link. So a t-move sends no figure again, and the figures move as soon as
the slider does, before the server answers.

The other way: plotly animates ▶ Play in the browser and Streamlit gets no event from it, so the same script
listens to the step figure's own plotly events: when ▶ Play ends, ❚❚ Pause stops it or its slider is dragged, it
sends the step on show, which becomes t for the whole page (the t line, the other tabs, the link).

The component sits outside the stepper's fragment, so a t-move does not pay for it; a report from Play reruns the
page once, as any widget does."""
from __future__ import annotations

import streamlit as st

from ..plots.marks import MARK_NAME
from . import session

JS = """
export default function(component) {
  const { setTriggerValue, data } = component;
  const NAME = data.mark;
  let gd = null, drawn = null, timer = null, pending = false;

  // The step figure's own slider: the step it shows.
  const shownOf = plot => {
    const s = plot && plot._fullLayout && plot._fullLayout.sliders && plot._fullLayout.sliders[0];
    return s && s.steps[s.active] ? s.steps[s.active].label : null;
  };
  // After ▶ Play, ❚❚ Pause or a drag of the figure's slider, 0.3 s after the last animation event: send the step
  // on show, unless it is the one the page drew (a t-move is never sent back).
  const report = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const t = shownOf(gd);
      if (t !== null && t !== drawn) { drawn = t; setTriggerValue("t", Number(t)); }
    }, 300);
  };
  const attach = () => {
    const el = document.querySelector(".st-key-" + data.chart + " .js-plotly-plot");
    if (!el || el === gd || typeof el.on !== "function" || !el._fullLayout) return;
    gd = el;
    drawn = shownOf(gd);
    gd.on("plotly_animated", report);
    gd.on("plotly_animationinterrupted", report);
  };

  // t on the page: the slider's value, which moves in the browser while it is dragged and when the server moves t.
  const pageT = () => {
    const e = document.querySelector(".st-key-t [data-testid=stSliderThumbValue]");
    const t = e ? parseInt(e.textContent, 10) : NaN;
    return Number.isInteger(t) ? t : null;
  };
  // The link holds t as the server writes it (left out at 0); a whole rerun of the page writes the same.
  const link = t => {
    const url = new URL(window.location.href);
    if ((url.searchParams.get("t") || "0") === String(t)) return;
    if (t === 0) url.searchParams.delete("t"); else url.searchParams.set("t", String(t));
    window.history.replaceState(window.history.state, "", url);
  };
  const follow = () => {
    const P = window.Plotly, t = pageT();
    if (t === null) return;
    link(t);
    if (!P) return;
    document.querySelectorAll("[data-testid=stPlotlyChart] .js-plotly-plot").forEach(plot => {
      if (!plot._fullLayout || plot.__rnnvizT === t) return;
      plot.__rnnvizT = t;
      if (plot.closest(".st-key-" + data.chart)) {
        const frames = plot._transitionData && plot._transitionData._frameHash;
        if (frames && frames[String(t)] && shownOf(plot) !== String(t)) {
          if (plot === gd) drawn = String(t);
          P.animate(plot, [String(t)], {mode: "immediate", frame: {duration: 0, redraw: true},
                                        transition: {duration: 0}});
        }
        return;
      }
      const update = {};
      (plot.layout.shapes || []).forEach((s, i) => {
        if (s.name === NAME) { update["shapes[" + i + "].x0"] = t - 0.5; update["shapes[" + i + "].x1"] = t + 0.5; }
      });
      if (Object.keys(update).length) P.relayout(plot, update);
      const k = plot.data.findIndex(d => d.name === NAME);
      const path = plot._fullData && plot._fullData[0];          // its x and y decoded from plotly's typed arrays
      if (k > 0 && path && path.x && t < path.x.length) P.restyle(plot, {x: [[path.x[t]]], y: [[path.y[t]]]}, [k]);
    });
  };
  const look = () => { pending = false; attach(); follow(); };
  const soon = () => { if (!pending) { pending = true; requestAnimationFrame(look); } };
  const watch = new MutationObserver(soon);
  watch.observe(document.body, {subtree: true, childList: true, characterData: true});
  const poll = setInterval(soon, 500);
  look();
  return () => { watch.disconnect(); clearInterval(poll); clearTimeout(timer); };
}
"""

KEY = "follow_t"
_follow = st.components.v2.component("rnnviz_follow_t", js=JS)


def _moved() -> None:
    t = st.session_state[KEY].t
    if isinstance(t, int) and not isinstance(t, bool) and t >= 0:
        session.put("t", t)        # clamped to the sequence by the run that follows, as a link's t is


def follow_t(chart: str) -> None:
    """Let the figures follow t in the browser, and t follow the animation of the step figure with this key."""
    _follow(key=KEY, data={"chart": chart, "mark": MARK_NAME}, on_t_change=_moved, height=0)
