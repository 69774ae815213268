"""The notebook path in a real Jupyter kernel (ipykernel through nbclient), as a notebook user runs it: the figures
are displayed as plotly figures, their numbers are the engine's, Hangul included, and training prints its lines."""
import nbformat
import numpy as np
import pytest
from apptest_helpers import ROOT, decode, step_columns
from nbclient import NotebookClient

from rnnviz.notebook import explore

PLOTLY = "application/vnd.plotly.v1+json"
pytestmark = pytest.mark.server            # each test starts a real kernel: `make test`, not `make unit`


def run_notebook(*cells: str) -> list[list[dict]]:
    """Each cell's outputs, run in a fresh python3 kernel started in the repository (as a notebook there would be)."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    NotebookClient(nb, timeout=240, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
    return [cell.outputs for cell in nb.cells]


def figures(outputs: list[dict]) -> list[dict]:
    return [o["data"][PLOTLY] for o in outputs if PLOTLY in o.get("data", {})]


def test_a_kernel_displays_the_engines_step_figure_for_hangul():
    step_cell, maps_cell = run_notebook(
        'from rnnviz.notebook import explore\nlab = explore("안녕하세요", cell="lstm", H=4)\nlab.step(t=2)',
        "for fig in lab.heatmaps(t=2):\n    fig.show()")
    fig, = figures(step_cell)
    assert "(token '하')" in fig["layout"]["title"]["text"]
    lt = explore("안녕하세요", cell="lstm", H=4).trace.layers[0][0]        # the same run, in this process
    columns = step_columns(fig)
    h_name = next(name for name in columns if name.startswith("h_t"))
    np.testing.assert_allclose(columns[h_name], lt.h[2, 0], atol=1e-6)
    np.testing.assert_allclose(columns["i<br>= σ(·)"], lt.gates["i"][2, 0], atol=1e-6)
    titles = [f["layout"]["title"]["text"] for f in figures(maps_cell)]
    assert any(t.startswith("cell states c_t") for t in titles) and len(titles) == 7   # X, h, c and 4 gates
    hidden = next(f for f in figures(maps_cell) if f["layout"]["title"]["text"].startswith("hidden states"))
    np.testing.assert_allclose(decode(hidden["data"][0]["z"]).astype(float), lt.h[:, 0].T, atol=1e-6)
    assert hidden["data"][0]["x"] == ["0:안", "1:녕", "2:하", "3:세", "4:요"]


def test_a_kernel_trains_prints_progress_and_shows_the_curves():
    train_cell, curves_cell = run_notebook(
        'from rnnviz.notebook import train\nruns = train("apple", steps=30)',
        "runs.curves()")
    printed = "".join(o.get("text", "") for o in train_cell if o["output_type"] == "stream")
    assert "[30/30]" in printed and "loss" in printed
    assert not [o for o in train_cell + curves_cell if o["output_type"] == "error"]
    curves, = figures(curves_cell)
    steps = decode(curves["data"][0]["x"])
    assert len(steps) == 30 and float(steps[-1]) == 30


def test_an_error_in_a_kernel_is_the_apps_message():
    with pytest.raises(Exception) as raised:
        run_notebook('from rnnviz.notebook import explore\nexplore("")')
    assert "the text is empty" in str(raised.value)
