// t moves in the page first; loaded by rnnviz/ui/follow.py (its docstring says what this does and why).
export default function(component) {
  // One controller per page, kept on window: Streamlit may run this module again for the same mount (new data),
  // and the listeners are installed once; only the newest run's channel to the server is used.
  const S = window.__rnnvizT || (window.__rnnvizT = {asked: null, sent: 0, settling: false, installed: false});
  const run = {send: component.setTriggerValue, data: component.data};
  S.live = run;
  const done = run.data.done || 0;
  // Every request answered: the server's t is the truth (the figures show it, and let go once the slider does).
  if (done >= S.sent) { S.sent = done; S.asked = run.data.t; S.settling = true; }
  if (!S.installed) install(S);
  S.soon();
  return () => { if (S.live === run) S.live = null; };
}

function install(S) {
  S.installed = true;
  let pending = false, timer = null, gd = null;
  const slider = () => document.querySelector(".st-key-t input[type=range]");
  // The server's t: the slider's value (it also moves in the browser while the slider is dragged).
  const pageT = () => {
    const e = document.querySelector(".st-key-t [data-testid=stSliderThumbValue]");
    const t = e ? parseInt(e.textContent, 10) : NaN;
    return Number.isInteger(t) ? t : null;
  };
  const want = () => S.asked !== null ? S.asked : pageT();

  // The step figure's own slider: the step it shows.
  const shownOf = plot => {
    const s = plot && plot._fullLayout && plot._fullLayout.sliders && plot._fullLayout.sliders[0];
    return s && s.steps[s.active] ? s.steps[s.active].label : null;
  };
  // The link holds t as the server writes it (left out at 0).
  const link = t => {
    const url = new URL(window.location.href);
    if ((url.searchParams.get("t") || "0") === String(t)) return;
    if (t === 0) url.searchParams.delete("t"); else url.searchParams.set("t", String(t));
    window.history.replaceState(window.history.state, "", url);
  };

  // Move one figure to t, redrawing only what a move changes.
  const move = (plot, t) => {
    const P = window.Plotly, NAME = S.live.data.mark;
    if (plot.closest(".st-key-" + S.live.data.chart)) {             // the step figure: its frame for t
      const frame = plot._transitionData && plot._transitionData._frameHash[String(t)];
      if (frame) {                  // once idle, the steps a press goes to next
        clearTimeout(plot.__rnnvizAhead);
        plot.__rnnvizAhead = setTimeout(() => requestIdleCallback(() => drawAhead(plot, t), {timeout: 1000}), 0);
      }
      if (!frame || plot.layout.title.text === frame.layout.title.text) return;    // there already
      const ready = drawnAhead(plot).frames.get(t);
      frame.traces.forEach((k, j) => {
        const z = frame.data[j].z;
        if (ready && swapIn(plot, k, ready[k])) return;
        if (!(z.bdata && z.dtype === "f4" && alone(plot, k, {z: column(z)}))) P.restyle(plot, {z: [z]}, [k]);
      });
      plot._fullLayout._currentFrame = String(t);                   // ▶ Play goes on from here (fromcurrent)
      const title = frame.layout.title.text;
      P.relayout(plot, titled(plot, title) ? {shapes: frame.layout.shapes} : {shapes: frame.layout.shapes, "title.text": title});
      // The animation slider's grip once t rests (a relayout of it takes 30-50 ms, which would hold up the next
      // of ten quick presses): the figure shows t first.
      const slider = plot._fullLayout.sliders && plot._fullLayout.sliders[0];
      const active = slider ? slider.steps.findIndex(s => s.label === String(t)) : -1;
      clearTimeout(plot.__rnnvizGrip);
      plot.__rnnvizGrip = setTimeout(() => {          // (the figure may have been drawn anew, or gone, since)
        if (active < 0 || !plot.isConnected || !plot.layout || !plot.layout.title || !plot._fullLayout) return;
        if (shownOf(plot) !== String(t) && plot.layout.title.text === frame.layout.title.text)
          P.relayout(plot, {"sliders[0].active": active});
      }, 400);
      return;
    }
    // A shape of the mark: the whole list of shapes at once, which plotly redraws alone (a change of one shape's
    // x0 redraws the whole figure).
    const shapes = plot.layout.shapes || [];
    if (shapes.some(s => s.name === NAME && s.x0 !== t - 0.5))
      P.relayout(plot, {shapes: shapes.map(s => s.name === NAME ? {...s, x0: t - 0.5, x1: t + 0.5} : s)});
    const k = plot.data.findIndex(d => d.name === NAME);
    const path = plot._fullData && plot._fullData[0];              // its x and y decoded from plotly's typed arrays
    if (k > 0 && path && path.x && t < path.x.length && plot.data[k].x[0] !== path.x[t]
        && !alone(plot, k, {x: [path.x[t]], y: [path.y[t]]}))
      P.restyle(plot, {x: [[path.x[t]]], y: [[path.y[t]]]}, [k]);
  };
  // Trace k given new values and drawn alone on its axes with plotly's own code for its type (a restyle draws
  // every trace of the figure again: ~80 ms for the step figure). False if plotly's insides are not as expected
  // (then the caller restyles).
  // Trace k, its axes and the one layer (a d3 selection) its type is drawn in on them; null if not as expected.
  const drawnOn = (plot, k) => {
    const trace = plot._fullData && plot._fullData[k];
    const axes = trace && plot._fullLayout._plots[trace.xaxis + trace.yaxis];
    const layer = axes && axes.plot && axes.plot.select("g." + trace.type + "layer");
    return layer && layer.size() === 1 ? {trace, axes, layer} : null;
  };
  // New values of trace k, where plotly keeps them (the figure's data, its full data and that one's input).
  const setValues = (plot, k, values) => Object.entries(values).forEach(([name, v]) => {
    const trace = plot._fullData[k];
    plot.data[k][name] = v; trace[name] = v; trace._input[name] = v;
  });
  const alone = (plot, k, values) => {
    const on = drawnOn(plot, k), trace = on && on.trace, mod = trace && trace._module;
    if (!on || !mod || !mod.calc || !mod.plot || !plot.calcdata[k]) return false;
    const {axes, layer} = on;
    setValues(plot, k, values);
    const cd = mod.calc(plot, trace);
    cd[0].trace = trace;
    plot.calcdata[k] = cd;
    if (trace.type === "scatter") {
      // Only this trace: given transition options (of no duration), plotly's scatter code draws the traces it is
      // given and leaves the others (the path's 2,000 points at the cap) as they are.
      mod.plot(plot, axes, [cd], layer, {duration: 0}, () => () => {});
      const drawn = layer.selectAll("g.trace").filter(d => d && d[0] && d[0].trace.index === k);
      if (drawn.size() !== 1 || !mod.styleOnSelect) return false;
      mod.styleOnSelect(plot, cd, drawn);
      return true;
    }
    const here = plot.calcdata.filter(c => c[0] && c[0].trace._module === mod && c[0].trace.xaxis === trace.xaxis
                                           && c[0].trace.yaxis === trace.yaxis);    // its layer holds these
    mod.plot(plot, axes, here, layer);
    if (mod.style) mod.style(plot);
    return true;
  };
  // The step figure's columns drawn ahead, while the page is idle, for the steps a press goes to next (t ± 1, t + 2):
  // plotly's drawing of a heatmap (a canvas turned into an image, ~1 ms a column) is done before the key is
  // pressed, and a press only puts the drawn nodes in place. Kept per figure drawing and size; a few steps only.
  const layerOf = (plot, k) => { const on = drawnOn(plot, k); return on ? on.layer.node() : null; };
  // Deep copies that keep d3's data on every node (plotly's styling and its next drawing read it).
  const withData = (from, to) => {
    if ("__data__" in from) to.__data__ = from.__data__;
    for (let i = 0; i < from.children.length; i++) withData(from.children[i], to.children[i]);
    return to;
  };
  const copies = nodes => nodes.map(n => n.nodeType === 1 ? withData(n, n.cloneNode(true)) : n.cloneNode(true));
  const drawnAhead = plot => {
    const size = plot._fullLayout.width + "x" + plot._fullLayout.height;
    let c = plot.__rnnvizDrawn;
    if (!c || c.layout !== plot.layout || c.size !== size)
      c = plot.__rnnvizDrawn = {layout: plot.layout, size: size, frames: new Map()};
    return c;
  };
  // Column k as drawn ahead: its values, plotly's calculation of them (hover reads it) and a copy of its nodes.
  const swapIn = (plot, k, drawn) => {
    const layer = drawn && layerOf(plot, k);
    if (!layer) return false;
    setValues(plot, k, {z: drawn.z});
    drawn.cd[0].trace = plot._fullData[k];
    plot.calcdata[k] = drawn.cd;
    layer.replaceChildren(...copies(drawn.nodes));
    return true;
  };
  const drawAhead = (plot, t) => {
    if (!plot.isConnected || !plot._fullLayout || !plot._transitionData) return;
    const ahead = drawnAhead(plot);
    for (const s of ahead.frames.keys()) if (Math.abs(s - t) > 3) ahead.frames.delete(s);
    for (const s of [t + 1, t - 1, t + 2]) {
      const frame = plot._transitionData._frameHash[String(s)];
      if (!frame || ahead.frames.has(s)) continue;
      const drawn = {};
      for (let j = 0; j < frame.traces.length; j++) {
        const k = frame.traces[j], z = frame.data[j].z, layer = layerOf(plot, k);
        if (!layer || !(z.bdata && z.dtype === "f4")) return;
        const shown = Array.from(layer.childNodes), was = {z: plot.data[k].z, cd: plot.calcdata[k]};
        layer.replaceChildren(...copies(shown));          // plotly draws step s into copies: what shows stays
        const ok = alone(plot, k, {z: column(z)});
        if (ok) drawn[k] = {z: plot.data[k].z, cd: plot.calcdata[k], nodes: Array.from(layer.childNodes)};
        setValues(plot, k, {z: was.z});
        plot.calcdata[k] = was.cd;
        layer.replaceChildren(...shown);
        if (!ok) return;
      }
      ahead.frames.set(s, drawn);
    }
  };
  // The title's first line (the step and its token) written into the drawn title, when both lines are plain
  // text (no markup to render, so the text node plotly drew holds it as is): a relayout of the title redraws
  // every subplot's axes (~25 ms). The layout says the same, for any later redraw.
  const titled = (plot, text) => {
    const line = text.split("<br>")[0], old = plot._fullLayout.title.text.split("<br>")[0];
    const el = plot.querySelector(".gtitle");
    const node = el && document.createTreeWalker(el, NodeFilter.SHOW_TEXT).nextNode();
    if (!node || node.data !== old || /[<&]/.test(line + old)) return false;
    node.data = line;
    el.setAttribute("data-unformatted", text);
    plot.layout.title.text = text;
    plot._fullLayout.title.text = text;
    return true;
  };
  // A column's values in a frame (plotly's typed-array form of float32, shape H × 1) as the rows plotly keeps.
  const column = spec => {
    const bytes = atob(spec.bdata), u8 = new Uint8Array(bytes.length);
    for (let i = 0; i < bytes.length; i++) u8[i] = bytes.charCodeAt(i);
    return Array.from(new Float32Array(u8.buffer), v => [v]);
  };
  S.move = move;
  // Every figure on the page to t (a figure Streamlit drew again, or one the page moved to another t, is moved;
  // a figure left alone is not, so ▶ Play runs undisturbed).
  const show = t => {
    link(t);
    if (!window.Plotly) return;
    document.querySelectorAll("[data-testid=stPlotlyChart] .js-plotly-plot").forEach(plot => {
      if (!plot._fullLayout || (plot.__rnnvizT === t && plot.__rnnvizLayout === plot.layout)) return;
      move(plot, t);
      plot.__rnnvizT = t;
      plot.__rnnvizLayout = plot.layout;
    });
  };
  // Ask the server for t (the figures have moved already); the number lets its answer be told apart.
  const ask = t => {
    if (!S.live) return;
    S.asked = t;
    S.settling = false;
    show(t);
    S.sent += 1;
    S.live.send("t", {t: t, n: S.sent});
  };
  const step = delta => {
    const from = want(), e = slider(), top = e ? Number(e.max) : null;
    if (from === null || top === null) return;
    const t = Math.min(Math.max(from + delta, 0), top);
    if (t !== from) ask(t);
  };

  // Keys: → and ← step, unless the focus is somewhere that uses them itself.
  const KEYS = {ArrowRight: 1, ArrowLeft: -1};
  const OWN_KEYS = ["slider", "combobox", "tab", "listbox", "option", "textbox", "spinbutton", "radio", "menuitem"];
  const ownsKeys = el => el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName)
                                || OWN_KEYS.includes(el.getAttribute && el.getAttribute("role")));
  window.addEventListener("keydown", e => {
    if (!S.live || !(e.key in KEYS) || e.ctrlKey || e.altKey || e.metaKey || e.shiftKey) return;
    if (ownsKeys(e.target) || ownsKeys(document.activeElement) || !slider()) return;
    e.preventDefault();              // the buttons' own shortcuts (one step from the server's t) stand down
    e.stopPropagation();
    step(KEYS[e.key]);
  }, true);
  // ◀ prev / next ▶: the page moves t; Streamlit's own click (one step from the server's t) is not sent, so
  // quick clicks the server merges are not lost.
  window.addEventListener("click", e => {
    const b = S.live && e.target.closest && e.target.closest(".st-key-t_prev button, .st-key-t_next button");
    if (!b || b.disabled || !slider()) return;
    e.stopPropagation();
    e.preventDefault();
    step(b.closest(".st-key-t_next") ? 1 : -1);
  }, true);

  // After ▶ Play, ❚❚ Pause or a drag of the figure's slider, 0.3 s after the last animation event: ask for the
  // step on show, unless it is the one the page shows already.
  const report = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const t = shownOf(gd);
      if (t !== null && Number(t) !== want()) { gd.__rnnvizT = Number(t); ask(Number(t)); }
    }, 300);
  };
  const attach = () => {
    const el = S.live && document.querySelector(".st-key-" + S.live.data.chart + " .js-plotly-plot");
    if (!el || el === gd || typeof el.on !== "function" || !el._fullLayout) return;
    gd = el;
    gd.on("plotly_animated", report);
    gd.on("plotly_animationinterrupted", report);
  };
  const look = () => {
    pending = false;
    if (!S.live) return;
    attach();
    if (S.settling && pageT() === S.asked) { S.asked = null; S.settling = false; }
    const t = want();
    if (t !== null) show(t);
  };
  S.soon = () => { if (!pending) { pending = true; requestAnimationFrame(look); } };
  // At once on a change of the page (a microtask, before the browser paints it): a figure Streamlit has just drawn
  // again at the server's t is moved to the asked t before it is ever on screen.
  new MutationObserver(look).observe(document.body, {subtree: true, childList: true, characterData: true});
  setInterval(S.soon, 500);
}
