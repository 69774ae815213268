"""The lab's texts: pasted or uploaded (checked), a standard-library module's source, the app's own help, a corpus."""
from __future__ import annotations

import importlib
import inspect
import unicodedata

from ..settings import LAB_MODULES
from ..train.char_tokens import MAX_BYTES, tokens_of
from ..words import Problem, catalogue
from .corpus import generate

CONTROL_SHARE = 0.01      # more control characters than this (tab, line breaks aside) is a binary file, not text


def checked(text: str) -> str:
    """A pasted text the lab can train on, or a Problem saying why not (too short, too large, empty)."""
    tokens_of(text)
    return text


def from_upload(data: bytes) -> str:
    """An uploaded .txt file's text: UTF-8, up to 1 MB, not binary; otherwise a Problem that says which."""
    if not data:
        raise Problem("lab.upload_empty")
    if len(data) > MAX_BYTES:
        raise Problem("lab.text_too_large", size=len(data), limit=MAX_BYTES)
    if b"\x00" in data:
        raise Problem("lab.upload_binary")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise Problem("lab.upload_encoding", at=e.start) from None
    controls = sum(unicodedata.category(ch) == "Cc" and ch not in "\n\r\t" for ch in text)
    if controls > CONTROL_SHARE * len(text):
        raise Problem("lab.upload_binary")
    return checked(text.replace("\r\n", "\n"))


def module_source(name: str) -> str:
    """The source of a module of this machine's standard library (read from disk, nothing downloaded)."""
    if name not in LAB_MODULES:
        raise Problem("lab.unknown_module", name=name[:40])
    return inspect.getsource(importlib.import_module(name))


def help_text(lang: str) -> str:
    """The app's own words in Korean or English, its sentences of help and explanation: a text about this very app."""
    words = catalogue(lang)
    return "\n\n".join(w for k, w in sorted(words.items()) if len(w) >= 40 and "{" not in w and "<" not in w)


def corpus_text(n_chars: int = 20_000, seed: int = 0) -> str:
    return generate(n_chars, seed).text
