"""The one-way flow, checked on the imports: a lower package never imports a higher one, and no import sits inside a
function to dodge a cycle (DESIGN.md: engine < plots, train, lab < ui; nothing outside ui imports ui)."""
import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "rnnviz"
RANK = {"engine": 0, "plots": 1, "train": 1, "lab": 1, "ui": 2}     # a package imports only its rank or lower
TOP = 2                                                             # ... and nothing outside ui imports ui


def module_of(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(node: ast.ImportFrom | ast.Import, module: str, is_package: bool) -> list[str]:
    """The rnnviz modules an import statement names (relative ones resolved; `from . import x` gives each x)."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name.startswith("rnnviz")]
    base = module.split(".") if is_package else module.split(".")[:-1]
    if node.level:
        base = base[:len(base) - node.level + 1]
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = node.module or ""
    if not target.startswith("rnnviz"):
        return []
    return [target] if node.module else [f"{target}.{a.name}" for a in node.names]


def imports() -> list[tuple[str, str, bool, int]]:
    """(importer, imported, inside a function, line) for every rnnviz import in the package."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module, tree = module_of(path), ast.parse(path.read_text(encoding="utf-8"))
        nested = {id(sub) for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                  for sub in ast.walk(node)}
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                found += [(module, t, id(node) in nested, node.lineno)
                          for t in imported(node, module, path.name == "__init__.py")]
    return found


def rank(module: str) -> int | None:
    parts = module.split(".")
    return RANK.get(parts[1]) if len(parts) > 1 else None


def test_no_import_goes_from_a_lower_package_to_a_higher_one():
    up = [f"{a} imports {b} (line {n})" for a, b, _, n in imports()
          if (rank(b) or 0) > (rank(a) if rank(a) is not None else TOP - 1) and rank(b) is not None]
    assert up == [], "\n".join(up)


def test_no_import_inside_a_function_dodges_a_cycle():
    """An rnnviz import inside a function is a dodge when the module it imports reaches back to the importer."""
    top: dict[str, set[str]] = {}
    for a, b, inside, _ in imports():
        if not inside:
            top.setdefault(a, set()).add(b)

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            m = todo.pop()
            if m not in seen:
                seen.add(m)
                parent = m.rpartition(".")[0]   # importing a.b.c runs a.b's __init__ first (not the root's, nor the
                up = parent.count(".") and not (m == start and parent == goal)  # importer's own, for its submodule)
                todo += [*top.get(m, ()), *([parent] if up else [])]
        return goal in seen

    dodges = [f"{a} imports {b} inside a function (line {n})" for a, b, inside, n in imports()
              if inside and reaches(b, a)]
    assert dodges == [], "\n".join(dodges)
