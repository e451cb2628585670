"""Time and memory of the whole offline designer on large inputs, up to the 2 MB size limit.

    .venv/bin/python benchmarks/bench_large_input.py [--runs 3] [--sizes 0.25,0.5,1,2]

Two shapes of text: the brief corpus pasted until it reaches the size (many sentences, each
copy's sentences marked with their copy so none repeats), and the same words with every full
stop turned into a comma (one sentence, which the splitter cuts at the longest-sentence bound). Each size runs in its own process, so its peak memory
(max RSS) is its own; the time is the median of several designs in that process. Linear
means the seconds per MB stay flat as the size grows: the last line prints their ratio.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

import yaml

BRIEFS = Path(__file__).resolve().parent.parent / "tests" / "data" / "briefs"

_CHILD = """
import json, resource, statistics, sys, time
import dwarf_nb as dw
text, runs = open(sys.argv[1], encoding="utf-8").read(), int(sys.argv[2])
dw.design("A small shop for 100 users, with a catalogue and orders.")  # imports and first-use compiles
times = []
for _ in range(runs):
    t = time.perf_counter()
    dw.design(text, max_input_mb=len(text.encode()) / 1e6 + 1)  # at the size, not refused by the limit
    times.append(time.perf_counter() - t)
print(json.dumps({"s": statistics.median(times), "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def text_of(shape: str, size: int) -> str:
    corpus = " ".join(p["requirements"] for f in sorted(BRIEFS.glob("batch_*.yaml"))
                      for p in yaml.safe_load(f.read_text()))
    if shape == "one sentence":
        corpus = re.sub(r"[.!?]+(\s|$)", r",\1", corpus.replace("\n", " "))
    # Each copy's sentences name their copy, so no sentence repeats (a repeated one is read once).
    copies = size // len(corpus) + 1
    return " ".join(re.sub(r"([.,!?])(\s)", rf" in part {k}\1\2", corpus) for k in range(copies))


def run(text: str, size: int, runs: int, scratch: Path) -> dict:
    scratch.write_text(text[:size], encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", _CHILD, str(scratch), str(runs)], capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"designing {size:,} bytes failed:\n{done.stderr}")
    return json.loads(done.stdout)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--sizes", default="0.25,0.5,1,2", help="megabytes, comma separated")
    args = ap.parse_args()
    sizes = [int(float(x) * 1_000_000) for x in args.sizes.split(",")]
    scratch = Path("/tmp/dwarf-bench-large.txt")
    for shape in ("many sentences", "one sentence"):
        text = text_of(shape, max(sizes))
        per_mb = []
        for size in sizes:
            got = run(text, size, args.runs, scratch)
            per_mb.append(got["s"] / (size / 1_000_000))
            print(f"{shape}, {size / 1_000_000:g} MB: median {got['s']:.2f} s over {args.runs} runs "
                  f"({per_mb[-1]:.2f} s per MB), peak memory {got['rss_mb']:.0f} MB")
        print(f"{shape}: seconds per MB at {sizes[-1] / 1e6:g} MB / at {sizes[0] / 1e6:g} MB = "
              f"{per_mb[-1] / per_mb[0]:.2f} (1.0 is linear)")
    scratch.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
