"""Property: any valid Design exports artifacts that their tools accept.

Hypothesis builds designs with free-text names, odd field types, references to missing
entities or fields, partition keys that are not fields, repeated and odd paths, every API
style, service kind and component kind, and languages with and without templates.
"""

from __future__ import annotations

import ast
import json

import pglast
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from export_checks import compose_schema_validator, sections, syntax_errors

from dwarf_nb.design import Design
from dwarf_nb.texts import drop_control
from dwarf_nb.views import adr, compose, document, openapi, skeletons, sql
from dwarf_nb.views.document import SECTIONS

SLUGS = st.from_regex(r"\A[a-z][a-z0-9]{0,6}(?:[-_][a-z0-9]{1,4}){0,2}\Z")
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=24)
TYPES = st.sampled_from(["uuid", "text", "int", "bigint", "decimal(10,2)", "varchar(0)", "timestamp", "json", "bool",
                         "point", "string[]", "money", "date", "whatever", "numeric(2000,3)", ""]) | TEXT
PATHS = st.sampled_from(["/", "/x", "/x/{id}", "/x/:id", "/x/<int:id>", "/x/{id}/y", "/x/{a}/{a}", "/x?y=1",
                         "/a b/{class}", "/{}", "/x/{id}/", "//x"]) | TEXT.map(lambda t: "/" + t)
LANGUAGES = st.sampled_from(["python", "typescript", "javascript", "go", "java", "kotlin", "rust", "c#", "elixir", "php", "ruby", "",
                             "Node.js", "golang"])
FRAMEWORKS = st.sampled_from(["", "fastapi", "django", "flask", "nestjs", "express", "fastify", "gin", "net/http",
                              "spring boot", "axum", "asp.net core", "rocket", "laravel", "rails", "phoenix"]) | TEXT
KINDS = st.sampled_from(["relational_db", "document_db", "wide_column_db", "key_value_store", "graph_db",
                         "time_series_db", "cache", "message_broker", "object_storage", "search_index", "cdn",
                         "load_balancer", "api_gateway", "analytics"])


@st.composite
def designs(draw) -> Design:
    names = draw(st.lists(SLUGS, min_size=1, max_size=7, unique=True))
    n_services = draw(st.integers(0, len(names)))
    service_names, component_names = names[:n_services], names[n_services:]
    components = [{"name": n, "kind": draw(KINDS), "technology": draw(TEXT | st.sampled_from(["PostgreSQL", "Redis", "Kafka"]))}
                  for n in component_names]
    relational = [c["name"] for c in components if c["kind"] == "relational_db"]
    if relational and draw(st.booleans()):
        components.append({"name": "replica-x", "kind": "read_replica", "replica_of": relational[0]})
    entity_names = draw(st.lists(SLUGS, max_size=4, unique=True))
    topics = draw(st.lists(TEXT, max_size=3))
    services = []
    for n in service_names:
        services.append(
            {
                "name": n,
                "kind": draw(st.sampled_from(["api", "worker", "scheduler", "gateway"])),
                "language": draw(LANGUAGES),
                "framework": draw(FRAMEWORKS),
                "api_style": draw(st.sampled_from(["rest", "grpc", "graphql", "websocket", "none"])),
                "responsibility": draw(TEXT),
                "endpoints": [
                    {"method": draw(st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE"])), "path": draw(PATHS),
                     "summary": draw(TEXT), "entity": draw(st.sampled_from([None, "missing", *entity_names]))}
                    for _ in range(draw(st.integers(0, 4)))
                ],
                "publishes": draw(st.lists(st.sampled_from(topics), max_size=2)) if topics else [],
                "consumes": draw(st.lists(st.sampled_from(topics), max_size=2)) if topics else [],
            }
        )
    entities = []
    for e in entity_names:
        fields = [
            {"name": draw(TEXT | st.sampled_from(["id", "order", "user", "select"])), "type": draw(TYPES),
             "nullable": draw(st.booleans()), "primary_key": draw(st.booleans()), "unique": draw(st.booleans()),
             "indexed": draw(st.booleans()),
             "references": draw(st.sampled_from([None, None, "missing.id", *(f"{x}.id" for x in entity_names), *entity_names]))}
            for _ in range(draw(st.integers(0, 4)))
        ]
        entities.append(
            {
                "name": e,
                "fields": fields,
                "owner": draw(st.sampled_from([None, *service_names])),
                "store": draw(st.sampled_from([None, *[c["name"] for c in components]])),
                "partition_by": draw(st.sampled_from([None, "id", "nothing", *(f["name"] for f in fields)])),
            }
        )
    ends = ["clients", *service_names, *[c["name"] for c in components]]
    edges = [{"source": draw(st.sampled_from(ends)), "target": draw(st.sampled_from(ends)), "protocol": draw(TEXT),
              "mode": draw(st.sampled_from(["sync", "async"]))} for _ in range(draw(st.integers(0, 5)))]
    jobs = [{"name": f"job-{i}", "trigger": draw(st.sampled_from(["0 * * * *", "@daily", *topics]) | TEXT),
             "retries": draw(st.integers(0, 9)), "dead_letter": draw(st.none() | TEXT)} for i in range(draw(st.integers(0, 2)))]
    decisions = []
    for _ in range(draw(st.integers(0, 2))):
        options = draw(st.lists(TEXT, max_size=3, unique_by=drop_control))  # names as the Design keeps them
        decisions.append({
            "title": draw(TEXT), "chosen": draw(st.sampled_from(options)) if options else draw(TEXT),
            "options": [{"name": o, "scores": {"a": draw(st.floats(0, 5)), "b": draw(st.floats(0, 5))}} for o in options],
            "weights": draw(st.sampled_from([{}, {"a": 2.0}, {"a": 0.5, "b": 0.5}]))})
    return Design.model_validate(
        {"name": draw(SLUGS), "summary": draw(TEXT), "services": services, "components": components, "edges": edges,
         "entities": entities, "jobs": jobs, "decisions": decisions, "assumptions": draw(st.lists(TEXT, max_size=2))}
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(designs())
def test_any_design_exports_valid_artifacts(design):
    from openapi_spec_validator import validate

    pglast.parse_sql(sql.schema_sql(design))
    for text in openapi.documents(design).values():
        validate(yaml.safe_load(text))
    document_yaml = yaml.safe_load(compose.compose_yaml(design))
    assert list(compose_schema_validator().iter_errors(document_yaml)) == []
    for service in design.services:
        sk = skeletons.skeleton(design, service)
        if sk is None:
            continue
        if sk.language == "python":
            ast.parse(sk.code)
        else:
            assert syntax_errors(sk.language, sk.code) == [], (service.name, sk.framework)
    for text in adr.records(design).values():
        assert "## Decision Outcome" in text
    found = sections(document.render_markdown(design))
    assert list(found) == list(SECTIONS) and all(body.strip() for body in found.values())
    json.loads(design.to_json())
