"""How the exported artifacts read a Design: runtimes, neighbours, topics, paths and names.

`sql`, `openapi`, `compose`, `skeletons` and `document` all need the same answers (which
framework draws a service, which datastores it talks to, what a field type becomes, how a
free-text path or name turns into something a tool accepts), so they ask this module.
The facts themselves live in `knowledge/artifacts.toml`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

import jinja2

from ..design import Component, Design, Entity, Service
from ..knowledge import load

TEMPLATES = Path(__file__).resolve().parent / "templates"

BROKER_KINDS = frozenset({"message_broker"})
CACHE_KINDS = frozenset({"cache", "key_value_store"})
EDGE_KINDS = frozenset({"cdn", "load_balancer", "api_gateway"})
RELATIONAL_KINDS = frozenset({"relational_db", "read_replica"})
# A trigger is a schedule when it looks like a cron line, a cron macro or "every ...".
_CRON = re.compile(r"^(@\w+|every\b.*|(\S+\s+){4,5}\S+|rate\(.*\)|cron\(.*\))$", re.IGNORECASE)
_CRON_FIELD = re.compile(r"^[\d*/,\-?LW#A-Za-z]+$")


def knowledge() -> dict:
    """The parsed artifacts.toml."""
    return load("artifacts")


@lru_cache(maxsize=2)
def templates(markdown: bool) -> jinja2.Environment:
    """Jinja for code (markdown=False) or for Markdown (design strings through the `md` filters).

    Neither output is HTML, so autoescape stays off: code gets only literals built by
    `skeletons.literal`, Markdown gets every design string through `escape.markdown`.
    """
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    if markdown:
        from .escape import markdown as md, markdown_cell, yaml_scalar

        env.filters.update(md=md, cell=markdown_cell, yaml=yaml_scalar)
    return env


def norm(text: object) -> str:
    """A lookup key: lower case, only letters, digits, '#' and '+'."""
    return re.sub(r"[^a-z0-9#+]", "", str(text or "").lower())


# -- languages and frameworks ---------------------------------------------------------------
@dataclass(frozen=True)
class Profile:
    """The language and framework template that draw one service."""

    language: str  # key in [languages]
    framework: str  # key in [frameworks]
    requested_framework: str  # what the design asked for (may differ when there is no template)

    @property
    def lang(self) -> dict:
        return knowledge()["languages"][self.language]

    @property
    def fw(self) -> dict:
        return knowledge()["frameworks"][self.framework]

    @property
    def substituted(self) -> bool:
        """True when the design asked for a framework this kit has no template for."""
        requested = norm(self.requested_framework)
        same = {norm(name) for name in (self.framework, self.fw["label"], *self.fw.get("aliases", []))}
        return bool(requested) and requested not in same


def language_key(language: str) -> Optional[str]:
    """The [languages] key for a language as a design writes it ("Go", "golang", "TypeScript (Node 20)")."""
    keys = {}
    for name, entry in knowledge()["languages"].items():
        for alias in [name, *entry.get("aliases", [])]:
            keys.setdefault(norm(alias), name)
    whole = norm(language)
    if whole in keys:
        return keys[whole]
    # Otherwise the first word that names a language: "Java 21 (Spring Boot)" -> java.
    for word in re.split(r"[\s,;/()]+", str(language or "")):
        if norm(word) in keys:
            return keys[norm(word)]
    return None


@lru_cache(maxsize=None)
def _framework_index(language: str) -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for name, entry in knowledge()["frameworks"].items():
        if entry["language"] != language:
            continue
        for alias in [name, entry["label"], *entry.get("aliases", []), *entry.get("similar", [])]:
            index.setdefault(norm(alias), []).append(name)
    return {k: tuple(v) for k, v in index.items()}


def profile(service: Service) -> Optional[Profile]:
    """The template profile for a service, or None when its language has no template."""
    language = language_key(service.language)
    if language is None:
        return None
    index = _framework_index(language)
    matches = index.get(norm(service.framework))
    if not matches and not norm(service.framework):  # "Kotlin (Spring Boot)": the framework in the language
        inside = norm(service.language)
        matches = next((names for alias, names in index.items() if len(alias) > 2 and alias in inside), None)
    framework = matches[0] if matches else knowledge()["languages"][language]["default_framework"]
    return Profile(language, framework, service.framework)


def languages_used(design: Design) -> list[str]:
    """Language keys of the design's services, in order of first use."""
    seen: list[str] = []
    for service in design.services:
        key = language_key(service.language)
        if key and key not in seen:
            seen.append(key)
    return seen


