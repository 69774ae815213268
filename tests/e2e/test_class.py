"""A small class at once in CI (N = 3): mixed with protocol sessions, and all three in real Chromium pages."""
import asyncio

from testkit.classroom import phase


def test_three_sessions_follow_the_lesson_without_a_failure(server):
    results = asyncio.run(phase(server, 3, browsers=1, timeout=240))
    assert [r["kind"] for r in results].count("browser") == 1
    assert [r["failed"] for r in results] == [None, None, None]
    assert all(r["steps_per_s"] > 0 for r in results)
    assert all(len(r["t_move"]) == 21 for r in results if r["kind"] == "protocol")


def test_three_chromium_pages_at_once(server):
    """N = 3, every session a real Chromium page: type, step through t, switch to LSTM, train apple to its end."""
    results = asyncio.run(phase(server, 3, browsers=3, timeout=240))
    assert [r["kind"] for r in results] == ["browser"] * 3
    assert [r["failed"] for r in results] == [None, None, None]
    assert all(r["steps_per_s"] > 0 for r in results)
