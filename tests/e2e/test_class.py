"""A small class at once in CI: protocol sessions and a real Chromium page run the scripted lesson together."""
import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from load import phase  # noqa: E402


def test_three_sessions_follow_the_lesson_without_a_failure(server):
    results = asyncio.run(phase(server, 3, browsers=1, timeout=240))
    assert [r["kind"] for r in results].count("browser") == 1
    assert [r["failed"] for r in results] == [None, None, None]
    assert all(r["steps_per_s"] > 0 for r in results)
    assert all(len(r["t_move"]) == 21 for r in results if r["kind"] == "protocol")
