"""Change requests the offline designer understands, applied to a copy of a design.

Structural changes:

    add a <name> service                        a new API service with its own store
    remove the <name> service                   drops it; its entities move to the main API service
    remove the cache / drop the message broker  drops components (by kind, name or technology)
    use <language> for <service> / switch <service> to <language>
    use <technology> instead of <technology> / switch|replace <technology or kind> with|to <technology>

Facts about the requirements ("the team is only two people", "there is no full-text
search", "we host on our own servers", "peak is 5,000 requests a second") are read by the
offline reader and set, like front matter, on the design's Brief; the design is then
planned again from its requirements with every fact set so far.

A request may hold several changes, one per line or sentence; facts are applied first,
then the structural changes in order. Each change is recorded as a Decision (and, where
it drops something, an assumption); anything else raises InputError naming what is understood.
"""

from __future__ import annotations

import re

from ...brief import setting_key, users_key
from ...design import Component, Decision, Design, Edge, Option, Service
from ...errors import InputError
from .data_model import crud_endpoints
from ...knowledge import load

UNDERSTOOD = ("the offline designer understands, one per line or sentence: 'add a <name> service', "
              "'remove the <name> service', 'remove the cache', 'use <language> for <service>', "
              "'switch <service> to <language>', 'use <technology> instead of <technology>', "
              "'switch|replace <technology> with|to <technology>', and facts such as 'the team is two people', "
              "'there is no full-text search', 'we host on our own servers', 'peak is 5,000 requests a second'")
_PIECES = re.compile(r"\n+|(?<=[.!?;])\s+(?=[A-Za-z])")
_ADD = re.compile(r"^\s*(?:please\s+)?add\s+(?:a|an|one)?\s*(?:new\s+)?([a-z][a-z0-9 _-]{0,40}?)\s+(service|worker)\b", re.IGNORECASE)
_REMOVE = re.compile(r"^\s*(?:please\s+)?(?:remove|drop|delete)\s+(?:the\s+|our\s+|a\s+)?([a-z][a-z0-9 _-]{0,40}?)(?:\s+service)?\s*[.!]?\s*$", re.IGNORECASE)
_INSTEAD = re.compile(r"^\s*(?:please\s+)?use\s+(.+?)\s+instead\s+of\s+(?:the\s+)?(.+?)\s*[.!]?\s*$", re.IGNORECASE)
_SWITCH = re.compile(r"^\s*(?:please\s+)?(?:switch|replace|change|move|migrate|rewrite|port)\s+(?:the\s+)?(.+?)\s+(?:to|with|into|in|onto)\s+(.+?)\s*[.!]?\s*$", re.IGNORECASE)
_USE_FOR = re.compile(r"^\s*(?:please\s+)?(?:use|write)\s+(.+?)\s+for\s+(?:the\s+)?(.+?)(?:\s+service)?\s*[.!]?\s*$", re.IGNORECASE)
KIND_WORDS = {
    "broker": "message_broker", "queue": "message_broker", "message broker": "message_broker", "database": "relational_db",
    "db": "relational_db", "relational database": "relational_db", "cache": "cache", "search": "search_index",
    "search index": "search_index", "object storage": "object_storage", "storage": "object_storage", "cdn": "cdn",
    "warehouse": "analytics", "analytics": "analytics", "key value store": "key_value_store", "kv": "key_value_store",
    "gateway": "api_gateway", "api gateway": "api_gateway", "load balancer": "load_balancer",
}


def _slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s if s and s[0].isalpha() else f"svc-{s}" if s else "svc"


def _language(word: str):
    """(key, spec) of a language named `word`, or None."""
    low = word.strip().lower()
    for key, spec in load("languages")["language"].items():
        names = {key, spec["label"].lower(), *[a.lower() for a in spec.get("aliases", [])], *[a.lower() for a in spec.get("exact", [])]}
        if low in names:
            return key, spec
    return None


def _technology(word: str) -> str:
    """The proper label of a technology the knowledge files know, else the words as written."""
    low = word.strip().lower()
    for key, spec in load("databases")["store"].items():
        if low in (key, spec["label"].lower(), key.replace("_", " ")) or low == spec["label"].lower().split(" (")[0]:
            return spec["label"]
    return word.strip()


