import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

# No test asserts on time: Hypothesis' per-example deadline (200 ms) fails a correct example on a busy machine.
settings.register_profile("untimed", deadline=None)
settings.load_profile("untimed")

ROOT = Path(__file__).resolve().parent.parent    # on sys.path through pyproject's `pythonpath`
os.chdir(ROOT)  # AppTest and .streamlit/config.toml expect the repo root
E2E = ROOT / "tests" / "e2e"
if "RNNVIZ_STORE" not in os.environ:             # each test process (an xdist worker too) saves runs in its own
    os.environ["RNNVIZ_STORE"] = tempfile.mkdtemp(prefix="rnnviz-test-runs-")     # store, not the user's cache
    atexit.register(shutil.rmtree, os.environ["RNNVIZ_STORE"], ignore_errors=True)


def pytest_configure(config: pytest.Config) -> None:
    """xdist's workers share the machine's cores: each gets its share of threads for torch (and the servers and
    kernels it starts, through OMP_NUM_THREADS). Left at torch's default, 2 workers × 2 threads on 2 cores trained
    2.4x slower than 2 × 1: OpenMP threads spin while they wait for a core another worker holds."""
    if not hasattr(config, "workerinput") and getattr(config.option, "numprocesses", None):
        return                                   # xdist's controller: its workers take their share
    workers = int(getattr(config, "workerinput", {}).get("workercount", 1))
    threads = max(1, (os.cpu_count() or 1) // workers)
    os.environ.setdefault("OMP_NUM_THREADS", str(threads))
    import torch
    torch.set_num_threads(int(os.environ["OMP_NUM_THREADS"]))


@pytest.fixture(autouse=True)
def the_training_pool_is_left_empty():
    """A test's runs end with it: the process's training pool (AppTest pages share it, as a server's sessions do)
    is stopped after every test, so a run a test left training never counts against the next test's budget."""
    yield
    runner = sys.modules.get("rnnviz.train.runner")
    pool = getattr(runner, "_pool", None)
    if pool is None:
        return
    with pool.cond:
        left = [*pool.queue, *pool.running]
    for run in left:
        pool.stop(run)
    from waiting import wait_for
    wait_for("the runs a test left to stop", lambda: not pool.running, 60)


# Long training runs (minutes on a busy machine) in files whose owners had not yet marked them @pytest.mark.slow.
SLOW = {"test_train.py::test_lstm_remembers_where_the_rnn_is_at_chance",      # the memory task: 2 x 800 steps
        "test_train.py::test_custom_text_trains_on_windows"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/e2e drives a real Chromium against a real server: the browser and server tiers; the
    long training runs above: the slow tier."""
    for item in items:
        if E2E in item.path.parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.server)
        if f"{item.path.name}::{item.name}" in SLOW:
            item.add_marker(pytest.mark.slow)
