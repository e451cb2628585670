"""The brief corpus (tests/data/briefs/batch_*.yaml, 192 briefs written by helpers that never
read the designer) scored the way the README table reports it (scripts/score_briefs.py).

Stated hosting and languages must be honoured, and a budget never read as traffic, in
every brief. Capacity and core recall have floors at the level first measured, so a
change that makes the designer read worse fails here; the README has the figures.
"""

from __future__ import annotations

import pytest

from scoring import corpus, recall, scored, within_two

BATCHES = corpus()
KINDS = {"relational_db", "document_db", "wide_column_db", "key_value_store", "graph_db", "time_series_db", "cache",
         "message_broker", "object_storage", "search_index", "cdn", "load_balancer", "api_gateway", "worker",
         "scheduler", "analytics", "read_replica"}


@pytest.fixture(scope="module")
def results() -> dict[str, dict[str, dict]]:
    return {name: {p["id"]: scored(p) for p in briefs} for name, briefs in BATCHES.items()}


def test_the_corpus_is_at_least_150_well_formed_briefs():
    briefs = [p for b in BATCHES.values() for p in b]
    assert len(briefs) >= 150
    assert len({p["id"] for p in briefs}) == len(briefs)
    for p in briefs:
        assert set(p["expected_core"]) <= KINDS and set(p["must_not"]) <= KINDS, p["id"]
        assert p["hosting"] in ("aws", "gcp", "azure", "self_hosted", "unstated"), p["id"]


def test_stated_hosting_is_honoured_in_every_brief(results):
    bad = [pid for b in results.values() for pid, r in b.items() if r.get("hosting_ok") is False]
    assert bad == []


def test_budgets_are_never_read_as_traffic(results):
    bad = [pid for b in results.values() for pid, r in b.items() if r.get("budget_ok") is False]
    assert bad == []


def test_stated_languages_are_honoured_in_nearly_every_brief(results):
    checked = [r["languages_ok"] for b in results.values() for r in b.values() if "languages_ok" in r]
    assert sum(checked) >= 0.97 * len(checked)


@pytest.mark.parametrize("batch", list(BATCHES))
def test_core_recall_and_capacity_floors(batch, results):
    assert recall(results[batch]) >= 0.85
    hit, total = within_two(results[batch])
    assert hit / total >= 0.25, f"{hit}/{total}"
