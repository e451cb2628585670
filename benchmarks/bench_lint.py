"""How long the architecture review takes on a typical design and on large, tangled ones.

Run: .venv/bin/python benchmarks/bench_lint.py   (prints the median of several runs)
"""

from __future__ import annotations

import statistics
import time

from dwarf_nb.analysis.lint import lint
from dwarf_nb.design import Component, Design, Edge, Service


def tangled(services: int, calls_per_service: int) -> Design:
    """Services each calling the next few synchronously (wrapping round, so full of loops)."""
    names = [f"s{i}" for i in range(services)]
    edges = [Edge(source="clients", target=names[0])]
    for i, name in enumerate(names):
        edges += [
            Edge(source=name, target=names[(i + k) % services]) for k in range(1, calls_per_service + 1)
        ]
        edges.append(Edge(source=name, target=f"db{i % 10}"))
    return Design(
        name="tangled",
        style="microservices",
        services=[Service(name=n, language="go", responsibility="x") for n in names],
        components=[
            Component(name=f"db{i}", kind="relational_db", technology="PostgreSQL", purpose="x")
            for i in range(10)
        ],
        edges=edges,
    )


def typical() -> Design:
    names = ["gateway", "orders", "catalog", "payments", "users", "search"]
    return Design(
        name="typical",
        style="microservices",
        services=[Service(name=n, kind="gateway" if n == "gateway" else "api", instances=2) for n in names],
        components=[Component(name=f"{n}-db", kind="relational_db") for n in names[1:]]
        + [Component(name="cache", kind="cache")],
        edges=[Edge(source="clients", target="gateway")]
        + [Edge(source="gateway", target=n) for n in names[1:]]
        + [Edge(source=n, target=f"{n}-db") for n in names[1:]]
        + [Edge(source=n, target="cache") for n in names[1:]]
        + [Edge(source="orders", target="payments"), Edge(source="orders", target="users")],
    )


def median_ms(design: Design, runs: int) -> float:
    lint(design)  # load the rule file and networkx once, outside the timing
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        lint(design)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


if __name__ == "__main__":
    cases = [("typical (6 services)", typical(), 50)]
    cases += [
        (f"tangled ({n} services x {k} sync calls)", tangled(n, k), 5)
        for n, k in ((50, 3), (200, 5), (400, 10), (60, 59))
    ]
    for label, design, runs in cases:
        print(f"lint {label:<40} median {median_ms(design, runs):8.1f} ms over {runs} runs")
