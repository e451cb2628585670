"""The planner's view of a Brief: pattern traits, the team, the platform and the figures.

`profile_of(text, brief)` reads nothing from the prose itself: every trait comes from a
need of the Brief (`knowledge/needs.toml` says which traits each need calls for) or from
its numbers (read-heavy, long history, a fleet, spikes), and remembers the ids of the facts
behind it, so each part the planner adds can cite them in `because`. A need the user rules
out (`needs: {x: false}`) removes the traits it stands for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from ...analysis.capacity import estimate
from ...brief import Brief
from ...design import Capacity
from ...knowledge import load
from .reader.needs import traits_of

CLOUDS = ("aws", "gcp", "azure")
_SEARCH_BY = re.compile(r"\b(?:search\w*|look(?:s|ing)?\s+(?:up|for))\b[^.;:]{0,80}?\bby\s+([^.;:]+)", re.IGNORECASE)
_CRITERIA_SEP = re.compile(r",|\s(?:or|and)\s", re.IGNORECASE)


@dataclass
class Profile:
    """What the planner knows about a brief."""

    text: str
    brief: Brief = field(default_factory=Brief)
    capacity: Capacity = field(default_factory=Capacity)
    traits: dict[str, str] = field(default_factory=dict)  # trait -> evidence
    because: dict[str, list[str]] = field(default_factory=dict)  # trait -> ids of the facts behind it
    team: Optional[int] = None
    squads: Optional[int] = None
    team_evidence: str = ""
    skills: dict[str, int] = field(default_factory=dict)  # language -> 1..5
    roles: dict[str, str] = field(default_factory=dict)  # role tag -> language
    frameworks: dict[str, str] = field(default_factory=dict)  # language -> stated framework
    cloud: Optional[str] = None  # aws | gcp | azure when the text names one
    hosting: str = "unstated"  # the Brief's hosting: a cloud, self_hosted, other:<name> or unstated
    latency_ms: Optional[float] = None  # stated or set, not assumed
    availability: Optional[float] = None

    @property
    def platform(self) -> str:
        """The key technology names are looked up under: a cloud, 'self_hosted' or 'neutral'."""
        if self.cloud:
            return self.cloud
        return "self_hosted" if self.hosting == "self_hosted" or self.hosting.startswith("other:") else "neutral"

    def has(self, *names: str) -> bool:
        return any(n in self.traits for n in names)

    def cite(self, *traits: str) -> list[str]:
        """The fact ids behind the first of `traits` present (for a part's `because`)."""
        out: list[str] = []
        for t in traits:
            out += [i for i in self.because.get(t, []) if i not in out]
        return out

    def load_facts(self) -> list[str]:
        """The workloads the capacity figures come from: those the text states, else the assumed ones."""
        stated = [w.id for w in self.brief.workloads if w.status != "assumed"]
        return stated or [w.id for w in self.brief.workloads]

    def style_facts(self) -> list[str]:
        """The facts the style rests on: the team, its squads, then the load."""
        ids = [s.id for s in (self.brief.setting("team"), self.brief.setting("squads")) if s is not None]
        return ids or self.load_facts()

    def numbers(self) -> dict[str, float]:
        """The figures thresholds in the knowledge files refer to."""
        c = self.capacity
        total = c.reads_per_second + c.writes_per_second
        concurrent = max((a.count or 0 for a in self.brief.actors if a.count_kind == "concurrent"), default=0)
        return {
            "peak_rps": c.peak_rps, "avg_rps": total, "reads": c.reads_per_second, "writes": c.writes_per_second,
            "peak_writes": c.peak_writes_per_second, "read_share": c.reads_per_second / total if total else 0.0,
            "storage_gb_total": c.storage_gb_total, "storage_gb_month": c.storage_gb_per_month,
            "team": float(self.team or 0), "squads": float(self.squads or 0), "concurrent": float(concurrent),
            "languages": float(len([l for l, v in self.skills.items() if v >= 3])),
            "role_languages": float(len({l for r, l in self.roles.items() if r not in ("web", "firmware")})),
            "ingest_mb_s": c.ingest_mb_per_second,
        }


def _framework_owner(label: str) -> Optional[str]:
    langs = load("languages")
    label = langs["frameworks"].get(label.lower(), label)
    return next((k for k, spec in langs["language"].items() if label in spec["frameworks"].values()
                 or label in spec.get("other_frameworks", [])), None)


def _stated(brief: Brief, name: str) -> Optional[float]:
    s = brief.setting(name)
    return None if s is None or s.status == "assumed" or not isinstance(s.value, (int, float)) else float(s.value)


def _add(p: Profile, trait: str, evidence: str, ids: list[str]) -> None:
    if trait not in p.traits:
        p.traits[trait] = evidence
        p.because[trait] = list(ids)


def profile_of(text: str, brief: Brief) -> Profile:
    """The Profile the planner reads, computed from `brief` alone (`text` is kept for context words)."""
    p = Profile(text=text, brief=brief, capacity=estimate(brief))
    ruled_out = {t for n in brief.needs if not n.value for t in traits_of(n.name)}
    for need in brief.needs:
        if need.value:
            for trait in traits_of(need.name):
                if trait not in ruled_out:
                    _add(p, trait, need.evidence, [need.id])
    team = brief.setting("team")
    if team is not None:
        p.team, p.team_evidence = int(team.value), team.evidence
    squads = brief.setting("squads")
    if squads is not None:
        p.squads = int(squads.value)
    langs = brief.setting("languages")
    if langs is not None:
        for i, key in enumerate(langs.value):
            p.skills[key] = 5 if i == 0 else 4
        p.team_evidence = p.team_evidence or langs.evidence
    for key in brief.value("languages_weak", []):
        p.skills.setdefault(key, 2)
    p.roles = dict(brief.value("language_roles", {}) or {})
    for label in brief.value("frameworks", []) or []:
        owner = _framework_owner(label)
        if owner:
            p.frameworks.setdefault(owner, load("languages")["frameworks"].get(label.lower(), label))
            p.skills.setdefault(owner, 4)
    p.hosting = str(brief.value("hosting", "unstated"))
    p.cloud = p.hosting if p.hosting in CLOUDS else None
    p.latency_ms = _stated(brief, "p95_latency_ms")
    p.availability = _stated(brief, "availability")
    _derived(p, ruled_out)
    return p


def _derived(p: Profile, ruled_out: set[str]) -> None:
    """Traits that follow from the numbers rather than from words."""
    brief, c, d = p.brief, p.capacity, load("patterns")["derived"]
    add = lambda t, ev, ids: None if t in ruled_out else _add(p, t, ev, ids)  # noqa: E731
    reads = [w for w in brief.workloads if w.op == "read" and w.status != "assumed"]
    share = brief.setting("read_share")
    stated_share = share is not None and share.status != "assumed" and float(share.value) >= 0.8
    if (reads or stated_share) and c.reads_per_second >= 4 * max(c.writes_per_second, 1e-9):
        ids = [w.id for w in reads] or [share.id]
        add("read_heavy", (reads[0].evidence if reads else share.evidence), ids)
    latency = brief.setting("p95_latency_ms")
    if p.latency_ms is not None and p.latency_ms <= 500:
        add("latency_target", latency.evidence, [latency.id])
    years = float(brief.value("retention_years", 1))
    writes = [w for w in brief.workloads if w.op == "write"]
    big = max(writes, key=lambda w: w.avg_per_s, default=None)
    if big is not None and ((big.avg_per_s >= 400 and years >= 2) or (big.avg_per_s >= 5000 and years >= 1)) \
            and brief.setting("retention_years").status != "assumed":
        add("huge_history", big.evidence, [big.id, brief.setting("retention_years").id])
    items = [i for i in brief.data if (i.count or 0) >= d["catalog_search_items"]]
    if items and not p.has("text_search") and re.search(r"\bsearch", p.text, re.I):
        add("catalog_search", items[0].evidence, [items[0].id])
    for m in _SEARCH_BY.finditer(p.text):
        # Searching by several criteria at once is a faceted search, which a search engine serves.
        if len(_CRITERIA_SEP.split(m.group(1))) >= d["search_criteria"]:
            add("text_search", m.group(0)[:200], [])
            break
    if p.has("geo_search") and p.has("telemetry", "realtime"):
        # "What is free near here, right now": changing state looked up by place, kept in memory.
        add("live_geo", p.traits["geo_search"], p.cite("geo_search"))
    spike = brief.setting("peak_factor")
    if spike is not None and float(spike.value) >= d["spike_factor"]:
        add("spiky", spike.evidence, [spike.id])
    if p.has("audit") and years >= d["audit_archive_years"]:
        # Years of audit records are written once and rarely read: an archive, not hot rows.
        add("archive", p.traits["audit"], p.cite("audit"))
    devices = {a.id: a for a in brief.actors if a.role == "device"}
    for w in brief.workloads:
        a = devices.get(w.actor or "")
        if a is not None and (a.count or 0) >= d["device_fleet"]:
            add("device_fleet", w.evidence, [w.id, a.id])
        if a is not None:
            add("live_location" if any(x in w.name for x in ("position", "location", "gps")) else "telemetry", w.evidence, [w.id])
    mb = c.ingest_mb_per_second
    if mb >= d["ingestion_mb_s"]:
        add("ingestion", f"about {mb:.0f} MB/s of incoming data", [w.id for w in writes])
    blob = next((w for w in writes if (w.size_bytes or 0) >= d["large_record_bytes"]), None)
    if blob is None:
        blob = next((i for i in brief.data if (i.size_bytes or 0) >= d["large_record_bytes"] and i.status != "assumed"), None)
    if blob is not None:
        add("large_records", blob.evidence, [blob.id])
    if p.has("ingestion") and (c.writes_per_second >= 1000 or p.has("analytics")):
        add("ingestion_archive", p.traits["ingestion"], p.cite("ingestion"))
    compliance = brief.setting("compliance")
    if compliance is not None:
        for name in compliance.value:
            key = re.sub(r"[^a-z0-9]", "", str(name).lower())
            trait = next((t for t in ("pci", "hipaa", "gdpr", "soc2", "ferpa") if key.startswith(t)), None)
            if trait:
                add(trait, compliance.evidence, [compliance.id])
    if p.has("hipaa"):
        add("private_media_only", p.traits["hipaa"], p.cite("hipaa"))
    if p.availability is not None and p.availability >= 0.9995:
        s = brief.setting("availability")
        add("high_availability", s.evidence, [s.id])
    budget = brief.setting("budget_per_month")
    if budget is not None and float(budget.value) <= 500:
        add("tight_budget", budget.evidence, [budget.id])
    low_cost = brief.need("low_cost")
    if low_cost is not None:
        add("tight_budget", low_cost.evidence, [low_cost.id])
