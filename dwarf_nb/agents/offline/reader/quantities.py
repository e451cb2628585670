"""Binds every number of a sentence to what it measures: a unit, the noun it counts, a period.

`quantities(sentence)` returns one `Q` per number: a size ("400 KB"), a duration ("every 30
seconds", "for 5 years", "under 200 ms"), money, a percent or share, a multiplier ("5x"),
"N times", or a count of a noun ("60,000 active drivers", "2 billion page views a month").
The noun is classified by the lexicon (a party, an operation, or an item), the verb of
its clause says read or write, and the period may come after the noun ("a month"),
before the number ("Every day, ..."), or elsewhere in the clause ("... are created each
month"). Nothing here combines numbers; `workloads` does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Optional

from .lexicon import data, match_phrase, singular, units, verb_base, verb_op, words
from .numbers import Num, numbers_in
from .text import Sentence, Token

_CLAUSE_BREAK = frozenset({";", ":", "(", ")", "—", "–", "but", "while", "whereas", "which", "who", "where", "when", "whom"})
_PERIOD_LEAD = frozenset({"a", "an", "per", "each", "every", "/", "single"})




def _listed_party(toks: list[Token], lemmas: list[str], k: int, stop: int, function) -> Optional[tuple]:
    """'18,000 pressure, flow and temperature sensors': a list of kinds before the party noun."""
    j, saw_list = k, False
    while j < min(stop, k + 9):
        t = toks[j]
        if t.low in (",", "and", "or", "/"):
            saw_list = True
        elif t.kind != "word" or (t.low in function and t.low not in ("and", "or")):
            return None
        hit = match_phrase(lemmas, j)
        if hit is not None and hit[1] == "role" and j > k and saw_list:
            return " ".join(lemmas[j:j + hit[0]]), "role", hit[2], " ".join(t.low for t in toks[k:j]), j + hit[0]
        j += 1
    return None


def _acts(toks: list[Token], noun_end: int) -> bool:
    """The noun phrase is the subject of what follows: 'meters each report', 'meters send'."""
    nxt = toks[noun_end].low if noun_end < len(toks) else ""
    return nxt in ("each", "all", "that", "which", "report", "send", "sends", "transmit", "upload", "ping", "push", "stream") \
        or (nxt.endswith("s") and verb_base(nxt) is not None)


def _a_length(toks: list[Token], num, noun_end: int) -> bool:
    """'a 40-page report', 'it is 12 pages long': the number measures one thing's length."""
    hyphen = num.j < len(toks) and toks[num.j].text == "-" and toks[num.j].glued
    after = toks[noun_end].low if noun_end < len(toks) else ""
    return hyphen or after in ("long", "document", "documents", "report", "reports", "pdf", "pdfs", "book", "books", "of")


@cache
def _grammar() -> tuple[frozenset, frozenset, frozenset]:
    g = data()["grammar"]
    return frozenset(g["function"]), frozenset(g["modifiers"]), frozenset(g["weak_verbs"])


@dataclass
class Q:
    """One number of a sentence and what it measures."""

    num: Num
    sent: Sentence
    kind: str  # count | size | duration | bitrate | money | percent | share | times | multiplier | ratio
    value: float
    noun: str = ""
    cls: str = ""  # role | op | item | ""
    sub: str = ""  # the role or op of `noun` (end_user, device, read, write, notify, mixed)
    mods: tuple[str, ...] = ()
    noun_end: int = 0  # token index after the noun phrase
    noun_start: int = 0
    period: Optional[float] = None  # seconds of "a month", "every day", "/s"
    period_attached: bool = False  # the period sits right after the noun ("5,000 people a day")
    every: bool = False  # "every 30 seconds", "each 10 minutes": an interval
    per: str = ""  # "per user" / "each" / "per link": a rate per something
    verb: str = ""
    verb_op: Optional[str] = None
    unit: str = ""
    used: bool = False
    why: str = ""
    tags: set[str] = field(default_factory=set)

    @property
    def text(self) -> str:
        return self.num.text(self.sent)

    @property
    def span(self) -> tuple[int, int]:
        return self.num.start, self.num.end

    def use(self) -> "Q":
        self.used = True
        return self


