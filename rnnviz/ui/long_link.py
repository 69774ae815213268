"""A link too long for Streamlit: its server drops the whole query string, silently, above a number of fields or
characters; a fixed script of ours (long_link.js, no user text) tells the server, and the link's notes say so."""
from __future__ import annotations

import streamlit as st

# Streamlit's own limits (streamlit/runtime/state/query_params.py); tests/test_hostile_input.py names them if they go.
from streamlit.runtime.state.query_params import CLIENT_STATE_QUERY_STRING_MAX_FIELDS as MAX_FIELDS
from streamlit.runtime.state.query_params import CLIENT_STATE_QUERY_STRING_MAX_LENGTH as MAX_CHARS

from ..words import Said
from . import session, web

KEY = "long_link"
_watch = st.components.v2.component("rnnviz_long_link", js=web.script("long_link"))


def dropped(chars: int, fields: int) -> Said | None:
    """The note for a link of `chars` characters in `fields` fields, if Streamlit drops it."""
    if chars <= MAX_CHARS and fields <= MAX_FIELDS:
        return None
    return Said("link.dropped", {"kib": f"{chars / 1024:,.0f}", "fields": fields, "most_kib": MAX_CHARS // 1024,
                                 "most_fields": MAX_FIELDS})


def _heard() -> None:
    """The page's script found the link too long: a note among the link's (a key, said when drawn)."""
    asked = getattr(session.get(KEY), "dropped", None)
    if not isinstance(asked, dict):
        return
    chars, fields = asked.get("chars"), asked.get("fields")
    if isinstance(chars, int) and isinstance(fields, int) and (note := dropped(chars, fields)):
        session.put("_link_notes", [*session.get("_link_notes", []), note])


def mount() -> None:
    """On every page (in the sidebar, no room taken): the watch that adds a note to the link's if it was dropped."""
    with st.sidebar:
        _watch(key=KEY, data={"chars": MAX_CHARS, "fields": MAX_FIELDS}, on_dropped_change=_heard, height=0)
