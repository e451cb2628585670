"""Speed of the offline reader alone (text -> Brief): a 200-word brief and 1 MB of text.

    .venv/bin/python benchmarks/bench_reader.py [--runs 7]

Medians over several runs after one untimed read (so phrase patterns compiled on first use
are not counted). The bars the Brief issue sets: 200 words under 20 ms, 1 MB under 0.5 s.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import yaml

import dwarf_nb as dw

BRIEFS = Path(__file__).resolve().parent.parent / "tests" / "data" / "briefs"


def median_ms(text: str, runs: int) -> float:
    dw.brief(text)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        dw.brief(text)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    briefs = [p["requirements"] for f in sorted(BRIEFS.glob("batch_*.yaml")) for p in yaml.safe_load(f.read_text())]
    words = " ".join(briefs).split()
    two_hundred = " ".join(words[:200])
    corpus = [median_ms(t, args.runs) for t in briefs[:40]]
    print(f"200-word brief: median {median_ms(two_hundred, args.runs):.1f} ms over {args.runs} runs")
    print(f"corpus briefs (first 40): median of medians {statistics.median(corpus):.1f} ms")
    megabyte = (" ".join(briefs) + " ") * (1_000_000 // (len(" ".join(briefs)) + 1) + 1)
    megabyte = megabyte[:1_000_000]
    print(f"1 MB of text (the corpus pasted about four times): median {median_ms(megabyte, max(3, args.runs // 2)) / 1000:.2f} s")
    # Repeated sentences are read once, so the figure above flatters; distinct text is the honest rate.
    distinct = " ".join(briefs)
    secs = median_ms(distinct, max(3, args.runs // 2)) / 1000
    print(f"distinct text (the corpus once, {len(distinct) / 1000:.0f} KB): median {secs:.2f} s, "
          f"about {secs * 1_000_000 / len(distinct):.1f} s per MB")


if __name__ == "__main__":
    main()
