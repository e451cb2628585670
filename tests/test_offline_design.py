"""The offline designer end to end: valid, deterministic, lint-clean designs, and errors users see."""

from __future__ import annotations

import pytest
from conftest import PROBLEMS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dwarf_nb as dw
from dwarf_nb.agents import get_agent
from dwarf_nb.agents.offline import OfflineDesigner, slug_name
from dwarf_nb.design import DATASTORE_KINDS, Design
from dwarf_nb.errors import DwarfError, InputError

SHOP = next(p for p in PROBLEMS if p["id"] == "ecommerce_outdoor_store")["requirements"]
RIDES = next(p for p in PROBLEMS if p["id"] == "ride_hailing_dispatch")["requirements"]


def test_same_text_gives_byte_identical_json(problem):
    assert dw.design(problem["requirements"]).to_json() == dw.design(problem["requirements"]).to_json()


def test_json_round_trip(problem):
    d = dw.design(problem["requirements"])
    assert Design.from_json(d.to_json()) == d


def test_backend_name_and_progress():
    lines = []
    d = dw.design(SHOP, name="shop", progress=lines.append)
    assert (d.backend, d.name) == ("offline", "shop")
    assert lines and all(isinstance(line, str) and "\n" not in line for line in lines)
    assert dw.design(SHOP).name == slug_name(SHOP) == "online-outdoor-gear"


def test_no_lint_errors(problem):
    report = dw.design(problem["requirements"]).lint()
    assert [(f.rule, f.target) for f in report.findings if f.severity == "error"] == []


def test_every_choice_is_a_decision_with_scores(problem):
    d = dw.design(problem["requirements"])
    topics = {(x.topic, x.subject) for x in d.decisions}
    assert ("style", "system") in topics
    for s in d.services:
        assert ("language", s.name) in topics
    for c in d.components:
        if c.kind in DATASTORE_KINDS - {"read_replica"}:
            assert ("database", c.name) in topics
    for x in d.decisions:
        assert x.chosen in {o.name for o in x.options}
        if x.weights:
            assert sum(x.weights.values()) == pytest.approx(1.0, abs=0.01)
            assert all(set(o.scores) >= set(x.weights) for o in x.options)


def test_jobs_and_consumers_are_protected(problem):
    d = dw.design(problem["requirements"])
    triggers = {j.trigger for j in d.jobs}
    for s in d.services:
        assert set(s.consumes) <= triggers
    assert all(j.retries > 0 and j.dead_letter for j in d.jobs)


def test_entities_reference_existing_fields(problem):
    d = dw.design(problem["requirements"])
    fields = {(e.name, f.name) for e in d.entities for f in e.fields}
    for e in d.entities:
        assert sum(f.primary_key for f in e.fields) == 1
        for f in e.fields:
            if f.references:
                assert tuple(f.references.split(".")) in fields


def test_endpoints_reference_entities(problem):
    d = dw.design(problem["requirements"])
    names = {e.name for e in d.entities}
    for s in d.services:
        if s.kind == "api":
            assert s.endpoints
        assert all(ep.entity is None or ep.entity in names for ep in s.endpoints)


def test_team_skills_choose_languages():
    d = dw.design(RIDES)
    langs = {s.name: s.language for s in d.services}
    assert langs["pricing"] == "Python"
    assert langs["dispatch"] == "Go"


def test_text_without_numbers_is_a_small_monolith():
    d = dw.design("A tool for a choir to share sheet music and rehearsal dates.")
    assert d.style == "modular_monolith"
    assert not d.kinds() & {"message_broker", "wide_column_db", "api_gateway", "read_replica"}
    assert any("no scale" in a for a in d.capacity.assumptions)


def test_unknown_option_is_an_input_error():
    with pytest.raises(InputError, match="takes no options"):
        OfflineDesigner(model="opus")
    with pytest.raises(InputError):
        get_agent("offline", temperature=0.2)


def test_empty_text_is_an_input_error():
    with pytest.raises(InputError, match="empty"):
        dw.design("   \n ")


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=0, max_size=400))
def test_any_text_gives_a_design_or_an_input_error(text):
    try:
        d = dw.design(text)
    except InputError:
        return
    assert Design.model_validate(d.model_dump(mode="json")) == d


