"""The text's own domain: the nouns for what the system manages, and the actions on them.

A word is taken as a domain noun where English puts nouns: after a determiner, a
possessive or a number ("each loan", "their courts", "3 warehouses"), in a list after a
verb ("members borrow books, DVDs and tools"), or as the object of a known verb. Words
that name no domain (system, time, team, units, languages, ...) and common verbs and
adjectives are in `knowledge/domain.toml`. Where English puts verbs, a word is not taken:
after a pronoun ("we run", "it goes"), before an object ("maintain it", "keep the log"),
or as a past participle ("hosted", "capped"). Capitalised words inside a sentence are
names of places and products (Wales, Stripe), not what the system manages. The nouns are
ranked by how often the text uses them.
"""

from __future__ import annotations

import re
from functools import cache

from ....brief import Term
from ....knowledge import load
from .lexicon import data, singular, verb_base
from .text import Sentence

_DET = frozenset("a an the each every their our its his her your my any per some all this that these those which whose no several many multiple new existing".split())
_ADJ_ENDINGS = ("al", "ive", "ous", "ful", "able", "ible", "ic", "less", "ish", "ent", "ant")
_LIST_GLUE = frozenset({",", "and", "or", "/", "&"})
_SUBJECTS = frozenset("we they it i you he she who which that there one".split())
_OBJECTS = frozenset("the a an it them their our this these those his her its us me him your my".split())


@cache
def _generic() -> frozenset:
    g = set(load("domain")["generic"])
    lex = data()
    g |= set(lex["grammar"]["function"]) | set(lex["grammar"]["modifiers"])
    g |= {u for u in lex["units"]["seconds"]} | {u for u in lex["units"]["bytes"]} | set(lex["numbers"]["words"])
    return frozenset(g)


@cache
def _not_nouns() -> frozenset:
    return frozenset(load("domain")["not_nouns"])


def _verb_like(word: str) -> bool:
    """A common verb or adjective in any of its forms ('comes', 'kept', 'running')."""
    nn = _not_nouns()
    if word in nn:
        return True
    for end, add in (("s", ""), ("es", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e")):
        if word.endswith(end) and word[: -len(end)] + add in nn:
            return True
    return False


def _nounish(word: str) -> bool:
    if not word.isalpha() or len(word) < 3:
        return False
    if word.endswith("ly") or word in _generic() or _verb_like(word):
        return False
    if word.endswith("ed") and not word.endswith("eed") and len(word) > 4:
        return False
    if word.endswith(_ADJ_ENDINGS) and not word.endswith(("ment", "ant", "ent")) and len(word) > 5:
        return False
    return True


def read_domain(sentences: list[Sentence], limit: int = 16) -> list[Term]:
    """The domain nouns of the text, most mentioned first, each with its first sentence."""
    counts: dict[str, int] = {}
    first: dict[str, tuple[Sentence, tuple[int, int], int]] = {}
    actions: dict[str, list[str]] = {}
    order = 0
    for s in sentences:
        toks = s.tokens
        n = len(toks)
        seen_here: set[str] = set()
        for k, t in enumerate(toks):
            if t.kind != "word":
                continue
            low = t.low
            if k and t.text[:1].isupper():
                continue
            prev = toks[k - 1] if k else None
            nxt = toks[k + 1] if k + 1 < n else None
            after_det = prev is not None and (prev.low in _DET or prev.kind == "num" or prev.low.endswith("'s"))
            in_list = prev is not None and prev.low in _LIST_GLUE and k >= 2 and toks[k - 2].lemma in seen_here
            base = verb_base(low)
            plural = low.endswith("s") and not low.endswith("ss")
            # A plural right after a verb is its object ("lends books", "renew loans"), even when
            # the word is a verb too.
            after_verb = prev is not None and prev.kind == "word" and verb_base(prev.low) is not None
            plural_noun = plural and (base is None or after_verb)
            if not (after_det or in_list or plural_noun):
                continue
            if not after_det and ((prev is not None and prev.low in _SUBJECTS) or (nxt is not None and nxt.low in _OBJECTS)):
                continue
            # skip to the head of "book copies", "repair jobs": the last noun-like word
            j = k
            while (j + 1 < n and toks[j + 1].kind == "word" and _nounish(toks[j + 1].low) and verb_base(toks[j + 1].low) is None
                   and j - k < 2 and singular(toks[j].low) == toks[j].low):
                j += 1
            word = singular(toks[j].low)
            if not _nounish(toks[j].low) or not _nounish(word):
                continue
            if base is not None and j == k and not after_det and not plural_noun:
                continue
            counts[word] = counts.get(word, 0) + 1
            seen_here.add(word)
            if word not in first:
                first[word] = (s, (toks[k].start, toks[j].end), order)
                order += 1
            for b in range(max(0, k - 3), k):
                v = verb_base(toks[b].low)
                if v is not None and v not in actions.setdefault(word, []) and len(actions[word]) < 4:
                    actions[word].append(v)
    ranked = sorted(counts, key=lambda w: (-counts[w], first[w][2]))[:limit]
    out = []
    for w in ranked:
        s, span, _ = first[w]
        out.append(Term(id=f"domain.{re.sub(r'[^a-z0-9]+', '-', w)}", noun=w, actions=actions.get(w, []), mentions=counts[w],
                        evidence=s.evidence, span=span))
    return out
