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


SAYERS = ("say", "Said", "Problem")
KEY = re.compile(r"[a-z][a-z0-9_]*(\.[A-Za-z0-9_]+)+")


def trees() -> dict[Path, ast.Module]:
    return {path: ast.parse(path.read_text(encoding="utf-8")) for path in SOURCES}


def state_values(modules: dict[Path, ast.Module]) -> dict[str, set[str]]:
    """attribute -> every string constant the code sets it to (`run.status = "loaded"`, `a.x, a.y = "q", ""`), with
    its dataclass default where the same module sets it (`status: str = "new"`): the states a key can be made from."""
    values: dict[str, set[str]] = {}
    for tree in modules.values():
        pairs = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                        pairs += zip(target.elts, node.value.elts)
                    else:
                        pairs.append((target, node.value))
        set_here = set()
        for target, value in pairs:
            if isinstance(target, ast.Attribute) and isinstance(value, ast.Constant) and isinstance(value.value, str):
                values.setdefault(target.attr, set()).add(value.value)
                set_here.add(target.attr)
        for node in ast.walk(tree):
            if (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id in set_here
                    and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
                values[node.target.id].add(node.value.value)
    return values


def loop_values(tree: ast.Module, name: str, near: ast.AST) -> set[str] | None:
    """The constants `name` runs over in a loop or comprehension of the function around `near` (None: not known)."""
    scopes = [f for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.Lambda))
              and any(n is near for n in ast.walk(f))]
    for scope in scopes[-1:]:
        for node in ast.walk(scope):
            if (isinstance(node, (ast.For, ast.comprehension)) and isinstance(node.target, ast.Name)
                    and node.target.id == name and isinstance(node.iter, (ast.Tuple, ast.List))
                    and all(isinstance(e, ast.Constant) for e in node.iter.elts)):
                return {str(e.value) for e in node.iter.elts}
    return None


def made_keys(fstring: ast.JoinedStr, tree: ast.Module, states: dict[str, set[str]]) -> list[str] | re.Pattern:
    """The keys an f-string key can be (`f"lab.status_{run.status}"` with every status the code sets), or, where
    a part cannot be known, a pattern the key must match."""
    parts: list[set[str] | None] = []
    for value in fstring.values:
        if isinstance(value, ast.Constant):
            parts.append({str(value.value)})
        elif isinstance(value.value, ast.Name):
            parts.append(loop_values(tree, value.value.id, fstring))
        elif isinstance(value.value, ast.Attribute):
            parts.append(states.get(value.value.attr))
        else:
            parts.append(None)
    if all(parts):
        keys = [""]
        for part in parts:
            keys = [k + v for k in keys for v in sorted(part or ())]
        return keys
    return re.compile("".join(".+" if p is None else "(" + "|".join(map(re.escape, p)) + ")" for p in parts))


def said_keys() -> tuple[set[str], list[tuple[str, re.Pattern]]]:
    """Every key the code passes to say(), Said() or Problem() (constants in the argument, an f-string's every
    value where the code says which), and the patterns of the f-string keys whose values cannot be known."""
    modules = trees()
    states = state_values(modules)
    keys, patterns = set(), []
    for path, tree in modules.items():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in SAYERS
                    and node.args):
                continue
            for part in ast.walk(node.args[0]):
                if isinstance(part, ast.JoinedStr):
                    made = made_keys(part, tree, states)
                    if isinstance(made, list):
                        keys |= set(made)
                    else:
                        patterns.append((f"{path.name}:{node.lineno}", made))
            inside = {id(c) for f in ast.walk(node.args[0]) if isinstance(f, ast.JoinedStr) for c in ast.walk(f)}
            keys |= {c.value for c in ast.walk(node.args[0]) if isinstance(c, ast.Constant) and id(c) not in inside
                     and isinstance(c.value, str) and KEY.fullmatch(c.value)}
    return keys, patterns


def stored_keys() -> set[str]:
    """Every string in the code shaped like a key of a catalogue's namespace (`"lab.empty"` kept in session state
    to be said when drawn), f-strings' pieces aside."""
    namespaces = {k.split(".")[0] for k in words.catalogue("en")}
    found = set()
    for tree in trees().values():
        inside = {id(c) for f in ast.walk(tree) if isinstance(f, ast.JoinedStr) for c in ast.walk(f)}
        found |= {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
                  and id(n) not in inside and KEY.fullmatch(n.value) and n.value.split(".")[0] in namespaces}
    return found


