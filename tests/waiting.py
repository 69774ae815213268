"""The tests' one wait helper lives in testkit.waiting (the benchmarks use it too); this name stays for old imports."""
from testkit.waiting import rerun_until, scaled, wait_for

__all__ = ["rerun_until", "scaled", "wait_for"]
