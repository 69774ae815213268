"""Hostile input in AppTest: every link parameter wrong, out of range, repeated or empty; odd text in Train."""
import pytest
from apptest_helpers import figure_titled, new_app, no_exception, texts
from waiting import rerun_until

from rnnviz.state import SPECS
from rnnviz.text import MAX_CHARS
from rnnviz.ui.train_view import LINK


def wrong_values(key: str, specs=SPECS) -> dict[str, object]:
    spec = specs[key]
    cases = {"repeated": ["1", "2"], "empty": ""}
    if spec.kind in (int, float):
        cases |= {"wrong type": "lots", "below": str(spec.low - 5), "above": str(spec.high * 10 + 5),
                  "infinite": "inf"}
    elif spec.kind is bool:
        cases |= {"wrong type": "perhaps", "above": "2"}
    elif spec.choices:
        cases |= {"wrong type": "<b>nope</b>"}
    else:                                           # free text
        cases |= {"wrong type": "\u0000\u202e<script>alert(1)</script>", "above": "가" * (int(spec.high or MAX_CHARS) + 1000)}
    return cases


CASES = [(key, name, value) for key in SPECS for name, value in wrong_values(key).items()]


@pytest.mark.parametrize("key, name, value", CASES, ids=[f"{k}-{n}" for k, n, _ in CASES])
def test_bad_link_parameter_keeps_a_working_page(key, name, value):
    at = new_app(**{key: value})
    no_exception(at)
    assert figure_titled(at, "the step at t")              # the Explore view still draws
    shown = texts(at)
    if name == "repeated":
        assert "2 times; used the first" in shown
    elif not (key == "text" and name == "wrong type"):      # control characters in text are valid text, shown literally
        assert "Ignored" in shown or "changed to" in shown or "only the first" in shown, shown


TRAIN_CASES = [(key, name, value) for key in LINK for name, value in wrong_values(key, LINK).items()]


@pytest.mark.parametrize("key, name, value", TRAIN_CASES, ids=[f"{k}-{n}" for k, n, _ in TRAIN_CASES])
def test_bad_train_link_parameter_keeps_a_working_train_view(key, name, value):
    at = new_app(**{"view": "train", "tr_task": "text" if key == "tr_text" else "memory", key: value})
    no_exception(at)
    assert at.button(key="tr_start") and not at.button(key="tr_start").disabled     # the Train view is ready
    shown = texts(at)
    if name == "repeated":
        assert "2 times; used the first" in shown
    elif not (key == "tr_text" and name == "wrong type"):   # odd characters are valid training text
        assert "Ignored" in shown or "changed to" in shown or "only the first" in shown, shown


def test_every_parameter_wrong_at_once():
    query = {key: next(iter(v for n, v in wrong_values(key).items() if n == "wrong type")) for key in SPECS}
    at = new_app(**query)
    no_exception(at)
    assert "This link had settings that could not be used" in texts(at)


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
