"""The page's own styles (rnnviz/ui/web/*.css: fixed files of ours, never user text), put in the document's head by a
small component (components v2), which replaces them whenever the page's run changes them (language, projector).

The styles come with the page's scripts, by the same mechanism, and say when they are in: a `<style
id="rnnviz-page-style">` in the head. (An st.html of the styles was drawn only once its code had loaded, seconds after
a busy page had settled, and nothing told a test or a person when; axe-core then found Streamlit's faded captions.)"""
from __future__ import annotations

import streamlit as st

from . import web

_style = st.components.v2.component("rnnviz_page_style", js=web.script("page_style"))


def css(*names: str) -> str:
    """The rules of the named CSS files, in order, without their comments."""
    return "\n".join(web.rules(name) for name in names)


def draw(*names: str) -> None:
    """The named styles on the page from this run on (one element, in the sidebar: out of the figures' way)."""
    with st.sidebar:
        _style(key="page_style", data={"css": css(*names)}, height=0)
