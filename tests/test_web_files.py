"""The page's scripts and styles are files (rnnviz/ui/web/*.js, *.css), never Python strings: a Python string under
rnnviz/ that holds JavaScript or CSS is named here; the loader reads only those files; plotly's private state is read
only inside follow.js's adapter."""
import ast
import re
from pathlib import Path

import pytest

from rnnviz.ui import web

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "rnnviz" / "ui" / "web"
SCRIPTS = sorted(WEB.glob("*.js"))
STYLES = sorted(WEB.glob("*.css"))

# What only code of the page says (prose about a "window." or "a function of (x)" is not it).
JS = re.compile(r"\bfunction\s*\w*\s*\([^()]*\)\s*\{|\([^()]*\)\s*=>|\w\s*=>|\b(?:document|window)\.\w"
                r"|addEventListener|querySelector|export\s+default|\b(?:const|let|var)\s+\w+\s*=")
CSS = re.compile(r"[\w\])*]\s*\{\s*[a-z-]+\s*:\s*[^{};]+;|@media\s*\(|!important")


def web_code(text: str) -> str | None:
    """The first piece of `text` that is JavaScript or CSS, if any."""
    found = JS.search(text) or CSS.search(text)
    return found.group(0) if found else None


def python_strings(path: Path):
    """Every string literal of a Python file (docstrings and f-strings' fixed parts too), with its line."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value


def test_no_python_string_under_rnnviz_holds_javascript_or_css():
    found = [f"{path.relative_to(ROOT)}:{line}: {code!r}" for path in sorted((ROOT / "rnnviz").rglob("*.py"))
             for line, text in python_strings(path) if (code := web_code(text))]
    assert found == [], "JavaScript or CSS in a Python string: move it to rnnviz/ui/web/ and load it by path"


@pytest.mark.parametrize("path", SCRIPTS + STYLES, ids=lambda p: p.name)
def test_each_web_file_would_be_caught_in_a_python_string(path):
    """The check above sees what the web files hold: each one, pasted into Python, would be named."""
    assert web_code(path.read_text(encoding="utf-8"))


def test_the_loader_reads_the_files_of_its_folder_and_nothing_else():
    assert {p.stem for p in SCRIPTS} >= {"follow", "page_keys", "long_link", "streamlit_words"}
    assert {p.stem for p in STYLES} >= {"page", "present", "korean"}
    for path in SCRIPTS:
        assert web.script(path.stem) == path.read_text(encoding="utf-8")
    for path in STYLES:
        rules = web.COMMENT.sub("", path.read_text(encoding="utf-8")).strip()
        assert web.style(path.stem) == f"<style>{rules}</style>"
    for name in ("../__init__", "missing", "/etc/passwd"):
        with pytest.raises((ValueError, FileNotFoundError)):
            web.script(name)
    with pytest.raises(ValueError):
        web.text("__init__.py")


# plotly.js's private state as follow.js reads it (the plotly.js Streamlit bundles): these names, and d3's data on
# the nodes plotly draws, appear only between the adapter's two marker lines.
PLOTLY_PRIVATE = re.compile(r"\b(?:_fullLayout|_fullData|calcdata|_module|_transitionData|_input|_frameHash"
                            r"|_currentFrame|_plots)\b|__data__|\.gtitle\b")
BEGIN, END = "// ---- plotly adapter: begin ----", "// ---- plotly adapter: end ----"


def outside_the_adapter(text: str) -> list[str]:
    """The lines of a script outside its plotly adapter that read plotly.js's private state."""
    if BEGIN in text:
        assert text.count(BEGIN) == text.count(END) == 1 and text.index(BEGIN) < text.index(END)
        text = text[:text.index(BEGIN)] + text[text.index(END):]
    return [line.strip() for line in text.splitlines() if PLOTLY_PRIVATE.search(line)]


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_plotlys_private_state_is_read_only_in_the_adapter(path):
    text = path.read_text(encoding="utf-8")
    assert outside_the_adapter(text) == [], f"{path.name} reads plotly.js's private state outside plotlyPrivate"


def test_follow_js_has_the_adapter_and_uses_it():
    text = (WEB / "follow.js").read_text(encoding="utf-8")
    adapter = text[text.index(BEGIN):text.index(END)]
    assert "const plotlyPrivate = " in adapter and PLOTLY_PRIVATE.search(adapter)
    assert "P.check(plot)" in text and "dataset.rnnvizPlotly" in text       # the check runs and the page says so


def test_a_style_sent_to_the_page_carries_its_rules_not_its_comments():
    """The files' comments are for their readers: what goes to a page is the rules alone."""
    for css in sorted(web.HERE.glob("*.css")):
        sent = web.style(css.stem)
        assert sent.startswith("<style>") and "/*" not in sent, css.name
        assert sent[len("<style>"):].lstrip()[:1] not in ("", "/"), css.name
        assert "{" in sent, f"{css.name}: its rules are kept"
