"""What the response cache saves: a Claude design asked for, versus the same design asked again.

The real SDK talks to the local fake Messages API (tests/fake_anthropic.py), which streams
its answer in small pieces with a short pause between them, standing in for a model that
writes for a while. Each round makes a fresh agent with `use_cache=False` (a paid call:
request, stream, validation) and then asks the same question with the cache on (an
SQLite lookup and a validation, no request). Both include the offline analysis that
goes into the prompt. Prints the medians and their ratio.

    .venv/bin/python benchmarks/bench_claude_cache.py [--runs 7] [--delay-ms 2]

Goal: a cached answer in under 50 ms, and no request reaching the server.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

GOAL_SECONDS = 0.05
TEXT = (
    "A marketplace where 40,000 daily buyers search second-hand furniture, chat with sellers and pay "
    "online; sellers upload photos; the team knows TypeScript and PostgreSQL."
)


def paced(delay_s: float):
    """The fake's default design answer, with a pause before each streamed piece."""
    import fake_anthropic as fa

    plain = fa.design(chunk=20)

    class Slow:
        def __init__(self, handler):
            self.handler = handler

        def __getattr__(self, name):
            return getattr(self.handler, name)

        def event(self, name, data):
            if name == "content_block_delta":
                time.sleep(delay_s)
            self.handler.event(name, data)

    return lambda handler, body: plain(Slow(handler), body)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--delay-ms", type=float, default=2.0, help="pause before each streamed piece")
    args = parser.parse_args()

    import fake_anthropic as fa

    from dwarf_nb.agents.claude import ClaudeAgent
    from dwarf_nb.store import Store

    server = fa.FakeAnthropic().start()
    server.default = paced(args.delay_ms / 1000)
    cold, warm = [], []
    try:
        with tempfile.TemporaryDirectory() as folder:
            store = Store(Path(folder) / "designs.db")
            options = {"api_key": "sk-ant-bench", "base_url": server.url, "store": store}
            for _ in range(args.runs):
                start = time.perf_counter()
                ClaudeAgent(use_cache=False, **options).design(TEXT)
                cold.append(time.perf_counter() - start)
                asked = len(server.requests)
                start = time.perf_counter()
                ClaudeAgent(**options).design(TEXT)
                warm.append(time.perf_counter() - start)
                assert len(server.requests) == asked, "a cached answer must not reach the API"
            store.close()
    finally:
        server.stop()
    cold_ms, warm_ms = statistics.median(cold) * 1000, statistics.median(warm) * 1000
    print(f"asked (fake API, {args.delay_ms:g} ms per streamed piece): median {cold_ms:8.1f} ms over {args.runs} runs")
    print(f"answered from the response cache:                 median {warm_ms:8.1f} ms")
    print(f"ratio: the cached answer is {cold_ms / warm_ms:.0f}x faster; goal < {GOAL_SECONDS * 1000:.0f} ms: "
          f"{'met' if warm_ms / 1000 < GOAL_SECONDS else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
