"""Plans the architecture from a Profile: style, infrastructure, services, edges and jobs.

The rules live in `knowledge/patterns.toml` (which traits and thresholds call for which
component kind, and the points for each style) and `knowledge/domains.toml` (bounded
contexts: which service owns them, their entities, endpoints and events). This module
only evaluates them and wires the result together so that the architecture review finds
nothing to object to: each store has one owner in a microservices design, clients reach
services only through the load balancer or gateway, every consumed topic has a job with
retries and a dead-letter topic, and no service calls another synchronously in a chain.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Optional

from .knowledge import load
from .traits import Profile, _sentence_at

# Short names used for components: one per kind in a monolith, `<service>-<short>` when owned.
SHORT = {
    "relational_db": "db", "document_db": "docs", "wide_column_db": "history", "key_value_store": "kv",
    "graph_db": "graph", "time_series_db": "tsdb", "cache": "cache", "message_broker": "broker",
    "object_storage": "object-store", "search_index": "search", "cdn": "cdn", "load_balancer": "lb",
    "api_gateway": "gateway", "analytics": "warehouse", "read_replica": "read-replica",
}
PROTOCOL = {
    "relational_db": "sql", "read_replica": "sql", "document_db": "tcp", "wide_column_db": "cql",
    "key_value_store": "redis", "cache": "redis", "time_series_db": "sql", "search_index": "https",
    "object_storage": "https", "analytics": "sql", "graph_db": "bolt", "message_broker": "amqp",
}
OWNED = {"relational_db", "document_db", "wide_column_db", "key_value_store", "graph_db", "time_series_db", "search_index"}


@dataclass
class Context:
    name: str
    spec: dict
    evidence: str


@dataclass
class PlannedService:
    name: str
    kind: str
    contexts: list[Context]
    workload: str
    api_style: str = "rest"
    public: bool = False
    stores: list[str] = field(default_factory=list)  # component names it uses
    publishes: list[str] = field(default_factory=list)
    consumes: list[str] = field(default_factory=list)
    instances: int = 1
    responsibility: str = ""


@dataclass
class Plan:
    style: str
    style_points: dict[str, list[tuple[int, str, str]]]
    kinds: dict[str, str]  # component kind -> reason
    contexts: list[Context]
    services: list[PlannedService] = field(default_factory=list)
    components: list[dict] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)
    jobs: list[dict] = field(default_factory=list)
    tiny: bool = False
    availability: float = 0.999


def _fits(rule: dict, profile: Profile, numbers: dict[str, float], style: Optional[str]) -> bool:
    if rule.get("any_traits") and not profile.has(*rule["any_traits"]):
        return False
    if rule.get("none_traits") and profile.has(*rule["none_traits"]):
        return False
    if rule.get("styles") and style not in rule["styles"]:
        return False
    for key, value in rule.items():
        if key.startswith("min_") and key != "min_instances" and numbers.get(key[4:], 0.0) < value:
            return False
        if key.startswith("max_") and numbers.get(key[4:], 0.0) > value:
            return False
    return True


def choose_style(profile: Profile) -> tuple[str, dict[str, list[tuple[int, str, str]]]]:
    """The style the weighted matrix prefers, and the points behind it (points, criterion, reason)."""
    numbers = profile.numbers()
    rules = load("patterns")["style"]
    points: dict[str, list[tuple[int, str, str]]] = {"modular_monolith": [], "microservices": []}
    for rule in rules["point"]:
        if profile.team is None and any(k in rule for k in ("min_team", "max_team")):
            continue
        if _fits(rule, profile, numbers, None):
            why = rule["why"].format(**{k: _human(v) for k, v in numbers.items()})
            points[rule["style"]].append((rule["points"], rule["criterion"], why))
    weights = rules["weights"]
    weighted = {k: sum(weights[c] * v for c, v in style_scores(points)[k].items()) for k in points}
    style = "microservices" if weighted["microservices"] > weighted["modular_monolith"] else "modular_monolith"
    return style, points


def style_scores(points: dict[str, list[tuple[int, str, str]]]) -> dict[str, dict[str, float]]:
    """Each style's 1-5 score per criterion: 1 plus the points it earned there, capped at 5."""
    criteria = load("patterns")["style"]["weights"]
    return {style: {c: float(min(5, 1 + sum(p for p, crit, _ in got if crit == c))) for c in criteria}
            for style, got in points.items()}


