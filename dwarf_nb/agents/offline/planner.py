"""Plans the architecture from a Profile: style, infrastructure kinds, bounded contexts and services.

The rules live in `knowledge/patterns.toml` (which traits and thresholds call for which
component kind, and the points for each style); the bounded contexts come from `contexts`. This module
evaluates them; `wiring` connects the result and `jobs` protects the background work.
"""

from __future__ import annotations

import math
from typing import Optional

from .blueprint import Context, Plan, PlannedService
from .contexts import find_contexts
from .jobs import give_idle_workers_work, plan_jobs
from .justify import justify
from ...knowledge import load
from .profile import Profile
from .wiring import wire


def _fits(rule: dict, profile: Profile, numbers: dict[str, float], style: Optional[str]) -> bool:
    if rule.get("any_traits") and not profile.has(*rule["any_traits"]):
        return False
    if rule.get("none_traits") and profile.has(*rule["none_traits"]):
        return False
    if rule.get("styles") and style not in rule["styles"]:
        return False
    for key, value in rule.items():
        if key.startswith("min_") and key != "min_instances" and numbers.get(key[4:], 0.0) < value:
            return False
        if key.startswith("max_") and numbers.get(key[4:], 0.0) > value:
            return False
    return True


STYLES = ("modular_monolith", "microservices")


def choose_style(profile: Profile) -> tuple[str, dict[str, dict[str, float]], dict[str, list[tuple[int, str, str]]]]:
    """The style the weighted matrix prefers, each style's 1-5 score on every criterion, and
    the reasons behind them (weight of the reason, criterion, words) per style."""
    numbers = profile.numbers()
    cfg = load("patterns")["style"]
    scores = {st: {c: float(cfg["base"][st].get(c, 3)) for c in cfg["weights"]} for st in STYLES}
    reasons: dict[str, list[tuple[int, str, str]]] = {st: [] for st in STYLES}
    words = {k: _human(v) for k, v in numbers.items()}
    for criterion, figure in (("team", "team"), ("scale", "peak_rps")):
        if criterion == "team" and profile.team is None:
            continue
        band = next((b for b in cfg[criterion] if numbers[figure] <= b["upto"]), cfg[criterion][-1])
        for st in STYLES:
            scores[st][criterion] = float(band["scores"][st])
        lead = max(STYLES, key=lambda st: band["scores"][st])
        gap = band["scores"][lead] - min(band["scores"].values())
        if gap:
            reasons[lead].append((gap, criterion, band["why"].format(**words)))
    for rule in cfg["point"]:
        if _fits(rule, profile, numbers, None):
            st, c = rule["style"], rule["criterion"]
            scores[st][c] = float(min(5, max(1, scores[st][c] + rule["points"])))
            if rule["points"] > 0:
                reasons[st].append((rule["points"], c, rule["why"].format(**words)))
    weighted = {st: sum(cfg["weights"][c] * v for c, v in scores[st].items()) for st in STYLES}
    style = "microservices" if weighted["microservices"] > weighted["modular_monolith"] + 1e-9 else "modular_monolith"
    return style, scores, reasons


def _human(x: float) -> str:
    if x >= 1e6:
        return f"{x / 1e6:.3g} million"
    if x >= 1e4:
        return f"{x / 1e3:.3g}k"
    return f"{x:.3g}"


