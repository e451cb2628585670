"""Every development problem through the offline designer, scored the way the held-out set is.

Prints a table (run with -s to see it): core recall, must_not violations, style, and the
capacity figures the text implies against the estimate. The bars: aggregate recall of
expected core kinds >= 0.85, no must_not kind anywhere, the expected style for every
problem, and every mapped capacity figure within a factor of 2.
"""

from __future__ import annotations

import pytest

import dwarf_nb as dw
from dwarf_nb.analysis.capacity import breakdown
from conftest import PROBLEMS

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


def _scored(problem: dict) -> dict:
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
        "bad": sorted(kinds & set(problem["must_not"])),
        "ratios": ratios,
    }


@pytest.fixture(scope="module")
def results() -> dict[str, dict]:
    return {p["id"]: _scored(p) for p in PROBLEMS}


def test_report_table(results, capsys):
    rows = [f"{'problem':34} {'style':17} {'core':>5} {'must_not':10} capacity (estimate / expected)"]
    for p in PROBLEMS:
        r = results[p["id"]]
        caps = " ".join(f"{k}={v:.2f}" for k, v in r["ratios"].items())
        rows.append(f"{p['id']:34} {r['design'].style:17} {r['core_hit']:>2}/{r['core']:<2} {','.join(r['bad']) or '-':10} {caps}")
    recall = sum(r["core_hit"] for r in results.values()) / sum(r["core"] for r in results.values())
    rows.append(f"aggregate core recall {recall:.3f}")
    with capsys.disabled():
        print("\n" + "\n".join(rows))
    assert recall >= 0.85


@pytest.mark.parametrize("problem", PROBLEMS, ids=[p["id"] for p in PROBLEMS])
def test_no_must_not_kind(problem, results):
    assert results[problem["id"]]["bad"] == []


@pytest.mark.parametrize("problem", PROBLEMS, ids=[p["id"] for p in PROBLEMS])
def test_style(problem, results):
    assert results[problem["id"]]["design"].style == problem["expected_style"]


@pytest.mark.parametrize("problem", PROBLEMS, ids=[p["id"] for p in PROBLEMS])
def test_capacity_within_factor_two(problem, results):
    off = {k: round(v, 2) for k, v in results[problem["id"]]["ratios"].items() if not 0.5 <= v <= 2.0}
    assert off == {}


def _service_for(role: str, services) -> object | None:
    """The service a loose role label ('courier_location', 'fraud_scoring') means, by shared word stems."""
    stems = {w[:5] for w in role.split("_") if len(w) > 3}
    for s in services:
        names = {w[:5] for part in [s.name, s.context] for w in part.replace("-", "_").replace(",", "_").replace(" ", "").split("_") if len(w) > 3}
        if stems & names:
            return s
    return None


@pytest.mark.parametrize("problem", PROBLEMS, ids=[p["id"] for p in PROBLEMS])
def test_language_hints_are_followed(problem, results):
    """A role the problem names gets its language: on the matching service, or at least somewhere."""
    services = results[problem["id"]]["design"].services
    used = {s.language.lower().replace("#", "sharp") for s in services}
    for role, language in (problem.get("languages") or {}).items():
        match = _service_for(role, services)
        if match is not None:
            assert match.language.lower().replace("#", "sharp") == language, f"{role} -> {match.name} is {match.language}"
        else:
            assert language in used, f"{role} should be {language}; design uses {sorted(used)}"
