"""OpenAPI 3.1 documents for the design's HTTP services, one per service.

Each document has the service's real endpoints (paths cleaned by `artifacts.clean_path`, so
`:id` and `<id>` become `{id}`), a JSON Schema per entity it serves, RFC 9457 problem responses,
and the health and readiness probes every service exposes. The mapping is built as data and
written with `yaml.safe_dump`, which quotes whatever a design name or summary contains.
"""

from __future__ import annotations

from typing import Optional

import yaml

from ..design import Design, Entity, Service
from .artifacts import Route, camel, entity, field_type, handler_name, pascal, profile, routes, unique
from .escape import one_line

HTTP_STYLES = ("rest", "graphql", "websocket")
OPENAPI_VERSION = "3.1.0"
PROBLEM = {"$ref": "#/components/schemas/Problem"}
PROBLEM_RESPONSE = {"description": "Error (RFC 9457 problem details)",
                    "content": {"application/problem+json": {"schema": PROBLEM}}}


def http_services(design: Design) -> list[Service]:
    """Services that answer HTTP (REST, GraphQL or WebSocket APIs and gateways)."""
    return [s for s in design.services if s.kind in ("api", "gateway") and s.api_style in HTTP_STYLES]


def filename(service: Service) -> str:
    return f"openapi/{service.name}.yaml"


def port(service: Service) -> int:
    prof = profile(service)
    return prof.lang["port"] if prof else 8080


def _entity_schema(ent: Entity) -> dict:
    properties, required = {}, []
    for fld in ent.fields:
        name = one_line(fld.name) or "field"
        if name in properties:
            continue
        kind = field_type(fld.type)
        schema: dict = {"type": [kind["json"], "null"] if fld.nullable else kind["json"]}
        for key in ("format", "maxLength"):
            if key in kind:
                schema[key] = kind[key]
        if kind["json"] == "array":
            schema["items"] = {}
        if fld.references:
            schema["description"] = f"refers to {one_line(fld.references)}"
        properties[name] = schema
        if not fld.nullable:
            required.append(name)
    out: dict = {"type": "object", "properties": properties}
    if required:
        out["required"] = required
    if ent.owner:
        out["description"] = f"{ent.name}, owned by service {ent.owner}"
    return out


def _param(name: str, ent: Optional[Entity]) -> dict:
    schema = {"type": "string"}
    if ent is not None:
        for fld in ent.fields:
            if fld.name == name or (fld.primary_key and name in ("id", f"{ent.name}_id")):
                kind = field_type(fld.type)
                if kind["json"] in ("string", "integer", "number", "boolean"):
                    schema = {"type": kind["json"], **({"format": kind["format"]} if "format" in kind else {})}
                break
    return {"name": name, "in": "path", "required": True, "schema": schema}


def _operation(route: Route, ent: Optional[Entity], schema_ref: Optional[dict], op_id: str) -> dict:
    body = schema_ref or {"type": "object"}
    op: dict = {"operationId": op_id, "summary": one_line(route.summary) or f"{route.method} {route.path}"}
    if route.params:
        op["parameters"] = [_param(p, ent) for p in route.params]
    responses: dict = {}
    if route.method == "GET" and not route.is_item:
        op.setdefault("parameters", []).extend(
            [
                {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}},
                {"name": "cursor", "in": "query", "schema": {"type": "string"}, "description": "opaque page cursor"},
            ]
        )
        responses["200"] = {"description": "One page of results",
                            "content": {"application/json": {"schema": {"type": "array", "items": body}}}}
    elif route.method == "GET":
        responses["200"] = {"description": "Found", "content": {"application/json": {"schema": body}}}
    elif route.method == "POST":
        responses["201"] = {"description": "Created", "content": {"application/json": {"schema": body}}}
    elif route.method == "DELETE":
        responses["204"] = {"description": "Deleted"}
    else:
        responses["200"] = {"description": "Updated", "content": {"application/json": {"schema": body}}}
    if route.method in ("POST", "PUT", "PATCH"):
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
        responses["422"] = PROBLEM_RESPONSE
    if route.params:
        responses["404"] = PROBLEM_RESPONSE
    responses["default"] = PROBLEM_RESPONSE
    op["responses"] = responses
    return op


def _probe(op_id: str, summary: str) -> dict:
    return {
        "operationId": op_id,
        "summary": summary,
        "security": [],
        "responses": {
            "200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Health"}}}},
            "503": {"description": "Not ready", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Health"}}}},
        },
    }


def spec(design: Design, service: Service) -> dict:
    """The OpenAPI document of one service, as a mapping."""
    schemas: dict = {}
    refs: dict[str, dict] = {}
    names: set[str] = {"Problem", "Health"}
    paths: dict = {
        "/health": {"get": _probe("health", "Liveness: the process is up")},
        "/ready": {"get": _probe("ready", "Readiness: dependencies answer")},
    }
    op_ids = {"health", "ready"}
    service_routes = routes(service)
    if service.api_style == "graphql" and not any(r.path == "/graphql" for r in service_routes):
        service_routes.append(Route("POST", "/graphql", (), "GraphQL queries and mutations", None))
    if service.api_style == "websocket" and not any(r.path == "/ws" for r in service_routes):
        service_routes.append(Route("GET", "/ws", (), "WebSocket upgrade for live updates", None))
    for route in service_routes:
        ent = entity(design, route.entity)
        ref = None
        if ent is not None:
            if ent.name not in refs:
                key = unique(pascal(ent.name, "Entity"), names)
                schemas[key] = _entity_schema(ent)
                refs[ent.name] = {"$ref": f"#/components/schemas/{key}"}
            ref = refs[ent.name]
        op_id = unique(camel(handler_name(route)), op_ids)
        paths.setdefault(route.path, {})[route.method.lower()] = _operation(route, ent, ref, op_id)
    schemas["Problem"] = {
        "type": "object",
        "properties": {"type": {"type": "string", "format": "uri"}, "title": {"type": "string"},
                       "status": {"type": "integer"}, "detail": {"type": "string"}},
        "required": ["title", "status"],
    }
    schemas["Health"] = {
        "type": "object",
        "properties": {"status": {"type": "string", "enum": ["ok", "degraded", "failing"]},
                       "checks": {"type": "object", "additionalProperties": {"type": "string"}}},
        "required": ["status"],
    }
    info = {"title": f"{design.name} / {service.name}", "version": "1.0.0"}
    if service.responsibility:
        info["description"] = one_line(service.responsibility)
    return {
        "openapi": OPENAPI_VERSION,
        "info": info,
        "servers": [{"url": f"http://{service.name}:{port(service)}"}],
        "security": [{"bearerAuth": []}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
        },
    }


class _Dumper(yaml.SafeDumper):
    """Writes a shared sub-mapping out in full each time instead of as a YAML anchor and alias."""

    def ignore_aliases(self, data) -> bool:
        return True


def to_yaml(document: dict) -> str:
    return yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def documents(design: Design) -> dict[str, str]:
    """{relative file name: YAML text} for every HTTP service."""
    return {filename(s): to_yaml(spec(design, s)) for s in http_services(design)}
