"""Reading what a person would see out of an AppTest run."""
import json
from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest

from rnnviz.plots.marks import values
from testkit.waiting import rerun_until

ROOT = Path(__file__).resolve().parent.parent


def new_app(**query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


def decode(v):
    """A chart array as numbers: plotly 7's typed-array form or a plain list."""
    return values(v)


def figures(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def figure_titled(at: AppTest, start: str) -> dict:
    for f in figures(at):
        if f["layout"].get("title", {}).get("text", "").startswith(start):
            return f
    raise AssertionError(f"no figure titled {start!r}; have {[f['layout'].get('title', {}).get('text') for f in figures(at)]}")


def step_columns(fig: dict) -> dict[str, np.ndarray]:
    """The step figure's column heatmaps: name -> values (N,)."""
    out = {}
    for trace in fig["data"]:
        x = trace.get("x")
        if isinstance(x, list) and len(x) == 1:
            out[x[0]] = decode(trace["z"]).reshape(-1).astype(float)
    return out


def no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def texts(at: AppTest) -> str:
    """Every message and markdown a person reads, as one string."""
    parts = []
    for kind in ("error", "warning", "info", "markdown", "caption", "success"):
        parts += [str(e.value) for e in at.get(kind)]
    return "\n".join(parts).replace("\\", "")


def open_tab(at: AppTest, name: str) -> AppTest:
    """Open one of the Explore view's tabs (only the open tab runs)."""
    at.session_state["panel"] = name
    return at.run()


def wait_until(at: AppTest, predicate, what: str, seconds: float = 60) -> AppTest:
    """Rerun the page (as its fragment timers would) until `predicate(at)` holds; fail saying what was awaited."""
    return rerun_until(at, predicate, what, seconds)
