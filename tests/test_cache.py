"""The shared cache: least recently used goes first, bounded by entries and by bytes, one value kept per key."""
import threading

from rnnviz.ui.cache import Shared


def test_evicts_the_least_recently_used_by_count():
    c = Shared(2)
    calls = []
    make = lambda k: lambda: calls.append(k) or k * 10   # noqa: E731
    assert c.get(1, make(1)) == 10 and c.get(2, make(2)) == 20
    assert c.get(1, make(1)) == 10                          # a hit: 1 is now the most recent
    c.get(3, make(3))                                       # 2 goes
    assert calls == [1, 2, 3]
    c.get(1, make(1))
    c.get(2, make(2))
    assert calls == [1, 2, 3, 2]


def test_evicts_by_bytes_but_keeps_the_newest_even_if_it_is_over_budget():
    c = Shared(100, budget=10, weigh=len)
    c.get("a", lambda: "xxxx")
    c.get("b", lambda: "yyyy")
    assert c.held == 8
    c.get("c", lambda: "zzzz")                              # 12 > 10: "a" goes
    assert list(c.items) == ["b", "c"] and c.held == 8
    c.get("big", lambda: "w" * 50)                          # alone over budget: kept, the rest goes
    assert list(c.items) == ["big"] and c.held == 50


def test_concurrent_gets_agree():
    c = Shared(10)
    results = []
    threads = [threading.Thread(target=lambda: results.append(c.get("k", lambda: object()))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(c.items) == 1 and len(results) == 8
    kept = c.get("k", lambda: None)                         # a hit now: the value is never made again
    assert kept is not None and any(r is kept for r in results)


def test_one_engine_run_serves_every_t_row_layer_direction_and_output_switch():
    """What a session looks at (t, batch row, layer, direction, output layer, view) is not part of the engine
    run's key: a class spread over different t shares one run, and a full rerun at a new t makes none."""
    from dataclasses import replace

    from rnnviz.state import Config
    from rnnviz.ui import cache, explore

    base = Config(text="hello\neolll\nlleel", batch=True, L=2, bi=True, H=3)
    first = explore.run(base)
    held = len(cache.BUILDS.items)
    looks = [replace(base, t=3), replace(base, row=2, layer=1, dir=1), replace(base, out=True), replace(base, view="train")]
    for config in looks:
        ex = explore.run(config)
        assert ex.trace is first.trace                         # the same engine run, not a copy
        assert (ex.config.t, ex.config.row, ex.config.layer, ex.config.dir, ex.config.out) == \
               (config.t, config.row, config.layer, config.dir, config.out)
    assert len(cache.BUILDS.items) == held
    clamped = explore.run(replace(base, t=40, row=9)).config   # past the text: the last step and row
    assert (clamped.t, clamped.row) == (4, 2)
    assert explore.run(replace(base, H=4)).trace is not first.trace
