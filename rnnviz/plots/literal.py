"""User text in a figure: shown as typed, never read as plotly's markup."""
from __future__ import annotations

import html

from ..text import label


def shown(token: str) -> str:
    """A token as a figure shows it: spaces made visible (text.label), and <, > and & escaped, so plotly's
    pseudo-HTML (<b>, <br>, <sup>, <a href=…>) in a user's text is shown literally in ticks, titles and hover."""
    return html.escape(label(str(token)), quote=False)


def quoted(token: str) -> str:
    """A token in quotes, as a title names it ('h'), escaped like `shown`."""
    return html.escape(repr(label(str(token))), quote=False)


def reading(tokens: list[str], sep: str, limit: int) -> str:
    """Tokens read as one string, cut at `limit` characters before escaping (a cut never splits an escape)."""
    text = sep.join(label(t) for t in tokens)
    return html.escape(text if len(text) <= limit else text[:limit - 1] + "…", quote=False)
