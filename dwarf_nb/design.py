"""The Design: the one contract between agents, analyses, views and surfaces.

Every agent (offline rules or Claude) returns a `Design`; everything downstream reads
one. `Design.model_dump(mode="json")` is what the CLI prints and the store keeps, and
`Design.model_validate()` reads it back losslessly.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, Optional, get_args

from pydantic import (AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator,
                      model_validator)
from pydantic_core import PydanticSerializationError

from .brief import Brief
from .errors import DesignError
from .texts import clean_fields

# 2: the Brief, `because` on every part, peak reads and writes in the capacity.
SCHEMA_VERSION = 2

SLUG = re.compile(r"^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$")
# Names become host names in Compose and identifiers in SQL (PostgreSQL keeps 63 bytes).
NAME_LIMIT = 63

Style = Literal["modular_monolith", "microservices", "serverless", "event_driven"]
ServiceKind = Literal["api", "worker", "scheduler", "gateway"]
ComponentKind = Literal[
    "relational_db",
    "document_db",
    "wide_column_db",
    "key_value_store",
    "graph_db",
    "time_series_db",
    "cache",
    "message_broker",
    "object_storage",
    "search_index",
    "cdn",
    "load_balancer",
    "api_gateway",
    "analytics",
    "read_replica",
]
# Every component kind that keeps data: all but the broker and the edge in front of the services.
DATASTORE_KINDS = frozenset(get_args(ComponentKind)) - {"message_broker", "cdn", "load_balancer", "api_gateway"}
ApiStyle = Literal["rest", "grpc", "graphql", "websocket", "none"]
Mode = Literal["sync", "async"]
DecisionTopic = Literal["style", "language", "database", "broker", "api_style", "other"]
Severity = Literal["error", "warning", "info"]


def validation_problems(err: ValidationError) -> list[str]:
    """'where: what' for each problem pydantic found in a design, as a user or a model reads it."""

    def what(error: dict) -> str:
        # A validator's own sentence reads better without pydantic's "Value error, " prefix.
        cause = (error.get("ctx") or {}).get("error")
        return str(cause) if error["type"] == "value_error" and cause is not None else error["msg"]

    return [f"{'.'.join(str(p) for p in e['loc']) or 'design'}: {what(e)}" for e in err.errors()]


class _Model(BaseModel):
    # Unknown keys are an error so that a model's typo never silently disappears; NaN and
    # infinity are refused so that every figure can be printed, compared and written as JSON.
    # Attribute docstrings become the JSON Schema's field descriptions: what a model reads
    # when it writes a Design through the tool, and what `dwarf-nb schema` documents.
    model_config = ConfigDict(extra="forbid", validate_assignment=False, allow_inf_nan=False,
                              use_attribute_docstrings=True)


def _slug(what: str):
    """A string type that must be a slug; the error names what the string is."""

    def check(value: str) -> str:
        if not SLUG.match(value):
            raise ValueError(
                f"{what} {value!r} must be a slug: lowercase letters, digits, '-' or '_', starting with a letter"
            )
        if len(value) > NAME_LIMIT:
            raise ValueError(f"{what} {value[:20]!r}... is {len(value):,} characters long: at most {NAME_LIMIT}")
        return value

    return Annotated[str, AfterValidator(check),
                     Field(json_schema_extra={"pattern": SLUG.pattern, "maxLength": NAME_LIMIT})]


class Trait(_Model):
    """A fact read from the requirements, with the text it came from."""

    name: str
    value: Any = None
    evidence: str = ""


class Endpoint(_Model):
    method: Literal["GET", "POST", "PUT", "PATCH", "DELETE"] = "GET"
    path: str
    summary: str = ""
    entity: Optional[str] = None

    @field_validator("path")
    @classmethod
    def _path(cls, v: str) -> str:
        if not v.startswith("/"):
            raise ValueError(f"endpoint path {v!r} must start with '/'")
        return v


class Service(_Model):
    name: _slug("service name")
    kind: ServiceKind = "api"
    """api serves requests; worker consumes queued work; scheduler runs timed jobs; gateway fronts the others."""
    responsibility: str = ""
    """What the service owns and does, in a sentence or two."""
    language: str = ""
    """Programming language (e.g. python, go, typescript, java, kotlin, csharp, php, ruby, elixir)."""
    framework: str = ""
    """Web or worker framework (e.g. FastAPI, Spring Boot, Rails); empty when none fits."""
    api_style: ApiStyle = "rest"
    context: str = ""
    """The bounded context(s) the service owns, comma separated."""
    public: bool = False
    """Reachable from outside (clients call it directly or through the edge)."""
    instances: int = Field(default=1, ge=1, le=100_000)
    """Instances to run at the estimated peak."""
    endpoints: list[Endpoint] = Field(default_factory=list)
    publishes: list[str] = Field(default_factory=list)
    """Event or topic names this service publishes to the broker."""
    consumes: list[str] = Field(default_factory=list)
    """Event or topic names this service consumes."""
    # Ids of the Brief facts that justify this part (a need, a workload, a constraint ...).
    because: list[str] = Field(default_factory=list)


class Component(_Model):
    name: _slug("component name")
    kind: ComponentKind
    """What kind of infrastructure this is; the map, review and artifacts read it."""
    technology: str = ""
    """The product (PostgreSQL, Redis, Kafka, S3 ...), named for the stated hosting."""
    purpose: str = ""
    """What it holds or does for the design, in a sentence."""
    replica_of: Optional[str] = None
    """For a read_replica: the name of the primary datastore it copies."""
    # A datastore deliberately shared by several services (lint DW01 respects it).
    shared: bool = False
    public: bool = False
    because: list[str] = Field(default_factory=list)


class Edge(_Model):
    source: str
    """The caller or publisher: a service or component name, or 'clients'."""
    target: str
    """The callee or consumer: a service or component name."""
    protocol: str = "http"
    """Wire protocol (https, grpc, sql, resp, kafka, amqp, websocket ...)."""
    mode: Mode = "sync"
    """sync for a request that waits for its answer, async for a message."""
    label: str = ""
    """What travels on the edge, in a few words."""
    latency_ms: Optional[float] = None
    because: list[str] = Field(default_factory=list)


class EntityField(_Model):
    name: str
    type: str = "text"
    nullable: bool = False
    primary_key: bool = False
    references: Optional[str] = None
    unique: bool = False
    indexed: bool = False


class Entity(_Model):
    name: _slug("entity name")
    fields: list[EntityField] = Field(default_factory=list)
    owner: Optional[str] = None
    store: Optional[str] = None
    partition_by: Optional[str] = None
    because: list[str] = Field(default_factory=list)


class Job(_Model):
    name: _slug("job name")
    trigger: str
    service: Optional[str] = None
    description: str = ""
    retries: int = Field(default=3, ge=0, le=1_000)
    backoff: str = "exponential"
    dead_letter: Optional[str] = None
    because: list[str] = Field(default_factory=list)


# Bounds on weights and scores keep every weighted total finite (a 1e308 weight times a
# score overflows to infinity, and the tables would print "inf" and "nan").
_Weight = Annotated[float, Field(ge=0, le=1_000_000)]
_Score = Annotated[float, Field(ge=-1_000_000, le=1_000_000)]


class Option(_Model):
    name: str
    scores: dict[str, _Score] = Field(default_factory=dict)
    note: str = ""


class Decision(_Model):
    title: str
    """The question decided, e.g. 'Language for orders'."""
    topic: DecisionTopic = "other"
    """What the decision is about: the tradeoff tables, the widget and `--topic` select by it."""
    subject: Optional[str] = None  # the service or data need this decision is about
    """The service, component or need the decision is about."""
    context: str = ""
    """Why the question arises: the forces from the requirements."""
    drivers: list[str] = Field(default_factory=list)
    weights: dict[str, _Weight] = Field(default_factory=dict)
    """Criterion -> weight; the weighted total of each option's scores ranks the options."""
    options: list[Option] = Field(default_factory=list)
    """The options weighed, each with a score per criterion (1 poor to 5 best)."""
    chosen: str
    """The name of the chosen option (one of `options` when there are options)."""
    consequences: list[str] = Field(default_factory=list)
    """What follows from the choice, good and bad."""
    status: Literal["proposed", "accepted", "superseded", "deprecated"] = "accepted"

    @field_validator("topic", mode="before")
    @classmethod
    def _known_topic(cls, value: Any) -> Any:
        # Designs stored before the topics were an enum (or a model's own word) are kept, as 'other'.
        return value if not isinstance(value, str) or value in get_args(DecisionTopic) else "other"

    @model_validator(mode="after")
    def _chosen_among_options(self) -> "Decision":
        names = [o.name for o in self.options]
        twice = next((n for i, n in enumerate(names) if n in names[:i]), None)
        if twice is not None:
            raise ValueError(f"decision {self.title!r} lists the option {twice!r} twice")
        if names and self.chosen not in names:
            raise ValueError(f"decision {self.title!r} chose {self.chosen!r}, which is not one of its options "
                             f"({', '.join(names)})")
        return self


