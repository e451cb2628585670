"""Hand-made designs for the export tests: a rich polyglot one, a hostile one, an empty one.

The rich design uses every skeleton template (one service per framework), partitioned and
referencing entities, a broker, a cache, jobs and decisions; the hostile one puts markup,
table separators, quotes, newlines and SQL reserved words wherever the contract allows text.
"""

from __future__ import annotations

from dwarf_nb.design import Design

HOSTILE_TEXT = 'Evil <script>alert("x")</script> | *bold* `tick` \'quote\' "dq"\nsecond line # {{ jinja }} ${x}'

FRAMEWORKS = [
    ("python", "FastAPI"),
    ("python", "Django"),
    ("python", "Flask"),
    ("typescript", "NestJS"),
    ("typescript", "Express"),
    ("typescript", "Fastify"),
    ("javascript", "Express"),
    ("go", "Gin"),
    ("go", "net/http"),
    ("java", "Spring Boot"),
    ("kotlin", "Spring Boot"),
    ("rust", "Axum"),
    ("c#", "ASP.NET Core"),
    ("php", "Laravel"),
    ("ruby", "Ruby on Rails"),
    ("elixir", "Phoenix"),
]


def _endpoints(entity: str) -> list[dict]:
    return [
        {"method": "GET", "path": f"/{entity}s", "summary": f"List {entity}s", "entity": entity},
        {"method": "POST", "path": f"/{entity}s", "summary": f"Create a {entity}", "entity": entity},
        {"method": "GET", "path": f"/{entity}s/{{id}}", "summary": f"Read one {entity}", "entity": entity},
        {"method": "PATCH", "path": f"/{entity}s/:id", "summary": f"Update a {entity}", "entity": entity},
        {"method": "DELETE", "path": f"/{entity}s/{{id}}", "summary": "", "entity": entity},
    ]