def _service(design: Design, word: str) -> Service | None:
    slug = _slug(re.sub(r"\bservice\b", "", word, flags=re.IGNORECASE))
    return next((s for s in design.services if s.name == slug or s.name == word.strip().lower()), None)


def _components_matching(design: Design, word: str) -> list[Component]:
    low = re.sub(r"^(the|our|a|an)\s+", "", word.strip().lower())
    kind = KIND_WORDS.get(low)
    return [c for c in design.components
            if c.name == low or (kind and c.kind == kind) or (low and low in c.technology.lower())]


def _decision(title: str, topic: str, subject: str, before: str, after: str, request: str) -> Decision:
    return Decision(title=title, topic=topic, subject=subject, context=f"Change request: {request.strip()}",
                    drivers=["requested by the user"], options=[Option(name=after), Option(name=before)],
                    chosen=after, consequences=[f"{subject}: {before} -> {after}."])


def pieces(request: str) -> list[str]:
    """The separate changes of a request: one per line or sentence."""
    return [p.strip() for p in _PIECES.split(request) if p and p.strip(" .;!?\t")]


def stated_facts(sentence: str) -> dict:
    """The facts a sentence about the requirements states, as front-matter keys (empty when none)."""
    from .reader import read_brief

    brief = read_brief(sentence)
    out: dict = {}
    for c in brief.constraints:
        key = setting_key(c.name, aliases=False)
        if c.status == "stated" and key and not (c.name == "hosting" and c.value == "unstated"):
            out[key] = c.value
    needs = {n.name: n.value for n in brief.needs if n.status == "stated"}
    if needs:
        out["needs"] = needs
    for a in brief.actors:
        if a.role == "end_user" and a.count and a.status == "stated":
            out[users_key(a.count_kind)] = a.count
    for w in brief.workloads:
        if w.status != "stated" or w.actor:
            continue
        if w.peak_rule == "stated" and w.op == "mixed":
            out["peak_rps"] = w.peak_per_s
        elif w.op in ("read", "write"):
            out[f"{w.op}s_per_second"] = w.avg_per_s
    return out


def apply(design: Design, request: str, redesign=None) -> Design:
    """A new Design (same name) with every change of the request applied.

    `redesign(requirements, name, facts)` plans the design again when the request sets facts."""
    structural, facts = [], {}
    for piece in pieces(request):
        if _structural(piece):
            structural.append(piece)
            continue
        found = stated_facts(piece)
        if not found:
            raise InputError(f"cannot apply {piece[:80]!r}: {UNDERSTOOD}")
        for key, value in found.items():
            facts[key] = {**facts.get(key, {}), **value} if key == "needs" else value
    if not structural and not facts:
        raise InputError(f"the change request is empty: {UNDERSTOOD}")
    new = design
    if facts:
        given = dict(design.brief.given)
        for key, value in facts.items():
            given[key] = {**given.get(key, {}), **value} if key == "needs" else value
        new = redesign(design.requirements, design.name, given)
        said = ", ".join(f"{k}: {v}" for k, v in facts.items())
        new = new.model_copy(update={"assumptions": [*new.assumptions, f"Planned again from the requirements with the facts you set ({said})."]})
    for piece in structural:
        new = _one(new, piece)
    return new


def _structural(text: str) -> bool:
    return any(p.match(text) for p in (_ADD, _INSTEAD, _USE_FOR, _SWITCH, _REMOVE))


def _one(design: Design, request: str) -> Design:
    """A new Design (same name) with one structural change applied."""
    new = design.model_copy(deep=True)
    text = request.strip()
    m = _ADD.match(text)
    if m:
        return _add(new, _slug(m.group(1)), m.group(2).lower() == "worker", text)
    m = _INSTEAD.match(text)
    if m:
        return _switch(new, m.group(2), m.group(1), text)
    m = _USE_FOR.match(text)
    if m and _language(m.group(1)) and _service(new, m.group(2)):
        return _relanguage(new, _service(new, m.group(2)), m.group(1), text)
    m = _SWITCH.match(text)
    if m:
        target, to = m.group(1), m.group(2)
        svc = _service(new, target)
        if svc is not None and _language(to):
            return _relanguage(new, svc, to, text)
        return _switch(new, target, to, text)
    m = _REMOVE.match(text)
    if m:
        if _service(new, m.group(1)) is None and _components_matching(new, m.group(1)):
            return _remove_components(new, m.group(1), text)
        return _remove(new, m.group(1), text)
    raise InputError(f"cannot apply {text[:80]!r}: {UNDERSTOOD}")


