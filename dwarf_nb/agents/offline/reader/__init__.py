"""The offline reader: requirements text in, a Brief out.

    read_brief(text, facts=None) -> Brief

Stages, each a small module over the one before:

    text         sentences (independent of line wrapping) and tokens with offsets
    numbers      numbers however written ('2.5k', 'two hundred thousand', 'one in five')
    quantities   each number bound to its unit, the noun it counts and its period
    workloads    actors, workloads and stored data composed across sentences
    constraints  team, languages, hosting, budget, targets, compliance
    needs        capabilities the text calls for (knowledge/needs.toml)
    domain       the text's own nouns for what the system manages
    facts        what the user sets in front matter or `facts={...}`; it always wins

Defaults where the text is silent become *assumed* facts with the reason, and every
number no fact used is listed in `Brief.unused`.
"""

from __future__ import annotations

from typing import Any, Optional

from ....brief import (FRONT_MATTER_SETTINGS, FRONT_MATTER_TOTALS, FRONT_MATTER_USERS, Actor, Brief, DataItem, Need, Setting, Term, Unused,
                       Workload)
from ....knowledge import load
from ....views.numbers import plain
from .constraints import (constraint_needs, read_availability, read_budget, read_compliance, read_hosting,
                          read_latency, read_team)
from .domain import read_domain
from .facts import Facts, check, split_front_matter
from .lexicon import data, plural
from .needs import pattern_needs, read_needs
from .quantities import quantities
from .schedules import read_schedules
from .text import find, sentences
from .workloads import DAY, MONTH, compose

_DIGITISH = frozenset("0123456789")


def _once(found) -> tuple[list, list]:
    """The sentences to read, and the repeats of earlier ones: a sentence pasted twice states
    its facts once, so its numbers are not counted again."""
    seen: set[str] = set()
    once, repeats = [], []
    for s in found:
        key = " ".join(s.text.lower().split())
        (repeats if key in seen and len(key) > 20 else once).append(s)
        seen.add(key)
    return once, repeats


def read_brief(text: str, facts: Any = None) -> Brief:
    """Everything the offline reader understands of `text`, with the user's facts on top."""
    front, body_start = split_front_matter(text)
    given = check({**front, **(check(facts).model_dump(exclude_none=True) if facts is not None else {})}) if (front or facts) else Facts()
    # The front matter is blanked, not cut, so offsets still point into the text as written.
    prose = " " * body_start + text[body_start:]
    sents, repeats = _once(sentences(prose))
    qs = {s.index: quantities(s) for s in sents}
    load_, pending = compose(sents, qs)
    team = read_team(sents, qs, prose)
    budget = read_budget(sents, qs)
    availability = read_availability(sents, qs)
    latency = read_latency(sents, qs)
    hosting, hosting_ev, hosting_span = read_hosting(sents)
    compliance, compliance_ev = read_compliance(sents)

    brief = Brief()
    brief.actors = load_.actors
    brief.workloads = load_.workloads
    brief.data = load_.data
    brief.needs = read_needs(prose, sents) + constraint_needs(sents, budget)
    brief.needs += pattern_needs(prose, sents, brief.needs)
    brief.domain = read_domain(sents)
    brief.constraints = _constraints(team, budget, availability, latency, hosting, hosting_ev, hosting_span, compliance, compliance_ev)
    brief.constraints += load_.settings
    brief.constraints += read_schedules(sents)
    _derived_needs(brief)
    # The user's facts first, so the defaults size traffic from them and never replace them.
    _apply(brief, given)
    _defaults(brief, load_, pending)
    _capped(brief, [q for s in sents for q in qs[s.index] if q.num.capped])
    brief.unused = [Unused(text=q.text, span=q.span, why=q.why or _why(q)) for s in sents for q in qs[s.index] if not q.used]
    brief.unused += [Unused(text=q.text, span=q.span, why="the same sentence appears earlier in the text and is read once")
                     for s in repeats for q in quantities(s)]
    # A number a stage consumed without keeping a fact for it is still shown, never silently lost.
    covered = bytearray(len(text) + 1)
    for a, b in [f.span for f in brief.facts() if f.span] + [u.span for u in brief.unused]:
        covered[a:b] = b"\x01" * (b - a)
    quoted = {f.evidence for f in brief.facts()}
    brief.unused += [Unused(text=q.text, span=q.span, why="read, but no fact kept it")
                     for s in sents for q in qs[s.index]
                     if q.used and not any(covered[q.span[0]:q.span[1]]) and s.evidence not in quoted]
    return brief


