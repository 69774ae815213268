"""What one session keeps for itself stays small: engine runs live in the shared, byte-bounded caches."""
import dataclasses

import numpy as np
from apptest_helpers import figures, new_app, no_exception, texts

from rnnviz.ui import cache

# Issue 12's largest link: 1,950 characters through an LSTM of hidden size 256, the maps panel (~38 MB a run).
LARGEST = dict(text="ab" * 975, cell="lstm", H="256", I="1", enc="embedding", panel="maps", seed="7")


def array_bytes(value, seen=None) -> int:
    """The bytes of every NumPy array reachable from `value` through containers and dataclasses."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return 0
    seen.add(id(value))
    if isinstance(value, np.ndarray):
        return value.nbytes
    if isinstance(value, dict):
        return sum(array_bytes(v, seen) for v in value.values())
    if isinstance(value, (list, tuple, set, frozenset)):
        return sum(array_bytes(v, seen) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return sum(array_bytes(getattr(value, f.name), seen) for f in dataclasses.fields(value))
    return 0


def held(at) -> int:
    return array_bytes(at.session_state.to_dict())


def test_a_session_holds_no_engine_run_and_still_shows_its_last_good_one():
    at = new_app(**LARGEST)
    no_exception(at)
    drawn = figures(at)
    assert len(drawn) > 1                                    # the maps panel's heatmaps
    at.text_area(key="text").input("").run()                 # an empty text: a message, and the last good view
    no_exception(at)
    assert "Showing the last text that worked" in texts(at)
    assert held(at) < 2**20, f"the session holds {held(at):,} bytes of arrays"
    cache.BUILDS.items.clear()                             # the shared cache let the run go (a class's worth)
    cache.BUILDS.held = 0
    at.run()
    no_exception(at)
    assert "Showing the last text that worked" in texts(at)
    assert figures(at) == drawn                              # rebuilt: the same heatmaps as before
    assert held(at) < 2**20


def test_no_engine_run_outlives_the_shared_cache():
    """Streamlit keeps a session's state, its fragments' arguments and its download callables for the session's
    life: none of them may hold an engine run, or a class of sessions holds a run each past the cache's bound."""
    import gc

    from rnnviz.pipeline import Explored
    at = new_app(**LARGEST)
    no_exception(at)
    at.text_area(key="text").input("").run()               # the last good view stays on show
    cache.BUILDS.items.clear()
    cache.BUILDS.held = 0
    gc.collect()
    alive = [o for o in gc.get_objects() if isinstance(o, Explored)]
    assert not alive, f"{len(alive)} engine runs held outside the shared cache"
    assert at.session_state["text"] == ""                  # the session itself is still there
