"""Assembles the Design from a Profile and a Plan: components with their technologies,
services with languages and endpoints, entities, jobs, decisions, capacity and SLOs."""

from __future__ import annotations

from ...views.numbers import human, rate
from ...design import SLOs, Component, Design, Edge, Job, Service, Trait
from .blueprint import Plan
from .data_model import crud_endpoints, entities_for, extra_endpoint, parse_entity
from .decisions import api_decisions, language_decision, store_decision, style_decision
from .profile import Profile


def assemble(text: str, name: str, profile: Profile, p: Plan) -> Design:
    """The finished Design."""
    decisions = [style_decision(profile, p.style, p.style_points, p.style_scores)]
    assumptions: list[str] = []
    if profile.platform == "neutral":
        assumptions.append("No cloud or hosting is named: open-source technologies are named, each with its managed equivalent on AWS, GCP and Azure.")
    if profile.team is None:
        assumptions.append("The team size is not stated: the style is chosen on load and constraints alone.")
    if not profile.skills:
        assumptions.append("No language skills are stated: languages are chosen on workload fit alone.")

    components: list[Component] = []
    for c in p.components:
        decision, tech = store_decision(profile, c["kind"], c["name"], c["purpose"])
        if c["kind"] == "read_replica":
            tech = store_decision(profile, "relational_db", c["name"], c["purpose"])[1] + " read replica"
            decision = None
        if decision is not None:
            decisions.append(decision)
        components.append(Component(name=c["name"], kind=c["kind"], technology=tech, purpose=c["purpose"],
                                    replica_of=c.get("replica_of"), public=c.get("public", False),
                                    shared=c.get("shared", False), because=c.get("because", [])))

    services: list[Service] = []
    owners = []
    kinds_by_name = {c.name: c.kind for c in components}
    for s in p.services:
        decision, language, framework = language_decision(profile, s, broker="message_broker" in kinds_by_name.values())
        decisions.append(decision)
        stores = {}
        for store in s.stores:
            stores.setdefault(kinds_by_name[store], store)
        owners.append((s.name, s.contexts, stores))
        services.append(Service(name=s.name, kind=s.kind, responsibility=s.responsibility, language=language,
                                framework=framework, api_style=s.api_style if s.kind == "api" else "none",
                                context=", ".join(c.name for c in s.contexts if _module(c)) or s.kind, public=s.public,
                                instances=s.instances, publishes=s.publishes, consumes=s.consumes, because=s.because))
    entities = entities_for(owners)
    known = {e.name for e in entities}
    for svc, planned in zip(services, p.services):
        if svc.kind != "api":
            continue
        seen: set[tuple[str, str]] = set()
        for ctx in planned.contexts:
            lines = ctx.spec.get("entities", [])
            eps = crud_endpoints(parse_entity(lines[0])[0]) if lines else []
            eps += [extra_endpoint(line, known) for line in ctx.spec.get("endpoints", [])]
            for ep in eps:
                if (ep.method, ep.path) not in seen and (ep.entity is None or ep.entity in known):
                    seen.add((ep.method, ep.path))
                    svc.endpoints.append(ep)
        if planned.api_style == "websocket" or any(c.spec.get("api_style") == "websocket" for c in planned.contexts):
            if ("GET", "/ws") not in seen:
                svc.endpoints.append(extra_endpoint("GET /ws", known))
    decisions.extend(api_decisions(profile))

    capacity = profile.capacity
    slos = SLOs(p95_latency_ms=profile.latency_ms or 200.0, availability=p.availability)
    if profile.latency_ms is None:
        assumptions.append("No latency target is stated: p95 under 200 ms for API calls.")
    if profile.availability is None:
        assumptions.append(f"No availability target is stated: {p.availability:.1%} is assumed.")
    if p.tiny:
        assumptions.append("At this scale one instance with a managed database carries the load; background work uses a jobs table, not a broker.")
    summary = _summary(p, capacity, profile)
    design = Design(
        name=name, summary=summary, requirements=text, style=p.style, backend="offline", brief=profile.brief,
        traits=_traits(profile), services=services, components=components,
        edges=[Edge(**e) for e in p.edges], entities=entities, jobs=[Job(**j) for j in p.jobs],
        decisions=decisions, capacity=capacity, slos=slos, assumptions=assumptions,
    )
    return design


def _module(context) -> bool:
    """A context that is a module of its service: it owns entities or is not a duty of another."""
    return bool(context.spec.get("entities")) or not context.spec.get("attach")


def _traits(profile: Profile) -> list[Trait]:
    """The pattern traits the plan was built from, each with its evidence (numbers live in the Brief)."""
    return [Trait(name=k, value=True, evidence=v) for k, v in sorted(profile.traits.items())]


_PLATFORM_WORDS = {"aws": "on AWS", "gcp": "on GCP", "azure": "on Azure", "self_hosted": "on servers you run yourself",
                   "neutral": "on open-source components (no cloud is named)"}


def _summary(p: Plan, capacity, profile: Profile) -> str:
    """One paragraph: style, services, platform, load and the infrastructure kinds."""
    style = "modular monolith" if p.style == "modular_monolith" else "set of microservices"
    svc = ", ".join(s.name for s in p.services)
    where = _PLATFORM_WORDS[profile.platform]
    if profile.hosting.startswith("other:"):
        where = f"on {profile.hosting.split(':', 1)[1].capitalize()}"
    parts = [f"A {style} ({svc}) {where}",
             f"sized for {rate(capacity.peak_rps, 'requests')} at peak ({rate(capacity.reads_per_second, 'reads')} and "
             f"{rate(capacity.writes_per_second, 'writes')} on average)",
             f"and {human(capacity.storage_gb_per_month * 1e9, 'B')} of new data a month"]
    infra = sorted({k.replace('_', ' ') for k in p.kinds})
    return "; ".join(parts) + ". Infrastructure: " + (", ".join(infra) or "none beyond the services") + "."
