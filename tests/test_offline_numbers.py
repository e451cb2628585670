"""Reading numbers and traits from requirements text, each with the text it came from."""

from __future__ import annotations

import pytest

from dwarf_nb.agents.offline.numbers import read_load
from dwarf_nb.agents.offline.traits import read_profile


def flow(text: str, noun: str):
    return next(f for f in read_load(text).flows if f.noun == noun)


@pytest.mark.parametrize(
    "text, noun, per_second",
    [
        ("The site serves 10 million page views per day.", "page view", 10e6 / 86400),
        ("We ingest 5B events per month.", "event", 5e9 / 2.5e6),
        ("The API takes 2k requests per second.", "request", 2000),
        ("Stores receive 1,200 orders a day.", "order", 1200 / 86400),
        ("Users send 1.5 billion messages per month.", "message", 600),
        ("About 50k bookings per hour arrive.", "booking", 50000 / 3600),
        ("The cluster handles 3,500 rps.", "request", 3500),
    ],
)
def test_rates_in_common_forms(text, noun, per_second):
    f = flow(text, noun)
    assert f.avg == pytest.approx(per_second, rel=1e-6)
    assert text.rstrip(".") in f.evidence


def test_two_counts_share_one_period():
    ld = read_load("There are 60 million score submissions and 150 million board views per day.")
    assert flow("There are 60 million score submissions and 150 million board views per day.", "score submission").avg == pytest.approx(694.4, rel=1e-3)
    assert {f.cls for f in ld.flows} == {"read", "write"}


def test_sizes_attach_to_their_noun():
    ld = read_load("200,000 sensors are installed. Each device sends a 200-byte reading every 10 seconds.")
    reading = next(f for f in ld.flows if f.noun == "reading")
    assert reading.avg == pytest.approx(20000)
    assert reading.size == 200


def test_read_share_spike_and_latency():
    ld = read_load("We get 375 million API requests per month, 95% of them reads. Breaking news causes 20x spikes. "
                   "Product pages p95 under 200 ms and checkout 99.95% available.")
    assert ld.read_share == pytest.approx(0.95)
    assert ld.spike_factor == 20
    assert ld.latency_ms == 200
    assert ld.availability == pytest.approx(0.9995)
    assert "20x spikes" in ld.spike_evidence


def test_busy_window_sets_the_peak():
    text = "Peak days have 3 million orders, 90% of them inside two 2-hour meal windows."
    f = flow(text, "order")
    assert f.peak_rule == "window"
    assert f.peak == pytest.approx(3e6 * 0.9 / 14400, rel=1e-6)


def test_burst_of_users_each_making_requests():
    ld = read_load("In the first 10 minutes about 12,000 students arrive at once, each making ~30 requests, "
                   "a third of them adds or drops. The rest of the term traffic stays under 5 requests per second.")
    assert ld.burst_peak == pytest.approx(600)
    assert ld.burst_write_share == pytest.approx(1 / 3)
    assert flow("The rest of the term traffic stays under 5 requests per second.", "request").avg == 5


def test_retention_and_forever():
    assert read_load("Financial records are retained 7 years.").retention_s == pytest.approx(7 * 12 * 2.5e6)
    assert read_load("History is kept forever on paid plans.").retention_s == float("inf")
    # A deadline is not a retention period.
    assert read_load("Deletion is completed within 30 days and the data is stored.").retention_s is None


def test_derived_flows_multiply_their_base():
    ld = read_load("We process 50 million payments per month, each producing about 5 ledger entries of roughly 400 bytes.")
    entries = next(f for f in ld.flows if f.noun == "ledger entry")
    assert entries.avg == pytest.approx(100)
    assert entries.size == 400


def test_users_and_growth():
    ld = read_load("Target: 500 users in the first 3 months, maybe 5,000 within a year, each doing about 20 actions per day; data per user is under 1 MB.")
    assert ld.users == 500
    assert ld.users_later == 5000
    assert ld.per_user_bytes == 1e6
    assert ld.flows[0].avg == pytest.approx(500 * 20 / 86400)


def test_team_languages_and_roles():
    p = read_profile("40 engineers in 6 squads write Go for services and Python for pricing models. GCP, two regions.")
    assert (p.team, p.squads, p.cloud) == (40, 6, "gcp")
    assert p.roles == {"core": "go", "ml": "python"}
    weak = read_profile("Team: 5 developers who know Java and some Python.")
    assert weak.skills["java"] > weak.skills["python"]


def test_keyword_traits_keep_their_evidence():
    p = read_profile("Readers search a 15-year archive by keyword. Users get one reminder notification per day.")
    assert "keyword" in p.traits["text_search"]
    assert "reminder" in p.traits["notifications"]
    assert "scheduled" in p.traits
    # "daily active users" is a scale, not a schedule.
    assert "scheduled" not in read_profile("We have 2 million daily active users.").traits


@pytest.mark.parametrize("text, expected", [
    ("The database takes 300 writes/s on average.", 300),
    ("Clients send 5k req/s.", 5000),
    ("The search tier serves 2,000 QPS.", 2000),
])
def test_per_second_shorthands(text, expected):
    assert sum(f.avg for f in read_load(text).flows) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["Traffic is 80/20 read/write.", "We see 4 reads per write.", "The read:write ratio is 4:1."])
def test_read_write_ratios(text):
    assert read_load(text).read_share == pytest.approx(0.8)


def test_unknown_nouns_still_count_as_rates():
    ld = read_load("We serve 100 million redirects per day and store 1 million new links per day.")
    kinds = {f.noun: f.cls for f in ld.flows}
    assert kinds == {"redirect": "read", "link": "write"}


def test_byte_volumes_become_record_rates():
    ld = read_load("Customers ship 2 TB of logs per day, about 500 bytes per line.")
    (flow,) = ld.flows
    assert flow.avg == pytest.approx(2e12 / 86400 / 500)
    assert flow.size == 500


def test_average_and_stated_peak_of_one_stream():
    ld = read_load("The API averages 500 requests per second, peaking at 2,000.")
    (flow,) = ld.flows
    assert (flow.avg, flow.peak, flow.peak_rule) == (500, 2000, "given")


def test_growth_every_year():
    assert read_load("Traffic doubles every year.").growth == 2


def test_each_user_rate_uses_the_users_counted_elsewhere():
    ld = read_load("We have 300,000 monthly active users. Each user uploads about 10 photos per month.")
    photos = next(f for f in ld.flows if f.noun == "photo")
    assert photos.avg == pytest.approx(300000 * 10 / 2.5e6)


def test_existing_data_counts_once():
    assert read_load("The archive holds 500 GB today, growing 10 GB per month.").static_bytes == 500e9
