"""The catalogues of words: every language has every key with the same parameters, and the code's keys exist."""
import ast
import re
from pathlib import Path

import pytest

from rnnviz import words
from rnnviz.settings import ROWS
from rnnviz.state import Config

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "rnnviz").rglob("*.py"))


@pytest.mark.parametrize("lang", [lang for lang in words.LANGS if lang != "en"])
def test_every_language_has_every_key_and_the_same_parameters(lang):
    en, other = words.catalogue("en"), words.catalogue(lang)
    assert sorted(set(en) - set(other)) == [], f"{lang} lacks these keys"
    assert sorted(set(other) - set(en)) == [], f"{lang} has keys English lacks"
    differ = {k: (words.placeholders(en[k]), words.placeholders(other[k])) for k in en
              if words.placeholders(en[k]) != words.placeholders(other[k])}
    assert differ == {}, f"parameters differ between en and {lang}"


def said_keys() -> set[str]:
    """Every literal key the code passes to say(), Said() or Problem()."""
    keys = set()
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in (
                    "say", "Said", "Problem") and node.args and isinstance(node.args[0], ast.Constant):
                keys.add(node.args[0].value)
    return keys


def test_every_key_the_code_says_is_in_the_catalogue():
    keys = said_keys()
    assert len(keys) > 20                                   # the scan found the code's words
    assert sorted(k for k in keys if k not in words.catalogue("en")) == []


def test_every_setting_has_its_words():
    en = words.catalogue("en")
    for s in ROWS:
        assert s.name in en, s.key
        for value in s.choices:
            if s.widget in ("select", "radio", "tabs"):
                assert s.choice(value) in en, (s.key, value)


def test_a_missing_key_is_an_error_not_a_silent_blank():
    with pytest.raises(KeyError):
        words.say("no.such.key")


def test_korean_notes_and_messages_come_from_the_korean_catalogue():
    with words.language("ko"):
        _, notes = Config.from_query({"H": "0"})
    assert notes == ["은닉 크기 값은 1에서 256 사이여야 합니다. 0 대신 1 값을 씁니다."]
    with words.language("ko"):
        assert re.search("[가-힣]", words.say("label.H"))
    _, notes = Config.from_query({"H": "0"})                # outside the block: English again
    assert notes == ["Hidden size must be between 1 and 256; 0 was changed to 1."]


def test_problem_is_said_in_the_language_it_is_shown_in():
    problem = words.Problem("value.cut", what="text", n=3000, used=2000)
    assert str(problem) == "The text was 3,000 characters long; only the first 2,000 are used."
    with words.language("ko"):
        assert str(problem) == "text 길이가 3,000자라서 앞의 2,000자만 씁니다."


def test_korean_sentences_name_buttons_by_their_korean_labels():
    """A Korean sentence that points to a button ("press ▶ 재생") uses the label the Korean page shows, never the
    English one ("▶ Play")."""
    import re

    from rnnviz.words import catalogue
    en, ko = catalogue("en"), catalogue("ko")
    labels = {}
    for key, text in en.items():
        core = re.sub(r"[^A-Za-z ]", "", text).strip()
        if (key.startswith(("button.", "step.play", "step.pause", "lesson.prev", "lesson.next", "tip.open"))
                and 4 <= len(core) and len(core.split()) <= 2 and ko.get(key) and core not in ko[key]):
            labels[key] = core
    assert "Play" in labels.values() and "Pause" in labels.values(), labels
    named = [(key, label) for label in labels.values() for key, text in ko.items()
             if re.search(r"\b" + re.escape(label) + r"\b", text)]
    assert named == []
