"""The review on arbitrary designs (a model may return any graph): it always answers, its
ids are unique and do not depend on the order of the design's lists, and accepting every
finding leaves nothing active."""

from __future__ import annotations

import json
from typing import get_args

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dwarf_nb.analysis.lint import lint
from dwarf_nb.design import ComponentKind, Design

SERVICE_KINDS = ["api", "worker", "scheduler", "gateway"]
COMPONENT_KINDS = list(get_args(ComponentKind))
TOPICS = ["order.created", "user.joined"]


@st.composite
def designs(draw) -> Design:
    n_services = draw(st.integers(1, 7))
    n_components = draw(st.integers(0, 6))
    services = [
        {
            "name": f"s{i}",
            "kind": draw(st.sampled_from(SERVICE_KINDS)),
            "context": draw(st.sampled_from(["", "a", "b"])),
            "instances": draw(st.integers(1, 3)),
            "public": draw(st.booleans()),
            "consumes": draw(st.lists(st.sampled_from(TOPICS), unique=True, max_size=2)),
        }
        for i in range(n_services)
    ]
    components = [
        {
            "name": f"c{i}",
            "kind": draw(st.sampled_from(COMPONENT_KINDS)),
            "shared": draw(st.booleans()),
            "public": draw(st.booleans()),
        }
        for i in range(n_components)
    ]
    nodes = ["clients"] + [s["name"] for s in services] + [c["name"] for c in components]
    edges = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "source": st.sampled_from(nodes),
                    "target": st.sampled_from(nodes),
                    "mode": st.sampled_from(["sync", "async"]),
                    "latency_ms": st.one_of(st.none(), st.floats(0, 500)),
                }
            ),
            max_size=25,
        )
    )
    jobs = [
        {
            "name": f"j{i}",
            "trigger": draw(st.sampled_from(TOPICS + ["cron: 0 * * * *"])),
            "retries": draw(st.integers(0, 3)),
            "dead_letter": draw(st.sampled_from([None, "dlq"])),
        }
        for i in range(draw(st.integers(0, 3)))
    ]
    capacity = {
        "reads_per_second": draw(st.floats(0, 1e4)),
        "writes_per_second": draw(st.floats(0, 1e3)),
        "peak_rps": draw(st.floats(0, 1e3)),
        "storage_gb_total": draw(st.floats(0, 1e3)),
    }
    return Design.model_validate(
        {
            "name": "random",
            "style": draw(st.sampled_from(["modular_monolith", "microservices"])),
            "services": services,
            "components": components,
            "edges": edges,
            "jobs": jobs,
            "capacity": capacity,
            "slos": {"availability": draw(st.sampled_from([0.99, 0.999, 0.9999]))},
        }
    )


def _reordered(design: Design) -> Design:
    data = design.model_dump()
    for key in ("services", "components", "edges", "jobs"):
        data[key].reverse()
    return Design.model_validate(data)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(designs())
def test_review_of_any_design_is_consistent(design):
    report = lint(design)
    found = [f.id for f in report.findings]
    assert len(found) == len(set(found))
    assert all(f.id == f"{f.rule}@{f.target}" and f.message and f.fix for f in report.findings)
    # The same design listed in another order gets the same findings, word for word.
    assert lint(_reordered(design)).findings == report.findings
    assert json.loads(report.to_json())["counts"]["error"] == len(report.errors)

    everything = lint(design, suppress={fid: "accepted for the test" for fid in found})
    assert everything.findings == [] and not everything.unused_suppressions
    assert sorted(f.id for f in everything.accepted) == sorted(found)
