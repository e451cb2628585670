"""Every part of a plan cites the Brief facts that call for it (`because`, fact ids).

The planner records why as it decides: contexts cite the needs, nouns or sentences that
brought them, component kinds the facts their rule fired on. This pass hands those reasons
to each service, component, edge and job, so the card, the map and BACKEND_DESIGN.md can
say what each part is for, and the review can find a part nothing in the Brief calls for.
"""

from __future__ import annotations

from .blueprint import Plan, PlannedService
from ...knowledge import load
from .profile import Profile

_MAX = 6  # a reason is a few facts, not the whole Brief


def _merge(*lists: list[str]) -> list[str]:
    return list(dict.fromkeys(i for ids in lists for i in ids))[:_MAX]


def _service_because(s: PlannedService, profile: Profile) -> list[str]:
    ids = _merge(*(c.because for c in s.contexts))
    if s.kind == "worker":
        async_traits = [t for t in load("patterns")["worker"]["any_traits"] if profile.has(t)]
        ids = _merge(ids, profile.cite(*async_traits))
    if s.kind == "scheduler":
        ids = _merge(profile.cite("scheduled"), ids)
    return ids or _merge(profile.load_facts(), [t.id for t in profile.brief.domain][:2])


def justify(p: Plan, profile: Profile) -> None:
    """Fill `because` on the plan's services, components, edges and jobs."""
    by_name: dict[str, list[str]] = {}
    for s in p.services:
        s.because = _service_because(s, profile)
        by_name[s.name] = s.because
    entities = [t.id for t in profile.brief.domain][:3]
    for c in p.components:
        owners = [s.because for s in p.services if c["name"] in s.stores]
        own = p.kind_because.get(c["kind"], [])
        if c["kind"] in ("relational_db", "read_replica") and not own:
            # The system of record exists for the things the text says the system manages.
            own = entities
        c["because"] = _merge(own) or _merge(*owners) or _merge(profile.style_facts())
        by_name[c["name"]] = c["because"]
    for e in p.edges:
        e["because"] = _merge(by_name.get(e["target"], []) if e["target"] != "clients" else [],
                              by_name.get(e["source"], []))[:3]
    for j in p.jobs:
        scheduled = j["trigger"].startswith("cron")
        own = j.get("because") or (profile.cite("scheduled") if scheduled else [])
        j["because"] = _merge(own, by_name.get(j.get("service") or "", []))[:4]
