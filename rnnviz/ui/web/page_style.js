// The page's own styles in the document's head; loaded by rnnviz/ui/page_style.py (see its docstring). The CSS comes
// from the package's files and is set as a style element's text: nothing here is parsed as markup.
export default function(component) {
  const css = String((component.data || {}).css || "");
  let el = document.getElementById("rnnviz-page-style");
  if (!el) {
    el = document.createElement("style");
    el.id = "rnnviz-page-style";
    document.head.appendChild(el);
  }
  if (el.textContent !== css) el.textContent = css;
}