# Far above any real system (a billion billion of anything) and far below float overflow.
_Amount = Annotated[float, Field(ge=0, le=1e18)]


class Capacity(_Model):
    users: Optional[_Amount] = None
    reads_per_second: _Amount = 0.0
    writes_per_second: _Amount = 0.0
    peak_reads_per_second: _Amount = 0.0
    peak_writes_per_second: _Amount = 0.0
    peak_rps: _Amount = 0.0
    peak_factor: _Amount = 3.0
    storage_gb_per_month: _Amount = 0.0
    storage_gb_total: _Amount = 0.0
    horizon_years: _Amount = 1.0
    bandwidth_mbps: _Amount = 0.0
    ingest_mb_per_second: _Amount = 0.0
    assumptions: list[str] = Field(default_factory=list)


class SLOs(_Model):
    p95_latency_ms: float = Field(default=200.0, gt=0)
    error_rate: float = Field(default=0.001, ge=0, le=1)
    availability: float = Field(default=0.999, gt=0, le=1)


class Design(_Model):
    schema_version: int = Field(default=SCHEMA_VERSION, ge=1, le=SCHEMA_VERSION)
    name: _slug("design name") = "design"
    summary: str = ""
    requirements: str = ""
    style: Style = "modular_monolith"
    backend: str = "offline"
    brief: Brief = Field(default_factory=Brief)
    traits: list[Trait] = Field(default_factory=list)
    services: list[Service] = Field(default_factory=list)
    components: list[Component] = Field(default_factory=list)
    edges: list[Edge] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    jobs: list[Job] = Field(default_factory=list)
    decisions: list[Decision] = Field(default_factory=list)
    capacity: Capacity = Field(default_factory=Capacity)
    slos: SLOs = Field(default_factory=SLOs)
    assumptions: list[str] = Field(default_factory=list)


    # What the model call behind this version cost (agents.usage.Usage); None for the offline
    # rules. Kept beside the contract, not in it: the store keeps it with the version.
    _usage: Any = PrivateAttr(default=None)

    @property
    def usage(self):
        """Tokens and estimated cost of the model call(s) that made this design, or None."""
        return self._usage

    def __eq__(self, other: object) -> bool:
        # The same design whatever its call cost: the usage is not part of the contract.
        if not isinstance(other, BaseModel):
            return NotImplemented
        return type(self) is type(other) and self.__dict__ == other.__dict__

    @model_validator(mode="before")
    @classmethod
    def _text(cls, data: Any) -> Any:
        return clean_fields(data)

    @model_validator(mode="after")
    def _consistent(self) -> "Design":
        names: dict[str, str] = {}
        for what, items in (("service", self.services), ("component", self.components)):
            for item in items:
                if item.name in names:
                    raise ValueError(f"name {item.name!r} is used twice ({names[item.name]} and {what})")
                names[item.name] = what
        for edge in self.edges:
            for end in (edge.source, edge.target):
                if end != "clients" and end not in names:
                    raise ValueError(
                        f"edge {edge.source} -> {edge.target}: {end!r} is not a service or component of this design"
                    )
        kinds = {c.name: c for c in self.components}
        for comp in self.components:
            if comp.replica_of is None:
                continue
            primary = kinds.get(comp.replica_of)
            if primary is None:
                raise ValueError(f"component {comp.name!r} is a replica of unknown component {comp.replica_of!r}")
            # A replica copies a primary: never itself, another replica (a chain or a cycle) or a non-store.
            if primary is comp or primary.replica_of is not None or primary.kind not in DATASTORE_KINDS:
                what = ("itself" if primary is comp else f"{primary.name!r}, itself a replica"
                        if primary.replica_of is not None else f"{primary.name!r}, a {primary.kind} that keeps no data")
                raise ValueError(f"component {comp.name!r} is a replica of {what}: replicas copy a primary datastore")
        seen_entities: set[str] = set()
        for ent in self.entities:
            if ent.name in seen_entities:
                raise ValueError(f"entity {ent.name!r} is defined twice")
            seen_entities.add(ent.name)
            if ent.owner is not None and names.get(ent.owner) != "service":
                raise ValueError(f"entity {ent.name!r} is owned by unknown service {ent.owner!r}")
            if ent.store is not None and names.get(ent.store) != "component":
                raise ValueError(f"entity {ent.name!r} is stored in unknown component {ent.store!r}")
        jobs: set[str] = set()
        for job in self.jobs:
            if job.name in jobs:
                raise ValueError(f"job {job.name!r} is defined twice")
            jobs.add(job.name)
        return self

    # -- lookups used across analyses and views -------------------------------------
    def service(self, name: str) -> Service:
        for s in self.services:
            if s.name == name:
                return s
        raise KeyError(name)

    def component(self, name: str) -> Component:
        for c in self.components:
            if c.name == name:
                return c
        raise KeyError(name)

    def kinds(self) -> set[str]:
        """Every component kind and service kind present (what the example set scores)."""
        return {c.kind for c in self.components} | {s.kind for s in self.services}

    def to_json(self, indent: Optional[int] = 2) -> str:
        """The design as strict JSON; a value set after validation that JSON cannot hold is one line."""
        try:
            return self.model_dump_json(indent=indent)
        except PydanticSerializationError:
            # Only a value set after validation gets here (a lone surrogate): validation names it.
            try:
                type(self).model_validate(self.model_dump())
            except ValidationError as err:
                raise DesignError(f"the design cannot be written: {validation_problems(err)[0]}") from None
            raise

    @classmethod
    def from_json(cls, text: str) -> "Design":
        return cls.model_validate_json(text)

    # -- conveniences: thin calls into analyses and views (imported lazily) -------------
    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        """HTML card, Markdown, plain text and the design's JSON.

        The JSON travels as `application/vnd.dwarf-nb.design+json` because JupyterLab ranks
        its `application/json` tree viewer above HTML and would hide the card; a caller that
        asks for `application/json` by name (`include=`) gets it under that type too.
        """
        from .views.display import DESIGN_MIME, mimebundle

        bundle = mimebundle(self)
        if include and "application/json" in include:
            bundle["application/json"] = bundle[DESIGN_MIME]
        if include:
            bundle = {k: v for k, v in bundle.items() if k in include}
        if exclude:
            bundle = {k: v for k, v in bundle.items() if k not in exclude}
        return bundle

    def tradeoffs(self, topic: str = "languages", weights: dict[str, float] | None = None):
        """Tradeoff DataFrame(s) for 'languages', 'databases' or any decision topic."""
        from .analysis.tradeoffs import tradeoff_table

        return tradeoff_table(self, topic, weights=weights)

    def lint(self, suppress: dict[str, str] | None = None):
        from .analysis.lint import lint

        return lint(self, suppress=suppress)

    def diff(self, other: "Design"):
        from .analysis.diff import diff

        return diff(self, other)

    def service_map(self, format: str = "svg", direction: str = "LR"):
        from .views.service_map import render

        return render(self, format=format, direction=direction)

    def mermaid(self) -> str:
        from .views.mermaid import flowchart

        return flowchart(self)

    def export(self, directory, force: bool = False, formats: tuple[str, ...] = ("md",)):
        from .export import export

        return export(self, directory, force=force, formats=formats)
