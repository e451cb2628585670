"""Phrase matching over the offline designer's knowledge: one pattern per phrase list, tried only where a phrase can start."""

from __future__ import annotations

import re
from functools import cache



@cache
def _phrase_pattern(phrases: tuple[str, ...], not_followed: tuple[str, ...] = ()) -> re.Pattern:
    alternatives = []
    for phrase in sorted(phrases, key=len, reverse=True):
        text = phrase.lower()
        if text.endswith("*"):
            alternatives.append(re.escape(text[:-1]))
        elif text[-1:].isalpha():
            alternatives.append(re.escape(text) + r"(?:s|es)?(?![a-z])")
        else:
            alternatives.append(re.escape(text))
    # A phrase followed by one of `not_followed` ("daily active") does not count.
    cancel = r"(?!\s+(?:" + "|".join(re.escape(w) for w in not_followed) + r")(?![a-z]))" if not_followed else ""
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(alternatives) + ")" + cancel)


def phrase_pattern(phrases: list[str], not_followed: list[str] = ()) -> re.Pattern:
    """One pattern matching any phrase at a word start, lower case (compiled once per list).

    A phrase matches as a whole word, plural allowed ("order" finds "orders" but not
    "ordering"); a phrase ending in '*' is a stem ("transcod*" finds "transcoding"); a
    match followed by a word of `not_followed` is skipped.
    """
    return _phrase_pattern(tuple(phrases), tuple(not_followed))


def find_phrase(phrases: list[str], low: str, not_followed: list[str] = ()) -> "re.Match | None":
    """The first match of `phrase_pattern(phrases)` in the lower-case text `low`.

    Every match starts where one phrase's literal text occurs, so the pattern is tried
    only at those places (found by plain substring search), not at every character of a
    long text: each "venue" inside "revenue" costs one failed try, not a scan. Once a match
    is known, the other phrases are looked for only before it.
    """
    best: "re.Match | None" = None
    pattern: "re.Pattern | None" = None
    for phrase in phrases:
        literal = phrase.rstrip("*").lower()
        end = best.start() + len(literal) - 1 if best else len(low)  # places before the known match
        pos = low.find(literal, 0, end)
        while pos != -1:
            # Built (and cached) only for a list one of whose phrases occurs at all.
            pattern = pattern or phrase_pattern(phrases, not_followed)
            m = pattern.match(low, pos)
            if m:
                best = m
                break
            pos = low.find(literal, pos + 1, end)
    return best
