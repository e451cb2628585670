"""The Mermaid flowchart: well-formed, grouped by context, async dotted, labels escaped."""

from __future__ import annotations

import html
import re

import pytest
from handmade_maps import HOSTILE, hostile, shop

import dwarf_nb
from dwarf_nb.design import Design, Edge, Service
from dwarf_nb.errors import InputError
from dwarf_nb.views.escape import LABEL_LIMIT, one_line
from dwarf_nb.views.mermaid import flowchart
from dwarf_nb.views.service_map import links

LABEL = r'"[^"<>]*(?:<br/>[^"<>]*)*"'
LINE = {
    "header": re.compile(r"^flowchart (LR|RL|TB|BT)$"),
    "subgraph": re.compile(rf"^  subgraph (ctx_\d+)\[({LABEL})\]$"),
    "end": re.compile(r"^  end$"),
    "node": re.compile(rf"^ +(n_\w+)(\[|\[\(|\[\[|\{{\{{|\(\[)({LABEL})(\]|\)\]|\]\]|\}}\}}|\]\))$"),
    "edge": re.compile(rf"^  (n_\w+) (-->|-\.->)(?:\|({LABEL})\|)? (n_\w+)$"),
}


def parse(text: str) -> list[tuple[str, re.Match]]:
    """Every line, classified; fails on any line that is not one of the forms we emit."""
    assert text.endswith("\n")
    parsed = []
    for line in text.splitlines():
        for kind, pattern in LINE.items():
            match = pattern.match(line)
            if match:
                parsed.append((kind, match))
                break
        else:
            raise AssertionError(f"not a flowchart line: {line!r}")
    return parsed


def shown(label: str) -> str:
    """A label's text as Mermaid shows it: its `#code;` entities become HTML ones, then are read."""
    as_html = re.sub(r"#(\w+);", lambda m: f"&#{m[1]};" if m[1].isdigit() else f"&{m[1]};", label)
    return html.unescape(as_html)


def check_structure(text: str) -> dict:
    """Nodes, edges and subgraphs of a flowchart, after checking it is consistent."""
    parsed = parse(text)
    assert parsed[0][0] == "header"
    nodes, edges, subgraphs, depth = {}, [], {}, 0
    current = None
    for kind, m in parsed[1:]:
        if kind == "subgraph":
            assert depth == 0
            depth, current = 1, shown(m.group(2)[1:-1])
            subgraphs[current] = []
        elif kind == "end":
            assert depth == 1
            depth, current = 0, None
        elif kind == "node":
            assert m.group(1) not in nodes, f"node id {m.group(1)} defined twice"
            nodes[m.group(1)] = [shown(x) for x in m.group(3)[1:-1].split("<br/>")]
            if current is not None:
                subgraphs[current].append(m.group(1))
        else:
            assert m.group(1) in nodes and m.group(4) in nodes, "edges join declared nodes"
            label = shown(m.group(3)[1:-1]) if m.group(3) else ""
            edges.append((m.group(1), m.group(2), label, m.group(4)))
    assert depth == 0
    return {"nodes": nodes, "edges": edges, "subgraphs": subgraphs}


def test_shop_flowchart():
    chart = check_structure(flowchart(shop()))
    assert chart["subgraphs"] == {
        "Catalog": ["n_catalog", "n_catalog_search", "n_images"],
        "Sales": ["n_orders", "n_billing", "n_orders_db", "n_events"],
    }
    assert chart["nodes"]["n_orders"] == ["orders", "api · Go"]
    assert chart["nodes"]["n_orders_db"] == ["orders-db", "PostgreSQL 16"]
    assert chart["nodes"]["n_clients"] == ["clients"]
    assert ("n_orders", "-.->", "kafka: order.placed", "n_events") in chart["edges"]
    assert ("n_events", "-.->", "kafka", "n_billing") in chart["edges"]
    assert ("n_orders", "-->", "sql", "n_orders_db") in chart["edges"]
    assert len(chart["edges"]) == len(links(shop()))


