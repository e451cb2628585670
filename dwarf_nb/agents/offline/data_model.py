"""Entities and endpoints from the bounded contexts in `knowledge/domains.toml`.

An entity line reads "name: field type [pk] [ref=entity.field] [null] [unique] [index], ...";
an endpoint line "METHOD /path [entity] [| summary]".
Entities go to the service that owns their context and to the store that service uses
for that context; references are kept only inside one store (across services a
reference is an id, not a foreign key).
"""

from __future__ import annotations

from functools import lru_cache

from ...design import Endpoint, Entity, EntityField


@lru_cache(maxsize=512)
def _entity_spec(line: str) -> tuple[str, tuple[dict, ...]]:
    name, _, body = line.partition(":")
    fields = []
    for part in body.split(","):
        words = part.split()
        if len(words) < 2:
            continue
        flags = set(words[2:])
        ref = next((w[4:] for w in flags if w.startswith("ref=")), None)
        fields.append({"name": words[0], "type": words[1], "primary_key": "pk" in flags, "references": ref,
                       "nullable": "null" in flags, "unique": "unique" in flags, "indexed": "index" in flags})
    return name.strip(), tuple(fields)


def parse_entity(line: str) -> tuple[str, list[EntityField]]:
    """'order: id uuid pk, total numeric' -> ('order', [fields]); new field objects each call."""
    name, fields = _entity_spec(line)
    return name, [EntityField(**f) for f in fields]


def plural(name: str) -> str:
    base = name.replace("_", "-")
    if base.endswith("y") and not base.endswith(("ay", "ey", "oy", "uy")):
        return base[:-1] + "ies"
    if base.endswith(("s", "x", "ch", "sh")):
        return base + "es"
    return base + "s"


def crud_endpoints(entity: str) -> list[Endpoint]:
    path = f"/{plural(entity)}"
    words = entity.replace("_", " ")
    return [
        Endpoint(method="GET", path=path, summary=f"List {plural(entity).replace('-', ' ')}", entity=entity),
        Endpoint(method="POST", path=path, summary=f"Create a {words}", entity=entity),
        Endpoint(method="GET", path=f"{path}/{{id}}", summary=f"Get one {words}", entity=entity),
        Endpoint(method="PATCH", path=f"{path}/{{id}}", summary=f"Update a {words}", entity=entity),
    ]


def extra_endpoint(line: str, known: set[str]) -> Endpoint:
    """'POST /orders/{id}/cancel order | Cancel an order' -> an Endpoint (entity kept only when
    it exists; without a summary after '|', one is made from the path)."""
    head, _, said = line.partition("|")
    words = head.split()
    entity = words[2] if len(words) > 2 and words[2] in known else None
    summary = said.strip() or f"{words[0].title()} {words[1].strip('/').replace('/', ' ').replace('{id}', 'one')}"
    return Endpoint(method=words[0], path=words[1], summary=summary, entity=entity)


def entities_for(contexts_by_service: list[tuple[str, list, dict[str, str]]]) -> list[Entity]:
    """Entities of every context, owned by its service and stored in the component it uses.

    `contexts_by_service` holds (service, contexts, {store kind -> component name}).
    """
    out: list[Entity] = []
    seen: set[str] = set()
    for service, contexts, stores in contexts_by_service:
        for ctx in contexts:
            for line in ctx.spec.get("entities", []):
                name, fields = parse_entity(line)
                if name in seen:
                    continue
                kind = ctx.spec.get("entity_stores", {}).get(name, ctx.spec.get("store", "relational_db"))
                store = stores.get(kind) or stores.get("relational_db")
                if kind in ("object_storage", "analytics") and "relational_db" in stores:
                    # Metadata about files and events stays queryable in the relational store.
                    store = stores["relational_db"]
                seen.add(name)
                out.append(Entity(name=name, fields=fields, owner=service, store=store, because=list(ctx.because)))
    by_name = {e.name: e for e in out}
    for e in out:
        for f in e.fields:
            if f.references:
                target = by_name.get(f.references.split(".")[0])
                if target is None or target.store != e.store:
                    f.references = None
                    f.indexed = True
    return out
