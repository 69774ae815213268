"""The page's scripts and styles: fixed files of ours (never user text) beside this module, read once by path."""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

HERE = Path(__file__).parent
COMMENT = re.compile(r"/\*.*?\*/", re.S)


@cache
def text(name: str) -> str:
    """The file `name` (e.g. "follow.js", "page.css") of this folder, as text."""
    path = HERE / name
    if path.parent != HERE or path.suffix not in (".js", ".css"):
        raise ValueError(f"not a web file of ours: {name!r}")
    return path.read_text(encoding="utf-8")


def script(name: str) -> str:
    """The JavaScript of `name`.js, for a component's `js=`."""
    return text(f"{name}.js")


@cache
def rules(name: str) -> str:
    """The CSS rules of `name`.css, without comments."""
    return COMMENT.sub("", text(f"{name}.css")).strip()


@cache
def style(name: str) -> str:
    """The CSS of `name`.css as a <style> element (for `st.html` and the handout), its rules without comments."""
    return f"<style>{rules(name)}</style>"