def _validated(design: Design) -> Design:
    return Design.model_validate(design.model_dump())


def _add(design: Design, name: str, worker: bool, request: str) -> Design:
    taken = {s.name for s in design.services} | {c.name for c in design.components}
    if name in taken:
        raise InputError(f"the design already has a part named {name!r}")
    main = next((s for s in design.services if s.kind == "api"), None)
    language = main.language if main else "Python"
    framework = main.framework if main else ""
    entity = name.replace("-", "_")
    svc = Service(name=name, kind="worker" if worker else "api", responsibility=f"Owns {name.replace('-', ' ')} (added on request).",
                  language=language, framework=framework, api_style="none" if worker else "rest", context=name,
                  instances=2 if not worker else 1, endpoints=[] if worker else crud_endpoints(entity))
    design.services.append(svc)
    if not worker:
        entry = _gateway(design)
        design.edges.append(Edge(source=entry, target=name, protocol="https", label="routes"))
    relational = [c for c in design.components if c.kind == "relational_db"]
    if design.style == "microservices" or not relational:
        db = Component(name=f"{name}-db", kind="relational_db", technology=relational[0].technology if relational else "PostgreSQL",
                       purpose=f"Owned by {name}.")
        design.components.append(db)
    else:
        db = relational[0]
        db.shared = True
    design.edges.append(Edge(source=name, target=db.name, protocol="sql", label="reads/writes"))
    from ...design import Entity, EntityField

    if not worker and entity not in {e.name for e in design.entities}:
        design.entities.append(Entity(name=entity, owner=name, store=db.name, fields=[
            EntityField(name="id", type="uuid", primary_key=True), EntityField(name="created_at", type="timestamptz")]))
    design.decisions.append(_decision(f"Add the {name} service", "other", name, "absent", f"{svc.kind} service in {language}", request))
    return _validated(design)


def _gateway(design: Design) -> str:
    """The API gateway clients reach the services through, added when the design has none.

    A second public service needs one front door that authenticates and routes.
    """
    found = next((c.name for c in design.components if c.kind == "api_gateway"), None)
    if found:
        return found
    techs = " ".join(c.technology for c in design.components)
    cloud = "aws" if ("Amazon" in techs or "AWS" in techs) else "gcp" if ("Google" in techs or "Cloud SQL" in techs) else "azure" if "Azure" in techs else None
    edge = load("databases")["edge"]["api_gateway"]
    name = "gateway" if "gateway" not in {c.name for c in design.components} | {s.name for s in design.services} else "api-gateway"
    design.components.append(Component(name=name, kind="api_gateway", technology=edge["cloud"].get(cloud, edge["default"]),
                                       purpose="One edge for authentication, rate limits and routing to several public services."))
    fronts = [c.name for c in design.components if c.kind == "load_balancer"]
    api = {s.name for s in design.services if s.kind == "api"}
    design.edges = [e for e in design.edges if not (e.target in api and (e.source in fronts or e.source == "clients"))]
    design.edges.append(Edge(source=fronts[0] if fronts else "clients", target=name, protocol="https", label="API requests"))
    for s in design.services:
        s.public = False
        if s.kind == "api":
            design.edges.append(Edge(source=name, target=s.name, protocol="https", label="routes"))
    design.assumptions.append("A second public service was added, so an API gateway now fronts the services.")
    return name


