"""Actors, workloads and stored data, composed from the quantities of every sentence.

The composition an engineer does on the back of an envelope, written as rules:

- a count of a party noun is an actor ("60,000 drivers are online" -> drivers, at once);
- a count of an operation with a period is a workload ("2 billion page views a month");
- a rate per party is multiplied by that party's count, wherever in the text the count is
  ("each sensor sends a reading every 30 s" x "5,000 sensors"), and by the share of the
  party that is active ("a third of the fleet is on the road at any time");
- "ten opens per link" multiplies the link workload; "one post in ten carries a 2 MB
  picture" adds stored media to the post workload;
- peaks are stated ("8,000 a minute when doors open"), a factor ("5x the usual"), a
  window ("80% of orders in two hours"), or 3x the average when nothing is said;
- count x size is storage; retention says for how long.

Each result records the numbers it used (their `Q.used`), the formula it computed and the
sentence it came from, so the Brief can show its arithmetic and list what it skipped.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from dataclasses import dataclass, field
from typing import Optional

from ....brief import Actor, DataItem, Setting, Workload
from ....knowledge import load
from ....views.numbers import human, plain
from .lexicon import cues, data, lemma, match_phrase, plural, role_of, singular, units, verb_base, words
from .quantities import Q
from .text import Sentence
from .text import has as _has

DAY, MONTH, YEAR = 86_400.0, 2_500_000.0, 30_000_000.0
_PERIOD_NAMES = {1.0: "second", 60.0: "min", 3600.0: "h", DAY: "day", 604_800.0: "week", MONTH: "month", YEAR: "year", 7_500_000.0: "quarter"}
_PRONOUNS = frozenset({"they", "them", "each", "everyone", "every", "he", "she", "it", "these", "those"})


@cache
def _each_item_re() -> re.Pattern:
    verbs = "|".join(sorted(words("per_item_verbs"), key=len, reverse=True))
    return re.compile(r"\beach ([a-z]+) (?:" + verbs + r")\b(?: [a-z]+){0,3}$")


@cache
def _peak_at() -> re.Pattern:
    verbs = "|".join(sorted(words("peak_verbs"), key=len, reverse=True))
    return re.compile(r"\b(?:" + verbs + r")\s+(?:at|of|to)\s+(?:about |around |roughly |nearly |up to )?$")


@lru_cache(maxsize=65536)
def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "item"


def _over(period: float) -> str:
    """The division a formula writes out to reach a rate per second (none for a rate already per second)."""
    return "" if period == 1 else f" ÷ {plain(period)} s"


def period_name(seconds: float) -> str:
    return _PERIOD_NAMES.get(seconds, f"{plain(seconds)} s")


_FOR_EVERY = re.compile(r"\bfor (?:every|each) ([a-z]+) (?:there (?:are|is|will be)|we see|we get|users make|people make|come|comes)\b"
                        r"(?: [a-z]+| [0-9,.]+ [a-z-]+(?: [a-z-]+)? and){0,6}$")
_RUNS_A_DAY = re.compile(r"^[0-9.,]+\s*(?:hours?|hrs?|h)\s+(?:a|per|each|every)\s+day")
_RATIO_WORDS = re.compile(r"\b[0-9][0-9,.]*\s*(?P<a>reads?|views?|lookups?|look-ups?|searches|writes?)\s+(?:for|per|to)\s+(?:every|each|one|a)\s+"
                          r"(?P<b>writes?|reads?|views?|updates?|changes?)\b")
_CLOCK_WINDOW = re.compile(r"\b(?:between|from)\s+(?P<h1>[0-9]{1,2})(?:[:.][0-9]{2})?\s*(?P<p1>am|pm|a\.m\.|p\.m\.)?\s+"
                           r"(?:and|to|until|till)\s+(?P<h2>[0-9]{1,2})(?:[:.][0-9]{2})?\s*(?P<p2>am|pm|a\.m\.|p\.m\.)?")
_LABEL_BEFORE = re.compile(r"\b(?:(?P<peak>peak|max(?:imum)?)\s+)?(?:(?P<op>reads?|writes?)\s+)?(?:qps|rps|tps|requests per second|"
                           r"queries per second|requests/s)\s*(?:is|are|of|:|~|≈|=|at|around|about|roughly|\s)*$")



@dataclass
class _ActorRef:
    noun: str
    role: str
    count: Optional[float]
    kind: str
    q: Optional[Q]
    sent: Sentence
    peak: bool = False
    per: str = ""  # "each farm has eight probes": the party each one of these belongs to ("farm")
    formula: str = ""  # how the count was derived, when it was ("140 farms × 8 probes each")


@dataclass
class _Rate:
    """A rate before it is resolved: total (actor None) or per member of an actor."""

    name: str
    noun: str
    op: str  # read | write | notify | mixed
    per_s: float  # per actor member when `per_actor`, else in total
    per_actor: bool
    actor_noun: str
    sent: Sentence
    qs: list[Q]
    formula: str
    peak: bool = False
    average: bool = False
    interval: bool = False
    share: float = 1.0
    share_text: str = ""
    per_item: str = ""  # "ten opens per link": multiplies the workload named here
    size: Optional[float] = None
    burst: bool = False


@dataclass
class Load:
    """What the composition found: the Brief's actors, workloads and data, and figures for the totals."""

    actors: list[Actor] = field(default_factory=list)
    workloads: list[Workload] = field(default_factory=list)
    data: list[DataItem] = field(default_factory=list)
    settings: list[Setting] = field(default_factory=list)
    read_share: Optional[float] = None
    spike: Optional[float] = None
    horizon_years: Optional[float] = None


def _role(noun: str, cls: str, sub: str, s: Sentence) -> Optional[str]:
    """The role of a party noun in its sentence: a machine near machine words, the team near team words."""
    if cls != "role":
        return None
    low = s.low
    lex = data()["roles"]
    head = noun.split()[-1]
    if sub in ("end_user", "staff", "api_client") and (head in lex["device"] or noun in lex["device"]) and _has(low, lex["machine_cues"]):
        return "device"
    if sub in ("end_user", "staff") and _has(low, lex["api_cues"]) and head in ("developer", "client", "partner", "merchant", "business", "company", "app", "application"):
        return "api_client"
    if sub == "api_client" and head in ("app", "application") and not _has(low, lex["api_cues"]):
        return None
    return sub


def _kind(q: Q, role: str, s: Sentence) -> str:
    mods = set(q.mods)
    low = s.low
    if q.period_attached and q.period == DAY or "daily" in mods or "dau" in low.split():
        return "daily_active"
    if q.period_attached and q.period == MONTH or "monthly" in mods or "mau" in low.split():
        return "monthly_active"
    if mods & {"concurrent", "simultaneous", "connected"} or _has(low, cues("time", "concurrent_cues")):
        return "on_shift" if role == "staff" else "concurrent"
    if mods & {"registered", "subscribed", "enrolled"} or _has(low, ["registered", "signed up", "sign-ups", "accounts", "enrolled"]):
        return "registered"
    if role == "device":
        return "fleet"
    return "total"


@cache
def _per_parent_res() -> tuple[tuple[re.Pattern, ...], re.Pattern]:
    """The patterns of a count per parent, built from the lexicon's part verbs, hedges and
    parent words: 'each farm has eight probes', 'farms each have', 'each of 40 schools has'."""
    g = data()["grammar"]
    verbs = "(?:" + "|".join(map(re.escape, g["part_verbs"])) + ")"
    hedge = "(?:" + "".join(f" {re.escape(h)}|" for h in g["hedges"]).rstrip("|") + ")?"
    before = (rf"\b(?:each|every|a|one|per|any) ([a-z]+) {verbs}{hedge}$", rf"\b([a-z]+) each {verbs}{hedge}$",
              rf"\beach of (?:our |the |its |their )?[0-9][0-9,.]* ([a-z]+) {verbs}{hedge}$")
    after = r"^(?:on average )?(?:" + "|".join(map(re.escape, g["parent_after"])) + r") ([a-z]+)\b"
    return tuple(re.compile(rx) for rx in before), re.compile(after)


def _bare_verb(s: Sentence, q: Q) -> bool:
    """'8,000 visit', '300 log in': after a count above one, a singular word that is a verb is
    what the counted ones do, not a count of visits."""
    if q.noun_end - q.num.j != 1 or q.num.j >= len(s.tokens):
        return False
    word = s.tokens[q.num.j].low
    after = s.tokens[q.num.j + 1] if q.num.j + 1 < len(s.tokens) else None
    # "40,000 order lines": a noun follows, so "order" names the lines
    followed = after is None or after.kind == "sym" or after.low in cues("grammar", "function")
    return followed and not word.endswith("s") and verb_base(word) is not None and singular(word) == word


def _per_parent(s: Sentence, q: Q) -> str:
    """The party each counted one belongs to: 'each farm has eight probes', 'farms each have
    eight probes', 'eight probes per farm' -> 'farm' (never a period: 'per day' is a rate)."""
    lead = " ".join(t.low for t in s.tokens[max(0, q.num.i - 7):q.num.i])
    trail = " ".join(t.low for t in s.tokens[q.noun_end:q.noun_end + 4])
    before, after = _per_parent_res()
    found = next((m.group(1) for m in (*(rx.search(lead) for rx in before), after.search(trail)) if m), "")
    noun = singular(found) if found else ""
    return "" if not noun or noun in units()["seconds"] or noun == singular(q.noun.split()[-1]) else noun


