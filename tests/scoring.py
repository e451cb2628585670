"""How a problem set is scored: run each brief through the offline designer and compare.

Shared by the tests of the development set (tests/data/problems.yaml), the held-out-like
set and the brief corpus (tests/data/briefs/), and by `scripts/score_briefs.py`, which
prints the per-batch figures the README table reports. The facets are the ones a user
meets: capacity figures within a factor of 2 of a careful engineer's, core component
recall, must_not kinds, style, the stated languages and hosting honoured, and budgets
never read as traffic.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

import dwarf_nb as dw

DATA = Path(__file__).parent / "data"
BRIEFS = DATA / "briefs"

# numbers key -> how to read the same figure from the design's Capacity.
FIGURES = {
    "avg_rps": lambda c: c.reads_per_second + c.writes_per_second,
    "peak_rps": lambda c: c.peak_rps,
    "writes_per_second": lambda c: c.writes_per_second,
    "peak_writes_per_second": lambda c: c.peak_writes_per_second,
    "avg_read_rps": lambda c: c.reads_per_second,
    "peak_read_rps": lambda c: c.peak_reads_per_second,
    "baseline_rps": lambda c: c.reads_per_second + c.writes_per_second,
    "storage_gb_per_month": lambda c: c.storage_gb_per_month,
    "storage_tb_per_month": lambda c: c.storage_gb_per_month / 1000,
    "storage_gb_total": lambda c: c.storage_gb_total,
    "retained_storage_tb": lambda c: c.storage_gb_total / 1000,
    "retained_storage_tb_raw": lambda c: c.storage_gb_total / 1000,
    "ingest_mb_per_second": lambda c: c.ingest_mb_per_second,
}

# Product-name words that show which cloud a technology belongs to.
CLOUD_WORDS = {
    "aws": re.compile(r"\b(amazon|aws|dynamodb|sqs|sns|kinesis|aurora|elasticache|cloudfront|msk|lambda|redshift|s3(?!-compatible))\b", re.I),
    "gcp": re.compile(r"\b(google|gcp|bigquery|bigtable|pub/sub|spanner|firestore|memorystore|cloud run|cloud sql|gke)\b", re.I),
    "azure": re.compile(r"\b(azure|cosmos|event hubs|service bus|synapse)\b", re.I),
}
LANGUAGE_NAMES = {"c#": "csharp", ".net": "csharp", "dotnet": "csharp", "js": "javascript", "node": "javascript",
                  "node.js": "javascript", "typescript": "javascript", "golang": "go"}


def load_set(filename: str) -> list[dict]:
    """The problems of one YAML file under tests/data."""
    return yaml.safe_load((DATA / filename).read_text())


def corpus() -> dict[str, list[dict]]:
    """The brief corpus, batch name -> its briefs, in batch order."""
    return {p.stem: yaml.safe_load(p.read_text()) for p in sorted(BRIEFS.glob("batch_*.yaml"))}


def language(name: str) -> str:
    low = name.strip().lower()
    return LANGUAGE_NAMES.get(low, low)


def clouds_named(design) -> set[str]:
    """The clouds whose product names the design's technologies use."""
    techs = " ".join([c.technology for c in design.components] + [s.framework for s in design.services])
    return {cloud for cloud, words in CLOUD_WORDS.items() if words.search(techs)}


_MINOR = frozenset("a an and the of for per by to on in with from or its their as at".split())


def stems(phrase: str) -> set[str]:
    """The content words of a phrase, cut to five letters so that plurals and -ing forms meet."""
    return {w[:5] for w in re.findall(r"[a-z0-9]+", phrase.lower()) if w not in _MINOR and len(w) > 1}


def labels(design) -> list[set[str]]:
    """The word stems of every named element a reviewer would look for a capability in:
    services (name, context), components (name, kind, purpose's first clause), entities,
    jobs (name, description), endpoints (path, summary) and events."""
    out = []
    for s in design.services:
        out.append(stems(f"{s.name} {s.context} {s.responsibility}"))
        out += [stems(f"{e.path} {e.summary}") for e in s.endpoints]
        out += [stems(t) for t in [*s.publishes, *s.consumes]]
    out += [stems(f"{c.name} {c.kind} {c.purpose}") for c in design.components]
    out += [stems(e.name) for e in design.entities]
    out += [stems(f"{j.name} {j.description}") for j in design.jobs]
    return out


def capability_present(capability: str, element_labels: list[set[str]]) -> bool:
    """At least half of the capability's content words in one element (at least one word)."""
    want = stems(capability)
    return bool(want) and any(len(want & got) * 2 >= len(want) for got in element_labels)


