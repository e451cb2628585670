"""When the text says work happens: each sentence that sets a period or a time of day for
something becomes a schedule (a cron expression) in the Brief.

The period words and their cron expressions are `[schedules]` in `knowledge/patterns.toml`
("nightly", "every Monday", "each month"); a time of day ("at 4am", "at 18:30", "at
midnight") sets the hour and minute of the period's expression, and alone it means every
day. A time in a sentence about load ("peaks between 6pm and 9pm", "opening hours") is a
window of traffic, not a job, and is left alone.
"""

from __future__ import annotations

import re
from functools import cache

from ....brief import Setting
from ....knowledge import load
from ..knowledge import find_phrase
from .text import Sentence, find

_CLOCK = re.compile(
    r"(?<![\d:.])(?:(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?P<ap>a\.?\s?m\.?|p\.?\s?m\.?)(?![a-z])"
    r"|(?P<h24>[01]?\d|2[0-3]):(?P<m24>[0-5]\d)(?!\d)|(?P<word>midnight|noon|midday))",
    re.IGNORECASE,
)


_DAILY = "0 1 * * *"


@cache
def _table() -> tuple[list[str], dict[str, str], list[str], list[str], list[str]]:
    patterns = load("patterns")
    table = patterns["schedules"]
    phrases = sorted(table, key=len, reverse=True)
    cancel = patterns["traits"]["scheduled"]["not_followed"]
    reading = patterns["schedule_reading"]
    return phrases, table, cancel, reading["load_words"], reading["opening_words"]


def _clock(low: str) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """((hour, minute), span) of the first time of day in `low`."""
    m = _CLOCK.search(low)
    if m is None:
        return None
    if m.group("word"):
        return ((0, 0) if m.group("word") == "midnight" else (12, 0)), m.span()
    if m.group("h24"):
        return (int(m.group("h24")), int(m.group("m24"))), m.span()
    hour, minute = int(m.group("h")), int(m.group("m") or 0)
    if hour > 12 or minute > 59:
        return None
    pm = m.group("ap").lower().startswith("p")
    return (hour % 12 + (12 if pm else 0), minute), m.span()


def _with_clock(cron: str, clock: tuple[int, int]) -> str:
    """`cron` run at the time of day `clock` (when its hour is fixed or daily)."""
    minute, hour, *rest = cron.split()
    if "/" in minute or "/" in hour or (hour == "*" and minute == "*"):
        return cron  # every few minutes or hours: a time of day does not narrow it
    return " ".join([str(clock[1]), str(clock[0]), *rest])


def read_schedules(sentences: list[Sentence]) -> list[Setting]:
    """One schedule per sentence that sets a period or a time of day for work."""
    phrases, table, cancel, load_words, opening = _table()
    out: list[Setting] = []
    for s in sentences:
        low = s.low
        m = find_phrase(phrases, low, cancel)
        clock = _clock(low)
        if (m is None and clock is None) or find(opening, low) or (m is None and find(load_words, low)):
            continue
        # The period's expression (a phrase may be a stem such as "embargo*"), else every day.
        cron = next((table[p] for p in phrases if find_phrase([p], m.group(0))), _DAILY) if m is not None else _DAILY
        if clock is not None:
            cron = _with_clock(cron, clock[0])
        start, end = m.span() if m is not None else clock[1]
        out.append(Setting(id=f"constraint.schedule-{len(out) + 1}", name="schedule", value=cron, unit="cron",
                           evidence=s.evidence, span=(s.start + start, s.start + end)))
    return out