def _remove(design: Design, word: str, request: str) -> Design:
    svc = _service(design, word)
    if svc is None:
        raise InputError(f"no service or component named {word.strip()!r}; services: {', '.join(s.name for s in design.services)}; "
                         f"components: {', '.join(c.name for c in design.components) or 'none'}")
    if svc.kind == "api" and not any(s.kind == "api" and s.name != svc.name for s in design.services):
        raise InputError(f"{svc.name!r} is the only API service; add another one before removing it")
    heir = next((s for s in design.services if s.kind == "api" and s.name != svc.name), None) or next(
        s for s in design.services if s.name != svc.name)
    design.services = [s for s in design.services if s.name != svc.name]
    still_used = {e.target for e in design.edges if e.source != svc.name} | {e.source for e in design.edges if e.target != svc.name}
    orphans = {c.name for c in design.components
               if c.kind not in ("load_balancer", "api_gateway", "cdn", "message_broker") and c.name not in still_used}
    design.edges = [e for e in design.edges if svc.name not in (e.source, e.target) and not ({e.source, e.target} & orphans)]
    design.components = [c for c in design.components if c.name not in orphans]
    fallback_store = next((c.name for c in design.components if c.kind == "relational_db"), None)
    for e in design.entities:
        if e.owner == svc.name:
            e.owner = heir.name
        if e.store in orphans:
            e.store = fallback_store
            if fallback_store and not any(x.source == heir.name and x.target == fallback_store for x in design.edges):
                design.edges.append(Edge(source=heir.name, target=fallback_store, protocol="sql", label="reads/writes"))
    design.jobs = [j for j in design.jobs if j.service != svc.name]
    published = {t for s in design.services for t in s.publishes}
    for s in design.services:
        s.consumes = [t for t in s.consumes if t in published]
    design.jobs = [j for j in design.jobs if j.trigger.startswith("cron") or j.trigger in published]
    design.edges = [e for e in design.edges if not (e.mode == "async" and e.label in (set(svc.publishes) - published))]
    design.decisions.append(_decision(f"Remove the {svc.name} service", "other", svc.name, "present", "removed", request))
    design.assumptions.append(f"{svc.name} was removed on request; its entities now belong to {heir.name}.")
    return _validated(design)


def _remove_components(design: Design, word: str, request: str) -> Design:
    """Drop the components `word` names, with their edges; events they carried become direct calls."""
    gone = {c.name for c in _components_matching(design, word)}
    brokers = {c.name for c in design.components if c.name in gone and c.kind == "message_broker"}
    design.components = [c for c in design.components if c.name not in gone]
    design.edges = [e for e in design.edges if not ({e.source, e.target} & gone)]
    for c in design.components:
        if c.replica_of in gone:
            c.replica_of = None
    for e in design.entities:
        if e.store in gone:
            e.store = next((c.name for c in design.components if c.kind == "relational_db"), None)
    if brokers and not any(c.kind == "message_broker" for c in design.components):
        topics = {t for s in design.services for t in s.publishes}
        for s in design.services:
            s.publishes, s.consumes = [], []
        design.edges = [e for e in design.edges if not (e.mode == "async" and e.label in topics)]
        design.jobs = [j for j in design.jobs if j.trigger not in topics]
        design.assumptions.append("Without a message broker, work that followed events now runs inside the request or on a schedule.")
    names = ", ".join(sorted(gone))
    design.decisions.append(_decision(f"Remove {names}", "other", names, "present", "removed", request))
    design.assumptions.append(f"{names} removed on request.")
    return _validated(design)


def _relanguage(design: Design, svc: Service, word: str, request: str) -> Design:
    key, spec = _language(word)
    before = svc.language
    svc.language = spec["label"]
    workload = "worker" if svc.kind in ("worker", "scheduler") else "crud"
    svc.framework = spec["frameworks"][workload]
    for d in design.decisions:
        if d.topic == "language" and d.subject == svc.name and d.status == "accepted":
            d.status = "superseded"
    design.decisions.append(_decision(f"Language for {svc.name}", "language", svc.name, before, spec["label"], request))
    return _validated(design)


def _switch(design: Design, target: str, to: str, request: str) -> Design:
    matches = _components_matching(design, target)
    if not matches:
        raise InputError(f"no component matches {target.strip()!r}; components: {', '.join(c.name + ' (' + c.technology + ')' for c in design.components)}")
    label = _technology(to)
    for c in matches:
        before = c.technology
        c.technology = label
        for d in design.decisions:
            if d.subject == c.name and d.status == "accepted" and d.topic in ("database", "broker"):
                d.status = "superseded"
        topic = "broker" if c.kind == "message_broker" else "database"
        design.decisions.append(_decision(f"Technology for {c.name}", topic, c.name, before, label, request))
    return _validated(design)
