"""The keys stay the page's after a control in the sidebar was used: a fixed script of ours (components v2, no user
text) that

- takes the focus off the view switch and the presentation switch once clicked with the mouse (a radio button keeps
  the arrow keys for itself: → on a lesson page would pick the next view, not the next page),
- keeps the address bar and the screen in agreement: a change on the page replaces the link instead of pushing
  one, and Back to an older link of the page opens that link (Streamlit would show it over the newer figures), and
- gives a key pressed while the focus sits on a control nobody can see (the presentation switch, folded away
  with the sidebar) to the page instead: → and ← step, and Space no longer flips the hidden switch back.
"""
from __future__ import annotations

import streamlit as st

from . import web

_keys = st.components.v2.component("rnnviz_page_keys", js=web.script("page_keys"))


def mount() -> None:
    """On every page (in the sidebar, no room taken)."""
    with st.sidebar:
        _keys(key="page_keys", data={"on": True}, height=0)      # (a component with no data is not run)
