"""Connects a plan: components with their owners, edges from clients to stores, and events.

The wiring keeps the architecture review quiet by construction: in a microservices
design each owned store has exactly one service, clients reach services only through the
load balancer, gateway or CDN (object storage only through signed URLs), services talk to
each other through the broker rather than by synchronous calls, and every consumed topic
is published by someone.
"""

from __future__ import annotations

from .blueprint import OWNED, PROTOCOL, SHORT, Plan, PlannedService
from .profile import Profile


def _component(p: Plan, kind: str, name: str, purpose: str, **extra) -> str:
    if not any(c["name"] == name for c in p.components):
        p.components.append({"name": name, "kind": kind, "purpose": purpose, **extra})
    return name


def _edge(p: Plan, source: str, target: str, protocol: str = "http", mode: str = "sync", label: str = "") -> None:
    key = (source, target, mode, label)
    if source != target and not any((e["source"], e["target"], e["mode"], e["label"]) == key for e in p.edges):
        p.edges.append({"source": source, "target": target, "protocol": protocol, "mode": mode, "label": label})


def wire(p: Plan, profile: Profile) -> None:
    """Add components, stores and edges (sync and async) to the plan."""
    _front_door(p)
    if p.style == "modular_monolith":
        _monolith_stores(p)
    else:
        _service_stores(p, profile)
    _files_and_store_edges(p, profile)
    _events(p)


def _primary(p: Plan) -> PlannedService:
    """The main API service: the one that gets what no other service claims."""
    return next((s for s in p.services if s.kind == "api"), p.services[0])


def _entry(p: Plan) -> str | None:
    """Where client requests enter: the gateway, else the load balancer."""
    for kind in ("api_gateway", "load_balancer"):
        found = next((c["name"] for c in p.components if c["kind"] == kind), None)
        if found:
            return found
    return None


def _front_door(p: Plan) -> None:
    """Clients -> load balancer -> gateway -> public services; a gateway when several are public."""
    kinds = p.kinds
    mono = p.style == "modular_monolith"
    api_services = [s for s in p.services if s.kind == "api"]
    entry = None
    if "load_balancer" in kinds:
        entry = _component(p, "load_balancer", "lb", kinds["load_balancer"], public=True)
        _edge(p, "clients", entry, "https", label="API requests")
    if "api_gateway" in kinds:
        gw = _component(p, "api_gateway", "gateway", kinds["api_gateway"], public=entry is None)
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
        gw = _component(p, "api_gateway", "gateway", kinds["api_gateway"], public=True)
        _edge(p, "clients", gw, "https", label="API requests")
        for s in api_services:
            _edge(p, gw, s.name, "https", label="routes")


def _monolith_stores(p: Plan) -> None:
    """One store per kind: the app uses them all, its worker the ones background work needs."""
    kinds = p.kinds
    services = p.services
    workers = [s for s in p.services if s.kind == "worker"]
    primary = _primary(p)
    db = _component(p, "relational_db", "main-db", kinds["relational_db"])
    for s in services:
        if s.kind != "scheduler":
            s.stores.append(db)
    shared_by_kind = {}
    for kind in ("key_value_store", "cache", "search_index", "time_series_db", "wide_column_db", "document_db", "graph_db", "object_storage", "analytics"):
        if kind in kinds:
            shared_by_kind[kind] = _component(p, kind, SHORT[kind], kinds[kind])
    for kind, name in shared_by_kind.items():
        if kind not in ("object_storage", "analytics") or not workers:
            primary.stores.append(name)
    for w in workers:
        for kind in ("search_index", "object_storage", "analytics", "time_series_db", "wide_column_db"):
            if kind in shared_by_kind:
                w.stores.append(shared_by_kind[kind])
    if "read_replica" in kinds:
        rr = _component(p, "read_replica", "read-replica", kinds["read_replica"], replica_of=db)
        primary.stores.append(rr)