def _unit_at(toks: list[Token], k: int) -> tuple[str, float, int]:
    """(table, factor, tokens) of a unit at token k: bytes, seconds, bitrate, request rate, or ('', 0, 0)."""
    if k >= len(toks):
        return "", 0.0, 0
    u = units()
    t = toks[k]
    low = t.low
    # "5-minute", "7-day": a hyphen, then the unit
    if t.text == "-" and t.glued and k + 1 < len(toks):
        table, factor, used = _unit_at(toks, k + 1)
        return (table, factor, used + 1) if table else ("", 0.0, 0)
    if low in u["bytes"] or singular(low) in u["bytes"]:
        if low == "b" and not t.glued and not (k + 1 < len(toks) and toks[k + 1].low in ("of", "each", "per")):
            pass
        return "bytes", float(u["bytes"].get(low) or u["bytes"][singular(low)]), 1
    if low in u["seconds"] or singular(low) in u["seconds"]:
        key = low if low in u["seconds"] else singular(low)
        if key in ("s", "h", "min") and not t.glued and k + 1 < len(toks) and toks[k + 1].kind == "word" and toks[k + 1].low not in ("each", "per", "a", "intervals", "interval", "of", "and", "or", "to", "while", "for"):
            return "", 0.0, 0
        if key == "quarter" or key == "term":
            return "", 0.0, 0
        return "seconds", float(u["seconds"][key]), 1
    if low in u["bitrate"]:
        return "bitrate", float(u["bitrate"][low]), 1
    if low in u["request_rates"]:
        return "reqrate", 1.0, 1
    # "5 req/s", "200 requests/s" are read as a count with a period.
    return "", 0.0, 0


def period_at(toks: list[Token], k: int) -> tuple[Optional[float], int]:
    """A period starting at token k: 'a month', 'per second', 'each day', '/s', 'daily': (seconds, tokens)."""
    n = len(toks)
    if k >= n:
        return None, 0
    u = units()
    low = toks[k].low
    if low in u["every"] and not (k + 1 < n and toks[k + 1].low in ("active", "users", "user")):
        return float(u["every"][low]), 1
    if low in ("a", "an", "per", "each", "every", "/"):
        j = k + 1
        if j < n and toks[j].low in ("single", "whole", "full", "typical", "normal", "average", "regular", "working"):
            j += 1  # "a whole week", "a typical day"
        if j < n and toks[j].kind == "word":
            w = toks[j].low
            key = w if w in u["seconds"] else singular(w)
            if key in u["seconds"] and key not in ("ms", "millisecond", "msec"):
                if key in ("s", "h", "min") and low != "/":
                    return None, 0
                return float(u["seconds"][key]), j + 1 - k
        return None, 0
    if low in words("day_kinds") and k + 1 < n and singular(toks[k + 1].low) in ("day", "weekday", "night", "evening", "week", "month"):
        # "Peak days have 3 million orders", "busy weeks bring ...": the period of the sentence's counts
        return float(u["seconds"].get(singular(toks[k + 1].low), 86_400)), 2
    if low == "on" and k + 3 < n and toks[k + 1].low in ("a", "an") and toks[k + 2].low in ("normal", "typical", "busy", "quiet", "average", "regular", "good", "peak", "ordinary", "usual", "slow", "big", "heavy"):
        key = singular(toks[k + 3].low)
        if key in ("day", "week", "month", "weekday", "weekend", "night", "evening"):
            return float(u["seconds"].get(key, 86_400)), 4
    if low in ("in", "over", "across", "during", "within") and k + 2 < n and toks[k + 1].low in ("a", "one", "the") and toks[k + 2].kind == "word":
        # "during the first hour", "in the busiest hour": the window a count falls in
        skip = 1 if k + 3 < n and toks[k + 2].low in ("whole", "full", "entire", "typical", "normal", "first", "last",
                                                      "opening", "busiest", "peak", "same") else 0
        key = singular(toks[k + 2 + skip].low)
        if key in u["seconds"] and key not in ("s", "ms", "h", "min"):
            return float(u["seconds"][key]), 3 + skip
    if low in ("in", "over") and k + 2 < n and toks[k + 1].low in ("a", "one") and toks[k + 2].kind == "word":
        key = singular(toks[k + 2].low)
        if key in u["seconds"] and key not in ("s", "ms", "h", "min"):
            return float(u["seconds"][key]), 3
    return None, 0