def _capped(brief: Brief, capped: list) -> None:
    """A fact built on a figure the reader cut down (a 400-digit number) is an assumption, and says so."""
    largest = data()["numbers"]["limits"]["largest"]
    for q in capped:
        for f in brief.facts():
            overlaps = f.span is not None and f.span[0] < q.span[1] and q.span[0] < f.span[1]
            if f.status != "set" and (overlaps or (f.span is None and f.evidence == q.sent.evidence)):
                f.status = "assumed"
                f.why = (f"{q.text[:12]}… is past the largest figure read as written ({largest:.0e}), "
                         f"so it was capped there; correct it with front matter if the figure is real")


def _constraints(team, budget, availability, latency, hosting, hosting_ev, hosting_span, compliance, compliance_ev) -> list[Setting]:
    out: list[Setting] = []
    if team.size is not None:
        out.append(Setting(id="constraint.team", name="team", value=team.size, unit="people", evidence=team.evidence, span=team.span))
    if team.squads is not None:
        out.append(Setting(id="constraint.squads", name="squads", value=team.squads, unit="squads", evidence=team.evidence))
    if team.skills:
        strong = [k for k, v in sorted(team.skills.items(), key=lambda kv: -kv[1]) if v >= 3]
        weak = [k for k, v in team.skills.items() if v < 3]
        out.append(Setting(id="constraint.languages", name="languages", value=strong or weak, evidence=team.language_evidence))
        if weak and strong:
            out.append(Setting(id="constraint.languages_weak", name="languages_weak", value=weak, evidence=team.language_evidence))
    if team.frameworks:
        out.append(Setting(id="constraint.frameworks", name="frameworks", value=sorted(team.frameworks.values()),
                           evidence=team.language_evidence))
    if team.roles:
        out.append(Setting(id="constraint.language_roles", name="language_roles", value=dict(sorted(team.roles.items())),
                           evidence=team.language_evidence))
    if hosting != "unstated":
        out.append(Setting(id="constraint.hosting", name="hosting", value=hosting, evidence=hosting_ev, span=hosting_span))
    else:
        out.append(Setting(id="constraint.hosting", name="hosting", value="unstated", status="assumed",
                           why="no cloud or hosting is named: neutral open-source technology, with each cloud's managed equivalent noted"))
    for s in (budget, availability, latency):
        if s is not None:
            out.append(s)
    if compliance:
        ev = compliance_ev[compliance[0]]
        out.append(Setting(id="constraint.compliance", name="compliance", value=compliance, evidence=ev[0], span=ev[1]))
    return out


def _derived_needs(brief: Brief) -> None:
    """Needs that follow from the load rather than from words: a fleet of devices, telemetry."""
    have = {n.name for n in brief.needs}
    devices = [a for a in brief.actors if a.role == "device" and a.count]
    dev_writes = [w for w in brief.workloads if w.actor and any(a.id == w.actor and a.role == "device" for a in brief.actors)]
    if (devices and dev_writes) and "device_ingestion" not in have:
        w = max(dev_writes, key=lambda w: w.avg_per_s)
        brief.needs.append(Need(id="need.device_ingestion", name="device_ingestion", status="derived", evidence=w.evidence, span=w.span,
                                formula=f"{w.name}: {plain(w.avg_per_s)}/s from a fleet of devices"))
    if "device_ingestion" in {n.name for n in brief.needs} and "telemetry" not in have:
        w = next((w for w in dev_writes if not any(x in w.name for x in ("position", "location", "gps"))), None)
        if w is not None:
            brief.needs.append(Need(id="need.telemetry", name="telemetry", status="derived", evidence=w.evidence, span=w.span,
                                    formula=f"{w.name} arrive at an interval: measurements over time"))
    schedule = next((c for c in brief.constraints if c.name == "schedule"), None)
    if schedule is not None and "scheduled_jobs" not in have:
        brief.needs.append(Need(id="need.scheduled_jobs", name="scheduled_jobs", status="derived", evidence=schedule.evidence,
                                span=schedule.span, formula=f"work set for a time: {schedule.value}"))
    if "location_tracking" not in have and any(any(x in w.name for x in ("position", "location", "gps")) and w.actor for w in brief.workloads):
        w = next(w for w in brief.workloads if any(x in w.name for x in ("position", "location", "gps")) and w.actor)
        brief.needs.append(Need(id="need.location_tracking", name="location_tracking", status="derived", evidence=w.evidence, span=w.span,
                                formula=f"{w.name} sent at an interval"))


