"""Hostile links: the link parser's promises as properties over any parameter and any value, then a few pages that
show a wrong link still draws (each page load is the costly part, so the parser's cases are not page loads)."""
import math

import pytest
from apptest_helpers import figure_titled, new_app, no_exception, texts
from hypothesis import given
from hypothesis import strategies as st
from waiting import rerun_until

from rnnviz import words
from rnnviz.settings import EXPLORE, TRAIN
from rnnviz.state import Config, parse_query, validate
from rnnviz.text import MAX_CHARS

SPECS = {**TRAIN, **EXPLORE}                          # what a page's link may carry (rnnviz/ui/session.start)
NUMBERS = st.one_of(st.integers(-10**12, 10**12).map(str), st.floats(allow_nan=True).map(str),
                    st.sampled_from(["inf", "-inf", "nan", "1e999", "0x10", "1_000", " 7 ", "2.5"]))
HOSTILE = st.sampled_from(["", " ", "<b>nope</b>", "\u0000\u202e<script>alert(1)</script>", "perhaps", "lots",
                           "https://example.com", "가" * (MAX_CHARS + 1000), "\u200d\u200d"])


@st.composite
def raw_values(draw, key: str):
    """A value a link may give `key`: one of its own choices, a number in any spelling, or anything at all."""
    spec = SPECS[key]
    own = st.sampled_from(spec.choices) if spec.choices else st.sampled_from(["1", "0", "true", "no"])
    return draw(st.one_of(own, NUMBERS, HOSTILE, st.text(max_size=60)))


@st.composite
def links(draw):
    """A query dict as Streamlit gives it: each key a list of one or more values, unknown keys among them."""
    keys = draw(st.lists(st.sampled_from(sorted(SPECS)) | st.text(min_size=1, max_size=12), max_size=6, unique=True))
    return {k: draw(st.lists(raw_values(k) if k in SPECS else st.text(max_size=12), min_size=1, max_size=3)) for k in keys}


def taken_as_given(key: str, raw: str, value: object) -> bool:
    """Whether `value` is what `raw` says for `key`, with nothing dropped, clamped or cut."""
    spec = SPECS[key]
    if spec.kind is bool:
        return raw.strip().lower() in (("1", "true", "yes", "on") if value else ("0", "false", "no", "off"))
    if spec.kind in (int, float):
        number = float(raw)
        return math.isfinite(number) and (round(number) if spec.kind is int else number) == value
    return raw == value


@given(links())
def test_a_link_gives_only_valid_values_and_a_note_for_each_thing_not_taken(link):
    values, notes = parse_query(link, SPECS)
    assert set(values) <= set(SPECS) & set(link)
    for key, value in values.items():
        assert validate(key, value, SPECS) == (value, ""), f"{key}={value!r} is not a value its row allows"
    Config(**{k: v for k, v in values.items() if k in EXPLORE})          # the page builds its config from them
    unknown = [k for k in link if k not in SPECS]
    repeated = [k for k in link if k in SPECS and len(link[k]) > 1]
    changed = [k for k in link if k in SPECS and not (k in values and taken_as_given(k, link[k][0], values[k]))]
    assert len(notes) >= len(unknown) + len(repeated) + len(changed), (notes, unknown, repeated, changed)
    assert all(any(f"{len(link[k])} times; used the first" in n and k in n for n in notes) for k in repeated), notes


@given(st.sampled_from(sorted(SPECS)).flatmap(lambda k: st.tuples(st.just(k), raw_values(k))))
def test_a_value_is_kept_quietly_only_when_taken_as_given(key_raw):
    key, raw = key_raw
    values, notes = parse_query({key: [raw]}, SPECS)
    if key in values and taken_as_given(key, raw, values[key]):
        assert notes == [], notes
    else:
        assert len(notes) == 1, notes


ENGLISH = ("Ignored", "changed to", "used the first", "unknown link parameter", "characters long")


@given(links())
def test_a_link_s_notes_are_said_in_the_page_s_language(link):
    _, said_in_english = parse_query(link, SPECS)
    with words.language("ko"):
        _, notes = parse_query(link, SPECS)
    assert len(notes) == len(said_in_english)
    assert not [n for n in notes if any(e in n for e in ENGLISH)], notes     # (a user's own text is not a note's word)


# --- the page itself: a few links, each wrong in every way at once ---------------------------------------------

def wrong(key: str) -> str:
    """A value of the wrong type for `key`."""
    spec = SPECS[key]
    if spec.kind in (int, float):
        return "lots"
    return "perhaps" if spec.kind is bool else "<b>nope</b>" if spec.choices else "\u0000\u202e<script>x</script>"


def test_every_explore_parameter_wrong_at_once_keeps_a_working_page():
    at = new_app(**{key: wrong(key) for key in EXPLORE if key not in ("view", "lang")})
    no_exception(at)
    assert figure_titled(at, "the step at t")                 # the Explore view still draws
    shown = texts(at)
    assert "This link had settings that could not be used" in shown
    assert "Ignored" in shown


def test_out_of_range_repeated_and_empty_parameters_are_each_said():
    at = new_app(H=["999", "3"], I="-5", text="", zzz="1")
    no_exception(at)
    assert figure_titled(at, "the step at t")
    shown = texts(at)
    for said in ("2 times; used the first", "changed to", "Ignored an empty", "unknown link parameter"):
        assert said in shown, (said, shown)


def test_every_train_parameter_wrong_at_once_keeps_a_working_train_view():
    at = new_app(view="train", **{key: wrong(key) for key in TRAIN if key != "tr_task"})
    no_exception(at)
    assert at.button(key="tr_start") and not at.button(key="tr_start").disabled     # the Train view is ready
    assert "Ignored" in texts(at)


def test_train_text_task_with_odd_text_trains():
    at = new_app(view="train")
    at.selectbox(key="tr_task").set_value("text").run()
    at.text_area(key="tr_text").set_value("안녕 👩‍👩‍👧 שלום\u200b <script>x</script> **b** " * 3).run()
    at.number_input(key="tr_steps").set_value(5).run()
    at.button(key="tr_start").click().run()
    rerun_until(at, lambda a: any("finished" in p.proto.text for p in a.get("progress")), "the 5-step run to finish",
                seen=lambda: [p.proto.text for p in at.get("progress")])
    no_exception(at)


@pytest.mark.parametrize("invisible", ["\u200d\u200d", "\u3164", "\u0301"])
def test_an_invisible_text_gets_the_empty_text_message(invisible):
    at = new_app(text="hello")
    at.text_area(key="text").set_value(invisible).run()
    no_exception(at)
    assert "The text is empty\\: type at least one character\\." in [e.value for e in at.error]   # escaped markdown
    assert figure_titled(at, "the step at t")          # the last text that worked stays on show
