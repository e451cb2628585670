"""A hand-made Design for the card (display) and magics tests: every part the card
shows (capacity, both decision topics, assumptions), review findings to accept, and
free text that tries to break out of every format it lands in."""

from __future__ import annotations

from dwarf_nb.design import Capacity, Component, Decision, Design, Edge, Option, Service

HOSTILE = '<script>alert("x")</script> <img src=x onerror=alert(1)> **bold** `tick` | pipe ```'


def hostile_shop() -> Design:
    return Design(
        name="shop",
        summary="A small shop. " + HOSTILE,
        requirements="Online shop",
        services=[
            Service(name="storefront", responsibility="catalog and cart " + HOSTILE, language="Python", framework="FastAPI"),
            Service(name="order-worker", kind="worker", responsibility="e-mail receipts", language="Python"),
        ],
        components=[
            Component(name="main-db", kind="relational_db", technology="PostgreSQL", purpose="orders " + HOSTILE),
            Component(name="queue", kind="message_broker", technology="RabbitMQ", purpose="order events"),
        ],
        edges=[
            Edge(source="clients", target="storefront", protocol="https"),
            Edge(source="storefront", target="main-db", protocol="sql"),
            Edge(source="storefront", target="queue", protocol="amqp", mode="async", label=HOSTILE),
            Edge(source="queue", target="order-worker", protocol="amqp", mode="async"),
        ],
        decisions=[
            Decision(
                title="Language",
                topic="language",
                subject="storefront",
                weights={"dev_speed": 2, "performance": 1},
                options=[
                    Option(name="Python", scores={"dev_speed": 5, "performance": 3}),
                    Option(name="Go " + HOSTILE, scores={"dev_speed": 3, "performance": 5}),
                ],
                chosen="Python",
            ),
            Decision(
                title="Database",
                topic="database",
                subject="orders",
                weights={"consistency": 3},
                options=[Option(name="PostgreSQL", scores={"consistency": 5}), Option(name="MongoDB", scores={"consistency": 3})],
                chosen="PostgreSQL",
            ),
        ],
        capacity=Capacity(users=50_000, reads_per_second=116, writes_per_second=5.8, peak_rps=350, storage_gb_total=42),
        assumptions=["Payments go through the provider's hosted page. " + HOSTILE],
    )
