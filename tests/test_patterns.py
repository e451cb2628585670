"""Workload patterns as data: each fires on several phrasings of its need and not on near
misses; every part a design holds cites the Brief facts behind it; load moves the design
in one direction only; the style decision agrees with the style."""

from __future__ import annotations

import pytest
from scoring import corpus

import dwarf_nb as dw

ALL = [p for briefs in corpus().values() for p in briefs]


@pytest.fixture(scope="module")
def designs():
    return {p["id"]: dw.design(p["requirements"]) for p in ALL}


def parts(design):
    names = {s.name for s in design.services} | {c.name for c in design.components} | {j.name for j in design.jobs}
    words = " ".join([s.responsibility for s in design.services] + [ep.summary for s in design.services for ep in s.endpoints]
                     + [j.description for j in design.jobs])
    return names, {e.name for e in design.entities}, words.lower()


# (phrasings of one need, entities, words of the duty, jobs) the pattern must bring in each phrasing
PATTERNS = {
    "flash sale": (["Our sneaker drops sell 5,000 pairs in minutes; about 200,000 fans arrive when the sale opens at noon.",
                    "Tickets go on sale at 10am and 300,000 people try to buy 40,000 seats at once; seats must never be sold twice.",
                    "A flash sale every Friday: 50,000 shoppers rush in during the first minute for 2,000 discounted items."],
                   {"queue_ticket", "hold"}, "waiting room", {"release-expired-holds"}),
    "rate limits": (["Partners call our API with their keys; each plan allows 100 requests a second and 1 million a month.",
                     "Every API key gets a per-second rate limit and a monthly quota; 20,000 requests a second in total.",
                     "Throttle each customer to their plan's limit: about 5,000 API calls a second from 3,000 developers."],
                    {"rate_limit_policy"}, "rate limit", set()),
    "telemetry": (["40,000 soil probes each send a reading every 5 minutes; farmers see charts of the last year.",
                   "Our 2,000 wind turbines report 30 measurements a second each, kept for 5 years.",
                   "Smart meters in 300,000 homes send usage every 15 minutes and households see hourly charts."],
                  set(), "rolls raw measurements up", {"rollup-measurements"}),
    "file sync": (["Engineers keep drawings in synced folders on laptops; every save becomes a new version and they share files by link.",
                   "A file sync app: 50,000 users keep folders in sync across devices, restore older versions and share with colleagues.",
                   "Staff sync their documents between office PCs; each change keeps a revision, and documents can be shared read-only."],
                  {"file_revision", "share"}, "change feed", {"prune-old-revisions"}),
    "offline sync": (["Technicians' tablets must work offline in basements and sync when back in coverage; 2,000 jobs a day.",
                      "Door staff scan tickets on phones with no signal; scans upload once the phone is back online.",
                      "Field workers record visits offline-first and the app syncs when they reconnect, 500 visits a day."],
                     {"idempotency_key"}, "recorded offline", set()),
}


@pytest.mark.parametrize("text, entities, duty, jobs", [(t, *rest) for texts, *rest in PATTERNS.values() for t in texts])
def test_a_pattern_brings_its_parts_in_every_phrasing(text, entities, duty, jobs):
    names, found, words = parts(dw.design(text))
    assert entities <= found and duty in words and jobs <= names


@pytest.mark.parametrize("text", PATTERNS["telemetry"][0])
def test_telemetry_is_stored_as_time_series(text):
    assert "time_series_db" in dw.design(text).kinds()


def test_a_steady_shop_gets_no_waiting_room():
    names, entities, words = parts(dw.design("A small online shop: about 300 orders a day, spread evenly, paid by card."))
    assert "queue_ticket" not in entities and "waiting room" not in words


def test_filtering_is_not_search_and_search_is():
    filtering = dw.design("Visitors browse 300 hiking trails and filter them by region, difficulty and length. About 2,000 visits a day.")
    assert "search_index" not in filtering.kinds()
    searching = dw.design("Readers search 2 million articles by keyword, with typos tolerated and suggestions as they type.")
    assert "search_index" in searching.kinds()
    assert "typo tolerance" in parts(searching)[2]


@pytest.mark.parametrize("text", ["Call logs are kept for 90 days and then deleted. About 500 calls a day.",
                                  "We must keep every invoice for 10 years; 2,000 invoices a month.",
                                  "Raw events are retained for 14 days. 300 events a second."])
def test_a_stated_retention_gets_a_purge_job(text):
    names, _, _ = parts(dw.design(text))
    assert "retention-expiry-purge" in names


def test_no_retention_stated_means_no_purge_job():
    names, _, _ = parts(dw.design("A to-do app for our family: about 40 tasks a day."))
    assert "retention-expiry-purge" not in names


@pytest.mark.parametrize("text", ["Patients book 20-minute slots with a physio; a slot must never be double-booked. 200 bookings a day.",
                                  "Members reserve tennis courts by the hour, about 150 reservations a day, and two people can't get the same court.",
                                  "Guests book rooms on our site and on four portals; a room sold anywhere must never be sold twice."])
