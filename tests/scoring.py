"""How a problem set is scored: run each brief through the offline designer and compare.

Shared by tests/test_examples.py (the development set) and tests/test_heldout_like.py
(briefs the designer was not built from), so both sets are judged the same way as the
hidden held-out set: core recall, must_not kinds, style, and the capacity figures the
text implies against the estimate.
"""

from __future__ import annotations

from pathlib import Path

import yaml

import dwarf_nb as dw
from dwarf_nb.analysis.capacity import breakdown

DATA = Path(__file__).parent / "data"

# numbers key -> how to read the same figure from the estimate (a Figures object).
FIGURES = {
    "avg_rps": lambda f: f.avg_rps,
    "peak_rps": lambda f: f.peak_rps,
    "writes_per_second": lambda f: f.writes,
    "peak_writes_per_second": lambda f: f.peak_writes,
    "avg_read_rps": lambda f: f.reads,
    "peak_read_rps": lambda f: f.peak_reads,
    "baseline_rps": lambda f: f.avg_rps,
    "storage_gb_per_month": lambda f: f.storage_gb_month,
    "storage_tb_per_month": lambda f: f.storage_gb_month / 1000,
    "storage_gb_total": lambda f: f.storage_gb_total,
    "retained_storage_tb": lambda f: f.storage_gb_total / 1000,
    "retained_storage_tb_raw": lambda f: f.storage_gb_total / 1000,
    "ingest_mb_per_second": lambda f: f.ingest_mb_s,
    "egress_gbps_avg": lambda f: f.egress_mbps / 1000,
    "concurrent_viewers_avg": lambda f: f.concurrent or 0.0,
}


def load_set(filename: str) -> list[dict]:
    """The problems of one YAML file under tests/data."""
    return yaml.safe_load((DATA / filename).read_text())


def scored(problem: dict) -> dict:
    """One problem through the designer: its design, core kinds hit, must_not kinds present,
    and estimate/expected for every capacity figure the estimate maps."""
    design = dw.design(problem["requirements"])
    kinds = design.kinds()
    figures = breakdown(problem["requirements"])
    ratios = {}
    for key, expected in (problem.get("numbers") or {}).items():
        if key in FIGURES and isinstance(expected, (int, float)) and expected:
            ratios[key] = FIGURES[key](figures) / expected
    return {
        "design": design,
        "core_hit": len(set(problem["expected_core"]) & kinds),
        "core": len(problem["expected_core"]),
        "missed": sorted(set(problem["expected_core"]) - kinds),
        "bad": sorted(kinds & set(problem["must_not"])),
        "ratios": ratios,
    }


def recall(results: dict[str, dict]) -> float:
    """Aggregate core recall: expected core kinds present over all expected core kinds."""
    return sum(r["core_hit"] for r in results.values()) / sum(r["core"] for r in results.values())


def off_by_more_than_two(result: dict) -> dict[str, float]:
    """The capacity figures whose estimate is not within a factor of 2 of the expected value."""
    return {k: round(v, 2) for k, v in result["ratios"].items() if not 0.5 <= v <= 2.0}


def table(problems: list[dict], results: dict[str, dict]) -> str:
    """The per-problem report (run pytest with -s to see it)."""
    rows = [f"{'problem':34} {'style':17} {'core':>5} {'must_not':10} capacity (estimate / expected)"]
    for p in problems:
        r = results[p["id"]]
        caps = " ".join(f"{k}={v:.2f}" for k, v in r["ratios"].items())
        style = r["design"].style + ("" if r["design"].style == p["expected_style"] else " (!)")
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
    for role, language in (problem.get("languages") or {}).items():
        match = service_for(role, services)
        if match is not None:
            if match.language.lower().replace("#", "sharp") != language:
                misses.append(f"{role} -> {match.name} is {match.language}")
        elif language not in used:
            misses.append(f"{role} should be {language}; design uses {sorted(used)}")
    return misses