@settings(max_examples=30, deadline=None, database=None)
@given(st.lists(st.sampled_from([
    "10 million", "2k", "1,200", "5B", "requests per second", "users", "daily active", "every 5 seconds",
    "95% reads", "20x spikes", "kept 2 years", "forever", "400 KB", "photos", "search by keyword", "Team of 30",
    "Go", "Python", "AWS", "nightly", "p99 under 50 ms", "99.99%", ".", ",", ";", "(", ")", "each", "per",
]), max_size=40))
def test_number_soup_never_crashes(words):
    text = " ".join(words) or "x"
    d = dw.design(text)
    assert d.capacity.peak_rps >= 0


def test_binary_junk_and_a_large_text():
    junk = bytes(range(256)).decode("latin-1") * 4
    assert isinstance(dw.design(junk), Design)
    big = (SHOP + "\n\n") * 300
    assert dw.design(big).style == dw.design(SHOP).style


# -- refine ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def shop() -> Design:
    return dw.design(SHOP)


def test_refine_add_service(shop):
    new = dw.refine(shop, "add a reviews service")
    assert new.name == shop.name
    svc = new.service("reviews")
    assert svc.kind == "api" and svc.language == shop.service("app").language
    assert any(e.target == "reviews" for e in new.edges)
    assert any(e.owner == "reviews" for e in new.entities)
    assert any(d.title == "Add the reviews service" for d in new.decisions)
    assert "reviews" not in {s.name for s in shop.services}  # the original is untouched


def test_refine_remove_service_keeps_the_design_consistent(shop):
    new = dw.refine(shop, "remove the worker service")
    assert "worker" not in {s.name for s in new.services}
    assert all("worker" not in (e.source, e.target) for e in new.edges)
    assert all(j.service != "worker" for j in new.jobs)
    assert all(e.owner != "worker" for e in new.entities)


def test_refine_language(shop):
    new = dw.refine(shop, "switch app to Kotlin")
    assert new.service("app").language == "Kotlin"
    old = [d for d in new.decisions if d.topic == "language" and d.subject == "app"]
    assert [d.status for d in old] == ["superseded", "accepted"]
    assert dw.refine(shop, "use Go for the app").service("app").language == "Go"


def test_refine_technology(shop):
    new = dw.refine(shop, "use MySQL instead of PostgreSQL")
    assert new.component("main-db").technology == "MySQL"
    broker = dw.refine(shop, "switch the broker to RabbitMQ")
    assert broker.component("broker").technology == "RabbitMQ"
    assert any(d.topic == "broker" and d.chosen == "RabbitMQ" for d in broker.decisions)


@pytest.mark.parametrize("request_text, message", [
    ("make it pink", "understands"),
    ("remove the billing service", "no service or component named"),
    ("switch the graph database to Neo4j", "no component matches"),
    ("add a worker service", "already has"),
])
def test_refine_errors_are_one_line_input_errors(shop, request_text, message):
    with pytest.raises(InputError, match=message) as err:
        dw.refine(shop, request_text)
    assert isinstance(err.value, DwarfError) and "\n" not in str(err.value)


def test_adding_a_second_public_service_adds_a_gateway():
    small = dw.design("A small booking site for a yoga studio with 300 members. Team of 2 who know Python.")
    assert "api_gateway" not in small.kinds()
    new = dw.refine(small, "add a payments service")
    assert "api_gateway" in new.kinds()
    assert [(f.rule, f.target) for f in new.lint().findings if f.severity == "error"] == []


def test_the_only_api_service_cannot_be_removed(shop):
    with pytest.raises(InputError, match="only API service"):
        dw.refine(shop, "remove the app service")


def test_same_json_in_processes_with_different_hash_seeds(tmp_path):
    import os
    import subprocess
    import sys

    script = "import sys, dwarf_nb as dw; sys.stdout.write(dw.design(sys.stdin.read()).to_json())"
    outputs = set()
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        run = subprocess.run([sys.executable, "-c", script], input=RIDES, capture_output=True, text=True, env=env, cwd=tmp_path, check=True)
        outputs.add(run.stdout)
    assert len(outputs) == 1


