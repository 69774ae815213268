"""testkit/abuse.py (bench/abuse.py --short) against a real `streamlit run` server: the bounds a hostile class meets (issue 12).

Asserts what does not depend on the machine's speed: no failed session, the four-tab attack refused, the
server's queue cap told and the others' runs kept, orphaned runs stopped once their sessions are gone (the
server's CPU back under 5% of a core within the grace period + 30 s), the peak RSS under the README's ceiling,
and a clean exit at SIGTERM while runs train. For each of issue 22's scenarios: the teacher's shared run opens,
the RSS peak is under the ceiling and the CPU comes back to rest; a student's saves stop at their share, six tabs
are one student, crafted run files and a text of 5,000 kinds of characters are told. Timings (queue_wait_s,
honest_wait_s) are reported by the benchmark, not asserted.
"""
import asyncio
import re
from pathlib import Path

import pytest

from testkit import abuse

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.server
def test_a_hostile_class_meets_every_bound():
    f = asyncio.run(abuse.bench(short=True))
    assert f["failed_sessions"] == 0, f["failures"]
    assert f["attack_refused"] == f["attack_tabs"] == 4
    assert f["hostile_runs"] == 3                               # a session at its budget trains three runs
    assert f["full_refused"] and f["queue_kept"]
    assert f["orphans_stopped"], f                             # waited on: CPU under 5% within TTL + 30 s
    assert f["rss_peak_mb"] < f["ceiling_mb"], f
    assert f["clean_shutdown"], f
    found = f["scenarios"]
    assert set(found) == {"evict", "tabs", "prompt", "explore_paste", "marks", "uploads", "files", "vocab", "links"}
    for name, figures in found.items():                        # issue 22's four figures, for every scenario
        assert figures["teacher_run_opens"], (name, figures)
        assert figures["rss_peak_mb"] < f["ceiling_mb"], (name, figures)
        assert figures["cpu_idle"], (name, figures)             # waited on: under 5% within TTL + 30 s
        assert figures["honest_wait_s"] > 0, (name, figures)    # measured (its target is the benchmark's to report)
    assert found["evict"]["saves_kept"] == 1 and found["evict"]["saves_refused"] == 9     # 27 MB each, 32 MB share
    assert found["tabs"]["tabs_accepted"] == 1 and found["tabs"]["largest_step_refused"]
    assert found["files"]["crafted_runs_told"] == found["files"]["crafted_runs"] == 4
    assert found["vocab"]["vocab_refused"]


def test_the_readme_states_the_ceiling_the_benchmark_checks():
    readme = (ROOT / "README.md").read_text()
    stated = re.search(r"stays under ([\d.,]+) GB", readme)
    assert stated and float(stated.group(1)) * 1000 == abuse.CEILING_MB
