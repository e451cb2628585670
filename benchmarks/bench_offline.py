"""Speed of the offline designer: median time per development problem, a 200-word text,
and 10 KB / 100 KB / 1 MB texts to show that time grows linearly with length.

    .venv/bin/python benchmarks/bench_offline.py [--runs 7]

Each text is designed once untimed first, so a phrase pattern compiled on first use is not
counted in a 3-run median. CPU-time medians are printed beside the wall-clock ones: on a
machine shared with other jobs they leave out the time spent waiting for a core.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from pathlib import Path

import yaml

import dwarf_nb as dw

PROBLEMS = yaml.safe_load((Path(__file__).resolve().parent.parent / "tests" / "data" / "problems.yaml").read_text())


def median_ms(text: str, runs: int) -> tuple[float, float]:
    """Median wall-clock and CPU milliseconds of `runs` designs of `text`, after one untimed design."""
    dw.design(text)
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        dw.design(text)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def text_of(size: int) -> str:
    """Requirements text of about `size` bytes, built from the development briefs.

    Every repetition shifts the numbers, so no two sentences are the same and nothing
    the designer might remember from one copy makes the next one cheaper.
    """
    parts, total, i = [], 0, 0
    while total < size:
        brief = PROBLEMS[i % len(PROBLEMS)]["requirements"]
        shift = i // len(PROBLEMS)
        chunk = re.sub(r"\d+", lambda m: str(int(m.group()) + shift), brief) + "\n\n"
        parts.append(chunk)
        total += len(chunk)
        i += 1
    return "".join(parts)[:size]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    dw.design(PROBLEMS[0]["requirements"])  # load knowledge files and imports once

    print(f"{'case':36} {'words':>7} {'median ms':>10} {'cpu ms':>8}")
    for p in PROBLEMS:
        ms, cpu = median_ms(p["requirements"], args.runs)
        print(f"{p['id']:36} {len(p['requirements'].split()):>7} {ms:>10.1f} {cpu:>8.1f}")
    words200 = " ".join((PROBLEMS[0]["requirements"] + " " + PROBLEMS[1]["requirements"]).split()[:200])
    ms, cpu = median_ms(words200, args.runs)
    print(f"{'200-word text':36} {200:>7} {ms:>10.1f} {cpu:>8.1f}")
    base = None
    for size in (10_000, 100_000, 1_000_000):
        text = text_of(size)
        ms, cpu = median_ms(text, max(3, args.runs // 2) if size < 1_000_000 else 3)
        base = base or cpu / size
        print(f"{f'{size // 1000} KB text':36} {len(text.split()):>7} {ms:>10.1f} {cpu:>8.1f}"
              f"   cpu ms per KB {cpu / size * 1000:.3f} (x{cpu / size / base:.2f} of 10 KB)")


if __name__ == "__main__":
    main()