# -- topology --------------------------------------------------------------------------------
def neighbours(design: Design, service: Service) -> list[Component]:
    """Components a service talks to (edges either way, and the stores of its entities)."""
    names = set()
    for edge in design.edges:
        if edge.source == service.name:
            names.add(edge.target)
        elif edge.target == service.name:
            names.add(edge.source)
    names |= {e.store for e in design.entities if e.owner == service.name and e.store}
    return [c for c in design.components if c.name in names]


def of_kinds(components: list[Component], kinds) -> list[Component]:
    return [c for c in components if c.kind in kinds]


def datastores(design: Design, service: Service) -> list[Component]:
    """Datastores a service reads or writes, caches excluded."""
    from ..design import DATASTORE_KINDS

    return of_kinds(neighbours(design, service), DATASTORE_KINDS - CACHE_KINDS - {"cdn"})


def entity(design: Design, name: Optional[str]) -> Optional[Entity]:
    for ent in design.entities:
        if ent.name == name:
            return ent
    return None


def is_schedule(trigger: str) -> bool:
    """True when a job trigger is a time schedule rather than a topic ("cron: 0 2 * * *", "@daily")."""
    text = " ".join(str(trigger).split())
    text = re.sub(r"^(cron|schedule|at)\s*:\s*", "", text, flags=re.IGNORECASE)
    if not _CRON.match(text):
        return False
    if text.startswith("@") or text.lower().startswith(("every", "rate(", "cron(")):
        return True
    return all(_CRON_FIELD.match(part) for part in text.split())


@dataclass
class Topic:
    name: str
    producers: list[str]
    consumers: list[str]
    jobs: list[str]


def topics(design: Design) -> list[Topic]:
    """Every topic: published or consumed by a service, or triggering a job, in design order."""
    found: dict[str, Topic] = {}

    def get(name: str) -> Topic:
        return found.setdefault(name, Topic(name, [], [], []))

    for service in design.services:
        for name in service.publishes:
            get(name).producers.append(service.name)
        for name in service.consumes:
            get(name).consumers.append(service.name)
    for job in design.jobs:
        if not is_schedule(job.trigger):
            get(job.trigger).jobs.append(job.name)
    return list(found.values())


def broker_for(design: Design, service: Optional[Service] = None) -> Optional[Component]:
    """The message broker a service uses (the design's first broker when not wired by an edge)."""
    brokers = [c for c in design.components if c.kind in BROKER_KINDS]
    if service is not None:
        near = of_kinds(neighbours(design, service), BROKER_KINDS)
        if near:
            return near[0]
    return brokers[0] if brokers else None


def cache_for(design: Design, service: Service) -> Optional[Component]:
    near = of_kinds(neighbours(design, service), {"cache"}) or of_kinds(neighbours(design, service), CACHE_KINDS)
    return near[0] if near else None


# -- images for components -------------------------------------------------------------------
def container(component: Component, design: Optional[Design] = None) -> dict:
    """The image entry (knowledge [[images]]) that runs a component locally; {} if none fits."""
    tech = norm(component.technology)
    if component.kind == "read_replica" and design is not None and component.replica_of:
        try:
            tech = tech or norm(design.component(component.replica_of).technology)
        except KeyError:
            pass
    entries = knowledge()["images"]
    if tech:
        for entry in entries:
            if any(norm(k) in tech for k in entry["keywords"]):
                return entry
    fallback = knowledge()["kind_default"].get(component.kind)
    for entry in entries:
        if fallback in entry["keywords"]:
            return entry
    return {}