def _defaults(brief: Brief, load_, pending) -> None:
    """Assumed facts where the text is silent: traffic from the people counted, sizes, retention."""
    d = load("capacity")
    ops = {w.op for w in brief.workloads}
    given_share = brief.setting("read_share")
    share = float(given_share.value) if given_share is not None else load_.read_share
    if share is None and ("mixed" in ops or not ops or ops == {"write"} or ops == {"read"}):
        share_fact = Setting(id="assumed.read_share", name="read_share", value=d["read_share"], unit="fraction", status="assumed",
                             why="the text gives no read/write split: most requests to an application read")
        if "mixed" in ops or not ops:
            brief.constraints.append(share_fact)
    if not any(w.op in ("read", "write", "mixed") for w in brief.workloads):
        _assumed_traffic(brief, d, pending)
    elif share is not None and ops == {"write"}:
        writes = sum(w.avg_per_s for w in brief.workloads if w.op == "write")
        if writes and share < 1:
            reads = writes * share / (1 - share)
            brief.workloads.append(Workload(id="workload.reads", name="reads", op="read", avg_per_s=reads, peak_per_s=reads * 3,
                                            status="derived", formula=f"{plain(writes)} writes/s × {share:.0%} ÷ {1 - share:.0%} ≈ {plain(reads)} reads/s"))
    elif share is not None and ops == {"read"}:
        reads = sum(w.avg_per_s for w in brief.workloads if w.op == "read")
        if reads and share > 0:
            writes = reads * (1 - share) / share
            brief.workloads.append(Workload(id="workload.writes", name="writes", op="write", avg_per_s=writes, peak_per_s=writes * 3,
                                            status="derived", formula=f"{plain(reads)} reads/s × {1 - share:.0%} ÷ {share:.0%} ≈ {plain(writes)} writes/s"))
    elif "read" not in ops and "mixed" not in ops:
        users = _daily_users(brief, d)
        if users is not None:
            n, why = users
            per = d["requests_per_day"]["end_user"] * (share if share is not None else d["read_share"])
            reads = n * per / DAY
            brief.workloads.append(Workload(id="workload.reads-assumed", name="reads", op="read", avg_per_s=reads, peak_per_s=reads * 3,
                                            status="assumed", why=f"reads are not stated: {why}, each making about {plain(per)} read requests a day",
                                            formula=f"{plain(n)} × {plain(per)} ÷ 86,400 s ≈ {plain(reads)}/s"))
    given_years = brief.setting("retention_years")
    horizon = float(given_years.value) if given_years is not None else load_.horizon_years
    for w in brief.workloads:
        if w.status == "assumed" and w.op == "write":
            size = d["record_bytes"]
            monthly = w.avg_per_s * MONTH * size
            keep = horizon or d["horizon_years"]
            brief.data.append(DataItem(id=f"data.{w.id.split('.', 1)[1]}", item=w.name, size_bytes=size, per_month=w.avg_per_s * MONTH,
                                       retention_years=horizon, gb_per_month=monthly / 1e9, gb_total=monthly / 1e9 * 12 * keep,
                                       status="assumed", why=f"no size is stated for {w.name}: {size} bytes a record"))
    if given_years is None and load_.horizon_years is None:
        brief.constraints.append(Setting(id="assumed.retention", name="retention_years", value=d["horizon_years"], unit="years",
                                         status="assumed", why="no retention is stated: storage is sized for one year"))
    elif given_years is None:
        brief.constraints.append(Setting(id="constraint.retention", name="retention_years", value=round(load_.horizon_years, 3), unit="years",
                                         status="stated", evidence=next((i.evidence for i in brief.data if i.retention_years), "")))
    if not any(s.name == "availability" for s in brief.constraints):
        brief.constraints.append(Setting(id="assumed.availability", name="availability", value=0.999, unit="fraction", status="assumed",
                                         why="no availability target is stated: 99.9% (about 43 minutes of downtime a month)"))
    if not any(s.name == "p95_latency_ms" for s in brief.constraints):
        brief.constraints.append(Setting(id="assumed.latency", name="p95_latency_ms", value=200.0, unit="ms", status="assumed",
                                         why="no latency target is stated: API calls answer within 200 ms at p95"))


