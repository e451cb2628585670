#!/usr/bin/env python3
"""Score the offline designer on the problem sets and the brief corpus; print the README table.

    .venv/bin/python scripts/score_briefs.py [SET ...] [--detail]

A SET is a batch name under tests/data/briefs (batch_03), `problems` or `heldout_like`;
with none, every set is scored. --detail lists, per brief, the figures off by more than 2
and the constraints not honoured. The scoring itself lives in tests/scoring.py, shared with
the tests that hold the bars.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import scoring  # noqa: E402


def sets() -> dict[str, list[dict]]:
    out = {"problems": scoring.load_set("problems.yaml"), "heldout_like": scoring.load_set("heldout_like.yaml")}
    out.update(scoring.corpus())
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sets", nargs="*")
    ap.add_argument("--detail", action="store_true")
    args = ap.parse_args(argv)
    available = sets()
    chosen = args.sets or list(available)
    unknown = [s for s in chosen if s not in available]
    if unknown:
        ap.error(f"unknown set {unknown[0]!r}; choose from {', '.join(available)}")
    header = None
    for name in chosen:
        results = {p["id"]: scoring.scored(p) for p in available[name]}
        row = scoring.summary(results)
        if header is None:
            header = ["set", *row]
            print("| " + " | ".join(header) + " |")
            print("|" + "---|" * len(header))
        print("| " + " | ".join([name, *row.values()]) + " |")
        if args.detail:
            for pid, r in results.items():
                off = scoring.off_by_more_than_two(r)
                flags = [k for k in ("style_ok", "languages_ok", "hosting_ok", "budget_ok") if r.get(k) is False]
                gaps = {k: r[k] for k in ("missed", "bad", "entities_missed", "capabilities_missed") if r.get(k)}
                if off or flags or gaps:
                    print(f"    {pid}: {r['design'].style} services={r['services']} off={off} {gaps} {' '.join(flags)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
