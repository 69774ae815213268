// Screen readers: each figure's text alternative and a polite live region; loaded by rnnviz/ui/a11y.py (see its
// docstring). Attributes and textContent only: nothing here is parsed as markup.
function region() {
  let el = document.getElementById("rnnviz-live");
  if (!el) {
    el = document.createElement("div");
    el.id = "rnnviz-live";
    el.setAttribute("role", "status");
    el.setAttribute("aria-live", "polite");
    el.setAttribute("aria-atomic", "true");
    // seen by screen readers only (the usual visually-hidden rule)
    Object.assign(el.style, {position: "absolute", width: "1px", height: "1px", overflow: "hidden",
      clip: "rect(0 0 0 0)", clipPath: "inset(50%)", whiteSpace: "nowrap", margin: "-1px", padding: "0", border: "0"});
    document.body.appendChild(el);
  }
  return el;
}

function label(labels) {
  for (const [key, text] of Object.entries(labels || {})) {
    const box = document.querySelector(`.st-key-${CSS.escape(key)}`);
    const plot = box && box.querySelector(".js-plotly-plot");
    if (!plot) continue;             // not drawn yet: the next try labels it
    if (plot.getAttribute("aria-label") === String(text)) continue;
    plot.setAttribute("role", "figure");
    plot.setAttribute("aria-label", String(text));
    // the label says it: plotly's drawing (every number as text) is not read out too; its toolbar still is
    plot.querySelectorAll("svg.main-svg").forEach(svg => svg.setAttribute("aria-hidden", "true"));
  }
}

export default function(component) {
  const data = component.data || {};
  const S = window.__rnnvizA11y || (window.__rnnvizA11y = {said: null, labels: {}, timer: null});
  // The newest label of each figure, whichever run sent it (the page's run, or Explore's stepper as t moves), is
  // given to the figure now and to one drawn later (figures mount after this script runs, and plotly may draw a
  // figure again).
  Object.assign(S.labels, data.labels || {});
  label(S.labels);
  if (!S.timer) S.timer = setInterval(() => label(S.labels), 400);
  const live = String(data.live || "");
  if (live && live !== S.said) {
    S.said = live;
    region().textContent = live;
  }
}
