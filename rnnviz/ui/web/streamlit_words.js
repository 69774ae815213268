// Streamlit's own English on our pages, said in the page's language: the rules (Streamlit's text as a pattern, the
// catalogue keys for it) and the words come from streamlit_words.py. Text is written as text, never as markup.
export default function(component) {
  const S = window.__rnnvizWords || (window.__rnnvizWords = {data: null, rules: [], installed: false});
  S.data = component.data;
  S.rules = S.data.rules.map(([pattern, keys]) => [new RegExp("^" + pattern + "$"), keys]);
  if (!S.installed) install(S);
  S.all();
}

// Where Streamlit writes its words as text; outside these a text is a figure's or the user's, and is never touched.
const TEXT_ROOTS = "[data-testid=stFileUploader], [data-testid=stTooltipContent], [data-testid=stTooltipErrorContent], "
  + "[data-testid=stSkipToContent], [data-baseweb=popover], [data-testid=stStatusWidget]";
// Where it writes them as attributes: tooltips, placeholders and the names a screen reader says.
const ATTRS = ["aria-label", "placeholder", "data-title", "title"];
const ATTR_ROOTS = ATTRS.map(a => `[${a}]`).join(", ");

function install(S) {
  S.installed = true;
  const fill = (text, groups) => Object.entries(groups || {}).reduce((t, [k, v]) => t.split(`{${k}}`).join(v), text);
  const words = english => {                   // the page's words for one of Streamlit's texts; null: not one of them
    for (const [re, keys] of S.rules) {
      const m = re.exec(english.trim());
      if (m) return keys.map(k => fill(S.data.words[k], m.groups)).join("");
    }
    return null;
  };
  // What this script wrote remembers the English it came from, so a switch of language starts from that English.
  const said = (node, now, slot) => {
    const memo = node.__rnnvizSaid || (node.__rnnvizSaid = {});
    const last = memo[slot];
    if (last && last.shown === now && last.lang === S.data.lang) return null;
    const english = last && last.shown === now ? last.english : now;
    const text = words(english);
    if (text === null) return null;
    memo[slot] = {english, shown: text, lang: S.data.lang};
    return text === now ? null : text;
  };
  const sayText = node => {
    const text = said(node, node.data, "text");
    if (text !== null) node.data = text;
  };
  const sayAttrs = e => ATTRS.forEach(a => {
    const now = e.getAttribute(a);
    const text = now === null ? null : said(e, now, a);
    if (text !== null) e.setAttribute(a, text);
  });
  const texts = root => {
    const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) sayText(n);
  };
  const visit = node => {                      // a node Streamlit added or changed, and everything inside it
    if (node.nodeType === Node.TEXT_NODE) {
      if (node.parentElement?.closest(TEXT_ROOTS)) sayText(node);
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    if (node.matches(ATTR_ROOTS)) sayAttrs(node);
    node.querySelectorAll(ATTR_ROOTS).forEach(sayAttrs);
    if (node.closest(TEXT_ROOTS)) texts(node);
    else node.querySelectorAll(TEXT_ROOTS).forEach(texts);
  };
  S.all = () => visit(document.body);
  new MutationObserver(records => records.forEach(r => {
    if (r.type === "attributes") sayAttrs(r.target);
    else if (r.type === "characterData") visit(r.target);
    else r.addedNodes.forEach(visit);
  })).observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true,
                              attributeFilter: ATTRS});
}