def rich_design() -> Design:
    services, entities, edges = [], [], []
    components = [
        {"name": "main-db", "kind": "relational_db", "technology": "PostgreSQL 16", "purpose": "orders and stock"},
        {"name": "main-db-replica", "kind": "read_replica", "technology": "", "replica_of": "main-db"},
        {"name": "cache", "kind": "cache", "technology": "Redis 7", "purpose": "product pages"},
        {"name": "events", "kind": "message_broker", "technology": "Apache Kafka", "purpose": "domain events"},
        {"name": "docs", "kind": "document_db", "technology": "MongoDB", "purpose": "reviews"},
        {"name": "media", "kind": "object_storage", "technology": "S3", "purpose": "photos"},
        {"name": "edge", "kind": "cdn", "technology": "CloudFront", "purpose": "images"},
        {"name": "gateway", "kind": "api_gateway", "technology": "Kong", "purpose": "auth and rate limits"},
    ]
    for index, (language, framework) in enumerate(FRAMEWORKS):
        entity = f"thing{index}"
        name = f"svc-{index}"
        services.append(
            {
                "name": name,
                "kind": "api",
                "responsibility": f"Owns {entity}s",
                "language": language,
                "framework": framework,
                "context": "catalog" if index % 2 else "orders",
                "endpoints": _endpoints(entity),
                "publishes": [f"{entity}.created"],
                "consumes": ["order.placed"] if index else [],
            }
        )
        entities.append(
            {
                "name": entity,
                "owner": name,
                "store": "main-db",
                "fields": [
                    {"name": "id", "type": "uuid", "primary_key": True},
                    {"name": "order", "type": "text", "indexed": True},  # a reserved word
                    {"name": "price", "type": "decimal(10,2)"},
                    {"name": "created_at", "type": "timestamp"},
                    {"name": "email", "type": "email", "unique": True},
                ],
            }
        )
        edges += [
            {"source": "gateway", "target": name, "protocol": "http"},
            {"source": name, "target": "main-db", "protocol": "sql"},
            {"source": name, "target": "cache", "protocol": "redis"},
            {"source": name, "target": "events", "protocol": "kafka", "mode": "async"},
        ]
    services.append(
        {
            "name": "order-worker",
            "kind": "worker",
            "responsibility": "Sends confirmations and pick lists",
            "language": "go",
            "framework": "",
            "consumes": ["order.placed", "thing0.created"],
            "publishes": ["order.notified"],
        }
    )
    services.append(
        {"name": "legacy", "kind": "api", "responsibility": "A Haskell island", "language": "haskell",
         "endpoints": [{"method": "GET", "path": "/legacy/report"}]}
    )
    edges += [
        {"source": "clients", "target": "edge", "protocol": "https"},
        {"source": "clients", "target": "gateway", "protocol": "https"},
        {"source": "events", "target": "order-worker", "protocol": "kafka", "mode": "async"},
        {"source": "svc-1", "target": "docs", "protocol": "mongodb"},
        {"source": "svc-2", "target": "media", "protocol": "s3"},
    ]
    entities += [
        {
            "name": "order",
            "owner": "svc-0",
            "store": "main-db",
            "partition_by": "placed_at",
            "fields": [
                {"name": "id", "type": "bigint", "primary_key": True},
                {"name": "user", "type": "uuid", "references": "thing0.id"},
                {"name": "placed_at", "type": "timestamptz"},
                {"name": "total", "type": "money"},
                {"name": "external_ref", "type": "varchar(64)", "unique": True},
            ],
        },
        {
            "name": "order_line",
            "owner": "svc-0",
            "store": "main-db",
            "partition_by": "order_id",
            "fields": [
                {"name": "order_id", "type": "bigint", "references": "orders(id)"},
                {"name": "line", "type": "int"},
                {"name": "sku", "type": "string", "references": "thing1"},
                {"name": "ghost", "type": "uuid", "references": "nowhere.id"},
                {"name": "review", "type": "uuid", "references": "review.id"},
            ],
        },
        {
            "name": "review",
            "owner": "svc-1",
            "store": "docs",
            "fields": [{"name": "id", "type": "uuid", "primary_key": True}, {"name": "body", "type": "text"}],
        },
    ]
    return Design.model_validate(
        {
            "name": "rich-shop",
            "summary": "A polyglot shop used to exercise every exporter.",
            "requirements": "Build a shop.",
            "style": "microservices",
            "services": services,
            "components": components,
            "edges": edges,
            "entities": entities,
            "jobs": [
                {"name": "send-confirmation", "trigger": "order.placed", "service": "order-worker",
                 "retries": 5, "dead_letter": "order.placed.dlq", "description": "email the buyer"},
                {"name": "nightly-report", "trigger": "0 2 * * *", "service": "order-worker", "retries": 2},
            ],
            "decisions": [
                {
                    "title": "Primary datastore",
                    "topic": "database",
                    "context": "Orders need transactions.",
                    "drivers": ["consistency", "team skills"],
                    "weights": {"consistency": 0.6, "operations": 0.4},
                    "options": [
                        {"name": "PostgreSQL", "scores": {"consistency": 5, "operations": 4}},
                        {"name": "MongoDB", "scores": {"consistency": 3, "operations": 4}},
                    ],
                    "chosen": "PostgreSQL",
                    "consequences": ["Schema migrations are needed"],
                },
                {"title": "Service style", "topic": "style", "chosen": "microservices"},
            ],
            "capacity": {"reads_per_second": 1400, "writes_per_second": 70, "peak_rps": 4400,
                         "storage_gb_per_month": 12, "storage_gb_total": 150, "horizon_years": 1,
                         "bandwidth_mbps": 90, "assumptions": ["peak is 3x average"]},
            "assumptions": ["EU region only"],
        }
    )


