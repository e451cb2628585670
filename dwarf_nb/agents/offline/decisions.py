"""Weighted decision matrices: style, language per service, store per data need, broker, API style.

Scores come from `knowledge/languages.toml`, `knowledge/databases.toml` and the style
points of `knowledge/patterns.toml`; weights are adjusted to the profile (a team's skills,
the throughput, the cloud). The option with the highest weighted score is chosen; ties
go to the option listed first, so the result is deterministic.
"""

from __future__ import annotations

from typing import Optional

from ...design import Decision, Option
from .blueprint import PlannedService
from ...knowledge import load
from .profile import Profile

PLATFORM_DRIVER = {"aws": "{cloud} is the platform: its managed offering is used",
                   "gcp": "{cloud} is the platform: its managed offering is used",
                   "azure": "{cloud} is the platform: its managed offering is used",
                   "self_hosted": "the system runs on servers you operate: open-source software you can run yourself",
                   "neutral": "no cloud is named: open-source technology, which every cloud also offers managed"}


def _managed(store: str, platform: str) -> str:
    """Where no cloud is named, each cloud's managed equivalent of `store`."""
    names = load("databases")["store"][store].get("cloud", {})
    if platform != "neutral" or not names:
        return ""
    return " Managed equivalents: " + "; ".join(f"{k.upper()} {v}" for k, v in names.items()) + "."
SERVICE_ROLE = {"ml": "ml", "ingest": "ingest", "realtime": "realtime", "crud": "core", "worker": "core"}
LOCATION_CONTEXTS = {"location", "dispatch"}


def _pick(options: list[Option], weights: dict[str, float]) -> str:
    best, best_score = options[0].name, None
    for o in options:
        score = sum(w * o.scores.get(c, 0.0) for c, w in weights.items())
        if best_score is None or score > best_score + 1e-9:
            best, best_score = o.name, score
    return best


def style_decision(profile: Profile, style: str, points: dict, scores: dict) -> Decision:
    """The style decision as the plan made it: both styles scored on every criterion, the
    design's style chosen, its strongest reasons as drivers."""
    weights = dict(load("patterns")["style"]["weights"])
    options = [Option(name=s, scores=scores[s], note="; ".join(w for _, _, w in points[s])) for s in ("modular_monolith", "microservices")]
    ranked = sorted(points[style], key=lambda r: -r[0] * weights.get(r[1], 0))
    drivers = [w for _, _, w in ranked] or ["no strong driver either way: the simpler style wins"]
    other = "microservices" if style == "modular_monolith" else "modular_monolith"
    consequences = (
        ["One codebase and one deployment; modules keep clear boundaries so a part can be split out later.",
         "Scale by running more identical instances; background work runs in a separate worker process."]
        if style == "modular_monolith" else
        ["Each service owns its data and deploys on its own; cross-service work goes through events.",
         "Needs a gateway, service discovery, tracing and per-service pipelines from day one."]
    )
    rejected = next(o for o in options if o.name == other)
    return Decision(title="Architecture style", topic="style", subject="system", context=f"Team: {profile.team_evidence or 'not stated'}",
                    drivers=drivers, weights=weights, options=options, chosen=style,
                    consequences=consequences + [f"Rejected {other.replace('_', ' ')}: {rejected.note or 'fewer reasons in its favour'}."])


def service_role(service: PlannedService) -> str:
    if any(c.name in LOCATION_CONTEXTS for c in service.contexts):
        return "location"
    return SERVICE_ROLE.get(service.workload, "core")


def language_decision(profile: Profile, service: PlannedService, broker: bool = True) -> tuple[Decision, str, str]:
    """The decision for one service, with the chosen language label and framework; a worker
    without a message broker takes its jobs from a database queue."""
    langs = load("languages")
    workload = service.workload if service.workload in langs["weights"] else "crud"
    weights = dict(langs["weights"][workload])
    role = service_role(service)
    role_lang = profile.roles.get(role) or (profile.roles.get("core") if role in ("location", "realtime", "ingest") else None)
    if role_lang is None and role == "core":
        role_lang = profile.roles.get("web")
    options = []
    for key, spec in langs["language"].items():
        scores = dict(spec["scores"])
        scores["ecosystem"] = float(spec["fit"][workload])
        if not profile.skills:
            expertise = 3.0
        elif role_lang == key:
            expertise = 5.0
        else:
            expertise = float(profile.skills.get(key, 1))
            if role_lang is not None and expertise > 3:
                expertise = 3.0
        scores["team_expertise"] = expertise
        options.append(Option(name=key, scores={k: float(v) for k, v in scores.items()}, note=spec["label"]))
    chosen = _pick(options, weights)
    known = [o for o in options if o.name == role_lang or profile.skills.get(o.name, 0) >= 4]
    if known and chosen not in {o.name for o in known}:
        # The languages the team states are a constraint, not one score among others.
        chosen = _pick(known, weights)
    spec = langs["language"][chosen]
    framework = profile.frameworks.get(chosen) if workload in ("crud",) else None
    if service.kind == "worker":
        framework = spec["frameworks"]["worker" if broker else "worker_db"]
    framework = framework or spec["frameworks"][workload]
    if service.kind == "scheduler":
        cloud = load("languages")["scheduler"].get(profile.platform)
        framework = f"{cloud} calling a small {spec['label']} job runner" if cloud else spec["frameworks"]["scheduler"]
    drivers = [f"workload: {workload}"]
    if role_lang == chosen:
        drivers.append(f"the team uses {spec['label']} for this kind of service")
    elif profile.skills.get(chosen, 0) >= 4:
        drivers.append(f"the team knows {spec['label']}")
    elif not profile.skills:
        drivers.append("no team skills stated: every language scored 3 for expertise")
    decision = Decision(
        title=f"Language for {service.name}", topic="language", subject=service.name,
        context=f"{service.responsibility} Team: {profile.team_evidence or 'not stated'}",
        drivers=drivers, weights=weights, options=options, chosen=chosen,
        consequences=[f"{spec['label']} ({spec['runtime']}) with {framework}."],
    )
    return decision, spec["label"], framework