# Briefs outside the development set, with what any reasonable architect would (not) include.
UNSEEN = [
    ("A URL shortener: 100 million redirects per day and 1 million new links per day; redirects under 20 ms. "
     "Team of 3 Go developers.", {"cache"}, {"message_broker", "wide_column_db", "search_index"}),
    ("A small app for a high school: teachers create quizzes, 1,200 students take them during class. "
     "Two developers who know Python. Runs on a cheap PaaS.",
     {"relational_db"}, {"message_broker", "cache", "api_gateway", "search_index", "analytics", "read_replica"}),
    ("An observability platform ingests 2 TB of logs per day, about 500 bytes per line, searchable by keyword within "
     "30 seconds, kept 30 days, alert rules evaluated every minute. Team of 15 writing Rust and Go. AWS.",
     {"message_broker", "search_index", "worker", "scheduler"}, {"graph_db"}),
    ("A logistics company tracks 50,000 trucks; each truck reports its GPS position every 30 seconds (about 300 bytes). "
     "Dispatchers watch trucks live on a map. Position history is kept 5 years. Team of 25 Java engineers. AWS.",
     {"key_value_store", "message_broker"}, {"search_index", "graph_db"}),
    ("A dentist's practice lets patients book cleanings online and texts them a reminder the day before. "
     "A few dozen bookings a day. One freelance developer who knows PHP.",
     {"relational_db", "worker", "scheduler"}, {"message_broker", "cache", "search_index", "api_gateway"}),
    ("A used-car marketplace: dealers list 400,000 cars; buyers look for cars by make, model, year, mileage and price. "
     "A purchase contract PDF is emailed to both sides. Team of 9 engineers who know Java.",
     {"search_index", "object_storage", "worker", "message_broker"}, {"graph_db", "time_series_db"}),
    ("A stadium app shows seats free right now near the fan's section; 20,000 seat sensors each report every 30 "
     "seconds. Team of 6 who know Go.", {"key_value_store"}, {"graph_db", "search_index"}),
]


@pytest.mark.parametrize("text, wanted, unwanted", UNSEEN,
                         ids=["shortener", "school-quiz", "logs", "fleet", "tiny-reminders", "multi-criteria-search",
                              "live-state-near-me"])
def test_unseen_briefs(text, wanted, unwanted):
    d = dw.design(text)
    assert wanted <= d.kinds()
    assert not unwanted & d.kinds()
    assert [(f.rule, f.target) for f in d.lint().findings if f.severity == "error"] == []


def test_thousands_of_votes_a_second_are_counted_in_a_key_value_store():
    busy = dw.design("A talent-show app lets viewers vote for their favourite act during the live final. Viewers cast "
                     "about 5,000 votes per second. Results are announced after the show. A team of 6 engineers who know Go.")
    quiet = dw.design("A neighbourhood forum where members post tips and upvote the useful ones, a few hundred votes a "
                      "day. Two developers who know Ruby.")
    assert "key_value_store" in busy.kinds()
    assert "key_value_store" not in quiet.kinds()


def test_squads_of_engineers_are_counted_as_squads_not_people():
    text = ("A sports app shows live scores to fans; each score must reach every open app within 2 seconds and about "
            "900 requests per second arrive at peak. Three squads of engineers writing Go and Kotlin.")
    assert dw.design(text).style == "microservices"
    assert dw.design(text.replace("Three squads of engineers", "Three engineers")).style == "modular_monolith"


@settings(max_examples=60, deadline=None, database=None)
@given(st.lists(st.sampled_from([
    "add", "a", "the", "remove", "service", "use", "instead of", "switch", "to", "with", "replace", "Go", "Kotlin",
    "MySQL", "PostgreSQL", "broker", "RabbitMQ", "app", "worker", "cache", "Redis", "for", "database", "reviews",
]), min_size=1, max_size=8))
def test_any_change_request_gives_a_valid_design_or_an_input_error(shop, words):
    try:
        new = dw.refine(shop, " ".join(words))
    except InputError as err:
        assert "\n" not in str(err)
        return
    assert Design.model_validate(new.model_dump(mode="json")) == new
    assert new.name == shop.name


def test_a_bad_design_name_is_an_input_error():
    with pytest.raises(InputError, match="must be a slug"):
        dw.design(SHOP, name="My Shop!")
