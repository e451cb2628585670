"""The Brief: what a designer understood from a requirements text, as facts a user can check.

Every fact carries the sentence it came from (`evidence`), the exact characters of the
text it was read from (`span`), and a status: *stated* (read as written), *derived*
(computed from stated facts; `formula` writes the arithmetic out), *assumed* (a default
taken where the text is silent; `why` says which) or *set* (set by you, in front matter,
`facts={...}` or a refine sentence, and never overridden by anything read).

Facts are grouped the way an engineer reads a brief: actors (who uses or feeds the
system), workloads (operations and their rates), data (what is kept, how big, how long),
domain (the text's own nouns), needs (capabilities such as search or realtime push),
constraints (team, skills, hosting, budget, targets, compliance) and totals (capacity
figures set by you). Numbers of the text that no fact uses are listed in `unused`.
"""

from __future__ import annotations

from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

Status = Literal["stated", "derived", "assumed", "set"]
Role = Literal["end_user", "api_client", "device", "staff", "team"]
CountKind = Literal["registered", "daily_active", "monthly_active", "concurrent", "on_shift", "fleet", "total"]
Op = Literal["read", "write", "mixed"]  # mixed: requests split by the read share
PeakRule = Literal["stated", "window", "factor", "given", "default", "burst", "steady"]

ROLE_WORDS = {"end_user": "end users", "api_client": "API clients", "device": "devices or machines",
              "staff": "staff and operators", "team": "the building team"}
COUNT_WORDS = {"registered": "registered", "daily_active": "a day", "monthly_active": "a month",
               "concurrent": "at once", "on_shift": "on shift", "fleet": "in the fleet", "total": ""}


# Front-matter key -> (the Brief setting it sets, its unit). One table for the reader that applies the
# facts you set, the refine sentences that set them and the Brief view that names the key to correct.
FRONT_MATTER_SETTINGS = {"team": ("team", "people"), "squads": ("squads", "squads"), "languages": ("languages", ""),
                         "frameworks": ("frameworks", ""), "hosting": ("hosting", ""), "budget": ("budget_per_month", "USD"),
                         "availability": ("availability", "fraction"), "latency_ms": ("p95_latency_ms", "ms"),
                         "compliance": ("compliance", ""), "retention_years": ("retention_years", "years"),
                         "read_share": ("read_share", "fraction")}
# Front-matter key -> the count of end users it sets.
FRONT_MATTER_USERS = {"users": "registered", "daily_users": "daily_active", "concurrent_users": "concurrent"}
# Front-matter keys that set a capacity total directly, under the same name.
FRONT_MATTER_TOTALS = ("reads_per_second", "writes_per_second", "peak_rps", "storage_gb_per_month", "storage_gb_total")
# Settings the reader derives whose correction is another setting's key.
_SETTING_ALIASES = {"language_roles": "languages", "languages_weak": "languages"}


def setting_key(name: str, aliases: bool = True) -> Optional[str]:
    """The front-matter key that sets the Brief setting `name` ('p95_latency_ms' -> 'latency_ms')."""
    key = next((k for k, (n, _) in FRONT_MATTER_SETTINGS.items() if n == name), None)
    if key is None and name in FRONT_MATTER_TOTALS:
        key = name
    return key or (_SETTING_ALIASES.get(name) if aliases else None)


def users_key(count_kind: str) -> str:
    """The front-matter key for end users counted this way ('daily_active' -> 'daily_users')."""
    return next((k for k, kind in FRONT_MATTER_USERS.items() if kind == count_kind), "users")


_SINGULAR_UNITS = {"people": "person", "years": "year", "squads": "squad", "days": "day"}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Fact(_Model):
    """What every fact has: a stable id, where it came from and how sure the reader is."""

    id: str
    status: Status = "stated"
    evidence: str = ""
    span: Optional[tuple[int, int]] = None
    formula: str = ""
    why: str = ""


class Actor(Fact):
    """A party that uses or feeds the system, with its count when the text gives one."""

    noun: str
    role: Role = "end_user"
    count: Optional[float] = None
    count_kind: CountKind = "total"
    active_share: Optional[float] = None


class Workload(Fact):
    """A named operation, read or write, with its average and peak rate per second."""

    name: str
    op: Op = "write"
    actor: Optional[str] = None
    avg_per_s: float = 0.0
    peak_per_s: float = 0.0
    peak_rule: PeakRule = "default"
    size_bytes: Optional[float] = None


class DataItem(Fact):
    """Something kept: item size, how many (now or per month), retention and the storage it takes."""

    item: str
    size_bytes: Optional[float] = None
    count: Optional[float] = None
    per_month: Optional[float] = None
    retention_years: Optional[float] = None
    gb_per_month: float = 0.0
    gb_total: float = 0.0


