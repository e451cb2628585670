"""Reads the traits of a requirements text: what the system must do and under which constraints.

`read_profile(text)` returns a `Profile`: the keyword traits of `knowledge/patterns.toml`
(each with the sentence it came from), traits derived from the numbers (read-heavy, huge
history, latency target), the team (size, squads, languages and what each is for), the
cloud, and the load and capacity figures. Everything later stages decide is read from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Optional

from ...analysis.capacity import Figures, breakdown
from .knowledge import find_phrase, load, may_hold
from .numbers import Load, read_load
from .quantities import WORD_NUMBERS, YEAR, evidence

_CLOUDS = (("aws", re.compile(r"\bAWS\b|\bAmazon Web Services\b")),
           ("gcp", re.compile(r"\bGCP\b|\bGoogle Cloud\b")),
           ("azure", re.compile(r"\bAzure\b")))
_TEAM_SENTENCE = re.compile(r"\b(teams?|engineers?|developers?|devs|founders?|data scientists?|squads?|programmers?)\b", re.IGNORECASE)
_TEAM_WORDS = ("team", "engineer", "developer", "devs", "founder", "data scientist", "squad", "programmer")  # _TEAM_SENTENCE's stems
_TEAM_OF = re.compile(r"\bteam\s+of\s+(\d+|" + "|".join(WORD_NUMBERS) + r")\b", re.IGNORECASE)
_PEOPLE = re.compile(r"(?<![\w.])(\d+|" + "|".join(WORD_NUMBERS) + r")\s+(?:[a-z-]+\s+){0,2}?(engineers?|developers?|devs|founders?|data scientists?|programmers?|people)\b", re.IGNORECASE)
_SQUADS = re.compile(r"(\d+|" + "|".join(WORD_NUMBERS) + r")\s+(squads|teams)\b", re.IGNORECASE)
_SQUAD_WORDS = ("squads", "teams")
_SEARCH = re.compile(r"\bsearch", re.IGNORECASE)
# "search / look for / filter ... by A, B or C": the criteria a search combines, up to the end of the clause.
_SEARCH_BY = re.compile(r"\b(?:search\w*|look(?:s|ing)?\s+(?:up|for)|filter\w*)\b[^.;:]{0,80}?\bby\s+([^.;:]+)", re.IGNORECASE)
_CRITERIA_SEP = re.compile(r",|\s(?:or|and)\s", re.IGNORECASE)
_WEAK = re.compile(r"\b(a little|some|basic|a bit of|learning|limited)\s+$", re.IGNORECASE)
_ROLE_AFTER = re.compile(r"^\s*(?:\([^)]*\)\s*)?for\s+(?:the\s+)?([a-z][a-z /&-]{1,40}?)\s*(?:[,;.)]|\band\b|\bplus\b|$)", re.IGNORECASE)
_ROLE_BEFORE = re.compile(r"([a-z][a-z /-]{1,40}?)\s+(?:write|writes|use|uses|know|knows|are|is|in|code in|work in)\s+$|([a-z][a-z -]{1,30}?)\s*\(\s*$", re.IGNORECASE)
_ROLE_VERB_ENDS = "eswnESWN\u017f"  # the last letters of _ROLE_BEFORE's verbs in any case ('ſ' matches 's')


@dataclass
class Profile:
    """What the designer knows about a requirements text."""

    text: str
    traits: dict[str, str] = field(default_factory=dict)  # trait -> evidence
    load: Load = field(default_factory=Load)
    figures: Figures = field(default_factory=Figures)
    team: Optional[int] = None
    squads: Optional[int] = None
    team_evidence: str = ""
    skills: dict[str, int] = field(default_factory=dict)  # language -> 1..5
    roles: dict[str, str] = field(default_factory=dict)  # role tag -> language
    frameworks: dict[str, str] = field(default_factory=dict)  # language -> stated framework
    cloud: Optional[str] = None
    cloud_evidence: str = ""

    def has(self, *names: str) -> bool:
        return any(n in self.traits for n in names)

    def numbers(self) -> dict[str, float]:
        """The figures thresholds in the knowledge files refer to."""
        f = self.figures
        total = f.reads + f.writes
        return {
            "peak_rps": f.peak_rps, "avg_rps": total, "reads": f.reads, "writes": f.writes,
            "peak_writes": f.peak_writes, "read_share": f.reads / total if total else 0.0,
            "storage_gb_total": f.storage_gb_total, "storage_gb_month": f.storage_gb_month,
            "team": float(self.team or 0), "squads": float(self.squads or 0),
            "concurrent": float(self.load.concurrent or 0),
            "languages": float(len([l for l, v in self.skills.items() if v >= 3])),
            "role_languages": float(len({l for r, l in self.roles.items() if r not in ("web", "firmware")})),
            "ingest_mb_s": f.ingest_mb_s,
        }


def sentence_at(text: str, pos: int) -> str:
    """The sentence around position `pos` of `text`, tidied for use as evidence."""
    start = max(text.rfind(". ", 0, pos), text.rfind("\n", 0, pos), text.rfind("! ", 0, pos), text.rfind("? ", 0, pos))
    ends = [i for i in (text.find(". ", pos), text.find("\n", pos)) if i != -1]
    end = min(ends) + 1 if ends else len(text)
    return evidence(text[start + 1: end])


def keyword_traits(text: str) -> dict[str, str]:
    """Trait -> the sentence that shows it, for every keyword trait present."""
    low = text.lower()
    found: dict[str, str] = {}
    for name, spec in load("patterns")["traits"].items():
        m = find_phrase(spec["any"], low, spec.get("not_followed", []))
        if m:
            found[name] = sentence_at(text, m.start())
    return found


def _int(word: str) -> int:
    return int(word) if word.isdigit() else WORD_NUMBERS.get(word.lower(), 0)


@cache
def _role_patterns() -> list[tuple[str, re.Pattern]]:
    roles = load("languages")["roles"]
    return [(tag, re.compile(r"(?<![a-z])(?:" + "|".join(re.escape(k) for k in roles[tag]) + ")"))
            for tag in ("firmware", "ml", "ingest", "location", "realtime", "web", "core")]


def _role_tag(phrase: str) -> Optional[str]:
    """The service role a team's phrase names ('pricing models' -> ml), if any."""
    low = phrase.lower()
    return next((tag for tag, pattern in _role_patterns() if pattern.search(low)), None)


