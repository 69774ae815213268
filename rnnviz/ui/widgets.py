"""A setting's widget, drawn from its row of the settings registry: label, help, range and choices in one place."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st

from ..settings import SETTINGS, Setting
from ..words import catalogue, current, language, say
from . import session


def has_words(key: str) -> bool:
    return key in catalogue("en") or key in catalogue(current())


def words_of(format_func):
    """A widget's format_func that says its words in the language of this run, wherever it is called later
    (Streamlit may call it again outside the script run, e.g. to match the value a browser sends)."""
    lang = current()

    def said(value):
        with language(lang):
            return format_func(value)
    return said


def draw(key: str, where=None, *, label: str | None = None, help: str | None = None, **options):
    """The widget of setting `key` in `where` (the sidebar by default), keyed by its link key; `options` go to
    Streamlit as they are (disabled=, on_change=, horizontal=, ...)."""
    s = SETTINGS[key]
    if key in session.hidden():                  # a lesson link hides it: not drawn, its value kept
        session.keep(key)
        return session.get(key)
    if key in session.locked():
        options["disabled"] = True
    where = where if where is not None else st.sidebar
    label = label or say(s.label)
    if help is None and has_words(s.help):
        help = say(s.help)
    common = dict(key=key, help=help, **options)
    if s.widget in ("select", "radio"):
        fmt = words_of(lambda v: say(s.choice(v)) if has_words(s.choice(v)) else str(v))
        widget = where.selectbox if s.widget == "select" else where.radio
        return widget(label, list(s.choices), format_func=fmt, **common)
    if s.widget == "slider":
        low, high = s.kind(s.low), s.kind(s.high)
        return where.slider(label, low, high, **({"step": s.kind(s.step)} if s.step else {}), **common)
    if s.widget == "number":
        low, high = s.kind(s.low), s.kind(s.high)
        extra = {"step": s.kind(s.step)} if s.step else {}
        if s.kind is float:
            extra["format"] = "%g"
        return where.number_input(label, low, high, **extra, **common)
    if s.widget == "toggle":
        return where.toggle(label, **common)
    if s.widget == "text":
        return where.text_area(label, **{"max_chars": s.max_chars, **common})    # a paste is cut at the door
    raise ValueError(f"setting {key!r} has no widget of its own")


def field_values(rows: Mapping[str, Setting], keep: Callable[[str, Setting], bool] = lambda key, row: True
                 ) -> dict[str, Any]:
    """The session's values of the rows that say a trainer field (`field=`), as that field's type: the trainer's
    Settings from what the widgets hold (Train and the text lab alike). Unset values are left to the defaults."""
    return {row.field: row.kind(session.get(key)) for key, row in rows.items()
            if row.field and keep(key, row) and session.get(key) is not None}