def hostile_design() -> Design:
    """Every free-text slot holds HOSTILE_TEXT; names are legal slugs that are SQL reserved words."""
    return Design.model_validate(
        {
            "name": "select",
            "summary": HOSTILE_TEXT,
            "requirements": HOSTILE_TEXT,
            "services": [
                {
                    "name": "table",
                    "responsibility": HOSTILE_TEXT,
                    "language": "python",
                    "framework": HOSTILE_TEXT,
                    "context": HOSTILE_TEXT,
                    "endpoints": [
                        {"method": "GET", "path": '/a b/<script>/{class}/{class}?q="x"', "summary": HOSTILE_TEXT,
                         "entity": "user"},
                        {"method": "POST", "path": "/", "summary": HOSTILE_TEXT},
                    ],
                    "publishes": [HOSTILE_TEXT],
                    "consumes": [HOSTILE_TEXT],
                },
                {"name": "from", "language": "rust", "responsibility": HOSTILE_TEXT,
                 "endpoints": [{"method": "PUT", "path": "/x/{type}", "summary": HOSTILE_TEXT}]},
                {"name": "where", "language": "kotlin", "publishes": ["price.$changed"],
                 "endpoints": [{"method": "GET", "path": "/p/${x}/{fun}", "summary": "$x \\u000a"}]},
                {"name": "group", "language": "java", "endpoints": [{"method": "GET", "path": "/q\\u000a"}]},
            ],
            "components": [
                {"name": "user", "kind": "relational_db", "technology": HOSTILE_TEXT, "purpose": HOSTILE_TEXT},
                {"name": "order", "kind": "cache", "technology": HOSTILE_TEXT},
            ],
            "edges": [{"source": "table", "target": "user", "label": HOSTILE_TEXT, "protocol": HOSTILE_TEXT}],
            "entities": [
                {
                    "name": "user",
                    "owner": "table",
                    "store": "user",
                    "partition_by": "not-a-field",
                    "fields": [
                        {"name": HOSTILE_TEXT, "type": HOSTILE_TEXT},
                        {"name": 'drop table "x"; --', "type": "text; DROP TABLE y", "unique": True},
                        {"name": "x" * 80, "type": "int"},
                        {"name": "x" * 70, "type": "int"},
                        {"name": "", "type": "bool", "references": HOSTILE_TEXT},
                    ],
                }
            ],
            "jobs": [{"name": "purge", "trigger": HOSTILE_TEXT, "description": HOSTILE_TEXT,
                      "dead_letter": HOSTILE_TEXT}],
            "decisions": [
                {"title": HOSTILE_TEXT, "context": HOSTILE_TEXT, "drivers": [HOSTILE_TEXT],
                 "options": [{"name": HOSTILE_TEXT, "scores": {HOSTILE_TEXT: 1}, "note": HOSTILE_TEXT}],
                 "chosen": HOSTILE_TEXT, "consequences": [HOSTILE_TEXT]},
                {"title": "../../etc/passwd", "chosen": "x"},
            ],
            "assumptions": [HOSTILE_TEXT],
            "traits": [{"name": HOSTILE_TEXT, "value": HOSTILE_TEXT, "evidence": HOSTILE_TEXT}],
        }
    )


def small_design() -> Design:
    """One FastAPI service over PostgreSQL with a decision: quick to export many times."""
    return Design.model_validate(
        {
            "name": "small",
            "services": [{"name": "api", "language": "python", "framework": "fastapi",
                          "endpoints": [{"method": "GET", "path": "/notes/{id}", "entity": "note"}]}],
            "components": [{"name": "db", "kind": "relational_db", "technology": "PostgreSQL"}],
            "edges": [{"source": "api", "target": "db", "protocol": "sql"}],
            "entities": [{"name": "note", "owner": "api", "store": "db",
                          "fields": [{"name": "id", "type": "uuid", "primary_key": True}]}],
            "decisions": [{"title": "Primary datastore", "chosen": "PostgreSQL"},
                          {"title": "Service style", "chosen": "modular monolith"}],
        }
    )


def empty_design() -> Design:
    """The smallest valid design: nothing but a name."""
    return Design(name="empty")
