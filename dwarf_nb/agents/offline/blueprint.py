"""The plan's data: bounded contexts, planned services and the plan itself, plus the
naming tables the planner uses for components and connections."""

from __future__ import annotations

from dataclasses import dataclass, field

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
    """A bounded context found in the text, with its entry from knowledge/domains.toml."""

    name: str
    spec: dict
    evidence: str
    because: list[str] = field(default_factory=list)  # ids of the Brief facts that call for it


@dataclass
class PlannedService:
    """A service as planned, before languages and endpoints are chosen."""

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
    because: list[str] = field(default_factory=list)  # ids of the Brief facts that call for it


@dataclass
class Plan:
    """Style, infrastructure kinds, services, components, edges and jobs, as plain data."""

    style: str
    style_points: dict[str, list[tuple[int, str, str]]]  # style -> (weight, criterion, reason)
    style_scores: dict[str, dict[str, float]]  # style -> criterion -> 1..5
    kinds: dict[str, str]  # component kind -> reason
    contexts: list[Context]
    services: list[PlannedService] = field(default_factory=list)
    components: list[dict] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)
    jobs: list[dict] = field(default_factory=list)
    tiny: bool = False
    availability: float = 0.999
    kind_because: dict[str, list[str]] = field(default_factory=dict)  # component kind -> fact ids
