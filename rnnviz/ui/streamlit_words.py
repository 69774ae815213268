"""Streamlit's own words on our pages, in the page's language: the file uploader's button, its size line and the
messages it gives for a file it refuses (too large, a type it does not take) are written by Streamlit's frontend in
English. A small fixed script of ours (components v2, no user text) finds those texts and writes the catalogue's
words for them into the same text nodes, so React keeps them, and again whenever Streamlit writes them anew.
Only our words and the sizes and types Streamlit wrote go in, as text: nothing is rendered as markup."""
from __future__ import annotations

import streamlit as st

from ..words import current, say

JS = """
export default function(component) {
  const S = window.__rnnvizWords || (window.__rnnvizWords = {w: null, installed: false});
  S.w = component.data;
  if (!S.installed) install(S);
  S.pass();
}

function install(S) {
  S.installed = true;
  const fill = (text, values) => Object.entries(values).reduce((t, [k, v]) => t.split("{" + k + "}").join(v), text);
  // Streamlit's English (its uploader, 1.67) and the words for it; null: not one of those texts.
  const RULES = [
    [/^Upload$/, (m, w) => w.upload],
    [/^Error:$/, (m, w) => w.error],
    [/^(\\S+) per file • (.+)$/, (m, w) => fill(w.limit, {size: m[1], types: m[2]})],
    [/^(\\S+) per file$/, (m, w) => fill(w.limit_any, {size: m[1]})],
    [/^(Error: )?File must be (\\S+) or smaller\\.$/, (m, w) => (m[1] ? w.error : "") + fill(w.too_big, {size: m[2]})],
    [/^(Error: )?(.+) files are not allowed\\.$/, (m, w) => (m[1] ? w.error : "") + fill(w.not_allowed, {type: m[2]})],
  ];
  const say = node => {
    if (node.__rnnvizSaid === node.data + "|" + S.w.lang) return;
    const from = node.__rnnvizSaid !== undefined && node.data === node.__rnnvizShown ? node.__rnnvizFrom : node.data;
    for (const [re, words] of RULES) {
      const m = re.exec(from.trim());
      if (!m) continue;
      const text = words(m, S.w);
      node.__rnnvizFrom = from;
      node.__rnnvizShown = text;
      if (node.data !== text) node.data = text;
      node.__rnnvizSaid = text + "|" + S.w.lang;
      return;
    }
  };
  S.pass = () => {
    if (!S.w) return;
    const ROOTS = "[data-testid=stFileUploader], [data-testid=stTooltipContent], [data-testid=stTooltipErrorContent]";
    document.querySelectorAll(ROOTS).forEach(root => {
      const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let n = walk.nextNode(); n; n = walk.nextNode()) say(n);
      root.querySelectorAll("[aria-label]").forEach(e => {      // what a screen reader says of its buttons
        const now = e.getAttribute("aria-label");
        if (now === e.__rnnvizAria) return;
        const m = /^Remove (.+)$/.exec(now);
        const text = now === "Add files" ? S.w.add : now === "file upload" ? S.w.input
                     : m ? fill(S.w.remove, {name: m[1]}) : null;
        if (text === null) return;
        e.setAttribute("aria-label", text);
        e.__rnnvizAria = text;
      });
    });
  };
  new MutationObserver(S.pass).observe(document.body, {subtree: true, childList: true, characterData: true});
}
"""

_words = st.components.v2.component("rnnviz_streamlit_words", js=JS)


def mount() -> None:
    """Streamlit's uploader words in the page's language (drawn on every run, in the sidebar: no room taken)."""
    hole = {"size": "{size}", "types": "{types}", "type": "{type}"}     # filled in the page
    words = {"lang": current(), "upload": say("uploader.button"), "limit": say("uploader.limit", **hole),
             "limit_any": say("uploader.limit_any", **hole), "too_big": say("uploader.too_big", **hole),
             "not_allowed": say("uploader.not_allowed", **hole), "error": say("uploader.error"), "add": say("uploader.add"),
             "input": say("uploader.input"), "remove": say("uploader.remove", name="{name}")}
    with st.sidebar:
        _words(key="streamlit_words", data=words, height=0)