def _service_stores(p: Plan, profile: Profile) -> None:
    """Each service owns the stores its contexts need; cache, files and warehouse are shared."""
    kinds = p.kinds
    services = p.services
    workers = [s for s in p.services if s.kind == "worker"]
    primary = _primary(p)
    shared = {}
    for kind in ("cache", "object_storage", "analytics"):
        if kind in kinds:
            shared[kind] = _component(p, kind, SHORT[kind], kinds[kind])
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
            for extra in list(c.spec.get("uses", [])) + list(c.spec.get("entity_stores", {}).values()):
                if extra in kinds and extra in OWNED and extra not in wanted:
                    wanted.append(extra)
            hot = c.spec.get("cached") or (profile.has("read_heavy") and s.kind == "api" and "relational_db" in wanted)
            if hot and "cache" in shared and "cache" not in wanted:
                wanted.append("cache")
        for k in wanted:
            if k in shared:
                s.stores.append(shared[k])
            else:
                s.stores.append(_component(p, k, f"{s.name}-{SHORT[k]}", _owned_purpose(k, s, kinds)))
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
        slow_ok = (profile.latency_ms or 200) >= 1000 and bool(names & {"dashboards", "experiments"})
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
    if "read_replica" in kinds:
        # The replica serves the service with the hot, cacheable reads (else the primary API).
        hot = next((s for s in services if s.kind == "api" and any(c.spec.get("cached") for c in s.contexts)), primary)
        db = next((st for st in hot.stores if _kind_of(p, st) == "relational_db"), None)
        if db is not None:
            hot.stores.append(_component(p, "read_replica", f"{hot.name}-read-replica", kinds["read_replica"], replica_of=db))


def _kind_of(p: Plan, name: str) -> str | None:
    return next((c["kind"] for c in p.components if c["name"] == name), None)


def _files_and_store_edges(p: Plan, profile: Profile) -> None:
    """Signed-URL file access, the CDN and its origin, an edge from each service to each of its
    stores, and in a monolith the stores its app and worker share marked as shared."""
    kinds = p.kinds
    mono = p.style == "modular_monolith"
    services = p.services
    primary = _primary(p)
    entry = _entry(p)
    store = next((c["name"] for c in p.components if c["kind"] == "object_storage"), None)
    if store and profile.has("media"):
        # Services sign short-lived URLs locally; the bytes go straight between clients and the store.
        _edge(p, "clients", store, "https", label="signed uploads and downloads")
    if "cdn" in kinds:
        cdn = _component(p, "cdn", "cdn", kinds["cdn"], public=True)
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


def _events(p: Plan) -> None:
    """Topics published and consumed through the broker, or a jobs table when there is none."""
    kinds = p.kinds
    mono = p.style == "modular_monolith"
    services = p.services
    api_services = [s for s in p.services if s.kind == "api"]
    workers = [s for s in p.services if s.kind == "worker"]
    primary = _primary(p)
    broker = _component(p, "message_broker", "broker", kinds["message_broker"]) if "message_broker" in kinds else None
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
                # A worker with its own contexts reacts to their events or to the scheduler;
                # the generic one takes the events nobody else handles.
                if not w.consumes and not w.contexts:
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
        if not consumed:
            # No domain event links two services: the busiest writer hands its slow work to
            # the workers as one stream, so the broker carries something.
            writer = next((s for s in services if s.kind == "api" and s.workload == "ingest"), primary)
            topic = f"{writer.name}.events"
            writer.publishes.append(topic)
            _edge(p, writer.name, broker, "amqp", "async", label=topic)
            for w in workers[:1]:
                w.consumes.append(topic)
                _edge(p, broker, w.name, "amqp", "async", label=topic)
    else:
        for s in services:
            s.publishes, s.consumes = [], []
        for w in workers:
            # Without a broker the worker takes its jobs from a table in the main database.
            if w.stores:
                continue
            w.stores.append(next(c["name"] for c in p.components if c["kind"] == "relational_db"))
            _edge(p, w.name, w.stores[0], "sql", label="job queue table")
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
    owner.stores.append(_component(p, kind, f"{owner.name}-{SHORT[kind]}", _owned_purpose(kind, owner, kinds)))


def _store_label(kind: str) -> str:
    return {
        "relational_db": "reads/writes", "read_replica": "reads", "cache": "cache-aside reads",
        "key_value_store": "hot keys", "search_index": "search queries", "object_storage": "files",
        "analytics": "reporting queries", "time_series_db": "measurements", "wide_column_db": "history",
        "document_db": "documents", "graph_db": "traversals",
    }.get(kind, "")


