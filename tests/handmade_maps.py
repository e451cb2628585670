"""Hand-made designs for the service-map, Mermaid, tradeoff and diff tests: small, exact,
and with hostile text in every free-text field those views print."""

from __future__ import annotations

from dwarf_nb.design import Component, Decision, Design, Edge, Option, Service

# Markup, a dot entity, dot backslash escapes (\N is the node's name) and a line break.
HOSTILE = '<script>alert("x")</script> & &amp; back\\slash \\N\nnew line'


def shop() -> Design:
    """Two bounded contexts, a broker, clients, sync and async edges."""
    return Design(
        name="shop",
        style="microservices",
        services=[
            Service(name="catalog", language="TypeScript (Node.js)", context="Catalog"),
            Service(name="orders", language="Go", context="Sales", public=True),
            Service(name="billing", kind="worker", language="Python 3.12", context="Sales"),
        ],
        components=[
            Component(name="orders-db", kind="relational_db", technology="PostgreSQL 16"),
            Component(name="catalog-search", kind="search_index", technology="OpenSearch"),
            Component(name="events", kind="message_broker", technology="Kafka"),
            Component(name="images", kind="object_storage", technology="Amazon S3"),
            Component(name="edge-cache", kind="cdn", technology=""),
        ],
        edges=[
            Edge(source="clients", target="edge-cache", protocol="https"),
            Edge(source="clients", target="orders", protocol="https", label="place order"),
            Edge(source="clients", target="catalog", protocol="https"),
            Edge(source="orders", target="orders-db", protocol="sql"),
            Edge(source="catalog", target="catalog-search", protocol="http"),
            Edge(source="catalog", target="images", protocol="s3"),
            Edge(source="orders", target="events", protocol="kafka", mode="async", label="order.placed"),
            Edge(source="events", target="billing", protocol="kafka", mode="async"),
        ],
    )


def hostile() -> Design:
    """Every label a map prints is hostile; names are slugs so they cannot be."""
    return Design(
        name="hostile",
        services=[
            Service(name="api", language=HOSTILE, context=HOSTILE),
            Service(name="jobs", kind="worker", context='"quoted" & <b>bold</b>'),
        ],
        components=[Component(name="store", kind="key_value_store", technology=HOSTILE)],
        edges=[
            Edge(source="api", target="store", protocol=HOSTILE, label="a\\nb"),
            Edge(source="api", target="jobs", protocol="amqp", mode="async", label="-->|x|"),
        ],
    )


def language_decision(weights: dict[str, float] | None = None) -> Decision:
    """Two options: Go wins 6 to 5 with equal weights (hand-checked in the tests)."""
    return Decision(
        title="Language for orders",
        topic="language",
        subject="orders",
        weights=weights if weights is not None else {"performance": 1.0, "hiring": 1.0},
        options=[
            Option(name="Go", scores={"performance": 5, "hiring": 1}),
            Option(name="Python", scores={"performance": 1, "hiring": 4}),
        ],
        chosen="Go",
    )