def _human(x: float) -> str:
    if x >= 1e6:
        return f"{x / 1e6:.3g} million"
    if x >= 1e4:
        return f"{x / 1e3:.3g}k"
    return f"{x:.3g}"


@cache
def _context_patterns() -> list[tuple[str, dict, re.Pattern]]:
    out = []
    for name, spec in load("domains")["context"].items():
        alternatives = "|".join(re.escape(k.lower()) for k in sorted(spec["keywords"], key=len, reverse=True))
        out.append((name, spec, re.compile(rf"(?<![a-z]){alternatives}")))
    return out


def find_contexts(profile: Profile) -> list[Context]:
    """The bounded contexts the text talks about, in knowledge-file order."""
    low = profile.text.lower()
    found = []
    for name, spec, pattern in _context_patterns():
        m = pattern.search(low)
        if m or spec.get("always"):
            found.append(Context(name, spec, _sentence_at(profile.text, m.start()) if m else "every system has users"))
    return found


def choose_kinds(profile: Profile, style: str, tiny: bool, instances: int) -> dict[str, str]:
    """Component kind -> why the design needs it."""
    numbers = profile.numbers()
    kinds: dict[str, str] = {}
    for rule in load("patterns")["component"]:
        if rule["kind"] in kinds:
            continue
        if rule.get("min_instances") and instances < rule["min_instances"] and style != "microservices":
            continue
        if _fits(rule, profile, numbers, style):
            evidence = next((profile.traits[t] for t in rule.get("any_traits", []) if t in profile.traits), "")
            kinds[rule["kind"]] = rule["reason"] + (f" (\"{evidence}\")" if evidence else "")
    if tiny:
        for heavy in ("message_broker", "wide_column_db", "read_replica", "api_gateway", "analytics"):
            kinds.pop(heavy, None)
    return kinds


def plan(profile: Profile) -> Plan:
    """The whole plan (see the module docstring)."""
    f = profile.figures
    style, points = choose_style(profile)
    tiny = f.peak_rps < 10 and f.storage_gb_total < 100 and (profile.team or 0) <= 5
    availability = profile.load.availability or (0.995 if tiny else 0.999)
    instances = max(2 if availability >= 0.999 else 1, math.ceil(f.peak_rps / 1500))
    kinds = choose_kinds(profile, style, tiny, instances)
    contexts = find_contexts(profile)
    p = Plan(style=style, style_points=points, kinds=kinds, contexts=contexts, tiny=tiny, availability=availability)
    _services(p, profile, instances)
    _components_and_edges(p, profile)
    _jobs(p, profile)
    return p


def _async_work(profile: Profile, contexts: list[Context]) -> bool:
    return profile.has("notifications", "media_processing", "webhooks", "ingestion", "fanout", "reports", "ml", "telemetry") or any(
        c.spec.get("kind") == "worker" for c in contexts
    )


