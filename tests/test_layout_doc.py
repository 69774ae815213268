"""docs/layout.md names every module under its package, so a contributor finds where a thing lives."""
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ["rnnviz", "rnnviz/engine", "rnnviz/plots", "rnnviz/train", "rnnviz/lab", "rnnviz/lessons",
            "rnnviz/tally", "rnnviz/ui", "deploy", "testkit"]


def entries() -> dict[str, str]:
    """The layout block's text for each package: its line and the indented lines that follow it."""
    block = re.search(r"```\n(.*?)```", (ROOT / "docs" / "layout.md").read_text(encoding="utf-8"), re.S)
    assert block, "docs/layout.md has no layout block"
    found: dict[str, str] = {}
    name = None
    for line in block.group(1).splitlines():
        if line and not line[0].isspace():
            name, line = line.split(maxsplit=1)[0].rstrip("/"), line
            found[name] = ""
        if name:
            found[name] += " " + line
    return found


@pytest.mark.parametrize("package", PACKAGES)
def test_every_module_is_named_under_its_package(package):
    text = entries().get(package)
    assert text is not None, f"docs/layout.md has no line for {package}/"
    modules = sorted(p.stem for p in (ROOT / package).glob("*.py") if p.stem != "__init__")
    assert modules, package
    missing = [m for m in modules if not re.search(rf"\b{m}\b", text)]
    assert missing == [], f"docs/layout.md does not name {package}/{missing}"


def test_the_check_reads_the_block():
    found = entries()
    assert set(PACKAGES) <= set(found) and "step" in found["rnnviz/plots"] and "step" not in found["rnnviz/lab"]