def choose_kinds(profile: Profile, style: str, quiet: bool, tiny: bool, instances: int) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Component kind -> why the design needs it, and kind -> the Brief facts behind that.
    A quiet system drops the heavy kinds `[proportion]` names; a tiny one its warehouse too."""
    numbers = profile.numbers()
    kinds: dict[str, str] = {}
    because: dict[str, list[str]] = {}
    for rule in load("patterns")["component"]:
        if rule["kind"] in kinds:
            continue
        if rule.get("min_instances") and instances < rule["min_instances"] and style != "microservices":
            continue
        if _fits(rule, profile, numbers, style):
            evidence = next((profile.traits[t] for t in rule.get("any_traits", []) if t in profile.traits), "")
            kinds[rule["kind"]] = rule["reason"] + (f" (\"{evidence}\")" if evidence else "")
            because[rule["kind"]] = rule_because(rule, profile)
    if quiet:
        rules = load("patterns")["proportion"]
        for heavy in rules["quiet_drops"] + (rules["tiny_drops"] if tiny else []):
            kinds.pop(heavy, None)
    return kinds, because


def rule_because(rule: dict, profile: Profile) -> list[str]:
    """The facts a rule fired on: those behind its traits, then those behind the figures its
    thresholds test (the load for rates, the data for storage, the settings for team and style)."""
    ids = profile.cite(*[t for t in rule.get("any_traits", []) if profile.has(t)])
    tested = {k[4:] for k in rule if k.startswith(("min_", "max_"))}
    if tested & {"peak_rps", "avg_rps", "reads", "writes", "peak_writes", "read_share", "instances", "concurrent", "ingest_mb_s"}:
        ids += profile.load_facts()
    if tested & {"storage_gb_total", "storage_gb_month"}:
        ids += [d.id for d in profile.brief.data][:3]
    for name in ("team", "squads", "availability"):
        s = profile.brief.setting(name)
        if s is not None and (name in tested or (name == "availability" and "instances" in tested)):
            ids.append(s.id)
    if rule.get("styles") and not ids:
        ids += profile.style_facts()
    return list(dict.fromkeys(ids))


def plan(profile: Profile) -> Plan:
    """The whole plan (see the module docstring)."""
    f = profile.capacity
    style, scores, points = choose_style(profile)
    rules = load("patterns")["proportion"]
    quiet = f.peak_rps < rules["quiet_peak_rps"] and f.ingest_mb_per_second < rules["quiet_ingest_mb_s"] and (profile.team or 0) <= rules["quiet_team"]
    tiny = quiet and f.storage_gb_total < rules["tiny_storage_gb"]
    availability = profile.availability or (0.99 if tiny and not profile.has("high_availability") else 0.999)
    budget = profile.brief.setting("budget_per_month")
    frugal = (profile.team or 99) <= rules["one_instance_team"] or (
        budget is not None and budget.status != "assumed" and float(budget.value) <= rules["one_instance_budget"])
    redundant = availability >= 0.999 and not (frugal and not profile.has("high_availability"))
    instances = min(rules["max_instances"], max(2 if redundant else 1, math.ceil(f.peak_rps / rules["rps_per_instance"])))
    kinds, kind_because = choose_kinds(profile, style, quiet, tiny, instances)
    contexts = find_contexts(profile)
    p = Plan(style=style, style_points=points, style_scores=scores, kinds=kinds, contexts=contexts, tiny=tiny, availability=availability,
             kind_because=kind_because)
    _services(p, profile, instances)
    wire(p, profile)
    plan_jobs(p, profile)
    give_idle_workers_work(p)
    justify(p, profile)
    return p


def _async_work(profile: Profile, contexts: list[Context]) -> bool:
    return profile.has(*load("patterns")["worker"]["any_traits"]) or any(
        c.spec.get("kind") == "worker" for c in contexts
    )


def _services(p: Plan, profile: Profile, instances: int) -> None:
    own = [c for c in p.contexts if not c.spec.get("attach")]
    api_contexts = [c for c in own if c.spec.get("kind", "api") == "api"]
    worker_contexts = [c for c in own if c.spec.get("kind") == "worker"]
    # Even a tiny app sends its emails and renders its files off the request path.
    needs_worker = _async_work(profile, p.contexts)
    if p.style == "modular_monolith":
        realtime = any(c.spec.get("api_style") == "websocket" for c in api_contexts)
        app = PlannedService("app", "api", api_contexts, "crud", public=True, instances=instances,
                             api_style="rest")
        app.responsibility = "One deployable with a module per bounded context: " + ", ".join(c.name for c in api_contexts) + (
            "; it also holds the websocket endpoint for live updates." if realtime else ".")
        p.services.append(app)
        if needs_worker:
            w = PlannedService("worker", "worker", worker_contexts, "worker")
            w.responsibility = "Background jobs off the request path: " + (", ".join(c.name for c in worker_contexts) or "async tasks") + "."
            p.services.append(w)
        elif worker_contexts:
            app.contexts = app.contexts + worker_contexts
    else:
        groups: dict[str, list[Context]] = {}
        for c in own:
            groups.setdefault(c.spec["service"], []).append(c)
        # About one service per four engineers; background workers are counted apart.
        limit = max(4, min(9, (profile.team or 20) // 4))
        ranked = sorted(groups, key=lambda s: (-max(c.spec.get("priority", 1) for c in groups[s]), list(groups).index(s)))
        is_worker = {s: all(c.spec.get("kind") == "worker" for c in groups[s]) for s in groups}
        apis = [s for s in ranked if not is_worker[s]]
        workers_ranked = [s for s in ranked if is_worker[s]]
        keep = apis[:limit] + workers_ranked[:3]
        merged = apis[limit:] + workers_ranked[3:]
        for s in merged:
            target = _merge_target(groups[s], keep, groups, is_worker[s])
            groups[target].extend(groups.pop(s))
        keep = [s for s in ranked if s in keep]
        for s in keep:
            ctxs = groups[s]
            kind = "worker" if all(c.spec.get("kind") == "worker" for c in ctxs) else "api"
            workload = ctxs[0].spec.get("workload", "crud")
            style = next((c.spec["api_style"] for c in ctxs if c.spec.get("api_style")), "rest" if kind == "api" else "none")
            svc = PlannedService(s, kind, ctxs, workload, api_style=style, public=False,
                                 instances=instances if kind == "api" else max(2, instances // 2))
            svc.responsibility = f"Owns {', '.join(c.name for c in ctxs)}" + (" and runs that background work." if kind == "worker" else ".")
            p.services.append(svc)
        if not any(s.kind == "api" for s in p.services):
            # A text that names nothing the system manages still gets an API to start from.
            p.services.insert(0, PlannedService("api", "api", [], "crud", instances=instances,
                                                responsibility="The API; the text names nothing it manages yet."))
        if needs_worker and not any(s.kind == "worker" for s in p.services):
            p.services.append(PlannedService("worker", "worker", [], "worker", responsibility="Background jobs off the request path.", instances=2))
    _attach(p)
    timed = [c for c in p.contexts if c.spec.get("jobs")]
    if profile.has("scheduled") or timed:
        sch = PlannedService("scheduler", "scheduler", [], "worker", api_style="none")
        said = profile.traits["scheduled"][:80] if profile.has("scheduled") else ", ".join(c.name.replace("_", " ") for c in timed)
        sch.responsibility = f"Triggers time-based work ({said})."
        p.services.append(sch)


def _attach(p: Plan) -> None:
    """Pattern contexts that are duties of a service, not services: each joins the service
    holding a context it names as `near`, else the worker (for background work), else the
    main API. Every context's `duty` is then added to its service's responsibility."""
    apis = [s for s in p.services if s.kind == "api"]
    workers = [s for s in p.services if s.kind == "worker"]
    # Who signs in is one concern; a duty with nowhere better to go joins the main domain.
    domain = [s for s in apis if not any(x.name == "identity" for x in s.contexts)]
    for c in (c for c in p.contexts if c.spec.get("attach")):
        near = [s for n in c.spec.get("near", []) for s in p.services if any(x.name == n for x in s.contexts)]
        background = workers if c.spec.get("kind") == "worker" else []
        target = (near or background or domain or apis or p.services)[0]
        target.contexts.append(c)
    for s in p.services:
        for c in s.contexts:
            if c.spec.get("duty"):
                s.responsibility = s.responsibility.rstrip() + " " + c.spec["duty"][:1].upper() + c.spec["duty"][1:].rstrip(".") + "."


def _merge_target(ctxs: list[Context], keep: list[str], groups: dict[str, list[Context]], worker: bool) -> str:
    """Where a context without its own service goes: a kept service it names as `near`,
    else the accounts service, else the most important plain CRUD (or worker) service."""
    for near in ctxs[0].spec.get("near", []):
        for k in keep:
            if any(c.name == near for c in groups[k]):
                return k
    candidates = [k for k in keep if all(c.spec.get("kind") == "worker" for c in groups[k]) == worker] or keep
    if not worker and "accounts" in candidates:
        return "accounts"
    return next((k for k in candidates if groups[k][0].spec.get("workload", "crud") in ("crud", "worker")), candidates[0])