class Term(Fact):
    """A noun of the text's own domain (what the system manages) and the actions on it."""

    noun: str
    actions: list[str] = Field(default_factory=list)
    mentions: int = 1


class Need(Fact):
    """A capability the text calls for (or, when `value` is False, one the user ruled out)."""

    name: str
    value: bool = True


class Setting(Fact):
    """A constraint or a capacity total: team size, languages, hosting, budget, targets, ..."""

    name: str
    value: Any = None
    unit: str = ""


class Unused(_Model):
    """A number of the text that no fact uses, and why the reader left it."""

    text: str
    span: tuple[int, int]
    why: str = ""


class Brief(_Model):
    """Everything the reader understood; the planner and the capacity estimate read only this."""

    actors: list[Actor] = Field(default_factory=list)
    workloads: list[Workload] = Field(default_factory=list)
    data: list[DataItem] = Field(default_factory=list)
    domain: list[Term] = Field(default_factory=list)
    needs: list[Need] = Field(default_factory=list)
    constraints: list[Setting] = Field(default_factory=list)
    totals: list[Setting] = Field(default_factory=list)
    unused: list[Unused] = Field(default_factory=list)
    given: dict[str, Any] = Field(default_factory=dict)  # the facts you set, as front-matter keys and values

    # -- lookups the planner and the views use ----------------------------------------
    def facts(self) -> list[Fact]:
        return [*self.actors, *self.workloads, *self.data, *self.domain, *self.needs, *self.constraints, *self.totals]

    def fact(self, fact_id: str) -> Fact:
        for f in self.facts():
            if f.id == fact_id:
                return f
        raise KeyError(fact_id)

    def ids(self) -> set[str]:
        return {f.id for f in self.facts()}

    def need(self, name: str) -> Optional[Need]:
        """The need called `name` when the brief holds it as present (not ruled out)."""
        return next((n for n in self.needs if n.name == name and n.value), None)

    def has(self, *names: str) -> bool:
        return any(self.need(n) is not None for n in names)

    def setting(self, name: str) -> Optional[Setting]:
        return next((c for c in [*self.constraints, *self.totals] if c.name == name), None)

    def value(self, name: str, default: Any = None) -> Any:
        s = self.setting(name)
        return default if s is None or s.value is None else s.value

    def actors_of(self, role: str) -> list[Actor]:
        return [a for a in self.actors if a.role == role]


def fact_value(fact: Fact) -> str:
    """A fact's value as a person reads it in the Brief table ('60,000 drivers online at once')."""
    from .views.numbers import human, rate

    if isinstance(fact, Actor):
        from .agents.offline.reader.lexicon import plural

        count = "" if fact.count is None else human(fact.count) + " "
        noun = fact.noun if fact.count == 1 or fact.count is None else plural(fact.noun)
        kind = COUNT_WORDS[fact.count_kind]
        share = f", {fact.active_share:.0%} active at a time" if fact.active_share else ""
        return f"{count}{noun}{' ' + kind if kind else ''} ({ROLE_WORDS[fact.role]}){share}"
    if isinstance(fact, Workload):
        size = f", {human(fact.size_bytes, 'B')} each" if fact.size_bytes else ""
        return f"{fact.op}: {rate(fact.avg_per_s)} average, {rate(fact.peak_per_s)} at peak{size}"
    if isinstance(fact, DataItem):
        parts = []
        if fact.size_bytes:
            parts.append(f"{human(fact.size_bytes, 'B')} each")
        if fact.gb_per_month:
            parts.append(f"{human(fact.gb_per_month * 1e9, 'B')} a month")
        if fact.gb_total:
            parts.append(f"{human(fact.gb_total * 1e9, 'B')} in all")
        if fact.retention_years:
            kept = human(fact.retention_years)
            parts.append(f"kept {kept} {'year' if kept == '1' else 'years'}")
        return ", ".join(parts) or "kept"
    if isinstance(fact, Term):
        return fact.noun + (f" ({', '.join(fact.actions)})" if fact.actions else "")
    if isinstance(fact, Need):
        return "yes" if fact.value else "no"
    if isinstance(fact, Setting):
        v = fact.value
        if isinstance(v, list):
            return ", ".join(str(x) for x in v) or "none"
        if isinstance(v, bool):
            return "yes" if v else "no"
        if isinstance(v, (int, float)):
            if fact.unit == "fraction":
                return f"{v * 100:.10g}%"
            if v == 1 and fact.unit in _SINGULAR_UNITS:
                return f"1 {_SINGULAR_UNITS[fact.unit]}"
            return human(v, fact.unit)
        return str(v)
    return ""
