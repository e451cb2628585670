"""What changed between two designs: additions, removals, field changes, and their display."""

from __future__ import annotations

from handmade_maps import HOSTILE, language_decision, shop

import dwarf_nb
from markdown_it import MarkdownIt
from dwarf_nb.analysis.diff import Change, diff
from dwarf_nb.design import Component, Design, Endpoint, Entity, EntityField, Job, Service


def changed() -> Design:
    """shop() with one of each kind of change."""
    d = shop().model_copy(deep=True)
    d.style = "modular_monolith"
    d.capacity.peak_rps = 1200.0
    d.slos.p95_latency_ms = 150.0
    d.service("orders").language = "Rust"
    d.service("orders").endpoints.append(Endpoint(method="POST", path="/orders"))
    d.services = [s for s in d.services if s.name != "catalog"]
    d.edges = [e for e in d.edges if "catalog" not in (e.source, e.target)]
    d.services.append(Service(name="shipping", language="Go", context="Sales"))
    d.components.append(Component(name="sessions", kind="cache", technology="Redis"))
    d.component("events").technology = "RabbitMQ"
    d.edges[-1] = d.edges[-1].model_copy(update={"mode": "sync"})
    d.jobs.append(Job(name="nightly-report", trigger="0 2 * * *"))
    d.entities.append(Entity(name="order", fields=[EntityField(name="id", type="uuid", primary_key=True)]))
    return d


def test_identical_designs_have_an_empty_diff():
    result = diff(shop(), shop())
    assert result.empty
    assert "no differences" in result.to_text()
    assert "No differences" in result.to_markdown() and "No differences" in result._repr_html_()


def test_additions_removals_and_field_changes():
    result = diff(shop(), changed())
    assert not result.empty
    assert result.services.added == ["shipping"] and result.services.removed == ["catalog"]
    assert Change("orders", "language", "Go", "Rust") in result.services.changed
    assert Change("orders", "endpoints", None, "POST /orders", "added") in result.services.changed
    assert result.components.added == ["sessions"]
    assert result.components.changed == [Change("events", "technology", "Kafka", "RabbitMQ")]
    assert result.edges.changed == [Change("events → billing", "mode", "async", "sync")]
    assert set(result.edges.removed) == {"clients → catalog", "catalog → catalog-search", "catalog → images"}
    assert result.jobs.added == ["nightly-report"] and result.entities.added == ["order"]
    assert result.style == Change("style", "", "microservices", "modular_monolith")
    assert result.capacity == [Change("capacity", "peak_rps", 0.0, 1200.0)]
    assert result.slos == [Change("slos", "p95_latency_ms", 200.0, 150.0)]


def test_diff_runs_both_ways():
    forward, backward = diff(shop(), changed()), diff(changed(), shop())
    assert forward.services.added == backward.services.removed
    assert Change("orders", "endpoints", "POST /orders", None, "removed") in backward.services.changed


def test_decision_changes_are_matched_by_topic_and_subject():
    before = Design(name="a", decisions=[language_decision()])
    after = before.model_copy(deep=True)
    after.decisions[0].chosen = "Python"
    after.decisions[0].options[1].scores["hiring"] = 5
    result = diff(before, after)
    assert result.decisions.added == [] and result.decisions.removed == []
    assert result.decisions.changed == [
        Change("language: orders", "options[Python].scores.hiring", 4.0, 5.0),
        Change("language: orders", "chosen", "Go", "Python"),
    ]


def test_parallel_edges_are_told_apart():
    a = shop()
    b = shop()
    b.edges.append(b.edges[0].model_copy(update={"protocol": "wss"}))
    assert diff(a, b).edges.added == ["clients → edge-cache #2"]


def test_text_markdown_and_html():
    text = diff(shop(), changed()).to_text()
    assert text.startswith("shop → shop\n")
    assert "  + shipping" in text and "  - catalog" in text and "  ~ orders: language Go → Rust" in text
    assert "capacity: peak_rps 0 → 1200" in text
    markdown = diff(shop(), changed()).to_markdown()
    assert "- added: shipping" in markdown and "orders: language Go → Rust" in markdown


def test_displays_escape_design_text():
    after = shop()
    after.service("orders").language = HOSTILE
    result = diff(shop(), after)
    html = result._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html
    markdown = result.to_markdown()
    # escaped where it would be markup, and a CommonMark reader shows it as text, not a tag
    assert "\\<script>" in markdown
    rendered = MarkdownIt("commonmark").render(markdown)
    assert "<script>" not in rendered and "&lt;script&gt;" in rendered
    assert "\nnew line" not in markdown, "a line break in design text cannot start a Markdown block"


def test_refining_an_example_shows_up_in_the_diff(problem):
    design = dwarf_nb.design(problem["requirements"])
    assert diff(design, design.model_copy(deep=True)).empty
    other = design.model_copy(deep=True)
    other.services = other.services[1:]
    removed = diff(design, other)
    assert removed.services.removed == [design.services[0].name]


def test_a_refined_example_shows_its_language_change(problem):
    design = dwarf_nb.design(problem["requirements"])
    service = design.services[0]
    language = "Rust" if service.language.lower() != "rust" else "Go"
    refined = dwarf_nb.refine(design, f"use {language} for {service.name}")
    result = diff(design, refined)
    language_changes = [c for c in result.services.changed if (c.part, c.field) == (service.name, "language")]
    assert [(c.old, c.new) for c in language_changes] == [(service.language, refined.service(service.name).language)]
    assert language.lower() in refined.service(service.name).language.lower()
    assert f"~ {service.name}: language {service.language} → " in result.to_text()