def _services(p: Plan, profile: Profile, instances: int) -> None:
    api_contexts = [c for c in p.contexts if c.spec.get("kind", "api") == "api"]
    worker_contexts = [c for c in p.contexts if c.spec.get("kind") == "worker"]
    needs_worker = not p.tiny and _async_work(profile, p.contexts)
    if p.style == "modular_monolith":
        realtime = any(c.spec.get("api_style") == "websocket" for c in api_contexts)
        app = PlannedService("app", "api", api_contexts, "crud", public=True, instances=instances,
                             api_style="rest")
        app.responsibility = "One deployable with a module per bounded context: " + ", ".join(c.name for c in api_contexts) + (
            "; it also holds the websocket endpoint for live updates." if realtime else ".")
        p.services.append(app)
        if needs_worker:
            w = PlannedService("worker", "worker", worker_contexts, "worker")
            w.responsibility = "Background jobs off the request path: " + (", ".join(c.name for c in worker_contexts) or "async tasks") + "."
            p.services.append(w)
        elif worker_contexts:
            app.contexts = app.contexts + worker_contexts
    else:
        groups: dict[str, list[Context]] = {}
        for c in p.contexts:
            groups.setdefault(c.spec["service"], []).append(c)
        limit = max(4, min(9, (profile.team or 20) // 4))
        ranked = sorted(groups, key=lambda s: (-max(c.spec.get("priority", 1) for c in groups[s]), list(groups).index(s)))
        keep, merged = ranked[:limit], ranked[limit:]
        api_groups = [s for s in ranked if any(c.spec.get("kind", "api") == "api" for c in groups[s])]
        # Merged contexts go to the most important plain CRUD service, not to a hot-path one.
        primary = next((s for s in api_groups if groups[s][0].spec.get("workload", "crud") == "crud"), api_groups[0])
        for s in merged:
            target = primary if any(c.spec.get("kind", "api") == "api" for c in groups[s]) else next(
                (k for k in keep if all(c.spec.get("kind") == "worker" for c in groups[k])), primary)
            groups[target].extend(groups.pop(s))
        for s in keep:
            ctxs = groups[s]
            kind = "worker" if all(c.spec.get("kind") == "worker" for c in ctxs) else "api"
            workload = ctxs[0].spec.get("workload", "crud")
            style = next((c.spec["api_style"] for c in ctxs if c.spec.get("api_style")), "rest" if kind == "api" else "none")
            svc = PlannedService(s, kind, ctxs, workload, api_style=style, public=False,
                                 instances=instances if kind == "api" else max(2, instances // 2))
            svc.responsibility = f"Owns {', '.join(c.name for c in ctxs)}" + (" and runs that background work." if kind == "worker" else ".")
            p.services.append(svc)
        if needs_worker and not any(s.kind == "worker" for s in p.services):
            p.services.append(PlannedService("worker", "worker", [], "worker", responsibility="Background jobs off the request path.", instances=2))
    if profile.has("scheduled"):
        sch = PlannedService("scheduler", "scheduler", [], "worker", api_style="none")
        sch.responsibility = "Triggers time-based work (" + profile.traits["scheduled"][:80] + ")."
        p.services.append(sch)


def _component(p: Plan, profile: Profile, kind: str, name: str, purpose: str, **extra) -> str:
    if not any(c["name"] == name for c in p.components):
        p.components.append({"name": name, "kind": kind, "purpose": purpose, **extra})
    return name


def _edge(p: Plan, source: str, target: str, protocol: str = "http", mode: str = "sync", label: str = "") -> None:
    key = (source, target, mode, label)
    if source != target and not any((e["source"], e["target"], e["mode"], e["label"]) == key for e in p.edges):
        p.edges.append({"source": source, "target": target, "protocol": protocol, "mode": mode, "label": label})


def _components_and_edges(p: Plan, profile: Profile) -> None:
    kinds = p.kinds
    mono = p.style == "modular_monolith"
    services = p.services
    api_services = [s for s in services if s.kind == "api"]
    workers = [s for s in services if s.kind == "worker"]
    scheduler = next((s for s in services if s.kind == "scheduler"), None)

    # -- edge: clients, CDN, load balancer, gateway -------------------------------------
    entry = None
    if "load_balancer" in kinds:
        entry = _component(p, profile, "load_balancer", "lb", kinds["load_balancer"], public=True)
        _edge(p, "clients", entry, "https", label="API requests")
    if "api_gateway" in kinds:
        gw = _component(p, profile, "api_gateway", "gateway", kinds["api_gateway"], public=entry is None)
        if entry:
            _edge(p, entry, gw, "https")
        else:
            _edge(p, "clients", gw, "https", label="API requests")
        entry = gw
    for s in api_services:
        if entry:
            _edge(p, entry, s.name, "https" if s.api_style != "websocket" else "wss", label="routes" if entry == "gateway" else "")
        elif mono or len(api_services) == 1:
            s.public = True
            _edge(p, "clients", s.name, "https", label="API requests")
    if entry is None and len(api_services) > 1:
        # Several public services need one front door.
        kinds["api_gateway"] = "One edge for authentication and routing to several public services."
        gw = _component(p, profile, "api_gateway", "gateway", kinds["api_gateway"], public=True)
        _edge(p, "clients", gw, "https", label="API requests")
        for s in api_services:
            _edge(p, gw, s.name, "https", label="routes")

    # -- stores ----------------------------------------------------------------------------
    primary = api_services[0] if api_services else services[0]
    if mono:
        db = _component(p, profile, "relational_db", "main-db", kinds["relational_db"])
        for s in services:
            if s.kind != "scheduler":
                s.stores.append(db)
        shared_by_kind = {}
        for kind in ("key_value_store", "cache", "search_index", "time_series_db", "wide_column_db", "document_db", "graph_db", "object_storage", "analytics"):
            if kind in kinds:
                shared_by_kind[kind] = _component(p, profile, kind, SHORT[kind], kinds[kind])
        for kind, name in shared_by_kind.items():
            if kind not in ("object_storage", "analytics") or not workers:
                primary.stores.append(name)
        for w in workers:
            for kind in ("search_index", "object_storage", "analytics", "time_series_db", "wide_column_db"):
                if kind in shared_by_kind:
                    w.stores.append(shared_by_kind[kind])
        if "read_replica" in kinds:
            rr = _component(p, profile, "read_replica", "read-replica", kinds["read_replica"], replica_of=db)
            primary.stores.append(rr)
    else:
        shared = {}
        for kind in ("cache", "object_storage", "analytics"):
            if kind in kinds:
                shared[kind] = _component(p, profile, kind, SHORT[kind], kinds[kind])
        for s in services:
            if s.kind == "scheduler":
                continue
            wanted = []
            for c in s.contexts:
                k = c.spec.get("store", "relational_db")
                if k not in kinds:
                    k = "relational_db" if k in OWNED else None
                if k in ("object_storage", "analytics") and s.kind != "worker":
                    # API services sign file URLs locally and leave warehouse loads to workers.
                    k = None
                if k and k not in wanted:
                    wanted.append(k)
                if c.spec.get("entities") and "relational_db" not in wanted and k in (None, "object_storage", "analytics"):
                    wanted.append("relational_db")
                if c.spec.get("cached") and "cache" in shared and "cache" not in wanted:
                    wanted.append("cache")
            for k in wanted:
                if k in shared:
                    s.stores.append(shared[k])
                else:
                    s.stores.append(_component(p, profile, k, f"{s.name}-{SHORT[k]}", _owned_purpose(k, s, kinds)))
        _place(p, "search_index", kinds, ("catalog", "restaurants", "content", "messaging", "courses"), primary)
        _place(p, "wide_column_db", kinds, ("messaging", "trips", "location", "tracking"), primary)
        _place(p, "time_series_db", kinds, ("telemetry",), primary)
        _place(p, "key_value_store", kinds, ("location", "leaderboards", "realtime", "recommendations", "fraud", "payments"), primary)
        _place(p, "document_db", kinds, (), primary)
        _place(p, "graph_db", kinds, (), primary)
        for s in services:
            if s.kind == "scheduler":
                continue
            names = {c.name for c in s.contexts}
            if "object_storage" in shared and s.kind == "worker":
                s.stores.append(shared["object_storage"])
            # Interactive services query the warehouse only when the latency target allows it;
            # otherwise a worker loads it and reads come from precomputed results.
            slow_ok = (profile.load.latency_ms or 200) >= 1000 and bool(names & {"dashboards", "experiments"})
            if "analytics" in shared and (s.kind == "worker" or slow_ok):
                s.stores.append(shared["analytics"])
            elif "analytics" in shared and shared["analytics"] in s.stores:
                s.stores.remove(shared["analytics"])
        if "cache" in shared and not any(shared["cache"] in s.stores for s in services):
            primary.stores.append(shared["cache"])
        if "object_storage" in shared and not any(shared["object_storage"] in s.stores for s in services):
            (workers[0] if workers else primary).stores.append(shared["object_storage"])
        if "analytics" in shared and not any(shared["analytics"] in s.stores for s in services):
            (workers[0] if workers else primary).stores.append(shared["analytics"])
    store = next((c["name"] for c in p.components if c["kind"] == "object_storage"), None)
    if store and profile.has("media"):
        # Services sign short-lived URLs locally; the bytes go straight between clients and the store.
        _edge(p, "clients", store, "https", label="signed uploads and downloads")
    if "cdn" in kinds:
        cdn = _component(p, profile, "cdn", "cdn", kinds["cdn"], public=True)
        _edge(p, "clients", cdn, "https", label="media and static content")
        origin = next((c["name"] for c in p.components if c["kind"] == "object_storage"), None)
        _edge(p, cdn, origin or entry or primary.name, "https", label="origin")
    if mono:
        users: dict[str, int] = {}
        for s in services:
            for store in set(s.stores):
                users[store] = users.get(store, 0) + 1
        for c in p.components:
            if users.get(c["name"], 0) > 1:
                c["shared"] = True
                c["purpose"] += " Shared by the app and its worker: one codebase, one schema."
    for s in services:
        seen = []
        for store in s.stores:
            if store not in seen:
                seen.append(store)
                kind = next(c["kind"] for c in p.components if c["name"] == store)
                _edge(p, s.name, store, PROTOCOL.get(kind, "tcp"), label=_store_label(kind))
        s.stores = seen

    # -- events ----------------------------------------------------------------------------
    broker = _component(p, profile, "message_broker", "broker", kinds["message_broker"]) if "message_broker" in kinds else None
    topics_published: set[str] = set()
    for s in services:
        for c in s.contexts:
            for t in c.spec.get("publishes", []):
                if t not in s.publishes:
                    s.publishes.append(t)
    topics_published = {t for s in services for t in s.publishes}
    for s in services:
        for c in s.contexts:
            for t in c.spec.get("consumes", []):
                if t in topics_published and t not in s.publishes and t not in s.consumes:
                    s.consumes.append(t)
    if broker:
        if mono and workers:
            # The app's module events are handed to the worker through the broker.
            w = workers[0]
            for t in sorted({t for s in api_services for t in s.publishes})[:6]:
                if t not in w.consumes:
                    w.consumes.append(t)
        elif workers:
            consumed = {t for s in services for t in s.consumes}
            for w in workers:
                if not w.consumes:
                    w.consumes.extend(sorted(t for t in topics_published if t not in consumed)[:3] or sorted(topics_published)[:3])
        for s in services:
            for t in s.publishes:
                if any(t in o.consumes for o in services):
                    _edge(p, s.name, broker, "amqp", "async", label=t)
            for t in s.consumes:
                _edge(p, broker, s.name, "amqp", "async", label=t)
        # Topics nobody consumes are not worth publishing.
        consumed = {t for s in services for t in s.consumes}
        for s in services:
            s.publishes = [t for t in s.publishes if t in consumed]
    else:
        for s in services:
            s.publishes, s.consumes = [], []
        for w in workers:
            # Without a broker the worker takes its jobs from a table in the main database.
            if w.stores:
                continue
            w.stores.append(next(c["name"] for c in p.components if c["kind"] == "relational_db"))
            _edge(p, w.name, w.stores[0], "sql", label="job queue table")
    if scheduler:
        if broker:
            _edge(p, scheduler.name, broker, "amqp", "async", label="scheduled triggers")
            target = workers[0] if workers else None
            if target is not None:
                _edge(p, broker, target.name, "amqp", "async", label="scheduled triggers")
        elif workers:
            _edge(p, scheduler.name, workers[0].name, "http", "async", label="scheduled triggers")
        else:
            _edge(p, scheduler.name, primary.name, "http", "sync", label="scheduled triggers")
    for s in services:
        if s.kind == "worker" and not any(e["source"] == s.name or e["target"] == s.name for e in p.edges):
            db = next(c["name"] for c in p.components if c["kind"] == "relational_db")
            s.stores.append(db)
            _edge(p, s.name, db, "sql", label=_store_label("relational_db"))


def _owned_purpose(kind: str, s: PlannedService, kinds: dict[str, str]) -> str:
    base = kinds.get(kind, "").split(" (\"")[0] or {"relational_db": "Transactional records."}.get(kind, "")
    return f"Owned by {s.name}: {base[:1].lower() + base[1:]}" if base else f"Owned by {s.name}."


def _place(p: Plan, kind: str, kinds: dict[str, str], preferred: tuple[str, ...], fallback: PlannedService) -> None:
    """Give a kind the design needs to the service whose contexts want it most (one owner)."""
    if kind not in kinds or any(c["kind"] == kind for c in p.components):
        return
    owner = None
    for ctx in preferred:
        owner = next((s for s in p.services if any(c.name == ctx for c in s.contexts)), None)
        if owner:
            break
    owner = owner or fallback
    owner.stores.append(_component(p, None, kind, f"{owner.name}-{SHORT[kind]}", _owned_purpose(kind, owner, kinds)))


def _store_label(kind: str) -> str:
    return {
        "relational_db": "reads/writes", "read_replica": "reads", "cache": "cache-aside reads",
        "key_value_store": "hot keys", "search_index": "search queries", "object_storage": "files",
        "analytics": "reporting queries", "time_series_db": "measurements", "wide_column_db": "history",
        "document_db": "documents", "graph_db": "traversals",
    }.get(kind, "")


def _slug(text: str, limit: int = 40) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    s = s[:limit].strip("-")
    return s if s and s[0].isalpha() else f"job-{s}" if s else "job"


def _jobs(p: Plan, profile: Profile) -> None:
    for s in p.services:
        for t in s.consumes:
            name = _slug(f"{s.name}-{t.split('.')[-1]}")
            if not any(j["name"] == name for j in p.jobs):
                p.jobs.append({"name": name, "trigger": t, "service": s.name, "retries": 5,
                               "dead_letter": f"{t}.dlq", "description": f"{s.name} handles {t} events."})
    scheduler = next((s for s in p.services if s.kind == "scheduler"), None)
    if scheduler is None:
        return
    runner = next((s.name for s in p.services if s.kind == "worker"), next(s.name for s in p.services if s.kind == "api"))
    low = profile.text.lower()
    cancel = set(load("patterns")["traits"]["scheduled"]["not_followed"])
    for phrase, cron in load("patterns")["schedules"].items():
        for m in re.finditer(rf"(?<![a-z]){re.escape(phrase)}(?![a-z])", low):
            following = re.findall(r"[a-z]+", low[m.end(): m.end() + 60])
            if following and following[0] in cancel:
                continue
            words = [w for w in following if len(w) > 2 and w not in ("the", "and", "for", "are", "get", "with", "goes", "that", "its")][:2]
            name = _slug("-".join([phrase.replace(" ", "-")] + words), 48)
            if not any(j["name"] == name for j in p.jobs):
                p.jobs.append({"name": name, "trigger": f"cron: {cron}", "service": runner, "retries": 3,
                               "dead_letter": f"jobs.{name}.dlq",
                               "description": _sentence_at(profile.text, m.start())})
            break