class Composer:
    """One pass over the sentences' quantities, then the document-level resolution."""

    def __init__(self, sentences: list[Sentence], qs: dict[int, list[Q]]):
        self.sentences = sentences
        self.qs = qs
        self.actors: list[_ActorRef] = []
        self.rates: list[_Rate] = []
        self.shares: list[tuple[str, float, Q, bool]] = []  # (actor noun, share, q, concurrent)
        self.sizes: list[tuple[str, float, Q]] = []
        self.stock: list[dict] = []
        self.retention: list[tuple[str, float, Q]] = []
        self.windows: list[tuple[str, float, float, Q]] = []  # noun, share, seconds, q
        self.out = Load()
        self.last_actor: Optional[str] = None

    # -- per sentence -------------------------------------------------------------------
    def run(self) -> Load:
        for s in self.sentences:
            qs = self.qs.get(s.index, [])
            if qs:
                self._sentence(s, qs)
            self._note_actor_nouns(s)
        self._resolve()
        return self.out

    def _note_actor_nouns(self, s: Sentence) -> None:
        """Remember the last party named without a count ('Drivers report ...') for 'they'."""
        lemmas = [t.lemma for t in s.tokens]
        for k in range(len(lemmas)):
            hit = match_phrase(lemmas, k)
            if hit and hit[1] == "role" and hit[2] not in ("team",):
                self.last_actor = " ".join(lemmas[k:k + hit[0]])

    def _actor_in(self, s: Sentence, before: int) -> Optional[str]:
        """The party a per-member rate belongs to: named in the sentence before the rate, else 'they'."""
        lemmas = [t.lemma for t in s.tokens]
        found = None
        k = 0
        while k < min(before, len(lemmas)):
            hit = match_phrase(lemmas, k)
            if hit and hit[1] == "role" and hit[2] != "team":
                noun = " ".join(lemmas[k:k + hit[0]])
                # "each driver app reports", "couriers ..., their phones sending": the device belongs to the party
                owned = noun in ("app", "mobile app", "phone", "device", "client app", "handset", "tracker", "wearable", "watch")
                if not (found and owned and k > 0 and (lemmas[k - 1] == found.split()[-1] or lemmas[k - 1] in ("their", "its", "whose", "his", "her"))):
                    found = noun
                k += hit[0]
                continue
            if lemmas[k] in words("collective") and found is None:
                found = "fleet" if lemmas[k] == "fleet" else self.last_actor
            k += 1
        if found is None and any(t.low in _PRONOUNS for t in s.tokens[:before]):
            found = self.last_actor
        return found

    def _sentence(self, s: Sentence, qs: list[Q]) -> None:
        low = s.low
        peak_here = _has(low, cues("time", "peak_cues"))
        if peak_here and any(q.kind == "multiplier" and q.value > 1 for q in qs):
            peak_here = None  # "... views per day; evenings peak at 3x average": the figures are averages
        avg_here = _has(low, cues("time", "average_cues"))
        if peak_here and any(i and self._peak_figure(s, q) for i, q in enumerate(qs)):
            peak_here = None  # "1 billion a day, with peaks of 50,000 per second": the peak is its own figure
        self._labelled_rates(s, qs)
        self._ratio_in_words(s, qs)
        self._clock_window(s, qs)
        for idx, q in enumerate(qs):
            if q.used or (idx and self._peak_figure(s, q)):
                continue  # a peak of a stream named before it: `_peak_of_previous` joins the two
            if q.kind == "count" and not q.noun and not q.period and self.last_actor and re.match(
                    r"\s*(?:of them\s+|of these\s+)?(?:are|is|were|stay|remain|have the app)\s+(?:online|connected|logged|active|open|live|on)",
                    low[q.num.end - s.start:]):
                # "around 400,000 are online": the party named before, counted at once
                role = role_of(self.last_actor) or "end_user"
                self.actors.append(_ActorRef(self.last_actor, role, q.value, "on_shift" if role == "staff" else "concurrent", q.use(), s,
                                             peak=bool(peak_here)))
                continue
            if q.kind == "count" and q.cls == "op" and q.value > 1 and self.last_actor and _bare_verb(s, q) \
                    and (role_of(self.last_actor) or "end_user") in ("end_user", "staff"):
                # "roughly 8,000 visit on a given day": how many of the people named before do it
                role = role_of(self.last_actor) or "end_user"
                daily = _has(low, cues("time", "daily_cues"))
                self.actors.append(_ActorRef(self.last_actor, role, q.value, "daily_active" if daily else "total", q.use(), s))
                continue
            if q.kind == "count" and q.cls == "role":
                role = _role(q.noun, q.cls, q.sub, s)
                if role is None or role == "team":
                    continue  # the team is a constraint; read by `constraints`
                if q.value <= 3 and _has(low, ["never", "no two", "not two", "must not", "cannot", "can't", "at most", "no more than", "only"]):
                    q.why = f"a rule about {plain(q.value)} {plural(q.noun)}, not a count of users"
                    q.use()
                    continue
                kind = _kind(q, role, s)
                if "new" in q.mods and q.period:
                    # "10,000 new users a month": sign-ups, a write
                    self.rates.append(_Rate(f"sign up ({q.noun})", q.noun, "write", q.value / q.period, False, "", s, [q.use()],
                                            f"{plain(q.value)} new {plural(q.noun)} a {period_name(q.period)}"+_over(q.period)))
                    continue
                if q.period and not q.period_attached and q.verb_op != "write" and q.period in (DAY, MONTH):
                    # "About 250,000 people listen each day": active members, not an operation
                    self.actors.append(_ActorRef(q.noun, role, q.value, "daily_active" if q.period == DAY else "monthly_active", q.use(), s))
                    self.last_actor = q.noun
                    continue
                if q.period and not q.period_attached and q.verb_op == "write" and q.period >= 3600:
                    # "About 150 people give every month": each of them does it once a period
                    self.actors.append(_ActorRef(q.noun, role, q.value, "monthly_active" if q.period == MONTH else "total", q.use(), s))
                    self.rates.append(_Rate(f"{q.verb} ({q.noun})", q.noun, "write", q.value / q.period, False, "", s, [q],
                                            f"{plain(q.value)} {plural(q.noun)} {q.verb} once a {period_name(q.period)}"+_over(q.period)))
                    self.last_actor = q.noun
                    continue
                if role == "device" and q.period_attached and not q.per:
                    # "handling 1.2 million containers a year": things passing through, not a fleet
                    q.why = f"{plain(q.value)} {plural(q.noun)} a {period_name(q.period)} pass through; not a fleet"
                    q.use()
                    continue
                crowd = self._crowd(s, q, qs)
                self.actors.append(_ActorRef(q.noun, role, q.value, kind, q.use(), s,
                                             peak=bool(peak_here) and kind in ("concurrent", "on_shift"),
                                             per=_per_parent(s, q)))
                self.last_actor = q.noun
                if crowd:
                    continue
            elif q.kind == "count" and q.cls in ("op", "item") and self._each_with(s, q, qs):
                base = self._each_with(s, q, qs)
                self.rates.append(_Rate(self._name(q, "write"), q.noun, self._op(q) if q.cls == "op" else "write", q.value, False, "", s, [q.use()],
                                        f"{plain(q.value)} {plural(q.noun)} per {base}", per_item=base))
            elif q.kind == "count" and (q.cls in ("op", "item") or (not q.noun and q.period)) and q.period and not self._each_item(s, q) and not (
                    q.cls == "item" and q.noun.split()[-1] in _not_load()):
                op = self._op(q)
                noun = q.noun or "request"
                if noun == "time":
                    # "request the home feed around 9 billion times a month": the clause's action, counted
                    op2, name2, noun2 = self._action(s, q, qs, idx)
                    noun = noun2 if noun2 not in ("request", "time") else noun
                    op = q.verb_op or op2
                    q.noun = noun
                per_actor = bool(q.per) and role_of(q.per) is not None
                per_item = q.per if q.per and not per_actor else ""
                actor = q.per if per_actor else ""
                marker = self._per_member(s, q.num.i, within=8)
                if not marker and q.noun_end < len(s.tokens) and s.tokens[q.noun_end].low in ("each", "apiece"):
                    marker = self._actor_in(s, q.num.i) or self.last_actor or ""  # "open 5 pages each"
                if not per_actor and marker:
                    actor = marker
                    per_actor = True
                self.rates.append(_Rate(self._name(q, op), noun, op, q.value / q.period, per_actor, actor, s, [q.use()],
                                        f"{plain(q.value)} {plural(noun)} a {period_name(q.period)}" + (f" per {actor}" if per_actor else "") + _over(q.period),
                                        peak=bool(peak_here) and not self._avg_near(s, q), average=bool(avg_here), per_item=per_item))
            elif q.kind == "count" and q.cls == "op" and q.per and not q.period:
                # "about ten opens per link": a multiple of another workload
                self.rates.append(_Rate(self._name(q, self._op(q)), q.noun, self._op(q), q.value, False, "", s, [q.use()],
                                        f"{plain(q.value)} {plural(q.noun)} per {q.per}", per_item=q.per))
            elif q.kind == "count" and (q.cls == "op" or (q.cls == "item" and q.verb_op in ("read", "write"))) and not q.period \
                    and not q.per and not self._each_item(s, q) and self._implied_period(s, q):
                # "5,000 people a day each look at about 6 pages", "a tenth of them open about 4 charts each": per member
                q.period = self._implied_period(s, q)
                actor = self._actor_in(s, q.num.i) or self._per_member(s, q.num.i)
                share, share_q = self._share_before(qs, idx)
                self.rates.append(_Rate(self._name(q, self._op(q)), q.noun, self._op(q), q.value / q.period, True, actor or "", s,
                                        [q.use()] + ([share_q.use()] if share_q else []),
                                        f"{plain(q.value)} {plural(q.noun)} a {period_name(q.period)} per {actor or 'user'}", peak=bool(peak_here),
                                        share=share, share_text=share_q.text if share_q else ""))
            elif q.kind in ("times", "multiplier", "count") and not q.per and q.cls != "role" and self._each_item(s, q):
                # "Each parcel is scanned about 8 times", "each job produces about 20 status updates": per item of a stream
                item = self._each_item(s, q)
                times = q.kind in ("times", "multiplier")
                op = q.verb_op or ("write" if times else self._op(q))
                noun = item if times else (q.noun or "event")
                name = f"{q.verb} {item}".strip() if times and q.verb else noun
                self.rates.append(_Rate(name, noun, op, q.value, False, "", s, [q.use()],
                                        f"{plain(q.value)} {'times' if times else plural(noun)} per {item}", per_item=item))
            elif q.kind in ("times", "multiplier") and not q.period and self._implied_period(s, q):
                # "150 million people use it every day, and each opens the feed 10 times": the sentence's period
                q.period = self._implied_period(s, q)
                q.kind = "times"
                actor = self._actor_in(s, q.num.i)
                op, name, noun = self._action(s, q, qs, idx)
                self.rates.append(_Rate(name, noun, op, q.value / q.period, True, actor or "", s, [q.use()],
                                        f"{plain(q.value)} times a {period_name(q.period)} per {actor or 'user'}", peak=bool(peak_here)))
            elif q.kind == "times" and q.period:
                actor = self._actor_in(s, q.num.i)
                share, share_q = self._share_before(qs, idx)
                op, name, noun = self._action(s, q, qs, idx)
                self.rates.append(_Rate(name, noun, op, q.value / q.period, True, actor or "", s, [q.use()] + ([share_q.use()] if share_q else []),
                                        f"{plain(q.value)} {'time' if q.value == 1 else 'times'} a {period_name(q.period)} per {actor or 'user'}",
                                        peak=bool(peak_here), share=share, share_text=share_q.text if share_q else ""))
            elif q.kind == "duration" and q.every and (self._reports(s, q) or self._sends_after(s, q, qs)) and not _has(
                    low[max(0, q.num.start - s.start - 40): q.num.start - s.start], ["can only", "only", "at most", "no more than", "limit", "limited to", "may only", "cannot", "can't"]):
                # "every 30 seconds": one (or N) per member at that interval
                count_q = next((p for p in reversed(qs[:idx]) if p.kind == "count" and p.cls in ("op", "item") and not p.used
                                and not p.period and 0 <= q.num.i - p.noun_end <= 2), None) or self._sends_after(s, q, qs)
                per = count_q.value if count_q else 1.0
                actor = self._actor_in(s, q.num.i)
                op, name, noun = self._action(s, q, qs, idx, count_q)
                used = [q.use()] + ([count_q.use()] if count_q else [])
                share, share_q = self._share_before(qs, idx)
                if share_q:
                    used.append(share_q.use())
                if count_q is not None and count_q.value > 1 and count_q.cls == "item" and not self._per_member(s, q.num.i):
                    # "the 50,000 popular shows checked every five minutes": each item at that interval
                    self.rates.append(_Rate(name, noun, op, per / q.value, False, "", s, used,
                                            f"{plain(per)} {plural(noun)} every {human(q.value, 's') if q.value < 60 else plain(q.value / 60) + ' min'}",
                                            interval=True))
                    continue
                self.rates.append(_Rate(name, noun, op, per / q.value, True, actor or "", s, used,
                                        f"{plain(per)} {noun}{'s' if per != 1 else ''} every {human(q.value, 's') if q.value < 60 else plain(q.value / 60) + ' min'} per {actor or 'member'}",
                                        peak=False, interval=True, share=share, share_text=share_q.text if share_q else ""))
        self._peak_of_previous(s, qs)
        self._sizes_and_shares(s, qs)
        self._others(s, qs)

    def _implied_period(self, s: Sentence, q: Q) -> Optional[float]:
        """The period a bare 'N times' takes from its sentence ('every day', 'daily') when it counts per member."""
        if not (self._per_member(s, q.num.i) or _has(s.low, ["each", "every one", "per user", "on average"])):
            return None
        after = s.tokens[q.num.j].low if q.num.j < len(s.tokens) else ""
        factor = set(data()["grammar"]["factor_of"])
        if after in ("times", "x") and q.num.j + 1 < len(s.tokens):  # "four times more": comparatives too
            after, factor = s.tokens[q.num.j + 1].low, factor | set(data()["grammar"]["comparatives"])
        if after in factor or re.search(r"[0-9]\s*(?:x|times)\s+(?:the|as|more|higher|busier|normal|usual|average)", s.low):
            return None  # "3 times the usual traffic", "four times the average", "twice that": a factor, not a frequency
        for unit, phrases in data()["implied_periods"].items():
            if _has(s.low, phrases):
                return float(units()["seconds"][unit])
        return None

    def _peak_of_previous(self, s: Sentence, qs: list[Q]) -> None:
        """'The API averages 500 requests per second, peaking at 2,000': the peak of the rate named just before."""
        for q in qs:
            if not q.used and self._peak_figure(s, q):
                before = next((r for r in reversed(self.rates) if r.sent is s and not r.peak), None)
                if before is not None:
                    period = q.period or (before.qs[0].period if before.qs else None)
                    if period and not before.per_actor:
                        rate = q.value / period
                    else:
                        rate = before.per_s * (q.value / (before.qs[0].value or 1) if before.qs else 1.0)
                    self.rates.append(_Rate(before.name, before.noun, before.op, rate, before.per_actor, before.actor_noun, s,
                                            [q.use()], f"{plain(q.value)} a {period_name(period)} at peak, as stated" if period else f"{plain(q.value)} as stated",
                                            peak=True, interval=before.interval, share=before.share))

    @staticmethod
    def _peak_figure(s: Sentence, q: Q) -> bool:
        """'peaking at 2,000', 'with peaks of 50,000 per second': a figure that is the peak of a stream named before it."""
        return q.kind == "count" and (not q.noun or q.noun in ("peak", "spike", "burst", "request")) and bool(
            _peak_at().search(s.low[max(0, q.num.start - s.start - 30): q.num.start - s.start]))

    def _ratio_in_words(self, s: Sentence, qs: list[Q]) -> None:
        """'about 20 reads for every write', 'one write per 50 reads': the read share, said in words."""
        m = _RATIO_WORDS.search(s.low)
        if m is None:
            return
        q = next((q for q in qs if not q.used and m.start() <= q.num.start - s.start < m.end()), None)
        if q is None or not q.value:
            return
        reads_first = m.group("a").startswith(("read", "view", "lookup", "look-up", "search"))
        share = q.value / (q.value + 1) if reads_first else 1 / (q.value + 1)
        self._read_share(share, s, q)

    def _clock_window(self, s: Sentence, qs: list[Q]) -> None:
        """'roughly 500 bookings land between 8 and 9 that morning': a count over a stated window of the clock is a peak."""
        m = _CLOCK_WINDOW.search(s.low)
        if m is None:
            return
        h1, h2 = int(m.group("h1")), int(m.group("h2"))
        if m.group("p2") and m.group("p2").startswith("p") and h2 < 12:
            h2 += 12
            if h1 + 12 < h2:
                h1 += 12
        hours = (h2 - h1) % 24
        if not 0 < hours <= 12:
            return
        clock = [q for q in qs if m.start() <= q.num.start - s.start < m.end()]
        toks = s.tokens
        window_at = next((i for i, t in enumerate(toks) if t.start - s.start >= m.start()), len(toks))
        counted = [q for q in qs if q not in clock and not q.used and q.kind == "count" and q.cls in ("op", "item")
                   and (not q.period or 0 <= window_at - q.noun_end <= 3)]
        if not counted:
            return
        q = min(counted, key=lambda c: abs(c.num.start - s.start - m.start()))
        for c in clock:
            c.why = "a time of day, not a load"
            c.use()
        window = hours * 3600.0
        each = q.noun_end < len(toks) and toks[q.noun_end].low in ("each", "apiece")
        party = next((p for p in qs if p.kind == "count" and p.cls == "role" and p.num.i < q.num.i), None) if each else None
        total = q.value * (party.value if party else 1.0)
        what = f"{plain(party.value)} {plural(party.noun)} × {plain(q.value)} {plural(q.noun)}" if party else f"{plain(q.value)} {plural(q.noun)}"
        self.rates.append(_Rate(self._name(q, self._op(q)), q.noun, self._op(q), total / window, False, "", s, [q.use()],
                                f"{what} in {plain(hours)} h ÷ {plain(window)} s", peak=True))

    def _labelled_rates(self, s: Sentence, qs: list[Q]) -> None:
        """'Read QPS is 50,000', 'Peak QPS: 30k', 'write RPS ~ 500': a per-second rate named before its figure."""
        for q in qs:
            if q.used or q.kind != "count" or (q.noun and q.noun not in words("rate_labels")):
                continue
            m = _LABEL_BEFORE.search(s.low[max(0, q.num.start - s.start - 40): q.num.start - s.start])
            if m is None:
                continue
            op = "read" if m.group("op") and m.group("op").startswith("read") else "write" if m.group("op") else "mixed"
            name = {"read": "reads", "write": "writes", "mixed": "requests"}[op]
            self.rates.append(_Rate(name, name, op, q.value, False, "", s, [q.use()], f"{plain(q.value)} {name} a second",
                                    peak=bool(m.group("peak"))))

    def _per_member(self, s: Sentence, before: int, within: Optional[int] = None) -> str:
        """'Each user ...', 'A typical listener ...', 'the average customer ...': a rate per member of a party
        (with `within`, only when the marker is at most that many tokens before the figure)."""
        toks = s.tokens
        lemmas = [t.lemma for t in toks]
        for k in range(0 if within is None else max(0, before - within), min(before, len(toks))):
            if toks[k].low in ("each", "every", "per") or (toks[k].low in ("typical", "average", "usual", "normal") and k and toks[k - 1].low in ("a", "an", "the", "our")):
                j = k + 1
                while j < before and (toks[j].low in ("daily", "active", "monthly", "single", "one", "of", "typical", "average", "registered", "online",
                                                      "our", "the", "these", "those", "its", "their", "about", "around", "roughly")
                                      or toks[j].kind == "num"):
                    j += 1
                hit = match_phrase(lemmas, j)
                if hit and hit[1] == "role" and hit[2] != "team":
                    return " ".join(lemmas[j:j + hit[0]])
                if toks[j - 1].low == "them" or (j < len(toks) and toks[j].low in ("them", "of")):
                    return self.last_actor or ""
                if j < len(toks) and toks[k].low == "each" and (toks[j].low.endswith("ing") or verb_base(toks[j].low)):
                    # "500 users ..., each doing about 20 actions a day"
                    return self._actor_in(s, k) or self.last_actor or ""
        return ""

    def _reports(self, s: Sentence, q: Q) -> bool:
        """Whether 'every N s' is how often something is sent or fetched (not how slots are spaced)."""
        toks = s.tokens
        lemmas = [t.lemma for t in toks]
        k = q.num.i - 2  # the word before "every"
        if k >= 0 and toks[k].text == ")":
            # "sends position and speed (about 200 bytes) every 30 seconds": look past the aside
            while k >= 0 and toks[k].text != "(":
                k -= 1
            k -= 1
        listed = False
        for j in range(k, max(-1, k - 12), -1):
            t = toks[j]
            if t.kind != "word":
                if t.text == "," and listed:
                    continue  # "stream state of charge, power and grid frequency every 15 seconds": a list of what is sent
                if t.text in (",", ";", "(", ":"):
                    break
                continue
            listed = listed or t.low == "and"
            if k - j >= 5 and not listed:
                break
            hit = match_phrase(lemmas, j)
            if hit is not None and hit[1] == "op":
                return True
            if hit is not None and hit[1] == "role":
                return True
            from .lexicon import verb_op
            after_each = j > 0 and toks[j - 1].low in ("each", "every") and t.low.endswith("s")  # "each sends": a verb
            if verb_op(t.low) is not None and (after_each or not (j > 0 and toks[j - 1].low in ("a", "an", "the", "each", "every"))):
                return True
            if t.low in ("once", "one", "time", "times", "twice"):
                return True
        return False

    def _sends_after(self, s: Sentence, q: Q, qs: list[Q]) -> Optional[Q]:
        """'each wakes every 30 minutes and sends three depth readings': what is sent at the interval, said after it."""
        from .lexicon import verb_op

        later = next((p for p in qs if p.num.i > q.num.i and p.kind == "count" and p.cls in ("op", "item") and not p.used
                      and not p.period and p.num.i - q.num.j <= 6), None)
        if later is None:
            return None
        between = s.tokens[q.num.j:later.num.i]
        return later if any(t.kind == "word" and verb_op(t.low) == "write" for t in between) else None

    def _each_with(self, s: Sentence, q: Q, qs: list[Q]) -> str:
        """'3,200 applications a year, each with about 12 documents': the rate noun this count multiplies."""
        lead = " ".join(t.low for t in s.tokens[max(0, q.num.i - 4):q.num.i])
        if not re.search(r"\beach\s+(?:with|has|have|having|containing|carrying|includes?|including|producing|generating|creating|writing|leaving|triggering|causing|sending|making|spawning|needing|touching|fanning)\b|\bwith(?:\s+about|\s+around|\s+roughly|\s+up\s+to)?$", lead):
            return ""
        base = next((r for r in reversed(self.rates) if r.sent is s and r.qs and r.qs[0].num.i < q.num.i and not r.per_item), None)
        return base.noun if base is not None else ""

    def _each_item(self, s: Sentence, q: Q) -> str:
        """'each parcel is scanned about 8 times', 'for every booking there are roughly a hundred searches and
        ten views': the item ('parcel', 'booking') a per-item figure counts per."""
        lead = " ".join(t.low for t in s.tokens[max(0, q.num.i - 12):q.num.i])
        m = _each_item_re().search(lead) or _FOR_EVERY.search(lead)
        if m is None or role_of(singular(m.group(1))) is not None:
            return ""
        return singular(m.group(1))

    def _avg_near(self, s: Sentence, q: Q) -> bool:
        window = s.low[max(0, q.num.start - s.start - 30): q.num.end - s.start + 40]
        return bool(_has(window, cues("time", "average_cues")))

    def _crowd(self, s: Sentence, q: Q, qs: list[Q]) -> bool:
        """'200,000 fans arrive in the first 10 minutes': a crowd over a window is a stated peak."""
        window = next((d for d in qs if d.kind == "duration" and not d.every and not d.used and d.num.i > q.num.i
                       and s.tokens[max(0, d.num.i - 3)].low in ("first", "in", "within", "over", "the", "during") ), None)
        if window is None or window.value > 4 * 3600:
            return False
        verbs = {t.lemma for t in s.tokens[q.num.j: window.num.i]} | {t.lemma for t in s.tokens[max(0, q.num.i - 6): q.num.i]}
        if not any(v.startswith(tuple(words("crowd_verbs"))) for v in verbs) and not _has(s.low, ["at once", "doors open", "goes on sale", "go on sale", "opens", "open"]):
            return False
        per = next((p for p in qs if p.kind == "count" and p.num.i > q.num.i and p.sub == "mixed" and not p.used
                    and "each" in {t.low for t in s.tokens[max(0, p.num.i - 3):p.num.i]}), None)
        k = per.value if per is not None else 1.0
        used = [window.use()] + ([per.use()] if per is not None else [])
        what = f" × {plain(k)} requests each" if per is not None else ""
        self.rates.append(_Rate(f"arrivals ({q.noun})", q.noun, "mixed", q.value * k / window.value, False, "", s, used,
                                f"{plain(q.value)} {q.noun}{what} ÷ {human(window.value / 60) + ' min' if window.value >= 60 else plain(window.value) + ' s'}",
                                peak=True, burst=True))
        share = next((p for p in qs if p.kind == "share" and not p.used and p.num.i > q.num.i), None)
        if share is not None and _has(s.low[share.num.end - s.start:], ["add", "adds", "drop", "drops", "buy", "buys", "book", "books", "write", "writes", "register", "registers", "change", "changes", "submit", "submits", "order", "orders", "pay", "pays"]):
            self._read_share(1 - share.value, s, share)
        return True

    def _op(self, q: Q) -> str:
        if q.sub == "mixed":
            return "mixed"
        if q.cls == "op" and q.sub in ("read", "write"):
            return q.sub  # "30 page views per booking": a view is a read whatever verb the clause has
        if q.verb_op and q.sub not in ("notify",):
            return q.verb_op
        if q.cls == "item":
            return "write"
        return q.sub or "mixed"

    def _name(self, q: Q, op: str) -> str:
        noun = q.noun or "request"
        verb = q.verb if q.verb and q.verb_op else ""
        if verb in noun.split() or verb in ("look", "see", "get", "have", "make", "do"):
            verb = ""  # "view 12 page views", "look at 5 pages": the noun says it
        return f"{verb} {noun}".strip() if verb else noun

    def _action(self, s: Sentence, q: Q, qs: list[Q], idx: int, count_q: Optional[Q] = None) -> tuple[str, str, str]:
        """(op, name, noun) of a per-member frequency: the operation noun and verb nearest before it."""
        toks = s.tokens
        lemmas = [t.lemma for t in toks]
        noun, sub = "", ""
        if count_q is not None and count_q.noun:
            noun, sub = count_q.noun, count_q.sub
        else:
            k = q.num.i - 1
            stop = max(0, q.num.i - 8)
            while k >= stop:
                if toks[k].text == ")":
                    # "sends position and speed (about 200 bytes) every 30 seconds": look past the aside
                    while k > 0 and toks[k].text != "(":
                        k -= 1
                    k -= 1
                    stop = max(0, stop - 6)
                    continue
                hit = match_phrase(lemmas, k)
                if hit and hit[1] == "op" and k + hit[0] <= q.num.i:
                    noun, sub = " ".join(lemmas[k:k + hit[0]]), hit[2]
                    break
                if hit and hit[1] == "item":
                    break
                k -= 1
            if not noun:
                # "opens the timeline 20 times": the object after the verb
                window = range(max(0, q.num.i - 5), q.num.i)
                start = next((k + 1 for k in window if q.verb and toks[k].kind == "word" and lemma(toks[k].low) == q.verb), window.start)
                for k in range(start, q.num.i):
                    t = toks[k]
                    if t.text == "(":
                        break  # the object comes before an aside such as "(about 200 bytes)"
                    if t.kind == "word" and t.low not in words("not_object"):
                        noun = singular(t.low)
                        break
                if not noun:
                    noun = "request"
        # "one in two posts once a day": the share's noun is the verb
        share_q = next((p for p in reversed(qs[:idx]) if p.kind == "share" and p.noun), None)
        verb, vop = q.verb, q.verb_op
        if share_q is not None and share_q.cls == "op" and q.num.i - share_q.noun_end <= 2:
            verb, vop, noun = share_q.noun, share_q.sub, share_q.noun
        if vop is None:
            vop = sub if sub in ("read", "write", "notify", "mixed") else "mixed"
        name = f"{verb} {noun}".strip() if verb and verb != noun else noun
        return vop, name, noun

    def _share_before(self, qs: list[Q], idx: int) -> tuple[float, Optional[Q]]:
        """'one in two posts once a day', 'half of them report every minute': a share of the party."""
        for p in reversed(qs[:idx]):
            if p.kind in ("share", "percent") and not p.used and (p.cls in ("role", "") or p.noun in words("collective") or p.cls == "op"):
                if p.kind == "percent" and p.value >= 0.9:
                    continue
                return p.value, p
        return 1.0, None

    def _sizes_and_shares(self, s: Sentence, qs: list[Q]) -> None:
        low = s.low
        stockish = _has(low, ["today", "currently", "already", "existing", "in total", "so far", "at present", "we hold", "we have", "holds", "archive of", "back catalogue", "back catalog", "library of", "catalog of", "catalogue of", "collection of"])
        for idx, q in enumerate(qs):
            if q.kind == "size" and not q.used:
                noun = q.noun if q.cls in ("op", "item") and q.noun and q.noun not in ("data",) else ""
                if not noun and q.per:
                    noun = q.per if q.per != "each" else ""
                if not noun:
                    noun = self._subject(s, q.num.i)
                share_q = next((p for p in qs[:idx] if p.kind in ("share", "percent") and not p.used and p.value < 0.9), None)
                actor = (self._per_member(s, q.num.i) or None) if q.period else None
                if q.period and actor:
                    # "each of our 40,000 hosts ships about 2 KB of logs a second, in lines of 250 bytes": per member
                    line = next((p for p in qs[idx + 1:] if p.kind == "size" and not p.used and not p.period), None)
                    record = line.value if line else float(load("capacity")["record_bytes"])
                    used = [q.use()] + ([line.use()] if line else [])
                    thing = noun or "data"
                    self.rates.append(_Rate(f"send {thing}", thing, "write", q.value / q.period / record, True, actor, s, used,
                                            f"{human(q.value, 'B')} of {thing} a {period_name(q.period)} ÷ {human(record, 'B')} a record per {actor}",
                                            size=record))
                elif q.period:
                    self.stock.append({"item": noun or "data", "bytes_per_s": q.value / q.period, "q": [q.use()], "sent": s,
                                       "formula": f"{human(q.value, 'B')} a {period_name(q.period)}"})
                elif share_q is not None and share_q.noun and share_q.noun != noun:
                    # "one post in ten carries a 2 MB picture": media attached to a share of a stream
                    self.sizes.append((f"{share_q.noun}>{noun or 'attachment'}", q.value * share_q.value, q.use()))
                    share_q.use()
                    q.tags.add(f"share:{share_q.text}")
                elif stockish and (not noun or not self._is_rate_noun(noun)) and q.value >= 1e8:
                    self.stock.append({"item": noun or "data", "bytes": q.value, "q": [q.use()], "sent": s,
                                       "formula": f"{human(q.value, 'B')} held"})
                else:
                    self.sizes.append((noun, q.value, q.use()))
            elif q.kind in ("count",) and q.cls in ("item", "op") and not q.used and not q.period and q.noun:
                # a stock: "150,000 products", "a catalogue of 2 million books", "6 photos each"
                nested = None
                lead = " ".join(t.lemma for t in s.tokens[max(0, q.num.i - 4):q.num.i])
                m_each = re.search(r"\beach ([a-z]+) (?:has|have|hold|holds|carry|carries|include|includes|come|comes|contain|contains|get|gets|with)(?: about| around| roughly| up to| on average)?$", lead)
                if m_each:
                    nested = next((st for st in reversed(self.stock) if "count" in st and _same(st["item"], singular(m_each.group(1)))), None)
                if nested is None and self.stock and self.stock[-1]["sent"] is s and "count" in self.stock[-1] and (
                        {t.low for t in s.tokens[q.noun_end:q.noun_end + 2]} & {"each", "apiece"} or
                        s.tokens[max(0, q.num.i - 1)].low in ("with", "of", "has", "have", "holding", "carrying")):
                    nested = self.stock[-1]
                if q.noun.split()[-1] in _not_load():
                    q.why = f"a count of {plural(q.noun)}, not a load"
                    continue
                entry = {"item": q.noun, "count": q.value * (nested["count"] if nested else 1.0), "q": [q.use()], "sent": s,
                         "formula": (f"{plain(nested['count'])} {plural(nested['item'])} × {plain(q.value)} {plural(q.noun)}" if nested else f"{plain(q.value)} {plural(q.noun)}")}
                self.stock.append(entry)
            elif q.kind == "share" and not q.used and q.noun and (q.noun in words("collective") or role_of(q.noun) or q.cls == "role"):
                conc = bool(_has(low, cues("time", "concurrent_cues")))
                self.shares.append((q.noun, q.value, q, conc))
            elif q.kind == "percent" and not q.used and q.value < 0.9 and (q.cls == "role" or q.noun in words("collective")):
                conc = bool(_has(low, cues("time", "concurrent_cues"))) or "active" in low
                self.shares.append((q.noun, q.value, q, conc))

    def _is_rate_noun(self, noun: str) -> bool:
        return any(r.noun == noun for r in self.rates)

    def _subject(self, s: Sentence, before: int) -> str:
        """The operation or item noun a sentence is about, before token `before` ('Posts average 300 bytes')."""
        lemmas = [t.lemma for t in s.tokens]
        best = ""
        for k in range(0, min(before, len(lemmas))):
            hit = match_phrase(lemmas, k)
            if hit and hit[1] == "op":
                best = " ".join(lemmas[k:k + hit[0]])
        if not best:
            for k in range(min(before, len(lemmas)) - 1, -1, -1):
                t = s.tokens[k]
                if t.kind == "word" and len(t.low) > 2 and t.low not in data()["grammar"]["function"] and t.low not in (
                        "average", "averages", "about", "around", "each", "is", "are", "weighs", "takes", "size", "record", "roughly", "up") \
                        and t.low not in cues("time", "retention_cues") and not t.low.endswith("ly"):
                    return singular(t.low)
        return best

    def _others(self, s: Sentence, qs: list[Q]) -> None:
        """Percents, shares of traffic, multipliers, ratios, retention and windows."""
        low = s.low
        for idx, q in enumerate(qs):
            if q.used:
                continue
            if q.kind == "duration" and not q.every and q.value < DAY and _RUNS_A_DAY.search(low[q.num.start - s.start:q.num.end - s.start + 25]) \
                    and _has(low[max(0, q.num.start - s.start - 60): q.num.start - s.start], sorted(words("in_use"))):
                # "on average a machine runs 9 hours a day": the share of the fleet that is active at a time
                self.shares.append(("fleet", q.value / DAY, q.use(), False))
                continue
            if q.kind == "duration" and not q.every:
                around = low[max(0, q.num.start - s.start - 60): q.num.end - s.start + 50]
                before = low[max(0, q.num.start - s.start - 45): q.num.start - s.start]
                if _has(around, cues("time", "retention_cues")) and q.value >= DAY and not _has(before, ["in the first", "within the first"]):
                    self.retention.append((self._subject(s, q.num.i) if q.num.i else "", q.value, q.use()))
                    continue
                share_q = next((p for p in qs if p.kind in ("percent", "share") and not p.used and p.value < 1 and p.num.i < q.num.i), None)
                if share_q is not None and _has(before, ["in", "within", "during", "between", "over", "inside", "the first"]):
                    noun = share_q.noun or self._subject(s, q.num.i)
                    self.windows.append((noun, share_q.value, q.value, q.use()))
                    share_q.use()
            elif q.kind == "multiplier":
                around = low[max(0, q.num.start - s.start - 60): q.num.end - s.start + 60]
                if _has(around, ["grow", "growth", "double", "doubling", "triple", "year", "years", "next year", "within a year"]) and not _has(around, cues("time", "peak_cues")):
                    self.out.settings.append(Setting(id="constraint.growth", name="growth_per_year", value=q.value, unit="x",
                                                     evidence=s.evidence, span=q.span))
                    q.use()
                elif q.value > 1 and _has(around, cues("time", "peak_cues") + ["usual", "normal", "average", "baseline", "traffic", "busier", "more traffic", "campaign", "sale"]):
                    self.out.spike = max(self.out.spike or 0.0, q.value)
                    self.out.settings.append(Setting(id="constraint.peak_factor", name="peak_factor", value=q.value, unit="x",
                                                     evidence=s.evidence, span=q.span))
                    q.use()
            elif q.kind == "ratio":
                if _has(low, ["read", "reads", "write", "writes", "lookup", "lookups"]):
                    a, b = q.value, 1.0
                    first_write = low.find("write") != -1 and (low.find("read") == -1 or low.find("write") < low.find("read"))
                    if _has(low, ["write:read", "write-to-read", "write to read", "writes to reads"]) or first_write:
                        a = 1 / q.value if q.value else 1
                    share = a / (a + b)
                    self._read_share(share, s, q)
            elif q.kind == "percent" and q.value < 0.995:
                after = low[q.num.end - s.start: q.num.end - s.start + 50]
                if _has(after, ["read", "reads", "are reads", "lookups", "views", "browsing", "read-only"]) and not _has(after, ["write", "writes"]):
                    self._read_share(q.value, s, q)
                elif _has(after, ["write", "writes", "updates"]):
                    self._read_share(1 - q.value, s, q)
        for phrase, share in (("almost all of them reads", 0.95), ("almost all reads", 0.95), ("nearly all reads", 0.95),
                              ("nearly all of them reads", 0.95), ("mostly reads", 0.9), ("mainly reads", 0.9), ("mostly read", 0.9),
                              ("almost entirely reads", 0.97), ("overwhelmingly reads", 0.95)):
            if phrase in low:
                q = next((x for x in qs if x.kind == "count" and x.sub == "mixed"), None)
                self.out.read_share = share
                self.out.settings.append(Setting(id="constraint.read_share", name="read_share", value=share, unit="fraction",
                                                 evidence=s.evidence, span=(s.start + low.index(phrase), s.start + low.index(phrase) + len(phrase))))
                break
        m = re.search(r"\b(?:from|between)\s+(\d{1,2})(?::\d\d)?\s*(am|pm)?\s+(?:to|and|until|till|-)\s+(\d{1,2})(?::\d\d)?\s*(am|pm)?", low)
        if m:
            a, b = int(m.group(1)), int(m.group(3))
            if (m.group(4) == "pm" or m.group(2) == "pm") and b < 12:
                b += 12
                if a < b - 12 or m.group(2) == "pm":
                    a += 12 if a < 12 else 0
            hours = (b - a) % 24 or 24
            share_q = next((x for x in qs if x.kind in ("percent", "share") and not x.used and x.value < 1), None)
            if share_q is not None and 0 < hours < 24:
                noun = self._subject(s, share_q.num.i) if share_q.noun in ("", "them", "it") else share_q.noun
                for x in qs:
                    if x.kind == "count" and x.num.start - s.start in (m.start(1), m.start(3)):
                        x.use()
                self.windows.append((noun if noun != "them" else "", share_q.value, hours * 3600.0, share_q.use()))
        # "reads outnumber writes 100 to 1"
        m = re.search(r"(reads?|lookups?|views?)\s+outnumber\s+(writes?|updates?)\s+(?:by\s+)?(?:about\s+)?(\d[\d,]*)\s*(?:to|:)\s*1", low)
        if m:
            q = next((x for x in qs if x.num.start - s.start >= m.start(3) - 1), None)
            if q:
                self._read_share(q.num.value / (q.num.value + 1), s, q)

    def _read_share(self, share: float, s: Sentence, q: Q) -> None:
        self.out.read_share = share
        self.out.settings.append(Setting(id="constraint.read_share", name="read_share", value=round(share, 4), unit="fraction",
                                         evidence=s.evidence, span=q.span))
        q.use()

    # -- the document --------------------------------------------------------------------
    def _resolve(self) -> None:
        out = self.out
        actors = self._actors()
        # shares of a party that is active at a time
        for noun, share, q, conc in self.shares:
            target = self._find_actor(actors, noun)
            if target is not None:
                target.active_share = share
                target.evidence = target.evidence or q.sent.evidence
                q.use()
        per_item_rates = [r for r in self.rates if r.per_item]
        workloads: list[Workload] = []
        names: dict[str, int] = {}
        for r in self.rates:
            if r.per_item:
                continue
            w = self._workload(r, actors, names)
            if w is not None:
                workloads.append(w)
        by_name = _ByWords([(n, w) for w in workloads for n in (w.name, w.id.split(".", 1)[1])])
        by_evidence: dict[str, list[Workload]] = {}
        for w in workloads:
            by_evidence.setdefault(w.evidence, []).append(w)
        sent_at = {x.index: x for x in self.sentences}
        for r in per_item_rates:
            base = next((w for n, w in by_name.get(r.per_item) if _same(n, r.per_item) or _same(w.name, r.per_item)), None)
            if base is None:
                # "22,000 work orders a day ... each job produces 20 updates": the one stream stated just before
                near = {sent_at[i].evidence for i in (r.sent.index - 1, r.sent.index) if i in sent_at}
                before = [w for e in near for w in by_evidence.get(e, []) if w.op == "write" and w.status != "assumed"]
                base = before[0] if len(before) == 1 else None
            if base is None:
                continue
            avg = base.avg_per_s * r.per_s
            if not avg:
                continue  # a stream of nothing ("0 updates per job") adds no load
            if any(w.op == _rw(r.op) and w is not base and w.avg_per_s and 0.8 <= w.avg_per_s / avg <= 1.25
                   for w in by_evidence.get(r.sent.evidence, [])):
                continue  # "ten opens per link, so roughly a billion redirects": the same stream said twice
            wid = self._id(names, r.name)
            stated = base.peak_rule == "stated"  # "150,000 try to buy in the first hour, each making 30 requests"
            made = Workload(id=wid, name=r.name, op=_rw(r.op), avg_per_s=avg, peak_per_s=avg if stated else 0.0,
                            peak_rule="stated" if stated else "default", status="derived",
                            evidence=r.sent.evidence, span=r.qs[0].span,
                            formula=f"{plain(r.per_s)} per {r.per_item} × {plain(base.avg_per_s)} {plural(r.per_item)}/s ≈ {plain(avg)}/s")
            workloads.append(made)
            by_evidence.setdefault(made.evidence, []).append(made)
            by_name.add(made.name, made)
        workloads = self._merge_stated_peaks(workloads)
        self._sizes(workloads)
        self._actor_list = actors
        self._peaks(workloads)
        out.actors = actors
        out.workloads = workloads
        out.data = self._data(workloads)

    def _actors(self) -> list[Actor]:
        actors: list[Actor] = []
        for ref in self.actors:
            if ref.per:
                self._times_parent(ref)
            same = next((a for a in actors if a.noun == ref.noun and a.count_kind == ref.kind), None)
            # "85,000 students ... in the first hour about 20,000 students each ...": a part of the party,
            # kept apart from the whole when a sentence of its own counts it
            part = same is not None and ref.count and same.count and ref.count < same.count and ref.q is not None \
                and same.span != ref.q.span and not _has(ref.sent.low, cues("time", "growth_cues"))
            if same is not None and not part:
                if ref.count and (same.count or 0) < ref.count:
                    same.count = ref.count
                continue
            base = f"actor.{_slug(ref.noun)}"
            aid = base if not any(a.id == base for a in actors) else f"{base}.{ref.kind.replace('_', '-')}"
            aid = aid if not any(a.id == aid for a in actors) else f"{aid}-{len(actors) + 1}"
            actors.append(Actor(id=aid, noun=ref.noun, role=ref.role, count=ref.count, count_kind=ref.kind,
                                evidence=ref.sent.evidence, span=ref.q.span if ref.q else None,
                                status="derived" if ref.formula else "stated", formula=ref.formula))
            if ref.peak:
                self._peak_actors = getattr(self, "_peak_actors", set()) | {aid}
        return actors

    def _times_parent(self, ref: _ActorRef) -> None:
        """'Each farm has eight probes' with '140 farms' said anywhere: 1,120 probes."""
        if getattr(self, "_counted", None) is None:  # every "N things" of the text, by their words
            self._counted = _ByWords([(q.noun, q.value) for qs in self.qs.values() for q in qs
                                      if q.kind == "count" and q.noun and not q.period and q.value > 1])
        parents = [(count, noun) for noun, count in self._counted.get(ref.per)
                   if _same(noun, ref.per) and noun != ref.noun]
        if not parents or ref.count is None or any(_has(x.low, cues("grammar", "per_copy_cues")) for x in self.sentences):
            return
        count, noun = max(parents, key=lambda p: p[0])
        if count > 1:
            ref.formula = f"{plain(count)} {plural(noun)} × {plain(ref.count)} {plural(ref.noun)} each"
            ref.count *= count
            ref.per = ""

    def _find_actor(self, actors: list[Actor], noun: str, prefer: tuple[str, ...] = (), here: str = "",
                    at: int = -1) -> Optional[Actor]:
        if not actors:
            return None
        if noun == "fleet" or noun in words("collective"):
            devices = [a for a in actors if a.role in ("device", "staff")] or actors
            return max(devices, key=lambda a: a.count or 0)
        head = noun.split()[-1] if noun else ""
        same = [a for a in actors if a.noun == noun or a.noun.split()[-1] == head]
        if not same and head in ("user", "person", "customer", "people", "member", "visitor"):
            same = [a for a in actors if a.role == "end_user"]
        if not same:
            return None
        # "85,000 students ... in the first hour about 20,000 students each make 40 requests": the ones of this sentence
        same = [a for a in same if a.evidence == here and a.count] or same
        before = [a for a in same if a.evidence == here and a.span and a.span[0] < at]
        if len(before) > 1:  # "our 85,000 students ...; some 20,000 students each send": the nearest one
            return max(before, key=lambda a: a.span[0])
        for kind in prefer:
            got = [a for a in same if a.count_kind == kind and a.count]
            if got:
                return max(got, key=lambda a: a.count or 0)
        counted = [a for a in same if a.count]
        return max(counted, key=lambda a: a.count or 0) if counted else same[0]

    def _carrier(self, r: _Rate, actors: list[Actor]) -> Optional[Actor]:
        """Who sends a periodic report whose sender has no count of its own: the people carrying the
        app ('250,000 patients wear it; the phone app syncs every 15 minutes'), else the things counted
        in the same or the sentence before ('45,000 excavators, loaders and cranes ... each machine reports')."""
        if r.actor_noun in words("carried"):
            people = [a for a in actors if a.role == "end_user" and a.count]
            if people:
                return max(people, key=lambda a: a.count or 0)
        if getattr(self, "_stock_by_sent", None) is None:
            self._stock_by_sent = {}
            for st in self.stock:
                if "count" in st and st["count"] >= 10:
                    self._stock_by_sent.setdefault(st["sent"].index, []).append(st)
        near = [st for i in (r.sent.index - 1, r.sent.index) for st in self._stock_by_sent.get(i, [])]
        if not near:
            return None
        st = max(near, key=lambda x: x["count"])
        # Things that report or send are a fleet of devices; "a move every 5 seconds per game" is not.
        reports = bool(_has(r.sent.low, sorted(words("report_verbs"))))
        carrier = Actor(id=f"actor.{_slug(st['item'])}", noun=st["item"], role="device" if reports else "end_user",
                        count=st["count"], count_kind="fleet" if reports else "total",
                        evidence=st["sent"].evidence, span=st["q"][0].span, status="derived",
                        formula=f"{st['formula']}, taken as what sends the reports")
        carrier.active_share = next((sh for n, sh, q, c in self.shares if n == "fleet"), None)
        if not any(a.id == carrier.id for a in actors):
            actors.append(carrier)
        return carrier

    def _id(self, names: dict[str, int], name: str) -> str:
        base = f"workload.{_slug(name)}"
        names[base] = names.get(base, 0) + 1
        return base if names[base] == 1 else f"{base}-{names[base]}"

    def _workload(self, r: _Rate, actors: list[Actor], names: dict[str, int]) -> Optional[Workload]:
        span = r.qs[0].span if r.qs else None
        if not r.per_actor:
            return Workload(id=self._id(names, r.name), name=r.name, op=_rw(r.op), avg_per_s=r.per_s, status="stated" if len(r.qs) == 1 else "derived",
                            evidence=r.sent.evidence, span=span, formula=f"{r.formula} ≈ {plain(r.per_s)}/s",
                            peak_rule="stated" if r.peak else "default", peak_per_s=r.per_s if r.peak else 0.0,
                            size_bytes=r.size)
        prefer = ("concurrent", "on_shift", "fleet", "total", "registered", "daily_active") if r.interval else (
            "daily_active", "total", "registered", "monthly_active", "fleet", "concurrent")
        actor = self._find_actor(actors, r.actor_noun, prefer, r.sent.evidence, span[0] if span else -1) if r.actor_noun else None
        if actor is None:
            # "each of our 220 carriers and cranes reports ...": the party counted in the rate's own sentence
            here = [a for a in actors if a.evidence == r.sent.evidence and a.count and a.role in ("device", "staff", "end_user")]
            rank = {kind: i for i, kind in enumerate(prefer)}
            actor = min(here, key=lambda a: (rank.get(a.count_kind, len(rank)), -(a.count or 0))) if here else None
        if actor is None:
            ends = [a for a in actors if a.role == ("device" if r.interval else "end_user") and a.count]
            actor = max(ends, key=lambda a: a.count or 0) if ends else None
        if actor is None and r.interval:
            actor = self._carrier(r, actors)
        if actor is None or not actor.count:
            # a rate per member of a party whose size the text does not give
            self.pending.append(r)
            return None
        share = r.share
        share_note = f" × {r.share_text}" if r.share_text else ""
        active = ""
        if actor.active_share and r.interval and actor.count_kind not in ("concurrent", "on_shift"):
            share *= actor.active_share
            active = f" × {actor.active_share:.0%} active"
        count = actor.count
        avg = count * share * r.per_s
        peak_counts = actor.count_kind in ("concurrent", "on_shift") and actor.id in getattr(self, "_peak_actors", set())
        formula = f"{plain(count)} {plural(actor.noun)}{share_note}{active} × {r.formula.split(' per ')[0]} ≈ {plain(avg)}/s"
        return Workload(id=self._id(names, r.name), name=r.name, op=_rw(r.op), actor=actor.id, avg_per_s=avg, status="derived",
                        evidence=r.sent.evidence, span=span, formula=formula,
                        peak_rule="stated" if (r.peak or peak_counts) else "default", peak_per_s=avg if (r.peak or peak_counts) else 0.0,
                        size_bytes=r.size)

    def _sizes(self, workloads: list[Workload]) -> None:
        by_evidence: dict[str, list[Workload]] = {}
        for w in workloads:
            by_evidence.setdefault(w.evidence, []).append(w)
        by_name = _ByWords([(w.name, w) for w in workloads])
        for noun, size, q in self.sizes:
            if ">" in noun:
                continue
            target = next((w for n, w in by_name.get(noun) if noun and (_same(n, noun) or _same(noun, n))), None)
            if target is None:
                writes = [w for w in by_evidence.get(q.sent.evidence, []) if w.op == "write" and w.size_bytes is None]
                target = writes[0] if writes else None
            if target is None and (not noun or noun.split()[-1] in words("files")):
                # "a file is about 1 MB": the one stream that carries files, said in another sentence
                writes = [w for w in workloads if w.op == "write" and w.size_bytes is None and w.status != "assumed"
                          and w.name.split()[-1] in words("files")]
                target = writes[0] if len(writes) == 1 else None
            if target is not None and target.size_bytes is None:
                target.size_bytes = size

    def _merge_stated_peaks(self, workloads: list[Workload]) -> list[Workload]:
        """'Normally 500 views a day, but 40 page loads a second during an outage': one workload, its average and its peak."""
        out: list[Workload] = []
        same_sentence: dict[tuple, list[int]] = {}  # (evidence, op, actor) -> places in `out`
        for w in workloads:
            places = same_sentence.setdefault((w.evidence, w.op, w.actor), [])
            at = next((i for i in places if (out[i].peak_rule == "stated") != (w.peak_rule == "stated")), None)
            if at is None:
                places.append(len(out))
                out.append(w)
                continue
            twin = out[at]
            avg, peak = (twin, w) if w.peak_rule == "stated" else (w, twin)
            if peak.peak_per_s <= avg.avg_per_s:
                places.append(len(out))
                out.append(w)
                continue
            out[at] = avg.model_copy(update={"peak_per_s": peak.peak_per_s, "peak_rule": "given",
                                             "formula": f"{avg.formula}; peak {peak.formula}"})
        return out

    def _peaks(self, workloads: list[Workload]) -> None:
        factor = self.out.spike
        for noun, share, seconds, q in self.windows:
            for w in workloads:
                if not noun or _same(w.name, noun) or noun in ("traffic", "request", "visit", "use", "activity"):
                    if w.peak_rule == "default":
                        w.peak_per_s = w.avg_per_s * DAY * share / seconds if seconds < DAY else w.avg_per_s * share * (DAY / seconds)
                        w.peak_per_s = max(w.peak_per_s, w.avg_per_s)
                        w.peak_rule = "window"
                        w.formula += f"; peak: {share:.0%} of a day's {w.name} in {human(seconds / 3600)} h"
        steady_text = any(_has(s.low, cues("time", "steady_cues")) for s in self.sentences)
        devices = {a.id for a in self._actor_list if a.role == "device"}
        for w in workloads:
            if w.peak_rule == "default" and (_has(w.evidence.lower(), cues("time", "steady_cues")) or (steady_text and w.actor in devices)):
                # "at a steady rate day and night": no peak above the average
                w.peak_per_s, w.peak_rule = w.avg_per_s, "steady"
                w.formula += "; steady, so the peak is the average"
                continue
            if w.peak_rule == "stated":
                if not w.avg_per_s or w.avg_per_s == w.peak_per_s:
                    w.avg_per_s = w.peak_per_s / (factor or 3.0)
                    w.formula += f"; stated at peak, average taken as 1/{plain(factor or 3.0)} of it"
            elif w.peak_rule == "default":
                if factor:
                    w.peak_per_s, w.peak_rule = w.avg_per_s * factor, "factor"
                else:
                    w.peak_per_s = w.avg_per_s * 3.0

    def _data(self, workloads: list[Workload]) -> list[DataItem]:
        items: list[DataItem] = []
        default_ret = None
        by_name = _ByWords([(w.name, w) for w in workloads])
        for noun, seconds, q in self.retention:
            years = seconds / YEAR
            if not any(noun and _same(n, noun) for n, _ in by_name.get(noun)):
                default_ret = max(default_ret or 0, years) if noun == "" or not any(_same(s["item"], noun) for s in self.stock) else default_ret
                if default_ret is None:
                    default_ret = years
        if self.retention:
            default_ret = max(default_ret or 0.0, max(sec / YEAR for _, sec, _ in self.retention))
        forever = any(_has(s.low, cues("time", "forever_cues")) for s in self.sentences)
        if forever:
            default_ret = max(default_ret or 0, 5.0)
        self.out.horizon_years = default_ret
        shares = [(*k.split(">", 1), sz, q) for k, sz, q in self.sizes if ">" in k]  # "item>media": a part of each item
        kept = _ByWords([(noun, sec) for noun, sec, _ in self.retention if noun])
        shares_of = _ByWords([(item, (media, sz, q)) for item, media, sz, q in shares])
        for w in workloads:
            if w.op != "write":
                continue
            size = w.size_bytes
            keep = next((sec / YEAR for noun, sec in kept.get(w.name) if _same(w.name, noun)), None) or next(
                (sec / YEAR for noun, sec, q in self.retention if noun and _mentions(w.evidence, noun)), None) or default_ret
            monthly = w.avg_per_s * MONTH * (size or 0)
            extra = [share for item, share in shares_of.get(w.name) if _same(w.name, item)]
            if size:
                items.append(DataItem(id=f"data.{_slug(w.name)}", item=w.name, size_bytes=size, per_month=w.avg_per_s * MONTH,
                                      retention_years=keep, gb_per_month=monthly / 1e9, gb_total=monthly / 1e9 * 12 * (keep or 1.0),
                                      status="derived", evidence=w.evidence,
                                      formula=f"{plain(w.avg_per_s)}/s × 2.5 M s × {human(size, 'B')} ≈ {human(monthly, 'B')} a month"))
            else:
                size = float(load("capacity")["record_bytes"])
                monthly = w.avg_per_s * MONTH * size
                items.append(DataItem(id=f"data.{_slug(w.name)}", item=w.name, size_bytes=size, per_month=w.avg_per_s * MONTH,
                                      retention_years=keep, gb_per_month=monthly / 1e9, gb_total=monthly / 1e9 * 12 * (keep or 1.0),
                                      status="assumed", evidence=w.evidence, why=f"no size is stated for {w.name}: {plain(size)} bytes a record",
                                      formula=f"{plain(w.avg_per_s)}/s × 2.5 M s × {human(size, 'B')} ≈ {human(monthly, 'B')} a month"))
            for media, size_share, q in extra:
                m = w.avg_per_s * MONTH * size_share
                items.append(DataItem(id=f"data.{_slug(media)}", item=media, size_bytes=size_share, per_month=w.avg_per_s * MONTH,
                                      retention_years=keep, gb_per_month=m / 1e9, gb_total=m / 1e9 * 12 * (keep or 1.0),
                                      status="derived", evidence=q.sent.evidence, span=q.span,
                                      formula=f"{plain(w.avg_per_s)} {w.name}/s × {next(iter(t for t in q.tags if t.startswith('share:')), 'share:').split(':', 1)[1]} × {human(q.value, 'B')} × 2.5 M s ≈ {human(m, 'B')} a month"))
        sizes = _ByWords([(noun, sz) for noun, sz, q in self.sizes if noun])
        ids = {i.id for i in items}
        for st in self.stock:
            if "bytes_per_s" in st:
                m = st["bytes_per_s"] * MONTH
                items.append(DataItem(id=f"data.{_slug(st['item'])}", item=st["item"], gb_per_month=m / 1e9,
                                      retention_years=default_ret, gb_total=m / 1e9 * 12 * (default_ret or 1.0), status="derived",
                                      evidence=st["sent"].evidence, span=st["q"][0].span, formula=st["formula"] + f" ≈ {human(m, 'B')} a month"))
                continue
            if "bytes" in st:
                items.append(DataItem(id=f"data.{_slug(st['item'])}-held", item=st["item"], gb_total=st["bytes"] / 1e9, status="stated",
                                      evidence=st["sent"].evidence, span=st["q"][0].span, formula=st["formula"]))
                continue
            size = next((sz for noun, sz in sizes.get(st["item"]) if _same(st["item"], noun)), None)
            if size is None:
                # "40,000 articles in the archive": each as big as a new one, with what new ones carry
                twin = next((w for n, w in by_name.get(st["item"]) if w.op == "write" and w.size_bytes and _same(n, st["item"])),
                            None)
                extra = sum(sz for item, (_, sz, _) in shares_of.get(st["item"]) if _same(st["item"], item))
                size = ((twin.size_bytes if twin else 0.0) + extra) or None
            if f"data.{_slug(st['item'])}" in ids:
                continue
            ids.add(f"data.{_slug(st['item'])}")
            total = st["count"] * size if size else 0.0
            items.append(DataItem(id=f"data.{_slug(st['item'])}", item=st["item"], count=st["count"], size_bytes=size,
                                  gb_total=total / 1e9, status="stated" if not size else "derived",
                                  evidence=st["sent"].evidence, span=st["q"][0].span,
                                  formula=st["formula"] + (f" × {human(size, 'B')} ≈ {human(total, 'B')}" if size else "")))
        return items


