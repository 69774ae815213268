"""The one module that touches st.session_state and the URL's query string."""
from __future__ import annotations

import re
from dataclasses import asdict, fields

import streamlit as st
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from .. import words
from ..rows import split_rows
from ..settings import PANELS, Setting, control_list
from ..state import SPECS, Config, out_of_range_notes, parse, parse_query
from ..text import unlinked
from . import upload_budget

_URL_LOADED = "_url_loaded"


def panel_label(key: str) -> str:
    """A tab's label in the page's language."""
    return words.say(f"choice.panel.{key}")


def _panel_key(label: str) -> str:
    """The link's name of a tab, from its label in any language (a language switch keeps the open tab)."""
    for lang in words.LANGS:
        with words.language(lang):
            for key in PANELS:
                if panel_label(key) == label:
                    return key
    return label


def _to_widget(key: str, value):
    """A Config value as its widget holds it (the tabs hold their labels; a link says a short key)."""
    return panel_label(value) if key == "panel" else value


def _from_widget(key: str, value):
    return _panel_key(value) if key == "panel" else value


def browser_language() -> str:
    """The browser's language if the app speaks it, else English."""
    try:
        locale = (st.context.locale or "").lower()
    except Exception:           # no browser (a bare script run): English
        locale = ""
    return next((lang for lang in words.LANGS if locale.startswith(lang)), "en")


def use_language() -> str:
    """Say everything of this script run (or fragment run) in the session's language."""
    lang = st.session_state.get("lang") or st.query_params.get("lang") or browser_language()
    words.set_language(lang)
    return lang


def _link_language(raw: dict) -> tuple[str, list[str]]:
    """The language a link asks for (or the browser's), and a note in both languages for one the app lacks."""
    given = raw.get("lang") or [""]
    asked = given[0]
    repeated = [words.say("link.repeated", key="lang", n=len(given))] if len(given) > 1 else []
    if asked in words.LANGS:
        with words.language(asked):
            return asked, [words.say("link.repeated", key="lang", n=len(given))] if repeated else []
    lang = browser_language()
    if "lang" not in raw:
        return lang, []
    notes = []
    for said_in in dict.fromkeys([lang, "en"]):          # the chosen language, and English
        with words.language(said_in):
            notes.append(words.say("link.unknown_lang", value=_short(asked), name=words.NAMES[lang]))
    return lang, repeated + [" ".join(notes)]


def _short(text: str, n: int = 20) -> str:
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return text if len(text) <= n else text[:n] + "…"


def start(more: dict[str, Setting]) -> list[str]:
    """On a session's first run, fill the widgets from the link (the Explore settings, and those of `more`, the
    Train view's table, whose keys are its widgets' keys); return the notes about anything clamped or dropped."""
    ss = st.session_state
    upload_budget.install()                         # once per server: a session's uploads are bounded
    if not ss.get(_URL_LOADED):
        raw = {k: st.query_params.get_all(k) for k in st.query_params.keys()}
        lang, lang_notes = _link_language(raw)
        ss["_lang_chosen"] = (raw.get("lang") or [""])[0] in words.LANGS
        words.set_language(lang)
        raw = {k: v for k, v in raw.items() if k != "lang"}
        values, notes = parse_query(raw, {**more, **SPECS})
        values["lang"] = lang
        notes = lang_notes + notes
        unknown = [*control_list(values.get("hide", ""))[1], *control_list(values.get("lock", ""))[1]]
        if unknown:                                 # a lesson link naming what is not a control
            notes.append(words.say("class.unknown", names=", ".join(_short(k) for k in unknown[:5]), n=len(unknown)))
        config = Config(**{k: v for k, v in values.items() if k in SPECS})
        try:
            rows = split_rows(config)
            notes += out_of_range_notes(config, raw, T=len(rows[0]), B=len(rows))
        except ValueError:
            pass                                    # the text itself gets its own message
        for k, v in asdict(config).items():
            ss[k] = _to_widget(k, v)
        for k, v in values.items():
            if k in more:
                ss[k] = v
        ss["_link_notes"] = notes
        ss[_URL_LOADED] = True
    return ss.get("_link_notes", [])


