"""How service-map rendering time grows with the size of the design.

    .venv/bin/python benchmarks/bench_service_map.py [--runs 3]

Synthetic designs of 10, 50 and 200 services (five per bounded context, one database per
context, one broker, sync calls along each context and async events across contexts).
Prints the median wall time of SVG (and PNG up to 50 services) and the output size.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time

from dwarf_nb.design import Component, Design, Edge, Service
from dwarf_nb.views import service_map

LANGUAGES = ["Go", "Python", "TypeScript", "Java", "Kotlin", "Rust"]
PER_CONTEXT = 5


def synthetic(services: int) -> Design:
    contexts = max(1, services // PER_CONTEXT)
    svc = [
        Service(name=f"svc-{i}", language=LANGUAGES[i % len(LANGUAGES)], context=f"Context {i % contexts}")
        for i in range(services)
    ]
    comps = [Component(name=f"db-{c}", kind="relational_db", technology="PostgreSQL") for c in range(contexts)]
    comps.append(Component(name="events", kind="message_broker", technology="Kafka"))
    edges = [Edge(source="clients", target="svc-0", protocol="https")]
    for i in range(services):
        context = i % contexts
        edges.append(Edge(source=f"svc-{i}", target=f"db-{context}", protocol="sql"))
        if i + contexts < services:  # the next service of the same context
            edges.append(Edge(source=f"svc-{i}", target=f"svc-{i + contexts}", protocol="grpc"))
        if i % PER_CONTEXT == 0:
            edges.append(Edge(source=f"svc-{i}", target="events", protocol="kafka", mode="async", label="event"))
        if i % PER_CONTEXT == 1:
            edges.append(Edge(source="events", target=f"svc-{i}", protocol="kafka", mode="async"))
    return Design(name=f"bench-{services}", services=svc, components=comps, edges=edges)


def median_seconds(design: Design, fmt: str, runs: int) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        out = service_map.render(design, format=fmt)
        times.append(time.perf_counter() - start)
        size = len(out.encode() if isinstance(out, str) else out)
    return statistics.median(times), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="renders per measurement (median taken)")
    args = parser.parse_args()

    # Rendering must write nothing; run in an empty folder and check it stays empty.
    with tempfile.TemporaryDirectory() as folder:
        os.chdir(folder)
        service_map.render(synthetic(10))  # warm-up: imports, icon cache
        columns = ("services", "nodes", "edges", "svg ms", "svg KB", "x prev", "png ms", "png KB")
        widths = (8, 6, 6, 9, 8, 7, 9, 8)
        print(" ".join(f"{c:>{w}}" for c, w in zip(columns, widths)))
        previous = None
        for n in (10, 50, 200):
            design = synthetic(n)
            nodes = len(design.services) + len(design.components) + 1
            svg_s, svg_size = median_seconds(design, "svg", args.runs)
            growth = f"{svg_s / previous:6.1f}x" if previous else f"{'':>7}"
            previous = svg_s
            if n <= 50:
                png_s, png_size = median_seconds(design, "png", args.runs)
                png = f"{png_s * 1000:9.0f} {png_size / 1000:8.0f}"
            else:
                png = f"{'-':>9} {'-':>8}"
            print(f"{n:>8} {nodes:>6} {len(design.edges):>6} {svg_s * 1000:9.0f} {svg_size / 1000:8.0f} {growth} {png}")
        assert not os.listdir(folder), "rendering wrote files"


if __name__ == "__main__":
    main()