def _noun_phrase(toks: list[Token], k: int, stop: int) -> tuple[str, str, str, tuple[str, ...], int, int]:
    """(noun, cls, sub, modifiers, start, end) of the noun phrase at token k, or ('', '', '', (), k, k)."""
    function, modifiers, _ = _grammar()
    mods = []
    start = k
    while k < stop and toks[k].kind == "word" and (toks[k].low in modifiers or (toks[k].low.endswith("ly") and toks[k].low not in ("only", "daily", "monthly", "weekly", "hourly", "yearly", "nightly", "family", "assembly", "supply", "reply", "fly", "rally", "ally", "belly", "jelly", "holly"))):
        mods.append(toks[k].low)
        k += 1
    lemmas = [t.lemma if t.kind == "word" else t.low for t in toks[:stop]]
    # "one-off gifts", "trip-status reads": a hyphenated word before the noun is a modifier
    while (k + 3 < stop and toks[k].kind == "word" and toks[k + 1].text == "-" and toks[k + 1].glued and toks[k + 2].glued
           and toks[k + 2].kind == "word" and match_phrase(lemmas, k) is None):
        mods.append(f"{toks[k].low}-{toks[k + 2].low}")
        k += 3
    hit = match_phrase(lemmas, k)
    if hit is None or hit[1] == "item":
        listed = _listed_party(toks, lemmas, k, stop, function)
        if listed is not None:
            return (*listed[:3], tuple(mods + [listed[3]]), k, listed[4])
    if hit is not None:
        length, cls, sub = hit
        end = k + length
        # "sensor readings", "driver location updates": a party noun before an operation noun belongs to it
        nxt = match_phrase(lemmas, end)
        if nxt is not None and cls == "role" and nxt[1] == "op" and singular(toks[end - 1].low) == toks[end - 1].low:
            return " ".join(lemmas[end:end + nxt[0]]), "op", nxt[2], tuple(mods + [" ".join(lemmas[k:end])]), k, end + nxt[0]
        if nxt is not None and cls == "item" and nxt[1] == "role" and singular(toks[end - 1].low) == toks[end - 1].low:
            # "20,000 seat sensors", "parking meters": an item noun before a party noun only says which party
            return " ".join(lemmas[end:end + nxt[0]]), "role", nxt[2], tuple(mods + [" ".join(lemmas[k:end])]), k, end + nxt[0]
        while nxt is not None and nxt[1] == "op" and cls == "op" and end + nxt[0] <= stop:
            # "order line", "page view": keep the longest op compound
            end += nxt[0]
            sub = nxt[2]
            nxt = match_phrase(lemmas, end)
        return " ".join(lemmas[k:end]), cls, sub, tuple(mods), k, end
    if k < stop and toks[k].kind == "word" and toks[k].low not in function:
        end = k + 1
        # a compound: "book copies", "repair jobs" -> head is the last known noun
        while end < stop and toks[end].kind == "word" and toks[end].low not in function and end - k < 3:
            hit2 = match_phrase(lemmas, end)
            plural_head = toks[end].low.endswith("s") and not toks[end - 1].low.endswith("s")
            if hit2 is None and verb_base(toks[end].low) is not None and not plural_head:
                break
            if hit2 is not None:
                if hit2[1] == "op":
                    return " ".join(lemmas[k:end + hit2[0]]), "op", hit2[2], tuple(mods), k, end + hit2[0]
                if hit2[1] == "role":
                    # "20,000 seat sensors": the party is the head, the words before say which
                    return " ".join(lemmas[end:end + hit2[0]]), "role", hit2[2], tuple(mods + [" ".join(lemmas[k:end])]), k, end + hit2[0]
                break
            if toks[end].low.endswith(("s", "ies")) or toks[end - 1].low.endswith("-"):
                end += 1
                continue
            break
        noun = " ".join(singular(t.low) for t in toks[k:end])
        # "20,000 map and trip-status reads per second": the counted noun is the last of the pair
        if end + 1 < stop and toks[end].low in ("and", "or", "/"):
            last = None
            for e2 in range(end + 1, min(stop, end + 7)):
                if toks[e2].text == "-":
                    continue  # "trip-status reads": the hyphen joins a modifier to the head
                if toks[e2].low in function:
                    break
                hit3 = match_phrase(lemmas, e2)
                after = toks[e2 + hit3[0]].low if hit3 is not None and e2 + hit3[0] < len(toks) else ""
                if hit3 is not None and hit3[1] == "op" and (after not in _DETERMINERS or period_at(toks, e2 + hit3[0])[0] is not None):
                    last = (" ".join(lemmas[e2:e2 + hit3[0]]), "op", hit3[2], tuple(mods), k, e2 + hit3[0])
            if last is not None:
                return last
        return noun, "item", "", tuple(mods), k, end
    if mods:
        # "60,000 online" / "5,000 active": the modifier stands for the people it describes
        return "", "", "", tuple(mods), start, k
    return "", "", "", (), start, start


