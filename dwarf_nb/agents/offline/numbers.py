"""Ties the quantities of a text together into the load it describes.

`read_load(text)` returns a `Load`: streams of reads and writes per second (`Flow`s, each
with the sentence it came from), people, stored item sizes, retention, and the stated
peak pattern (a spike factor, a busy window, a burst, a figure said to be the peak). The
capacity estimate (`analysis.capacity`) is computed from a `Load`.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Optional

from .knowledge import load, may_hold, noun_classes, singular
from .quantities import (
    BITRATES, BYTES, DAY, FRACTIONS, HOUR, MINUTE, PER_NOUN, PERIODS, SPELLED, TOKEN, VOLUME, WORD_NUMBERS, YEAR,
    Quantity, duration_seconds, evidence, has_any, scan, ONE_IN,
)

_READ_SHARE = re.compile(
    r"(?P<pct>\d+(?:\.\d+)?)\s?%\s+(?:of\s+(?:them|these|those|which|all|the\s+)?\s*(?:\w+\s+){0,2}?)?(?:are\s+|being\s+)?"
    r"(?P<what>reads?|writes?|read-only|lookups|browsing|views)\b",
    re.IGNORECASE,
)
_RATIO = re.compile(
    r"(?P<a>\d+(?:\.\d+)?)\s*(?:reads?\s+(?:per|for\s+every|to)\s+(?:each\s+|one\s+|1\s+)?write"
    r"|:\s*(?P<b>\d+(?:\.\d+)?)\s+read[-/: ]?(?:to[- ])?write)",
    re.IGNORECASE,
)
# "searches outnumber bookings 1,000 to 1": reads per write, stated as a comparison.
_OUTNUMBER = re.compile(r"\boutnumbers?\s+[a-z ]{1,40}?(?P<a>\d[\d,]*(?:\.\d+)?)\s*(?:to|:)\s*(?P<b>\d+(?:\.\d+)?)\b", re.IGNORECASE)
_EXISTING = re.compile(r"\s*(?:of\s+[a-z ]{1,30}?\s+)?(?:today|currently|now|already|at present|so far|in total|existing)\b", re.IGNORECASE)
_EXISTING_BEFORE = re.compile(r"\b(?:currently|already|existing|today|now)\s+(?:holds?|stores?|has|have|is|are|of)?\s*(?:about|around|roughly|~)?\s*$", re.IGNORECASE)
_RATIO_SLASH = re.compile(r"(?P<a>\d+(?:\.\d+)?)\s*/\s*(?P<b>\d+(?:\.\d+)?)\s+read\s*/\s*write", re.IGNORECASE)
_RATIO_WORDS = re.compile(r"read[-/: ](?:to[- ])?write\s+ratio\s+(?:of\s+|is\s+)?(?:about\s+)?(?P<a>\d+(?:\.\d+)?)\s*:\s*(?P<b>\d+(?:\.\d+)?)", re.IGNORECASE)
# A counted stream whose every record leaves the sizes listed next: "..., each producing 5 MB of logs".
_EACH_LEAVES = re.compile(r"[^.;]{0,40}?,\s*each\s+(?:producing|generating|creating|writing|storing|leaving|uploading|with|carrying|holding)\b", re.IGNORECASE)
# The same split written writes first ("a 1:100 write:read ratio", "write-to-read ratio of 1:50").
_RATIO_WRITE_FIRST = re.compile(
    r"(?P<b>\d+(?:\.\d+)?)\s*:\s*(?P<a>\d+(?:\.\d+)?)\s+write[-/: ]?(?:to[- ])?read"
    r"|write[-/: ](?:to[- ])?read\s+ratio\s+(?:of\s+|is\s+)?(?:about\s+)?(?P<b2>\d+(?:\.\d+)?)\s*:\s*(?P<a2>\d+(?:\.\d+)?)",
    re.IGNORECASE,
)
_FRACTION_SHARE = re.compile(
    r"\b(?:a|one|two)\s+(?P<frac>half|third|quarter|fifth|tenth)s?\s+(?:of\s+(?:them|these|those|it|requests|traffic)\s+)?"
    r"(?:are\s+)?(?P<what>[a-z-]+)",
    re.IGNORECASE,
)
_WINDOW = re.compile(
    r"(?P<pct>\d+(?:\.\d+)?)\s?%\s+of\s+[^.;]{0,60}?\b(?:in|inside|within|during|between)\s+"
    r"(?:(?:the|a|an|its|our)\s+)?(?:(?P<count>\d+|two|three|four|five|six)\s+)?(?P<len>\d+(?:\.\d+)?)[- ]?"
    r"(?P<unit>hour|hr|minute|min)s?\b(?:[- ]long)?(?:\s+[a-z-]+){0,2}?\s+(?:windows?|periods?|slots?|peaks?|blocks?)",
    re.IGNORECASE,
)
_SPIKE = re.compile(
    r"(?P<f>\d+(?:\.\d+)?)\s?(?:x|×|times)\b(?P<after>[^.;]{0,40})", re.IGNORECASE
)
_STOCK = re.compile(r"[^.;,]{0,40}?\b(?:at\s+any\s+(?:one\s+|given\s+)?time|at\s+a\s+time|today|currently|right\s+now|in\s+total)\b", re.IGNORECASE)
# "4 times each", "3 times a day": how often, not how much busier.
_FREQUENCY = re.compile(r"\s*(?:each|a|an|per|every|daily|weekly)\b", re.IGNORECASE)
_SPIKE_WORDS = re.compile(r"\b(peak|peaks|spike|spikes|surge|surges|burst|bursts|average|normal|busiest|usual|baseline)\b", re.IGNORECASE)
_GROWTH = re.compile(
    r"\b(?:(?P<word>doubl|tripl|quadrupl)(?:e|es|ing)|grow(?:s|ing)?\s+(?P<f>\d+(?:\.\d+)?)\s?(?:x|×|times|fold))\b"
    r"[^.;]{0,40}?\b(?:within|in|by|over|after|every|each|per)\s+(?:a|one|the\s+next|(?P<n>\d+|two|three))?\s*(?P<unit>years?|months?)",
    re.IGNORECASE,
)
_LATENCY_P = re.compile(
    r"\bp(?P<p>9\d(?:\.\d+)?)\b[^.;]{0,40}?(?P<v>\d+(?:\.\d+)?)\s?(?P<u>ms|milliseconds?|seconds?|s)\b"
    r"|(?P<pct>9\d(?:\.\d+)?)\s?%\s+of\s+[^.;]{0,50}?(?:within|under|below|in\s+less\s+than|in)\s+"
    r"(?P<v2>\d+(?:\.\d+)?)\s?(?P<u2>ms|milliseconds?|seconds?|s)\b",
    re.IGNORECASE,
)
_LATENCY_PLAIN = re.compile(
    r"\b(?:under|within|below|less\s+than|in)\s+(?P<v>\d+(?:\.\d+)?)\s?(?P<u>ms|milliseconds?)\b", re.IGNORECASE
)
_AVAILABILITY = re.compile(
    r"(?P<v>9\d(?:\.\d+)?)\s?%\s*(?:[a-z-]+\s+){0,2}?(?:availab|uptime|up\b|sla)"
    r"|(?:availability|uptime|sla)\s+(?:of\s+|target\s+(?:of\s+)?|is\s+|at\s+)?(?P<v2>9\d(?:\.\d+)?)\s?%",
    re.IGNORECASE,
)
_USAGE = re.compile(
    r"(?P<v>\d+(?:\.\d+)?)\s?(?P<u>minutes?|mins?|hours?|hrs?)\s+(?:a|per|each)\s+day"
    # "people watch every day for 40 minutes on average"
    r"|\b(?:every|each)\s+day\s+for\s+(?:about\s+|around\s+|roughly\s+|~)?(?P<v2>\d+(?:\.\d+)?)\s?(?P<u2>minutes?|mins?|hours?|hrs?)\b",
    re.IGNORECASE,
)
_BITRATE = re.compile(r"(?P<v>\d+(?:\.\d+)?)\s?(?P<u>[KkMGT]bps)\b")
_SHARE_CARRIES = re.compile(
    r"(?P<pct>\d+(?:\.\d+)?)\s?%\s+of\s+(?:the\s+|all\s+)?(?P<noun>[a-z-]+)\s+(?:carry|include|contain|have|has|attach|come with|are)\s+"
    r"(?:an?\s+|one\s+)?(?:[\d.,]+\s?[KMGT]?B\s+)?(?P<what>[a-z-]+)",  # "carry a 200 KB picture": the size may sit between
    re.IGNORECASE,
)
# "one post in ten carries a 200 KB picture": the same as "10% of posts carry a picture".
_ONE_IN_CARRIES = re.compile(
    r"\bone\s+(?P<noun>[a-z-]+)\s+in\s+(?P<n>\d+|two|three|four|five|six|seven|eight|nine|ten|twenty|a\s+hundred)\s+"
    r"(?:carr|includ|contain|ha[sv]|attach|come)\w*\s+(?:with\s+)?(?:an?\s+|one\s+)?(?:[\d.,]+\s?[KMGT]?B\s+)?(?P<what>[a-z-]+)",
    re.IGNORECASE,
)
# "in the first hour", "within the first 10 minutes": the opening rush of a sale or a release.
_OPENING_WINDOW = re.compile(
    r"\b(?:in|within|during|over)\s+the\s+first\s+(?:(?P<v>\d+(?:\.\d+)?)\s?)?(?P<u>seconds?|minutes?|mins?|hours?)\b",
    re.IGNORECASE,
)
_BURST_WINDOW = re.compile(
    r"\b(?:first|within|in|during|over|for)\s+(?:the\s+)?(?:first\s+)?(?P<v>\d+(?:\.\d+)?)\s?(?P<u>seconds?|minutes?|mins?|hours?)\b",
    re.IGNORECASE,
)


_WRITE_VERB = r"(add|drop|write|update|change|post|book|order|purchas|submit|regist|enrol|upload|bid|vote|send)"


# "..., averaging a tenth of that over the session": the average as a share of the figure before.
_AVERAGE_SHARE = re.compile(r"\baverag\w*\s+(?:about\s+)?(?:a|one)\s+(?P<frac>half|third|quarter|fifth|tenth)\s+of\s+(?:that|this|it)\b", re.IGNORECASE)
# "400,000 games run at once, with a move every 5 seconds per game": each sends one thing at an interval.
_ONE_THING_EVERY = re.compile(r"\bwith\s+(?:a|one)\s+[a-z-]+\s+every\s+$", re.IGNORECASE)


@dataclass
class Flow:
    """A stream of requests or records: average and peak per second, and its record size."""

    noun: str
    cls: str  # read | write | mixed | notify
    avg: float
    peak: float
    evidence: str
    size: Optional[float] = None  # bytes per record, when stated
    peak_rule: str = "default"  # stated (figure is the peak) | window | given (avg and peak stated) | baseline | default
    retention_s: Optional[float] = None
    senders: float = 0.0  # how many devices or vehicles send it at an interval (0: people, or not periodic)


@dataclass
class Load:
    """Everything the text says about load, in numbers, with evidence for each."""

    flows: list[Flow] = field(default_factory=list)
    users: Optional[float] = None
    users_kind: str = ""  # daily_active | monthly_active | registered | concurrent | plain
    users_evidence: str = ""
    users_later: Optional[float] = None  # the user count the text expects after growth
    concurrent: Optional[float] = None
    concurrent_evidence: str = ""
    read_share: Optional[float] = None
    read_share_evidence: str = ""
    spike_factor: Optional[float] = None
    spike_evidence: str = ""
    burst_peak: Optional[float] = None
    burst_write_share: Optional[float] = None
    burst_evidence: str = ""
    burst_per_person: Optional[float] = None  # requests assumed per arriving person, when the burst is a crowd
    growth: Optional[float] = None  # factor per year
    growth_evidence: str = ""
    per_user_bytes: Optional[float] = None
    catalog_items: Optional[float] = None  # the largest count of catalogue items ("7 million listings")
    catalog_evidence: str = ""
    static_bytes: float = 0.0
    static_evidence: list[str] = field(default_factory=list)
    retention_s: Optional[float] = None  # the longest stated retention (inf = forever)
    retention_evidence: str = ""
    usage_s_per_day: Optional[float] = None
    bitrate_mbps: Optional[float] = None
    bitrate_evidence: str = ""
    latency_ms: Optional[float] = None
    latency_evidence: str = ""
    availability: Optional[float] = None
    availability_evidence: str = ""
    budget_per_month: Optional[float] = None
    budget_evidence: str = ""


def _size_owner(sent: str, q: Quantity, counts: list[Quantity], classes: dict[str, str]) -> Optional[str]:
    """The noun a stated size belongs to: 'a 200-byte reading', 'photos averaging 1 MB', '150 bytes per update'."""
    after = sent[q.end: q.end + 40]
    pm = PER_NOUN.match(after)
    if pm:
        return singular(pm.group(1))
    head = re.match(r"\s*-?\s*([A-Za-z-]+)(?:\s+([A-Za-z-]+))?", after)
    if head:
        for word in (head.group(2), head.group(1)):
            if word and classes.get(singular(word)) not in (None, "users"):
                return singular(word)
    before = sent[max(0, q.start - 120): q.start]
    if re.search(r"\bper\s+(user|account|customer|member|tenant|player|student|patient)\s+(?:is\s+|of\s+)?(?:under\s+|about\s+|around\s+|up\s+to\s+|roughly\s+|~)?$", before, re.IGNORECASE):
        return "__per_user__"
    near = re.split(r"[;,.]", sent[max(0, q.start - 30): q.start])[-1]
    owner = _last_noun(near, classes)
    if owner:
        return owner
    previous = [c for c in counts if c.end <= q.start and c.noun and c.cls not in ("users",)]
    if previous:
        return previous[-1].noun
    return _last_noun(before, classes)


def _compound_heads(text: str, owner: str, classes: dict[str, str]) -> list[str]:
    """Known nouns right before `owner` in `text` ("click event"): they name the same record."""
    if owner not in text.lower():
        return []
    words = [singular(t.strip(",.;:()")) for t in text.split()]
    return [a for a, b in zip(words, words[1:]) if b == owner and classes.get(a) not in (None, "users", "emitter")]


def _last_noun(text: str, classes: dict[str, str]) -> Optional[str]:
    owner = None
    for tm in TOKEN.finditer(text):
        tok = tm.group(0)
        if tok[0].isalpha() and classes.get(singular(tok)) not in (None, "users", "emitter"):
            owner = singular(tok)
    return owner


# Interview shorthand that names the rate before its figure ("Read QPS: 50,000", "peak QPS is 30k").
_RATE_NAMED_FIRST = re.compile(
    r"\b(?:(?P<kind>read|write|peak|average|avg)\s+)?(?:QPS|RPS|TPS)\s*(?:is\s+|of\s+|at\s+|[:=~\u2248]\s*)+"
    r"(?:about\s+|around\s+|roughly\s+|~\s*)?(?P<n>\d[\d,]*(?:\.\d+)?(?:\s?[KkMm]\b)?)",
    re.IGNORECASE,
)
_RATE_SAID = {"read": "reads per second", "write": "writes per second", "peak": "requests per second at peak"}


def _rate_after_its_figure(m: re.Match) -> str:
    return f"{m.group('n')} {_RATE_SAID.get((m.group('kind') or '').lower(), 'requests per second')}"


def read_load(text: str) -> Load:
    """The load the text describes (see the module docstring)."""
    # Most texts never write "QPS", "RPS" or "TPS": then the rewrite's scan of the whole text is skipped.
    if may_hold(text, text.lower(), ("qps", "rps", "tps")):
        text = _RATE_NAMED_FIRST.sub(_rate_after_its_figure, text)
    reader = _Reader(text)
    for stage in (reader.read_sizes, reader.read_volumes, reader.read_existing, reader.read_people, reader.read_targets,
                  reader.read_shares, reader.read_retention, reader.read_streams):
        stage()
    return reader.out


class _Reader:
    """One reading of a text: the quantities by sentence and the Load filled in stage by stage."""

    def __init__(self, text: str):
        self.classes = noun_classes()
        self.quals = load("quantities")
        self.sents, self.qs = scan(text)
        self.lows = [s.lower() for s in self.sents]  # every stage's cheap marker tests read these
        self.out = Load()
        self.by_sentence: dict[int, list[Quantity]] = {}
        for q in self.qs:
            self.by_sentence.setdefault(q.sentence, []).append(q)
        self.sizes: dict[str, float] = {}
        self.volumes: list[tuple[Quantity, str, float]] = []
        self.retained: list[tuple[float, str, int, int]] = []
        self.flows: dict[str, Flow] = {}
        self.counts: list[Quantity] = []
        self.derived: list[tuple[Quantity, str]] = []  # counts that multiply another figure

    def size_of(self, noun: str) -> Optional[float]:
        """The stated size of one record of `noun`, if any."""
        for key in (noun, noun.split()[-1]):
            if key in self.sizes:
                return self.sizes[key]
        return None

    def add(self, flow: Flow) -> None:
        """Record a stream; a noun met twice keeps the larger figure, or both an average and a peak."""
        known = self.flows.get(flow.noun)
        if known is not None and (known.peak_rule == "stated") != (flow.peak_rule == "stated"):
            # "500 requests per second on average, peaking at 2,000": one stream, both figures given.
            average, peak = (flow, known) if known.peak_rule == "stated" else (known, flow)
            self.flows[flow.noun] = Flow(noun=flow.noun, cls=average.cls, avg=average.avg, peak=max(peak.peak, average.avg),
                                         evidence=average.evidence, size=average.size or peak.size, peak_rule="given")
        elif known is None or flow.avg > known.avg:
            self.flows[flow.noun] = flow

    def read_sizes(self) -> None:
        """Sizes of one record per noun ("photos averaging 400 KB"), and data per user."""
        sents, by_sentence, classes, out = self.sents, self.by_sentence, self.classes, self.out
        sizes: dict[str, float] = {}
        for si, items in by_sentence.items():
            sent = sents[si]
            counts = [q for q in items if q.kind == "count"]
            for q in items:
                if q.kind != "bytes" or VOLUME.match(sent, q.end):
                    # "2 TB of logs per day" is a volume over time, not the size of one log.
                    continue
                owner = _size_owner(sent, q, counts, classes)
                if owner is None:
                    continue
                capped = re.search(r"\b(?:up\s+to|max(?:imum)?|at\s+most|no\s+more\s+than|limit)\s*$", sent[max(0, q.start - 20): q.start], re.IGNORECASE)
                if owner == "__per_user__":
                    out.per_user_bytes = q.value
                elif not capped:
                    # A limit ("files up to 100 MB") is not the typical size.
                    sizes.setdefault(owner, q.value)
                    for word in _compound_heads(sent[max(0, q.start - 40): q.start], owner, classes):
                        sizes.setdefault(word, q.value)
            # "200,000 builds a day, each producing 5 MB of logs and 50 MB of artifacts": one build
            # leaves everything listed after "each", so its record size is their sum.
            for c in counts:
                em = _EACH_LEAVES.match(sent, c.end) if c.noun and c.period else None
                # "each producing 5 ledger entries of 400 bytes" counts other records: the size is theirs.
                if em is None or c.noun in sizes or any(o.start >= em.end() for o in counts):
                    continue
                listed = [q.value for q in items if q.kind == "bytes" and q.start >= em.end() and ";" not in sent[em.end(): q.start]]
                if listed:
                    sizes[c.noun] = sum(listed)

        self.sizes = sizes

    def read_volumes(self) -> None:
        """Byte volumes over time ("2 TB of logs per day"), with the record size stated beside them."""
        sents, by_sentence = self.sents, self.by_sentence
        volumes: list[tuple[Quantity, str, float]] = []
        for si, items in by_sentence.items():
            sent = sents[si]
            for i, q in enumerate(items):
                if q.kind != "bytes":
                    continue
                vm = VOLUME.match(sent, q.end)
                if not vm:
                    continue
                unit = vm.group("unit").lower()
                unit = {"sec": "second", "s": "second", "min": "minute", "hr": "hour", "h": "hour"}.get(unit, unit)
                noun = singular(vm.group("noun").split()[-1]) if vm.group("noun") else "record"
                later = [x for x in items[i + 1:] if x.kind == "bytes" and x.value < q.value]
                volumes.append((q, noun, later[0].value if later else 0.0))

        self.volumes = volumes

    def read_existing(self) -> None:
        """Data that exists already ("500 GB today")."""
        sents, by_sentence, out = self.sents, self.by_sentence, self.out
        for si, items in by_sentence.items():
            for q in items:
                if q.kind == "bytes" and (_EXISTING.match(sents[si], q.end) or _EXISTING_BEFORE.search(sents[si], max(0, q.start - 40), q.start)):
                    out.static_bytes += q.value
                    out.static_evidence.append(evidence(sents[si]))

    def read_people(self) -> None:
        """Users (daily, monthly, registered), concurrent users, and the count expected after growth."""
        sents, qs, out = self.sents, self.qs, self.out
        users: list[tuple[int, Quantity]] = []
        rank = {"daily_active": 0, "monthly_active": 1, "plain": 2, "registered": 2}
        # "400,000 games run at once": sessions at once hold as many connections as people would.
        sessions = [q for q in qs if q.kind == "count" and q.cls is None and "concurrent" in q.qualifiers]
        if sessions:
            most = max(sessions, key=lambda q: q.value)
            out.concurrent, out.concurrent_evidence = most.value, evidence(sents[most.sentence])
        for q in qs:
            if q.kind == "count" and q.cls == "users" and q.value >= 1:
                kind = next((k for k in ("daily_active", "monthly_active", "registered") if k in q.qualifiers), "plain")
                if "concurrent" in q.qualifiers:
                    if out.concurrent is None or q.value > out.concurrent:
                        out.concurrent, out.concurrent_evidence = q.value, evidence(sents[q.sentence])
                    continue
                if "growth" in q.qualifiers:
                    continue
                users.append((rank[kind], q))
        items = [q for q in qs if q.kind == "count" and q.cls == "item" and q.period is None and not q.each]
        if items:
            largest = max(items, key=lambda q: q.value)
            out.catalog_items, out.catalog_evidence = largest.value, evidence(sents[largest.sentence])
        if users:
            users.sort(key=lambda t: (t[0], -t[1].value))
            best = users[0][1]
            out.users, out.users_kind = best.value, next(k for k, v in rank.items() if v == users[0][0])
            out.users_evidence = evidence(sents[best.sentence])
            later = [q for q in qs if q.kind == "count" and "growth" in q.qualifiers and (q.cls in (None, "users")) and q.value > best.value and q.sentence == best.sentence]
            if later:
                out.users_later = max(q.value for q in later)

    def read_targets(self) -> None:
        """Minutes of use a day, bit rates, latency and availability targets, the budget."""
        sents, lows, by_sentence, out = self.sents, self.lows, self.by_sentence, self.out
        # Each pattern runs only on sentences that contain its cheap marker: a 1 MB text stays fast.
        for si in sorted(by_sentence):
            sent, low = sents[si], lows[si]
            um = _USAGE.search(sent) if "day" in low else None
            if um and out.usage_s_per_day is None and any(q.cls == "users" for q in by_sentence.get(si, [])):
                out.usage_s_per_day = duration_seconds(um.group("v") or um.group("v2"), um.group("u") or um.group("u2"))
            bm = _BITRATE.search(sent) if "bps" in low else None
            if bm and out.bitrate_mbps is None:
                out.bitrate_mbps = float(bm.group("v")) * BITRATES[bm.group("u").lower()]
                out.bitrate_evidence = evidence(sent)
            for lm in _LATENCY_P.finditer(sent) if ("p9" in low or "%" in low) else ():
                v, u = (lm.group("v"), lm.group("u")) if lm.group("v") else (lm.group("v2"), lm.group("u2"))
                ms = float(v) * (1 if u.lower().startswith("m") else 1000)
                if ms <= 10000 and (out.latency_ms is None or ms < out.latency_ms):
                    out.latency_ms, out.latency_evidence = ms, evidence(sent)
            if ("ms" in low or "millisecond" in low) and (out.latency_ms is None or not _LATENCY_P.search(out.latency_evidence)):
                for lm in _LATENCY_PLAIN.finditer(sent):
                    ms = float(lm.group("v"))
                    if out.latency_ms is None or ms < out.latency_ms:
                        out.latency_ms, out.latency_evidence = ms, evidence(sent)
            am = _AVAILABILITY.search(sent) if "%" in low else None
            if am:
                v = float(am.group("v") or am.group("v2")) / 100
                if 0.9 <= v < 1 and (out.availability is None or v > out.availability):
                    out.availability, out.availability_evidence = v, evidence(sent)
            for q in by_sentence.get(si, []):
                if q.kind == "money" and re.search(r"\b(budget|cost|spend|hosting|bill)", sent, re.IGNORECASE):
                    per = 12 if re.search(r"\b(per|a)\s+year|annual", sent[q.end: q.end + 30], re.IGNORECASE) else 1
                    out.budget_per_month, out.budget_evidence = q.value / per, evidence(sent)

    def read_shares(self) -> None:
        """Read/write split, spike factor, growth per year."""
        sents, lows, by_sentence, out = self.sents, self.lows, self.by_sentence, self.out
        for si in sorted(by_sentence):
            sent, low = sents[si], lows[si]
            for rm in _READ_SHARE.finditer(sent) if "%" in low else ():
                share = float(rm.group("pct")) / 100
                if share <= 1:
                    is_read = not rm.group("what").lower().startswith("write")
                    out.read_share = share if is_read else 1 - share
                    out.read_share_evidence = evidence(sent)
            ratios = list(_RATIO.finditer(sent)) + list(_RATIO_WORDS.finditer(sent)) + list(_RATIO_SLASH.finditer(sent)) if "read" in low else []
            ratios += list(_OUTNUMBER.finditer(sent)) if "outnumber" in low else []
            ratios += list(_RATIO_WRITE_FIRST.finditer(sent)) if "write" in low and "read" in low else []
            for rm in ratios:
                groups = rm.groupdict()
                a = float((groups.get("a") or groups["a2"]).replace(",", ""))
                b = float(groups.get("b") or groups.get("b2") or 1.0)
                if a > 0 and b > 0:
                    out.read_share = a / (a + b)
                    out.read_share_evidence = evidence(sent)
            spiky = "times" in low or any(q.kind == "factor" for q in by_sentence[si])
            for sm in _SPIKE.finditer(sent) if spiky else ():
                context = sent[max(0, sm.start() - 40): sm.start()] + sm.group("after")
                factor = float(sm.group("f"))
                if 1 < factor <= 1000 and _SPIKE_WORDS.search(context) and not _GROWTH.search(sent) and not _FREQUENCY.match(sm.group("after")):
                    out.spike_factor, out.spike_evidence = factor, evidence(sent)
        for sent, low in zip(sents, lows):
            gm = _GROWTH.search(sent) if ("doubl" in low or "tripl" in low or "quadrupl" in low or "grow" in low) else None
            if gm:
                factor = {"doubl": 2.0, "tripl": 3.0, "quadrupl": 4.0}.get((gm.group("word") or "").lower()) or float(gm.group("f"))
                n = gm.group("n")
                n = float(WORD_NUMBERS.get(n.lower(), n)) if n else 1.0
                years = n if gm.group("unit").lower().startswith("year") else n / 12
                out.growth, out.growth_evidence = factor ** (1 / years) if years > 0 else factor, evidence(sent)

    def read_retention(self) -> None:
        """Every retention period stated (forever included), with where it was stated."""
        sents, lows, by_sentence, quals, out = self.sents, self.lows, self.by_sentence, self.quals, self.out
        retention_words = quals["retention"]["words"]
        retained: list[tuple[float, str, int, int]] = []
        forever_words = [w.lower() for w in quals["retention"]["forever"]]
        forever = re.compile("|".join(re.escape(w) for w in quals["retention"]["forever"]), re.IGNORECASE)
        markers = tuple(w.split()[0][:6] for w in quals["retention"]["forever"])
        # Only a sentence with a stated duration of a day or more can state a retention period.
        lasting = {q.sentence for q in self.qs if q.kind == "seconds" and q.value >= DAY}
        for si, sent in enumerate(sents):
            low = lows[si]
            if any(m in low for m in markers) and may_hold(sent, low, forever_words):
                for fm in forever.finditer(sent):
                    retained.append((float("inf"), sent, si, fm.start()))
            if si not in lasting:
                continue
            if not has_any(low, retention_words, lowered=True) and not re.search(r"\d+[- ]year\s+archive", sent, re.IGNORECASE):
                continue
            for q in by_sentence.get(si, []):
                if q.kind == "seconds" and q.value >= DAY:
                    before = sent[max(0, q.start - 14): q.start].lower()
                    if re.search(r"\b(within|in|under|after|every|first|last)\s+$", before):
                        continue
                    retained.append((q.value, sent, si, q.start))
        if retained:
            longest = max(retained, key=lambda r: r[0])
            out.retention_s, out.retention_evidence = longest[0], evidence(longest[1])

        self.retained = retained

    def read_streams(self) -> None:
        """Streams of reads and writes: stated rates, periodic senders, multipliers, shares of a stream."""
        self.counts = [q for q in self.qs if q.kind == "count"]
        _inherit_periods(self.counts, self.sents)
        for stage in (self.stated_rates, self.periodic_senders, self.multiplied_rates, self.shares_of_streams,
                      self.archive, self.concurrency, self.attach_retention, self.merge_restated):
            stage()
        self.out.flows = sorted(self.flows.values(), key=lambda f: (-f.avg, f.noun))
        self.arrivals()

    def arrivals(self) -> None:
        """A crowd in an opening window with no rate of its own ("50,000 people try to buy in the
        first hour"): each arriving person is taken as one visit of several requests."""
        out = self.out
        if out.burst_peak or any(f.peak_rule == "stated" for f in out.flows):
            return
        per_person = load("capacity")["requests_per_visit"]
        for si, sent in enumerate(self.sents):
            wm = _OPENING_WINDOW.search(sent)
            if wm is None:
                continue
            crowd = [q for q in self.by_sentence.get(si, []) if q.kind == "count" and q.cls == "users"
                     and q.end <= wm.start() and "growth" not in q.qualifiers]
            if crowd:
                seconds = duration_seconds(wm.group("v") or "1", wm.group("u"))
                out.burst_peak = crowd[-1].value * per_person / seconds
                out.burst_evidence, out.burst_per_person = evidence(sent), per_person
                return

    def stated_rates(self) -> None:
        """Rates the text states ("10 million page views per day", "2 TB of logs per day")."""
        sents, classes = self.sents, self.classes
        add, size_of, counts, derived, volumes = self.add, self.size_of, self.counts, self.derived, self.volumes
        windows = _windows(sents)
        for q, noun, item in volumes:
            vm = VOLUME.match(sents[q.sentence], q.end)
            unit = vm.group("unit").lower()
            period = PERIODS.get({"sec": "second", "s": "second", "min": "minute", "hr": "hour", "h": "hour"}.get(unit, unit), DAY)
            size = item or size_of(noun) or 1000.0
            rate = q.value / period / size
            add(Flow(noun=noun, cls="write", avg=rate, peak=rate, evidence=evidence(sents[q.sentence]), size=size))
        for q in counts:
            sent = sents[q.sentence]
            if q.each or q.per_noun:
                derived.append((q, sent))
                continue
            if q.period is None:
                continue
            noun, cls = q.noun, q.cls
            if noun is None:
                noun = _noun_before(sent, q.start, classes)
                cls = classes.get(noun) if noun else None
            if cls == "item":
                # "50,000 new or updated listings per day": catalogue items arriving are writes.
                cls = "write"
            if cls in (None, "users", "emitter") or "growth" in q.qualifiers:
                continue
            rate = q.value / q.period
            flow = Flow(noun=noun, cls=cls, avg=rate, peak=rate, evidence=evidence(sent), size=size_of(noun))
            if q.sentence in windows:
                factor, _ = windows[q.sentence]
                flow.peak, flow.peak_rule = rate * factor * q.period / DAY if q.period >= DAY else rate * factor, "window"
            elif "peak" in q.qualifiers:
                flow.peak_rule = "stated"
            elif "baseline" in q.qualifiers:
                flow.peak_rule = "baseline"
            share = _AVERAGE_SHARE.search(sent, q.end) if "averag" in sent else None
            if share is not None:
                # "200,000 updates per second at the open, averaging a tenth of that": the figure is the peak.
                flow.avg, flow.peak_rule = rate * FRACTIONS[share.group("frac").lower()], "given"
            add(flow)

    def periodic_senders(self) -> None:
        """Things that send at an interval ("each device sends a reading every 10 seconds")."""
        sents, by_sentence, classes, quals, out = self.sents, self.by_sentence, self.classes, self.quals, self.out
        add, size_of = self.add, self.size_of
        # Periodic emitters: "each device sends a reading every 10 seconds".
        emitter_index = _emitter_index(by_sentence)
        for si in sorted(by_sentence):
            sent = sents[si]
            for q in by_sentence[si]:
                if q.kind != "seconds" or q.value > 6 * HOUR:
                    continue
                if not re.search(r"\bevery\s+$", sent[max(0, q.start - 8): q.start], re.IGNORECASE):
                    continue
                if not (has_any(sent[: q.start], quals["emission"]["verbs"]) or _ONE_THING_EVERY.search(sent, max(0, q.start - 40), q.start)):
                    continue
                count, peak, ev, sender = _emitters(si, sents, by_sentence, out, emitter_index)
                if not count:
                    continue
                noun = _emitted_noun(sent[: q.start], classes) or "update"
                # "5,000 servers each report 400 metrics every 15 seconds": records per report.
                batch = [c for c in by_sentence[si] if c.kind == "count" and c.end <= q.start and c.cls == "write"
                         and c.period is None and c.value != count and c.value > 1]
                if batch:
                    noun = batch[-1].noun
                share = ONE_IN.search(sent, 0, q.start) if "one" in sent[: q.start].lower() else None
                if share is not None:
                    # "one in ten of them is typing, sending a change every half second"
                    count /= SPELLED[" ".join(share.group("n").lower().split())]
                rate = count * (batch[-1].value if batch else 1) / q.value
                flow = Flow(noun=noun, cls="write", avg=rate / (3 if peak else 1), peak=rate if peak else rate * 3,
                            evidence=evidence(sent + (" " + ev if ev and ev not in sent else "")),
                            size=_size_in(by_sentence.get(si, [])) or size_of(noun),
                            peak_rule="stated" if peak else "default", senders=count if sender == "emitter" else 0.0)
                add(flow)
                # "every 10 seconds while idle and every 2 seconds while ridden": the first interval is
                # the usual one; later ones in the sentence are special cases of the same stream.
                break

    def multiplied_rates(self) -> None:
        """Rates stated per another ("each producing 5 ledger entries", "3 per payment", "each user ...")."""
        sents, by_sentence, classes, out = self.sents, self.by_sentence, self.classes, self.out
        flows, add, size_of, counts, derived = self.flows, self.add, self.size_of, self.counts, self.derived
        first_static: dict[str, Quantity] = {}
        for c in counts:
            if c.period is None and not c.each and c.noun:
                first_static.setdefault(c.noun, c)
        # Multipliers: "each producing 5 ledger entries", "webhooks (3 per payment)", "1% of messages carry a file".
        for q, sent in derived:
            base_flow = None
            if q.per_noun:
                base_flow = flows.get(q.per_noun)
                if base_flow is None and classes.get(q.per_noun) == "users" and q.period:
                    base_users = _users_in(q.sentence, by_sentence) or out.users
                    if base_users:
                        noun = q.noun or "request"
                        rate = base_users * q.value / q.period
                        add(Flow(noun=noun, cls=classes.get(noun, "mixed"), avg=rate, peak=rate, evidence=evidence(sent), size=size_of(noun)))
                    continue
            else:
                previous = [c for c in by_sentence[q.sentence] if c.kind == "count" and c.end <= q.start and "growth" not in c.qualifiers and not c.each]
                # "2 million fans arrive ... for 50,000 seats per show, each making 10 requests": each
                # person, not each seat; a catalogue count is the base only when nothing else precedes.
                base = next((c for c in reversed(previous) if c.cls != "item"), previous[-1]) if previous else None
                if q.each_of and q.each_of in flows:
                    base_flow = flows[q.each_of]
                elif base is not None and base.noun in flows:
                    base_flow = flows[base.noun]
                elif q.each_user and base is None and q.period and q.noun and out.users:
                    # "Each user uploads about 10 photos a month": the users counted elsewhere.
                    rate = out.users * q.value / q.period
                    add(Flow(noun=q.noun, cls=q.cls or "mixed", avg=rate, peak=rate, evidence=evidence(sent), size=size_of(q.noun)))
                    continue
                elif base is not None and base.cls == "users" and q.period and q.noun:
                    rate = base.value * q.value / q.period
                    add(Flow(noun=q.noun, cls=q.cls or "mixed", avg=rate, peak=rate, evidence=evidence(sent), size=size_of(q.noun)))
                    continue
                elif base is not None and base.cls == "users":
                    wm = _BURST_WINDOW.search(sent)
                    if wm:
                        seconds = duration_seconds(wm.group("v"), wm.group("u"))
                        out.burst_peak = base.value * q.value / seconds
                        out.burst_evidence = evidence(sent)
                        fm = _FRACTION_SHARE.search(sent)
                        if fm and re.match(_WRITE_VERB, fm.group("what"), re.IGNORECASE):
                            out.burst_write_share = FRACTIONS[fm.group("frac").lower()]
                        elif q.cls == "write" or re.search(r"\b" + _WRITE_VERB, sent[base.end: q.start], re.IGNORECASE):
                            # "30,000 participants ..., each submitting about 20 times": every request writes.
                            out.burst_write_share = 1.0
                    continue
                elif q.each_of and (q.each_of in classes) and classes[q.each_of] == "item":
                    static = first_static.get(q.each_of)
                    if static is not None and q.noun:
                        per = size_of(q.noun)
                        if per:
                            total = static.value * q.value * per
                            out.static_bytes += total
                            out.static_evidence.append(evidence(sent))
                    continue
            if base_flow is None or not q.noun and not base_flow:
                continue
            noun = q.noun or _noun_before(sent, q.start, classes) or "record"
            cls = classes.get(noun) or ("notify" if noun in ("recipient",) else "write")
            if noun == base_flow.noun:
                continue
            add(Flow(noun=noun, cls=cls, avg=base_flow.avg * q.value, peak=base_flow.peak * q.value,
                     evidence=evidence(sent), size=size_of(noun) or (_size_after(sents, q) if q.each else None),
                     peak_rule=base_flow.peak_rule))

    def shares_of_streams(self) -> None:
        """A share of a stream carrying something ("1% of messages carry a file averaging 1 MB")."""
        sents, by_sentence, classes = self.sents, self.by_sentence, self.classes
        flows, add, size_of = self.flows, self.add, self.size_of
        # "1% of messages carry a file averaging 1 MB"
        for si in sorted(by_sentence):
            sent = sents[si]
            shares = [(pm, float(pm.group("pct")) / 100) for pm in _SHARE_CARRIES.finditer(sent)] if "%" in sent else []
            if " in " in sent:
                shares += [(pm, 1 / float(SPELLED.get(" ".join(pm.group("n").lower().split())) or pm.group("n")))
                           for pm in _ONE_IN_CARRIES.finditer(sent)]
            for pm, share in shares:
                base = flows.get(singular(pm.group("noun")))
                what = singular(pm.group("what"))
                if base is None or what == base.noun:
                    continue
                add(Flow(noun=what, cls=classes.get(what, "write"), avg=base.avg * share, peak=base.peak * share,
                         evidence=evidence(sent), size=size_of(what), peak_rule=base.peak_rule))

    def archive(self) -> None:
        """Catalogues and archives that exist already ("a 15-year archive of 1.2 million articles")."""
        sents, out = self.sents, self.out
        flows, size_of, counts = self.flows, self.size_of, self.counts
        # A static archive: "a 15-year archive of 1.2 million articles" -> articles x article size.
        for q in counts:
            if q.period is None and not q.each and q.cls in ("write", "item") and q.noun and size_of(q.noun) and q.noun not in ("request",):
                if q.noun in flows and flows[q.noun].avg * YEAR > q.value:
                    continue
                out.static_bytes += q.value * size_of(q.noun)
                out.static_evidence.append(evidence(sents[q.sentence]))

    def concurrency(self) -> None:
        """Concurrent users from daily users and minutes of use a day."""
        out = self.out
        # Concurrent viewers from daily users and minutes a day; their periodic writes.
        if out.concurrent is None and out.users and out.usage_s_per_day:
            daily = out.users if out.users_kind in ("daily_active", "") else out.users * 0.25
            out.concurrent = daily * out.usage_s_per_day / DAY
            out.concurrent_evidence = out.users_evidence

    def attach_retention(self) -> None:
        """Each stream keeps the retention stated nearest its noun (after it first), in the last sentence naming both."""
        sents = self.sents
        by_sentence: dict[int, list[tuple[float, str, int, int]]] = {}
        for r in self.retained:
            by_sentence.setdefault(r[2], []).append(r)
        # Latest sentence first: the last sentence that names the noun wins, so the search stops there.
        order = sorted(by_sentence, reverse=True)
        for flow in self.flows.values():
            stem = flow.noun.split()[-1][:5]
            noun = re.compile(rf"\b{re.escape(stem)}", re.IGNORECASE)
            # An ASCII stem's lower case must be in the sentence's lower case (see may_hold).
            words = (stem.lower(),) if stem.isascii() else ()
            for si in order:
                if words and not may_hold(sents[si], self.lows[si], words):
                    continue
                nm = noun.search(sents[si])
                if nm:
                    at = nm.start()
                    flow.retention_s = min(by_sentence[si], key=lambda r: (r[3] < at, abs(r[3] - at)))[0]
                    break


    def merge_restated(self) -> None:
        """'ten opens per link, so roughly a billion redirects monthly': one stream said twice is counted once."""
        kept: list[Flow] = []
        for noun, flow in list(self.flows.items()):
            if any(k.cls == flow.cls and k.evidence == flow.evidence and abs(k.avg - flow.avg) <= 0.1 * max(k.avg, flow.avg)
                   for k in kept):
                del self.flows[noun]
            else:
                kept.append(flow)


def _inherit_periods(counts: list[Quantity], sents: list[str]) -> None:
    """'60 million submissions and 150 million views per day': the first count shares the period."""
    for i, q in enumerate(counts):
        if q.period is not None or q.cls in (None, "users", "item", "emitter") or q.each:
            continue
        if _STOCK.match(sents[q.sentence], q.end):
            # "2 million open jobs at any time": how many exist, not how many arrive.
            continue
        for j in (i + 1, i - 1):
            if 0 <= j < len(counts):
                other = counts[j]
                if other.sentence != q.sentence or other.period is None or other.cls in ("users", "item", "emitter"):
                    continue
                lo, hi = sorted((q.end, other.start)) if j > i else sorted((other.end, q.start))
                between = sents[q.sentence][lo:hi]
                if len(between) < 100 and ";" not in between:
                    q.period = other.period
                    break


def _windows(sents: list[str]) -> dict[int, tuple[float, str]]:
    """Sentences with a busy window: '90% of both inside two 2-hour windows' -> peak multiplier per day."""
    found = {}
    for si, sent in enumerate(sents):
        wm = _WINDOW.search(sent) if "%" in sent else None
        if not wm:
            continue
        count = wm.group("count")
        n = float(WORD_NUMBERS.get(count.lower(), count)) if count else 1.0
        length = float(wm.group("len")) * (HOUR if wm.group("unit").lower().startswith("h") else MINUTE)
        share = float(wm.group("pct")) / 100
        found[si] = (share * DAY / (n * length), sent)
    return found


def _noun_before(sent: str, pos: int, classes: dict[str, str]) -> Optional[str]:
    owner = None
    for tm in TOKEN.finditer(sent, 0, pos):
        tok = tm.group(0)
        if tok[0].isalpha() and classes.get(singular(tok)) not in (None, "users"):
            owner = singular(tok)
    return owner


def _emitted_noun(text: str, classes: dict[str, str]) -> Optional[str]:
    noun = None
    for tm in TOKEN.finditer(text):
        tok = tm.group(0)
        if tok[0].isalpha() and classes.get(singular(tok)) == "write":
            noun = singular(tok)
    return "position" if noun in ("gps", "location") else noun


def _size_in(items: list[Quantity]) -> Optional[float]:
    """The first size stated in a sentence (the record a periodic sender sends)."""
    sizes = [q.value for q in items if q.kind == "bytes"]
    return sizes[0] if sizes else None


def _size_after(sents: list[str], q: Quantity) -> Optional[float]:
    m = re.search(r"(?:averaging|average|of\s+(?:about|roughly|around)?)\s*~?\s*(\d+(?:\.\d+)?)\s?(KB|MB|GB|bytes|B)\b", sents[q.sentence][q.end: q.end + 60])
    return float(m.group(1)) * BYTES[m.group(2).lower()] if m else None


def _users_in(si: int, by_sentence: dict[int, list[Quantity]]) -> Optional[float]:
    found = [q.value for q in by_sentence.get(si, []) if q.cls == "users" and "growth" not in q.qualifiers]
    return found[0] if found else None


_EACH_NOUN = re.compile(r"\beach\s+(?!of\b|other\b|one\b)(?P<noun>[a-z][a-z-]+)", re.IGNORECASE)
# How many earlier sentences "each bus" may reach back to for "the fleet has 1,500 buses".
_REFER_BACK = 3


def _same_noun(word: str, noun: str) -> bool:
    w, n = word.lower(), noun.lower()
    return singular(w) == singular(n) or w in (n + "s", n + "es")


def _each_referent(si: int, sents: list[str], by_sentence: dict[int, list[Quantity]]) -> Optional[Quantity]:
    """The count an "each <noun>" refers back to in an earlier sentence: "The fleet has 1,500
    buses. Each bus sends its position every 5 seconds." Matches "1,500 buses" and also
    "meters at 40,000 sites" (the noun just before the count, joined by at/in/across/on)."""
    m = _EACH_NOUN.search(sents[si])
    if m is None:
        return None
    noun = m.group("noun")
    for sj in range(si - 1, max(-1, si - 1 - _REFER_BACK), -1):
        sent = sents[sj]
        for q in reversed(by_sentence.get(sj, [])):
            if q.kind != "count" or q.each or q.period is not None or q.value < 1:
                continue
            after = re.findall(r"[A-Za-z][A-Za-z-]*", sent[q.end: q.end + 40])[:2]
            before = re.search(r"([A-Za-z][A-Za-z-]*)\s+(?:at|in|across|on)\s+(?:about\s+|around\s+|roughly\s+|some\s+|over\s+)?$",
                               sent[max(0, q.start - 40): q.start])
            if any(_same_noun(w, noun) for w in after) or (before and _same_noun(before.group(1), noun)):
                return q
    return None


def _emitter_index(by_sentence: dict[int, list[Quantity]]) -> tuple[list[int], dict[int, Quantity]]:
    """Sentences that count emitters (sorted), and the largest such count in each."""
    largest: dict[int, Quantity] = {}
    for sj, items in by_sentence.items():
        for q in items:
            if q.kind == "count" and q.cls == "emitter" and not q.each and (sj not in largest or q.value > largest[sj].value):
                largest[sj] = q
    return sorted(largest), largest


def _emitters(si: int, sents: list[str], by_sentence: dict[int, list[Quantity]], load_: Load,
              index: tuple[list[int], dict[int, Quantity]]) -> tuple[float, bool, str, Optional[str]]:
    """How many things send at a fixed interval, whether that count is a peak, where it was read,
    and the class of what was counted (emitter for devices and vehicles, users for people)."""
    for sj in (si, si + 1, si - 1):
        for q in by_sentence.get(sj, []):
            if q.kind == "count" and "concurrent" in q.qualifiers and q.cls in (None, "users", "emitter"):
                return q.value, "peak" in q.qualifiers, evidence(sents[sj]), q.cls
    for q in by_sentence.get(si, []):
        if q.kind == "count" and q.cls is None and q.period is None and not q.each_of and q.value >= 1:
            # "Each of the 4 million bands syncs every 15 minutes": things the word lists do not
            # know, counted in the sentence that says they send, are devices too.
            return q.value, "peak" in q.qualifiers, evidence(sents[si]), "emitter"
    back = _each_referent(si, sents, by_sentence)
    if back is not None:
        return back.value, "peak" in back.qualifiers, evidence(sents[back.sentence]), "emitter"
    order, largest = index
    if order:
        # The nearest sentence that counts emitters; of two equally near, the earlier one.
        at = bisect_left(order, si)
        near = [order[i] for i in (at - 1, at) if 0 <= i < len(order)]
        sj = min(near, key=lambda s: (abs(s - si), s))
        q = largest[sj]
        return q.value, "peak" in q.qualifiers, evidence(sents[sj]), q.cls
    if load_.users and load_.usage_s_per_day:
        daily = load_.users
        return daily * load_.usage_s_per_day / DAY, False, load_.users_evidence, "users"
    return 0.0, False, "", None
