"""Streamlit's own words on our pages, in the page's language: the uploader's button, size line and refusals, the
skip link, the select boxes' placeholders, the tables' and code blocks' toolbars, the figures' Fullscreen button,
the help buttons' names for a screen reader... are written by Streamlit's frontend in English. A small fixed script
of ours (components v2, no user text) finds those texts and writes the catalogue's words for them into the same text
nodes and attributes, so React keeps them, and again whenever Streamlit writes them anew. Only our words and the
parts Streamlit wrote (sizes, types, our own labels) go in, as text: nothing is rendered as markup."""
from __future__ import annotations

import streamlit as st

from ..words import catalogue, current, placeholders, say
from . import web

# Streamlit's English (1.67) and the catalogue keys said in its place, in that order. A pattern is a whole text (a
# JavaScript regular expression); its named groups fill the parameters of the same names.
STREAMLIT: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"Upload", ("uploader.button",)),
    (r"Error:", ("uploader.error",)),
    (r"(?<size>\S+) per file • (?<types>.+)", ("uploader.limit",)),
    (r"(?<size>\S+) per file", ("uploader.limit_any",)),
    (r"File must be (?<size>\S+) or smaller\.", ("uploader.too_big",)),
    (r"Error: File must be (?<size>\S+) or smaller\.", ("uploader.error", "uploader.too_big")),
    (r"(?<type>.+) files are not allowed\.", ("uploader.not_allowed",)),
    (r"Error: (?<type>.+) files are not allowed\.", ("uploader.error", "uploader.not_allowed")),
    (r"Add files", ("uploader.add",)),
    (r"file upload", ("uploader.input",)),
    (r"Remove (?<name>.+)", ("uploader.remove",)),
    (r"Skip to main content", ("streamlit.skip",)),
    (r"Choose an option", ("streamlit.choose_one",)),
    (r"Choose options", ("streamlit.choose_many",)),
    (r"No results", ("streamlit.no_results",)),
    (r"Select all", ("streamlit.select_all",)),
    (r"Clear all", ("streamlit.clear_all",)),
    (r"Open", ("streamlit.open",)),
    (r"Copy to clipboard", ("streamlit.copy",)),
    (r"Show/hide columns", ("streamlit.columns",)),
    (r"Search", ("streamlit.search",)),
    (r"Fullscreen", ("streamlit.fullscreen",)),
    (r"Close fullscreen", ("streamlit.close_fullscreen",)),
    (r"Help for (?<label>.+)", ("streamlit.help_for",)),
    (r"Link to heading", ("streamlit.heading_link",)),
    (r"Shortcut (?<key>.+)", ("streamlit.shortcut",)),
    (r"Sidebar", ("streamlit.sidebar",)),
    (r"Collapse sidebar", ("streamlit.collapse_sidebar",)),
    (r"Expand sidebar", ("streamlit.expand_sidebar",)),
    (r"Increment", ("streamlit.increment",)),
    (r"Decrement", ("streamlit.decrement",)),
    (r"progress", ("streamlit.progress",)),
    (r"(?<label>.+) — start", ("streamlit.range_start",)),
    (r"(?<label>.+) — end", ("streamlit.range_end",)),
    (r"Running\.\.\.", ("streamlit.running",)),
    (r"Stop", ("streamlit.stop",)),
    (r"Stopping\.\.\.", ("streamlit.stopping",)),
    (r"Connecting", ("streamlit.connecting",)),
    (r"Please wait\.\.\.", ("streamlit.please_wait",)),
)
# Plotly's own English on our figures (its toolbar, its notices), said through plotly's locale dictionary.
PLOTLY = {
    "Download plot as a PNG": "plotly.download", "Zoom": "plotly.zoom", "Pan": "plotly.pan",
    "Box Select": "plotly.box_select", "Lasso Select": "plotly.lasso_select", "Zoom in": "plotly.zoom_in",
    "Zoom out": "plotly.zoom_out", "Autoscale": "plotly.autoscale", "Reset axes": "plotly.reset_axes",
    "Reset view": "plotly.reset_view", "Toggle Spike Lines": "plotly.spikes",
    "Show closest data on hover": "plotly.closest", "Compare data on hover": "plotly.compare",
    "Double-click to zoom back out": "plotly.double_click", "Preparing image - this may take a few seconds":
    "plotly.preparing", "Image download succeeded": "plotly.downloaded",
    "Sorry, there was a problem downloading your image!": "plotly.not_downloaded",
}

_words = st.components.v2.component("rnnviz_streamlit_words", js=web.script("streamlit_words"))


def holes(key: str) -> str:
    """The words for `key` in the page's language with each parameter left as `{name}`, filled in the page."""
    return say(key, **{name: "{" + name + "}" for name in placeholders(catalogue("en")[key])})


def plotly_locale() -> dict:
    """Plotly's config for a figure: its toolbar's and notices' words in the page's language."""
    lang = current()
    return {"locale": lang, "locales": {lang: {"dictionary": {english: say(key) for english, key in PLOTLY.items()}}}}


def mount() -> None:
    """Streamlit's words in the page's language (drawn on every run, in the sidebar: no room taken)."""
    keys = {key for _, said in STREAMLIT for key in said}
    data = {"lang": current(), "rules": [[pattern, list(said)] for pattern, said in STREAMLIT],
            "words": {key: holes(key) for key in sorted(keys)}}
    with st.sidebar:
        _words(key="streamlit_words", data=data, height=0)