def test_booking_guards_against_double_booking(text):
    assert "double booking" in parts(dw.design(text))[2]


def test_every_part_of_every_corpus_design_cites_facts_its_brief_holds(designs):
    for pid, d in designs.items():
        known = {f.id for f in d.brief.facts()}
        for part in [*d.services, *d.components, *d.jobs, *d.entities]:
            assert part.because, f"{pid}: {part.name} cites nothing"
            assert set(part.because) <= known, f"{pid}: {part.name} cites {set(part.because) - known}"
        assert not [f for f in d.lint().findings if f.rule == "DW12"], pid


def test_every_published_event_has_a_consumer(designs):
    for pid, d in designs.items():
        consumed = {t for s in d.services for t in s.consumes}
        for s in d.services:
            assert set(s.publishes) <= consumed, f"{pid}: {s.name} publishes {set(s.publishes) - consumed}"


def test_the_style_decision_scores_both_styles_and_agrees_with_the_style(designs):
    for pid, d in designs.items():
        decision = next(x for x in d.decisions if x.topic == "style")
        assert decision.chosen == d.style, pid
        assert {o.name for o in decision.options} == {"modular_monolith", "microservices"}
        for o in decision.options:
            assert set(o.scores) == set(decision.weights), pid
        loser = next(o for o in decision.options if o.name != d.style)
        assert set(loser.scores.values()) != {1.0}, pid


SHOP = ("An online shop for outdoor gear: customers browse products, pay by card and get an email when the order ships. "
        "Eight engineers who know Python.")


@pytest.mark.parametrize("extra", ["", "Customers search the catalogue by keyword.", "Orders arrive from partners' systems too."])
def test_more_load_never_removes_a_part_and_little_load_adds_no_heavy_part(extra):
    text = SHOP + " " + extra

    def kinds(reads, writes):
        return dw.design(text, facts={"reads_per_second": reads, "writes_per_second": writes}).kinds()

    small, usual, big = kinds(2, 0.5), kinds(200, 20), kinds(20_000, 2_000)
    assert usual <= big and small <= usual
    assert not (small - usual) & {"message_broker", "wide_column_db", "search_index"}


LIBRARY = "Our county library lends books from seven branches. Members search the catalogue by title, place holds and renew loans online; about 2,000 loans a day."


def test_the_card_the_document_and_the_map_say_why_each_part_exists():
    from dwarf_nb.views.document import render_markdown

    d = dw.design(LIBRARY)
    bundle = d._repr_mimebundle_()
    card = bundle["text/html"]
    assert "<th>why</th>" in card and "manages loans" in card
    assert "Why each part" in bundle["text/plain"] and "main-db: manages loans" in bundle["text/plain"]
    doc = render_markdown(d)
    section = doc[doc.index("### Why each part"):]
    assert "| `main-db` | manages loans" in section and "needs free" in section
    svg = d.service_map(format="svg")
    assert 'xlink:title="search: why: needs free&#45;text search' in svg


@pytest.mark.parametrize("text", [
    "I work alone on a booking site for my pottery classes: about 40 bookings a week, on one VPS for $10 a month.",
    "Two of us run a tiny members' directory for our club, 300 members, a few page views an hour.",
    "A side project: a recipe box for my family, hosted on a Raspberry Pi, maybe 20 visits a day.",
])
def test_a_side_project_stays_one_small_deployable(text):
    d = dw.design(text)
    assert d.style == "modular_monolith" and len(d.services) <= 3
    assert not d.kinds() & {"load_balancer", "message_broker", "api_gateway", "wide_column_db", "read_replica", "analytics"}


def test_a_small_team_that_asks_for_high_availability_keeps_a_second_instance():
    d = dw.design("Two of us build a clinic's appointment app, 300 appointments a day; it must be highly available, 99.95% uptime.")
    assert "load_balancer" in d.kinds()


def test_workers_take_work_the_way_the_design_delivers_it(designs):
    import tomllib
    from importlib import resources

    langs = tomllib.loads(resources.files("dwarf_nb.knowledge").joinpath("languages.toml").read_text())["language"]
    queue_frameworks = {spec["frameworks"]["worker_db"] for spec in langs.values()}
    broker_frameworks = {spec["frameworks"]["worker"] for spec in langs.values()}
    for pid, d in designs.items():
        has_broker = "message_broker" in d.kinds()
        for s in d.services:
            if s.kind != "worker" or not s.framework:
                continue
            if has_broker:
                assert s.framework not in queue_frameworks or s.framework in broker_frameworks, (pid, s.name, s.framework)
            else:
                assert s.framework not in broker_frameworks or s.framework in queue_frameworks, (pid, s.name, s.framework)


def test_a_realtime_gateway_is_connected_to_what_it_pushes(designs):
    for pid, d in designs.items():
        for s in d.services:
            if s.api_style != "websocket" or s.name == "app":
                continue
            feeds = [e for e in d.edges if e.target == s.name and e.source != "clients" and e.mode == "async"]
            reads = [e for e in d.edges if e.source == s.name and e.target != "clients"]
            assert feeds or reads, f"{pid}: {s.name} pushes nothing it hears about"