def _clause(toks: list[Token], i: int) -> tuple[int, int]:
    """Token range of the clause around token i (between ; : ( ) and clause words)."""
    a = i
    while a > 0 and toks[a - 1].low not in _CLAUSE_BREAK:
        a -= 1
    b = i
    while b < len(toks) and toks[b].low not in _CLAUSE_BREAK:
        b += 1
    return a, b


_DETERMINERS = frozenset("a an the each every their our its his her my your this that these those per of".split())


def _verb_near(toks: list[Token], a: int, b: int, at: int, nouns: set[int]) -> tuple[str, Optional[str]]:
    """The verb of a clause nearest to token `at` that says read or write (weak verbs only when alone).

    A word that heads a counted noun phrase ("2,000 reports") or follows a determiner
    ("a reading") is a noun, not a verb.
    """
    _, modifiers, weak = _grammar()
    best = None
    for k in range(a, b):
        t = toks[k]
        if t.kind != "word" or k in nouns or t.low in modifiers:
            continue  # "250,000 registered patients": a modifier, not the clause's verb
        if k > 0 and toks[k - 1].low in _DETERMINERS:
            # "each send" is a verb; "each reading", "a reading" are nouns
            if toks[k - 1].low not in ("each", "every") or match_phrase([t.lemma], 0) is not None:
                continue
        base = verb_base(t.low)
        if base is None:
            continue
        op = verb_op(t.low)
        if op is None:
            continue
        strength = 0 if base in weak else 1
        if abs(k - at) > 6:
            strength = 0
        score = (strength, -abs(k - at))
        if best is None or score > best[0]:
            best = (score, base, op, strength)
    if best is None:
        return "", None
    if best[3] == 0:
        return best[1], None
    return best[1], best[2]


