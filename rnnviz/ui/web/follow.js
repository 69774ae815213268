// t moves in the page first; loaded by rnnviz/ui/follow.py (its docstring says what this does and why).

// ---- plotly adapter: begin ----
// plotlyPrivate: every read or write of plotly.js's private state (the plotly.js that Streamlit bundles) is here and
// nowhere else (tests/test_web_files.py holds the private names to this block): the full layout (its slider, current
// frame, size, title, subplots), the full data (a trace's _module and _input), calcdata, the animation frames
// (_transitionData), the d3 selections and data of the drawn layers, and the title's node. check(gd) says which of
// these a figure no longer has; the page's <html> carries the answer in data-rnnviz-plotly ("ok", or "changed: "
// and the names), which tests/e2e/test_t_move_browser.py reads. Where a read fails, the moves fall back to
// Plotly.restyle / relayout (plotly's public API): slower, but right.
const plotlyPrivate = (() => {
  const ready = gd => Boolean(gd && gd._fullLayout);
  const size = gd => gd._fullLayout.width + "x" + gd._fullLayout.height;
  const sliderOf = gd => (ready(gd) && gd._fullLayout.sliders && gd._fullLayout.sliders[0]) || null;
  // The step the figure's own slider shows (its label), or null.
  const shown = gd => {
    const s = sliderOf(gd);
    return s && s.steps[s.active] ? s.steps[s.active].label : null;
  };
  const hasFrames = gd => Boolean(ready(gd) && gd._transitionData && gd._transitionData._frameHash);
  const frame = (gd, t) => (hasFrames(gd) && gd._transitionData._frameHash[String(t)]) || null;
  const playFrom = (gd, t) => { gd._fullLayout._currentFrame = String(t); };      // ▶ Play goes on from t
  // Trace k's values as plotly decoded them (typed arrays made plain), or null.
  const values = (gd, k) => (gd._fullData && gd._fullData[k]) || null;
  // Trace k, its axes and the one layer (a d3 selection) its type is drawn in on them; null if not as expected.
  const drawnOn = (gd, k) => {
    const trace = gd._fullData && gd._fullData[k];
    const axes = trace && gd._fullLayout._plots && gd._fullLayout._plots[trace.xaxis + trace.yaxis];
    const layer = axes && axes.plot && axes.plot.select && axes.plot.select("g." + trace.type + "layer");
    return layer && layer.size() === 1 ? {trace, axes, layer} : null;
  };
  const layer = (gd, k) => { const on = drawnOn(gd, k); return on ? on.layer.node() : null; };
  // New values of trace k, where plotly keeps them (the figure's data, its full data and that one's input).
  const setValues = (gd, k, values) => Object.entries(values).forEach(([name, v]) => {
    const trace = gd._fullData[k];
    gd.data[k][name] = v; trace[name] = v; trace._input[name] = v;
  });
  const calc = (gd, k) => gd.calcdata[k];
  const putCalc = (gd, k, cd) => { cd[0].trace = gd._fullData[k]; gd.calcdata[k] = cd; };
  // Trace k given new values and drawn alone on its axes with plotly's own code for its type (a restyle draws
  // every trace of the figure again: ~80 ms for the step figure). False if plotly's insides are not as expected
  // (then the caller restyles).
  const drawAlone = (gd, k, values) => {
    const on = drawnOn(gd, k), trace = on && on.trace, mod = trace && trace._module;
    if (!on || !mod || !mod.calc || !mod.plot || !gd.calcdata[k]) return false;
    const {axes, layer} = on;
    setValues(gd, k, values);
    const cd = mod.calc(gd, trace);
    cd[0].trace = trace;
    gd.calcdata[k] = cd;
    if (trace.type === "scatter") {
      // Only this trace: given transition options (of no duration), plotly's scatter code draws the traces it is
      // given and leaves the others (the path's 2,000 points at the cap) as they are.
      mod.plot(gd, axes, [cd], layer, {duration: 0}, () => () => {});
      const drawn = layer.selectAll("g.trace").filter(d => d && d[0] && d[0].trace.index === k);
      if (drawn.size() !== 1 || !mod.styleOnSelect) return false;
      mod.styleOnSelect(gd, cd, drawn);
      return true;
    }
    const here = gd.calcdata.filter(c => c[0] && c[0].trace._module === mod && c[0].trace.xaxis === trace.xaxis
                                         && c[0].trace.yaxis === trace.yaxis);    // its layer holds these
    mod.plot(gd, axes, here, layer);
    if (mod.style) mod.style(gd);
    return true;
  };
  // Deep copies of drawn nodes that keep d3's data on every node (plotly's styling and its next drawing read it).
  const withData = (from, to) => {
    if ("__data__" in from) to.__data__ = from.__data__;
    for (let i = 0; i < from.children.length; i++) withData(from.children[i], to.children[i]);
    return to;
  };
  const copies = nodes => nodes.map(n => n.nodeType === 1 ? withData(n, n.cloneNode(true)) : n.cloneNode(true));
  // The title's first line written into the drawn title's text node, when both lines are plain text (no markup to
  // render, so the node holds it as is); false if not (then the caller relayouts). The layout says the same.
  const writeTitle = (gd, text) => {
    const line = text.split("<br>")[0], old = gd._fullLayout.title.text.split("<br>")[0];
    const el = gd.querySelector(".gtitle");
    const node = el && document.createTreeWalker(el, NodeFilter.SHOW_TEXT).nextNode();
    if (!node || node.data !== old || /[<&]/.test(line + old)) return false;
    node.data = line;
    el.setAttribute("data-unformatted", text);
    gd.layout.title.text = text;
    gd._fullLayout.title.text = text;
    return true;
  };
  // The names this adapter reads that a drawn figure no longer has as expected ([] when all is as it reads them).
  const check = gd => {
    const changed = [], need = (ok, name) => { if (!ok) changed.push(name); };
    const full = gd._fullLayout, data = gd._fullData, cds = gd.calcdata;
    need(full && typeof full === "object", "_fullLayout");
    if (!full) return changed;
    need(full._plots && typeof full._plots === "object", "_fullLayout._plots");
    need(typeof full.width === "number" && typeof full.height === "number", "_fullLayout.width/height");
    need(Array.isArray(data) && data.length === gd.data.length, "_fullData");
    need(Array.isArray(cds) && cds.length === gd.data.length, "calcdata");
    (Array.isArray(data) ? data : []).forEach((trace, k) => {
      if (trace.visible !== true || !["heatmap", "scatter"].includes(trace.type)) return;   // the ones moved
      const mod = trace._module;
      need(mod && typeof mod.calc === "function" && typeof mod.plot === "function", `_fullData[${k}]._module`);
      need(trace.type !== "scatter" || (mod && typeof mod.styleOnSelect === "function"),
           `_fullData[${k}]._module.styleOnSelect`);
      need(trace._input && typeof trace._input === "object", `_fullData[${k}]._input`);
      need(Array.isArray(cds && cds[k]) && cds[k][0] && cds[k][0].trace === trace, `calcdata[${k}][0].trace`);
      need(drawnOn(gd, k) !== null, `_fullLayout._plots[${trace.xaxis + trace.yaxis}] g.${trace.type}layer`);
    });
    if (gd.layout.sliders) {                                    // the step figure: its frames and its slider
      need(hasFrames(gd) && typeof gd._transitionData._frameHash === "object", "_transitionData._frameHash");
      const s = sliderOf(gd);
      need(s && Array.isArray(s.steps) && typeof s.active === "number", "_fullLayout.sliders[0]");
    }
    if (gd.layout.title && gd.layout.title.text)
      need(full.title && typeof full.title.text === "string" && gd.querySelector(".gtitle"), "_fullLayout.title/.gtitle");
    return changed;
  };
  return {NAME: "plotlyPrivate (rnnviz/ui/web/follow.js)", ready, size, shown, sliderOf, hasFrames, frame, playFrom,
          values, layer, setValues, calc, putCalc, drawAlone, copies, writeTitle, check};
})();
// ---- plotly adapter: end ----

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

  const P = plotlyPrivate;
  // The link holds t as the server writes it (left out at 0).
  const link = t => {
    const url = new URL(window.location.href);
    if ((url.searchParams.get("t") || "0") === String(t)) return;
    if (t === 0) url.searchParams.delete("t"); else url.searchParams.set("t", String(t));
    window.history.replaceState(window.history.state, "", url);
  };

  // Move one figure to t, redrawing only what a move changes.
  const move = (plot, t) => {
    const Plotly = window.Plotly, NAME = S.live.data.mark;
    if (plot.closest(".st-key-" + S.live.data.chart)) {             // the step figure: its frame for t
      const frame = P.frame(plot, t);
      if (frame) {                  // once idle, the steps a press goes to next
        clearTimeout(plot.__rnnvizAhead);
        plot.__rnnvizAhead = setTimeout(() => requestIdleCallback(() => drawAhead(plot, t), {timeout: 1000}), 0);
      }
      if (!frame || plot.layout.title.text === frame.layout.title.text) return;    // there already
      const ready = drawnAhead(plot).frames.get(t);
      frame.traces.forEach((k, j) => {
        const z = frame.data[j].z;
        if (ready && swapIn(plot, k, ready[k])) return;
        if (!(z.bdata && z.dtype === "f4" && P.drawAlone(plot, k, {z: column(z)}))) Plotly.restyle(plot, {z: [z]}, [k]);
      });
      P.playFrom(plot, t);                                          // ▶ Play goes on from here (fromcurrent)
      const title = frame.layout.title.text;
      Plotly.relayout(plot, P.writeTitle(plot, title) ? {shapes: frame.layout.shapes}
                                                      : {shapes: frame.layout.shapes, "title.text": title});
      // The animation slider's grip once t rests (a relayout of it takes 30-50 ms, which would hold up the next
      // of ten quick presses): the figure shows t first.
      const slider = P.sliderOf(plot);
      const active = slider ? slider.steps.findIndex(s => s.label === String(t)) : -1;
      clearTimeout(plot.__rnnvizGrip);
      plot.__rnnvizGrip = setTimeout(() => {          // (the figure may have been drawn anew, or gone, since)
        if (active < 0 || !plot.isConnected || !plot.layout || !plot.layout.title || !P.ready(plot)) return;
        if (P.shown(plot) !== String(t) && plot.layout.title.text === frame.layout.title.text)
          Plotly.relayout(plot, {"sliders[0].active": active});
      }, 400);
      return;
    }
    // A shape of the mark: the whole list of shapes at once, which plotly redraws alone (a change of one shape's
    // x0 redraws the whole figure).
    const shapes = plot.layout.shapes || [];
    if (shapes.some(s => s.name === NAME && s.x0 !== t - 0.5))
      Plotly.relayout(plot, {shapes: shapes.map(s => s.name === NAME ? {...s, x0: t - 0.5, x1: t + 0.5} : s)});
    const k = plot.data.findIndex(d => d.name === NAME);
    const path = P.values(plot, 0);                                 // its x and y decoded from plotly's typed arrays
    if (k > 0 && path && path.x && t < path.x.length && plot.data[k].x[0] !== path.x[t]
        && !P.drawAlone(plot, k, {x: [path.x[t]], y: [path.y[t]]}))
      Plotly.restyle(plot, {x: [[path.x[t]]], y: [[path.y[t]]]}, [k]);
  };
  // The step figure's columns drawn ahead, while the page is idle, for the steps a press goes to next (t ± 1, t + 2):
  // plotly's drawing of a heatmap (a canvas turned into an image, ~1 ms a column) is done before the key is
  // pressed, and a press only puts the drawn nodes in place. Kept per figure drawing and size; a few steps only.
  const drawnAhead = plot => {
    const size = P.size(plot);
    let c = plot.__rnnvizDrawn;
    if (!c || c.layout !== plot.layout || c.size !== size)
      c = plot.__rnnvizDrawn = {layout: plot.layout, size: size, frames: new Map()};
    return c;
  };
  // Column k as drawn ahead: its values, plotly's calculation of them (hover reads it) and a copy of its nodes.
  const swapIn = (plot, k, drawn) => {
    const layer = drawn && P.layer(plot, k);
    if (!layer) return false;
    P.setValues(plot, k, {z: drawn.z});
    P.putCalc(plot, k, drawn.cd);
    layer.replaceChildren(...P.copies(drawn.nodes));
    return true;
  };
  const drawAhead = (plot, t) => {
    if (!plot.isConnected || !P.hasFrames(plot)) return;
    const ahead = drawnAhead(plot);
    for (const s of ahead.frames.keys()) if (Math.abs(s - t) > 3) ahead.frames.delete(s);
    for (const s of [t + 1, t - 1, t + 2]) {
      const frame = P.frame(plot, s);
      if (!frame || ahead.frames.has(s)) continue;
      const drawn = {};
      for (let j = 0; j < frame.traces.length; j++) {
        const k = frame.traces[j], z = frame.data[j].z, layer = P.layer(plot, k);
        if (!layer || !(z.bdata && z.dtype === "f4")) return;
        const shown = Array.from(layer.childNodes), was = {z: plot.data[k].z, cd: P.calc(plot, k)};
        layer.replaceChildren(...P.copies(shown));        // plotly draws step s into copies: what shows stays
        const ok = P.drawAlone(plot, k, {z: column(z)});
        if (ok) drawn[k] = {z: plot.data[k].z, cd: P.calc(plot, k), nodes: Array.from(layer.childNodes)};
        P.setValues(plot, k, {z: was.z});
        P.putCalc(plot, k, was.cd);
        layer.replaceChildren(...shown);
        if (!ok) return;
      }
      ahead.frames.set(s, drawn);
    }
  };
  // (The title's first line, the step and its token, is written into the drawn title when it is plain text: a
  // relayout of the title redraws every subplot's axes, ~25 ms. P.writeTitle.)
  // A column's values in a frame (plotly's typed-array form of float32, shape H × 1) as the rows plotly keeps.
  const column = spec => {
    const bytes = atob(spec.bdata), u8 = new Uint8Array(bytes.length);
    for (let i = 0; i < bytes.length; i++) u8[i] = bytes.charCodeAt(i);
    return Array.from(new Float32Array(u8.buffer), v => [v]);
  };
  S.move = move;
  S.plotly = P;
  // The adapter's check, on each figure once it is drawn: <html data-rnnviz-plotly> says "ok", or "changed: " and
  // every name the adapter reads that some figure no longer has (a Streamlit whose plotly.js changed shape), and
  // the console names the adapter. A figure caught while plotly draws it is looked at again, a second apart.
  const changed = new Set();
  const checkOnce = plot => {
    const c = plot.__rnnvizCheck || (plot.__rnnvizCheck = {tries: 0, at: -Infinity, done: false});
    if (c.done || !P.ready(plot) || performance.now() - c.at < 1000) return;
    const names = P.check(plot);
    c.tries += 1;
    c.at = performance.now();
    if (names.length && c.tries < 3) return;
    c.done = true;
    const now = names.filter(name => !changed.has(name));
    now.forEach(name => changed.add(name));
    document.documentElement.dataset.rnnvizPlotly = changed.size ? "changed: " + [...changed].join(", ") : "ok";
    if (now.length) console.error(`${P.NAME}: Streamlit's plotly.js no longer has ${now.join(", ")}; the figures ` +
                                  "follow t through Plotly.restyle/relayout instead where they can.");
  };
  // Every figure on the page to t (a figure Streamlit drew again, or one the page moved to another t, is moved;
  // a figure left alone is not, so ▶ Play runs undisturbed).
  const show = t => {
    link(t);
    if (!window.Plotly) return;
    document.querySelectorAll("[data-testid=stPlotlyChart] .js-plotly-plot").forEach(plot => {
      checkOnce(plot);
      if (!P.ready(plot) || (plot.__rnnvizT === t && plot.__rnnvizLayout === plot.layout)) return;
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
  // Space: the step figure's ▶ Play, or ❚❚ Pause while it plays (plotly's own buttons, clicked), wherever the
  // focus is not on something Space works itself (a text box, a button, a switch, a tab, the slider).
  const SPACE_OWNERS = "button, a[href], summary, label, [role=button], [role=switch], [role=checkbox], [role=link]";
  window.addEventListener("keydown", e => {
    if (!S.live || e.key !== " " || e.ctrlKey || e.altKey || e.metaKey || e.shiftKey) return;
    const el = document.activeElement;
    if (ownsKeys(e.target) || ownsKeys(el) || (el && el.closest && el.closest(SPACE_OWNERS))) return;
    const plot = document.querySelector(".st-key-" + S.live.data.chart + " .js-plotly-plot");
    const buttons = plot ? plot.querySelectorAll("g.updatemenu-button") : [];
    if (buttons.length < 2) return;
    e.preventDefault();              // not the page's scroll
    e.stopPropagation();
    if (e.repeat) return;
    buttons[S.playing ? 1 : 0].dispatchEvent(new MouseEvent("click", {bubbles: true, cancelable: true, view: window}));
    S.playing = !S.playing;
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
      const t = P.shown(gd);
      if (t !== null && Number(t) !== want()) { gd.__rnnvizT = Number(t); ask(Number(t)); }
    }, 300);
  };
  const attach = () => {
    const el = S.live && document.querySelector(".st-key-" + S.live.data.chart + " .js-plotly-plot");
    if (!el || el === gd || typeof el.on !== "function" || !P.ready(el)) return;
    gd = el;
    gd.on("plotly_animated", report);
    gd.on("plotly_animationinterrupted", report);
    gd.on("plotly_animated", () => { S.playing = false; });             // the last frame: Space plays again
    gd.on("plotly_animationinterrupted", () => { S.playing = false; });
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