def scored(problem: dict) -> dict:
    """One problem through the designer: its design, core kinds hit, must_not kinds present,
    estimate/expected for every capacity figure, and the stated constraints honoured."""
    design = dw.design(problem["requirements"])
    kinds = design.kinds()
    ratios = {}
    for key, expected in (problem.get("numbers") or {}).items():
        if key in FIGURES and isinstance(expected, (int, float)) and expected:
            ratios[key] = FIGURES[key](design.capacity) / expected
    result = {
        "design": design,
        "core_hit": len(set(problem.get("expected_core") or []) & kinds),
        "core": len(problem.get("expected_core") or []),
        "missed": sorted(set(problem.get("expected_core") or []) - kinds),
        "bad": sorted(kinds & set(problem.get("must_not") or [])),
        "ratios": ratios,
        "style_ok": design.style == problem.get("expected_style", design.style),
    }
    entity_names = {e.name.replace("_", " ") for e in design.entities}
    entity_stems = [stems(n) for n in entity_names]
    if problem.get("entities"):
        result["entities"] = [capability_present(e, entity_stems) for e in problem["entities"]]
        result["entities_missed"] = [e for e, ok in zip(problem["entities"], result["entities"]) if not ok]
    if problem.get("capabilities"):
        found = labels(design)
        result["capabilities"] = [capability_present(c, found) for c in problem["capabilities"]]
        result["capabilities_missed"] = [c for c, ok in zip(problem["capabilities"], result["capabilities"]) if not ok]
    result["services"] = len(design.services)
    stated = {language(x) for x in problem.get("languages_stated") or []}
    if stated:
        used = {language(s.language) for s in design.services}
        result["languages_ok"] = used <= stated
    if "hosting" in problem:
        clouds = clouds_named(design)
        want = problem["hosting"]
        result["hosting_ok"] = clouds == {want} if want in CLOUD_WORDS else not clouds
    budget = problem.get("budget_usd_month")
    if budget:
        result["budget_ok"] = _budget_not_traffic(design, budget)
    return result


def _budget_not_traffic(design, budget: float) -> bool:
    """No workload was read from the words of the budget. Where the reader found the budget, the
    spans tell; where it did not, a rate equal to the budget spread over a period is the sign."""
    setting = design.brief.setting("budget_per_month")
    if setting is not None and setting.span:
        a, b = setting.span
        return not any(w.span and w.span[0] < b and a < w.span[1] for w in design.brief.workloads if w.status != "assumed")
    c = design.capacity
    spread = [budget / 2.5e6, budget / 86_400, budget]
    return not any(r and abs(r - s) / s < 0.01 for r in (c.reads_per_second, c.writes_per_second) for s in spread)


def recall(results: dict[str, dict]) -> float:
    """Aggregate core recall: expected core kinds present over all expected core kinds."""
    return sum(r["core_hit"] for r in results.values()) / max(1, sum(r["core"] for r in results.values()))


def within_two(results: dict[str, dict]) -> tuple[int, int]:
    """Capacity figures within a factor of 2, and all figures."""
    ratios = [v for r in results.values() for v in r["ratios"].values()]
    return sum(1 for v in ratios if 0.5 <= v <= 2.0), len(ratios)


def off_by_more_than_two(result: dict) -> dict[str, float]:
    """The capacity figures whose estimate is not within a factor of 2 of the expected value."""
    return {k: round(v, 2) for k, v in result["ratios"].items() if not 0.5 <= v <= 2.0}


def summary(results: dict[str, dict]) -> dict[str, str]:
    """One line of the README table: each facet as hits/total."""
    def count(key):
        vals = [r[key] for r in results.values() if key in r]
        return f"{sum(vals)}/{len(vals)}"

    def share(key):
        vals = [v for r in results.values() for v in r.get(key, [])]
        return f"{sum(vals)}/{len(vals)}"

    hit, total = within_two(results)
    return {"briefs": str(len(results)), "capacity within x2": f"{hit}/{total}",
            "core recall": f"{recall(results):.2f}", "style": count("style_ok"),
            "must_not absent": f"{sum(1 for r in results.values() if not r['bad'])}/{len(results)}",
            "entities": share("entities"), "capabilities": share("capabilities"),
            "languages honoured": count("languages_ok"), "hosting honoured": count("hosting_ok"),
            "budget not traffic": count("budget_ok")}


def table(problems: list[dict], results: dict[str, dict]) -> str:
    """The per-problem report (run pytest with -s to see it)."""
    rows = [f"{'problem':34} {'style':17} {'core':>5} {'must_not':10} capacity (estimate / expected)"]
    for p in problems:
        r = results[p["id"]]
        caps = " ".join(f"{k}={v:.2f}" for k, v in r["ratios"].items())
        style = r["design"].style + ("" if r["style_ok"] else " (!)")
        rows.append(f"{p['id']:34} {style:17} {r['core_hit']:>2}/{r['core']:<2} {','.join(r['bad']) or '-':10} {caps}"
                    + (f"  missed: {', '.join(r['missed'])}" if r["missed"] else ""))
    rows.append(f"aggregate core recall {recall(results):.3f}")
    return "\n".join(rows)


def service_for(role: str, services) -> object | None:
    """The service a loose role label ('courier_location', 'fraud_scoring') means, by shared word stems."""
    stems = {w[:5] for w in role.split("_") if len(w) > 3}
    for s in services:
        names = {w[:5] for part in [s.name, s.context] for w in part.replace("-", "_").replace(",", "_").replace(" ", "").split("_") if len(w) > 3}
        if stems & names:
            return s
    return None


def language_misses(problem: dict, design) -> list[str]:
    """Role hints the design does not follow: on the matching service, or at least somewhere."""
    services = design.services
    used = {s.language.lower().replace("#", "sharp") for s in services}
    misses = []
    for role, language_ in (problem.get("languages") or {}).items():
        match = service_for(role, services)
        if match is not None:
            if match.language.lower().replace("#", "sharp") != language_:
                misses.append(f"{role} -> {match.name} is {match.language}")
        elif language_ not in used:
            misses.append(f"{role} should be {language_}; design uses {sorted(used)}")
    return misses
