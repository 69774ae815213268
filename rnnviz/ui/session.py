"""The one module that touches st.session_state and the URL's query string."""
from __future__ import annotations

from dataclasses import asdict, fields

import streamlit as st
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ..pipeline import out_of_range_notes
from ..state import PANEL_LABELS, SPECS, Config, Spec, parse, parse_query

_URL_LOADED = "_url_loaded"
_PANEL_KEYS = {label: key for key, label in PANEL_LABELS.items()}


def _to_widget(key: str, value):
    """A Config value as its widget holds it (the tabs hold their labels; a link says a short key)."""
    return PANEL_LABELS[value] if key == "panel" else value


def _from_widget(key: str, value):
    return _PANEL_KEYS.get(value, value) if key == "panel" else value


def start(more: dict[str, Spec]) -> list[str]:
    """On a session's first run, fill the widgets from the link (the Explore settings, and those of `more`, the
    Train view's table, whose keys are its widgets' keys); return the notes about anything clamped or dropped."""
    ss = st.session_state
    if not ss.get(_URL_LOADED):
        raw = {k: st.query_params.get_all(k) for k in st.query_params.keys()}
        values, notes = parse_query(raw, {**more, **SPECS})
        config = Config(**{k: v for k, v in values.items() if k in SPECS})
        notes += out_of_range_notes(config, given=raw)
        for k, v in asdict(config).items():
            ss[k] = _to_widget(k, v)
        for k, v in values.items():
            if k in more:
                ss[k] = v
        ss["_link_notes"] = notes
        ss[_URL_LOADED] = True
    return ss.get("_link_notes", [])


def session_id() -> str | None:
    """This session's id, as Streamlit's session manager knows it."""
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx else None


def alive(session_id: str) -> bool:
    """Whether the server still knows the session: connected, or within its reconnect grace period
    (server.disconnectedSessionTTL). Callable from any thread; True where there is no server to ask (AppTest)."""
    try:
        known = Runtime.instance()._session_mgr.get_session_info    # AppTest's stand-in Runtime has none
    except (AttributeError, RuntimeError):
        return True
    return known(session_id) is not None


def dismiss_link_notes() -> None:
    st.session_state["_link_notes"] = []


def widget_config() -> tuple[Config, list[str]]:
    """The Config the widgets hold now, validated."""
    ss = st.session_state
    raw = {f.name: _from_widget(f.name, ss[f.name]) for f in fields(Config) if f.name in ss}
    return Config().with_(**raw)


def set_values(**values) -> None:
    """Set widget values (from callbacks, before the widgets are drawn)."""
    for k, v in values.items():
        st.session_state[k] = v


def get(key: str, default=None):
    return st.session_state.get(key, default)


def put(key: str, value) -> None:
    st.session_state[key] = value


def sync_url(config: Config, more: dict[str, str] | None = None) -> None:
    """Write the settings that differ from the defaults into the URL (only when they changed), and `more`."""
    query = config.to_query() | (more or {})
    if st.session_state.get("_last_query") != query:
        st.query_params.from_dict(query)
        st.session_state["_last_query"] = query


def panel() -> str:
    """The Explore tab on show, as a link names it."""
    return _from_widget("panel", st.session_state.get("panel", PANEL_LABELS["step"]))


def present() -> bool:
    """Presentation mode: the toggle's value, or on a session's first run what its link says."""
    if "present" in st.session_state:
        return bool(st.session_state["present"])
    return parse("present", st.query_params.get("present", "0"))[0] is True


def literal(text: str) -> str:
    """User text made safe for Streamlit markdown: every markdown, LaTeX and HTML character escaped."""
    import re
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>$~:&=\"'])", r"\\\1", str(text))


def sentence(error: Exception | str) -> str:
    """An engine or trainer message as the page shows it: a capital first letter and a full stop."""
    text = str(error).strip()
    return f"{text[:1].upper()}{text[1:]}" + ("" if text.endswith((".", "!", "?")) else ".")