@cache
def _alias_patterns() -> tuple[re.Pattern, re.Pattern, dict[str, str]]:
    """One pattern for every alias (any case), one for case-sensitive names (Go), and alias -> language."""
    owner: dict[str, str] = {}
    loose, exact = [], []
    for key, spec in load("languages")["language"].items():
        for alias in spec.get("aliases", []):
            owner.setdefault(alias.lower(), key)
            loose.append(alias)
        for alias in spec.get("exact", []):
            owner.setdefault(alias.lower(), key)
            exact.append(alias)
    by_len = lambda names: "|".join(re.escape(a) for a in sorted(names, key=len, reverse=True))  # noqa: E731
    return (re.compile(rf"(?<![A-Za-z0-9#.])(?:{by_len(loose)})(?![A-Za-z0-9#])", re.IGNORECASE),
            re.compile(rf"(?<![A-Za-z0-9])(?:{by_len(exact)})(?![A-Za-z0-9])"), owner)


def _language_mentions(sent: str) -> list[tuple[int, int, str, str]]:
    loose, exact, owner = _alias_patterns()
    hits = [(m.start(), m.end(), owner[m.group(0).lower()], m.group(0).lower()) for m in loose.finditer(sent)]
    hits += [(m.start(), m.end(), owner[m.group(0).lower()], m.group(0).lower()) for m in exact.finditer(sent)]
    return sorted(hits)


def _may_end_in_role(window: str) -> bool:
    """False only when `window` surely does not end as _ROLE_BEFORE needs: a verb and spaces, or '('.

    Most windows end otherwise, and a failing _ROLE_BEFORE search is the slow case.
    """
    tail = window.rstrip()
    return tail.endswith("(") or (len(tail) < len(window) and tail[-1:] in _ROLE_VERB_ENDS)


def read_team(text: str, profile: Profile) -> None:
    """Team size, squads, known languages, what each is for, and stated frameworks."""
    langs = load("languages")
    frameworks = langs["frameworks"]
    team_sents = [s for s in re.split(r"(?<=[.!?])\s+", text) if may_hold(s, s.lower(), _TEAM_WORDS) and _TEAM_SENTENCE.search(s)]
    for sent in team_sents:
        m = _TEAM_OF.search(sent)
        outside = re.sub(r"\([^)]*\)", "", sent) if "(" in sent else sent
        # "three squads of engineers" counts squads, not people.
        people = [_int(p.group(1)) for p in _PEOPLE.finditer(outside) if not _SQUADS.match(p.group(0))]
        size = _int(m.group(1)) if m else sum(people)
        if size and (profile.team is None or size > profile.team):
            profile.team, profile.team_evidence = size, evidence(sent)
        sq = _SQUADS.search(sent) if may_hold(sent, sent.lower(), _SQUAD_WORDS) else None
        if sq:
            profile.squads = _int(sq.group(1))
        hits = _language_mentions(sent)
        last_role = None
        for start, end, key, alias in hits:
            if alias.lower() in frameworks:
                profile.frameworks.setdefault(key, frameworks[alias.lower()])
            weak = _WEAK.search(sent[max(0, start - 14): start])
            level = 2 if weak else (5 if not profile.skills else 4)
            profile.skills[key] = max(profile.skills.get(key, 0), level)
            after = _ROLE_AFTER.match(sent[end:])
            window = sent[max(0, start - 45): start]
            before = _ROLE_BEFORE.search(window) if _may_end_in_role(window) else None
            tag = None
            if after:
                tag = _role_tag(after.group(1))
            elif before:
                tag = _role_tag(before.group(1) or before.group(2))
            elif re.search(r"\b(and|or|,)\s*$", sent[max(0, start - 6): start]):
                tag = last_role
            if tag == "firmware":
                profile.skills.pop(key, None)
                continue
            if tag and tag not in profile.roles:
                profile.roles[tag] = key
                profile.skills[key] = max(profile.skills[key], 5 if not weak else 2)
            last_role = tag or last_role


