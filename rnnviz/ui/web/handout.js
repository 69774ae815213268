// A lesson's handout (rnnviz/ui/handout.py): draws each figure from the JSON spec just before its div, with the
// plotly.js the file carries (no network).
/* global Plotly */
for (const data of document.querySelectorAll("script.spec")) {
  const spec = JSON.parse(data.textContent);
  Plotly.newPlot(data.nextElementSibling, spec.data, spec.layout, {staticPlot: true});
}
