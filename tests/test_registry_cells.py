"""The cell registry is the only list of cells, and what it says about each cell is what PyTorch builds."""
import ast
import re
from pathlib import Path
from typing import get_args

import pytest
import torch

from rnnviz.bridge import cell_of, from_torch, to_torch, torch_module
from rnnviz.engine import CELL_TABLE, CELLS, CellName, Network, cell_spec
from rnnviz.engine.registry import LABELS, ONE_PER_CLASS, latex

ROOT = Path(__file__).resolve().parent.parent
REGISTRY = ROOT / "rnnviz" / "engine" / "registry.py"
SCANNED = sorted(p for d in ("rnnviz", "tests", "bench") for p in (ROOT / d).rglob("*.py")
                 if p not in (REGISTRY, Path(__file__).resolve())) + [ROOT / "app.py"]


def second_definitions(source: str, least: int = 2) -> list[str]:
    """Where a piece of code restates the registry: a dict keyed by two or more cell names (a per-cell table),
    a list, tuple or set of `least` or more cell names, a string naming three or more of them (a message
    listing the cells), or a cell's gate letters as one string or one collection ("ifgo", ("r", "z", "n")).
    Docstrings are prose and may name cells; tests may pick two cells to run on (least=3 there)."""
    tree = ast.parse(source)
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    gate_strings = {"".join(c.gates) for c in CELL_TABLE.values() if c.gates}
    gate_tuples = {c.gates for c in CELL_TABLE.values() if c.gates}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Tuple, ast.List, ast.Set, ast.Dict)):
            items = node.keys if isinstance(node, ast.Dict) else node.elts
            words = tuple(e.value for e in items if isinstance(e, ast.Constant) and isinstance(e.value, str))
            if len(set(words) & set(CELLS)) >= (2 if isinstance(node, ast.Dict) else least):
                found.append(f"line {node.lineno}: a collection of cell names {words}")
            if words in gate_tuples:
                found.append(f"line {node.lineno}: gate letters {words}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            named = {w for w in re.findall(r"\w+", node.value) if w in CELLS}
            if len(named) >= 3:
                found.append(f"line {node.lineno}: a string listing cells {node.value!r}")
            if node.value in gate_strings:
                found.append(f"line {node.lineno}: gate letters {node.value!r}")
    return found


@pytest.mark.parametrize("source, restates", [
    ('CELLS = ("rnn_tanh", "rnn_relu", "lstm", "gru")', True),
    ('MODULES = {"lstm": LSTM, "gru": GRU}', True),
    ('raise ValueError(f"cell must be rnn_tanh, rnn_relu, lstm or gru, got {c}")', True),
    ('gates = {"lstm": "ifgo"}.get(cell, "")', True),
    ('for name in ("r", "z", "n"): pass', True),
    ('if cell == "lstm": pass', False),
    ('def f():\n    """Works for rnn_tanh, rnn_relu, lstm and gru."""', False),
    ('x = dict(cell="lstm", H=5)', False),
    ('if cell in ("lstm", "gru"): pass', True),
])
def test_the_scanner_tells_a_second_definition_from_a_use(source, restates):
    assert bool(second_definitions(source)) == restates, second_definitions(source)


def test_tests_may_pick_cells_but_not_restate_them():
    assert not second_definitions('pytest.mark.parametrize("cell", ["lstm", "gru"])', least=3)
    assert second_definitions('pytest.mark.parametrize("cell", ["rnn_tanh", "lstm", "gru"])', least=3)
    assert second_definitions('G = {"lstm": 4, "gru": 3}', least=3)


def test_no_second_definition_of_the_cell_list_anywhere():
    found = {str(p.relative_to(ROOT)): hits for p in SCANNED
             if (hits := second_definitions(p.read_text(), least=3 if "tests" in p.relative_to(ROOT).parts else 2))}
    assert not found, f"the cell list or gate letters restated outside {REGISTRY.relative_to(ROOT)}: {found}"


def test_the_table_covers_exactly_the_literal_type():
    assert CELLS == get_args(CellName) == tuple(CELL_TABLE)
    assert all(name == cell.name for name, cell in CELL_TABLE.items())
    assert set(LABELS) == set(CELLS) and len(set(LABELS.values())) == len(CELLS)      # labels tell cells apart
    assert list(ONE_PER_CLASS) == ["RNN", "LSTM", "GRU"]                  # the Train view's compare runs, in order
    assert all(CELL_TABLE[name].torch_class == k for k, name in ONE_PER_CLASS.items())


@pytest.mark.parametrize("cell", CELLS)
def test_each_row_is_what_torch_builds(cell):
    spec, H = CELL_TABLE[cell], 3
    module = torch_module(cell, 2, H)
    assert type(module) is getattr(torch.nn, spec.torch_class)
    assert module.mode == spec.torch_mode and cell_of(module) == cell
    assert module.weight_ih_l0.shape == (spec.G * H, 2) == Network.init(cell, 2, H).params["weight_ih_l0"].shape
    assert getattr(module, "nonlinearity", None) == spec.nonlinearity
    assert to_torch(from_torch(module)).mode == module.mode
    net = Network.init(cell, 2, H, num_layers=2)
    trace = net.forward(torch.rand(4, 2).numpy())
    assert tuple(trace.layers[0][0].gates) == spec.gates                       # the trace names gates in its order
    assert (trace.c_n is not None) == spec.has_c


@pytest.mark.parametrize("cell", CELLS)
def test_the_equations_shown_define_every_gate_and_the_new_state(cell):
    spec = CELL_TABLE[cell]
    defined = [eq.split(" = ")[0] for eq in spec.equations]
    assert defined == [*spec.gates, *(["c_t"] if spec.has_c else []), "h_t"]


@pytest.mark.parametrize("cell", CELLS)
def test_the_lessons_typeset_the_tables_equations_and_write_none_of_their_own(cell):
    """Each equation as LaTeX: TeX's names for σ and tanh, a true minus, W_x x_t for a product with a matrix and ⊙
    for an element-wise one; the same symbols on both sides, no text symbol left over."""
    for eq in CELL_TABLE[cell].equations:
        tex = latex(eq)
        assert not set("σ·−") & set(tex) and tex.count("{") == tex.count("}") and tex.count("(") == tex.count(")")
        assert tex.split(" = ")[0] == eq.split(" = ")[0].replace("−", "-")
        assert eq.count("·") == tex.count(r"\odot") + len(re.findall(r"W_[xhy{]", tex)), (eq, tex)
    source = (ROOT / "rnnviz" / "lessons" / "__init__.py").read_text()
    assert not re.search(r"\\(tanh|sigma|odot)", source), "a lesson writes an equation the cell table already says"
    from rnnviz import lessons
    assert lessons.RNN == r"h_t = \tanh(W_x x_t + W_h h_{t-1} + b)"     # lesson 000: tanh(Wx * Xt + Wh * Ht-1 + b)
    assert lessons.LSTM.endswith(r"h_t = o \odot \tanh(c_t)") and lessons.HEAD == r"y_t = \sigma(W_y h_t)"


@pytest.mark.parametrize("bad", ["transformer", "LSTM", "", None, ["lstm"], 3])
def test_an_unknown_cell_gets_a_message_naming_the_cells(bad):
    with pytest.raises(ValueError, match=r"cell must be one of rnn_tanh, rnn_relu, lstm, gru, got"):
        cell_spec(bad)


def name_tests(source: str) -> list[str]:
    """Where code compares something with a cell's name (`cell == "gru"`, `spec.name != "lstm"`, `in (...)`)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            words = [c.value for c in ast.walk(node) if isinstance(c, ast.Constant) and isinstance(c.value, str)]
            found += [f"line {node.lineno}: compares with {w!r}" for w in words if w in CELLS]
    return found


MODULES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "rnnviz").rglob("*.py"))


@pytest.mark.parametrize("module", MODULES)
def test_the_code_asks_the_registry_not_a_cells_name(module):
    """Every module (the engine's loops, its backward, the plots, the trainers) asks the registry for a cell's torch
    class, nonlinearity or c_t: a fifth cell is one row of the table, not a hunt for `cell == "gru"`."""
    assert name_tests('if cell == "gru": pass') and not name_tests('if spec.torch_class == "GRU": pass')
    assert len(MODULES) > 50 and "rnnviz/engine/network.py" in MODULES
    source = (ROOT / module).read_text(encoding="utf-8")
    assert not name_tests(source), f"{module} branches on a cell's name: {name_tests(source)}"


def test_the_step_figures_head_size_is_the_registrys_fewer_columns_larger():
    """A cell with more equations shows more columns in the step figure, so its column names get a smaller font."""
    by_columns = sorted(CELL_TABLE.values(), key=lambda c: len(c.equations) + len(c.gates))
    sizes = [c.head_size for c in by_columns]
    assert sizes == sorted(sizes, reverse=True) and len(set(sizes)) == len(ONE_PER_CLASS)
