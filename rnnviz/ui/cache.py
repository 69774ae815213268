"""The caches shared by every session (engine runs and figure specs, bounded in bytes) and their policy."""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Hashable

import numpy as np
import orjson

from ..explored import Explored, TrainedWeights
from ..pipeline import build
from ..state import Config
from ..words import current


class Shared:
    """A bounded least-recently-used cache shared by every session, like st.cache_resource, but keyed by plain
    Python hashing: Config is a frozen dataclass, so a lookup costs microseconds where Streamlit's argument
    hasher took a few milliseconds of every rerun (and st.cache_data pickled every hit). Values are read-only
    to their users. Bounded by entries and by an estimate of the bytes they hold, so memory comes back."""

    def __init__(self, size: int, budget: int = 2**62, weigh=lambda value: 0):
        self.size, self.budget, self.weigh = size, budget, weigh
        self.items: OrderedDict[Hashable, tuple[object, int]] = OrderedDict()     # key -> (value, its weight)
        self.lock, self.held = threading.Lock(), 0

    def get(self, key, make):
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key][0]
        value = make()                           # outside the lock: two sessions may build the same value once each
        weight = self.weigh(value)
        with self.lock:
            if key not in self.items:
                self.items[key] = (value, weight)
                self.held += weight
            while len(self.items) > 1 and (len(self.items) > self.size or self.held > self.budget):
                self.held -= self.items.popitem(last=False)[1][1]
        return value


def cached_build(config: Config, weights_id: str, weights: TrainedWeights | None) -> Explored:
    """One engine run per (settings, weights), shared by every session, read-only."""
    return BUILDS.get((config, weights_id), lambda: build(config, weights))


def weights_id(weights: TrainedWeights | None) -> str:
    if weights is None:
        return ""
    h = hashlib.sha1()
    for k, v in weights.network.params.items():
        h.update(k.encode())
        h.update(np.ascontiguousarray(v).tobytes())
    return h.hexdigest()


def explored_bytes(ex: Explored) -> int:
    arrays = [ex.X, ex.x_module, ex.probs, ex.W_out]
    for directions in ex.trace.layers:
        for lt in directions:
            arrays += [lt.x, lt.h_prev, lt.Wx_x, lt.Wh_h, lt.a, lt.h, *lt.gates.values()]
            arrays += [a for a in (lt.c_prev, lt.c) if a is not None]
    return sum(a.nbytes for a in arrays)


BUILDS = Shared(48, budget=400 * 2**20, weigh=explored_bytes)   # the largest allowed run holds ~100 MB
# Weighed as JSON; held as Python strings and lists, about twice that (tick labels most): 100 MB holds ~200 MB.
FIGURE_SPECS = Shared(256, budget=100 * 2**20, weigh=lambda specs: sum(len(orjson.dumps(s)) for s in specs))


def specs(kind: str, config: Config, wid: str, present: bool, ex: Explored, make) -> tuple[dict, ...]:
    """Figure specs for one panel of one engine run, built once, shared read-only; the current step is added later."""
    return FIGURE_SPECS.get((kind, config, wid, present, current()), lambda: make(kind, config, present, ex))