def _store_options(kind: str, cloud: str) -> list[str]:
    db = load("databases")
    names = list(db["needs"][kind]["options"])
    if kind == "message_broker":
        names += ["pubsub", "service_bus"]
    return [n for n in names if cloud in db["store"][n].get("clouds", [cloud])]


def technology_name(store: str, cloud: str) -> str:
    spec = load("databases")["store"][store]
    return spec.get("cloud", {}).get(cloud, spec["label"])


def store_decision(profile: Profile, kind: str, subject: str, purpose: str) -> tuple[Optional[Decision], str]:
    """The decision for one datastore or the broker, and the technology name to show."""
    db = load("databases")
    cloud = profile.platform
    if kind in db.get("edge", {}):
        edge = db["edge"][kind]
        return None, edge["cloud"].get(cloud, edge["default"])
    if kind not in db["needs"]:
        return None, kind
    need = db["needs"][kind]
    weights = dict(need["weights"])
    if kind == "message_broker":
        streaming = profile.capacity.writes_per_second >= 2000 or profile.has("ingestion", "analytics", "telemetry", "ml")
        weights = ({"throughput": 0.35, "replay": 0.25, "task_queue": 0.10, "operability": 0.20, "cost": 0.10} if streaming else
                   {"throughput": 0.10, "replay": 0.10, "task_queue": 0.35, "operability": 0.30, "cost": 0.15})
    if kind == "relational_db" and profile.has("strong_consistency", "ledger", "payments"):
        weights = {k: (v + 0.05 if k == "consistency" else v) for k, v in weights.items()}
    if profile.has("tight_budget", "mvp") and "cost" in weights:
        weights["cost"] = weights["cost"] + 0.1
    total = sum(weights.values())
    weights = {k: round(v / total, 3) for k, v in weights.items()}
    options = []
    for name in _store_options(kind, cloud):
        spec = db["store"][name]
        scores = {k: float(v) for k, v in spec["scores"].items()}
        if kind in spec.get("fit_by_need", {}):
            scores["fit"] = float(spec["fit_by_need"][kind])
        options.append(Option(name=name, scores=scores, note=spec["label"]))
    chosen = _pick(options, weights)
    label = technology_name(chosen, cloud)
    top = sorted(weights, key=lambda k: -weights[k])[:2]
    decision = Decision(
        title=f"{need['label'].capitalize()} for {subject}", topic="broker" if kind == "message_broker" else "database",
        subject=subject, context=purpose, drivers=[f"{c.replace('_', ' ')} carries {weights[c]:.0%} of the weight" for c in top] + (
            [PLATFORM_DRIVER[cloud].format(cloud=cloud.upper())]),
        weights=weights, options=options, chosen=chosen,
        consequences=[f"{label}: {db['store'][chosen]['label']} for the {need['label']}." + _managed(chosen, cloud)],
    )
    return decision, label


API_STYLES = {
    "rest": {"client_compatibility": 5, "tooling": 5, "performance": 3, "realtime_push": 1, "simplicity": 5},
    "graphql": {"client_compatibility": 4, "tooling": 4, "performance": 3, "realtime_push": 3, "simplicity": 3},
    "grpc": {"client_compatibility": 2, "tooling": 4, "performance": 5, "realtime_push": 3, "simplicity": 3},
    "websocket": {"client_compatibility": 3, "tooling": 3, "performance": 4, "realtime_push": 5, "simplicity": 2},
}


def api_decisions(profile: Profile) -> list[Decision]:
    weights = {"client_compatibility": 0.3, "tooling": 0.25, "performance": 0.1, "realtime_push": 0.1, "simplicity": 0.25}
    options = [Option(name=k, scores={c: float(v) for c, v in s.items()}) for k, s in API_STYLES.items()]
    out = [Decision(title="Public API style", topic="api_style", subject="public API", context="How clients call the system.",
                    drivers=["browsers, mobile apps and partners all speak HTTP+JSON", "OpenAPI tooling for docs, clients and contract tests"],
                    weights=weights, options=options, chosen=_pick(options, weights),
                    consequences=["Resource-oriented endpoints, versioned under /v1, described by an OpenAPI document."])]
    if profile.has("realtime", "presence", "live_location"):
        rt = {"client_compatibility": 0.15, "tooling": 0.1, "performance": 0.2, "realtime_push": 0.45, "simplicity": 0.1}
        out.append(Decision(title="Live updates channel", topic="api_style", subject="live updates", context=profile.traits.get("realtime") or profile.traits.get("presence") or profile.traits.get("live_location", ""),
                            drivers=["the server must push updates as they happen"], weights=rt, options=options,
                            chosen=_pick(options, rt), consequences=["Clients hold a WebSocket; the server pushes events and falls back to polling."]))
    return out
