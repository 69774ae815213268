"""What a careless or hostile class can do to one real server (issues 12 and 22), measured.

The scenarios and their targets are in testkit/abuse.py; tests/test_abuse.py runs them too.

    python bench/abuse.py [--json] [--short]
"""
import asyncio
import json

from common import emit, parser, table  # (puts the repository's root on the path: testkit below)

from testkit.abuse import FOUR, SCENARIO_TARGETS, TARGETS, bench


def main() -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--short", action="store_true", help="16 sessions for the memory scenario (CI), not 40")
    args = p.parse_args()
    f = asyncio.run(bench(args.short))
    rows = [{"figure": k, "value": v, "target": TARGETS.get(k, "")} for k, v in f.items()
            if k not in ("failures", "scenarios")]
    per = [{"scenario": name, **{k: figures.get(k, "") for k in FOUR}} for name, figures in f["scenarios"].items()]
    emit(args, f, table(rows, "abuse: one real server, a hostile class") + "\n\n" +
         table(per, f"issue 22, one hostile student: targets {json.dumps(SCENARIO_TARGETS)}") +
         "".join(f"\n{name}: {figures}" for name, figures in f["scenarios"].items()) +
         "".join(f"\nfailed: {x}" for x in f["failures"]))


if __name__ == "__main__":
    main()