class Owner(str):
    """A session's id that also says which student (client) the session belongs to: budgets count the client."""

    client: str

    def __new__(cls, session: str, client: str) -> Owner:
        owner = super().__new__(cls, session)
        owner.client = client
        return owner


def session_id() -> Owner | None:
    """This session's id, as Streamlit's session manager knows it, with the student it belongs to."""
    ctx = get_script_run_ctx()
    return Owner(ctx.session_id, client()) if ctx else None


LOOPBACK_PROXY = "X-Forwarded-For"     # set by the class's proxy on this host (deploy/haproxy.cfg.in)


def client() -> str:
    """The student across tabs: the address the class's proxy on this host forwarded, else the browser's own
    address, else the browser's Streamlit cookie, else this session (a bare script run, AppTest)."""
    ctx = get_script_run_ctx()
    fallback = f"session:{ctx.session_id}" if ctx else "session:"
    try:
        hops = st.context.headers.get_all(LOOPBACK_PROXY)                  # the proxy's own is the last
        seen = (st.context.ip_address, hops[-1] if hops else None, st.context.cookies.get("_streamlit_xsrf"))
    except Exception:           # no browser behind this run
        return fallback
    address, forwarded, cookie = (v if isinstance(v, str) else None for v in seen)     # AppTest has stand-ins
    if address is None and forwarded:           # only a peer on this host may say whom it forwards: its last hop
        return "ip:" + forwarded.split(",")[-1].strip()[:64]
    if address:
        return "ip:" + address
    return f"cookie:{cookie[:128]}" if cookie else fallback


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
    if st.session_state.get("_lang_chosen"):    # a language chosen by the link or the switch stays in the link,
        query["lang"] = config.lang              # English too: a copied link opens in it whatever the browser
    if st.session_state.get("_last_query") != query:
        st.query_params.from_dict(query)
        st.session_state["_last_query"] = query


def panel() -> str:
    """The Explore tab on show, as a link names it."""
    return _from_widget("panel", st.session_state.get("panel", panel_label("step")))


def present() -> bool:
    """Presentation mode: the toggle's value, or on a session's first run what its link says."""
    if "present" in st.session_state:
        return bool(st.session_state["present"])
    return parse("present", st.query_params.get("present", "0"))[0] is True


def hidden() -> set[str]:
    """The controls a lesson link hides from this page (settings.CONTROLS)."""
    return set(control_list(st.session_state.get("hide") or "")[0])


def locked() -> set[str]:
    """The controls a lesson link shows but does not let a student change."""
    return set(control_list(st.session_state.get("lock") or "")[0])


def keep(key: str) -> None:
    """Keep a widget's value through a run that does not draw it (Streamlit forgets an undrawn widget's state)."""
    if key in st.session_state:
        st.session_state[key] = st.session_state[key]


def switch_language() -> None:
    """After the language switch: the open tab's label in the new language (every other widget keeps its value)."""
    ss = st.session_state
    ss["_lang_chosen"] = True
    words.set_language(ss.get("lang", "en"))
    if "panel" in ss:
        ss["panel"] = panel_label(_panel_key(ss["panel"]))


def plain(text: str) -> str:
    """User text as plain text in Streamlit markdown: every markdown, LaTeX and HTML character escaped, and no
    autolink (a URL, www. or an e-mail address typed as a token stays plain text: text.unlinked)."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>$~:&=\"'])", r"\\\1", unlinked(str(text)))


def sentence(error: Exception | str) -> str:
    """An engine or trainer message as the page shows it: a capital first letter and a full stop."""
    text = str(error).strip()
    return f"{text[:1].upper()}{text[1:]}" + ("" if text.endswith((".", "!", "?")) else ".")
