"""Needs a brief calls for (realtime push, keyword search or filters, media, payments, ...),
each with the sentence that shows it, from the cues of `knowledge/needs.toml`.

A cue counts unless a near miss of the same sentence cancels it ("stock price" is not
inventory, "filter by region" is not keyword search); a weak cue counts only beside one
of its companion words ("email" with "send" or "receipt", not "email address").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cache
from typing import Optional

from ....brief import Need
from ....knowledge import load
from .text import Sentence


# A negation just before a cue, in the same clause, rules the need out.
_NEGATED = re.compile(r"(?:^|[^a-z])(?:no|not|without|never|nor|neither|nobody|no one|no-one|skip|don['’]t|do not|doesn['’]t|does not|isn['’]t|"
                      r"is not|aren['’]t|are not|won['’]t|will not|no need for|nothing like)\s+(?:[a-z-]+\s+){0,3}$")


def _alt(phrases: list[str]) -> str:
    out = []
    for p in sorted(phrases, key=len, reverse=True):
        p = p.lower()
        if p.endswith("*"):
            out.append(re.escape(p[:-1]) + r"[a-z-]*")
        else:
            out.append(re.escape(p) + r"(?:s|es)?")
    return "|".join(out)


@cache
def _compiled() -> list[tuple[str, dict, re.Pattern, Optional[re.Pattern], Optional[re.Pattern], Optional[re.Pattern]]]:
    out = []
    for name, spec in load("needs")["need"].items():
        cancel = ""
        if spec.get("not_followed"):
            cancel = r"(?!\s+(?:" + "|".join(re.escape(w) for w in spec["not_followed"]) + r")(?![a-z]))"
        cue = re.compile(r"(?<![a-z0-9])(?:" + _alt(spec["cues"]) + r")(?![a-z0-9])" + cancel)
        weak = re.compile(r"(?<![a-z0-9])(?:" + _alt(spec["weak"]) + r")(?![a-z0-9])" + cancel) if spec.get("weak") else None
        with_ = re.compile(r"(?<![a-z0-9])(?:" + _alt(spec["with"]) + r")(?![a-z0-9])") if spec.get("with") else None
        unless = re.compile(r"(?<![a-z0-9])(?:" + _alt(spec["unless"]) + r")(?![a-z0-9])") if spec.get("unless") else None
        out.append((name, spec, cue, weak, with_, unless))
    return out


def labels() -> dict[str, str]:
    """Need name -> what it means, for the Brief table and the front-matter error."""
    return {name: spec["label"] for name, spec in load("needs")["need"].items()}


def read_needs(text: str, sentences: list[Sentence]) -> list[Need]:
    """Every need the text shows, at its first convincing cue."""
    if not sentences:
        return []
    low = text.lower()
    starts = [s.start for s in sentences]
    found: list[Need] = []
    for name, spec, cue, weak, with_, unless in _compiled():
        hit = denied = None
        for m in cue.finditer(low):
            s = sentences[max(0, bisect_right(starts, m.start()) - 1)]
            slow = low[s.start:s.end]
            if unless is not None and _inside_at(m, unless, slow, s.start):
                continue
            if _NEGATED.search(low[max(s.start, m.start() - 50):m.start()]):
                denied = denied or (s, m)
                continue
            hit = (s, m)
            break
        if hit is None and denied is not None:
            # "there is no full-text search", "we don't need realtime updates": said, and ruled out
            s, m = denied
            found.append(Need(id=f"need.{name}", name=name, value=False, evidence=s.evidence, span=(m.start(), m.end())))
            continue
        if hit is None and weak is not None and with_ is not None:
            for m in weak.finditer(low):
                s = sentences[max(0, bisect_right(starts, m.start()) - 1)]
                slow = low[s.start:s.end]
                if unless is not None and _inside_at(m, unless, slow, s.start):
                    continue
                if with_.search(slow):
                    hit = (s, m)
                    break
        if hit is not None:
            s, m = hit
            found.append(Need(id=f"need.{name}", name=name, evidence=s.evidence, span=(m.start(), m.end())))
    return found


@cache
def trait_owners() -> dict[str, str]:
    """Pattern trait -> the need that stands for it alone (a need whose only trait it is)."""
    out: dict[str, str] = {}
    for name, spec in load("needs")["need"].items():
        if len(spec.get("traits", [])) == 1:
            out.setdefault(spec["traits"][0], name)  # the first listed need is the general one (realtime_push before chat)
    return out


def traits_of(need: str) -> list[str]:
    """The planner's pattern traits a need calls for (a need named after a trait calls for that trait)."""
    spec = load("needs")["need"].get(need)
    return list(spec.get("traits", [])) if spec is not None else [need]


def pattern_needs(text: str, sentences: list[Sentence], found: list[Need]) -> list[Need]:
    """Needs shown by the cues of the planner's pattern traits (`knowledge/patterns.toml`) that the
    needs vocabulary missed, under the need that stands for the trait or under the trait's own name."""
    from ..knowledge import find_phrase

    if not sentences:
        return []
    low = text.lower()
    starts = [s.start for s in sentences]
    covered = {t for n in found for t in traits_of(n.name)}
    names = {n.name for n in found}
    out: list[Need] = []
    for trait, spec in load("patterns")["traits"].items():
        if trait in covered:
            continue
        m = find_phrase(spec["any"], low, spec.get("not_followed", []))
        if m is None:
            continue
        name = trait_owners().get(trait, trait)
        if name in names:
            continue
        s = sentences[max(0, bisect_right(starts, m.start()) - 1)]
        names.add(name)
        out.append(Need(id=f"need.{name}", name=name, evidence=s.evidence, span=(m.start(), m.end())))
    return out


def _inside_at(m: re.Match, unless: re.Pattern, slow: str, offset: int) -> bool:
    for u in unless.finditer(slow):
        a, b = u.start() + offset, u.end() + offset
        if a <= m.start() < b or m.start() <= a < m.end():
            return True
    return False
