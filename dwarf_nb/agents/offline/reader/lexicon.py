"""The reader's vocabulary, built once from `knowledge/lexicon.toml`.

Words are looked up by lemma (singular noun or bare verb), so "sensors", "reported" and
"uploading" find "sensor", "report" and "upload". Phrases of up to four words ("page
view", "charging station") are keys of one table, matched longest first.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Optional

from ....knowledge import load

_KEEP_S = ("ss", "us", "is")


@cache
def data() -> dict:
    return load("lexicon")


@cache
def _irregular() -> dict[str, str]:
    return {**data()["irregular"], **data()["irregular_plurals"]}


@cache
def _verbs() -> dict[str, str]:
    """Every known verb (first word of the listed verbs) -> read | write."""
    out: dict[str, str] = {}
    for op in ("write", "read"):
        for v in data()["ops"][op]["verbs"]:
            out.setdefault(v.split()[0], op)
    return out


@lru_cache(maxsize=16384)
def singular(word: str) -> str:
    """A noun's singular: 'sensors' -> 'sensor', 'deliveries' -> 'delivery', 'buses' -> 'bus'."""
    w = word.lower()
    irr = _irregular().get(w)
    if irr is not None:
        return irr
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith(("ches", "shes", "sses", "xes", "zzes")):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(_KEEP_S):
        return w[:-1]
    return w


@lru_cache(maxsize=4096)
def plural(noun: str) -> str:
    """A noun's plural for the formulas a person reads: 'person' -> 'people', 'delivery' -> 'deliveries'."""
    words = noun.split()
    if not words:
        return noun
    last = words[-1]
    back = {v: k for k, v in data()["irregular_plurals"].items() if k != v}
    if last in back and singular(back[last]) == last:
        out = back[last]
    elif last.endswith("y") and len(last) > 2 and last[-2] not in "aeiou":
        out = last[:-1] + "ies"
    elif last.endswith(("s", "x", "z", "ch", "sh")):
        out = last if singular(last) != last else last + "es"
    else:
        out = last + "s"
    return " ".join(words[:-1] + [out])


@lru_cache(maxsize=16384)
def verb_base(word: str) -> Optional[str]:
    """The bare form of a known verb ('reports', 'uploaded', 'shipping' -> 'ship'), else None."""
    w = word.lower()
    verbs = _verbs()
    irr = _irregular().get(w)
    if irr is not None:
        return irr if irr in verbs else None
    if w in verbs:
        return w
    candidates = []
    if w.endswith("ies"):
        candidates.append(w[:-3] + "y")
    if w.endswith("es"):
        candidates.append(w[:-2])
    if w.endswith("s"):
        candidates.append(w[:-1])
    if w.endswith("ied"):
        candidates.append(w[:-3] + "y")
    if w.endswith("ed"):
        candidates += [w[:-2], w[:-1]]
        if len(w) > 4 and w[-3] == w[-4]:
            candidates.append(w[:-3])
    if w.endswith("ing"):
        candidates += [w[:-3], w[:-3] + "e"]
        if len(w) > 5 and w[-4] == w[-5]:
            candidates.append(w[:-4])
    return next((c for c in candidates if c in verbs), None)


@cache
def _nouns() -> frozenset:
    """Single-word nouns of the lexicon ('reading', 'booking'): kept as nouns, not taken for verbs."""
    d = data()
    words = [n for op in ("read", "write", "notify", "mixed") for n in d["ops"][op]["nouns"]]
    words += [n for role, nouns in d["roles"].items() if isinstance(nouns, list) and not role.endswith("_cues") for n in nouns]
    return frozenset(w for w in words if " " not in w)


@lru_cache(maxsize=16384)
def lemma(word: str) -> str:
    """The key a word is looked up by: a lexicon noun as it is, a known verb's base form, else the singular."""
    w = word.lower()
    if singular(w) in _nouns():
        return singular(w)
    if w.endswith(("ing", "ed")):
        v = verb_base(w)
        if v is not None:
            return v
    return singular(w)


@cache
def _phrases() -> dict[tuple[str, ...], tuple[str, str]]:
    """(lemma, ...) -> (table, value) for role nouns, operation nouns and units."""
    d = data()
    table: dict[tuple[str, ...], tuple[str, str]] = {}

    def add(phrase: str, kind: str, value: str) -> None:
        key = tuple(lemma(w) for w in phrase.replace("-", " - ").split())
        table.setdefault(key, (kind, value))

    for role, nouns in d["roles"].items():
        if isinstance(nouns, list) and not role.endswith("_cues"):
            for n in nouns:
                add(n, "role", role)
    for n in d["ops"]["notify"]["nouns"]:
        add(n, "op", "notify")
    for n in d["ops"]["mixed"]["nouns"]:
        add(n, "op", "mixed")
    for op in ("write", "read"):
        for n in d["ops"][op]["nouns"]:
            add(n, "op", op)
    return table


def match_phrase(lemmas: list[str], start: int, limit: int = 4) -> Optional[tuple[int, str, str]]:
    """The longest known phrase starting at `start`: (length, table, value), or None."""
    table = _phrases()
    for n in range(min(limit, len(lemmas) - start), 0, -1):
        hit = table.get(tuple(lemmas[start:start + n]))
        if hit is not None:
            return n, hit[0], hit[1]
    return None


def role_of(noun: str) -> Optional[str]:
    hit = _phrases().get(tuple(lemma(w) for w in noun.split()))
    return hit[1] if hit and hit[0] == "role" else None


def op_of(noun: str) -> Optional[str]:
    hit = _phrases().get(tuple(lemma(w) for w in noun.split()))
    return hit[1] if hit and hit[0] == "op" else None


def verb_op(word: str) -> Optional[str]:
    """'uploads' -> write, 'browsing' -> read, else None."""
    base = verb_base(word)
    return _verbs().get(base) if base else None


@cache
def numbers() -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
    n = data()["numbers"]
    return dict(n["words"]), dict(n["scales"]), dict(n["fractions"])


@cache
def units() -> dict[str, dict]:
    return data()["units"]


@cache
def words(name: str) -> frozenset:
    """A word list of `[words]` in knowledge/lexicon.toml."""
    return frozenset(data()["words"][name])


def cues(section: str, name: str) -> list[str]:
    return data()[section][name]
