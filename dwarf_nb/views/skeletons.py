"""A short, idiomatic service skeleton per service, in its own language and framework.

Each skeleton shows the service's real routes (in the framework's path syntax), the SQL it sends
to the tables `schema.sql` creates, its cache-aside reads with keys and TTLs, the events it
publishes and the topics it consumes, plus health and readiness probes. Templates live in
`views/templates/skeletons/`; design text reaches them only as string literals built by
`literal()` or as one-line comments, so no name can break out of the code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ..design import Design, Service
from . import sql as sqlview
from .artifacts import (
    Profile,
    broker_for,
    cache_for,
    cache_prefix,
    camel,
    datastores,
    entity,
    env_name,
    handler_name,
    knowledge,
    pascal,
    profile,
    routes,
    snake,
    templates,
    topics,
    unique,
)
from .escape import one_line, sql_identifier

# How each language writes a SQL placeholder (1-based) for its usual PostgreSQL driver.
PLACEHOLDERS = {
    "python": "$",  # asyncpg ($1); Django and Flask skeletons use psycopg's %s
    "typescript": "$",  # node-postgres
    "javascript": "$",
    "go": "$",  # pgx
    "rust": "$",  # sqlx
    "java": "?",  # JdbcTemplate
    "kotlin": "?",
    "csharp": "@",  # Dapper / Npgsql named parameters @p1
    "php": ":",  # Laravel's named bindings :p1 (PDO)
    "ruby": "$",  # exec_query binds on the PostgreSQL adapter
    "elixir": "$",  # Ecto.Adapters.SQL.query (Postgrex)
}
PSYCOPG_FRAMEWORKS = {"django", "flask"}


@dataclass
class Skeleton:
    service: str
    language: str  # key in knowledge [languages]
    framework: str  # label, e.g. "FastAPI"
    fence: str  # Markdown code-fence language
    filename: str  # path inside the service's folder, e.g. app/main.py
    code: str
    note: str = ""  # e.g. the framework asked for has no template


def literal(value: object, language: str) -> str:
    """A string literal that shows `value` as written: single-quoted in PHP (where double quotes
    interpolate `$`), double-quoted elsewhere, with Kotlin's `$` and Ruby's and Elixir's `#`
    (which start interpolation) escaped."""
    if language == "php":
        return "'" + one_line(value).replace("\\", "\\\\").replace("'", "\\'") + "'"
    text = one_line(value).replace("\\", "\\\\").replace('"', '\\"')
    if language == "kotlin":
        text = text.replace("$", "\\$")
    if language in ("ruby", "elixir"):
        text = text.replace("#", "\\#")
    return f'"{text}"'


def comment(value: object, limit: int = 100) -> str:
    """Text for a line comment: one line, no backslashes (Java reads \\u escapes even in comments)."""
    # "?>" would end PHP mode even inside a comment.
    return one_line(value, limit).replace("\\", "/").replace("?>", "? >")


def _placeholder(prof: Profile, n: int) -> str:
    if prof.framework in PSYCOPG_FRAMEWORKS:
        return "%s"
    style = PLACEHOLDERS[prof.language]
    return {"$": f"${n}", "?": "?", "@": f"@p{n}", ":": f":p{n}"}[style]


def _queries(design: Design, prof: Profile, table: sqlview.Table) -> dict[str, str]:
    """The five statements a resource needs, against the table schema.sql creates."""
    t = table.qualified
    key = sql_identifier(table.primary_key[0])
    cols = [c for c in table.columns if not c.default]
    col_list = ", ".join(sql_identifier(c.name) for c in cols) or key
    p1, p2 = _placeholder(prof, 1), _placeholder(prof, 2)
    populate = f"jsonb_populate_record(NULL::{t}, {p1}::jsonb)"
    return {
        "list": f"SELECT * FROM {t} ORDER BY {key} LIMIT {p1}",
        "item": f"SELECT * FROM {t} WHERE {key} = {p1}",
        "create": f"INSERT INTO {t} ({col_list}) SELECT {col_list} FROM {populate} RETURNING *",
        # The body ({p2}) comes before the id ({p1}) in the text: drivers with positional
        # placeholders (? and %s) bind in that order, so their templates pass (body, id).
        "update": f"UPDATE {t} AS cur SET ({col_list}) = (SELECT {col_list} FROM jsonb_populate_record(cur, {p2}::jsonb)) "
        f"WHERE cur.{key} = {p1} RETURNING *",
        "delete": f"DELETE FROM {t} WHERE {key} = {p1}",
    }


def _action(method: str, is_item: bool) -> str:
    if method == "GET":
        return "item" if is_item else "list"
    return {"POST": "create", "DELETE": "delete"}.get(method, "update")


PAST_TENSE = {"create": "created", "update": "updated", "delete": "deleted"}


def _event(published: list[str], entity_name: str, action: str) -> Optional[str]:
    """The topic a write announces: about its entity and action if one fits, else the first one."""
    if not published:
        return None
    about = [t for t in published if entity_name and t.startswith(entity_name)] or published
    return next((t for t in about if PAST_TENSE[action] in t), about[0])


def context(design: Design, service: Service, prof: Profile) -> dict:
    """Everything a skeleton template needs, already quoted for the service's language."""
    lang = prof.language
    q = lambda value: literal(value, lang)  # noqa: E731 - a short local alias keeps templates readable
    tables = {t.entity.name: t for t in sqlview.plan(design).tables}
    stores = datastores(design, service)
    cache = cache_for(design, service)
    broker = broker_for(design, service)
    cache_cfg = knowledge()["caching"]
    published = [t.name for t in topics(design) if service.name in t.producers]
    handlers: set[str] = {"health", "ready", "main", "app", "router", "db", "cache", "bus"}
    route_ctx = []
    for route in routes(service):
        ent = entity(design, route.entity)
        table = tables.get(ent.name) if ent else None
        action = _action(route.method, route.is_item)
        name = unique(handler_name(route), handlers)
        event = _event(published, ent.name if ent else "", action) if route.method != "GET" else None
        route_ctx.append(
            {
                "method": route.method,
                "verb": route.method.lower(),
                "path": q(route.render(prof.fw["params"])),
                "params": list(route.params),
                "param": route.params[-1] if route.params else None,
                "snake": name,
                "camel": camel(name),
                "pascal": pascal(name),
                "action": action,
                "summary": comment(route.summary or f"{route.method} {route.path}"),
                "entity": pascal(ent.name) if ent else None,
                "sql": q(_queries(design, prof, table)[action]) if table else None,
                # the same statement returning one JSON document per row (for drivers without row maps)
                "sql_json": q(f"WITH r AS ({_queries(design, prof, table)[action]}) SELECT to_jsonb(r) FROM r")
                if table and action != "delete" else None,
                "store": q(ent.name) if ent and not table else None,
                "cache_key": q(cache_prefix(route)) if (cache and ent and cache_prefix(route)) else None,
                "ttl": cache_cfg["list_ttl_seconds"] if action == "list" else cache_cfg["item_ttl_seconds"],
                "event": q(event) if event else None,
            }
        )
    consumers = []
    consumer_names: set[str] = set(handlers) | {r["snake"] for r in route_ctx}
    for topic in service.consumes:
        jobs = [j for j in design.jobs if j.trigger == topic]
        retries = max([j.retries for j in jobs], default=3)
        dlq = next((j.dead_letter for j in jobs if j.dead_letter), None) or f"{topic}.dlq"
        name = unique("handle_" + snake(topic, "event"), consumer_names)
        consumers.append(
            {"topic": q(topic), "topic_text": comment(topic), "snake": name, "camel": camel(name), "pascal": pascal(name), "retries": retries,
             "dead_letter": q(dlq), "jobs": comment(", ".join(j.name for j in jobs)) if jobs else ""}
        )
    primary = next((c for c in stores if c.kind in ("relational_db", "read_replica")), stores[0] if stores else None)
    by_path: dict[str, list[dict]] = {}
    for r in route_ctx:
        by_path.setdefault(r["path"], []).append(r)
    return {
        "by_path": by_path,
        "service": service.name,
        "service_lit": q(service.name),
        "class_name": pascal(service.name),
        "package": snake(service.name),
        "responsibility": comment(service.responsibility or f"{service.kind} service {service.name}", 160),
        "port": prof.lang["port"],
        "routes": route_ctx,
        "consumers": consumers,
        "db_env": q(f"{env_name(primary.name)}_URL") if primary else None,
        "db_name": comment(f"{primary.name} ({primary.technology or primary.kind})") if primary else "",
        "cache_env": q(f"{env_name(cache.name)}_URL") if cache else None,
        "cache_name": comment(f"{cache.name} ({cache.technology or cache.kind})") if cache else "",
        "broker_env": q(f"{env_name(broker.name)}_URL") if broker and (published or consumers) else None,
        "broker_name": comment(f"{broker.name} ({broker.technology or broker.kind})") if broker else "",
        "uses_events": bool(published or consumers),
    }


def skeleton(design: Design, service: Service) -> Optional[Skeleton]:
    """The skeleton of one service, or None when its language has no template."""
    prof = profile(service)
    if prof is None:
        return None
    code = templates(markdown=False).get_template(f"skeletons/{prof.fw['template']}").render(context(design, service, prof))
    note = ""
    if prof.substituted:
        note = f"no template for {one_line(prof.requested_framework)!r}: drawn with {prof.fw['label']}"
    filename = prof.fw["file"].replace("{class}", pascal(service.name)).replace("{snake}", snake(service.name))
    return Skeleton(service.name, prof.language, prof.fw["label"], prof.lang["fence"], filename, code, note)


def dockerfile(design: Design, language: str) -> str:
    """The Dockerfile for services written in `language` (a key of knowledge [languages])."""
    entry = knowledge()["languages"][language]
    return templates(markdown=False).get_template(f"dockerfiles/{entry['dockerfile']}").render(port=entry["port"])