def _daily_users(brief: Brief, d: dict) -> Optional[tuple[float, str]]:
    users = [a for a in brief.actors if a.role == "end_user" and a.count]
    if not users:
        return None
    by_kind = {a.count_kind: a for a in sorted(users, key=lambda a: a.count or 0)}
    if "daily_active" in by_kind:
        a = by_kind["daily_active"]
        return a.count, f"{plain(a.count)} {plural(a.noun)} a day"
    for kind, key in (("monthly_active", "monthly_active"), ("registered", "registered"), ("total", "plain")):
        if kind in by_kind:
            a = by_kind[kind]
            frac = d["daily_share"][key]
            return a.count * frac, f"{frac:.0%} of the {plain(a.count)} {plural(a.noun)} use it on a given day"
    a = max(users, key=lambda a: a.count or 0)
    if a.count_kind == "concurrent":
        return a.count * 10, f"about ten times the {plain(a.count)} {plural(a.noun)} online at once use it in a day"
    return a.count, f"{plain(a.count)} {plural(a.noun)}"


def _assumed_traffic(brief: Brief, d: dict, pending) -> None:
    stated = brief.setting("read_share")
    share = float(stated.value) if stated is not None and isinstance(stated.value, (int, float)) else d["read_share"]
    people = _daily_users(brief, d)
    parts = []
    online = max((a for a in brief.actors if a.role == "end_user" and a.count and a.count_kind == "concurrent"),
                 key=lambda a: a.count or 0, default=None)
    only_online = online is not None and not any(a.role == "end_user" and a.count and a.count_kind != "concurrent" for a in brief.actors)
    if only_online:
        # Only a concurrency is stated: that many people each click about twice a minute at the busiest time.
        per_min = d["requests_per_concurrent_user_per_minute"]
        peak = online.count * per_min / 60
        formula = f"{plain(online.count)} {plural(online.noun)} online at once × {plain(per_min)} requests a minute ≈ {plain(peak)} requests/s at peak"
        why = f"the text states no request rate: {plain(online.count)} concurrent {plural(online.noun)} (online at once), each making about {plain(per_min)} requests a minute at peak"
        for op, part in (("read", share), ("write", 1 - share)):
            brief.workloads.append(Workload(id=f"workload.{op}s-assumed", name=f"{op}s", op=op, avg_per_s=peak * part / 3, peak_per_s=peak * part,
                                            peak_rule="stated", status="assumed", why=why, formula=formula + ", a third of it on average"))
        return
    if people is not None:
        n, why = people
        per = d["requests_per_day"]["end_user"]
        parts.append((n * per / DAY, f"{why}, each making about {per} requests a day", f"{plain(n)} × {per} ÷ 86,400 s"))
    for role in ("staff", "api_client", "device"):
        group = [a for a in brief.actors if a.role == role and a.count]
        if group and (role != "device" or not brief.workloads):
            a = max(group, key=lambda a: a.count or 0)
            per = d["requests_per_day"][role]
            parts.append((a.count * per / DAY, f"{plain(a.count)} {plural(a.noun)}, each making about {plain(per)} requests a day",
                          f"{plain(a.count)} × {plain(per)} ÷ 86,400 s"))
    if not parts:
        n, why = _scale_guess(brief, d)
        per = d["requests_per_day"]["end_user"]
        parts.append((n * d["daily_share"]["plain"] * per / DAY, why + f", each making about {per} requests a day",
                      f"{plain(n)} × {d['daily_share']['plain']:.0%} × {per} ÷ 86,400 s"))
    total = sum(p[0] for p in parts)
    why = "; ".join(p[1] for p in parts)
    formula = " + ".join(p[2] for p in parts) + f" ≈ {plain(total)} requests/s, {share:.0%} reads"
    brief.workloads.append(Workload(id="workload.reads-assumed", name="reads", op="read", avg_per_s=total * share, peak_per_s=total * share * 3,
                                    status="assumed", why=f"the text states no request rate: {why}", formula=formula))
    brief.workloads.append(Workload(id="workload.writes-assumed", name="writes", op="write", avg_per_s=total * (1 - share),
                                    peak_per_s=total * (1 - share) * 3, status="assumed", why=f"the text states no request rate: {why}", formula=formula))


