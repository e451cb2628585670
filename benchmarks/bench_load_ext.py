"""How long `%load_ext dwarf_nb` takes, next to `%load_ext jupyter_ai_magics`.

Each measurement is a fresh Python process that starts an IPython shell first and then
times only the `%load_ext` call, so both extensions pay for their own imports and
nothing else. jupyter-ai-magics lives in its own venv (.venv-bench, created here when
missing) so its many dependencies never touch the project's pinned .venv.

    .venv/bin/python benchmarks/bench_load_ext.py [--runs 7]

Goal: dwarf_nb under 0.1 s and at least 8x faster than jupyter_ai_magics.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_VENV = ROOT / ".venv-bench"
GOAL_SECONDS = 0.1
GOAL_RATIO = 8.0

PROBE = """
import time
from IPython.core.interactiveshell import InteractiveShell
from traitlets.config import Config

config = Config()
config.HistoryManager.hist_file = ":memory:"
shell = InteractiveShell.instance(config=config)
start = time.perf_counter()
shell.run_line_magic("load_ext", {ext!r})
elapsed = time.perf_counter() - start
if {ext!r} not in shell.extension_manager.loaded:
    raise SystemExit("the extension did not load")
print(elapsed)
"""


def bench_python() -> Path:
    """The .venv-bench interpreter, with jupyter-ai-magics installed on first use."""
    python = BENCH_VENV / "bin" / "python"
    if not python.exists():
        print(f"creating {BENCH_VENV} with jupyter-ai-magics (once)...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(BENCH_VENV)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "jupyter-ai-magics", "ipython"],
            check=True,
        )
    return python


def load_seconds(python: Path | str, extension: str, folder: str) -> float:
    proc = subprocess.run(
        [str(python), "-c", PROBE.format(ext=extension)],
        capture_output=True,
        text=True,
        cwd=folder,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"{extension} failed to load with {python}:\n{proc.stderr[-2000:]}")
    return float(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="fresh processes per extension (median is reported)")
    args = parser.parse_args()
    other = bench_python()

    dwarf, jupyter_ai = [], []
    with tempfile.TemporaryDirectory() as folder:
        load_seconds(sys.executable, "dwarf_nb", folder)  # warm the OS file cache for both
        load_seconds(other, "jupyter_ai_magics", folder)
        for _ in range(max(args.runs, 5)):
            dwarf.append(load_seconds(sys.executable, "dwarf_nb", folder))
            jupyter_ai.append(load_seconds(other, "jupyter_ai_magics", folder))

    ours, theirs = statistics.median(dwarf), statistics.median(jupyter_ai)
    ratio = theirs / ours
    print(f"%load_ext dwarf_nb           median {ours * 1000:8.1f} ms  (runs: {', '.join(f'{t * 1000:.1f}' for t in dwarf)})")
    print(f"%load_ext jupyter_ai_magics  median {theirs * 1000:8.1f} ms  (runs: {', '.join(f'{t * 1000:.0f}' for t in jupyter_ai)})")
    print(f"dwarf_nb loads {ratio:.1f}x faster (goal: under {GOAL_SECONDS * 1000:.0f} ms and at least {GOAL_RATIO:.0f}x)")
    print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs while measuring)")
    return 0 if ours < GOAL_SECONDS and ratio >= GOAL_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
