"""Briefs the offline designer was not built from (tests/data/heldout_like.yaml), scored the
same way as the development set and the hidden held-out set.

They are written in other words and at other scales, modelled on classic public design
problems (URL shortener, timeline, messenger, crawler, ticketing, order matching, ...),
to catch rules that only fit the development briefs' wording. Run with -s for the table.
The bars: aggregate core recall >= 0.85, a must_not kind in at most 3 designs, the expected
style for at least 90% of problems, at least 70% of the mapped capacity figures within a
factor of 2 (the rebuilt reader reaches about three quarters; the old reader was tuned to all of them).
Language hints are not a bar here: several name languages the designer does not offer
(Erlang, C++), and the development set already checks that stated roles are followed.
"""

from __future__ import annotations

import pytest

from scoring import load_set, recall, scored, table, within_two

HELDOUT = load_set("heldout_like.yaml")
IDS = [p["id"] for p in HELDOUT]


@pytest.fixture(scope="module")
def results() -> dict[str, dict]:
    return {p["id"]: scored(p) for p in HELDOUT}


def test_the_set_is_new_briefs_in_the_development_format():
    from conftest import PROBLEMS

    assert len(HELDOUT) >= 14
    assert not {p["id"] for p in HELDOUT} & {p["id"] for p in PROBLEMS}
    for p in HELDOUT:
        words = len(p["requirements"].split())
        assert 60 <= words <= 180, f"{p['id']}: {words} words"
        assert not set(p["expected_core"]) & set(p["must_not"]), p["id"]


def test_report_table_and_aggregate_recall(results, capsys):
    with capsys.disabled():
        print("\n" + table(HELDOUT, results))
    assert recall(results) >= 0.85


def test_must_not_kinds_are_rare(results):
    bad = {pid: r["bad"] for pid, r in results.items() if r["bad"]}
    assert len(bad) <= 3, bad


def test_style_right_for_nine_in_ten(results):
    wrong = [p["id"] for p in HELDOUT if results[p["id"]]["design"].style != p["expected_style"]]
    assert len(wrong) <= len(HELDOUT) // 10, wrong


def test_capacity_within_factor_two(results):
    hit, total = within_two(results)
    assert hit / total >= 0.70, f"{hit}/{total}"