def test_every_key_the_code_says_is_in_both_catalogues():
    keys, patterns = said_keys()
    assert len(keys) > 300 and "lab.status_loaded" in keys and "status.queued" in keys   # the scan found the code's words
    for lang in words.LANGS:
        have = words.catalogue(lang)
        assert sorted(k for k in keys | stored_keys() if k not in have) == [], f"keys missing from {lang}.po"
        assert [(where, p.pattern) for where, p in patterns if not any(p.fullmatch(k) for k in have)] == [], lang


def test_the_key_scan_knows_the_states_a_key_is_made_from():
    """The scan can fail: an f-string's key from a state the code sets, and a key from a loop, are expanded."""
    tree = ast.parse("def f(run):\n    run.status = 'gone'\n    say(f'lab.status_{run.status}')\n"
                     "    return [say(f'col.{k}') for k in ('step', 'zzz')]\n")
    calls = [n.args[0] for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "say"]
    states = state_values({Path("x.py"): tree})
    assert made_keys(calls[0], tree, states) == ["lab.status_gone"]
    assert made_keys(calls[1], tree, states) == ["col.step", "col.zzz"]
    assert made_keys(ast.parse("f'gate.{x()}'").body[0].value, tree, states).pattern == "(gate\\.).+"


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
    named = [(key, label) for label in labels.values() for key, text in ko.items()      # ({next}: a parameter)
             if re.search(r"\b" + re.escape(label) + r"\b", re.sub(r"\{\w+\}", "", text))]
    assert named == []


# --- the glossary at the top of ko.po (issue 21) -------------------------------------------------------------------

def glossary(text: str) -> list[tuple[str, str, list[tuple[str, str | None]]]]:
    """(English, the Korean term, [(a variant not to use, the English word it is wrong for or None)]) for each
    entry `english = 한국어 ✗ 변형, 변형 (english)` of the glossary's lines (`#` lines before the first msgid)."""
    head = text.split("\nmsgid ", 1)[0]
    entries = []
    for line in head.splitlines():
        for entry in line.lstrip("# ").split(" | "):
            if " = " not in entry:
                continue
            english, korean = entry.split(" = ", 1)
            term, _, avoid = korean.partition(" ✗ ")
            variants = [re.fullmatch(r"(.+?)(?: \((.+)\))?", v.strip()).groups() for v in avoid.split(", ") if v.strip()]
            entries.append((english.strip(), term.strip(), variants))
    return entries


def drifted(entries, ko: dict[str, str], en: dict[str, str]) -> list[tuple[str, str, str]]:
    """(key, the variant, the glossary's term) for each Korean string that says a variant where the glossary has a
    term: the term's own words do not count (이어서 학습 holds 이어서), and a variant with an English word counts only
    where the English string has that word (수업 is a class, not a lesson)."""
    found = []
    for key, text in ko.items():
        for _, term, variants in entries:
            for variant, english in variants:
                if english and not re.search(rf"\b{re.escape(english)}", en.get(key, ""), re.IGNORECASE):
                    continue
                if variant in text.replace(term, "\0"):
                    found.append((key, variant, term))
    return found


def test_korean_strings_use_the_glossarys_terms():
    with open(words.LOCALE / "ko.po", encoding="utf-8") as f:
        entries = glossary(f.read())
    avoided = {variant for _, _, variants in entries for variant, _ in variants}
    assert {"기울기 자르기", "끝남", "뉴런", "타임스텝", "▷ 이어서", "수업", "노트북", "이 텍스트 쓰기"} <= avoided, avoided
    assert drifted(entries, words.catalogue("ko"), words.catalogue("en")) == []


def test_the_glossary_check_finds_a_variant():
    """The check can fail: each kind of drift the issue found is caught, and the terms themselves are not."""
    entries = glossary("# gradient clipping = 기울기 클리핑 ✗ 기울기 자르기 | resume = ▷ 이어서 학습 ✗ 이어서\n"
                       "# lesson = 강의 ✗ 수업 (lesson) | class = 수업\nmsgid \"\"\n")
    ko = {"a": "기울기 자르기를 켜 보세요", "b": "▷ 이어서", "c": "📘 수업", "d": "수업용 링크", "e": "▷ 이어서 학습"}
    en = {"a": "turn on clipping", "b": "▷ Resume", "c": "📘 Lessons", "d": "The link for the class", "e": "▷ Resume"}
    assert drifted(entries, ko, en) == [("a", "기울기 자르기", "기울기 클리핑"), ("b", "이어서", "▷ 이어서 학습"),
                                        ("c", "수업", "강의")]
