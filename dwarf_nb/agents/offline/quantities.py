"""Reads every number in a requirements text with its unit, and for counts the noun and period.

`scan(text)` cuts the text into sentences once and returns each `Quantity`: a count
("1.5 billion messages per month"), a size ("400 KB"), a duration ("every 10 seconds"),
a share ("95%"), a factor ("20x"), a bit rate or money, with the qualifiers around it
(daily active, concurrent, peak, baseline, growth, "each ...", "one in ten"). Numbers
spelled in words count too ("a billion redirects", "ten times a day", "every half second").
`numbers.read_load` ties the quantities together into load figures.

All patterns are bounded and run once per sentence (or per number on a short window), so
the time grows linearly with the length of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Optional

from .knowledge import load, noun_classes, singular

SECOND, MINUTE, HOUR, DAY, WEEK = 1.0, 60.0, 3600.0, 86400.0, 7 * 86400.0
MONTH = 2.5e6  # the back-of-the-envelope month
YEAR = 12 * MONTH

PERIODS = {
    "s": SECOND, "sec": SECOND, "second": SECOND, "min": MINUTE, "minute": MINUTE,
    "h": HOUR, "hr": HOUR, "hour": HOUR, "day": DAY, "night": DAY, "week": WEEK,
    "month": MONTH, "year": YEAR, "yr": YEAR, "term": 4 * MONTH, "quarter": 3 * MONTH,
}
ADVERB_PERIODS = {"hourly": HOUR, "daily": DAY, "nightly": DAY, "weekly": WEEK, "monthly": MONTH, "yearly": YEAR, "annually": YEAR}
BYTES = {"b": 1, "byte": 1, "bytes": 1, "kb": 1e3, "kib": 1024, "mb": 1e6, "mib": 1024**2,
         "gb": 1e9, "gib": 1024**3, "tb": 1e12, "tib": 1024**4, "pb": 1e15}
SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "mln": 1e6, "m": 1e6, "billion": 1e9,
          "bn": 1e9, "b": 1e9, "trillion": 1e12, "t": 1e12}
BITRATES = {"kbps": 1e-3, "mbps": 1.0, "gbps": 1e3, "tbps": 1e6}
WORD_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "dozen": 12}
FRACTIONS = {"half": 0.5, "third": 1 / 3, "quarter": 0.25, "fifth": 0.2, "tenth": 0.1}
# Numbers written as words: "a billion redirects", "ten opens", "a hundred searches", "twice a day".
SPELLED = {**WORD_NUMBERS, "a": 1, "an": 1, "one": 1, "half": 0.5, "half a": 0.5, "half an": 0.5, "hundred": 100,
           "a hundred": 100, "a dozen": 12, "fifty": 50, "thirty": 30, "forty": 40, "once": 1, "twice": 2}

# Every cut starts with white space; the leading look-ahead lets the engine skip other characters fast.
_SENTENCE = re.compile(r"(?=\s)(?:(?<=[.!?])\s+(?=[A-Z0-9(\"'])|\n\s*\n|\n(?=\s*[-*•]\s))")
_QUANTITY = re.compile(
    # The leading look-ahead only names the characters a quantity can start with: it lets
    # the engine skip the look-behind test at every other position of the text.
    r"(?=[$€£\d])(?<![\w.,:])(?P<cur>[$€£])?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:\s?[-–]\s?(?P<num2>\d+(?:\.\d+)?)(?![\d,]))?"
    r"(?:\s?(?P<word>thousand|million|billion|trillion|mln|bn)\b|(?P<short>[kKMBT]|bn)(?![A-Za-z0-9]))?"
    r"(?:\s?-?\s?(?P<unit>bytes?|KB|kB|KiB|MB|MiB|GB|GiB|TB|TiB|PB|B|ms|milliseconds?|msecs?|seconds?"
    r"|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|yrs?|%|percent|x|×"
    r"|[KkMGT]bps|s|h)(?![A-Za-z0-9]))?",
    re.IGNORECASE,
)
_UNIT = (r"(?:\s?-?\s?(?P<unit>bytes?|KB|kB|KiB|MB|MiB|GB|GiB|TB|TiB|PB|B|ms|milliseconds?|msecs?|seconds?"
         r"|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|yrs?|%|percent|x|×"
         r"|[KkMGT]bps|s|h)(?![A-Za-z0-9]))?")
_SPELLED_WORDS = "|".join(sorted((w for w in SPELLED if w not in ("a", "an", "one", "half", "half a", "half an", "once", "twice")), key=len, reverse=True))
# "a", "one" and "half a" only count before a scale word ("a billion"), "once"/"twice" only
# before a period ("twice a day"): elsewhere they are articles and adverbs, not numbers.
_WORD_QUANTITY = re.compile(
    # The leading look-ahead names the letters a spelled number starts with, so other places fail fast.
    r"\b(?=[adefhnostADEFHNOST])(?<![\w-])(?<!in )(?:(?P<wnum>" + _SPELLED_WORDS + r")\b"
    r"|(?P<wa>half\s+an?|an?|one)(?=\s+(?:hundred|thousand|million|billion)\b)"
    r"|(?P<wonce>once|twice)(?=\s+(?:a|an|per|each|every)\s+(?:second|minute|hour|day|night|week|month|year)\b)"
    r"|(?P<whalf>half(?:\s+an?)?)(?=\s+(?:second|minute|hour|day)\b))"
    r"(?:\s+(?P<word>hundred|thousand|million|billion|trillion)\b)?" + _UNIT,
    re.IGNORECASE,
)
# The words a spelled number needs (lower case or capitalised, alone or before a comma or stop):
# a sentence none of whose white-space separated words is one of these holds no spelled number.
_SPELLED_HINT = frozenset(form + end for w in [*(w for w in SPELLED if " " not in w and len(w) > 2), "thousand", "million", "billion"]
                          for form in (w, w.capitalize()) for end in ("", ",", ".", ";", ":"))
DIGIT = re.compile(r"[0-9]")
VOLUME = re.compile(
    r"\s*(?:of\s+(?:new\s+|raw\s+)?(?P<noun>[a-z-]+(?:\s+[a-z-]+)?)\s+)?(?:per|a|an|each|every|/)\s?"
    r"(?P<unit>second|sec|s|minute|min|hour|hr|h|day|week|month|year)\b",
    re.IGNORECASE,
)
TOKEN = re.compile(r"[A-Za-z][A-Za-z'/-]*|\d|[,;:.()\[\]!?]")
_STOPPERS = frozenset(
    "per a an the in of at to for from with by on across each every are is was were be been "
    "arrive arrives make makes making doing that which who while when where must should can "
    "will may within under over during inside than as or".split()
) | {w for w in SPELLED if " " not in w}  # a spelled number starts the next quantity
PERIOD_AFTER = re.compile(
    # The look-ahead names the letters a period phrase starts with, so other positions fail fast.
    r"(?=[paeqrt/])(?:(?:\b(?:per|a|an|each|every)\s+|/\s?)(second|sec|s|minute|min|hour|hr|h|day|night|week|month|year|term|quarter)\b"
    r"|\b(rps|qps|tps)\b)",
    re.IGNORECASE,
)
# "50,000 start within the same minute": a count in one such span is a rate.
# Its groups mirror PERIOD_AFTER's (the unit, then an empty 'rps' group), so either match reads the same.
_SAME_SPAN = re.compile(r"\b(?:within|in)\s+(?:the\s+same|a\s+single|one)\s+(second|minute|hour)\b()", re.IGNORECASE)
_PERIOD_BEFORE = re.compile(r"\b(day|week|month|hour|year|night)s?\b(?:\s+[a-z]+){0,2}\s*$", re.IGNORECASE)
_PERIOD_NEAR = re.compile(r"\s*(?:per|a|an|each|every|/)\s?(?:second|sec|s|minute|min|hour|hr|h|day|night|week|month|year)\b|\s*(?:daily|monthly|weekly|hourly)\b", re.IGNORECASE)
_PEAK_AT = re.compile(r"\bpeak(?:s|ing|ed)?\s+(?:at|of|to|around|near)?\s*(?:about|around|roughly|~)?\s*$")
PER_NOUN = re.compile(r"^\s*per\s+([A-Za-z][A-Za-z-]*)", re.IGNORECASE)
# "each daily user opens ...": the noun after each may follow words that only say which ones.
_EACH = re.compile(r"\b(?:each|every)\b(?!\s+\d)(?:\s+of)?(?:\s+an?|\s+the)?"  # "every 30 minutes" is a period, not a multiplier
                   r"(?:\s+(?:daily|monthly|weekly|active|registered|online|connected|new|single|individual|paying))*"
                   r"\s+([A-Za-z][A-Za-z'-]*)?", re.IGNORECASE)
# "users who each save ten files a day": a floating 'each' after the people it counts.
_FLOATING_EACH = re.compile(r"(?:\bwho|\bthey|\bwe)\s+$", re.IGNORECASE)
# "50M people use the app daily", "20 million people watch every day": daily users, said after the verb.
_DAILY_AFTER = re.compile(r"\s*(?:[a-z-]+\s+){0,3}?(?:daily|every\s+day|each\s+day|on\s+an?\s+(?:average|typical|normal|given)\s+day)\b(?!\s+active)")
# "one in two posts once a day": a share of the people the clause counts.
ONE_IN = re.compile(r"\bone\s+(?:[a-z]+\s+)?in\s+(?P<n>two|three|four|five|six|seven|eight|nine|ten|twenty|a\s+hundred)\b", re.IGNORECASE)
_HAS_VERBS = re.compile(r"averages|has|contains|includes|produces|generates|triggers|makes|sends")  # _A_NOUN_HAS's verbs
_A_NOUN_HAS = re.compile(r"\b(?:an?|one|the\s+average|the\s+typical)\s+([a-z-]+)\s+(?:averages|has|contains|includes|produces|generates|triggers|makes|sends)"
                         r"\s+(?:about\s+|around\s+|roughly\s+|~)?$", re.IGNORECASE)
# "each producing 5 entries", "each submitted": a verb form after each; "each feed" is a noun.
_PARTICIPLE = re.compile(r"(?:ing|(?<!e)ed)$")
_TRAILING_EACH = re.compile(r"\s*each\b")
_LAST_WORD = re.compile(r"([A-Za-z]+)\s+$")
_AT_PEAK = re.compile(r"\bat\s+(?:the\s+)?peak\b", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(\w+)'s\b")


@dataclass(slots=True)
class Quantity:
    """One number in the text, as written, with what the reader made of it."""

    value: float
    kind: str  # count | bytes | seconds | percent | factor | bitrate | money
    start: int
    end: int
    sentence: int
    noun: Optional[str] = None
    cls: Optional[str] = None
    period: Optional[float] = None
    per_noun: Optional[str] = None
    each_of: Optional[str] = None  # "each <noun> has N": N per <noun>
    each_user: bool = False  # "each user uploads N ...": N per user
    each: bool = False  # a multiplier of the count before it
    qualifiers: set[str] = field(default_factory=set)


MAX_SENTENCE = 2000


def sentences(text: str) -> list[str]:
    """The text cut into sentences (blank lines and list items also cut).

    A run-on "sentence" longer than MAX_SENTENCE characters is cut into pieces so that
    the per-sentence scans stay linear in the length of the text.
    """
    out = []
    for s in _SENTENCE.split(text):
        s = s.strip() if s else ""
        while len(s) > MAX_SENTENCE:
            cut = s.rfind(" ", 0, MAX_SENTENCE)
            cut = cut if cut > 0 else MAX_SENTENCE
            out.append(s[:cut])
            s = s[cut:].strip()
        if s:
            out.append(s)
    return out


def evidence(sentence: str, limit: int = 200) -> str:
    s = " ".join(sentence.split())
    return s if len(s) <= limit else s[: limit - 1].rstrip() + "…"


def _number(m: re.Match) -> float:
    if m.re is _WORD_QUANTITY:
        spelled = m.group("wnum") or m.group("wa") or m.group("wonce") or m.group("whalf")
        value = SPELLED[" ".join(spelled.lower().split())]
        scale = m.group("word")
    else:
        value = float(m.group("num").replace(",", ""))
        if m.group("num2"):
            value = (value + float(m.group("num2"))) / 2
        scale = m.group("word") or m.group("short")
    if scale:
        value *= SCALES.get(scale.lower(), 100.0)  # the one scale word SCALES lacks is "hundred"
    return value


def _classify(m: re.Match, value: float) -> tuple[str, float]:
    if m.re is _QUANTITY and m.group("cur"):
        return "money", value
    unit = (m.group("unit") or "").lower()
    if not unit:
        return "count", value
    if unit in BYTES:
        # "5B" with no space and no scale already read as billions above; a spaced B is bytes.
        return "bytes", value * BYTES[unit]
    if unit in ("%", "percent"):
        return "percent", value
    if unit in ("x", "×"):
        return "factor", value
    if unit in BITRATES:
        return "bitrate", value * BITRATES[unit]
    if unit in ("ms", "msec", "msecs") or unit.startswith("millisecond"):
        return "seconds", value / 1000
    base = unit.rstrip("s") if unit not in ("s",) else "s"
    base = {"min": "minute", "sec": "second", "hr": "hour", "yr": "year"}.get(base, base)
    return "seconds", value * PERIODS.get(base, 1.0)


def noun_after(text: str, classes: dict[str, str]) -> tuple[Optional[str], list[str], int]:
    """The head noun right after a number (the last known noun before a stop word)."""
    tokens: list[str] = []
    consumed = 0
    for tm in TOKEN.finditer(text):
        tok = tm.group(0)
        if not tok[0].isalpha():
            break
        low = tok.lower()
        if low in _STOPPERS or len(tokens) >= 6:
            break
        tokens.append(low)
        consumed = tm.end()
    nouns: list[str] = []
    for i, tok in enumerate(tokens):
        pair = f"{tokens[i - 1]} {singular(tok)}" if i else None
        if pair and pair in classes:
            nouns.append(pair)
            continue
        cand = _known_part(tok, classes)
        if cand is not None:
            nouns.append(cand)
    noun = nouns[-1] if nouns else None
    if len(nouns) > 1 and classes[noun] not in ("users", "emitter") and not _PERIOD_NEAR.search(text, consumed, consumed + 40):
        # "30,000 concurrent users play ...": without a period the count is of people, not of plays.
        noun = next((n for n in nouns if classes[n] in ("users", "emitter")), noun)
    elif len(nouns) > 1 and classes[noun] not in ("users", "emitter"):
        # "25M shoppers search each day": people in the plural are the subject, the next word
        # their verb; "customer orders per day" (singular) is a compound noun and counts orders.
        subject = next((t for t in tokens if classes.get(singular(t)) in ("users", "emitter")), None)
        if subject is not None and subject != singular(subject) and tokens.index(subject) < len(tokens) - 1:
            noun = singular(subject)
    return noun, tokens, consumed


def _known_part(tok: str, classes: dict[str, str]) -> Optional[str]:
    """The known noun a token names: itself, or its last part ("e-books"), or a part around a slash."""
    whole = singular(tok)
    if whole in classes or ("-" not in tok and "/" not in tok):
        # Without '-' or '/' every part is the whole token: no need to look further.
        return whole if whole in classes else None
    for cand in (singular(tok.split("-")[-1]), singular(tok.split("/")[-1]), singular(tok.split("/")[0])):
        if cand in classes:
            return cand
    return None


@cache
def any_substring(words: tuple[str, ...]) -> re.Pattern:
    """One pattern finding any of `words` anywhere (no word bounds): a cheap 'is any there?' test."""
    return re.compile("|".join(re.escape(w) for w in words))


@cache
def _any_word(words: tuple[str, ...]) -> re.Pattern:
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![a-z])(?:{alternatives})(?![a-z])")


def has_any(text: str, words: list[str], lowered: bool = False) -> bool:
    """Whether one of `words` appears in `text` as whole words (case-insensitive)."""
    return _any_word(tuple(words)).search(text if lowered else text.lower()) is not None


def scan(text: str) -> tuple[list[str], list[Quantity]]:
    """Every quantity in the text, sentence by sentence."""
    classes = noun_classes()
    quals = load("quantities")["qualifiers"]
    # The word lists' patterns, looked up once per text rather than once per number.
    daily, monthly = _any_word(tuple(quals["daily_active"][:3])), _any_word(tuple(quals["monthly_active"][:3]))
    concurrent, registered = _any_word(tuple(quals["concurrent"])), _any_word(tuple(quals["registered"]))
    growth, baseline = _any_word(tuple(quals["growth"])), _any_word(tuple(quals["baseline"]))
    any_peak, any_base = any_substring(tuple(quals["peak"])), any_substring(tuple(quals["baseline"]) + ("average",))
    sents = sentences(text)
    found: list[Quantity] = []
    for si, sent in enumerate(sents):
        digits = DIGIT.search(sent) is not None
        spelled = not _SPELLED_HINT.isdisjoint(sent.split())
        if not (digits or spelled):
            continue
        lsent = sent.lower()
        prev_end = 0
        prev_count_end = 0
        # Most sentences name no peak or baseline word at all: then no number in them looks back for one.
        peaky, based = any_peak.search(lsent) is not None, any_base.search(lsent) is not None
        # These words have no letter with odd case forms (like 'ſ' or 'İ'): if the lower-case
        # sentence lacks them, their case-insensitive patterns cannot match anywhere in it.
        says_peak, says_each = "peak" in lsent, "each" in lsent or "every" in lsent
        mine: list[Quantity] = []
        last_count: Optional[Quantity] = None  # the latest count of this sentence
        matches = list(_QUANTITY.finditer(sent)) if digits else []
        if spelled:
            matches = sorted(matches + list(_WORD_QUANTITY.finditer(sent)), key=lambda m: m.start())
        for mi, m in enumerate(matches):
            value = _number(m)
            kind, value = _classify(m, value)
            m_start, m_end = m.span()
            q = Quantity(value=value, kind=kind, start=m_start, end=m_end, sentence=si)
            if kind == "count":
                # Only counts get a noun, a period and qualifiers: sizes, durations and shares stop here.
                clause_start = max(sent.rfind(";", 0, m_start), sent.rfind(":", 0, m_start)) + 1
                prefix = sent[max(clause_start, prev_end): m_start]
                after = sent[m_end: m_end + 120]
                noun, tokens, used = noun_after(after, classes)
                nxt = next((n for n in matches[mi + 1:mi + 3] if n.start() >= m_end + used), None)
                window_end = min(len(sent), nxt.start() if nxt else len(sent), m_end + used + 70)
                semi = sent.find(";", m_end, window_end)
                if semi != -1:
                    window_end = semi
                rest = sent[m_end + used: window_end]
                q.noun = noun
                q.cls = classes.get(noun) if noun else None
                pm = PERIOD_AFTER.search(rest) or PERIOD_AFTER.search(sent, m_end, m_end + used + 1)
                if pm is None and ("same" in rest or "single" in rest or "one" in rest):
                    pm = _SAME_SPAN.search(rest)
                guessed = noun is None and tokens and pm and not pm.group(2)
                if guessed:
                    q.noun, q.cls = _guess(tokens, prefix[-40:])
                    earlier = next((c for c in reversed(mine) if c.kind == "count" and c.noun), None)
                    if q.noun == "one" and earlier is not None:
                        # "2 million jobs ... and 80,000 new ones a day": 'ones' are the noun before.
                        q.noun, q.cls = earlier.noun, earlier.cls
                    same = next((c for c in mine if c.kind == "count" and c.noun == q.noun and c.cls), None)
                    if same is not None:
                        # The same unknown noun twice in a sentence is the same stream: one class for both.
                        q.cls = same.cls
                elif noun is None and not tokens and pm:
                    # "posts once a day", "logs in twice a day": the verb right before names what is done.
                    verb = _LAST_WORD.search(prefix)
                    cls = classes.get(singular(verb.group(1))) if verb else None
                    if cls in ("read", "write", "mixed"):
                        q.noun, q.cls = singular(verb.group(1)), cls
                if noun in ("rps", "qps", "tps"):
                    q.noun, q.cls, q.period = "request", "mixed", SECOND
                elif pm and pm.group(2):
                    q.period = SECOND
                    q.noun, q.cls = q.noun or "request", q.cls or "mixed"
                elif pm:
                    q.period = PERIODS[pm.group(1).lower()]
                elif q.cls not in (None, "users", "item", "emitter"):
                    bm = _PERIOD_BEFORE.search(sent[max(clause_start, prev_end): m_start])
                    if bm:
                        q.period = PERIODS[bm.group(1).lower()]
                    else:
                        # "a billion redirects monthly": an adverb after the noun names the period.
                        q.period = next((ADVERB_PERIODS[t] for t in tokens[1:] if t in ADVERB_PERIODS), None)
                pn = PER_NOUN.match(rest)
                if pn:
                    cand = singular(pn.group(1))
                    if cand not in PERIODS and cand not in ("sec", "s"):
                        q.per_noun = cand
                phrase = " ".join(tokens)
                start = max(clause_start, prev_end)
                near_prefix = lsent[max(start, m_start - 40): m_start]
                low_rest = lsent[m_end + used: m_end + used + 40]
                if q.cls in (None, "users", "emitter"):
                    # Only people and devices have these qualifiers: rates and catalogue items do not.
                    around = near_prefix + " " + phrase
                    if daily.search(around) or (q.cls == "users" and _DAILY_AFTER.match(low_rest)):
                        q.qualifiers.add("daily_active")
                    elif monthly.search(around):
                        q.qualifiers.add("monthly_active")
                    if concurrent.search(phrase + " " + low_rest):
                        q.qualifiers.add("concurrent")
                    if registered.search(around):
                        q.qualifiers.add("registered")
                if growth.search(low_rest + " " + near_prefix[-20:]):
                    q.qualifiers.add("growth")
                # A qualifier only reaches this far back: it keeps long sentences linear.
                reach = max(clause_start, m_start - 160)
                clause_prefix = sent[reach: m_start]
                low_prefix = lsent[reach: m_start]
                last_peak = max(low_prefix.rfind(w) for w in quals["peak"]) if peaky else -1
                last_base = max(max(low_prefix.rfind(w) for w in quals["baseline"]), low_prefix.rfind("average")) if based else -1
                if (last_peak > last_base) or (says_peak and _AT_PEAK.search(rest[:40])):
                    q.qualifiers.add("peak")
                if last_base > last_peak and baseline.search(clause_prefix.lower()):
                    q.qualifiers.add("baseline")
                since = sent[max(prev_count_end, m_start - 160): m_start]
                em = None
                for em in _EACH.finditer(since) if says_each else ():
                    pass
                word = singular(em.group(1) or "") if em is not None else ""
                # A floating 'each' after the things it counts: "users who each save ...", "100 million
                # people ... and each runs 5 searches", "7 million listings, each with 20 photos".
                # After a singular 'each' a word that looks plural is a verb: "each opens", "each runs".
                verb = em is not None and em.group(1) is not None and singular(em.group(1)) != em.group(1).lower()
                floating = em is not None and word not in PERIODS and (word not in classes or verb) and (
                    _FLOATING_EACH.search(since, 0, em.start()) is not None or (last_count is not None and last_count.cls in ("users", "item")))
                if floating and last_count is not None and last_count.cls == "item":
                    q.each, q.each_of = True, last_count.noun
                elif floating:
                    q.each = q.each_user = True
                elif em is not None and (not word or word in classes or _PARTICIPLE.search(word) or " of" in em.group(0).lower()):
                    q.each = True
                    if word in classes and classes[word] != "users":
                        q.each_of = word
                    elif classes.get(word) == "users":
                        q.each_user = True
                    elif _POSSESSIVE.search(since[em.start():]):
                        q.each_of = singular(_POSSESSIVE.search(since[em.start():]).group(1))
                if not q.each and last_count is not None and last_count.cls == "users" and _TRAILING_EACH.match(low_rest):
                    # "6 million readers open the app ..., roughly 4 times each": per reader.
                    q.each = q.each_user = True
                    if q.noun is None and tokens:
                        q.noun, q.cls = _guess(tokens, prefix[-40:])
                if q.each and q.period is None and last_count is not None and last_count.cls == "users" and "daily_active" in last_count.qualifiers:
                    # "100 million people use it each day and each runs 5 searches": 5 a day.
                    q.period = DAY
                    if q.noun is None and tokens:
                        q.noun, q.cls = _guess(tokens, prefix[-40:])
                has = _A_NOUN_HAS.search(since) if not q.each and _HAS_VERBS.search(since, max(0, len(since) - 30)) else None
                if has is not None and classes.get(singular(has.group(1))) not in (None, "users"):
                    # "a search averages 6 keystrokes": so many per search, like "each search has 6".
                    q.each, q.each_of = True, singular(has.group(1))
                one_in = ONE_IN.search(since) if "one" in lsent[max(prev_count_end, m_start - 160): m_start] else None
                if one_in is not None:
                    q.value /= SPELLED[" ".join(one_in.group("n").lower().split())]
                    if not q.each and last_count is not None and last_count.each_user:
                        # "each user opens it 20 times a day and one in two posts once a day"
                        q.each = q.each_user = True
                if guessed and "peak" in q.qualifiers:
                    # "2 million job runs a day ... when up to 50,000 start within the same minute": an
                    # unknown word with a peak figure is the peak of the stream the sentence already named.
                    before = [c for c in mine if c.kind == "count" and c.period is not None and c.noun and c.cls in ("read", "write", "mixed")]
                    if before:
                        q.noun, q.cls = before[-1].noun, before[-1].cls
                if noun is None and not tokens and q.period is None and _PEAK_AT.search(lsent, max(0, m_start - 24), m_start):
                    # "..., peaking at 2,000": the bare figure is the peak of the stream before it.
                    before = [c for c in mine if c.kind == "count" and c.period is not None and c.noun]
                    if before:
                        q.noun, q.cls, q.period = before[-1].noun, before[-1].cls, before[-1].period
                        q.qualifiers.add("peak")
                prev_count_end = m_end + used
            mine.append(q)
            if kind == "count":
                last_count = q
            prev_end = m_end
        found.extend(mine)
    return sents, found


def _guess(tokens: list[str], before: str) -> tuple[str, str]:
    """A noun the lists do not know, and whether its rate reads, writes or both."""
    guess = load("quantities")["guess"]
    head = singular(tokens[-1])
    words = set(tokens) | {singular(w) for w in before.lower().split()}
    if head in guess["times"]:
        # "opens the feed 20 times a day": the verb says whether those requests read or write.
        verbs = words - set(tokens)
        return "request", "read" if verbs & set(guess["read"]) and not verbs & set(guess["write"]) else "mixed"
    if words & set(guess["write"]):
        return head, "write"
    if words & set(guess["read"]) or head in guess["read"]:
        return head, "read"
    return head, "mixed"


def duration_seconds(value: str, unit: str) -> float:
    unit = unit.lower().rstrip("s")
    unit = {"min": "minute", "hr": "hour", "sec": "second"}.get(unit, unit)
    return float(value) * PERIODS.get(unit, 1.0)


