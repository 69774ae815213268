"""The tests' support package: benchmarks run without pytest, tests reach testkit without editing sys.path, and a
wait fails naming what it waited for, its bound stretched (never shrunk) by how busy the machine is."""
import re
import subprocess
import sys
from pathlib import Path

import pytest

from testkit import waiting

ROOT = Path(__file__).resolve().parent.parent


def test_the_benchmarks_import_without_pytest():
    script = ("import sys; import latency, load, abuse, keypixels; "
              "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pytest', '_pytest', 'conftest')))")
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT / "bench", capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "[]", out.stdout


def test_no_test_or_benchmark_edits_sys_path_but_the_benchmarks_one_door():
    edit = re.compile(r"sys\.path\.(insert|append|extend)|sys\.path\[|sys\.path \+?=")
    edits = [str(p.relative_to(ROOT)) for folder in ("tests", "bench", "testkit") for p in (ROOT / folder).rglob("*.py")
             if edit.search(p.read_text(encoding="utf-8")) and p.name != "test_testkit.py"]
    assert edits == ["bench/common.py"], edits          # a script in bench/ finds the repository through common


def test_a_wait_fails_naming_what_it_waited_for_and_what_it_saw():
    with pytest.raises(pytest.fail.Exception, match=r"waited 0\.05 s for the door to open; 'shut'"):
        waiting.wait_for("the door to open", lambda: False, seconds=0.05, seen=lambda: "shut")


def test_a_wait_returns_the_condition_s_value_once_it_holds():
    calls = iter([0, "", "open"])
    assert waiting.wait_for("the door to open", lambda: next(calls), seconds=60, every=0) == "open"


def test_a_bound_stretches_with_the_load_and_never_shrinks(monkeypatch):
    monkeypatch.setattr(waiting.os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    idle = waiting.scaled(10)
    assert idle >= 10
    monkeypatch.setattr(waiting.os, "getloadavg", lambda: (8.0 * (waiting.os.cpu_count() or 1), 0.0, 0.0))
    assert waiting.scaled(10) == pytest.approx(8 * idle)


def test_outside_pytest_a_wait_raises_timeout_error():
    script = "from testkit.waiting import wait_for; wait_for('a sign', lambda: False, seconds=0.01)"
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert "TimeoutError: waited 0.01 s for a sign" in out.stderr, out.stderr[-2000:]