def quantities(s: Sentence) -> list[Q]:
    """One Q per number of the sentence."""
    toks = s.tokens
    nums = numbers_in(s)
    out: list[Q] = []
    function, _, _ = _grammar()
    for idx, num in enumerate(nums):
        nxt_num = nums[idx + 1].i if idx + 1 < len(nums) else len(toks)
        a, b = _clause(toks, num.i)
        before = toks[num.i - 1].low if num.i > 0 else ""
        before2 = toks[num.i - 2].low if num.i > 1 else ""
        q = Q(num, s, num.form, num.value)
        if num.form == "percent":
            q.value = num.value / 100.0
        k = num.j
        if num.form in ("count", "times", "money"):
            table, factor, used = _unit_at(toks, k) if num.form == "count" else ("", 0.0, 0)
            if num.form == "count" and table == "" and before == "or" and num.i >= 2:
                # "an hour or two", "a day or 2": the number counts the unit before "or".
                unit, unit_factor, _ = _unit_at(toks, num.i - 2)
                if unit == "seconds":
                    table, factor, used = unit, unit_factor, 0
            if table == "bytes":
                q.kind, q.value, q.unit = "size", num.value * factor, "B"
                k += used
            elif table == "seconds":
                q.kind, q.value, q.unit = "duration", num.value * factor, "s"
                k += used
                if before in ("every", "each") or (before == "every" or before2 in ("every", "each", "once")) or (k < len(toks) and toks[k].low in ("intervals", "interval", "cadence")):
                    q.every = True
            elif table == "bitrate":
                q.kind, q.value, q.unit = "bitrate", num.value * factor, "Mbps"
                k += used
            elif table == "reqrate":
                q.kind, q.noun, q.cls, q.sub = "count", "request", "op", "mixed"
                q.period, q.period_attached = 1.0, True
                k += used
                q.noun_end = k
            elif num.form == "count" and k < len(toks) and toks[k].low in ("x", "×", "fold") or (num.form == "times" and not _period_follows(toks, k)):
                q.kind = "multiplier"
                k += 1 if num.form == "count" else 0
            elif num.form == "count" and k + 1 < len(toks) and toks[k].text == ":" and toks[k + 1].kind == "num":
                q.kind, q.value = "ratio", num.value / max(float(toks[k + 1].text.replace(",", "")), 1e-9)
                q.tags.add(f"ratio:{toks[k + 1].text}")
        if q.kind in ("count", "size", "share") and not q.noun:
            start_np = k if num.tags_noun is None else num.tags_noun
            stop_np = min(nxt_num, len(toks)) if num.tags_noun is None else num.tags_noun + 1
            if q.kind == "share":
                # "one in five orders", "a third of the fleet", "20% of posts"
                while start_np < len(toks) and toks[start_np].low in ("of", "the", "all", "our", "their", "its", "them"):
                    start_np += 1
            if q.kind == "size":
                while start_np < len(toks) and toks[start_np].low in ("of", "per", "each", "for", "a", "an", "the", "every"):
                    if toks[start_np].low in ("per", "each", "every", "for", "a"):
                        q.per = "each" if toks[start_np].low != "of" else q.per
                    start_np += 1
            noun, cls, sub, mods, ns, ne = _noun_phrase(toks, start_np, stop_np)
            if q.kind == "share" and any(t.low in ("them", "these", "those") for t in toks[k:start_np]):
                noun, cls, sub, mods, ns, ne = "", "", "", (), start_np, start_np  # "a tenth of them": the party named before
            if num.tags_noun is not None:
                ne = max(ne, num.j)
            if q.kind == "count" and noun and singular(noun.split()[-1]) in ("meter", "metre") and _acts(toks, ne):
                cls, sub = "role", "device"  # "12,000 smart meters each report": the devices, not a length
            elif q.kind == "count" and noun and singular(noun.split()[-1]) in words("measures") and start_np < len(toks):
                if singular(noun.split()[-1]) == "page" and not _a_length(toks, num, ne):
                    # "view 3 pages each", "12 pages a visit": page views, not the length of a document
                    noun, cls, sub = "page view", "op", "read"
                else:
                    q.kind = "measure"
            if q.kind == "count" and noun in ("am", "pm", "a.m", "p.m", "o'clock", "noon", "midnight"):
                q.kind, q.why = "clock", "a time of day, not a load"
            q.noun, q.cls, q.sub, q.mods, q.noun_start, q.noun_end = noun, cls, sub, mods, ns, ne
            k = ne
            if num.form == "count" and not noun and not mods:
                # "Users: 50k", "a fleet of 5,000", "peaks at 8,000 a minute": the noun is before
                noun, cls, sub = _noun_before(toks, num.i, a)
                q.noun, q.cls, q.sub = noun, cls, sub
                q.noun_end = num.j
        if q.kind == "percent":
            # "20% of posts", "90% of requests are reads"
            start_np = k
            while start_np < len(toks) and toks[start_np].low in ("of", "the", "all", "our", "their", "them", "its"):
                start_np += 1
            if start_np > k:
                noun, cls, sub, mods, ns, ne = _noun_phrase(toks, start_np, min(nxt_num, len(toks)))
                q.noun, q.cls, q.sub, q.mods, q.noun_end = noun, cls, sub, mods, ne
                k = ne
        # the period: right after the noun, or after "N times", or elsewhere in the clause
        if q.period is None and q.kind in ("count", "size", "times", "money", "measure"):
            j = k
            p, used = period_at(toks, j)
            if p is None and j < len(toks) and toks[j].low in ("/",) and j + 1 < len(toks):
                p, used = period_at(toks, j)
            if p is None and j < len(toks) and toks[j].low == "per" and j + 1 < len(toks):
                # "per user per day", "per link"
                noun2, cls2, sub2, _, _, ne2 = _noun_phrase(toks, j + 1, len(toks))
                if noun2 and not period_at(toks, j)[0]:
                    q.per = noun2
                    p, used = period_at(toks, ne2)
                    j = ne2
            if p is not None:
                q.period, q.period_attached = p, True
                k = j + used
                if q.per == "" and k < len(toks) and toks[k].low == "per":
                    noun2, _, _, _, _, _ = _noun_phrase(toks, k + 1, len(toks))
                    q.per = noun2 or q.per
            elif q.kind in ("count", "times"):
                p, where = _period_in_clause(toks, a, b, num, nums)
                if p is not None:
                    q.period = p
                    if where < num.i:
                        q.tags.add("period_before")
        if q.kind == "count" and k < len(toks) and toks[k].low == "each" and q.cls == "role":
            q.tags.add("each_after")
        if q.kind in ("duration",) and before in ("every", "each"):
            q.every = True
        out.append(q)
    # "60 million score submissions and 150 million board views per day": one period for the list
    for q, nxt in zip(out, out[1:]):
        if set(q.mods) & words("stock_modifiers"):
            continue  # "20 million active listings, 5 million bids a day": what exists, not a stream
        if (q.kind == "count" and q.noun and not q.period_attached and nxt.kind == "count" and nxt.period_attached
                and q.noun_end < len(toks) and toks[q.noun_end].low in ("and", ",", "or", "plus") and nxt.num.i - q.noun_end <= 3):
            q.period, q.period_attached = nxt.period, True
    for q in reversed(out):
        if q.kind == "count" and q.noun and q.period_attached:
            for prev in out:
                if set(prev.mods) & words("stock_modifiers"):
                    continue
                if prev is not q and prev.kind == "count" and prev.noun and prev.period is None and prev.noun_end < len(toks) \
                        and toks[prev.noun_end].low in ("and", ",", "plus") and 0 < q.num.i - prev.noun_end <= 3:
                    prev.period, prev.period_attached = q.period, True
    # "about 15,000 start looking for a match every minute": an unsaid one is the period of the count before it
    for q in [q for q in out if q.num.implied]:
        prev = next((p for p in reversed(out) if p.num.i < q.num.i and not p.num.implied), None)
        if prev is not None and prev.kind == "count" and prev.cls != "role" and prev.period in (None, q.value) \
                and _clause(toks, prev.num.i) == _clause(toks, q.num.i):
            prev.period = q.value
            out.remove(q)
    nouns = {k for q in out for k in range(q.noun_start, q.noun_end) if q.noun}
    for q in out:
        a, b = _clause(toks, q.num.i)
        q.verb, q.verb_op = _verb_near(toks, a, b, q.num.i, nouns)
    return out


