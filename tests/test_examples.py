"""Every development problem through the offline designer, scored the way the held-out set is.

Prints a table (run with -s to see it): core recall, must_not violations, style, and the
capacity figures the text implies against the estimate. The bars: aggregate recall of
expected core kinds >= 0.85, no must_not kind anywhere, the expected style for every
problem, and every mapped capacity figure within a factor of 2.
"""

from __future__ import annotations

import pytest

from conftest import PROBLEMS
from scoring import language_misses, off_by_more_than_two, recall, scored, table


@pytest.fixture(scope="module")
def results() -> dict[str, dict]:
    return {p["id"]: scored(p) for p in PROBLEMS}


def test_report_table(results, capsys):
    with capsys.disabled():
        print("\n" + table(PROBLEMS, results))
    assert recall(results) >= 0.85


@pytest.mark.parametrize("problem", PROBLEMS, ids=[p["id"] for p in PROBLEMS])
def test_no_must_not_kind(problem, results):
    assert results[problem["id"]]["bad"] == []


@pytest.mark.parametrize("problem", PROBLEMS, ids=[p["id"] for p in PROBLEMS])
def test_style(problem, results):
    assert results[problem["id"]]["design"].style == problem["expected_style"]


@pytest.mark.parametrize("problem", PROBLEMS, ids=[p["id"] for p in PROBLEMS])
def test_capacity_within_factor_two(problem, results):
    assert off_by_more_than_two(results[problem["id"]]) == {}


@pytest.mark.parametrize("problem", PROBLEMS, ids=[p["id"] for p in PROBLEMS])
def test_language_hints_are_followed(problem, results):
    """A role the problem names gets its language: on the matching service, or at least somewhere."""
    assert language_misses(problem, results[problem["id"]]["design"]) == []
