"""Security settings and rules, checked from the code itself."""
import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "rnnviz").rglob("*.py")) + [ROOT / "app.py"]


def test_server_config_is_safe_by_default():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    server = config["server"]
    assert server["enableXsrfProtection"] is True
    assert server["address"] in ("127.0.0.1", "localhost")      # a classroom is opened on purpose (README)
    from rnnviz.weight_files import MAX_BYTES
    assert server["maxUploadSize"] * 2**20 == MAX_BYTES <= 32 * 2**20     # the server refuses what weight_files.py would
    assert config["client"]["showErrorDetails"] == "none"       # never a traceback in the page


def module_string_constants(tree: ast.Module) -> set[str]:
    return {t.id for node in tree.body if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str) for t in node.targets if isinstance(t, ast.Name)}


WEB = ROOT / "rnnviz" / "ui" / "web"


def package_file(node) -> bool:
    """`web.style("page")` or `web.script("follow")`: a file of ours in the package (rnnviz/ui/web), named by a
    literal, so nothing a user typed picks it or reaches it."""
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("style", "script")
            and isinstance(node.func.value, ast.Name) and node.func.value.id == "web" and len(node.args) == 1
            and not node.keywords and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
            and (WEB / f"{node.args[0].value}.{'css' if node.func.attr == 'style' else 'js'}").is_file())


def fixed_text(node, constants: set[str]) -> bool:
    """Text made only of our own fixed strings: literals, module-level string constants, the package's own files,
    their sums, and a choice between two such (`A + (B if korean else "")`): nothing a user typed can reach it."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if package_file(node):
        return True
    if isinstance(node, ast.Name):
        return node.id in constants
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return fixed_text(node.left, constants) and fixed_text(node.right, constants)
    if isinstance(node, ast.IfExp):
        return fixed_text(node.body, constants) and fixed_text(node.orelse, constants)
    return False


def test_html_is_only_ever_our_own_fixed_strings():
    """Every way the page renders HTML (markdown with unsafe_allow_html, st.html in any container) gets fixed text."""
    uses = 0
    for path in SOURCES:
        tree = ast.parse(path.read_text())
        constants = module_string_constants(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            unsafe = any(k.arg == "unsafe_allow_html" for k in node.keywords)
            html = isinstance(node.func, ast.Attribute) and node.func.attr == "html"
            if unsafe or html:
                uses += 1
                body = node.args[0] if node.args else None
                assert body is not None and fixed_text(body, constants), \
                    f"{path.name}:{node.lineno}: HTML from a value that is not our own fixed text"
    assert uses >= 1    # the check looked at something


def test_the_page_runs_only_our_own_script_files():
    """Every components-v2 script (js=) and style (css=) is a file of the package, named by a literal."""
    uses = 0
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "component":
                for k in node.keywords:
                    if k.arg in ("js", "css", "html"):
                        uses += 1
                        assert package_file(k.value), f"{path.name}:{node.lineno}: {k.arg}= is not a file of ours"
    assert uses >= 4    # follow, page_keys, long_link, streamlit_words


def test_weights_never_go_through_pickle():
    for path in SOURCES:
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] + ([node.module] if isinstance(node, ast.ImportFrom) else [])
                assert not any(n and n.split(".")[0] in ("pickle", "dill", "joblib") for n in names), path.name
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "load" \
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "torch":
                assert any(k.arg == "weights_only" and getattr(k.value, "value", None) is True for k in node.keywords), \
                    f"{path.name}:{node.lineno}: torch.load without weights_only=True"


def test_uploads_accept_only_safetensors():
    tree = ast.parse((ROOT / "rnnviz" / "ui" / "train_view.py").read_text())
    uploaders = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
                 and n.func.attr == "file_uploader"]
    assert uploaders
    for call in uploaders:
        types = next(k.value for k in call.keywords if k.arg == "type")
        assert [e.value for e in types.elts] == ["safetensors"]
