"""Times the text sets for work become schedules in the Brief, and each becomes a timed job."""

from __future__ import annotations

import pytest

import dwarf_nb as dw


def schedules(text: str) -> list[str]:
    return [c.value for c in dw.brief(text).constraints if c.name == "schedule"]


@pytest.mark.parametrize("text, cron", [
    ("At 4am the bake list for the day is printed for the kitchen.", "0 4 * * *"),
    ("The bake list is printed at 4 a.m. for the kitchen.", "0 4 * * *"),
    ("Every Wednesday at midnight the week's changes close.", "0 0 * * 3"),
    ("On Wednesdays at 00:00 the week's changes close.", "0 0 * * 3"),
    ("The newsletter goes out at 7am every weekday.", "0 7 * * 1-5"),
    ("Reports are emailed nightly at 2:30.", "30 2 * * *"),
    ("Seller payouts are sent every Monday.", "0 6 * * 1"),
    ("Each evening at 6pm the day's takings are totalled.", "0 18 * * *"),
])
def test_a_period_or_a_time_of_day_is_a_schedule(text, cron):
    assert schedules(text) == [cron]


@pytest.mark.parametrize("text", ["Traffic peaks between 6pm and 9pm on weekdays.",
                                  "We have 300 daily active users.",
                                  "Opening hours are 9am to 7pm; outages overnight are fine.",
                                  "About 2,000 visitors arrive at 7am when registration opens.",
                                  "We're open every day and take about 60 orders on a normal day."])
def test_a_window_of_load_is_not_a_schedule(text):
    assert schedules(text) == []


def test_each_schedule_is_a_timed_job_named_for_its_work_and_citing_its_sentence():
    d = dw.design("A bakery takes about 60 preorders a day. At 4am the bake list for the day is printed for the kitchen.")
    job = next(j for j in d.jobs if j.trigger == "cron: 0 4 * * *")
    assert "bake" in job.name and job.because[0] == "constraint.schedule-1"
    assert "scheduler" in {s.kind for s in d.services}
    from dwarf_nb.views.brief import to_text

    assert "work set for a time (cron)" in to_text(d.brief) and "0 4 * * *" in to_text(d.brief)
