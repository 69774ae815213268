"""The keys stay the page's after a control in the sidebar was used: a fixed script of ours (components v2, no user
text) that

- takes the focus off the view switch and the presentation switch once clicked with the mouse (a radio button keeps
  the arrow keys for itself: → on a lesson page would pick the next view, not the next page), and
- gives a key pressed while the focus sits on a control nobody can see (the presentation switch, folded away
  with the sidebar) to the page instead: → and ← step, and Space no longer flips the hidden switch back.
"""
from __future__ import annotations

import streamlit as st

JS = """
export default function(component) {
  if (window.__rnnvizKeys) return;
  window.__rnnvizKeys = true;
  const LET_GO = ".st-key-view, .st-key-present";
  // A click with the mouse (detail > 0; the keyboard's own choices keep their focus) on one of those switches.
  window.addEventListener("click", e => {
    const box = e.detail > 0 && e.target && e.target.closest && e.target.closest(LET_GO);
    if (box) setTimeout(() => { if (box.contains(document.activeElement)) document.activeElement.blur(); }, 0);
  }, true);
  const unseen = el => el && el !== document.body && el.closest
    && (el.closest("[data-testid=stSidebar][aria-expanded=false]") || !el.checkVisibility());
  window.addEventListener("keydown", e => {
    const el = document.activeElement;
    if (e.isTrusted === false || !unseen(el) || !["ArrowLeft", "ArrowRight", " "].includes(e.key)) return;
    e.preventDefault();
    e.stopImmediatePropagation();
    el.blur();
    if (e.key !== " ")               // the step goes to the page, as if the hidden control had never had the focus
      document.body.dispatchEvent(new KeyboardEvent("keydown", {key: e.key, code: e.code, bubbles: true,
                                                                cancelable: true, composed: true}));
  }, true);
}
"""

_keys = st.components.v2.component("rnnviz_page_keys", js=JS)


def mount() -> None:
    """On every page (in the sidebar, no room taken)."""
    with st.sidebar:
        _keys(key="page_keys", data={"on": True}, height=0)      # (a component with no data is not run)
