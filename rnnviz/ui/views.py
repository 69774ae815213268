"""The one table of the page's views: each view's link rows (kept while another view shows) and its draw function.
The view switch, the link's vocabulary (settings.VIEWS) and what a session keeps all read it: a view is a row."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..settings import VIEWS, Setting
from ..state import Config
from . import class_view, explore_view, lab, lessons, session, shared_runs, train_view


@dataclass(frozen=True)
class View:
    """One view: drawn by `draw` (which writes its own link), owning the link keys of `link` besides Explore's."""

    draw: Callable[[], None]
    link: dict[str, Setting]


def lessons_page() -> None:
    lessons.view()
    session.sync_url(Config(view="lessons", lang=session.get("lang", "en"), present=session.present()),
                     lessons.link())                # a copied link opens this lesson page


def lab_page() -> None:
    lab.view()
    session.sync_url(session.widget_config()[0], lab.link())             # a copied link opens this lab


def train_page() -> None:
    train_view.view()
    session.sync_url(session.widget_config()[0], train_view.link() | shared_runs.link())   # ... this Train view


TABLE: dict[str, View] = {
    "explore": View(explore_view.page, shared_runs.LINK),     # a shared run's link opens in Explore too
    "train": View(train_page, {**train_view.LINK, **shared_runs.LINK}),
    "lessons": View(lessons_page, lessons.LINK),
    "lab": View(lab_page, lab.LINK),
    "class": View(class_view.view, lessons.LINK),             # the teacher's view: ?view=class&lesson=…&code=…
}
assert tuple(TABLE) == VIEWS, "settings.VIEWS (the link's names) and the views' table list the same views"


def link_rows() -> dict[str, Setting]:
    """Every view's own link rows (Explore's are the Config's, always read)."""
    return {k: row for view in TABLE.values() for k, row in view.link.items()}


def draw(key: str) -> None:
    """The view `key` (Explore for a name no row has)."""
    TABLE.get(key, TABLE["explore"]).draw()