def derived_traits(profile: Profile) -> None:
    """Traits that follow from the numbers rather than from words."""
    f, ld, t = profile.figures, profile.load, profile.traits
    stated_reads = ld.read_share is not None or any(fl.cls == "read" for fl in ld.flows)
    if stated_reads and f.reads and (f.reads >= 4 * f.writes or (ld.read_share or 0) >= 0.8):
        t.setdefault("read_heavy", ld.read_share_evidence or f"about {f.reads / max(f.writes, 1e-9):.0f} reads per write")
    if ld.latency_ms is not None and ld.latency_ms <= 500:
        t.setdefault("latency_target", ld.latency_evidence)
    big = max((fl for fl in ld.flows if fl.cls == "write"), key=lambda fl: fl.avg, default=None)
    if big is not None:
        kept = big.retention_s if big.retention_s is not None else ld.retention_s
        long_kept = kept is not None and kept >= 2 * YEAR - 1
        if (big.avg >= 400 and long_kept) or (big.avg >= 5000 and kept is not None and kept >= YEAR - 1):
            t.setdefault("huge_history", f"{big.evidence} / {ld.retention_evidence}")
    derived = load("patterns")["derived"]
    if (ld.catalog_items or 0) >= derived["catalog_search_items"] and _SEARCH.search(profile.text):
        t.setdefault("catalog_search", ld.catalog_evidence)
    for m in _SEARCH_BY.finditer(profile.text):
        # Searching by several criteria at once is a faceted search, which a search engine serves.
        if len(_CRITERIA_SEP.split(m.group(1))) >= derived["search_criteria"]:
            t.setdefault("text_search", sentence_at(profile.text, m.start()))
            break
    if "geo_search" in t and ("telemetry" in t or "realtime" in t):
        # "What is free near here, right now": changing state looked up by place, kept in memory.
        t.setdefault("live_geo", t["geo_search"])
    if (ld.spike_factor or 0) >= derived["spike_factor"]:
        t.setdefault("spiky", ld.spike_evidence)
    if "audit" in t and (ld.retention_s or 0) >= derived["audit_archive_years"] * YEAR - 1:
        # Years of audit records are written once and rarely read: an archive, not hot rows.
        t.setdefault("archive", t["audit"])
    for fl in ld.flows:
        if fl.senders:
            # Devices reporting at an interval: positions are live locations, anything else telemetry.
            t.setdefault("live_location" if fl.noun == "position" else "telemetry", fl.evidence)
        if fl.senders >= derived["device_fleet"]:
            t.setdefault("device_fleet", fl.evidence)
    if f.ingest_mb_s >= derived["ingestion_mb_s"]:
        t.setdefault("ingestion", f"about {f.ingest_mb_s:.0f} MB/s of incoming data")
    large = derived["large_record_bytes"]
    blob = next((fl for fl in ld.flows if fl.cls == "write" and (fl.size or 0) >= large), None)
    if blob is not None:
        t.setdefault("large_records", blob.evidence)
    if "ingestion" in t and (f.writes >= 1000 or "analytics" in t):
        t.setdefault("ingestion_archive", t["ingestion"])
    if "hipaa" in t:
        t.setdefault("private_media_only", t["hipaa"])
    if ld.availability is not None and ld.availability >= 0.9995:
        t.setdefault("high_availability", ld.availability_evidence)
    if ld.budget_per_month is not None and ld.budget_per_month <= 500:
        t.setdefault("tight_budget", ld.budget_evidence)


def read_profile(text: str) -> Profile:
    """Everything the offline designer reads from a requirements text."""
    profile = Profile(text=text)
    profile.load = read_load(text)
    profile.figures = breakdown(profile.load)
    profile.traits = keyword_traits(text)
    read_team(text, profile)
    for name, pattern in _CLOUDS:
        m = pattern.search(text)
        if m and (profile.cloud is None):
            profile.cloud, profile.cloud_evidence = name, sentence_at(text, m.start())
    derived_traits(profile)
    return profile
