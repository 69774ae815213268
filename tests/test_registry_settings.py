"""Every setting is written once, in rnnviz/settings.py: a second definition of a row, a widget or a range fails."""
import ast
from pathlib import Path

import pytest

from rnnviz import settings
from rnnviz.settings import EXPLORE, ROWS, TRAIN
from rnnviz.state import DEFAULT, Config
from rnnviz.train.loop import LIMITS, RATE_LIMITS

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "rnnviz").rglob("*.py"))
WIDGETS = {"slider", "number_input", "selectbox", "radio", "toggle", "text_area", "text_input", "checkbox",
           "select_slider"}
# Widgets whose range is the data's, not a setting's (t over the text's steps, a batch row, a layer, a direction,
# the tabs, a lesson's pages): drawn by the views that know the data.
DATA_RANGED = {k for k, s in settings.SETTINGS.items() if s.role == "looks" and s.widget in ("stepper", "select", "radio",
               "tabs") and k not in ("view", "lang")}      # ... and a lesson's pages


def calls(path: Path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call):
            yield node


def name_of(call: ast.Call) -> str:
    return getattr(call.func, "id", getattr(call.func, "attr", ""))


def test_rows_are_made_only_in_the_registry():
    found = [f"{p.name}:{c.lineno}" for p in SOURCES if p.name != "settings.py" for c in calls(p)
             if name_of(c) in ("Setting", "Spec")]
    assert found == []


def test_no_widget_of_a_setting_is_drawn_outside_the_registry_s_drawer():
    found = []
    for path in SOURCES:
        if path.name == "widgets.py":
            continue
        for c in calls(path):
            key = next((k.value.value for k in c.keywords if k.arg == "key" and isinstance(k.value, ast.Constant)), None)
            if name_of(c) in WIDGETS and key in settings.SETTINGS and key not in DATA_RANGED:
                found.append(f"{path.name}:{c.lineno} draws {key}")
    assert found == [], "draw these with ui.widgets.draw(key) so range, words and default come from the registry"


DRAWS = {"integers", "randint", "uniform", "normal", "range", "arange", "linspace"}


def literal_pairs(path: Path) -> set[tuple]:
    """Every pair of adjacent number literals in a call's arguments or a tuple: (1, 256), (0, 2**31 - 1) ..."""
    pairs = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and name_of(node) in DRAWS:
            continue                                    # a random draw's bounds are not a setting's range
        items = node.elts if isinstance(node, ast.Tuple) else node.args if isinstance(node, ast.Call) else []
        values = []
        for item in items:
            try:
                values.append(ast.literal_eval(item) if not isinstance(item, ast.BinOp) else eval(compile(
                    ast.Expression(item), "<pair>", "eval")))                     # 2**31 - 1
            except Exception:
                values.append(None)
        pairs |= {(a, b) for a, b in zip(values, values[1:]) if isinstance(a, (int, float)) and isinstance(b, (int, float))}
    return pairs


RANGES = {(s.low, s.high) for s in ROWS if s.low is not None and s.high is not None and s.high - s.low >= 3}


@pytest.mark.parametrize("path", [p for p in SOURCES if p.name != "settings.py"], ids=lambda p: p.name)
def test_no_module_restates_a_setting_s_range(path):
    restated = {pair for pair in literal_pairs(path) if pair in RANGES}
    assert restated == set(), f"{path.name} writes the range {restated} again: read it from rnnviz.settings"


def test_a_second_range_pair_would_be_caught(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import streamlit as st\nst.slider('Hidden size', 1, 256, key='hidden')\n")
    assert (1, 256) in literal_pairs(bad)


def test_the_config_the_trainer_and_the_links_read_the_registry():
    assert {f for f in Config.__dataclass_fields__} == set(EXPLORE)
    assert all(getattr(DEFAULT, k) == s.default for k, s in EXPLORE.items())
    for s in TRAIN.values():
        if s.kind is int:
            assert LIMITS[s.field] == (s.low, s.high)
        if s.kind is float:
            assert RATE_LIMITS[s.field] == (s.low, s.high)


def test_the_link_document_is_the_registry():
    doc = (ROOT / "docs" / "links.md").read_text(encoding="utf-8")
    assert doc == settings.link_doc(), "run: python -m rnnviz.settings > docs/links.md"
    assert all(f"| `{s.key}` |" in doc for s in ROWS if s.linked)


def test_every_text_box_is_the_registry_s_with_its_cap():
    """Issue 22: a text box without `max_chars` took a 20 MB paste; every one is drawn by ui.widgets.draw, which gives
    it the cap of its registry row."""
    found = [f"{p.name}:{c.lineno}" for p in SOURCES if p.name != "widgets.py" for c in calls(p)
             if name_of(c) in ("text_area", "text_input", "chat_input")]
    assert found == [], "draw text boxes with ui.widgets.draw(key): their cap comes from the registry"
    drawer = next(c for c in calls(ROOT / "rnnviz" / "ui" / "widgets.py") if name_of(c) == "text_area")
    assert "max_chars" in ast.unparse(drawer)
    assert all(s.max_chars >= s.high for s in ROWS if s.widget == "text")


def test_rows_kept_out_of_links_are_neither_documented_nor_read_from_a_link():
    """The lab's pasted text and prompt never travel in a link: the link document and the lab's link leave them out."""
    from rnnviz.settings import ROWS, link_doc
    from rnnviz.ui import lab
    unlinked = [s.key for s in ROWS if not s.linked]
    assert unlinked == ["lab_paste", "lab_prompt"]
    doc = link_doc()
    assert not [k for k in unlinked if f"`{k}`" in doc]
    assert not set(unlinked) & set(lab.LINK)
    assert "lab_cell" in lab.LINK and "`lab_cell`" in doc           # the lab's other rows do
