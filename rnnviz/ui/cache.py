"""A cache shared by every session, cheaper than Streamlit's for this app's frozen keys."""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable


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
