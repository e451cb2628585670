"""Where export time goes, and how it grows with the size of the design.

    .venv/bin/python benchmarks/bench_export.py [--runs 3]

Synthetic designs of 5, 20 and 80 services (Python, Go and TypeScript in turn, five CRUD
endpoints and one entity each, one database, one cache, one broker). Prints the median wall
time of each artifact, of a full first export and of a repeat export into the same folder
(nothing changed, so nothing is rewritten).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from dwarf_nb.design import Design
from dwarf_nb.export import export
from dwarf_nb.views import adr, compose, document, openapi, service_map, sql

LANGUAGES = [("python", "fastapi"), ("go", "gin"), ("typescript", "nestjs")]


def synthetic(services: int) -> Design:
    svc, entities, edges = [], [], []
    for i in range(services):
        language, framework = LANGUAGES[i % len(LANGUAGES)]
        entity = f"item{i}"
        svc.append({
            "name": f"svc-{i}", "language": language, "framework": framework, "publishes": [f"{entity}.created"],
            "endpoints": [{"method": m, "path": p, "entity": entity} for m, p in
                          [("GET", f"/{entity}s"), ("POST", f"/{entity}s"), ("GET", f"/{entity}s/{{id}}"),
                           ("PATCH", f"/{entity}s/{{id}}"), ("DELETE", f"/{entity}s/{{id}}")]],
        })
        entities.append({"name": entity, "owner": f"svc-{i}", "store": "db", "fields": [
            {"name": "id", "type": "uuid", "primary_key": True}, {"name": "name", "type": "text"},
            {"name": "created_at", "type": "timestamp", "indexed": True}]})
        edges += [{"source": f"svc-{i}", "target": t, "protocol": p} for t, p in (("db", "sql"), ("cache", "redis"))]
        edges.append({"source": f"svc-{i}", "target": "events", "protocol": "kafka", "mode": "async"})
    return Design.model_validate({
        "name": f"bench-{services}", "services": svc, "entities": entities, "edges": edges,
        "components": [{"name": "db", "kind": "relational_db", "technology": "PostgreSQL"},
                       {"name": "cache", "kind": "cache", "technology": "Redis"},
                       {"name": "events", "kind": "message_broker", "technology": "Kafka"}],
    })


def median(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median taken)")
    args = parser.parse_args()
    parts = {
        "map svg": lambda d: service_map.render(d, format="svg"),
        "document.md": lambda d: document.render_markdown(d),
        "document.html": lambda d: document.render_html(d, svg="<svg/>"),
        "schema.sql": sql.schema_sql,
        "openapi": openapi.documents,
        "compose": compose.compose_yaml,
        "adr": adr.records,
    }
    print(f"{'services':>8} " + " ".join(f"{name:>13}" for name in parts) + f" {'export':>8} {'re-export':>9}")
    for size in (5, 20, 80):
        design = synthetic(size)
        document.render_markdown(design)  # imports and template compilation are not part of the figures
        row = [median(lambda: fn(design), args.runs) for fn in parts.values()]
        with tempfile.TemporaryDirectory() as tmp:
            first = median(lambda: export(design, Path(tmp) / f"o{time.perf_counter_ns()}", formats=("md", "html")),
                           args.runs)
            export(design, Path(tmp) / "same", formats=("md", "html"))
            again = median(lambda: export(design, Path(tmp) / "same", formats=("md", "html")), args.runs)
        print(f"{size:>8} " + " ".join(f"{t * 1000:>11.0f}ms" for t in row) + f" {first:>7.2f}s {again:>8.2f}s")


if __name__ == "__main__":
    main()