class _ByWords:
    """Named things indexed by their singular words, so matching a name is not a scan of all
    of them; a lookup returns the candidates in the order they were added (the first one
    that matches is the one said first)."""

    def __init__(self, pairs: list[tuple[str, object]]):
        self.index: dict[str, list[tuple[int, str, object]]] = {}
        self.added = 0
        for name, value in pairs:
            self.add(name, value)

    def add(self, name: str, value: object) -> None:
        for w in {singular(x) for x in name.split()}:
            self.index.setdefault(w, []).append((self.added, name, value))
        self.added += 1

    def get(self, name: str) -> list[tuple[str, object]]:
        found = {entry[0]: entry for w in {singular(x) for x in name.split()} for entry in self.index.get(w, [])}
        return [(n, v) for _, n, v in sorted(found.values(), key=lambda e: e[0])]


@lru_cache(maxsize=4096)
def _words(sentence: str) -> frozenset:
    return frozenset(singular(w) for w in re.findall(r"[a-z]+", sentence.lower()))


def _mentions(sentence: str, noun: str) -> bool:
    """'Summaries are kept 2 years' for the stream whose sentence says '... sends a health summary every 5 minutes'."""
    return singular(noun.split()[-1]) in _words(sentence)


@lru_cache(maxsize=65536)
def _same(a: str, b: str) -> bool:
    """Two names for one thing: 'send reading' ~ 'reading', 'photo' ~ 'photos'."""
    if not a or not b:
        return False
    wa = {singular(x) for x in a.split()}
    wb = {singular(x) for x in b.split()}
    return bool(wa & wb) and (b.split()[-1] in a.split() or a.split()[-1] in b.split() or singular(a.split()[-1]) == singular(b.split()[-1]))


def _rw(op: str) -> str:
    return {"read": "read", "write": "write", "notify": "write"}.get(op, "mixed") if op != "mixed" else "mixed"


def _not_load() -> frozenset:
    return frozenset(data()["not_load"]["nouns"])


def compose(sentences: list[Sentence], qs: dict[int, list[Q]]) -> tuple[Load, list[_Rate]]:
    c = Composer(sentences, qs)
    c.pending = []
    load = c.run()
    return load, c.pending
