"""Bounded contexts and entities come from the text's own domain, and each cites the Brief."""

from __future__ import annotations

import pytest

import dwarf_nb as dw

LIBRARY = [
    "Our county library lends books and DVDs from seven branches. Members search the catalogue, place holds "
    "and renew loans online; a loan lasts 21 days. About 2,000 loans a day.",
    "A lending library for a small town: people borrow books, put holds on titles that are out and renew their "
    "loans from home. Staff at three branches check loans in and out, roughly 500 loans a day.",
    "We are a tool library. Members borrow tools for a week; each loan can be renewed once and a member may hold "
    "a tool that is out. We expect 80 loans a week across our two branches.",
]


def entity_names(design) -> set[str]:
    return {e.name for e in design.entities}


@pytest.mark.parametrize("text", LIBRARY)
def test_a_lending_library_has_loans_in_every_phrasing(text):
    d = dw.design(text)
    assert "loan" in entity_names(d)
    loans = next(e for e in d.entities if e.name == "loan")
    assert loans.owner in {s.name for s in d.services}


def test_names_of_places_and_verbs_are_not_entities():
    d = dw.design("Three small guesthouses on the Alentejo coast in Portugal take bookings for 42 rooms. It goes "
                  "live in May; we run it on one server and keep the guest list private. About 9,000 bookings a year.")
    names = entity_names(d)
    assert {"booking", "room"} <= names
    assert not names & {"alentejo", "portugal", "may", "go", "goe", "run", "keep"}


@pytest.mark.parametrize("people", ["members", "patients", "guests"])
def test_the_accounts_entity_is_named_for_who_signs_in(people):
    d = dw.design(f"{people.capitalize()} sign up and log in to book appointments; about 300 appointments a day, "
                  f"and {people} get a reminder the day before.")
    noun = people[:-1]
    assert noun in entity_names(d) and "user" not in entity_names(d)
    refs = [f.references for e in d.entities for f in e.fields if f.references]
    assert all(not r.startswith("user.") for r in refs)


def test_contexts_the_text_never_mentions_are_not_added():
    chat = dw.design("A messenger for small teams: people chat in channels and send direct messages that are "
                     "delivered live. 20,000 messages a day. Nobody pays; it is an internal tool.")
    contexts = {c.strip() for s in chat.services for c in s.context.split(",")}
    assert not contexts & {"market_data", "payments", "appointments", "orders"}
    clicks = dw.design("Count ad clicks: about 10,000 clicks a second arrive from our ad servers and advertisers see "
                       "per-minute totals on a report.")
    assert "payments" not in {c.strip() for s in clicks.services for c in s.context.split(",")}
    assert "payment" not in entity_names(clicks)


def test_entities_you_set_are_always_planned():
    d = dw.design("---\nentities: [gizmo]\n---\nA small tool for our workshop, about 50 requests a day.")
    assert "gizmo" in entity_names(d)


def test_every_domain_entity_has_a_place_and_a_crud_path():
    d = dw.design(LIBRARY[0])
    stores = {c.name for c in d.components}
    for e in d.entities:
        assert e.store in stores and e.owner in {s.name for s in d.services}
    paths = {ep.path for s in d.services for ep in s.endpoints}
    assert "/loans" in paths
