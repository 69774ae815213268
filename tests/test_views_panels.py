"""The tables of views and panels: each Explore tab and lesson page draws the figures its panel row names, and
every view's link rows are read from a link and kept while another view shows."""
import json

import pytest

from rnnviz.lessons import LESSONS
from rnnviz.panels import FIGURES, PANEL_ROWS, Look, specs
from rnnviz.pipeline import build
from rnnviz.settings import PANELS, ROWS, SETTINGS, VIEWS
from rnnviz.state import Config
from rnnviz.ui import views
from tests.apptest_helpers import new_app, no_exception


def table_keys(names, ex, key=str) -> list[str]:
    """The chart keys the table says a run's figure groups have."""
    return [key(FIGURES[n].keys(i)) for n in names for i in range(len(specs(n, ex, Look())))]


@pytest.mark.parametrize("tab", [t for t in PANELS if PANEL_ROWS[t].figures])
def test_each_explore_tab_draws_the_figures_its_row_names(tab):
    at = new_app(cell="lstm", out="1", panel=tab)
    no_exception(at)
    ex = build(Config(cell="lstm", out=True))
    expected = table_keys([n for n in PANEL_ROWS[tab].figures if not FIGURES[n].folded], ex)   # a box starts closed
    ids = [c.proto.id for c in at.get("plotly_chart")]
    on_show = [k for k in expected if any(i.endswith("-" + k) for i in ids)]
    assert on_show == expected, f"{tab}: the table names {expected}, the page has {ids}"
    assert len([i for i in ids if not i.endswith("-output_at_t")]) == len(expected), ids


@pytest.mark.parametrize("lesson,page_id", [("000", "loop"), ("000", "saturate"), ("000", "weights"), ("002", "lstm"),
                                            ("002", "embedding")])
def test_a_lesson_page_draws_its_panels_lesson_figures(lesson, page_id):
    n = next(i for i, p in enumerate(LESSONS[lesson], 1) if p.id == page_id)
    page = LESSONS[lesson][n - 1]
    at = new_app(view="lessons", lesson=lesson, page=str(n))
    no_exception(at)
    ex = build(page.config())
    names = PANEL_ROWS[page.panel].on_lesson_page(page.with_states, ex.config.cell)
    expected = table_keys(names, ex, lambda k: "lesson_" + k.removesuffix("_chart"))
    ids = [c.proto.id for c in at.get("plotly_chart")]
    assert len(ids) == len(expected) and all(i.endswith("-" + k) for i, k in zip(ids, expected)), (expected, ids)


def test_the_lstm_and_gru_lesson_pages_show_the_cell_diagram_and_a_plain_rnn_page_does_not():
    gated = {p.id for p in LESSONS["002"] if "cell" in PANEL_ROWS[p.panel].on_lesson_page(p.with_states,
                                                                                          p.config().cell)}
    assert gated == {"lstm", "gru"}


def test_every_lesson_panel_is_a_row_of_the_table():
    panels = {p.panel for pages in LESSONS.values() for p in pages}
    assert panels <= set(PANEL_ROWS), panels - set(PANEL_ROWS)


def test_the_link_names_each_view_of_the_table():
    assert SETTINGS["view"].choices == VIEWS == tuple(views.TABLE)


def test_every_linked_setting_is_read_by_explore_or_a_views_row():
    """A row of the settings table that a link may hold is a Config field or one of a view's link rows: none is
    forgotten when a link opens or another view shows."""
    read = {*Config.__dataclass_fields__, *views.link_rows()}
    assert [s.key for s in ROWS if s.linked and s.key not in read] == []


def test_a_views_settings_outlive_a_run_that_shows_another_view():
    at = new_app(view="lessons", lesson="003", page="2")
    at.radio(key="view").set_value("train").run()
    at.radio(key="view").set_value("lessons").run()
    no_exception(at)
    assert (at.session_state["lesson"], at.session_state["page"]) == ("003", 2)


def test_the_backward_tab_follows_a_t_move_on_the_server():
    at = new_app(text="hello", panel="backward")
    no_exception(at)

    def title() -> str:
        chart = next(c for c in at.get("plotly_chart") if c.proto.id.endswith("-backward_chart"))
        return json.loads(chart.proto.spec)["layout"]["title"]["text"]

    before = title()
    at.slider(key="t").set_value(3).run()
    no_exception(at)
    ex = build(Config(text="hello"))
    assert title() != before and title() == FIGURES["backward"].make(ex, Look(t=3))[0]["layout"]["title"]["text"]


def test_the_cell_diagram_is_in_the_step_numbers_box_and_follows_t():
    at = new_app(text="hello", cell="lstm")
    assert not [c for c in at.get("plotly_chart") if c.proto.id.endswith("-cell_chart")]   # the box starts closed
    at.session_state["step_numbers"] = True                     # the reader opens the box
    at.slider(key="t").set_value(2).run()
    no_exception(at)
    chart = next(c for c in at.get("plotly_chart") if c.proto.id.endswith("-cell_chart"))
    ex = build(Config(text="hello", cell="lstm"))
    drawn, at_2 = json.loads(chart.proto.spec)["data"], FIGURES["cell"].make(ex, Look(t=2))[0]["data"]
    assert [d["z"]["bdata"] for d in drawn] == [d["z"]["bdata"] for d in at_2]          # the numbers of step 2
