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
    if (!box) continue;
    const plot = box.querySelector(".js-plotly-plot") || box;
    plot.setAttribute("role", "figure");
    plot.setAttribute("aria-label", String(text));
  }
}

export default function(component) {
  const data = component.data || {};
  const S = window.__rnnvizA11y || (window.__rnnvizA11y = {said: null});
  const apply = () => label(data.labels);
  apply();
  // figures mount after this script runs on a first load: label them as they come
  let tries = 0;
  const again = setInterval(() => { apply(); if (++tries >= 20) clearInterval(again); }, 250);
  const live = String(data.live || "");
  if (live && live !== S.said) {
    S.said = live;
    region().textContent = live;
  }
  return () => clearInterval(again);
}
