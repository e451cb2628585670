"""Constraints a brief states: the team (size, squads, languages, frameworks and what each
is for), hosting, budget, availability and latency targets, and compliance.

Vocabularies live in `knowledge/constraints.toml` and `knowledge/languages.toml`. Every
constraint becomes a `Setting` with the sentence it came from; numbers it takes (team
sizes, percentages, money, milliseconds) are marked used so they never count as load.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Optional

from ....brief import Need, Setting
from ....knowledge import load
from .quantities import Q
from .text import Sentence, find
from .text import has as _has
from .workloads import MONTH, YEAR


@cache
def _k() -> dict:
    return load("constraints")


@dataclass
class Team:
    size: Optional[int] = None
    squads: Optional[int] = None
    evidence: str = ""
    span: Optional[tuple[int, int]] = None
    skills: dict[str, int] = field(default_factory=dict)  # language -> 1..5
    roles: dict[str, str] = field(default_factory=dict)  # role tag -> language
    frameworks: dict[str, str] = field(default_factory=dict)  # language -> framework label
    language_evidence: str = ""


@cache
def _languages() -> tuple[re.Pattern, re.Pattern, dict[str, str]]:
    owner: dict[str, str] = {}
    loose, exact = [], []
    for key, spec in load("languages")["language"].items():
        for alias in spec.get("aliases", []):
            owner.setdefault(alias.lower(), key)
            loose.append(alias)
        for alias in spec.get("exact", []):
            owner.setdefault(alias.lower(), key)
            exact.append(alias)
    for alias, label in load("languages")["frameworks"].items():
        lang = next((k for k, spec in load("languages")["language"].items()
                     if label in spec["frameworks"].values() or alias in spec.get("aliases", [])), None)
        if lang:
            owner.setdefault(alias, lang)
            loose.append(alias)
    by_len = lambda names: "|".join(re.escape(a) for a in sorted(set(names), key=len, reverse=True))  # noqa: E731
    return (re.compile(rf"(?<![A-Za-z0-9#.])(?:{by_len(loose)})(?![A-Za-z0-9#+])", re.IGNORECASE),
            re.compile(rf"(?<![A-Za-z0-9])(?:{by_len(exact)})(?![A-Za-z0-9])"), owner)


@cache
def _role_patterns() -> list[tuple[str, re.Pattern]]:
    roles = load("languages")["roles"]
    return [(tag, re.compile(r"(?<![a-z])(?:" + "|".join(re.escape(k) for k in roles[tag]) + ")"))
            for tag in ("firmware", "ml", "ingest", "location", "realtime", "web", "core")]


def _role_tag(phrase: str) -> Optional[str]:
    low = phrase.lower()
    return next((tag for tag, pattern in _role_patterns() if pattern.search(low)), None)


_ROLE_AFTER = re.compile(r"^\s*(?:\([^)]*\)\s*)?(?:is\s+|are\s+)?(?:for|on|in)\s+(?:the\s+|our\s+)?([a-z][a-z /&-]{1,40}?)\s*(?:[,;.)]|\band\b|\bplus\b|\bwhile\b|$)", re.IGNORECASE)
_ROLE_BEFORE = re.compile(r"([a-z][a-z /-]{1,40}?)\s+(?:write|writes|written|use|uses|know|knows|are|is|in|code in|work in)\s+$|([a-z][a-z -]{1,30}?)\s*\(\s*$", re.IGNORECASE)


def read_team(sentences: list[Sentence], qs: dict[int, list[Q]], text: str) -> Team:
    """Team size and squads, the languages the team knows, what each is for, stated frameworks."""
    team = Team()
    k = _k()["team"]
    for s in sentences:
        low = s.low
        size = 0
        used: list[Q] = []
        for q in qs.get(s.index, []):
            if q.kind != "count" or q.used:
                continue
            if q.cls == "role" and q.sub == "team" and not ({"third-party", "external", "partner"} & set(q.mods)) and not _has(low, ["third-party developers", "external developers"]):
                size += int(q.value)
                used.append(q)
            elif q.noun in ("team",) and s.tokens[max(0, q.num.i - 1)].low == "of" and q.value < 2000:
                size = max(size, int(q.value))
                used.append(q)
            elif q.noun.split()[-1:] and q.noun.split()[-1] in k["squads"] and q.value < 200 and q.cls in ("item", "") and (
                    _has(low, ["engineer", "engineers", "developer", "developers", "squad", "squads", "product teams", "teams of"]) or q.noun.startswith("squad")):
                if q.value >= 2:
                    team.squads = max(team.squads or 0, int(q.value))
                q.use()
            elif q.cls == "role" and q.sub in ("end_user", "staff") and q.noun in ("person", "people") and _has(low, ["team", "we are", "we're", "of us"]):
                size = max(size, int(q.value))
                used.append(q)
        m = re.search(r"\b(?:we are|we're|there are)\s+(\w+)\s+of us\b|\b(\w+)\s+of us\b", low)
        if m and not size:
            word = m.group(1) or m.group(2)
            num = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}.get(word) or (int(word) if word.isdigit() else 0)
            size = num
        if not size and find(k["solo"], low):
            size = 1
        if not size and find(k["pair"], low):
            size = 2
        if size and (team.size is None or size > team.size):
            team.size, team.evidence = size, s.evidence
            team.span = used[0].span if used else (s.start, s.end)
        for q in used:
            q.use()
        if "squad" in low and team.squads is None:
            m2 = re.search(r"\b(several|a few|multiple|many)\s+(?:squads|teams)\b", low)
            if m2:
                team.squads = 3
        _languages_in(s, team)
    return team


def _languages_in(s: Sentence, team: Team) -> None:
    loose, exact, owner = _languages()
    sent = s.text
    hits = [(m.start(), m.end(), owner[m.group(0).lower()], m.group(0).lower()) for m in loose.finditer(sent)]
    hits += [(m.start(), m.end(), owner[m.group(0).lower()], m.group(0).lower()) for m in exact.finditer(sent)]
    if not hits:
        return
    frameworks = load("languages")["frameworks"]
    k = _k()["team"]
    low = s.low
    hits.sort()
    last_role = None
    for start, end, key, alias in hits:
        if alias in ("node",) and not re.search(r"node\.?js|\bnode\b\s*(?:and|,|/|\(|developers|engineers|backend)", low):
            continue
        if alias in frameworks:
            team.frameworks.setdefault(key, frameworks[alias])
        weak = find(k["weak"], low[max(0, start - 16): start])
        level = 2 if weak else 5
        team.skills[key] = max(team.skills.get(key, 0), level)
        team.language_evidence = team.language_evidence or s.evidence
        after = _ROLE_AFTER.match(sent[end:])
        window = sent[max(0, start - 45): start]
        before = _ROLE_BEFORE.search(window)
        tag = None
        if after:
            tag = _role_tag(after.group(1))
        elif before:
            tag = _role_tag(before.group(1) or before.group(2))
        elif re.search(r"\b(and|or|,)\s*$", sent[max(0, start - 6): start]):
            tag = last_role
        if tag in ("firmware",) or (tag == "web" and key in ("typescript",) and re.search(r"\b(front[- ]?end|clients?|browser|mobile|apps?|ui)\b", low) and
                                    re.search(r"\b(backend|back-end|server|services|api)\b", low) and len({h[2] for h in hits}) > 1):
            # firmware languages, and a front-end language beside a stated back-end one, build no service
            if tag == "firmware" or any(h[2] != key for h in hits):
                team.skills[key] = min(team.skills[key], 2) if tag != "firmware" else 0
                if tag == "firmware":
                    team.skills.pop(key, None)
                continue
        if tag and tag not in team.roles:
            team.roles[tag] = key
        last_role = tag or last_role
    team.skills = {k2: v for k2, v in team.skills.items() if v > 0}


def read_hosting(sentences: list[Sentence]) -> tuple[str, str, Optional[tuple[int, int]]]:
    """(hosting, evidence, span): aws | gcp | azure | self_hosted | other:<name> | unstated."""
    h = _k()["hosting"]
    best = None
    for s in sentences:
        low = s.low
        for name in ("self_hosted", "aws", "gcp", "azure"):
            m = find(h[name]["phrases"], low)
            if m is None:
                continue
            if name == "self_hosted" and m.group(0) in h[name]["weak"] and any(
                    find(h[cloud]["phrases"], low) for cloud in ("aws", "gcp", "azure")):
                continue
            if name in ("aws", "gcp", "azure") and re.search(r"\b(not|no|never|off|leave|leaving|away from|instead of|without)\b[^.]{0,20}$", low[:m.start()]):
                continue
            if name == "aws" and m.group(0) == "aws" and "AWS" not in s.text and "aws" not in s.text:
                continue
            rank = {"self_hosted": 0, "aws": 1, "gcp": 1, "azure": 1}[name]
            if best is None or rank < best[0]:
                best = (rank, name, s.evidence, (s.start + m.start(), s.start + m.end()))
        if best is None or best[0] > 0:
            m = find(h["other"]["names"], low)
            if m is not None and (best is None or best[0] >= 1) and best is None:
                best = (2, "other:" + m.group(0).replace(" ", ""), s.evidence, (s.start + m.start(), s.start + m.end()))
    if best is None:
        return "unstated", "", None
    return best[1], best[2], best[3]


def read_budget(sentences: list[Sentence], qs: dict[int, list[Q]]) -> Optional[Setting]:
    b = _k()["budget"]
    for s in sentences:
        low = s.low
        for q in qs.get(s.index, []):
            if q.kind != "money" or q.used:
                continue
            around = low[max(0, q.num.start - s.start - 50): q.num.end - s.start + 40]
            before = low[max(0, q.num.start - s.start - 30): q.num.start - s.start]
            price = _has(around, b["price_cues"])
            is_budget = _has(around, ["budget", "spend", "afford", "hosting", "infrastructure", "servers", "running cost", "cloud bill", "bill"])
            if price and not is_budget:
                q.why = "a price or an amount of money handled, not load"
                q.use()
                continue
            if not is_budget and not (q.period and _has(before, ["under", "below", "less than", "at most", "no more than", "up to", "within"])):
                q.why = "an amount of money, not load"
                q.use()
                continue
            per_month = q.value if not q.period or q.period == MONTH else q.value * MONTH / q.period if q.period < YEAR else q.value / 12
            q.use()
            return Setting(id="constraint.budget", name="budget_per_month", value=round(per_month, 2), unit=q.num.currency or "USD",
                           evidence=s.evidence, span=q.span,
                           formula="" if not q.period or q.period == MONTH else f"{q.text} a year ÷ 12")
    return None


def read_availability(sentences: list[Sentence], qs: dict[int, list[Q]]) -> Optional[Setting]:
    a = _k()["availability"]
    for s in sentences:
        low = s.low
        for q in qs.get(s.index, []):
            if q.kind == "percent" and not q.used and 0.9 <= q.value < 1.0:
                around = low[max(0, q.num.start - s.start - 60): q.num.end - s.start + 45]
                if any(c in around for c in a["cues"]) and not _has(around, ["reads", "of requests", "of traffic", "of users", "accuracy", "discount", "of orders"]):
                    q.use()
                    return Setting(id="constraint.availability", name="availability", value=round(q.value, 6), unit="fraction",
                                   evidence=s.evidence, span=q.span)
        for words, value in a["words"].items():
            i = low.find(words)
            if i != -1:
                return Setting(id="constraint.availability", name="availability", value=value, unit="fraction",
                               evidence=s.evidence, span=(s.start + i, s.start + i + len(words)))
    return None


def read_latency(sentences: list[Sentence], qs: dict[int, list[Q]]) -> Optional[Setting]:
    from .lexicon import cues

    lat = cues("time", "latency_cues")
    best = None
    for s in sentences:
        low = s.low
        for q in qs.get(s.index, []):
            if q.kind != "duration" or q.used or q.every:
                continue
            ms = q.value * 1000
            before = low[max(0, q.num.start - s.start - 60): q.num.start - s.start]
            after = low[q.num.end - s.start: q.num.end - s.start + 25]
            if ms > 10_000 or (ms >= 1000 and not _has(before, ["under", "within", "in less than", "less than", "below", "load in", "respond", "p95", "p99", "latency", "appear", "arrive", "reach"])):
                continue
            if not (_has(before + " " + after, lat) or q.unit == "s" and ms < 1000):
                continue
            q.use()
            for p in qs.get(s.index, []):
                if p.kind == "percent" and not p.used and 0.9 <= p.value < 1 and p.num.i < q.num.i:
                    p.use()
            if best is None or ms < best.value:
                best = Setting(id="constraint.latency", name="p95_latency_ms", value=round(ms, 3), unit="ms", evidence=s.evidence, span=q.span)
    return best


def read_compliance(sentences: list[Sentence]) -> tuple[list[str], dict[str, tuple[str, tuple[int, int]]]]:
    found: dict[str, tuple[str, tuple[int, int]]] = {}
    for s in sentences:
        low = s.low
        for name, phrases in _k()["compliance"].items():
            if name in found:
                continue
            m = find(phrases, low)
            if m is None:
                continue
            if name == "pci" and re.search(r"keep(?:s|ing)? card (?:numbers|data) off|never (?:see|touch|store)s? card", low) and "pci" not in low:
                continue
            if name == "gdpr" and m.group(0) == "personal data" and not _has(low, ["eu", "europe", "european", "uk", "protect", "law", "regulation", "consent", "gdpr"]):
                continue
            found[name] = (s.evidence, (s.start + m.start(), s.start + m.end()))
    return sorted(found), found


def constraint_needs(sentences: list[Sentence], budget: Optional[Setting]) -> list[Need]:
    """low_cost and high_availability said without figures."""
    k = _k()
    out: list[Need] = []
    for name, phrases in (("low_cost", k["budget"]["low_cost"]), ("high_availability", k["availability"]["high"])):
        for s in sentences:
            m = find(phrases, s.low)
            if m is not None:
                out.append(Need(id=f"need.{name}", name=name, evidence=s.evidence, span=(s.start + m.start(), s.start + m.end())))
                break
    if budget is not None and budget.value is not None and budget.value <= 200 and not any(n.name == "low_cost" for n in out):
        out.append(Need(id="need.low_cost", name="low_cost", status="derived", evidence=budget.evidence, span=budget.span,
                        formula=f"a hosting budget of {budget.value:g} a month"))
    return out