def test_shapes_tell_datastores_brokers_and_clients_apart():
    text = flowchart(shop())
    assert 'n_orders_db[("orders-db<br/>PostgreSQL 16")]' in text
    assert 'n_events[["events<br/>Kafka"]]' in text
    assert 'n_clients(["clients"])' in text
    assert 'n_edge_cache{{"edge-cache<br/>cdn"}}' in text
    assert 'n_orders["orders<br/>api · Go"]' in text


def test_hostile_labels_are_escaped():
    text = flowchart(hostile())
    assert "<script" not in text and "<b>" not in text
    chart = check_structure(text)  # every label stays inside its quotes
    folded = " ".join(HOSTILE.split())
    assert chart["nodes"]["n_store"] == ["store", folded]
    assert set(chart["subgraphs"]) == {folded, '"quoted" & <b>bold</b>'}
    assert ("n_api", "-.->", "amqp: -->|x|", "n_jobs") in chart["edges"]


def test_ids_stay_unique_when_names_differ_only_by_dash_or_underscore():
    design = Design(
        name="ids",
        services=[Service(name="a-b"), Service(name="a_b")],
        edges=[Edge(source="a-b", target="a_b"), Edge(source="a_b", target="a-b", mode="async")],
    )
    chart = check_structure(flowchart(design))
    assert len(chart["nodes"]) == 2
    assert [(e[0], e[3]) for e in chart["edges"]] == [("n_a_b", "n_a_b_2"), ("n_a_b_2", "n_a_b")]


def test_a_service_named_clients_is_not_drawn_twice():
    design = Design(name="c", services=[Service(name="clients")], edges=[])
    assert list(check_structure(flowchart(design))["nodes"]) == ["n_clients"]


def test_direction():
    assert flowchart(shop(), direction="tb").startswith("flowchart TB\n")
    with pytest.raises(InputError, match="LR"):
        flowchart(shop(), direction="diagonal")


def test_design_method():
    assert shop().mermaid() == flowchart(shop())


def test_every_example(problem):
    design = dwarf_nb.design(problem["requirements"])
    chart = check_structure(design.mermaid())
    for part in [*design.services, *design.components]:
        assert any(lines[0] == part.name for lines in chart["nodes"].values()), part.name
    drawn = links(design)
    assert len(chart["edges"]) == len(drawn)
    assert sum(e[1] == "-.->" for e in chart["edges"]) == sum(link.mode == "async" for link in drawn)
    contexts = {one_line(s.context, LABEL_LIMIT) for s in design.services if s.context}
    assert set(chart["subgraphs"]) == contexts


def test_an_empty_design_is_a_bare_flowchart():
    assert flowchart(Design(name="blank")) == "flowchart LR\n"


def test_parallel_edges_are_one_arrow_naming_each_topic():
    topics = ["a.created", "a.updated", "a.deleted", "a.archived", "a.restored"]
    design = Design(
        name="bundle",
        services=[Service(name="api"), Service(name="jobs", kind="worker")],
        edges=[Edge(source="api", target="jobs", protocol="amqp", mode="async", label=t) for t in topics],
    )
    chart = check_structure(flowchart(design))
    assert chart["edges"] == [("n_api", "-.->", "amqp: a.created, a.updated, a.deleted, +2 more", "n_jobs")]


def test_apostrophes_hashes_and_backticks_show_as_written():
    # Mermaid rewrites "#35;"-style codes itself: an HTML "&#x27;" would reach the reader as text.
    text = "the customer's C# `orders` &#35; #quot;"
    design = Design(name="d", services=[Service(name="api", responsibility=text, context=text)])
    chart = check_structure(flowchart(design))
    assert set(chart["subgraphs"]) == {text}
    assert "&#x27;" not in flowchart(design) and "`" not in flowchart(design)