def env_name(name: str) -> str:
    """An environment variable name from a design name: ORDERS_DB."""
    return re.sub(r"[^A-Z0-9]+", "_", name.upper()).strip("_") or "X"


# -- field types -------------------------------------------------------------------------------
_PARAM_TYPE = re.compile(
    r"^(varchar|character varying|char|character|numeric|decimal)\s*\(\s*(\d{1,4})\s*(?:,\s*(\d{1,4})\s*)?\)$"
)
_ARRAY_TYPE = re.compile(r"^(?:.*\[\]|(?:list|array|set)\s*[<\[(].*[>\])])$")


def field_type(type_text: str) -> dict:
    """{'sql', 'json', 'format'?} for a field type written in any common notation."""
    text = " ".join(str(type_text or "").lower().split())
    match = _PARAM_TYPE.match(text)
    if match:
        base, size, scale = match.group(1), int(match.group(2)), match.group(3)
        if base in ("varchar", "character varying", "char", "character") and 1 <= size <= 10485760:
            return {"sql": f"varchar({size})", "json": "string", "maxLength": size}
        if base in ("numeric", "decimal") and 1 <= size <= 1000 and (scale is None or int(scale) <= size):
            sql = f"numeric({size},{scale})" if scale is not None else f"numeric({size})"
            return {"sql": sql, "json": "string", "format": "decimal"}
    if _ARRAY_TYPE.match(text):
        return {"sql": "jsonb", "json": "array"}
    key = norm(text)
    types = knowledge()["types"]
    if key in types:
        return dict(types[key])
    for word in sorted(types, key=len, reverse=True):  # "created timestamp" → timestamp
        if len(word) > 3 and word in key:
            return dict(types[word])
    return dict(types["text"])


# -- names in code and files ------------------------------------------------------------------
def words(text: object) -> list[str]:
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", ascii_text)
    return [w.lower() for w in re.split(r"[^A-Za-z0-9]+", spaced) if w]


def snake(text: object, default: str = "item") -> str:
    name = "_".join(words(text)) or default
    return name if name[0].isalpha() else f"{default}_{name}"


def camel(text: object, default: str = "item") -> str:
    parts = snake(text, default).split("_")
    return parts[0] + "".join(p.capitalize() for p in parts[1:])


def pascal(text: object, default: str = "item") -> str:
    return "".join(p.capitalize() for p in snake(text, default).split("_"))


def file_slug(text: object, default: str = "item", limit: int = 60) -> str:
    """A safe file-name part: lowercase ASCII letters, digits and '-', never empty or '..'."""
    slug = "-".join(words(text))[:limit].strip("-")
    return slug or default


def unique(name: str, taken: set[str], limit: int = 0) -> str:
    """`name`, or `name_2`, `name_3`... when taken; records the result in `taken`."""
    base = name[:limit] if limit else name
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        suffix = f"_{n}"
        candidate = (base[: limit - len(suffix)] if limit else base) + suffix
    taken.add(candidate)
    return candidate


# -- HTTP paths ------------------------------------------------------------------------------
_PARAM = re.compile(r"^(?:\{([^{}]*)\}|:(\w+)|<(?:\w+:)?(\w+)>)$")
_PATH_CHARS = re.compile(r"[^A-Za-z0-9\-._~]")


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # OpenAPI style, /orders/{order_id}
    params: tuple[str, ...]
    summary: str
    entity: Optional[str]

    def render(self, style: str) -> str:
        """The path in a framework's syntax: braces {id}, colon :id, angle <id>, django <str:id>."""
        out = []
        for segment in self.path.strip("/").split("/"):
            match = re.fullmatch(r"\{(\w+)\}", segment)
            if not match:
                out.append(segment)
            elif style == "colon":
                out.append(":" + match.group(1))
            elif style == "angle":
                out.append(f"<{match.group(1)}>")
            elif style == "django":
                out.append(f"<str:{match.group(1)}>")
            else:
                out.append(segment)
        joined = "/".join(out)
        if style == "django":
            return joined + "/" if joined else ""
        return "/" + joined

    @property
    def is_item(self) -> bool:
        """True when the path ends in a parameter (one resource, not a collection)."""
        return bool(self.params) and self.path.rstrip("/").endswith("}")