def _period_follows(toks: list[Token], k: int) -> bool:
    """'3 times a day' / 'twice per hour' / 'once every 10 minutes'."""
    if k < len(toks) and toks[k].low in ("every", "each"):
        return True
    return period_at(toks, k)[0] is not None


def _period_in_clause(toks: list[Token], a: int, b: int, num: Num, nums: list[Num]) -> tuple[Optional[float], int]:
    """A period of the clause not owned by another number ('Each month, 40,000 claims are filed')."""
    owned = set()
    for other in nums:
        if other is num:
            continue
        for k in range(other.i, min(other.j + 5, len(toks))):
            if toks[k].text in (";", ",", ":", "(", ")"):
                break
            owned.add(k)  # "1,200 new products a month": the period after another number's noun is that number's
    best = None
    for k in range(a, b):
        if k in owned or num.i <= k < num.j:
            continue
        p, used = period_at(toks, k)
        if p is not None:
            # "every" before another number is that number's interval, not this one's period
            if toks[k].low in ("every", "each") and k + 1 < len(toks) and toks[k + 1].kind == "num":
                continue
            if best is None or abs(k - num.i) < abs(best[1] - num.i):
                best = (p, k)
    return (best[0], best[1]) if best else (None, -1)


def _noun_before(toks: list[Token], i: int, a: int) -> tuple[str, str, str]:
    """The noun a number refers back to ('Daily active users: 2 million', 'a team of 6').

    A party or operation noun may sit a few words back; any other noun only right
    before the number, as a label or a predicate ('the fleet is 5,000', 'Orders: 300').
    """
    function, modifiers, _ = _grammar()
    lemmas = [t.lemma if t.kind == "word" else t.low for t in toks]
    k = i - 1
    skipped = 0
    label = i > 0 and toks[i - 1].low in (":", "of", "-", "—", "is", "are", "was", "were", "=", "reaches", "reach", "totals")
    while k >= a and skipped < 6:
        t = toks[k]
        if t.kind == "word" and t.low not in function and t.low not in modifiers and verb_base(t.low) is None:
            for length in (3, 2, 1):
                st = k - length + 1
                if st < 0:
                    continue
                hit = match_phrase(lemmas, st, length)
                if hit is not None and hit[0] == length:
                    return " ".join(lemmas[st:k + 1]), hit[1], hit[2]
            if label and skipped <= 2:
                return singular(t.low), "item", ""
            return "", "", ""
        if t.kind == "num":
            break
        k -= 1
        skipped += 1
    return "", "", ""
