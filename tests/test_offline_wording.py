"""The same load said in different words gives the same estimate.

Held-out briefs phrase numbers in ways the development set never does ("a billion",
"ten times a day", "one post in ten", "couriers sending GPS every 5 seconds"); each
group below says one thing several ways, and every wording must yield the same figures.
"""

from __future__ import annotations

import pytest

from dwarf_nb.analysis.capacity import breakdown

SAME_LOAD = {
    "periodic senders": (
        "A delivery app tracks its couriers. At busy hours 20,000 couriers are on the road, sending GPS every 5 seconds.",
        "A delivery app tracks its couriers. Up to 20,000 couriers are on shift at once and share GPS every 5 seconds.",
        "A delivery app tracks its couriers. At peak the couriers send 4,000 position updates a second.",
    ),
    "spelled and abbreviated scale": (
        "Visitors open 1 billion short links per month.",
        "Visitors open a billion short links a month.",
        "Visitors open 1B short links monthly.",
    ),
    "per-user frequency": (
        "We have 150 million daily active users; each user opens the feed 10 times a day.",
        "We have 150 million daily active users. Each daily user opens the feed about ten times a day.",
        "150 million people use the app every day, and each opens the feed 10 times.",
    ),
    "share of a stream": (
        "Users write 75 million posts a day; posts average 300 bytes, and 10% of posts carry a 200 KB picture.",
        "Users write 75 million posts a day; posts average 300 bytes, and one post in ten carries a 200 KB picture.",
    ),
    "a sender counted in an earlier sentence": (
        "The fleet has 1,500 buses. Each bus sends its position every 5 seconds.",
        "1,500 buses each send their position every 5 seconds.",
        "The fleet of 1,500 buses sends 300 position updates a second.",
    ),
    "records per report": (
        "5,000 servers each report 400 metrics every 15 seconds.",
        "Our servers report 133,333 metrics per second.",
    ),
}


def _figures(text: str) -> tuple[float, float, float, float]:
    f = breakdown(text)
    return f.reads, f.writes, f.peak_reads + f.peak_writes, f.storage_gb_month


@pytest.mark.parametrize("group", SAME_LOAD, ids=list(SAME_LOAD))
def test_every_wording_gives_the_same_figures(group):
    first, *others = [_figures(text) for text in SAME_LOAD[group]]
    assert any(first), f"{group}: nothing was read from {SAME_LOAD[group][0]!r}"
    for text, figures in zip(SAME_LOAD[group][1:], others):
        assert figures == pytest.approx(first, rel=0.05), text


def test_a_rate_said_twice_in_one_sentence_is_counted_once():
    twice = breakdown("Expect 100M new links a month and about ten opens per link, so roughly a billion redirects monthly.")
    once = breakdown("Expect 100M new links a month and about a billion redirects monthly.")
    assert twice.reads == pytest.approx(once.reads) == pytest.approx(400)


def test_a_count_of_what_exists_is_not_a_rate():
    stock = breakdown("There are about 2 million open jobs at any time and 80,000 new ones a day.")
    assert stock.writes == pytest.approx(80_000 / 86_400)


def test_each_thing_refers_back_to_the_place_it_was_counted():
    meters = breakdown("Smart meters at 40,000 sites report readings. Each meter sends a reading every 15 seconds.")
    assert meters.writes == pytest.approx(40_000 / 15, rel=0.05)


def test_each_thing_does_not_borrow_a_count_of_something_else():
    stores = breakdown("The chain has 200 stores. Each till sends a heartbeat every 5 seconds.")
    assert stores.writes != pytest.approx(200 / 5)


def test_visits_without_a_request_rate_are_taken_as_several_requests_each():
    visits = breakdown("The shop gets 1.5 million visits a month.")
    assert visits.reads == pytest.approx(1.5e6 * 10 / 2.5e6)
    assert any("visit" in a and "requests" in a for a in visits.assumptions)


def test_visits_are_not_converted_when_the_request_rate_is_stated():
    stated = breakdown("The shop gets 1.5 million visits a month and serves 25 million requests a month.")
    assert stated.reads + stated.writes == pytest.approx(25e6 / 2.5e6, rel=0.05)
    assert not any("visit or session" in a for a in stated.assumptions)


def test_a_crowd_in_an_opening_window_is_a_burst_of_visits():
    rush = breakdown("When a blockbuster exhibition opens, 50,000 people try to buy in the first hour.")
    assert rush.peak_rps == pytest.approx(50_000 * 10 / 3600, rel=0.05)
    assert any("crowd" in a for a in rush.assumptions)
    minutes = breakdown("When a big show goes on sale, 50,000 fans arrive within the first 10 minutes.")
    assert minutes.peak_rps == pytest.approx(6 * rush.peak_rps, rel=0.05)