def _scale_guess(brief: Brief, d: dict) -> tuple[float, str]:
    """Users to size for when the text counts nobody, from a word about its size ('our club', 'nationwide')."""
    text = " ".join(t.evidence.lower() for t in brief.domain) + " " + " ".join(n.evidence.lower() for n in brief.needs)
    best = None
    for word, n in d["scale_words"].items():
        if find([word], text):
            if best is None or n < best[1]:
                best = (word, n)
    if best is not None:
        return float(best[1]), f"the text states no scale and no one is counted; \"{best[0]}\" suggests about {plain(best[1])} users"
    return float(d["default_users"]), f"the text states no scale and no one is counted: a small system of about {plain(d['default_users'])} users is assumed"


def _apply(brief: Brief, given: Facts) -> None:
    """The user's facts, marked 'set by you', replacing whatever was read."""
    g = given.model_dump(exclude_none=True)
    if not g:
        return
    brief.given = g

    def setting(name: str, value, unit: str = "", key: str = "") -> None:
        brief.constraints = [c for c in brief.constraints if c.name != name]
        brief.constraints.append(Setting(id=f"constraint.{name}", name=name, value=value, unit=unit, status="set",
                                         evidence=f"set by you: {key or name}: {value}"))

    for key, (name, unit) in FRONT_MATTER_SETTINGS.items():
        if key in g:
            setting(name, g[key], unit, key)
    if "languages" in g:
        brief.constraints = [c for c in brief.constraints if c.name not in ("language_roles", "languages_weak")]
    for key, kind in FRONT_MATTER_USERS.items():
        if key in g:
            brief.actors = [a for a in brief.actors if not (a.role == "end_user" and a.count_kind == kind)]
            brief.actors.insert(0, Actor(id=f"actor.users-{kind.replace('_', '-')}", noun="user", role="end_user", count=g[key],
                                         count_kind=kind, status="set", evidence=f"set by you: {key}: {plain(g[key])}"))
    for key in FRONT_MATTER_TOTALS:
        if key in g:
            brief.totals = [t for t in brief.totals if t.name != key]
            unit = "GB" if key.startswith("storage") else "per_s"
            brief.totals.append(Setting(id=f"total.{key}", name=key, value=g[key], unit=unit, status="set",
                                        evidence=f"set by you: {key}: {plain(g[key])}"))
    for name, flag in (g.get("needs") or {}).items():
        brief.needs = [n for n in brief.needs if n.name != name]
        brief.needs.append(Need(id=f"need.{name}", name=name, value=flag, status="set", evidence=f"set by you: needs: {{{name}: {str(flag).lower()}}}"))
    for noun in g.get("entities") or []:
        slug = "-".join(noun.lower().split())
        if not any(t.noun == noun.lower() for t in brief.domain):
            brief.domain.insert(0, Term(id=f"domain.{slug}", noun=noun.lower(), status="set", evidence=f"set by you: entities: {noun}"))


def _why(q) -> str:
    if q.kind == "count" and 1900 <= q.value <= 2100 and q.value == int(q.value) and not q.noun:
        return "a year, not a load"
    if q.kind == "measure":
        return f"a length or size of one {q.noun}, not a load"
    if q.kind == "duration":
        return "a duration the reader could not tie to an interval, a retention, a window or a target"
    if q.kind in ("percent", "share"):
        return "a share the reader could not tie to a stream, a party or a target"
    if q.kind == "multiplier":
        return "a factor the reader could not tie to a peak or to growth"
    if q.kind == "size":
        return "a size the reader could not tie to something stored"
    if q.noun:
        return f"a count of {plural(q.noun)} that is not a load, a party or stored data"
    return "not bound to a load, a size or a target"
