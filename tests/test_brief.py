"""The Brief: what the offline reader understood, each misreading class said several ways,
corrections (front matter, facts=, refine sentences), the surfaces that show it, and
properties that hold for any text."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from notebook_shell import _shell, ip, run  # noqa: F401  (fixtures)

import dwarf_nb as dw
from dwarf_nb.analysis.capacity import estimate
from dwarf_nb.errors import InputError


def writes(text: str) -> float:
    return estimate(dw.brief(text)).writes_per_second


def setting(text: str, name: str):
    return dw.brief(text).value(name)


# -- quantities bound to the right party --------------------------------------------------
@pytest.mark.parametrize("text", [
    "5,000 sensors each send a reading every 30 seconds.",
    "The fleet has 5,000 sensors. Each sensor sends a reading every 30 seconds.",
    "5,000 soil sensors report every 30 seconds.",
])
def test_a_fleet_that_reports_at_an_interval_is_devices_times_rate(text):
    b = dw.brief(text)
    assert [a.role for a in b.actors if a.count == 5000] == ["device"]
    assert writes(text) == pytest.approx(5000 / 30, rel=0.02)
    assert not [a for a in b.actors if a.role == "end_user" and a.count]


@pytest.mark.parametrize("text", [
    "Hosting has a budget of 15 dollars a month.",
    "We can spend $15 a month on hosting.",
    "Our budget is 15 USD per month.",
])
def test_a_budget_is_money_never_traffic(text):
    b = dw.brief(text)
    assert b.value("budget_per_month") == pytest.approx(15)
    assert not [w for w in b.workloads if w.status != "assumed"]


@pytest.mark.parametrize("text", [
    "An order can never be charged twice.",
    "A customer may keep at most 3 items on hold.",
    "Returns are accepted within a 30-day window.",
])
def test_a_rule_with_a_number_is_not_a_count_of_users(text):
    assert not [a for a in dw.brief(text).actors if a.count]


@pytest.mark.parametrize("text, reads, writes_", [
    pytest.param("Users create 2 million boards and open 40 million each month.", 40e6 / 2.5e6, 2e6 / 2.5e6,
                 marks=pytest.mark.xfail(strict=True, reason="known gap: a count whose noun is left out ('open 40 million')")),
    ("Each month people open 40 million boards and create 2 million.", 40e6 / 2.5e6, 2e6 / 2.5e6),
])
def test_reads_and_writes_named_in_one_sentence_are_not_swapped(text, reads, writes_):
    c = estimate(dw.brief(text))
    assert c.reads_per_second == pytest.approx(reads, rel=0.05)
    assert c.writes_per_second == pytest.approx(writes_, rel=0.05)


def test_counts_multiply_through_each_and_the_sentence_period():
    a = estimate("We have 150 million daily active users; each user opens the feed 10 times a day.")
    b = estimate("150 million people use the app every day, and each opens the feed 10 times.")
    assert a.reads_per_second == pytest.approx(b.reads_per_second, rel=0.02)
    assert a.reads_per_second == pytest.approx(150e6 * 10 / 86_400, rel=0.02)


@pytest.mark.parametrize("text", ["Read QPS is 50,000 and write QPS is 500.", "Read QPS ~ 50K; write QPS ~ 500.",
                                  "We serve 50,000 reads per second and 500 writes per second."])
def test_a_rate_named_before_or_after_its_figure(text):
    c = estimate(text)
    assert (c.reads_per_second, c.writes_per_second) == (pytest.approx(50_000), pytest.approx(500))


def test_a_stated_peak_after_an_average_is_the_peak():
    c = estimate("The API averages 500 requests per second, peaking at 2,000.")
    assert c.reads_per_second + c.writes_per_second == pytest.approx(500)
    assert c.peak_rps == pytest.approx(2000)


# -- stated constraints ---------------------------------------------------------------------
@pytest.mark.parametrize("text, languages", [
    ("Our stack is Ruby on Rails.", ["ruby"]),
    ("We write C# on ASP.NET.", ["csharp"]),
    ("I work alone, I know PHP and some JavaScript.", ["php"]),
])
def test_stated_languages_are_read_and_honoured(text, languages):
    assert set(languages) <= set(setting(text, "languages") or [])
    d = dw.design(text + " Members book classes online.")
    assert {s.language.lower().replace("#", "sharp") for s in d.services} <= {"ruby", "csharp", "php", "typescript", "javascript"}


@pytest.mark.parametrize("text", ["I work alone.", "It is just me building this.", "A solo developer builds it."])
def test_working_alone_is_a_team_of_one(text):
    assert setting(text, "team") == 1


@pytest.mark.parametrize("text", ["It runs on a single box in our office.", "We host it in our own data centre.",
                                  "It will live on a couple of VPSs.", "We host on our own servers."])
def test_self_hosting_is_read_and_no_cloud_product_is_named(text):
    assert setting(text, "hosting") == "self_hosted"
    d = dw.design("A club members' site where people book courts. " + text)
    techs = " ".join(c.technology for c in d.components)
    assert not re.search(r"Amazon|AWS|Google|Azure|Cloud SQL", techs), techs


@pytest.mark.parametrize("text", ["It should stay up 99.9% of the time.", "It must be available 99.9% of the time.",
                                  "Availability target: 99.9%."])
def test_availability_in_ordinary_words(text):
    assert setting(text, "availability") == pytest.approx(0.999)
    assert dw.design("A booking site for a gym. " + text).slos.availability == pytest.approx(0.999)


def test_people_a_day_are_daily_users_not_all_users():
    [a] = [a for a in dw.brief("About 5,000 people a day use the site.").actors if a.count]
    assert (a.count, a.count_kind) == (5000, "daily_active")


@pytest.mark.parametrize("text", ["Hikers filter trails by region and difficulty.",
                                  "Shoppers narrow the list by size, colour and brand."])
def test_filtering_by_fields_is_not_keyword_search(text):
    assert not dw.brief(text).has("keyword_search")


@pytest.mark.parametrize("text", ["There is no full-text search.", "We don't need search."])
def test_a_need_that_is_denied_is_ruled_out(text):
    b = dw.brief(text)
    assert [(n.name, n.value) for n in b.needs if n.name == "keyword_search"] == [("keyword_search", False)]


def test_health_data_is_compliance():
    assert "hipaa" in (setting("Patient details are health data and must be protected.", "compliance") or [])


# -- every fact has evidence and a status; every number is used or listed ------------------
def test_facts_carry_evidence_status_and_formulas():
    text = "5,000 sensors each send a 200-byte reading every 30 seconds. Readings are kept 90 days."
    b = dw.brief(text)
    for f in b.facts():
        assert f.status in ("stated", "derived", "assumed", "set")
        if f.status == "derived":
            assert f.formula
        if f.status == "assumed":
            assert f.why
        if f.span is not None:
            assert 0 <= f.span[0] < f.span[1] <= len(text)
    [w] = [w for w in b.workloads if w.status == "derived"]
    assert "5,000" in w.formula and "30" in w.formula


# -- corrections ------------------------------------------------------------------------------
FRONT = "---\nteam: 2\nhosting: self-hosted\nwrites_per_second: 1e6\nneeds: {search: false}\n---\n"
PROSE = "A marketplace for 2 million shoppers who search products by keyword. Team of 40 engineers. AWS."


def test_front_matter_wins_over_what_is_read_and_is_marked_set_by_you():
    b = dw.brief(FRONT + PROSE)
    assert b.value("team") == 2 and b.value("hosting") == "self_hosted"
    assert not b.has("keyword_search")
    assert estimate(b).writes_per_second == pytest.approx(1e6)
    assert {f.status for f in b.facts() if f.id in ("constraint.team", "constraint.hosting")} == {"set"}
    d = dw.design(FRONT + PROSE)
    assert d.requirements == FRONT + PROSE
    assert "search_index" not in d.kinds()


def test_facts_argument_is_the_same_as_front_matter():
    a = dw.design(PROSE, facts={"team": 2, "hosting": "self-hosted", "writes_per_second": 1e6, "needs": {"search": False}})
    b = dw.design(FRONT + PROSE)
    assert a.brief.given == b.brief.given
    assert a.kinds() == b.kinds() and a.capacity == b.capacity


@pytest.mark.parametrize("front, message", [
    ("teem: 2", "unknown fact 'teem'; the facts you can set are: team"),
    ("team: lots", "fact 'team': team must be a number"),
    ("needs: {telepathy: true}", "unknown need 'telepathy'"),
    ("availability: 250%", "availability must be a fraction"),
    ("team: [2", "the front matter is not valid YAML"),
])
def test_a_bad_fact_is_one_line_naming_what_is_valid(front, message):
    with pytest.raises(InputError) as err:
        dw.design(f"---\n{front}\n---\n{PROSE}")
    assert message in str(err.value) and "\n" not in str(err.value)


def test_refine_sentences_set_facts_and_remove_components_several_to_a_request():
    from pathlib import Path

    d = dw.design((Path(__file__).parents[1] / "examples" / "shop.txt").read_text())
    assert {"search_index", "message_broker"} <= d.kinds()
    new = dw.refine(d, "The team is only two people.\nThere is no full-text search. We host on our own servers.\nDrop the message broker")
    assert new.brief.given["team"] == 2 and new.brief.given["hosting"] == "self_hosted"
    assert not {"search_index", "message_broker"} & new.kinds()
    assert not any("Amazon" in c.technology for c in new.components)
    assert [f for f in new.lint().findings if f.severity == "error" and f.rule != "DW06"] == []


def test_a_refine_request_it_cannot_read_names_the_piece_and_what_is_understood():
    d = dw.design("A shop for 2,000 customers.")
    with pytest.raises(InputError) as err:
        dw.refine(d, "The team is two people.\nmake it sparkle")
    msg = str(err.value)
    assert msg.startswith("cannot apply 'make it sparkle'") and "the team is two people" in msg and "\\n" not in msg


# -- surfaces -----------------------------------------------------------------------------------
def test_cli_brief_prints_the_table_and_json(tmp_path):
    f = tmp_path / "req.txt"
    f.write_text(FRONT + PROSE)
    out = subprocess.run([sys.executable, "-m", "dwarf_nb.cli", "brief", str(f)], capture_output=True, text=True)
    assert out.returncode == 0 and "set by you" in out.stdout and "Constraints" in out.stdout
    js = subprocess.run([sys.executable, "-m", "dwarf_nb.cli", "brief", str(f), "--json"], capture_output=True, text=True)
    assert json.loads(js.stdout)["given"]["team"] == 2
    f.write_text("---\nteem: 2\n---\n" + PROSE)
    bad = subprocess.run([sys.executable, "-m", "dwarf_nb.cli", "brief", str(f)], capture_output=True, text=True)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr


def test_magic_brief_and_the_card_show_the_brief(ip):
    ran = run(ip, "%%dwarf lending\n---\nteam: 2\n---\nA lending library for 3,000 members; each borrows 2 books a month.")
    assert ran.error is None
    card = ran.last("text/html")
    assert "dwarf-brief" in card and "set by you" in card
    shown = run(ip, "%dwarf brief lending")
    assert shown.error is None
    assert "3,000 members" in shown.last("text/plain") and "<table" in shown.last("text/html")


def test_the_document_has_the_brief_table(tmp_path):
    d = dw.design(FRONT + PROSE)
    d.export(tmp_path)
    doc = (tmp_path / "BACKEND_DESIGN.md").read_text()
    assert "### The Brief" in doc and "| Fact | Value | Status | Evidence |" in doc


def test_designs_stored_before_the_brief_still_load():
    old = dw.design("A shop for 2,000 customers.").model_dump(mode="json")
    old.pop("brief")
    old["schema_version"] = 1
    assert dw.Design.model_validate(old).brief.facts() == []


# -- properties -----------------------------------------------------------------------------------
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(n=st.integers(min_value=2, max_value=2_000_000), k=st.integers(min_value=2, max_value=50))
def test_scaling_a_count_scales_the_derived_rate(n, k):
    one = writes(f"{n:,} sensors each send a reading every 20 seconds.")
    many = writes(f"{n * k:,} sensors each send a reading every 20 seconds.")
    assert many == pytest.approx(one * k, rel=0.02)


_WORDS = st.sampled_from("users sensors orders a day per month each send open 5 12,000 3.5 million GB 99.9% "
                         "team of budget $ dollars every seconds kept years peak search and , .".split())


@settings(max_examples=60, deadline=None)
@given(words=st.lists(_WORDS, min_size=1, max_size=30))
def test_every_number_is_used_by_a_fact_or_listed_as_not_used(words):
    text = " ".join(words)
    try:
        b = dw.brief(text)
    except InputError:
        return
    numbers = [m.span() for m in re.finditer(r"[0-9][0-9,.]*", text)]
    spans = [f.span for f in b.facts() if f.span] + [u.span for u in b.unused]
    for start, end in numbers:
        assert any(s <= start < e or start <= s < end for s, e in spans) or any(
            text[start:end] in (f.evidence + f.formula) for f in b.facts()), (text, text[start:end])


@settings(max_examples=40, deadline=None)
@given(team=st.integers(min_value=1, max_value=500), prose=st.text(min_size=1, max_size=200))
def test_a_front_matter_fact_always_wins(team, prose):
    try:
        b = dw.brief(f"---\nteam: {team}\n---\nTeam of 7 engineers. {prose}")
    except InputError:
        return
    assert b.value("team") == team


@settings(max_examples=40, deadline=None)
@given(text=st.text(min_size=0, max_size=300))
def test_any_text_is_a_valid_design_or_a_one_line_error(text):
    try:
        d = dw.design(text)
    except InputError as err:
        assert "\n" not in str(err)
        return
    assert dw.Design.model_validate(d.model_dump()) == d


# -- fleets and streams said in other words ----------------------------------------------------
@pytest.mark.parametrize("text, writes_, peak", [
    ("12,000 smart water meters each report a reading every 15 minutes.", 12_000 / 900, None),
    ("18,000 pressure, flow and temperature sensors report once a second.", 18_000, None),
    ("Each of our 40,000 hosts ships about 2 KB of logs a second, in lines of roughly 250 bytes.", 40_000 * 8, None),
    ("60,000 home batteries stream their state every 15 seconds at a steady rate day and night.", 4_000, 4_000),
    ("A maker connects 45,000 excavators, loaders and cranes. Each machine reports its location every 10 minutes.", 75, None),
    ("250,000 patients wear it; the phone app syncs every 15 minutes.", 250_000 / 900, None),
    ("Around 1 billion clicks arrive a day, with peaks of 50,000 per second.", 1e9 / 86_400, 50_000),
])
def test_fleets_and_streams_in_other_words(text, writes_, peak):
    c = estimate(text)
    assert c.writes_per_second == pytest.approx(writes_, rel=0.02)
    if peak is not None:
        assert c.peak_writes_per_second == pytest.approx(peak, rel=0.02)


@pytest.mark.parametrize("text", ["About 800 people a day visit the site and look at 5 pages each.",
                                  "800 people a day, each viewing about 5 pages.",
                                  "Each day 800 people visit and open 5 pages each."])
def test_page_views_per_visitor(text):
    assert estimate(text).reads_per_second == pytest.approx(800 * 5 / 86_400, rel=0.02)


def test_clock_times_and_prices_are_not_loads():
    b = dw.brief("Booking opens every Monday at 8am; the digest goes out at 6pm. Cakes over 40 euros need notice.")
    assert not [w for w in b.workloads if w.status != "assumed"]
    assert {u.text for u in b.unused} >= {"8", "6"}


@pytest.mark.parametrize("text, expected", [
    ("3 million devices each send their state every minute.", 3e6 / 60),
    ("We have 500 members; half of them report every minute.", 250 / 60),
    ("3 million devices each send their state every 60 seconds.", 3e6 / 60),
])
def test_an_interval_without_a_number_is_one_unit(text, expected):
    assert estimate(text).writes_per_second == pytest.approx(expected, rel=0.02)


def test_a_share_of_them_on_a_given_day_each_doing_several_things():
    c = estimate("About 30,000 households have portal accounts; roughly a tenth of them look on a given day "
                 "and open about 4 usage charts each.")
    assert c.reads_per_second == pytest.approx(30_000 * 0.1 * 4 / 86_400, rel=0.02)


def test_items_already_held_are_as_big_as_new_ones():
    c = estimate("Editors publish 10 articles a day, each about 20 KB. The archive holds 40,000 articles.")
    assert c.storage_gb_total >= 40_000 * 20_000 / 1e9


def test_a_refine_cell_applies_each_line_and_a_bad_line_is_one_usage_error(ip):
    assert run(ip, "%%dwarf club\nA tennis club of 600 members books courts online. We write Python. AWS.").error is None
    ran = run(ip, "%%dwarf club --refine\nWe host on our own servers.\nThe team is only two people.")
    assert ran.error is None
    club = ip.user_ns["club"]
    assert club.brief.given == {"hosting": "self_hosted", "team": 2}
    message = run(ip, "%%dwarf club --refine\nThe team is two people.\nmake it sparkle").usage_error()
    assert "make it sparkle" in message and "the team is two people" in message


@pytest.mark.parametrize("text", [
    "We handle 1.8 million parcels a day. Each parcel is scanned about 8 times between collection and delivery.",
    "Each parcel is scanned about 8 times. We handle 1.8 million parcels a day.",
])
def test_a_figure_per_item_multiplies_the_items_stream(text):
    assert estimate(text).writes_per_second == pytest.approx(1.8e6 * 9 / 86_400, rel=0.02)


@pytest.mark.parametrize("text", [
    "We take about 240,000 reservations a day; for every booking there are roughly a hundred searches.",
    "About 240,000 bookings a day. For each booking there are about 100 searches.",
])
def test_for_every_item_there_are_n_others(text):
    assert estimate(text).reads_per_second == pytest.approx(240_000 * 100 / 86_400, rel=0.02)


@pytest.mark.parametrize("text, writes_", [
    ("100 million DAU, each receiving 40 emails a day.", 100e6 * 40 / 86_400),
    ("3 million devices are installed; each sends its state every 30 seconds.", 3e6 / 30),
    ("20 million active listings, 5 million bids a day.", 5e6 / 86_400),
])
def test_parties_and_stocks_in_other_words(text, writes_):
    assert estimate(text).writes_per_second == pytest.approx(writes_, rel=0.02)


def test_a_count_and_its_unsaid_interval_are_one_stream():
    c = estimate("About 15,000 players start looking for a match every minute.")
    assert c.reads_per_second + c.writes_per_second == pytest.approx(15_000 / 60, rel=0.02)


def test_a_byte_rate_is_ingest():
    assert estimate("Our services write about 2 TB of logs per day in total.").ingest_mb_per_second == pytest.approx(
        2e12 / 86_400 / 1e6, rel=0.05)


def test_a_report_said_after_its_interval_and_a_retention_named_by_its_word():
    c = estimate("30,000 probes are in the ground; each wakes every 30 minutes and sends three depth readings.")
    assert c.writes_per_second == pytest.approx(30_000 * 3 / 1800, rel=0.02)
    kept = dw.brief("We maintain 60,000 elevators. A controller box in each unit sends a health summary every 5 minutes "
                    "(about 1 KB). Summaries are kept 2 years, and fault history for up to 10 years.")
    assert [d.retention_years for d in kept.data if d.size_bytes == 1000] == [2.0]


@pytest.mark.parametrize("text, expected", [
    ("25,000 trucks carry our tracker; the tracker sends position and speed (about 200 bytes) every 30 seconds "
     "while the engine runs, on average 12 hours a day.", 25_000 * 0.5 / 30),
    ("A maker connects 45,000 excavators, wheel loaders and cranes. Each machine reports its location every 10 minutes "
     "(about 500 bytes); on average a machine runs 9 hours a day.", 45_000 * 9 / 24 / 600),
])
def test_hours_in_use_a_day_are_the_active_share_of_a_fleet(text, expected):
    assert estimate(text).writes_per_second == pytest.approx(expected, rel=0.02)


@pytest.mark.parametrize("text", [
    "Roughly 500 bookings land between 8 and 9 that morning; over a whole week members make about 1,200 bookings.",
    "Over a whole week members make about 1,200 bookings, and roughly 500 bookings land between 8am and 9am on Monday.",
])
def test_a_count_between_two_clock_times_is_the_peak(text):
    c = estimate(text)
    assert c.writes_per_second == pytest.approx(1200 / (7 * 86_400), rel=0.02)
    assert c.peak_writes_per_second == pytest.approx(500 / 3600, rel=0.02)


def test_a_list_of_what_each_sends_before_its_interval():
    c = estimate("60,000 home batteries stream state of charge, power and local grid frequency every 15 seconds, "
                 "at a steady rate day and night.")
    assert (c.writes_per_second, c.peak_writes_per_second) == (pytest.approx(4000, rel=0.02), pytest.approx(4000, rel=0.02))


def test_each_only_reaches_the_figure_beside_it():
    c = estimate("On Saturdays between 9am and 1pm about 2,000 parents look at around 8 pages each.")
    assert c.peak_reads_per_second == pytest.approx(2000 * 8 / (4 * 3600), rel=0.02)
    crowd = dw.brief("About 8,000 people visit in that hour, each loading around 10 pages, and about 3,000 entries are completed.")
    assert not [w for w in crowd.workloads if w.avg_per_s > 100]


@pytest.mark.parametrize("text, share", [
    ("Shoppers mostly browse: about 20 reads for every write. 50,000 users a day.", 20 / 21),
    ("There are 20 views for each update. 50,000 users a day.", 20 / 21),
])
def test_a_read_write_ratio_in_words(text, share):
    c = estimate(text)
    assert c.reads_per_second / (c.reads_per_second + c.writes_per_second) == pytest.approx(share, rel=0.01)


def test_live_tracking_is_a_live_update_not_chat():
    b = dw.brief("An online shop with live order tracking and e-mail receipts.")
    assert b.has("realtime_push") and not b.has("chat")


@pytest.mark.parametrize("text", ["Peak days have 3 million orders.", "On busy days we see 3 million orders."])
def test_a_kind_of_day_is_the_period_of_its_counts(text):
    assert estimate(text).peak_writes_per_second == pytest.approx(3e6 / 86_400, rel=0.02)


@pytest.mark.parametrize("front, check", [
    ("daily_users: 1000000", lambda c: c.reads_per_second + c.writes_per_second == pytest.approx(1e6 * 30 / 86_400, rel=0.02)),
    ("read_share: 50%", lambda c: c.reads_per_second == pytest.approx(c.writes_per_second)),
    ("retention_years: 7", lambda c: c.horizon_years == 7),
])
def test_facts_you_set_size_the_defaults_too(front, check):
    assert check(estimate(dw.brief(f"---\n{front}\n---\nA members' site for 50,000 users a day.")))


def test_every_assumed_fact_names_a_key_that_exists():
    from dwarf_nb.agents.offline.reader.facts import keys
    from dwarf_nb.views.brief import rows

    hints = [r.key.split(":")[0] for r in rows(dw.brief("A members' site for 50,000 users a day.")) if r.status == "assumed"]
    assert hints and set(hints) <= set(keys())


@pytest.mark.parametrize("text", ["A video may take an hour or two to become available after upload. 10 uploads a day.",
                                  "Processing can take a minute or 2 once it is uploaded; we see 10 uploads a day.",
                                  "Replies may take a day or two. We get 10 uploads a day."])
def test_a_unit_or_two_is_a_duration_not_a_rate(text):
    b = dw.brief(text)
    rates = [w.avg_per_s for w in b.workloads if w.status != "assumed"]
    assert rates and all(abs(r - 10 / 86_400) < 1e-9 for r in rates)


@pytest.mark.parametrize("text", ["It runs in our three data centres plus GCP.", "We run two data centers and burst into AWS."])
def test_own_data_centres_beside_a_cloud_mean_portable_self_hosted_parts(text):
    assert dw.brief(text + " About 100 orders a day.").value("hosting") == "self_hosted"


@pytest.mark.parametrize("text, need", [
    ("We sell to 300 agencies, and agencies only ever see their own data.", "multi_tenancy"),
    ("Each employer's records must be walled off from the others.", "multi_tenancy"),
    ("Our biggest customer must never slow the others down.", "multi_tenancy"),
    ("Readers can comment after signing in.", "accounts"),
    ("50,000 players have registered and about 8,000 play a day.", "accounts"),
    ("A trapped-passenger alarm must reach the control room within a minute.", "notifications"),
    ("When two people like each other, both must learn of the match within a second.", "notifications"),
    ("Owners get an email when a booking is cancelled.", "notifications"),
    ("An invoice sent twice must be detected as a duplicate.", "idempotency"),
    ("Votes are retried by the app, so each one must be applied once.", "idempotency"),
    ("Scans that upload again after a reconnect must be de-duplicated.", "idempotency"),
    ("A post should reach every follower within a minute.", "fanout"),
    ("The alert goes to tens of thousands of phones at once.", "fanout"),
])
def test_needs_in_other_words(text, need):
    assert need in {n.name for n in dw.brief(text).needs if n.value}


@pytest.mark.parametrize("text, need", [("Nobody pays; it is an internal tool.", "payments"),
                                        ("No one searches it; people open links we send them.", "keyword_search")])
def test_nobody_and_no_one_rule_a_need_out(text, need):
    found = {n.name: n.value for n in dw.brief(text).needs}
    assert found.get(need) is False


@pytest.mark.parametrize("text", [
    "We take 300 orders a day and 0 refunds a day, and each refund produces 2 emails.",
    "Drivers send 5,000 updates a minute and 0 photos a minute, each photo makes 3 thumbnails.",
])
def test_a_stream_of_nothing_derives_nothing(text):
    # "each refund produces 2 emails" of 0 refunds: no emails stream, and no division by zero
    brief = dw.brief(text)
    assert [w.avg_per_s for w in brief.workloads if w.status == "derived" and "×" in (w.formula or "")
            and " per " in (w.formula or "")] == []
    assert dw.design(text).capacity.peak_rps > 0


@pytest.mark.parametrize("text", [
    "We get " + "9" * 400 + " orders a day.",
    "Shoppers place 12,000,000,000,000,000,000 orders a day.",
])
def test_an_absurd_figure_is_capped_and_the_fact_says_so(text):
    brief = dw.brief(text)
    (orders,) = [w for w in brief.workloads if "order" in w.name]
    assert orders.status == "assumed" and "capped" in orders.why
    assert 0 < orders.avg_per_s <= 1e15
    assert any("capped" in a for a in dw.design(text).capacity.assumptions)


def _fleet_writes(text: str) -> float:
    return sum(w.avg_per_s for w in dw.brief(text).workloads if w.op == "write" and w.status != "assumed")


@pytest.mark.parametrize("text", [
    "The co-operative has 140 farms. Each farm has eight probes; every probe sends a reading every 15 minutes.",
    "140 farms each have eight probes, and every probe sends a reading every 15 minutes.",
    "Every probe sends a reading every 15 minutes. There are eight probes per farm and 140 farms in the co-operative.",
    "Each of 140 farms has about 8 probes, and each probe reports every 15 minutes.",
    "A farm has up to 8 probes on average; every probe sends a reading every 15 minutes, from our 140 farms.",
])
def test_a_count_per_parent_is_multiplied_by_the_parents(text):
    # 140 farms × 8 probes = 1,120 probes, one reading each 900 s: 1.24 writes/s
    assert _fleet_writes(text) == pytest.approx(1120 / 900, rel=0.01)
    (probes,) = [a for a in dw.brief(text).actors if a.noun == "probe"]
    assert probes.count == 1120 and probes.status == "derived" and "140 farms × 8 probes" in probes.formula


def test_a_system_deployed_per_site_counts_one_site():
    text = ("There are 12 sites today, each running its own copy of the software. A site has about 600 robots, "
            "and each reports its state 5 times a second.")
    assert _fleet_writes(text) == pytest.approx(3000, rel=0.01)


@pytest.mark.parametrize("text", [
    "A terminal handles 1.2 million containers a year. Each of our 220 straddle carriers and cranes reports its position every 5 seconds.",
    "We move 1.2 million containers a year; our 220 straddle carriers and cranes each report their position every 5 seconds.",
])
def test_the_party_counted_in_the_rates_own_sentence_sends_it(text):
    # devices passing through a year are not a fleet; the 220 machines of the sentence report
    assert _fleet_writes(text) == pytest.approx(44, rel=0.01)


@pytest.mark.parametrize("text", [
    "About 90,000 people have accounts; roughly 8,000 visit on a given day and read around 25 pages each.",
    "We have 90,000 registered members. About 8,000 log in every day, and each reads about 25 pages.",
    "Our 90,000 members: on a typical day some 8,000 visit, reading roughly 25 pages each.",
])
def test_a_count_before_a_verb_is_how_many_people_do_it(text):
    # 8,000 daily visitors × 25 pages, not 90,000 members × 8,000 visits
    reads = sum(w.avg_per_s for w in dw.brief(text).workloads if w.op == "read")
    assert reads == pytest.approx(8000 * 25 / 86400, rel=0.01)


def test_a_count_before_a_compound_noun_is_not_people():
    brief = dw.brief("Our pickers use handhelds. The warehouse system sends up to 40,000 order lines an hour at peak.")
    assert not [a for a in brief.actors if a.count == 40000]


@pytest.mark.parametrize("text", [
    "When the show goes on sale, about 9,000 orders come in during the first hour.",
    "About 9,000 orders arrive in the first hour after tickets go on sale.",
    "On sale day we take roughly 9,000 orders within the opening hour.",
])
def test_a_count_in_the_first_hour_is_a_rate_over_that_hour(text):
    (orders,) = [w for w in dw.brief(text).workloads if "order" in w.name]
    assert orders.peak_per_s == pytest.approx(9000 / 3600, rel=0.01)


@pytest.mark.parametrize("text", [
    "A university has 85,000 students. In the first hour of registration about 20,000 students each make about 40 requests.",
    "Our 85,000 students register online; in the first hour some 20,000 students each send about 40 requests.",
])
def test_a_part_of_a_party_counted_in_its_own_sentence_is_kept_apart(text):
    brief = dw.brief(text)
    assert sorted(a.count for a in brief.actors if a.noun == "student") == [20000, 85000]
    busiest = max(w.peak_per_s for w in brief.workloads if w.status != "assumed")
    assert busiest == pytest.approx(20000 * 40 / 3600, rel=0.01)


def test_a_count_the_party_grows_to_is_not_a_part_of_it():
    brief = dw.brief("We have 3,000 users. We expect to reach 10,000 users next year. Each user makes 20 requests a day.")
    assert [a.count for a in brief.actors if a.noun == "user"] == [10000]


@pytest.mark.parametrize("text, hosting", [
    ("45 engineers, Go for everything, on Google Cloud with bare-metal game servers.", "gcp"),
    ("We run on AWS, with dedicated servers for the database.", "aws"),
    ("Everything is on Azure; the render farm uses rented machines there too.", "azure"),
    ("We rent bare-metal servers from a local provider.", "self_hosted"),
    ("Our three data centres plus GCP.", "self_hosted"),
])
def test_a_kind_of_server_beside_a_cloud_is_that_clouds(text, hosting):
    assert [c.value for c in dw.brief(text).constraints if c.name == "hosting"] == [hosting]


@pytest.mark.parametrize("text", [
    "We have 3 million members; about 1.2 million observations are uploaded a month, twice that at the height of summer.",
    "We have 3 million members. Around 1.2 million observations are uploaded every month, rising to four times the average in June.",
    "Our 3 million members upload 1.2 million observations a month; July brings three times that.",
])
def test_a_factor_of_another_figure_is_not_a_frequency_per_member(text):
    writes = [w for w in dw.brief(text).workloads if w.op == "write" and w.status != "assumed"]
    assert [round(w.avg_per_s, 2) for w in writes] == [0.48]  # no "3 million members × 2 a month"


def test_a_count_of_more_things_stays_a_count():
    text = "About 2.5 million people open the app each day, each time fetching a page of 20 videos and, on average, 1.5 more pages."
    assert any(w.avg_per_s == pytest.approx(2.5e6 * 1.5 / 86400, rel=0.01) for w in dw.brief(text).workloads)
