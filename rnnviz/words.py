"""Every word a user reads, from one catalogue per language: gettext .po files (rnnviz/locale/), read with Babel.

Code passes a key and named parameters (`say("text.empty")`, `say("link.clamped", what=..., low=1, high=256)`);
the language is the caller's: the page sets it per session (`language("ko")`), a notebook passes `lang="ko"`.
Messages raised deep inside (engine, text, trainer) are `Problem`s: a key and parameters, put into words only
when they are shown, so the page says them in its reader's language.
"""
from __future__ import annotations

import string
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parent / "locale"
LANGS = ("en", "ko")                 # English first: the fallback for a missing word
NAMES = {"en": "English", "ko": "한국어"}
_lang: ContextVar[str] = ContextVar("rnnviz_lang", default="en")


@cache
def catalogue(lang: str) -> dict[str, str]:
    """key -> words of one language, read once per process from locale/<lang>.po."""
    with open(LOCALE / f"{lang}.po", "rb") as f:
        return {m.id: m.string for m in read_po(f, locale=lang)
                if isinstance(m.id, str) and isinstance(m.string, str) and m.id and m.string}   # no plural forms


def current() -> str:
    return _lang.get()


def set_language(lang: str) -> None:
    """The language of everything said from here on in this thread or task (a page's script run)."""
    _lang.set(lang if lang in LANGS else "en")


@contextmanager
def language(lang: str) -> Iterator[None]:
    """Say things in `lang` inside the block (a notebook call, a test)."""
    token = _lang.set(lang if lang in LANGS else "en")
    try:
        yield
    finally:
        _lang.reset(token)


def say(key: str, /, **params: object) -> str:
    """The words for `key` in the current language, with its parameters filled in (str.format syntax)."""
    lang = _lang.get()
    text = catalogue(lang).get(key) or catalogue("en").get(key)
    if text is None:
        raise KeyError(f"no words for {key!r}")
    return text.format(**{k: str(v) if isinstance(v, Said) else v for k, v in params.items()})


def placeholders(text: str) -> set[str]:
    """The named parameters a catalogue entry uses: {n}, {n:,} -> {'n'}."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@dataclass(frozen=True)
class Said:
    """Words not yet put into a language: a key and its parameters (said in the reader's language when shown)."""

    key: str
    params: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return say(self.key, **self.params)

    def __contains__(self, words: str) -> bool:
        """`"learning rate" in message` reads the words as they are said now."""
        return words in str(self)


class Problem(ValueError):
    """A ValueError whose message is a key and parameters: str() says it in the current language."""

    def __init__(self, key: str, /, **params: object):
        super().__init__(key)
        self.said = Said(key, params)

    def __str__(self) -> str:
        return str(self.said)