def clean_path(path: str) -> tuple[str, tuple[str, ...]]:
    """A path every tool accepts: no query, safe characters, {snake_case} parameters."""
    raw = str(path).split("?", 1)[0].split("#", 1)[0]
    segments, params = [], []
    for segment in raw.split("/"):
        if not segment:
            continue
        match = _PARAM.match(segment)
        if match:
            name = snake(next(g for g in match.groups() if g is not None) or "id", "param")
            if name in KEYWORDS:
                name += "_param"
            name = unique(name, set(params))
            params.append(name)
            segments.append("{" + name + "}")
        else:
            safe = _PATH_CHARS.sub("-", segment.replace("{", "").replace("}", "")).strip("-")
            if safe and safe not in (".", ".."):
                segments.append(safe)
    return "/" + "/".join(segments), tuple(params)


# Names a path parameter may not take, since it becomes an argument in every skeleton: the
# languages' keywords and the local names the skeleton templates use.
KEYWORDS = frozenset(
    "abstract and as assert async await base bool boolean break byte case catch char checked class const "
    "continue crate data debugger decimal def default del delegate do double dyn elif else enum event "
    "explicit export extends extern false final finally fixed float fn for foreach from func fun global go "
    "goto if impl implements import in instanceof int interface internal is lambda let lock long loop map "
    "match mod move mut namespace native new nil none nonlocal not null object operator or out override "
    "package params pass private protected pub public raise range readonly ref return sbyte sealed select "
    "self short sizeof static str string struct super switch synchronized this throw throws trait transient "
    "true try type typeof uint ulong unchecked unsafe use ushort using val var virtual void volatile when "
    "where while with yield "
    "app body builder bus c cache cached cancel e events it jdbc page redis state checks client conn ctx db encoded err event express http json key "
    "limit main opts os payload pool port r req reply request res response result router row rows s server "
    "service status w".split()
)


def routes(service: Service) -> list[Route]:
    """A service's endpoints with clean paths, one per method and path."""
    seen: set[tuple[str, str]] = set()
    out = []
    for endpoint in service.endpoints:
        path, params = clean_path(endpoint.path)
        if (endpoint.method, path) in seen or path in ("/health", "/ready", "/metrics"):
            continue
        seen.add((endpoint.method, path))
        out.append(Route(endpoint.method, path, params, endpoint.summary, endpoint.entity))
    return out


def cache_prefix(route: Route) -> Optional[str]:
    """The cache key a route reads or clears, before its runtime part (item id or page size).

    Items are `entity:<id>`, so any write to the item clears the key its readers use; a
    top-level collection is `entity:list:<path>:<limit>`; a nested collection (its path has
    parameters) is not cached, since its key would have to carry them.
    """
    if not route.entity or (route.method == "GET" and not route.is_item and route.params):
        return None
    if route.method == "GET" and not route.is_item:
        return f"{route.entity}:list:{route.path}:"
    return f"{route.entity}:" if route.params else None


def handler_name(route: Route) -> str:
    """A snake_case handler name for a route, e.g. get_orders_by_order_id."""
    parts = [route.method.lower()]
    for segment in route.path.strip("/").split("/"):
        match = re.fullmatch(r"\{(\w+)\}", segment)
        parts.append(f"by_{match.group(1)}" if match else snake(segment, "root"))
    if len(parts) == 1:
        parts.append("root")
    return "_".join(parts)
